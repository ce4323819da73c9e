"""Removing every copy of a project's answers: on deletion, and for orphans left by a crash, an
upload that was previewed but never became a project, or an export folder.

Copies live in: the stored upload and saved analyses (``ProjectStore`` files), export and report
folders (``exports_dir()/<project id>/``), and the web server's cached copies of what it offered for
download (``web_cache_dir()``, where the app points Gradio's temporary folder).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from themes.core.data_dirs import data_root, results_dir, uploads_dir, web_cache_dir
from themes.review.store import ProjectStore


def exports_dir() -> Path:
    """Export and report folders, one sub-folder per project."""
    return data_root() / "exports"


def server_cache_dir() -> Path:
    """The web server's folder as it is in use: GRADIO_TEMP_DIR when set, else ours."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or web_cache_dir())


def new_export_folder(project_id: str) -> Path:
    """A fresh, private folder for one export or report of a project."""
    import tempfile

    root = exports_dir() / project_id
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return Path(tempfile.mkdtemp(dir=root, prefix="export-"))


@dataclass(frozen=True)
class Purged:
    """What was removed."""

    paths: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.paths)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_web_copies(files: Iterable[Path]) -> list[str]:
    """Delete the web server's cached copies of these files (found by content)."""
    wanted: dict[int, set[str]] = {}
    for path in files:
        if path.is_file():
            wanted.setdefault(path.stat().st_size, set()).add(_digest(path))
    removed: list[str] = []
    cache = server_cache_dir()
    if not wanted or not cache.is_dir():
        return removed
    for copy in list(cache.rglob("*")):
        if copy.is_file() and copy.stat().st_size in wanted:
            if _digest(copy) in wanted[copy.stat().st_size]:
                copy.unlink(missing_ok=True)
                removed.append(str(copy))
                if copy.parent != cache and not any(copy.parent.iterdir()):
                    copy.parent.rmdir()
    return removed


def delete_project(store: ProjectStore, project_id: str, user: str = "command line") -> Purged:
    """Delete a project and every copy of its answers: the database rows, its stored upload and
    analyses, its export and report folders, and the web server's copies of those. The deletion
    is recorded in the audit."""
    name = store.info(project_id).name
    removed = store.delete(project_id)
    store.record(user, "delete", project_id, name, "")
    folder = exports_dir() / project_id
    if folder.exists():
        removed += remove_web_copies(p for p in folder.rglob("*") if p.is_file())
        _remove(folder)
        removed.append(str(folder))
    return Purged(tuple(removed))


def referenced(store: ProjectStore) -> set[Path]:
    """Every file or folder some project still needs."""
    return {Path(p).resolve() for info in store.projects() for p in store.files(info.id)}


def purge_orphans(store: ProjectStore, older_than: float = 0.0, web_cache: bool = False) -> Purged:
    """Remove copies no project needs: uploads and analyses of no project, export folders, and
    (with ``web_cache``, safe when no one is using the app) the web server's cached copies.
    Only things untouched for ``older_than`` seconds go, so a preview in progress survives. The
    web server's folder is emptied only when it is ours (not a GRADIO_TEMP_DIR shared with other
    programs)."""
    keep = referenced(store)
    projects = {info.id for info in store.projects()}
    limit = time.time() - older_than
    removed: list[str] = []

    def old(path: Path) -> bool:
        try:
            return path.stat().st_mtime <= limit
        except OSError:
            return False

    for folder in (uploads_dir(), results_dir()):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.resolve() not in keep and old(entry):
                _remove(entry)
                removed.append(str(entry))
    if exports_dir().is_dir():
        for project in exports_dir().iterdir():
            for export in [project] if project.name not in projects else project.iterdir():
                if old(export):
                    removed += remove_web_copies(p for p in export.rglob("*") if p.is_file())
                    _remove(export)
                    removed.append(str(export))
    ours = server_cache_dir().resolve() == web_cache_dir().resolve()
    if web_cache and ours and web_cache_dir().is_dir():
        for entry in web_cache_dir().iterdir():
            if old(entry):
                _remove(entry)
                removed.append(str(entry))
    return Purged(tuple(removed))
