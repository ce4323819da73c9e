"""The whole pipeline on the bundled sample with the fast fake embedder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import Q_ACCESS, SAMPLE
from themes import (
    AnalysisConfig,
    AnalysisResult,
    EmbeddingCache,
    HashingEmbedder,
    Outcome,
    Response,
    Responses,
    analyse_file,
    analyse_responses,
    read_results,
    read_table,
    responses_from_table,
    write_results,
)
from themes.ingest.prepare import classify

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return analyse_file(SAMPLE, Q_ACCESS, embedder=HashingEmbedder())


def test_every_row_is_accounted_for_once(result: AnalysisResult) -> None:
    table = read_table(SAMPLE)
    assert [r.row for r in result.rows] == list(range(1, len(table.frame) + 1))
    counts = result.counts()
    assert counts["total"] == len(table.frame)
    assert sum(counts[o.value] for o in Outcome) == counts["total"]
    assert sum(t.size for t in result.themes) == counts["themed"]
    for row, raw in zip(result.rows, table.frame[Q_ACCESS], strict=True):
        assert row.text == raw.strip()
        expected = {"empty": Outcome.EMPTY, "non_answer": Outcome.NON_ANSWER}.get(
            classify(raw).value
        )
        if expected:
            assert row.outcome is expected and row.theme_id is None
        else:
            assert row.outcome in (Outcome.THEMED, Outcome.OUTLIER)


def test_themes_are_sized_labelled_and_have_examples(result: AnalysisResult) -> None:
    ordinary = [t for t in result.themes if not t.kind]
    cap = result.provenance["discovery"]["max_themes"]
    added = sum(s["parts"] - 1 for s in result.provenance["discovery"]["split_catch_alls"])
    assert 3 <= len(ordinary) <= cap + added  # a split into three parts adds two themes
    assert all(t.kind == "no_change" for t in result.themes[len(ordinary) :])  # the group last
    sizes = [t.size for t in ordinary]
    assert sizes == sorted(sizes, reverse=True)
    assert [t.id for t in result.themes] == list(range(len(result.themes)))
    for theme in result.themes:
        assert theme.label and (theme.keywords or theme.kind == "no_change")
        assert theme.representatives
        for row in theme.representatives:
            assert result.row(row).theme_id == theme.id
        assert Counter(r.theme_id for r in result.rows)[theme.id] == theme.size
    assert result.counts()["outlier"] <= 0.4 * (
        result.counts()["themed"] + result.counts()["outlier"]
    )


def test_provenance_records_model_settings_and_input(result: AnalysisResult) -> None:
    p = result.provenance
    assert p["model"] == "hashing-512"
    assert p["config"]["seed"] == 42
    assert p["question"] == Q_ACCESS
    assert p["discovery"]["method"] == "umap+hdbscan"
    assert p["discovery"]["min_theme_size"] >= 10  # adapts to ~600 answers
    assert len(p["input_fingerprint"]) == 16
    # Five UMAP layouts were clustered and the themes are their consensus.
    assert p["discovery"]["layouts"] == 5
    assert 0.0 < p["discovery"]["layout_agreement"] <= 1.0
    assert 0 <= p["discovery"]["changed_by_consensus"] < len(result.rows)


def test_one_layout_can_be_asked_for() -> None:
    one = analyse_file(SAMPLE, Q_ACCESS, AnalysisConfig(layouts=1), embedder=HashingEmbedder())
    discovery = one.provenance["discovery"]
    assert discovery["layouts"] == 1
    assert discovery["layout_agreement"] == 1.0 and discovery["changed_by_consensus"] == 0
    assert one.themes and sum(1 for r in one.rows if r.theme_id is not None) > 0


def test_same_input_and_seed_give_identical_themes(result: AnalysisResult) -> None:
    again = analyse_file(SAMPLE, Q_ACCESS, embedder=HashingEmbedder())
    assert again.themes == result.themes
    assert again.rows == result.rows


def test_themes_are_gathered_under_broad_themes(result: AnalysisResult) -> None:
    from themes.analysis.broad_themes import broad_theme_count

    themes = [t for t in result.themes if not t.kind]  # the 'nothing to change' group stands apart
    groups = {t.group for t in themes}
    assert len(themes) >= 8 and "" not in groups
    assert 2 <= len(groups) <= broad_theme_count(len(themes))  # a group no theme chose is dropped
    assert result.provenance["discovery"]["broad_themes"] == len(groups)
    assert [broad_theme_count(n) for n in (5, 8, 16, 30, 40, 80)] == [0, 3, 4, 8, 10, 10]


def test_broad_groups_come_from_the_answers_not_from_which_themes_were_found() -> None:
    """Three regions of answers, each split into two or three themes: each theme goes to its
    region, and a theme more or less elsewhere changes no other theme's group."""
    from themes.analysis.broad_themes import answer_groups

    rng = np.random.default_rng(0)
    regions = np.eye(8)[:3] * 3
    points, themes = [], []
    for region, parts in enumerate((2, 3, 2)):
        for part in range(parts):
            centre = regions[region] + rng.normal(0, 0.3, 8)
            points.append(centre + rng.normal(0, 0.2, (40, 8)))
            themes += [10 * region + part] * 40
    unit = np.vstack(points)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    labels = np.array(themes)
    ids = sorted(set(themes))
    groups = answer_groups(ids, labels, unit, count=3, seed=1)
    by_region = {t // 10: set() for t in ids}
    for theme, group in zip(ids, groups, strict=True):
        by_region[theme // 10].add(int(group))
    assert all(len(g) == 1 for g in by_region.values())  # a region's themes stay together
    assert len({min(g) for g in by_region.values()}) == 3  # and regions stay apart
    merged = np.where(labels == 21, 20, labels)  # another seed found one theme fewer
    fewer = [t for t in ids if t != 21]
    again = answer_groups(fewer, merged, unit, count=3, seed=1)
    same = {t: g for t, g in zip(ids, groups, strict=True)}
    pairs = {(same[t], int(g)) for t, g in zip(fewer, again, strict=True)}
    assert len(pairs) == 3  # the same partition of the other themes, whatever the numbering


def test_broad_theme_keywords_ignore_words_found_in_no_theme() -> None:
    import warnings

    from sklearn.feature_extraction.text import CountVectorizer

    from themes.analysis.broad_themes import group_keywords

    vectorizer = CountVectorizer().fit(["parking cost", "dentist wait", "lovely weather"])
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", RuntimeWarning
        )  # no division by zero for 'lovely' and 'weather'
        words = group_keywords([["parking cost", "parking"], ["dentist wait"]], vectorizer)
    assert set(words[0]) == {"parking", "cost"} and set(words[1]) == {"dentist", "wait"}
    assert not {"lovely", "weather"} & set(words[0] + words[1])


def test_rerun_reuses_the_reduction_and_gives_the_same_themes(
    result: AnalysisResult, tmp_path: Path
) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = analyse_file(SAMPLE, Q_ACCESS, embedder=HashingEmbedder(), cache=cache)
    assert first.provenance["discovery"]["timings"]["reduce"] > 0
    again = analyse_file(SAMPLE, Q_ACCESS, embedder=HashingEmbedder(), cache=cache)
    assert again.provenance["discovery"]["timings"]["reduce"] == 0.0  # taken from the cache
    assert again.themes == first.themes == result.themes and again.rows == result.rows
    fewer = analyse_file(
        SAMPLE, Q_ACCESS, AnalysisConfig(max_themes=5), embedder=HashingEmbedder(), cache=cache
    )
    assert fewer.provenance["discovery"]["timings"]["reduce"] == 0.0  # same reduction
    assert len([t for t in fewer.themes if not t.kind]) <= 5  # a cap set by hand holds
    other_seed = analyse_file(
        SAMPLE, Q_ACCESS, AnalysisConfig(seed=7), embedder=HashingEmbedder(), cache=cache
    )
    assert other_seed.provenance["discovery"]["timings"]["reduce"] > 0  # a new reduction


def test_umap_functions_cache_their_compiled_code() -> None:
    import umap.layouts

    from themes.analysis import compiled

    assert compiled.enable() > 20
    assert compiled.enable() == compiled.enable()  # once per process
    assert umap.layouts._nb_optimize_layout_euclidean_single_epoch._cache.__class__.__name__ == (
        "FunctionCache"
    )


def test_results_round_trip_through_disk(result: AnalysisResult, tmp_path: Path) -> None:
    paths = write_results(result, tmp_path)
    assert {p.name for p in paths} == {"result.json", "themes.csv", "responses.csv"}
    back = read_results(tmp_path)
    assert back.themes == result.themes and back.rows == result.rows
    responses_csv = (tmp_path / "responses.csv").read_bytes()
    assert responses_csv.startswith(b"\xef\xbb\xbf")  # Excel-readable UTF-8
    assert responses_csv.count(b"\r\n") >= len(result.rows) + 1


def _responses(texts: list[str]) -> Responses:
    items = tuple(Response(i + 1, str(i + 1), t, classify(t)) for i, t in enumerate(texts))
    return Responses("q", items)


def test_small_inputs_are_handled() -> None:
    texts = (
        ["Parking at the hospital is awful"] * 4
        + ["More dentists taking NHS patients"] * 3
        + ["n/a", ""]
    )
    result = analyse_responses(_responses(texts), embedder=HashingEmbedder())
    assert result.provenance["discovery"]["method"].startswith("agglomerative")
    parking = {r.theme_id for r in result.rows[:4]}
    dentists = {r.theme_id for r in result.rows[4:7]}
    assert len(parking) == 1 and len(dentists) == 1 and parking != dentists
    assert [r.outcome for r in result.rows[7:]] == [Outcome.NON_ANSWER, Outcome.EMPTY]


@pytest.mark.parametrize(
    "texts", [[], ["", " "], ["n/a", "nothing"], ["One lone answer about buses"]]
)
def test_degenerate_inputs_never_lose_rows(texts: list[str]) -> None:
    result = analyse_responses(_responses(texts), embedder=HashingEmbedder())
    assert len(result.rows) == len(texts)
    assert result.counts()["total"] == len(texts)


def test_ten_identical_responses_share_a_theme() -> None:
    table = read_table(SAMPLE)
    base = responses_from_table(table, Q_ACCESS)
    extra = tuple(
        Response(
            len(base.items) + i + 1,
            f"dup{i}",
            "The car park at Gloucestershire Royal is far too expensive",
        )
        for i in range(10)
    )
    result = analyse_responses(base.with_items(base.items + extra), embedder=HashingEmbedder())
    themes = {r.theme_id for r in result.rows[-10:]}
    assert len(themes) == 1 and None not in themes


def test_warm_up_runs_discovery_on_made_up_data() -> None:
    from themes.analysis.discover import warm_up

    assert warm_up() > 0


def test_another_model_can_read_and_label_the_themes(result: AnalysisResult) -> None:
    """Themes found with one model (e.g. tuned to a framework) are labelled, and "nothing to
    change" answers found, with another (the model as shipped); the themes found stay the same."""
    responses = responses_from_table(read_table(SAMPLE), Q_ACCESS)
    same = analyse_responses(responses, embedder=HashingEmbedder(), labeller=HashingEmbedder())
    assert same.themes == result.themes and "label_model" not in same.provenance
    other = analyse_responses(
        responses, embedder=HashingEmbedder(), labeller=HashingEmbedder(dimension=256)
    )
    assert other.provenance["label_model"] == "hashing-256"
    assert other.provenance["model"] == result.provenance["model"]
    assert len(other.rows) == len(result.rows)
    assert all(t.label for t in other.themes)
    if other.provenance["no_change"] == result.provenance["no_change"]:
        assert [r.theme_id for r in other.rows] == [r.theme_id for r in result.rows]


def test_layouts_made_side_by_side_are_the_layouts_made_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from themes.analysis import compiled, reduction

    compiled.enable()
    vectors = np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)
    found = {}
    for workers in (1, 3):
        monkeypatch.setattr(reduction, "layout_workers", lambda w=workers: w)
        found[workers] = reduction.reduce_embeddings(vectors, 10, 5, [1, 1001, 2001])
    assert len(found[3]) == 3
    assert all(np.array_equal(a, b) for a, b in zip(found[1], found[3], strict=True))
    assert not np.array_equal(found[1][0], found[1][1])  # each seed its own layout
