"""The quick look: themes found on a sample with every other answer placed in them, and (real
model) the static model distilled once from the packaged sentence model."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import Q_IMPROVE, REPO, SAMPLE
from themes.analysis.embedding import HashingEmbedder, make_embedder
from themes.analysis.pipeline import analyse_responses
from themes.analysis.quick_look import QUICK_SAMPLE, StaticEmbedder, is_quick, quick_config
from themes.analysis.sampling import FIT_SAMPLE, place_rest, sample_positions
from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel
from themes.core.config import AnalysisConfig
from themes.core.errors import ConfigError
from themes.ingest.responses import Response, Responses

WORDS = {
    "parking": ["parking", "car park", "spaces", "pay and display", "parked"],
    "nurses": ["nurses", "nurse", "caring", "kind", "lovely"],
    "food": ["food", "meals", "cold dinner", "tea", "menu"],
    "waiting": ["waiting", "waited hours", "queue", "delay", "long wait"],
}


def _answers(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    topics = list(WORDS)
    texts = []
    for i in range(n):
        words = WORDS[topics[i % len(topics)]]
        picked = rng.choice(len(words), size=3, replace=False)
        texts.append(f"{' and '.join(words[p] for p in picked)} number {i}")
    return texts


def test_the_sample_is_every_answer_until_the_size_and_is_drawn_by_the_seed() -> None:
    assert sample_positions(500, None, 1) is None
    assert sample_positions(500, 500, 1) is None
    unset = sample_positions(FIT_SAMPLE + 10, None, 1)  # above 50,000: a sample of 50,000
    assert unset is not None and len(unset) == FIT_SAMPLE
    first = sample_positions(1000, 100, 1)
    assert first is not None and len(first) == 100 and len(set(first.tolist())) == 100
    assert np.array_equal(first, np.sort(first))
    assert np.array_equal(first, sample_positions(1000, 100, 1))
    assert not np.array_equal(first, sample_positions(1000, 100, 2))


def test_answers_outside_the_sample_go_to_the_nearest_theme_or_none() -> None:
    axes = np.eye(3, dtype=np.float32)
    rng = np.random.default_rng(0)
    # sampled: 6 near axis 0 (theme 1), 3 near axis 1 (theme 0, the larger after placing)
    sampled = [axes[0] + 0.05 * rng.normal(size=3) for _ in range(6)]
    sampled += [axes[1] + 0.05 * rng.normal(size=3) for _ in range(3)]
    rest = [axes[1] + 0.01 * rng.normal(size=3) for _ in range(8)] + [axes[2]]
    vectors = np.vstack(sampled + rest)
    sample = np.arange(9)
    found = ThemeModel(
        (Theme(0, "Axis zero", ("a",), 6, (0, 1)), Theme(1, "Axis one", ("b",), 3, (6,))),
        (0,) * 6 + (1,) * 3,
        (0.99,) * 9,
        (False,) * 9,
        {"method": "test"},
    )
    model, new_id = place_rest(found, sample, vectors)
    assert new_id == {1: 0, 0: 1}  # axis one now holds 11 answers: numbered first
    assert [t.label for t in model.themes] == ["Axis one", "Axis zero"]
    assert [t.size for t in model.themes] == [11, 6]
    assert model.assignments[:9] == (1,) * 6 + (0,) * 3
    assert model.assignments[9:17] == (0,) * 8
    assert model.assignments[17] == OUTLIER  # far from both: left out, not forced
    assert model.themes[0].representatives == (6,)
    assert model.details["placed_from_outside_sample"] == 8
    assert model.details["left_outside_sample"] == 1
    assert len(model.similarity) == len(model.reassigned) == 18
    # a later batch's rule: a floor on the similarity itself (0.45 for the sentence model)
    strict, _ = place_rest(found, sample, vectors, floor=1.01)
    assert strict.assignments[9:] == (OUTLIER,) * 9
    loose, _ = place_rest(found, sample, vectors, floor=-1.0)
    assert OUTLIER not in loose.assignments


def test_the_setting_is_checked() -> None:
    assert AnalysisConfig(fit_sample=100).fit_sample == 100
    for bad in (10, 2.5, True, "1000"):
        with pytest.raises(ConfigError, match="fit_sample"):
            AnalysisConfig(fit_sample=bad)  # type: ignore[arg-type]


def test_quick_settings() -> None:
    config = quick_config(AnalysisConfig(seed=7))
    assert config.model == "all-MiniLM-L6-v2:quick" and is_quick(config.model)
    assert (config.layouts, config.stories, config.also_mentions) == (1, False, None)
    assert config.fit_sample == QUICK_SAMPLE and config.seed == 7
    assert quick_config(config) == config
    assert not is_quick("all-MiniLM-L6-v2")


@pytest.mark.slow
def test_an_analysis_on_a_sample_accounts_for_every_answer() -> None:
    texts = _answers(400)
    responses = Responses(
        "q", tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts)), "test"
    )
    config = replace(AnalysisConfig(seed=3), fit_sample=150, layouts=1, also_mentions=None)
    result = analyse_responses(responses, config, embedder=HashingEmbedder())
    assert len(result.rows) == 400
    themed = [r for r in result.rows if r.theme_id is not None]
    assert sum(t.size for t in result.themes) == len(themed)
    assert [t.size for t in result.themes] == sorted((t.size for t in result.themes), reverse=True)
    details = result.provenance["discovery"]
    assert details["fit_sample"] == 150
    assert details["placed_from_outside_sample"] + details["left_outside_sample"] == 250
    # answers placed from outside the sample sit with the answers they share words with
    for theme in result.themes:
        topics = {
            next(k for k, words in WORDS.items() if any(w in r.text for w in words))
            for r in result.rows
            if r.theme_id == theme.id
        }
        assert len(topics) == 1, (theme.label, topics)


@pytest.mark.model
@pytest.mark.slow
def test_the_static_model_is_distilled_once_and_embeds_by_meaning(tmp_path: Path) -> None:
    embedder = make_embedder("all-MiniLM-L6-v2:quick")
    assert isinstance(embedder, StaticEmbedder) and is_quick(embedder.model_id)
    vectors = embedder.embed(
        ["the car park is full", "nowhere to park my car", "the nurse was very kind"]
    )
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    folders = list((tmp_path / "cache" / "static-models").iterdir())
    assert len(folders) == 1 and (folders[0] / "config.json").is_file()
    # a second process loads it instead of distilling again, and the CLI labels the preview
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "themes", "analyse", str(SAMPLE), "--text-column", Q_IMPROVE,
         "--quick", "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "quick look" in run.stdout.lower() and "preview" in run.stdout.lower()
    assert "Making the quick-look model" not in run.stderr
    result = json.loads(next(out.rglob("result.json")).read_text())
    assert is_quick(result["provenance"]["model"]) and result["provenance"]["quick_look"] is True


@pytest.mark.slow
def test_a_quick_look_shows_hostile_answers_as_text() -> None:
    from themes.review.views import quick_look_markdown

    hostile = [
        '<form action="http://203.0.113.9/x"><input type="password"></form> parking | fees',
        "![pixel](http://203.0.113.9/p.png) parking charges\nare too high",
        "<img src=x onerror=alert(1)> parking spaces",
    ]
    texts = [hostile[i % 3] + f" {i}" for i in range(60)] + _answers(140)
    responses = Responses(
        "Q <b>1</b>", tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts)), "t"
    )
    config = quick_config(AnalysisConfig(model="hashing"))
    result = analyse_responses(responses, config, embedder=make_embedder(config.model))
    shown = quick_look_markdown([result])
    assert shown.startswith("**Quick look, a preview")
    assert "<form" not in shown and "<img" not in shown and "<b>" not in shown
    assert "![" not in shown and "&lt;form" in shown
    rows = [line for line in shown.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(result.themes)  # one line per theme: no answer breaks the table
    assert all(line.count(" | ") == 5 for line in rows)


def test_a_quick_look_is_never_made_a_project(tmp_path: Path) -> None:
    from themes.analysis.workspace import survey_from_path
    from themes.core.errors import InputError
    from themes.project_ops import create_project
    from themes.review.store import ProjectStore

    survey, _ = survey_from_path(SAMPLE)
    store = ProjectStore(tmp_path / "p.sqlite")
    with pytest.raises(InputError, match="preview"):
        create_project(
            store,
            survey,
            "Preview",
            framework="gloucestershire",
            embedder=make_embedder("hashing"),
            user="amy",
            config=quick_config(AnalysisConfig(model="hashing")),
        )
    assert store.projects() == []
