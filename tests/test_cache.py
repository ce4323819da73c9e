from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from themes import EmbeddingCache, HashingEmbedder
from themes.analysis.cache import embed_texts


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts, progress=lambda m, f: None):  # type: ignore[no-untyped-def, override]
        self.seen.extend(texts)
        return super().embed(texts, progress)


def test_second_run_embeds_nothing(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    embedder = CountingEmbedder()
    texts = ["waiting lists", "parking", "waiting lists", "dentists"]
    first, new = embed_texts(texts, embedder, cache)
    assert new == 3 and len(embedder.seen) == 3  # duplicates embedded once
    second, new_again = embed_texts(texts, embedder, EmbeddingCache(tmp_path / "e.sqlite"))
    assert new_again == 0 and len(embedder.seen) == 3
    assert np.array_equal(first, second)
    assert np.array_equal(first[0], first[2])


def test_cache_is_keyed_by_model(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    embed_texts(["parking"], HashingEmbedder(dimension=64), cache)
    vectors, new = embed_texts(["parking"], HashingEmbedder(dimension=32), cache)
    assert new == 1 and vectors.shape == (1, 32)


def test_without_cache_and_empty_input() -> None:
    vectors, new = embed_texts([], HashingEmbedder(), None)
    assert new == 0 and len(vectors) == 0


@pytest.mark.slow
def test_a_rerun_with_everything_cached_never_calls_the_model(tmp_path: Path) -> None:
    """Answers, 'nothing to change' prototypes and label candidates all come from the cache the
    second time, so the model is not even loaded."""
    from tests.conftest import Q_IMPROVE, SAMPLE
    from themes import analyse_file

    class Counting(HashingEmbedder):
        calls = 0

        def embed(self, texts, progress=None):  # type: ignore[no-untyped-def]
            Counting.calls += 1
            return super().embed(texts)

    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = analyse_file(SAMPLE, Q_IMPROVE, embedder=Counting(), cache=cache)
    assert Counting.calls > 0
    Counting.calls = 0
    again = analyse_file(SAMPLE, Q_IMPROVE, embedder=Counting(), cache=cache)
    assert Counting.calls == 0
    assert again.themes == first.themes


def test_threads_opening_a_new_cache_at_once_do_not_lock_each_other_out(tmp_path: Path) -> None:
    """An analysis embeds in one thread while another reads names from the same new cache;
    switching a new file to write-ahead mode from both at once failed ('database is locked') in
    about one try in ten."""
    import threading

    failures: list[str] = []
    for trial in range(60):
        cache = EmbeddingCache(tmp_path / f"{trial}.sqlite")
        start = threading.Barrier(2)

        def work(writer: bool, cache: EmbeddingCache = cache, start: threading.Barrier = start):
            try:
                start.wait()
                if writer:
                    cache.put("m", ["an answer"], np.ones((1, 8), dtype=np.float32))
                else:
                    cache.get_name_spans("n", [str(i) for i in range(2000)])
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                failures.append(repr(error))

        threads = [threading.Thread(target=work, args=(w,)) for w in (True, False)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
