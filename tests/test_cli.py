"""The command line, through its entry point, as a user would run it."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Q_ACCESS, REPO, SAMPLE
from themes.cli import main
from themes.cli.parser import build_parser


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); from themes.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('bertopic', 'torch', 'gradio', 'umap', 'sentence_transformers', 'pandas')"
        " if m in sys.modules]\nprint(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        assert sub.description, name
        assert sub.format_help()


def test_version(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("themes ")


def test_columns_shows_guessed_questions(capsys) -> None:
    assert main(["columns", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert f"[free text] {Q_ACCESS}" in out
    assert "Microsoft Forms export" in out and "680 data rows: 680 kept" in out
    assert "[respondent id] ID" in out and "[demographic] District" in out


def test_models_lists_packaged_model(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from themes.analysis import runtime

    monkeypatch.delenv("THEMES_EMBEDDING_RUNTIME", raising=False)
    monkeypatch.setattr(runtime, "embedding_device", lambda chosen: "cpu")
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "all-MiniLM-L6-v2" in out
    assert "Here: no GPU that PyTorch can use; the model runs on the CPU." in out
    monkeypatch.setenv("THEMES_EMBEDDING_RUNTIME", "torch")
    assert main(["models"]) == 0
    assert "runs on the CPU (THEMES_EMBEDDING_RUNTIME=torch)" in capsys.readouterr().out
    import torch

    monkeypatch.setattr(runtime, "embedding_device", lambda chosen: "cuda")
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: "NVIDIA H200")
    assert main(["models"]) == 0
    assert "Here: the model runs on the GPU (NVIDIA H200)." in capsys.readouterr().out


def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert main(["analyse", str(tmp_path / "missing.csv"), "--text-column", "x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: File") and "Traceback" not in err
    assert main(["analyse", str(SAMPLE), "--text-column", "Comments", "--model", "hashing"]) == 1
    assert "Available columns" in capsys.readouterr().err
    assert main(["analyse", str(SAMPLE), "--text-column", Q_ACCESS, "--model", "nope"]) == 1
    assert "never downloads" in capsys.readouterr().err


def test_engine_options_are_checked_before_the_file_is_read(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    missing = str(tmp_path / "missing.csv")
    assert main(["analyse", missing, "--engine", "local", "--workers", "2"]) == 1
    assert "go with --engine ray" in capsys.readouterr().err
    assert main(["analyse", missing, "--engine", "ray", "--workers", "0"]) == 1
    assert "--workers must be 1 or more" in capsys.readouterr().err
    from themes.analysis import ray_engine

    monkeypatch.setattr(ray_engine, "ray_installed", lambda: False)
    assert main(["analyse", missing, "--address", "10.0.0.5:6379"]) == 1  # --address means ray
    assert "pip install 'themes[ray]'" in capsys.readouterr().err
    monkeypatch.setenv("THEMES_ENGINE", "spark")
    assert main(["analyse", missing]) == 1
    assert "use one of local, ray" in capsys.readouterr().err


@pytest.mark.slow
def test_analyse_prints_table_and_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "themes",
            "analyse",
            str(SAMPLE),
            "--text-column",
            Q_ACCESS,
            "--out",
            str(out),
            "--model",
            "hashing",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert "Question: " + Q_ACCESS in done.stdout
    assert "rows:" in done.stdout and "Keywords" in done.stdout
    assert "consensus of 5 clusterings" in done.stdout
    assert re.search(r"Laying out the answers \(\d of 5\)", done.stderr)
    assert "Embedding responses" in done.stderr or "Embeddings of responses ready" in done.stderr
    payload = json.loads((out / "result.json").read_text(encoding="utf-8"))
    with (out / "responses.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        input_rows = list(csv.DictReader(handle))
    assert len(rows) == len(input_rows) == payload["counts"]["total"]
    assert {r["outcome"] for r in rows} <= {"themed", "outlier", "non_answer", "empty"}
    with (out / "themes.csv").open(encoding="utf-8-sig", newline="") as handle:
        themes = list(csv.DictReader(handle))
    assert len(themes) == len(payload["themes"]) >= 3
    assert payload["provenance"]["model"] == "hashing-512"
    assert payload["provenance"]["config"]["layouts"] is None  # adapted: 5 at this size
    assert payload["provenance"]["discovery"]["layouts"] == 5
    assert time.perf_counter() - started < 600


def test_all_questions_of_a_real_export_are_linked_by_respondent(tmp_path: Path, capsys) -> None:
    export = REPO / "tests" / "fixtures" / "exports" / "surveymonkey.csv"
    out = tmp_path / "out"
    assert (
        main(
            [
                "analyse",
                str(export),
                "--all-questions",
                "--model",
                "hashing",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert printed.count("Question: ") == 3
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders[0].startswith("q1-what-could-we-do-better") and len(folders) == 3
    with (out / "all_responses.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 * 12
    first = [r for r in rows if r["row"] == "1"]
    assert (
        len({r["respondent_id"] for r in first}) == 1 and len({r["question"] for r in first}) == 3
    )


def test_text_columns_can_be_chosen_and_are_checked(tmp_path: Path, capsys) -> None:
    export = REPO / "tests" / "fixtures" / "exports" / "qualtrics.csv"
    assert (
        main(
            [
                "analyse",
                str(export),
                "--text-column",
                "Q4_TEXT",
                "--model",
                "hashing",
                "-q",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    # Shown by its question text, as respondents read it, not by the short column id.
    assert "Question: Any other comments?" in capsys.readouterr().out
    assert main(["analyse", str(export), "--text-column", "Q9", "--model", "hashing"]) == 1
    assert "Available columns" in capsys.readouterr().err


def test_output_into_a_closed_pipe_stops_quietly() -> None:
    command = [sys.executable, "-m", "themes.cli", "columns", str(SAMPLE)]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    reader.stdout.close()  # like 'themes columns ... | head -1' once head has its line
    _, err = reader.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err
    assert reader.returncode == 141


def test_project_create_honours_the_analysis_settings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 3: 'project create' took no --config, --model or --seed."""
    from themes.review.store import ProjectStore

    monkeypatch.setenv("THEMES_CACHE_DIR", str(tmp_path / "cache"))
    settings = tmp_path / "settings.toml"
    settings.write_text("[analysis]\nmax_themes = 4\nlayouts = 1\n", encoding="utf-8")
    db = tmp_path / "p.sqlite"
    created = main(
        [
            "project", "--db", str(db), "create", str(SAMPLE), "--name", "Set",
            "--text-column", Q_ACCESS, "--config", str(settings), "--model", "hashing",
            "--seed", "7",
        ]
    )  # fmt: skip
    assert created == 0
    store = ProjectStore(db)
    (info,) = store.projects()
    (result,) = store.results(info.id)
    config = result.provenance["config"]
    assert (config["model"], config["seed"], config["max_themes"], config["layouts"]) == (
        "hashing",
        7,
        4,
        1,
    )
    assert (
        main(["project", "--db", str(db), "create", str(tmp_path / "none.csv"), "--name", "X"]) == 1
    )


def test_choices_are_listed_and_checked(capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 3: --format and --op name their choices."""
    from themes.ingest.layouts import TOOLS
    from themes.review.edits import OPERATIONS

    with pytest.raises(SystemExit) as stop:
        main(["analyse", str(SAMPLE), "--format", "nope"])
    err = " ".join(capsys.readouterr().err.split())
    assert stop.value.code == 2 and all(tool in err for tool in TOOLS), err
    with pytest.raises(SystemExit):
        main(["project", "edit", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert all(op in shown for op in OPERATIONS if op != "add_responses")  # 'project add'


def test_every_command_takes_quiet_and_verbose(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 3: -q and -v on every command, logging set up once."""
    base = ["analyse", str(SAMPLE), "--text-column", Q_ACCESS, "--model", "hashing"]
    assert main([*base, "--out", str(tmp_path / "v"), "-v"]) == 0
    err = capsys.readouterr().err
    assert "INFO themes.analysis.pipeline:" in err and "seconds per step" in err
    assert main([*base, "--out", str(tmp_path / "q"), "-q"]) == 0
    assert capsys.readouterr().err == ""  # no progress, no log lines
    assert main(["models", "-q"]) == 0 and main(["project", "list", "-v"]) == 0
