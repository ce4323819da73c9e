"""Where themes keeps personal data, and keeping it private.

Everything lives under one folder, ``$THEMES_DATA_DIR`` (default ``data``): the project database,
uploads, saved analyses and the embedding cache; each can still be moved on its own
(``THEMES_UPLOADS_DIR``, ``THEMES_RESULTS_DIR``, ``THEMES_CACHE_DIR``). The entry points (the
``themes`` command and the app) call ``make_private`` first, so every file they write is readable
by its owner only (0600, folders 0700) whatever the user's umask.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def data_root() -> Path:
    return Path(os.environ.get("THEMES_DATA_DIR", "data"))


def database_path() -> Path:
    return data_root() / "projects.sqlite"


def uploads_dir() -> Path:
    return Path(os.environ.get("THEMES_UPLOADS_DIR") or data_root() / "uploads")


def results_dir() -> Path:
    return Path(os.environ.get("THEMES_RESULTS_DIR") or data_root() / "results")


def cache_dir() -> Path:
    return Path(os.environ.get("THEMES_CACHE_DIR") or data_root() / "cache")


def web_cache_dir() -> Path:
    """Where the app tells its web server (Gradio) to keep uploads and files offered for download,
    unless GRADIO_TEMP_DIR says otherwise."""
    return data_root() / "web-cache"


def personal_data_paths() -> list[Path]:
    """Files and folders that hold answers (or what can be turned back into them)."""
    database = database_path()
    return [
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
        uploads_dir(),
        results_dir(),
        cache_dir(),
        web_cache_dir(),
        data_root() / "exports",
    ]


def make_private() -> None:
    """New files 0600 and folders 0700 from now on (umask 077), and those already there made so
    (written by an older version, or under a looser umask)."""
    os.umask(PRIVATE_UMASK)
    for path in personal_data_paths():
        if not path.exists():
            continue
        _tighten(path)
        if path.is_dir():
            for child in path.rglob("*"):
                _tighten(child)


def _tighten(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            return
        path.chmod(0o700 if stat.S_ISDIR(mode) else 0o600)
    except OSError:
        pass  # not ours to change (a shared mount): the umask still covers new files
