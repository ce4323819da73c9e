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


def test_answers_about_named_staff_join_the_theme_of_what_they_say(
    embedder: SentenceTransformerEmbedder, tmp_path
) -> None:
    """With names masked, answers that name someone gathered in a theme of their own ('Named
    staff'); now those that say something join the theme of what they say, and a name alone is
    in no theme."""
    from themes.ingest.responses import Responses

    pairs = [("kind", "caring"), ("patient", "helpful"), ("gentle", "reassuring"),
             ("caring", "attentive"), ("kind", "friendly"), ("patient", "kind"),
             ("helpful", "caring"), ("reassuring", "kind")]  # fmt: skip
    said = [f"XXXX was so {a} and {b}" for a, b in pairs]
    bare = ["XXXX", "Thank you XXXX", "Thanks to XXXX", "XXXX and XXXX", "Thanks XXXX"]
    nurses = [
        f"The nurses were {a} and {b}"
        for a in ("kind", "caring", "patient", "gentle")
        for b in ("helpful", "friendly", "reassuring", "attentive")
    ]
    parking = [
        f"Parking {x}"
        for x in ("is too expensive", "costs far too much", "was impossible to find",
                  "spaces are always full", "charges are a rip off", "is a nightmare",
                  "is awful", "machines were broken", "took forty minutes to find",
                  "needs more disabled spaces", "fees are too high", "should be free")
    ]  # fmt: skip
    texts = said + bare + nurses + parking
    answers = tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts))
    result = analyse_responses(
        Responses("q", answers, "named.csv"),
        embedder=embedder,
        cache=EmbeddingCache(tmp_path / "e.sqlite"),
    )
    theme_of = [row.theme_id for row in result.rows]
    assert "Named staff" not in {theme.label for theme in result.themes}
    home = theme_of[len(said) + len(bare)]  # the nurses' theme
    assert all(t == home for t in theme_of[len(said) + len(bare) : -len(parking)])
    assert sum(t == home for t in theme_of[: len(said)]) >= 6
    # a name and nothing else belongs to no theme; thanking someone is still thanks
    assert theme_of[len(said)] is None and theme_of[len(said) + 3] is None
