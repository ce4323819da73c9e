"""Theme discovery: BERTopic with injected parts, fed precomputed embeddings.

UMAP runs on an exact cosine k-nearest-neighbour graph (skipping pynndescent's slow compilation),
HDBSCAN's minimum theme size follows the data size, and the clusterer then merges themes beyond
``max_themes`` and gives outliers the nearest theme when they are similar enough. Small inputs skip
UMAP and use agglomerative clustering, which is stable on a few dozen points.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from themes.analysis.bertopic_import import import_bertopic
from themes.analysis.broad_themes import group_themes
from themes.analysis.coherence import coherence, is_loose, unit_rows
from themes.analysis.consensus import consensus
from themes.analysis.embedding import Embedder
from themes.analysis.labels import (
    choose_labels,
    label_candidates,
    mostly_named,
    shared_answer_labels,
    theme_label,
    writing_the_subject,
)
from themes.analysis.reduction import (
    PrecomputedReduction,
    ReductionStore,
    adaptive_layouts,
    layout_seeds,
    reduce_embeddings,
)
from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel
from themes.analysis.wordforms import KEYWORD_SPARE, repeats_a_word
from themes.core.config import AnalysisConfig
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

SMALL_INPUT = 60
"""Below this many texts, UMAP + HDBSCAN is unreliable: agglomerative clustering is used instead."""

FILLER_ADVERBS = frozenset(
    """honestly personally firstly secondly thirdly lastly basically obviously literally genuinely
    frankly""".split()
)
"""Words that say how an answer is put, not what it is about: never keywords, and dropped from the
front of an answer used as a label ('Thirdly early help for teenagers')."""

SURVEY_STOP_WORDS = FILLER_ADVERBS | frozenset(
    """would could should think really just also like get got getting lot lots thing things way bit
    quite im ive dont didnt doesnt cant wont isnt etc make want know feel said say says able
    maybe probably actually definitely especially sure need needs needed use used using
    makes made making gets goes went comes
    don didn doesn isn wasn aren weren won wouldn couldn shouldn haven hasn ve ll re""".split()
)
SERVICE_NUMBERS = ("111", "999")
"""Numbers that name a service ('NHS 111', 'called 999'): keywords, where other numbers are not."""
TOKEN_PATTERN = (
    r"(?u)\b[a-zA-Z][a-zA-Z-]*[a-zA-Z]\b|\b[a-zA-Z]&[a-zA-Z]\b|\b(?:"
    + "|".join(SERVICE_NUMBERS)
    + r")\b"
)


GIANT_CLUSTER = 0.4
"""HDBSCAN's 'excess of mass' selection sometimes returns one cluster holding most texts; when the
largest cluster holds more than this share, the finer 'leaf' selection is used instead."""


def adaptive_min_size(n: int) -> int:
    """Smallest theme size for ``n`` texts: about 0.6 x sqrt(n), from 5 to 200.

    150 texts -> 7, 600 -> 15, 5,000 -> 42, 50,000 -> 134.
    """
    return int(min(200, max(5, round(0.6 * math.sqrt(n)))))


def adaptive_max_themes(n: int) -> int:
    """The theme cap for ``n`` texts: about 2 x n^0.3, from 8 to 60 (300 -> 11, 2,400 -> 21,
    9,000 -> 31, 25,000 -> 42): a fixed cap is too few for large surveys and too many for small."""
    return int(min(60, max(8, round(2 * n**0.3))))


def adaptive_neighbors(n: int) -> int:
    """UMAP neighbourhood: 15, or fewer for tiny inputs."""
    return max(2, min(15, n - 1))


def centroids(embeddings: np.ndarray, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    """Theme ids (outliers excluded) and their unit-length mean embeddings."""
    ids = sorted(int(t) for t in set(labels.tolist()) if t != OUTLIER)
    if not ids:
        return [], np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    centres = np.vstack([embeddings[labels == t].mean(axis=0) for t in ids])
    return ids, unit_rows(centres)


def dissolve_named_themes(
    unit: np.ndarray,
    labels: np.ndarray,
    texts: Sequence[str],
    threshold: float | None,
    min_size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The labels once themes gathered around people named in the answers (``mostly_named``)
    are dissolved: each of their answers goes to the nearest other theme, as an outlier is
    placed (cosine to that theme's centre at least ``threshold``). With the names masked, what
    such answers share is often only naming someone; what each says besides ('[name] was so
    patient') belongs with the other answers that say it, and names must never shape a theme.
    Of the answers left, those that write their shared subject keep their theme when they are
    at least ``min_size`` (``writing_the_subject``: 'Dr [name] was rude and dismissive'); the
    rest are unassigned. Returns the new labels and the answers placed in other themes."""
    labels = np.asarray(labels).copy()
    placed = np.zeros(len(labels), dtype=bool)
    themes = sorted(int(t) for t in set(labels.tolist()) - {OUTLIER})
    members = {t: np.flatnonzero(labels == t) for t in themes}
    gathered = [t for t in themes if mostly_named([texts[int(i)] for i in members[t]])]
    if not gathered:
        return labels, placed
    rows = np.flatnonzero(np.isin(labels, gathered))
    before = labels[rows].copy()
    labels[rows] = OUTLIER
    ids, centres = centroids(unit, labels)
    if ids and threshold is not None:
        sims = unit[rows] @ centres.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(len(rows)), best] >= threshold
        labels[rows[ok]] = np.asarray(ids)[best[ok]]
        placed[rows[ok]] = True
    for theme in gathered:
        left = rows[(before == theme) & ~placed[rows]]
        kept = left[writing_the_subject([texts[int(i)] for i in left])]
        if len(kept) >= min_size:
            labels[kept] = theme
    return labels, placed


