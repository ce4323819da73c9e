"""The pipeline for one question: prepare -> embed (cached) -> discover -> mentions ->
AnalysisResult."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from themes.analysis.cache import CachedEmbedder, EmbeddingCache, embed_texts
from themes.analysis.coherence import unit_rows
from themes.analysis.discover import discover_themes
from themes.analysis.embedding import Embedder, make_embedder
from themes.analysis.mentions import find_mentions
from themes.analysis.no_change import (
    LABEL,
    NOTHING_TO_ADD,
    asks_for_change,
    find_no_change,
    group_theme,
    said_no,
)
from themes.analysis.quick_look import is_quick
from themes.analysis.sampling import place_rest, sample_positions
from themes.analysis.stories import fold, piece_vectors, pieces_of, story_texts
from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel
from themes.core.config import AnalysisConfig
from themes.core.plain_text import plain
from themes.core.progress import ProgressFn, for_question, no_progress, scaled
from themes.core.version import package_version
from themes.ingest.reading import Table, read_table, responses_from_table
from themes.ingest.responses import Response, Responses, RowStatus
from themes.privacy.names import MODEL_ID as NAMES_MODEL
from themes.privacy.names import mask_names, with_stand_ins
from themes.privacy.names import model_available as names_model_available
from themes.privacy.names import remember as remember_names
from themes.privacy.names import remembered as remembered_names

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """Where each input row ended up. Every row has exactly one."""

    THEMED = "themed"
    OUTLIER = "outlier"  # a real answer that fits no theme
    NON_ANSWER = "non_answer"
    EMPTY = "empty"
    DUPLICATE = "duplicate"  # a repeated submission by the same respondent
    PREVIEW = "preview"  # a survey preview or test response, not a real respondent


@dataclass(frozen=True)
class RowResult:
    """One input row's outcome. ``theme_id`` is its main theme; ``also`` the other themes a
    clause of it raises (``themes.analysis.mentions``)."""

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
        themes: discovered themes, largest first, then the 'nothing needs to change' group when
            there is one (``Theme.kind``); ``Theme.representatives`` are input row numbers.
        rows: one RowResult per input row, in file order.
        provenance: themes version, model id, resolved configuration, source, timings, counts.
    """

    question: str
    themes: tuple[Theme, ...]
    rows: tuple[RowResult, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def question_text(self) -> str:
        """The question as respondents read it: its full text where the export names the column
        by a short id (Qualtrics 'Q4_TEXT'), else the column name."""
        return str(self.provenance.get("question_label") or self.question)

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


def _masked(
    texts: list[str], cache: EmbeddingCache | None, read: Sequence[bool] | None = None
) -> list[str]:
    """The texts with names masked (the name model reads those ``read`` marks, or all); what it
    found is kept in the cache, so a re-run (a new process) does not read the answers again."""
    if cache is None or not names_model_available():
        return mask_names(texts, read)
    remember_names(cache.get_name_spans(NAMES_MODEL, texts))
    masked = mask_names(texts, read)
    known = remembered_names(texts)
    if known:
        cache.put_name_spans(NAMES_MODEL, known)
    return masked


def as_embedded(texts: Sequence[str], cache: EmbeddingCache | None) -> list[str]:
    """What the sentence model reads for each answer, as an analysis embeds it: plain text
    (``plain``), names masked (what the name model found is kept in ``cache``), then read as
    'someone'; for the review's later batches and suggestions, so that their vectors are the
    analysis's."""
    return list(_as_embedded(tuple(texts), cache))


@lru_cache(maxsize=4)
def _as_embedded(texts: tuple[str, ...], cache: EmbeddingCache | None) -> tuple[str, ...]:
    """``as_embedded``, kept for the last few sets of answers: suggestions are asked for again
    and again on one question's answers, and masking 5,000 answers' names takes ~0.45 s."""
    return tuple(with_stand_ins(_masked([plain(text) for text in texts], cache)))


def analysed(item: Response, takes_no: bool) -> bool:
    """Whether an answer goes to the analysis: every real answer, and, where the question asks
    what could change (``takes_no``), a bare "No" ("Nope", "Not really") that reading set aside
    as a non-answer: there it says nothing needs to change, and joins that group."""
    return item.status is RowStatus.TEXT or (
        takes_no and item.status is RowStatus.NON_ANSWER and said_no(item.text)
    )


def _through(embedder: Embedder, cache: EmbeddingCache | None) -> Embedder:
    """``embedder`` reading from and writing to ``cache`` on every call (prototypes, label
    candidates), so a re-run with everything cached never loads the model."""
    return embedder if cache is None else CachedEmbedder(embedder, cache)


def _fingerprint(responses: Responses) -> str:
    digest = hashlib.sha256()
    for item in responses.items:
        digest.update(item.respondent_id.encode() + b"\x1f" + item.text.encode() + b"\x1e")
    return digest.hexdigest()[:16]


def _with_no_change(
    found: ThemeModel,
    kept: np.ndarray,
    no_change: np.ndarray,
    texts: list[str],
    embeddings: np.ndarray,
    config: AnalysisConfig,
    asked: bool,
) -> ThemeModel:
    """The discovered themes (of the ``kept`` answers) spread back over every answer, with the
    answers that say nothing needs to change as one more group of their own (named 'Nothing to
    add' unless the question ``asked`` what could change)."""
    n = len(texts)
    assignments = [OUTLIER] * n
    similarity = [0.0] * n
    reassigned = [False] * n
    for i, position in enumerate(kept):
        assignments[position] = found.assignments[i]
        similarity[position] = found.similarity[i]
        reassigned[position] = found.reassigned[i]
    themes = [
        replace(t, representatives=tuple(int(kept[p]) for p in t.representatives))
        for t in found.themes
    ]
    members = np.flatnonzero(no_change)
    if len(members):
        group_id = max((t.id for t in found.themes), default=-1) + 1
        themes.append(
            group_theme(
                group_id,
                texts,
                members.tolist(),
                config.representatives_per_theme,
                LABEL if asked else NOTHING_TO_ADD,
            )
        )
        vectors = unit_rows(embeddings[members])
        centre = unit_rows(vectors.mean(axis=0, keepdims=True))[0]
        for position, sim in zip(members, vectors @ centre, strict=True):
            assignments[position] = group_id
            similarity[position] = round(float(sim), 4)
    return ThemeModel(
        tuple(themes), tuple(assignments), tuple(similarity), tuple(reassigned), found.details
    )


def analyse_responses(
    responses: Responses,
    config: AnalysisConfig | None = None,
    *,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
    labeller: Embedder | None = None,
) -> AnalysisResult:
    """Find themes in one question's answers. Every input row appears once in the result.

    ``embedder`` defaults to the configured model; ``cache`` (None) means no embedding cache.
    ``labeller`` (another model, e.g. the untuned one when ``embedder`` is tuned to a
    framework) finds "nothing to change" answers and chooses the themes' labels.
    """
    config = config or AnalysisConfig()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    embedder = embedder or make_embedder(config.model, config.batch_size)
    takes_no = asks_for_change(
        responses.label or responses.question, [r.text for r in responses.to_cluster]
    )
    clustered = tuple(r for r in responses.items if analysed(r, takes_no))
    texts = [r.text for r in clustered]
    timings["model_setup"] = time.perf_counter() - start

    start = time.perf_counter()
    sample = sample_positions(len(texts), config.fit_sample, config.seed)
    in_sample = None
    if sample is not None:  # the themes are found on these answers (and their names looked for)
        in_sample = np.zeros(len(texts), dtype=bool)
        in_sample[sample] = True
    said = [plain(text) for text in texts]  # markup never shapes or labels a theme
    masked = _masked(said, cache, None if in_sample is None else in_sample.tolist())  # nor do names
    timings["names"] = time.perf_counter() - start

    start = time.perf_counter()
    embedded = with_stand_ins(masked)  # nor shape one through the placeholder
    embeddings, newly_embedded = embed_texts(embedded, embedder, cache, scaled(progress, 0.0, 0.5))

    reader, read = embedder, embeddings
    if labeller is not None and labeller.model_id != embedder.model_id:
        reader = labeller
        read, _ = embed_texts(embedded, labeller, cache, scaled(progress, 0.5, 0.55))
    timings["embed"] = time.perf_counter() - start

    start = time.perf_counter()
    if is_quick(reader.model_id):  # the prototypes' threshold is on the sentence model's scale
        no_change = find_no_change(said, takes_no=takes_no)
    else:
        no_change = find_no_change(said, read, _through(reader, cache), takes_no=takes_no)
    kept = np.flatnonzero(~no_change)
    timings["no_change"] = time.perf_counter() - start

    start = time.perf_counter()
    kept_texts = [masked[i] for i in kept]
    kept_vectors = embeddings[kept]
    fit = np.arange(len(kept)) if in_sample is None else np.flatnonzero(in_sample[kept])
    fit_texts = [kept_texts[i] for i in fit]
    pieces = pieces_of(fit_texts, config.stories)  # stories are clustered by their sentences
    vectors, label_vectors = kept_vectors[fit], read[kept[fit]]
    if pieces.stories:
        sentences = with_stand_ins(story_texts(pieces))
        story_vectors, _ = embed_texts(
            sentences, embedder, cache, scaled(progress, 0.5, 0.55), what="sentences"
        )
        vectors = piece_vectors(pieces, kept_vectors[fit], story_vectors)
        if reader is not embedder:
            read_stories, _ = embed_texts(sentences, reader, cache, what="sentences")
            label_vectors = piece_vectors(pieces, read[kept[fit]], read_stories)
    timings["stories"] = time.perf_counter() - start

    start = time.perf_counter()
    found: ThemeModel = discover_themes(
        list(pieces.texts),
        vectors,
        config,
        _through(embedder, cache),
        scaled(progress, 0.55, 0.8),
        reductions=cache,
        label_space=None if reader is embedder else (label_vectors, _through(reader, cache)),
    )
    found, fit_also = fold(found, pieces)
    story = np.zeros(len(kept), dtype=bool)
    story[fit] = pieces.story
    story_also: list[tuple[int, ...]] = [()] * len(kept)
    for position, others in zip(fit, fit_also, strict=True):
        story_also[position] = others
    if in_sample is not None:
        floor = None if is_quick(config.model) else config.reassign_outliers
        found, new_id = place_rest(found, fit, kept_vectors, floor)
        story_also = [tuple(new_id[t] for t in others) for others in story_also]
    timings["discover"] = time.perf_counter() - start

    start = time.perf_counter()
    if config.also_mentions is None:
        found_also: tuple[tuple[int, ...], ...] = tuple(() for _ in kept)  # one theme each
        mention_details: dict[str, Any] = {"off": True}
    else:
        progress("Looking for answers that raise several themes", 0.8)
        mentions = find_mentions(  # stories already count in each theme their sentences raise
            [embedded[i] for i in kept],
            [OUTLIER if s else t for t, s in zip(found.assignments, story, strict=True)],
            kept_vectors,
            embedder,
            fit=config.also_mentions,
            cache=cache,
            progress=scaled(progress, 0.8, 1.0),
        )
        found_also, mention_details = mentions.also, mentions.details
        found_also = tuple(s or clause for s, clause in zip(story_also, found_also, strict=True))
    timings["mentions"] = time.perf_counter() - start
    model = _with_no_change(found, kept, no_change, texts, embeddings, config, takes_no)
    also: list[tuple[int, ...]] = [()] * len(texts)
    for position, others in zip(kept, found_also, strict=True):
        also[position] = others

    row_of_position = [r.row for r in clustered]
    themes = tuple(
        replace(t, representatives=tuple(row_of_position[p] for p in t.representatives))
        for t in model.themes
    )
    by_row = {r.row: i for i, r in enumerate(clustered)}
    rows: list[RowResult] = []
    for item in responses.items:
        if item.row not in by_row:
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
                    also[i],
                )
            )
    provenance = {
        "themes_version": package_version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": responses.source,
        "question": responses.question,
        "question_label": responses.label,
        "input_fingerprint": _fingerprint(responses),
        "model": embedder.model_id,
        "quick_look": is_quick(config.model),
        "embedding_runtime": getattr(embedder, "runtime_loaded", None),
        **({"engine": dict(used, name="ray")} if (used := getattr(embedder, "used", None)) else {}),
        **({"label_model": reader.model_id} if reader is not embedder else {}),
        "config": config.to_dict(),
        "discovery": model.details,
        "mentions": mention_details,
        "no_change": int(no_change.sum()),
        "no_change_takes_no": takes_no,  # a bare "No" says nothing needs to change (later batches)
        "names_model": names_model_available(),
        "newly_embedded": newly_embedded,
        "timings": {k: round(v, 3) for k, v in timings.items()},
    }
    log.info(
        "%s: %d answers, %d themes, %d stories by sentence; seconds per step: %s",
        responses.question,
        len(texts),
        sum(1 for t in themes if not t.kind),
        pieces.stories,
        ", ".join(f"{k} {v:.1f}" for k, v in timings.items()),
    )
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
