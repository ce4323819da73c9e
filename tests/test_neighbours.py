"""The neighbour graph UMAP is given: exact up to APPROXIMATE_ABOVE answers, NN-descent above
(only reached when fit_sample is set above 100,000), seeded so the same answers give the same
graph, and close to the exact one."""

from __future__ import annotations

import numpy as np
import pytest

from themes.analysis import reduction


def _clustered(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(8, 32))
    points = centres[rng.integers(0, 8, size=n)] + 0.3 * rng.normal(size=(n, 32))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.slow
def test_above_the_threshold_the_graph_is_approximate_repeatable_and_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vectors = _clustered(1_500)
    exact_indices, exact_distances = reduction._nearest_neighbours(vectors, 10)
    monkeypatch.setattr(reduction, "APPROXIMATE_ABOVE", 1_000)
    indices, distances = reduction._nearest_neighbours(vectors, 10)
    again, _ = reduction._nearest_neighbours(vectors, 10)
    assert np.array_equal(indices, again)  # seeded: the same graph each time
    assert indices.shape == exact_indices.shape and distances.dtype == np.float32
    recall = np.mean(
        [len(set(a) & set(b)) / 10 for a, b in zip(indices, exact_indices, strict=True)]
    )
    assert recall > 0.9
    assert np.all(indices[:, 0] == np.arange(len(vectors)))  # each answer its own nearest
    # cached layouts made on one graph are never taken for the other's
    approximate_key = reduction.reduction_keys(vectors, 10, 5, [1])
    monkeypatch.setattr(reduction, "APPROXIMATE_ABOVE", 100_000)
    assert reduction.reduction_keys(vectors, 10, 5, [1]) != approximate_key


def test_the_matrix_graph_made_on_a_gpu_is_the_exact_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph a GPU makes (PyTorch's matrix product and top k, run here on the CPU) has the
    exact graph's neighbours and distances, in blocks too; on a GPU it stays exact at any size."""
    vectors = _clustered(700)
    exact_indices, exact_distances = reduction._nearest_neighbours(vectors, 10)
    monkeypatch.setattr(reduction, "KNN_BLOCK_MB", 1)  # 1 MB: blocks of 374 rows of 700
    indices, distances = reduction._matrix_neighbours(vectors * 3.0, 10, "cpu")  # any length
    assert indices.shape == exact_indices.shape and distances.dtype == np.float32
    assert all(set(a) == set(b) for a, b in zip(indices, exact_indices, strict=True))
    assert np.allclose(np.sort(distances, axis=1), np.sort(exact_distances, axis=1), atol=1e-5)
    assert np.all(indices[:, 0] == np.arange(len(vectors)))

    monkeypatch.setattr(reduction, "APPROXIMATE_ABOVE", 500)
    approximate_key = reduction.reduction_keys(vectors, 10, 5, [1])
    made_on: list[str] = []
    monkeypatch.setattr(reduction, "_knn_device", lambda: "cuda")
    monkeypatch.setattr(
        reduction,
        "_matrix_neighbours",
        lambda v, k, device: (made_on.append(device), (indices, distances))[1],
    )
    assert reduction._nearest_neighbours(vectors, 10)[0] is indices and made_on == ["cuda"]
    assert reduction.reduction_keys(vectors, 10, 5, [1]) != approximate_key  # exact: its own key
