"""Theme discovery: BERTopic with injected parts, fed precomputed embeddings.

UMAP runs on an exact cosine k-nearest-neighbour graph (skipping pynndescent's slow compilation),
HDBSCAN's minimum theme size follows the data size, and the clusterer then merges themes beyond
``max_themes`` and gives outliers the nearest theme when they are similar enough. Small inputs skip
UMAP and use agglomerative clustering, which is stable on a few dozen points.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from themes.analysis import compiled
from themes.analysis.coherence import coherence, is_loose, unit_rows
from themes.analysis.consensus import consensus
from themes.analysis.embedding import Embedder
from themes.analysis.labels import choose_labels, label_candidates, theme_label
from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel
from themes.analysis.wordforms import repeats_a_word
from themes.core.config import AnalysisConfig
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

SMALL_INPUT = 60
"""Below this many texts, UMAP + HDBSCAN is unreliable: agglomerative clustering is used instead."""

SURVEY_STOP_WORDS = frozenset(
    """would could should think really just also like get got getting lot lots thing things way bit
    quite im ive dont didnt doesnt cant wont isnt etc make want know feel said say says able
    maybe probably actually definitely especially sure need needs needed use used using
    makes made making gets goes went comes
    don didn doesn isn wasn aren weren won wouldn couldn shouldn haven hasn ve ll re""".split()
)
KNN_BLOCK_MB = 256
UMAP_EPOCHS = 200
"""UMAP's own choice above 10,000 points; below, its default of 500 doubled the time without
better agreement with human coding (eval/RESULTS.md)."""
KEYWORD_SPARE = 4
"""Keywords asked for beyond those kept, so that dropping 'good good' and the like leaves enough."""
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z-]*[a-zA-Z]\b|\b[a-zA-Z]&[a-zA-Z]\b"


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
    (``split_catch_alls``), never beyond ``max_themes`` when ``hard_cap``.
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
    ) -> None:
        self.embeddings = embeddings
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
    (under half the median), is divided by k-means (k = 2 or 3, on the full embeddings) when every
    part keeps at least ``min_size`` answers and the parts are clearly more coherent (+0.05,
    weighted by size). With ``most``, splitting stops before the themes would outnumber it.
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
        for k in (2, 3):
            if len(members) < k * min_size:
                break
            parts = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(unit[members])
            sizes = np.bincount(parts, minlength=k)
            if sizes.min() < min_size:
                continue
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


def _part_coherence(unit: np.ndarray, members: np.ndarray, parts: np.ndarray, k: int) -> np.ndarray:
    """Coherence of each k-means part of one theme, on the same scale as ``coherence``."""
    labels = np.full(len(unit), -1)
    labels[members] = parts
    scores = coherence(unit, labels)
    return np.array([scores[p] for p in range(k)])


class ReductionStore(Protocol):
    """Somewhere to keep reduced vectors between runs (the embedding cache is one)."""

    def get_reduction(self, key: str) -> np.ndarray | None: ...

    def put_reduction(self, key: str, vectors: np.ndarray) -> None: ...


class PrecomputedReduction:
    """BERTopic's dimensionality step, handing back vectors reduced beforehand."""

    def __init__(self, reduced: np.ndarray) -> None:
        self.reduced = reduced

    def fit(self, embeddings: np.ndarray, y: Any = None) -> PrecomputedReduction:
        return self

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        if len(embeddings) != len(self.reduced):
            raise ValueError("these vectors were reduced for a different set of responses")
        return self.reduced


def reduction_keys(
    embeddings: np.ndarray, neighbors: int, components: int, seeds: Sequence[int]
) -> list[str]:
    """Names one reduction per seed: the exact embeddings (hashed once), the UMAP settings, the
    seed and UMAP's version."""
    from importlib.metadata import version

    vectors = hashlib.sha256(np.ascontiguousarray(embeddings, dtype=np.float32).tobytes())
    umap_version = version("umap-learn")
    keys = []
    for seed in seeds:
        digest = vectors.copy()
        settings = f"{embeddings.shape}|exact-cosine-knn|{neighbors}|{components}|0.0|{seed}"
        settings += f"|{UMAP_EPOCHS} epochs"
        digest.update(f"{settings}|umap {umap_version}".encode())
        keys.append(digest.hexdigest())
    return keys


def layout_seeds(seed: int, layouts: int) -> list[int]:
    """UMAP seeds for ``layouts`` layouts; the first is ``seed`` itself."""
    return [seed + 1000 * k for k in range(layouts)]


def adaptive_layouts(n: int) -> int:
    """How many UMAP layouts to combine: 5 up to 20,000 texts; one above, where each layout costs
    ~35 s (50k) and one layout already varies less with the seed (bench/RESULTS.md)."""
    return 5 if n <= 20_000 else 1


