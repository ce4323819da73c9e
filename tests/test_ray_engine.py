"""The Ray engine (issue 21, item 3): answers embedded by model actors on a local Ray cluster
(started with 2 CPUs, as in CI), in order, with nothing lost when a worker dies, and the same
themes as the single process on the same fit sample."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.test_quick_look import _answers
from themes.analysis import ray_engine
from themes.analysis.embedding import HashingEmbedder, make_embedder
from themes.analysis.pipeline import analyse_responses
from themes.analysis.ray_engine import RayEmbedder, chosen_engine
from themes.core.config import AnalysisConfig
from themes.core.errors import ConfigError
from themes.ingest.responses import Response, Responses

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")


@pytest.fixture(scope="module")
def cluster() -> object:
    """A local Ray instance with 2 CPUs for this module's tests."""
    module = ray_engine.connect(num_cpus=2)
    yield module
    module.shutdown()


def _on_ray(**settings: object) -> RayEmbedder:
    embedder = HashingEmbedder(dimension=64)
    defaults: dict[str, object] = {"local_below": 0, "batch": 100, "workers": 2}
    return RayEmbedder(embedder, lambda: HashingEmbedder(dimension=64), **(defaults | settings))  # type: ignore[arg-type]


def test_the_engine_is_chosen_by_argument_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("THEMES_ENGINE", raising=False)
    assert chosen_engine() == "local"
    monkeypatch.setenv("THEMES_ENGINE", "Ray")
    assert chosen_engine() == "ray"
    assert chosen_engine("local") == "local"
    monkeypatch.setenv("THEMES_ENGINE", "spark")
    with pytest.raises(ConfigError, match="'spark'; use one of local, ray"):
        chosen_engine()


def test_without_ray_the_engine_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ray_engine, "ray_installed", lambda: False)
    with pytest.raises(ConfigError, match=r"pip install 'themes\[ray\]'"):
        make_embedder("hashing", engine="ray")
    assert isinstance(make_embedder("hashing", engine="local"), HashingEmbedder)
    with pytest.raises(ConfigError, match="at least 1 worker"):
        make_embedder("hashing", engine="ray", workers=0)


def test_a_cluster_address_that_does_not_answer_is_a_clear_error_at_once() -> None:
    from themes.analysis.ray_engine import _check_reachable

    with pytest.raises(ConfigError, match="Nothing answers at the Ray address 127.0.0.1:1"):
        _check_reachable("127.0.0.1:1")
    with pytest.raises(ConfigError, match="is not HOST:PORT"):
        _check_reachable("my-cluster")
    _check_reachable("auto")  # Ray's own discovery: nothing to check here


def test_small_calls_never_start_the_cluster() -> None:
    def refuse() -> HashingEmbedder:
        raise AssertionError("no actor should be made")

    embedder = RayEmbedder(HashingEmbedder(dimension=64), refuse)
    texts = ["parking", "nurses were kind", "parking"]
    assert np.array_equal(embedder.embed(texts), HashingEmbedder(dimension=64).embed(texts))
    assert embedder.used == {} and embedder.model_id == HashingEmbedder(dimension=64).model_id


@pytest.mark.slow
def test_vectors_come_back_in_order_with_every_text(cluster: object) -> None:
    texts = [f"{t} ({i % 7})" for i, t in enumerate(_answers(1_200))] + ["x" * 900, "", "a"]
    embedder = _on_ray()
    vectors = embedder.embed(texts)
    assert np.array_equal(vectors, HashingEmbedder(dimension=64).embed(texts))
    assert embedder.used == {"workers": 2, "address": "this machine"}
    assert embedder.runtime_loaded == "ray"
    from ray._common.usage import usage_lib

    assert not usage_lib.usage_stats_enabled()  # nothing reported online


@pytest.mark.slow
def test_a_killed_worker_loses_nothing(cluster: object, tmp_path: Path) -> None:
    marker = tmp_path / "killed-once"

    class DiesOnce(HashingEmbedder):
        def embed(self, texts, progress=lambda *_: None):  # type: ignore[no-untyped-def]
            if not marker.exists():  # the first batch anywhere kills its worker's process
                marker.write_text("killed")
                os._exit(1)
            return super().embed(texts, progress)

    texts = _answers(900)
    embedder = _on_ray(workers=1)
    embedder.factory = lambda: DiesOnce(dimension=64)
    vectors = embedder.embed(texts)
    assert marker.exists()  # a worker did die, and its batch was run again
    assert np.array_equal(vectors, HashingEmbedder(dimension=64).embed(texts))


@pytest.mark.slow
def test_the_same_themes_as_one_process_on_the_same_fit_sample(cluster: object) -> None:
    texts = _answers(400)
    responses = Responses(
        "q", tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts)), "test"
    )
    config = replace(AnalysisConfig(seed=3), fit_sample=150, layouts=1)
    here = analyse_responses(responses, config, embedder=HashingEmbedder(dimension=64))
    embedder = _on_ray()
    there = analyse_responses(responses, config, embedder=embedder)
    assert embedder.used["workers"] == 2
    assert there.provenance["engine"]["name"] == "ray"
    assert [(t.label, t.size, t.keywords) for t in there.themes] == [
        (t.label, t.size, t.keywords) for t in here.themes
    ]
    assert there.rows == here.rows
    assert len(there.rows) == 400 and there.provenance["discovery"]["fit_sample"] == 150


@pytest.mark.slow
@pytest.mark.model
def test_the_sentence_model_on_ray_gives_its_vectors(cluster: object) -> None:
    texts = _answers(700)
    engine = make_embedder("all-MiniLM-L6-v2", engine="ray", workers=2)
    assert isinstance(engine, RayEmbedder)
    engine.local_below = 0
    here = make_embedder("all-MiniLM-L6-v2", engine="local").embed(texts)
    there = engine.embed(texts)
    assert float(np.min(np.sum(here * there, axis=1))) > 0.9999