def bertopic_backend(embedder: Embedder) -> Any:
    """A BERTopic embedding backend over a themes Embedder, so BERTopic never picks a model."""
    from bertopic.backend import BaseEmbedder

    class ThemesBackend(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return embedder.embed(list(documents))

    return ThemesBackend(embedding_model=embedder)


class ThemeClusterer:
    """A BERTopic cluster model: base clustering, then merging and outlier reassignment.

    It receives the reduced vectors from BERTopic and keeps the full embeddings for similarity,
    so thresholds mean cosine similarity between responses. When nothing forms a cluster (a few
    unrelated answers), every text is left unassigned rather than forced into one theme. Given
    ``other_layouts`` (the same answers laid out with other UMAP seeds), it clusters each and
    keeps their consensus (``themes.analysis.consensus``), then splits catch-all themes
    (``split_catch_alls``), never beyond ``max_themes`` when ``hard_cap``, and dissolves themes
    gathered around people named in its ``texts`` (``dissolve_named_themes``).
    """

    def __init__(
        self,
        embeddings: np.ndarray,
        min_size: int,
        max_themes: int,
        reassign_threshold: float | None,
        small: bool,
        other_layouts: Sequence[np.ndarray] = (),
        hard_cap: bool = False,
        texts: Sequence[str] | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.texts = texts
        self.hard_cap = max_themes if hard_cap else None
        self.other_layouts = tuple(other_layouts)
        self.min_size = min_size
        self.max_themes = max_themes
        self.reassign_threshold = reassign_threshold
        self.small = small

    def _base_labels(self, reduced: np.ndarray) -> np.ndarray:
        n = reduced.shape[0]
        self.selection_ = "agglomerative" if self.small else "eom"
        if n < 2:
            return np.full(n, OUTLIER, dtype=int)
        if self.small:
            from sklearn.cluster import AgglomerativeClustering

            model = AgglomerativeClustering(
                n_clusters=None, distance_threshold=0.55, metric="cosine", linkage="average"
            )
            labels = model.fit(self.unit_).labels_.astype(int)
            sizes = np.bincount(labels)
            labels = np.where(sizes[labels] >= self.min_size, labels, OUTLIER)
        else:
            labels = self._hdbscan(reduced, "eom")
            clustered = labels[labels != OUTLIER]
            if not len(clustered) or np.bincount(clustered).max() > GIANT_CLUSTER * n:
                labels = self._hdbscan(reduced, "leaf")
        return labels

    def _hdbscan(self, reduced: np.ndarray, selection: str) -> np.ndarray:
        from hdbscan import HDBSCAN

        self.selection_ = selection
        model = HDBSCAN(
            min_cluster_size=self.min_size,
            min_samples=max(2, self.min_size // 3),
            metric="euclidean",
            cluster_selection_method=selection,
            # Its default of 4 jobs for core distances took twice as long as one on 2 cores
            # (50,000 answers: 6.0 s against 2.8 s), with the same clusters (bench/RESULTS.md).
            core_dist_n_jobs=1,
        )
        return np.asarray(model.fit(reduced).labels_, dtype=int)

    def _merge_to_max(self, labels: np.ndarray) -> np.ndarray:
        ids, centres = centroids(self.unit_, labels)
        if len(ids) <= self.max_themes:
            return labels
        from sklearn.cluster import AgglomerativeClustering

        groups = (
            AgglomerativeClustering(n_clusters=self.max_themes, metric="cosine", linkage="average")
            .fit(centres)
            .labels_
        )
        mapping = {theme: int(group) for theme, group in zip(ids, groups, strict=True)}
        return np.array([mapping.get(int(t), OUTLIER) for t in labels], dtype=int)

    def _one_layout(self, reduced: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int, str]:
        """Themes from one layout: labels, which were reassigned outliers, themes and outliers
        before merging and reassignment, and HDBSCAN's cluster selection."""
        labels = self._base_labels(np.asarray(reduced))
        base_themes = len(set(labels.tolist()) - {OUTLIER})
        base_outliers = int((labels == OUTLIER).sum())
        labels = self._merge_to_max(labels)
        reassigned = np.zeros(len(labels), dtype=bool)
        ids, centres = centroids(self.unit_, labels)
        if ids and self.reassign_threshold is not None:
            outliers = np.flatnonzero(labels == OUTLIER)
            if len(outliers):
                sims = self.unit_[outliers] @ centres.T
                best = sims.argmax(axis=1)
                ok = sims[np.arange(len(outliers)), best] >= self.reassign_threshold
                labels[outliers[ok]] = np.array(ids)[best[ok]]
                reassigned[outliers[ok]] = True
        return labels, reassigned, base_themes, base_outliers, self.selection_

    def fit(self, reduced: np.ndarray, y: Any = None) -> ThemeClusterer:
        started = time.perf_counter()
        self.unit_ = unit_rows(np.asarray(self.embeddings, dtype=np.float32))
        runs = [self._one_layout(r) for r in (reduced, *self.other_layouts)]
        agreed = consensus([r[0] for r in runs], [r[1] for r in runs])
        _, _, self.base_themes_, self.base_outliers_, self.selection_ = runs[agreed.chosen]
        self.labels_, self.split_ = split_catch_alls(
            self.unit_, agreed.labels, self.min_size, most=self.hard_cap
        )
        self.reassigned_ = agreed.reassigned
        if self.texts is not None:
            self.labels_, placed = dissolve_named_themes(
                self.unit_, self.labels_, self.texts, self.reassign_threshold, self.min_size
            )
            self.reassigned_ = self.reassigned_ | placed
        self.consensus_ = agreed
        self.fit_seconds_ = time.perf_counter() - started
        return self


def split_catch_alls(
    unit: np.ndarray,
    labels: np.ndarray,
    min_size: int,
    seed: int = 0,
    most: int | None = None,
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Split themes that hold many answers without earning it: a theme over CATCH_ALL_SHARE of
    the answers whose coherence is below the median theme's, or any theme far below the rest
    (under half the median), is divided by k-means (``SPLIT_INTO`` parts, on the full
    embeddings; a part under ``min_size`` joins the nearest part that is not) when at least two
    parts keep ``min_size`` answers and the parts are clearly more coherent (+0.05, weighted by
    size). With ``most``, splitting stops before the themes would outnumber it.
    Returns the new labels and what was split."""
    from sklearn.cluster import KMeans

    labels = np.asarray(labels).copy()
    scores = coherence(unit, labels)
    if len(scores) < 3:
        return labels, []
    median = float(np.median(list(scores.values())))
    n = len(labels)
    next_id = max(scores) + 1
    done: list[dict[str, Any]] = []
    for theme, score in sorted(scores.items(), key=lambda item: item[1]):
        members = np.flatnonzero(labels == theme)
        if not is_loose(score, median, len(members) / n) or len(members) < 2 * min_size:
            continue
        best: tuple[float, np.ndarray] | None = None
        for k in SPLIT_INTO:
            found = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(unit[members])
            parts = _small_parts_joined(unit[members], found, min_size)
            if parts is None:
                continue
            k = int(parts.max()) + 1
            sizes = np.bincount(parts, minlength=k)
            part_scores = _part_coherence(unit, members, parts, k)
            gain = float(np.dot(part_scores, sizes) / sizes.sum()) - score
            if gain >= 0.05 and (best is None or gain > best[0] + 0.02):
                best = (gain, parts)
        if best is None:
            continue
        gain, parts = best
        if most is not None and len(set(labels.tolist()) - {OUTLIER}) + int(parts.max()) > most:
            continue
        for part in range(1, int(parts.max()) + 1):
            labels[members[parts == part]] = next_id
            next_id += 1
        done.append({"size": int(len(members)), "coherence": score, "parts": int(parts.max()) + 1})
    return labels, done


SPLIT_INTO = (2, 3)
"""The numbers of parts tried when splitting a catch-all. (Four cut small themes of paraphrases
apart, 'The nurses were kind and attentive' from '... kind and helpful'.)"""


def _small_parts_joined(vectors: np.ndarray, parts: np.ndarray, min_size: int) -> np.ndarray | None:
    """The k-means ``parts`` of a theme, numbered from 0, the answers of each part under
    ``min_size`` moved to the nearest part that is not (a few repeated answers, 'cost of
    living' x 9, are too few for a theme but stop the rest from being told apart); None when
    fewer than two parts reach ``min_size``."""
    sizes = np.bincount(parts)
    kept = np.flatnonzero(sizes >= min_size)
    if len(kept) < 2:
        return None
    centres = unit_rows(np.vstack([vectors[parts == p].mean(axis=0) for p in kept]))
    nearest = (unit_rows(vectors) @ centres.T).argmax(axis=1)
    position = {int(p): i for i, p in enumerate(kept)}
    return np.array([position.get(int(p), int(n)) for p, n in zip(parts, nearest, strict=True)])


def _part_coherence(unit: np.ndarray, members: np.ndarray, parts: np.ndarray, k: int) -> np.ndarray:
    """Coherence of each k-means part of one theme, on the same scale as ``coherence``."""
    labels = np.full(len(unit), -1)
    labels[members] = parts
    scores = coherence(unit, labels)
    return np.array([scores[p] for p in range(k)])


def keyword_vectorizer(
    texts: Sequence[str], extra_stop_words: Sequence[str], stop_words: bool = True
) -> Any:
    """Counts words and the two-word phrases the answers write (``themes.analysis.terms``) for
    keywords: English and survey stop words, demographic words and placeholders left out (with
    ``stop_words``), plurals folded into one form (``themes.analysis.wordforms``)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from themes.analysis.terms import KeywordTerms
    from themes.analysis.wordforms import DEMOGRAPHIC_WORDS, PERSON_WORDS, WordForms

    stop = (
        ENGLISH_STOP_WORDS
        | SURVEY_STOP_WORDS
        | DEMOGRAPHIC_WORDS
        | PERSON_WORDS
        | {w.lower() for w in extra_stop_words}
        if stop_words
        else frozenset()
    )
    return CountVectorizer(
        analyzer=KeywordTerms(WordForms(texts), stop, TOKEN_PATTERN),
        min_df=2 if len(texts) >= 500 else 1,
    )


def discover_themes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    config: AnalysisConfig,
    embedder: Embedder | None = None,
    progress: ProgressFn = no_progress,
    reductions: ReductionStore | None = None,
    label_space: tuple[np.ndarray, Embedder] | None = None,
) -> ThemeModel:
    """Find themes in ``texts`` given their embeddings (one row per text, same order).

    ``label_space`` (the texts' vectors from another model, and that model) chooses the labels
    in that model's space instead: themes found with a model tuned to a framework are named as
    the untuned model reads them.

    ``reductions`` keeps reduced vectors between runs, so re-running on the same embeddings with
    the same UMAP settings (e.g. to ask for a different theme count) skips the reduction."""
    n = len(texts)
    if n == 0:
        return ThemeModel((), (), (), (), {"method": "none", "texts": 0})
    if embeddings.shape[0] != n:
        raise ValueError(f"{n} texts but {embeddings.shape[0]} embeddings")
    timings: dict[str, float] = {}
    small = n < SMALL_INPUT
    min_size = config.min_theme_size or adaptive_min_size(n)
    if small:
        min_size = min(min_size, 2)
    neighbors = min(config.n_neighbors or adaptive_neighbors(n), n - 1) if n > 2 else 2

    start = time.perf_counter()
    progress("Loading clustering libraries", 0.0)
    import_bertopic()
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    timings["import"] = time.perf_counter() - start
    umap_model: Any
    layouts: list[np.ndarray] = []
    if small:
        umap_model = BaseDimensionalityReduction()
    else:
        progress("Reducing dimensions", 0.1)
        layouts = reduce_embeddings(
            embeddings,
            neighbors,
            min(config.n_components, n - 2),
            layout_seeds(config.seed, config.layouts or adaptive_layouts(n)),
            cache=reductions,
            timings=timings,
            progress=lambda message, share: progress(message, 0.1 + 0.4 * share),
        )
        umap_model = PrecomputedReduction(layouts[0])

    clusterer = ThemeClusterer(
        embeddings,
        min_size,
        config.max_themes or adaptive_max_themes(n),
        config.reassign_outliers,
        small=small,
        other_layouts=layouts[1:],
        hard_cap=config.max_themes is not None,  # a cap set by hand holds; the adaptive one bends
        texts=texts,
    )
    topic_model = BERTopic(
        embedding_model=bertopic_backend(embedder) if embedder is not None else None,
        umap_model=umap_model,
        hdbscan_model=clusterer,
        vectorizer_model=keyword_vectorizer(texts, config.extra_stop_words),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=config.keywords_per_theme + KEYWORD_SPARE,
    )
    progress("Clustering", 0.5)
    start = time.perf_counter()
    try:
        topics, _ = topic_model.fit_transform(list(texts), embeddings=embeddings)
    except ValueError as exc:  # every word was a stop word: keep them rather than fail
        if "empty vocabulary" not in str(exc):
            raise
        topic_model.vectorizer_model = keyword_vectorizer((), (), stop_words=False)
        topics, _ = topic_model.fit_transform(list(texts), embeddings=embeddings)
    timings["cluster"] = clusterer.fit_seconds_
    timings["keywords"] = time.perf_counter() - start - clusterer.fit_seconds_

    progress("Labelling themes", 0.9)
    start = time.perf_counter()
    labels = np.asarray(topics, dtype=int)
    unit = clusterer.unit_
    ids, centres = centroids(unit, labels)
    all_sims = unit @ centres.T if ids else np.zeros((n, 0))
    similarity = np.zeros(n)
    for row, topic in enumerate(labels):
        if topic == OUTLIER:
            similarity[row] = float(all_sims[row].max()) if ids else 0.0
        else:
            similarity[row] = float(all_sims[row, ids.index(int(topic))])

    themes: list[Theme] = []
    central: list[list[str]] = []
    label_by_model = embedder is not None and len(ids) > 1  # chosen among candidates below
    for k, topic in enumerate(ids):
        members = np.flatnonzero(labels == topic)
        order = members[np.argsort(-all_sims[members, k], kind="stable")]
        reps: list[int] = []
        seen: set[str] = set()
        for row in order:
            key = " ".join(texts[row].lower().split())
            if key not in seen:
                seen.add(key)
                reps.append(int(row))
            if len(reps) >= config.representatives_per_theme:
                break
        words = topic_model.get_topic(topic) or []
        keywords = tuple(w for w, score in words if w and score > 0 and not repeats_a_word(w))[
            : config.keywords_per_theme
        ]
        member_texts = [texts[i] for i in order[:200]]
        central.append(member_texts)
        if label_by_model:
            label = ""  # chosen among candidates below
        elif keywords:
            label = theme_label(keywords, member_texts)
        else:
            label = f"Theme {topic + 1}"
        themes.append(
            Theme(
                id=topic,
                label=label,
                keywords=keywords,
                size=len(members),
                representatives=tuple(reps),
            )
        )
    if label_by_model and embedder is not None:
        answers = [
            shared_answer_labels(t.keywords, member_texts)
            for t, member_texts in zip(themes, central, strict=True)
        ]
        options = [
            label_candidates(t.keywords, member_texts, found)
            for t, member_texts, found in zip(themes, central, answers, strict=True)
        ]
        position = {topic: k for k, topic in enumerate(ids)}
        theme_of = np.array([position.get(int(topic), -1) for topic in labels])
        whole_answers = {label for found in answers for label in found}
        label_unit, label_centres, label_embed = unit, centres, embedder.embed
        if label_space is not None:
            label_unit = unit_rows(np.asarray(label_space[0], dtype=np.float64))
            label_centres = centroids(label_unit, labels)[1]
            label_embed = label_space[1].embed
        chosen = choose_labels(
            options,
            label_centres,
            label_embed,
            members=(label_unit, theme_of),
            movable=whole_answers,
        )
        themes = [
            replace(t, label=label or f"Theme {t.id + 1}")
            for t, label in zip(themes, chosen, strict=True)
        ]
    tightness = coherence(unit, labels)
    themes = [replace(t, coherence=tightness.get(t.id)) for t in themes]
    themes = group_themes(
        themes,
        ids,
        labels,
        unit,
        texts,
        topic_model,
        embed=embedder.embed if embedder is not None else None,
        seed=config.seed,
    )
    timings["label"] = time.perf_counter() - start
    details = {
        "method": "agglomerative (small input)" if small else "umap+hdbscan",
        "cluster_selection": clusterer.selection_,
        "texts": n,
        "min_theme_size": min_size,
        "n_neighbors": None if small else neighbors,
        "themes_before_merge": clusterer.base_themes_,
        "outliers_before_reassignment": clusterer.base_outliers_,
        "reassigned": int(clusterer.reassigned_.sum()),
        "max_themes": config.max_themes or adaptive_max_themes(n),
        "split_catch_alls": clusterer.split_,
        "layouts": len(layouts),
        "layout_agreement": clusterer.consensus_.agreement,
        "changed_by_consensus": clusterer.consensus_.changed,
        "broad_themes": len({t.group for t in themes if t.group}),
        "timings": timings,
    }
    return ThemeModel(
        themes=tuple(themes),
        assignments=tuple(int(t) for t in labels),
        similarity=tuple(round(float(s), 4) for s in similarity),
        reassigned=tuple(bool(r) for r in clusterer.reassigned_),
        details=details,
    )


"""Themes are gathered under broad themes only when there are at least this many."""


def warm_up() -> float:
    """Import the clustering libraries and compile their numba code on a small made-up input, so
    that a person's first analysis does not wait for it. Returns the seconds it took."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 32))
    vectors = np.vstack([c + 0.1 * rng.normal(size=(40, 32)) for c in centres])
    words = ["parking", "dentist", "nurse", "appointment"]
    texts = [f"{words[i // 40]} comment {i}" for i in range(len(vectors))]
    discover_themes(texts, unit_rows(vectors).astype(np.float32), AnalysisConfig())  # as real ones
    return time.perf_counter() - started
