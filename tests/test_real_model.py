"""The real packaged model (all-MiniLM-L6-v2), on small inputs, asserting invariants."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import Q_IMPROVE, SAMPLE
from themes import (
    AnalysisResult,
    EmbeddingCache,
    Outcome,
    Response,
    SentenceTransformerEmbedder,
    analyse_responses,
    read_table,
    responses_from_table,
)

pytestmark = pytest.mark.model
DUPLICATE = "We need far more NHS dentists in the Forest of Dean"


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_paraphrase_is_closer_than_an_unrelated_sentence(
    embedder: SentenceTransformerEmbedder,
) -> None:
    a, paraphrase, unrelated = embedder.embed(
        [
            "It is impossible to get a GP appointment",
            "I can never book an appointment with my doctor",
            "The parks in Stroud are lovely in summer",
        ]
    )
    assert np.allclose(np.linalg.norm([a, paraphrase, unrelated], axis=1), 1.0, atol=1e-4)
    assert float(a @ paraphrase) > float(a @ unrelated) + 0.2
    assert embedder.dimension == 384


def test_int8_variant_is_a_separate_model_that_keeps_meaning(
    embedder: SentenceTransformerEmbedder,
) -> None:
    from themes import make_embedder

    fast = make_embedder("all-MiniLM-L6-v2:int8")
    assert fast.model_id != embedder.model_id and ":int8@" in fast.model_id  # cached apart
    texts = ["It is impossible to get a GP appointment", "The parks in Stroud are lovely"]
    full, small = embedder.embed(texts), fast.embed(texts)
    assert np.allclose(np.linalg.norm(small, axis=1), 1.0, atol=1e-4)
    assert (full * small).sum(axis=1).min() > 0.6  # close to the full model, not equal
    assert not np.allclose(full, small)


@pytest.fixture(scope="module")
def result(embedder: SentenceTransformerEmbedder, tmp_path_factory) -> AnalysisResult:
    base = responses_from_table(read_table(SAMPLE), Q_IMPROVE)
    extra = tuple(Response(len(base.items) + i + 1, f"extra{i}", DUPLICATE) for i in range(10))
    cache = EmbeddingCache(tmp_path_factory.mktemp("cache") / "e.sqlite")
    return analyse_responses(base.with_items(base.items + extra), embedder=embedder, cache=cache)


def test_ten_identical_responses_form_one_theme(result: AnalysisResult) -> None:
    themes = {r.theme_id for r in result.rows[-10:]}
    assert len(themes) == 1 and None not in themes
    theme = next(t for t in result.themes if t.id in themes)
    assert "dentist" in " ".join(theme.keywords).lower()


def test_every_response_is_accounted_for(result: AnalysisResult) -> None:
    counts = result.counts()
    assert counts["total"] == len(read_table(SAMPLE).frame) + 10
    assert sum(counts[o.value] for o in Outcome) == counts["total"]
    answered = counts["themed"] + counts["outlier"]
    assert counts["outlier"] <= 0.2 * answered
    assert 5 <= len(result.themes) <= 30
    assert result.provenance["model"].startswith("all-MiniLM-L6-v2@")


def test_cached_rerun_embeds_nothing_and_gives_the_same_themes(
    embedder: SentenceTransformerEmbedder, result: AnalysisResult, tmp_path
) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    base = responses_from_table(read_table(SAMPLE), Q_IMPROVE)
    extra = tuple(Response(len(base.items) + i + 1, f"extra{i}", DUPLICATE) for i in range(10))
    responses = base.with_items(base.items + extra)
    first = analyse_responses(responses, embedder=embedder, cache=cache)
    second = analyse_responses(responses, embedder=embedder, cache=cache)
    assert second.provenance["newly_embedded"] == 0
    assert first.themes == second.themes == result.themes


@pytest.mark.parametrize(
    ("texts", "item"),
    [
        (["Impossible to get a GP appointment", "Ringing the surgery at 8am is hopeless"], "P3.1"),
        (["Need more NHS dentists", "Cannot find an NHS dentist taking patients"], "P3.1"),
        (["Waited ten hours in A&E", "The ambulance took hours to come"], "P3.2"),
        (["My son has waited a year for CAMHS", "No help in a mental health crisis"], "P3.4"),
        (["Help people to stop smoking", "Kids vaping outside school"], "U2"),
        (["Cheaper healthy food and cooking classes", "More cycle paths and parks"], "P1"),
        (["Pay carers properly so they stay", "Not enough nurses, staff are exhausted"], "P2.3"),
    ],
)
def test_bundled_strategy_links_what_residents_write(
    embedder: SentenceTransformerEmbedder, texts: list[str], item: str
) -> None:
    """Face validity of the default framework and link settings on resident-style answers (a
    change of scoring or threshold once left most sample themes unlinked)."""
    from themes.frameworks.framework import load_framework
    from themes.frameworks.mapping import choose_links, embed_framework, score_matrix

    framework = load_framework()
    items = embed_framework(framework, embedder)
    scores = score_matrix(np.asarray(embedder.embed(texts)), items).mean(axis=0, keepdims=True)
    linked = [items.items[j].id for j in choose_links(scores)[0]]
    assert item in linked, (linked, texts)
