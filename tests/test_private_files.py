"""Personal data is readable by its owner only (issue 17): files 0600, folders 0700, under any
umask; and everything lives under THEMES_DATA_DIR when that is set."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

EXPORT = REPO / "tests" / "fixtures" / "exports" / "googleforms.csv"


def _loose(root: Path) -> list[str]:
    return [
        f"{p.relative_to(root)} {stat.filemode(p.stat().st_mode)}"
        for p in [root, *root.rglob("*")]
        if p.stat().st_mode & 0o077
    ]


def test_cli_writes_private_files_under_a_loose_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "THEMES_DATA_DIR": str(data)}
    for key in ("THEMES_CACHE_DIR", "THEMES_RESULTS_DIR", "THEMES_UPLOADS_DIR"):
        env.pop(key, None)
    run = subprocess.run(
        [sys.executable, "-m", "themes", "analyse", str(EXPORT), "--model", "hashing", "-q",
         "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
        check=False,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (data / "cache" / "embeddings.sqlite").exists()  # the cache follows THEMES_DATA_DIR
    assert list((tmp_path / "out").iterdir())
    assert _loose(tmp_path / "out") == []
    assert _loose(data) == []


def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path, monkeypatch) -> None:
    from themes.core.data_dirs import make_private

    monkeypatch.setenv("THEMES_DATA_DIR", str(tmp_path))
    for key in ("THEMES_CACHE_DIR", "THEMES_RESULTS_DIR", "THEMES_UPLOADS_DIR"):
        monkeypatch.delenv(key, raising=False)
    uploads = tmp_path / "uploads"
    uploads.mkdir(mode=0o755)
    (uploads / "survey.csv").write_text("id,answer\n1,private\n")
    (uploads / "survey.csv").chmod(0o644)
    (tmp_path / "projects.sqlite").write_bytes(b"")
    (tmp_path / "projects.sqlite").chmod(0o644)
    before = os.umask(0o022)
    try:
        make_private()
        assert os.umask(0o077) == 0o077
    finally:
        os.umask(before)
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700
    assert stat.S_IMODE((uploads / "survey.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "projects.sqlite").stat().st_mode) == 0o600


def test_purge_command_removes_uploads_no_project_needs(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from themes.cli import main

    monkeypatch.setenv("THEMES_DATA_DIR", str(tmp_path))
    for key in ("THEMES_CACHE_DIR", "THEMES_RESULTS_DIR", "THEMES_UPLOADS_DIR"):
        monkeypatch.delenv(key, raising=False)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    orphan = uploads / "previewed-only.csv"
    orphan.write_text("id,answer\n1,never became a project\n")
    assert main(["purge"]) == 0  # by default, only what is an hour old: a preview in progress stays
    assert orphan.exists()
    assert main(["purge", "--older-than", "0"]) == 0
    assert not orphan.exists()
    assert "Removed 1 copies" in capsys.readouterr().out
