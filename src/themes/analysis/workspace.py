"""Survey files and their analyses kept on disk, so they are stored and computed once.

Uploads are stored by content under ``data/uploads`` (checked by reading them first); analyses are
keyed by file content, question, read options, settings and model under ``data/results``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from themes.analysis.cache import EmbeddingCache
from themes.analysis.embedding import Embedder
from themes.analysis.pipeline import AnalysisResult, analyse_responses
from themes.analysis.results import RESULT_FILE, read_results, write_results
from themes.core.config import AnalysisConfig
from themes.core.errors import InputError
from themes.core.progress import ProgressFn, no_progress
from themes.ingest.reading import (
    DEFAULT_MAX_BYTES,
    Table,
    guess_text_columns,
    read_table,
    read_table_bytes,
    responses_from_table,
)

_SUFFIXES = {"csv": ".csv", "tsv": ".tsv", "xlsx": ".xlsx"}


def default_results_root() -> Path:
    """``$THEMES_RESULTS_DIR``, by default ``$THEMES_DATA_DIR/results``."""
    from themes.core.data_dirs import results_dir

    return results_dir()


def default_uploads_root() -> Path:
    """``$THEMES_UPLOADS_DIR``, by default ``$THEMES_DATA_DIR/uploads``."""
    from themes.core.data_dirs import uploads_dir

    return uploads_dir()


@dataclass(frozen=True)
class SurveyFile:
    """A survey export on disk and how to read it (the user's corrections included).

    Attributes:
        path: where the file is stored.
        name: the file's original name, shown to people.
        encoding, tool: read options (``None`` means detect).
        id_column: the respondent id column (``None``: detected, else row numbers).
        questions: the free-text questions chosen for analysis.
        include_previews: keep Qualtrics survey previews and test responses as answers.
    """

    path: str
    name: str
    encoding: str | None = None
    tool: str | None = None
    id_column: str | None = None
    questions: tuple[str, ...] = ()
    include_previews: bool = False

    def read(self) -> Table:
        return read_table(
            self.path,
            encoding=self.encoding,
            tool=self.tool,
            include_previews=self.include_previews,
        )


PRETICKED = 10  # a file with thousands of text columns must not pre-tick thousands of questions


def pre_ticked(table: Table) -> tuple[str, ...]:
    """The free-text questions ticked for analysis at first: those with the most answers, at most
    ``PRETICKED``, in file order."""
    best = set(guess_text_columns(table)[:PRETICKED])
    return tuple(c for c in table.roles.free_text if c in best)


def survey_from_path(path: str | Path, **options: str | None) -> tuple[SurveyFile, Table]:
    """A survey file already on disk (such as the bundled sample), with its detected questions."""
    path = Path(path)
    table = read_table(path, encoding=options.get("encoding"), tool=options.get("tool"))
    survey = SurveyFile(
        str(path),
        path.name,
        options.get("encoding"),
        options.get("tool"),
        table.roles.id,
        pre_ticked(table),
    )
    return survey, table


def store_upload(
    data: bytes,
    name: str,
    *,
    encoding: str | None = None,
    tool: str | None = None,
    root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    include_previews: bool = False,
) -> tuple[SurveyFile, Table]:
    """Check an uploaded export by reading it, then keep a copy named by its content."""
    if len(data) > max_bytes:
        raise InputError(
            f"{name} is {len(data) / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit. Split the "
            "export or remove columns you do not need."
        )
    table = read_table_bytes(
        data, name, encoding=encoding, tool=tool, include_previews=include_previews
    )
    root = root or default_uploads_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / (hashlib.sha256(data).hexdigest()[:20] + _SUFFIXES[table.format])
    if not target.exists():
        staging = target.with_suffix(".partial")
        staging.write_bytes(data)
        staging.replace(target)
    survey = SurveyFile(
        str(target), name, encoding, tool, table.roles.id, pre_ticked(table), include_previews
    )
    return survey, table


def analysis_key(
    file_bytes: bytes, survey: SurveyFile, question: str, config: AnalysisConfig, model_id: str
) -> str:
    """A stable key: same file, read options, question, settings and model -> same key."""
    digest = hashlib.sha256(file_bytes)
    options = {k: v for k, v in asdict(survey).items() if k in ("encoding", "tool", "id_column")}
    digest.update(
        json.dumps([question, options, config.to_dict(), model_id], sort_keys=True).encode()
    )
    return digest.hexdigest()[:20]


def analysis_folder(
    survey: SurveyFile,
    question: str,
    config: AnalysisConfig,
    model_id: str,
    root: Path | None = None,
) -> Path:
    """Where ``analyse_cached`` keeps one question's analysis."""
    root = root or default_results_root()
    data = Path(survey.path).read_bytes()
    return root / analysis_key(data, survey, question, config, model_id)


def owned_upload(survey: SurveyFile) -> str | None:
    """The stored copy of an uploaded file (under the uploads folder), or None for a file the
    user keeps elsewhere, which is never deleted."""
    path = Path(survey.path).resolve()
    root = default_uploads_root().resolve()
    return str(path) if path.is_relative_to(root) else None


def analyse_cached(
    survey: SurveyFile,
    question: str,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder,
    root: Path | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> AnalysisResult:
    """One question's analysis: read from ``root`` if done before, else computed and saved."""
    config = config or AnalysisConfig()
    root = root or default_results_root()
    folder = analysis_folder(survey, question, config, embedder.model_id, root)
    if (folder / RESULT_FILE).is_file():
        progress("Loaded saved analysis", 1.0)
        return read_results(folder)
    responses = responses_from_table(survey.read(), question, id_column=survey.id_column)
    result = analyse_responses(responses, config, embedder=embedder, cache=cache, progress=progress)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".writing-"))
    write_results(result, staging)
    try:
        staging.rename(folder)  # atomic: a half-written analysis is never read back
    except OSError:  # another process finished first: keep theirs
        shutil.rmtree(staging, ignore_errors=True)
    return result
