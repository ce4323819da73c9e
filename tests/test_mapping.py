"""Mapping themes to framework items, coverage, and the evaluation command (fake embedder)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from themes import HashingEmbedder, Response, Responses, analyse_responses
from themes.cli import main
from themes.evaluation.mapping_scores import evaluate_mapping
from themes.frameworks.framework import parse_framework_toml
from themes.frameworks.mapping import choose_links, map_result
from themes.review.views import coverage_text

FRAMEWORK = parse_framework_toml(
    """
[framework]
name = "Test strategy"

[[items]]
id = "P1"
kind = "pillar"
name = "Dentists"
description = "NHS dentists and dental care"
examples = ["no NHS dentist taking patients", "dentist waiting list", "cannot find a dentist"]

[[items]]
id = "P2"
kind = "pillar"
name = "Parking"
description = "Hospital car parking"
examples = ["hospital car park too expensive", "no parking spaces at hospital"]
"""
)
TEXTS = (
    ["No NHS dentist taking new patients near me"] * 6
    + ["The hospital car park is too expensive"] * 6
    + ["I love the colour blue and summer holidays"] * 6
)


def _result():  # type: ignore[no-untyped-def]
    items = tuple(Response(i + 1, f"r{i + 1}", t) for i, t in enumerate(TEXTS))
    return analyse_responses(Responses("q", items), embedder=HashingEmbedder())


def test_choose_links_threshold_margin_and_none() -> None:
    scores = np.array([[0.5, 0.48, 0.1], [0.2, 0.1, 0.05], [0.6, 0.3, 0.59]])
    assert choose_links(scores, threshold=0.3, margin=0.04) == [[0, 1], [], [0, 2]]


def test_themes_link_to_the_right_item_or_to_none() -> None:
    result = _result()
    mapping = map_result(result, FRAMEWORK, HashingEmbedder(), threshold=0.2)
    theme_of = {r.text: r.theme_id for r in result.rows}
    dentists = mapping.links[theme_of[TEXTS[0]]]
    parking = mapping.links[theme_of[TEXTS[6]]]
    assert dentists and dentists[0].item_id == "P1" and dentists[0].source == "auto"
    assert parking and parking[0].item_id == "P2"
    assert "Closest framework text" in dentists[0].reason
    assert theme_of[TEXTS[12]] in mapping.unmapped_themes()  # fits no item: not forced
    assert len(mapping.respondents["P1"]) == 6 and len(mapping.respondents["P2"]) == 6
    text = coverage_text(result, FRAMEWORK, mapping)
    assert "P1 Dentists: 6 (33.3%)" in text
    assert "Themes that fit no item: " in text and "none" not in text.split("fit no item: ")[1]


def test_evaluation_reports_baseline_and_ours(tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    rows = ["text,labels"]
    rows += ["No NHS dentist near me,Dentists"] * 4 + ["Car park too expensive,Parking"] * 4
    rows += ["Dentist waiting list and parking,Dentists; Parking", "Something else,Unknown label"]
    path.write_text("\n".join(rows) + "\n")
    evaluation = evaluate_mapping(path, FRAMEWORK, HashingEmbedder(), threshold=0.1)
    assert evaluation.unknown_labels == {"Unknown label": 1}
    baseline, ours = evaluation.methods
    assert baseline.method.startswith("baseline") and ours.rows == 9 and ours.single_label_rows == 8
    assert ours.top1_accuracy == 1.0
    assert 0.0 <= ours.macro_f1 <= 1.0 and {c["category"] for c in ours.per_category} == {
        "Dentists",
        "Parking",
    }


def test_cli_evaluate_and_map(tmp_path: Path, capsys) -> None:
    framework = tmp_path / "fw.toml"
    framework.write_text(
        '[framework]\nname = "T"\n[[items]]\nid = "A"\nkind = "category"\nname = "Dentists"\n'
        'examples = ["NHS dentist"]\n'
    )
    labelled = tmp_path / "l.csv"
    labelled.write_text("text,labels\nNo NHS dentist,Dentists\nNHS dentist please,Dentists\n")
    assert (
        main(
            [
                "evaluate",
                str(labelled),
                "--framework",
                str(framework),
                "--model",
                "hashing",
                "--skip-themes",
            ]
        )
        == 0
    )
    assert "top-1 accuracy" in capsys.readouterr().out
    out = tmp_path / "out"
    csv_path = tmp_path / "survey.csv"
    csv_path.write_text("id,comment\n" + "".join(f"{i},{t}\n" for i, t in enumerate(TEXTS, 1)))
    assert (
        main(
            [
                "analyse",
                str(csv_path),
                "--text-column",
                "comment",
                "--model",
                "hashing",
                "-q",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert main(["map", str(out), "--framework", str(framework)]) == 0
    assert "A Dentists:" in capsys.readouterr().out


def test_the_nothing_to_change_group_is_not_a_theme_that_fits_no_item() -> None:
    from themes.frameworks.framework import load_framework
    from themes.frameworks.mapping import PillarMapping
    from themes.review.state import QuestionReview, ReviewTheme
    from themes.review.views import coverage_rows

    framework = load_framework("gloucestershire")
    group = ReviewTheme(1, "Nothing needs to change", kind="no_change")
    review = QuestionReview("q", {}, {0: ReviewTheme(0, "Parking"), 1: group}, {}, 2)
    mapping = PillarMapping("gloucestershire", "test", links={0: (), 1: ()}, respondents={})
    _, _, unmapped = coverage_rows(review, framework, mapping)
    assert unmapped == ["1. Parking"]


def test_a_predicted_item_no_human_used_is_a_false_positive() -> None:
    """Issue 20, item 5: categories came from the gold labels only, so predicting an item the
    humans never used cost nothing (micro F1 0.8 here before, 0.667 now)."""
    import numpy as np

    from themes.evaluation.mapping_scores import score_predictions

    gold = [{"A"}, {"A"}, {"B"}]
    scores = np.array([[0.9, 0.1, 0.1], [0.1, 0.1, 0.9], [0.1, 0.9, 0.1]])
    result = score_predictions("t", gold, scores, ["A", "B", "C"], threshold=0.5, margin=0.05)
    assert result.micro_f1 == 0.667
    assert [c["category"] for c in result.per_category] == ["A", "B"]  # items humans used
    assert result.macro_f1 == round((2 / 3 + 1.0) / 2, 3)  # the mean of unrounded F1s