def reduce_embeddings(
    embeddings: np.ndarray,
    neighbors: int,
    components: int,
    seeds: Sequence[int],
    cache: ReductionStore | None = None,
    timings: dict[str, float] | None = None,
    progress: ProgressFn = no_progress,
) -> list[np.ndarray]:
    """One UMAP layout per seed, all on one exact cosine kNN graph (skipping pynndescent's slow
    compilation). The same embeddings, settings and seed always give the same vectors; those are
    reused from ``cache``."""
    timings = timings if timings is not None else {}
    timings["knn"] = timings["reduce"] = 0.0
    knn: tuple[np.ndarray, np.ndarray] | None = None
    layouts: list[np.ndarray] = []
    keys = reduction_keys(embeddings, neighbors, components, seeds)
    for number, (seed, key) in enumerate(zip(seeds, keys, strict=True), start=1):
        if cache is not None and (found := cache.get_reduction(key)) is not None:
            layouts.append(found)
            continue
        if len(seeds) > 1:
            progress(
                f"Laying out the answers ({number} of {len(seeds)})", (number - 1) / len(seeds)
            )
        if knn is None:
            start = time.perf_counter()
            knn = _nearest_neighbours(embeddings, neighbors)
            timings["knn"] = time.perf_counter() - start
        start = time.perf_counter()
        reduced = _umap(embeddings, knn, neighbors, components, seed)
        timings["reduce"] += time.perf_counter() - start
        if cache is not None:
            cache.put_reduction(key, reduced)
        layouts.append(reduced)
    return layouts


