"""Analyses kept on disk, keyed by input file, question and settings, so they are computed once.

Used by the app (and any caller) to show an analysis again without recomputing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from themes.analysis import AnalysisResult, analyse_responses
from themes.cache import EmbeddingCache
from themes.config import AnalysisConfig
from themes.embedding import Embedder
from themes.ingest import read_table, responses_from_table
from themes.progress import ProgressFn, no_progress
from themes.results import RESULT_FILE, read_results, write_results


def default_results_root() -> Path:
    """``$THEMES_RESULTS_DIR``, by default ``data/results``."""
    return Path(os.environ.get("THEMES_RESULTS_DIR", "data/results"))


def analysis_key(file_bytes: bytes, question: str, config: AnalysisConfig, model_id: str) -> str:
    """A stable key for one analysis: same file, question, settings and model -> same key."""
    digest = hashlib.sha256(file_bytes)
    digest.update(json.dumps([question, config.to_dict(), model_id], sort_keys=True).encode())
    return digest.hexdigest()[:20]


def analyse_cached(
    path: str | Path,
    question: str,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder,
    root: Path | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> AnalysisResult:
    """The analysis of one question of a file: read from ``root`` if done before, else computed and saved."""
    config = config or AnalysisConfig()
    root = root or default_results_root()
    path = Path(path)
    data = path.read_bytes()
    folder = root / analysis_key(data, question, config, embedder.model_id)
    if (folder / RESULT_FILE).is_file():
        progress("Loaded saved analysis", 1.0)
        return read_results(folder)
    table = read_table(path)
    responses = responses_from_table(table, question)
    result = analyse_responses(responses, config, embedder=embedder, cache=cache, progress=progress)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".writing-"))
    write_results(result, staging)
    try:
        staging.rename(folder)  # atomic: a half-written analysis is never read back
    except OSError:  # another process finished first: keep theirs
        shutil.rmtree(staging, ignore_errors=True)
    return result
