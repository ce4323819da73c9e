"""Dimension reduction for discovery: UMAP layouts (seeded, on a cosine neighbour graph: exact up to
100,000 answers, NN-descent above), cached beside the embeddings so that re-running with other
theme settings skips them."""

from __future__ import annotations

import hashlib
import logging
import os
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np

from themes.analysis import compiled
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)


KNN_BLOCK_MB = 256
UMAP_EPOCHS = 200
"""UMAP's own choice above 10,000 points; below, its default of 500 doubled the time without
better agreement with human coding (eval/RESULTS.md)."""

APPROXIMATE_ABOVE = 100_000
"""Above this many answers (only when ``fit_sample`` is set that high: themes are found on at
most 50,000 by default) the neighbour graph is approximate (NN-descent) rather than exact, unless
it is made on a GPU."""


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
        graph = "exact" if _exact_graph(len(embeddings)) else "nndescent"
        settings = f"{embeddings.shape}|{graph}-cosine-knn|{neighbors}|{components}|0.0|{seed}"
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
    keys = reduction_keys(embeddings, neighbors, components, seeds)
    layouts: list[np.ndarray | None] = [
        cache.get_reduction(key) if cache is not None else None for key in keys
    ]
    todo = [i for i, found in enumerate(layouts) if found is None]
    if not todo:
        return [layout for layout in layouts if layout is not None]
    start = time.perf_counter()
    knn = _nearest_neighbours(embeddings, neighbors)
    timings["knn"] = time.perf_counter() - start
    start = time.perf_counter()
    workers = min(len(todo), layout_workers())
    done = 0

    def lay_out(i: int) -> np.ndarray:
        return _umap(embeddings, knn, neighbors, components, seeds[i])

    with warnings.catch_warnings():  # once around every thread: the filters are process-wide
        # We assign new responses ourselves, so UMAP's missing transform() index is expected.
        warnings.filterwarnings("ignore", message="precomputed_knn", category=UserWarning)
        if len(seeds) > 1:
            progress(f"Laying out the answers (0 of {len(seeds)})", 0.0)
        with ThreadPoolExecutor(max_workers=workers) as pool:  # numba releases the GIL
            for i, reduced in zip(todo, pool.map(lay_out, todo), strict=True):
                layouts[i] = reduced
                if cache is not None:
                    cache.put_reduction(keys[i], reduced)
                done += 1
                if len(seeds) > 1:
                    progress(f"Laying out the answers ({done} of {len(seeds)})", done / len(seeds))
    timings["reduce"] = time.perf_counter() - start
    return [layout for layout in layouts if layout is not None]


def layout_workers() -> int:
    """How many layouts are made at once: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _knn_device() -> str:
    """Where the neighbour graph is made: on the GPU the answers were embedded on (``cuda``),
    else the CPU. A machine without an NVIDIA driver answers without importing PyTorch."""
    from themes.analysis.runtime import chosen_runtime, embedding_device

    return embedding_device(chosen_runtime())


def _exact_graph(n: int) -> bool:
    """Whether ``n`` answers get the exact graph: always on a GPU, else up to
    ``APPROXIMATE_ABOVE``."""
    return n <= APPROXIMATE_ABOVE or _knn_device() == "cuda"


def _nearest_neighbours(embeddings: np.ndarray, neighbors: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosine kNN: (indices, distances); exact up to ``APPROXIMATE_ABOVE`` answers, or at any
    size on a GPU."""
    if (device := _knn_device()) == "cuda":
        return _matrix_neighbours(embeddings, neighbors, device)
    if len(embeddings) > APPROXIMATE_ABOVE:
        return _approximate_neighbours(embeddings, neighbors)
    from sklearn import config_context
    from sklearn.neighbors import NearestNeighbors

    knn = NearestNeighbors(n_neighbors=neighbors, metric="cosine", algorithm="brute")
    knn.fit(embeddings)
    # Distances in blocks of at most KNN_BLOCK_MB: at 20k answers this keeps the block at
    # 0.3 GB instead of scikit-learn's default 1.5 GB, and is no slower (bench/RESULTS.md).
    with config_context(working_memory=KNN_BLOCK_MB):
        distances, indices = knn.kneighbors(embeddings)
    return indices, np.maximum(distances, 0.0).astype(np.float32)


def _matrix_neighbours(
    embeddings: np.ndarray, neighbors: int, device: str
) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine kNN on ``device`` with PyTorch: the similarities a block of rows at a time
    (at most ``KNN_BLOCK_MB`` each), then the top k. On an H200 the same method took 0.08 s at
    50,000 answers (in blocks of 8,192 rows), against 31.5 s for scikit-learn on that machine's
    16 cores (bench/RESULTS.md)."""
    import torch

    vectors = torch.from_numpy(np.ascontiguousarray(embeddings, dtype=np.float32)).to(device)
    vectors = torch.nn.functional.normalize(vectors, dim=1)
    rows = max(1, (KNN_BLOCK_MB << 20) // (4 * len(vectors)))
    indices, distances = [], []
    for first in range(0, len(vectors), rows):
        similarity, index = (vectors[first : first + rows] @ vectors.T).topk(neighbors, dim=1)
        indices.append(index.cpu())
        distances.append((1.0 - similarity).clamp(min=0.0).cpu())
    return torch.cat(indices).numpy(), torch.cat(distances).numpy().astype(np.float32)


def _approximate_neighbours(
    embeddings: np.ndarray, neighbors: int
) -> tuple[np.ndarray, np.ndarray]:
    """Approximate cosine kNN by NN-descent (pynndescent, which UMAP itself uses), seeded and on
    one thread so the same answers give the same graph: the exact search grows with the square
    of the answers (32 s at 50,000, some 8 minutes at 200,000 on 2 cores)."""
    from pynndescent import NNDescent

    index = NNDescent(embeddings, n_neighbors=neighbors, metric="cosine", random_state=0, n_jobs=1)
    indices, distances = index.neighbor_graph
    return np.asarray(indices), np.maximum(np.asarray(distances), 0.0).astype(np.float32)


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
    return np.asarray(umap.fit_transform(embeddings), dtype=np.float32)