def _nearest_neighbours(embeddings: np.ndarray, neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine kNN: (indices, distances)."""
    from sklearn import config_context
    from sklearn.neighbors import NearestNeighbors

    knn = NearestNeighbors(n_neighbors=neighbors, metric="cosine", algorithm="brute")
    knn.fit(embeddings)
    # Distances in blocks of at most KNN_BLOCK_MB: at 20k answers this keeps the block at
    # 0.3 GB instead of scikit-learn's default 1.5 GB, and is no slower (bench/RESULTS.md).
    with config_context(working_memory=KNN_BLOCK_MB):
        distances, indices = knn.kneighbors(embeddings)
    return indices, np.maximum(distances, 0.0).astype(np.float32)


def _umap(
    embeddings: np.ndarray,
    knn: tuple[np.ndarray, np.ndarray],
    neighbors: int,
    components: int,
    seed: int,
) -> np.ndarray:
    compiled.enable()
    from umap import UMAP

    umap = UMAP(
        n_neighbors=neighbors,
        n_components=components,
        min_dist=0.0,
        metric="cosine",
        n_epochs=UMAP_EPOCHS,
        random_state=seed,
        n_jobs=1,
        precomputed_knn=(knn[0], knn[1], None),
    )
    with warnings.catch_warnings():
        # We assign new responses ourselves, so UMAP's missing transform() index is expected.
        warnings.filterwarnings("ignore", message="precomputed_knn", category=UserWarning)
        return np.asarray(umap.fit_transform(embeddings), dtype=np.float32)


def keyword_vectorizer(texts: Sequence[str], extra_stop_words: Sequence[str]) -> Any:
    """Counts words and two-word phrases for keywords: English and survey stop words, demographic
    words and placeholders left out, plurals folded into one form (``themes.analysis.wordforms``)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from themes.analysis.wordforms import DEMOGRAPHIC_WORDS, PERSON_WORDS, WordForms

    stop = sorted(
        ENGLISH_STOP_WORDS
        | SURVEY_STOP_WORDS
        | DEMOGRAPHIC_WORDS
        | PERSON_WORDS
        | {w.lower() for w in extra_stop_words}
    )
    return CountVectorizer(
        stop_words=stop,
        ngram_range=(1, 2),
        token_pattern=TOKEN_PATTERN,
        preprocessor=WordForms(texts),
        min_df=2 if len(texts) >= 500 else 1,
    )


def discover_themes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    config: AnalysisConfig,
    embedder: Embedder | None = None,
    progress: ProgressFn = no_progress,
    reductions: ReductionStore | None = None,
) -> ThemeModel:
    """Find themes in ``texts`` given their embeddings (one row per text, same order).

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
        topic_model.vectorizer_model = keyword_vectorizer((), ())
        topic_model.vectorizer_model.set_params(stop_words=None)
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
        options = [
            label_candidates(t.keywords, member_texts)
            for t, member_texts in zip(themes, central, strict=True)
        ]
        chosen = choose_labels(options, centres, embedder.embed)
        themes = [
            replace(t, label=label or f"Theme {t.id + 1}")
            for t, label in zip(themes, chosen, strict=True)
        ]
    tightness = coherence(unit, labels)
    themes = [replace(t, coherence=tightness.get(t.id)) for t in themes]
    themes = group_themes(
        themes,
        ids,
        centres,
        labels,
        unit,
        texts,
        topic_model,
        embed=embedder.embed if embedder is not None else None,
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


GROUPING_FROM = 8
"""Themes are gathered under broad themes only when there are at least this many."""


def broad_theme_count(n_themes: int) -> int:
    """How many broad themes for ``n_themes`` themes: about one per four, from 3 to 10; none
    below GROUPING_FROM. 8 -> 3 (rounded up to 3), 16 -> 4, 30 -> 8, 40 -> 10, 60 -> 10."""
    if n_themes < GROUPING_FROM:
        return 0
    return max(3, min(10, round(n_themes / 4)))


def group_keywords(documents: Sequence[Sequence[str]], vectorizer: Any, top: int = 8) -> list:
    """The most distinctive words of each group of texts against the other groups (c-TF-IDF, as
    BERTopic computes it for themes), best first."""
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = vectorizer.transform([" ".join(group) for group in documents])
    used = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() > 0)  # not only in outliers
    weights = (
        ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts[:, used]).toarray()
    )
    words = vectorizer.get_feature_names_out()[used]
    return [
        tuple(
            str(words[i])
            for i in np.argsort(-row, kind="stable")[: top + KEYWORD_SPARE]
            if row[i] > 0 and not repeats_a_word(str(words[i]))
        )[:top]
        for row in weights
    ]


def group_themes(
    themes: list[Theme],
    ids: list[int],
    centres: np.ndarray,
    labels: np.ndarray,
    unit: np.ndarray,
    texts: Sequence[str],
    topic_model: Any,
    embed: Callable[[list[str]], Any] | None = None,
) -> list[Theme]:
    """Gather themes under broad themes: Ward clustering of the themes' centres, each broad theme
    labelled from its own distinctive keywords and its most central answers (with ``embed``, the
    candidate label closest to its own centre against the other broad themes', as for themes).
    ``ids`` and ``centres`` are the themes' ids and unit centres (``centroids``), ``labels`` each
    text's theme."""
    count = broad_theme_count(len(themes))
    if not count:
        return themes
    from sklearn.cluster import AgglomerativeClustering

    by_id = {t.id: t for t in themes}
    groups = AgglomerativeClustering(n_clusters=count, linkage="ward").fit(centres).labels_
    members: dict[int, list[int]] = {}
    for theme_id, group in zip(ids, groups, strict=True):
        members.setdefault(int(group), []).append(theme_id)
    order = sorted(members, key=lambda g: -sum(by_id[t].size for t in members[g]))
    rows_of = {g: np.flatnonzero(np.isin(labels, members[g])) for g in order}
    keywords = group_keywords(
        [[texts[int(i)] for i in rows_of[g]] for g in order], topic_model.vectorizer_model
    )
    central_texts: list[list[str]] = []
    group_centres = []
    for group in order:
        rows = rows_of[group]
        centre = unit_rows(unit[rows].mean(axis=0, keepdims=True))[0]
        group_centres.append(centre)
        central = rows[np.argsort(-(unit[rows] @ centre), kind="stable")][:200]
        central_texts.append([texts[i] for i in central])
    if embed is not None:
        options = [
            label_candidates(words, central) if words else []
            for words, central in zip(keywords, central_texts, strict=True)
        ]
        chosen = choose_labels(options, np.vstack(group_centres), embed)
    else:
        chosen = [
            theme_label(words, central) if words else ""
            for words, central in zip(keywords, central_texts, strict=True)
        ]
    names: dict[int, str] = {}
    taken: set[str] = set()
    for group, name in zip(order, chosen, strict=True):
        name = name or by_id[max(members[group], key=lambda t: by_id[t].size)].label
        unique, number = name, 2
        while unique.lower() in taken:
            unique, number = f"{name} ({number})", number + 1
        taken.add(unique.lower())
        names[group] = unique
    group_of = {t: names[int(g)] for t, g in zip(ids, groups, strict=True)}
    return [replace(t, group=group_of.get(t.id, "")) for t in themes]


def warm_up() -> float:
    """Import the clustering libraries and compile their numba code on a small made-up input, so
    that a person's first analysis does not wait for it. Returns the seconds it took."""
    import time

    started = time.perf_counter()
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 32))
    vectors = np.vstack([c + 0.1 * rng.normal(size=(40, 32)) for c in centres])
    words = ["parking", "dentist", "nurse", "appointment"]
    texts = [f"{words[i // 40]} comment {i}" for i in range(len(vectors))]
    discover_themes(texts, unit_rows(vectors).astype(np.float32), AnalysisConfig())  # as real ones
    return time.perf_counter() - started
