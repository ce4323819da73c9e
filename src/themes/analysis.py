"""The pipeline for one question: prepare -> embed (cached) -> discover -> mentions ->
AnalysisResult."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from themes.cache import EmbeddingCache, embed_texts
from themes.config import AnalysisConfig
from themes.discover import discover_themes
from themes.embedding import Embedder, make_embedder
from themes.ingest import Table, read_table, responses_from_table
from themes.mentions import Mentions, find_mentions
from themes.progress import ProgressFn, for_question, no_progress, scaled
from themes.responses import Responses, RowStatus
from themes.theme_model import OUTLIER, Theme, ThemeModel


class Outcome(StrEnum):
    """Where each input row ended up. Every row has exactly one."""

    THEMED = "themed"
    OUTLIER = "outlier"  # a real answer that fits no theme
    NON_ANSWER = "non_answer"
    EMPTY = "empty"
    DUPLICATE = "duplicate"  # a repeated submission by the same respondent


@dataclass(frozen=True)
class RowResult:
    """One input row's outcome. ``theme_id`` is its main theme; ``also`` the other themes a
    clause of it raises (``themes.mentions``)."""

    row: int
    respondent_id: str
    text: str
    outcome: Outcome
    theme_id: int | None
    similarity: float | None
    reassigned: bool
    also: tuple[int, ...] = ()


@dataclass(frozen=True)
class AnalysisResult:
    """Themes for one question and the outcome of every input row, with provenance.

    Attributes:
        question: the question (column) analysed.
        themes: discovered themes, largest first; ``Theme.representatives`` are input row numbers.
        rows: one RowResult per input row, in file order.
        provenance: themes version, model id, resolved configuration, source, timings, counts.
    """

    question: str
    themes: tuple[Theme, ...]
    rows: tuple[RowResult, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per outcome (every outcome listed) and the total."""
        counts = {o.value: 0 for o in Outcome}
        for row in self.rows:
            counts[row.outcome.value] += 1
        counts["total"] = len(self.rows)
        return counts

    def rows_for(self, theme_id: int) -> list[RowResult]:
        return [r for r in self.rows if r.theme_id == theme_id]

    def row(self, number: int) -> RowResult:
        return self.rows[number - 1]


def _version() -> str:
    from themes import __version__

    return __version__


def _fingerprint(responses: Responses) -> str:
    digest = hashlib.sha256()
    for item in responses.items:
        digest.update(item.respondent_id.encode() + b"\x1f" + item.text.encode() + b"\x1e")
    return digest.hexdigest()[:16]


def analyse_responses(
    responses: Responses,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> AnalysisResult:
    """Find themes in one question's answers. Every input row appears once in the result.

    ``embedder`` defaults to the configured model; ``cache`` (None) means no embedding cache.
    """
    config = config or AnalysisConfig()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    embedder = embedder or make_embedder(config.model, config.batch_size)
    clustered = responses.to_cluster
    texts = [r.text for r in clustered]
    timings["model_setup"] = time.perf_counter() - start

    start = time.perf_counter()
    embeddings, newly_embedded = embed_texts(texts, embedder, cache, scaled(progress, 0.0, 0.5))
    timings["embed"] = time.perf_counter() - start

    start = time.perf_counter()
    model: ThemeModel = discover_themes(
        texts, embeddings, config, embedder, scaled(progress, 0.5, 0.8), reductions=cache
    )
    timings["discover"] = time.perf_counter() - start

    start = time.perf_counter()
    if config.also_mentions is None:
        mentions = Mentions(tuple(() for _ in texts), {"off": True})
    else:
        progress("Looking for answers that raise several themes", 0.8)
        mentions = find_mentions(
            texts,
            model.assignments,
            embeddings,
            embedder,
            fit=config.also_mentions,
            cache=cache,
            progress=scaled(progress, 0.8, 1.0),
        )
    timings["mentions"] = time.perf_counter() - start

    row_of_position = [r.row for r in clustered]
    themes = tuple(
        replace(t, representatives=tuple(row_of_position[p] for p in t.representatives))
        for t in model.themes
    )
    by_row = {r.row: i for i, r in enumerate(clustered)}
    rows: list[RowResult] = []
    for item in responses.items:
        if item.status is not RowStatus.TEXT:
            outcome = Outcome(
                item.status.value
            )  # empty, non-answer, duplicate: counted, not themed
            rows.append(
                RowResult(item.row, item.respondent_id, item.text, outcome, None, None, False)
            )
        else:
            i = by_row[item.row]
            theme = model.assignments[i]
            rows.append(
                RowResult(
                    item.row,
                    item.respondent_id,
                    item.text,
                    Outcome.OUTLIER if theme == OUTLIER else Outcome.THEMED,
                    None if theme == OUTLIER else theme,
                    model.similarity[i],
                    model.reassigned[i],
                    mentions.also[i],
                )
            )
    provenance = {
        "themes_version": _version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": responses.source,
        "question": responses.question,
        "input_fingerprint": _fingerprint(responses),
        "model": embedder.model_id,
        "config": config.to_dict(),
        "discovery": model.details,
        "mentions": mentions.details,
        "newly_embedded": newly_embedded,
        "timings": {k: round(v, 3) for k, v in timings.items()},
    }
    progress("Analysis complete", 1.0)
    return AnalysisResult(responses.question, themes, tuple(rows), provenance)


def analyse_file(
    path: str | Path,
    text_column: str,
    config: AnalysisConfig | None = None,
    *,
    id_column: str | None = None,
    encoding: str | None = None,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> AnalysisResult:
    """Read a survey export and find themes in one free-text question."""
    table = read_table(path, encoding=encoding)
    responses = responses_from_table(table, text_column, id_column=id_column)
    return analyse_responses(responses, config, embedder=embedder, cache=cache, progress=progress)


def analyse_table(
    table: Table,
    questions: list[str],
    config: AnalysisConfig | None = None,
    *,
    id_column: str | None = None,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> list[AnalysisResult]:
    """Themes for several questions of one export, question by question; the respondent id links
    a person's answers across questions."""
    config = config or AnalysisConfig()
    embedder = embedder or make_embedder(config.model, config.batch_size)
    results = []
    for number, question in enumerate(questions):
        responses = responses_from_table(table, question, id_column=id_column)
        results.append(
            analyse_responses(
                responses,
                config,
                embedder=embedder,
                cache=cache,
                progress=for_question(progress, number, len(questions)),
            )
        )
    return results
