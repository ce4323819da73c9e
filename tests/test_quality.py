"""`themes evaluate` for theme quality: agreement with human labels, unassigned share, purity,
stability across seeds, beside plain BERTopic."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from themes.analysis.embedding import make_embedder
from themes.cli import main
from themes.evaluation.theme_quality import evaluate_themes

TOPICS = {
    "Dentists": ["NHS dentist", "dental appointment", "dentist waiting list", "tooth pain dentist"],
    "Parking": [
        "hospital car park",
        "parking charges",
        "parking spaces",
        "pay and display parking",
    ],
    "Staff": ["kind nurses", "friendly staff", "caring doctors", "helpful receptionist"],
}


def labelled_csv(tmp_path: Path, per_label: int = 40) -> Path:
    rng = random.Random(0)
    lines = ["text,label"]
    for label, phrases in TOPICS.items():
        for i in range(per_label):
            extra = rng.choice(["really", "so", "very", "always", "again", "today"])
            lines.append(f"{rng.choice(phrases)} {extra} {rng.choice(phrases)} {i},{label}")
    lines.append("n/a,Staff")  # a non-answer is not themed, by design
    lines.append("Dentist and parking,Dentists; Parking")  # multi-label: left out by default
    path = tmp_path / "labelled.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def evaluate_cli(path: Path, *options: str) -> int:
    """``themes evaluate`` on a labelled CSV with the hashing model and no baseline."""
    return main(
        ["evaluate", str(path), "--label-column", "label", "--model", "hashing", "--no-baseline"]
        + list(options)
    )


@pytest.mark.slow
def test_agreement_purity_and_stability(tmp_path: Path) -> None:
    report = evaluate_themes(
        labelled_csv(tmp_path), make_embedder("hashing"), seeds=(1, 2), baseline=True
    )
    assert report.rows == 120 and report.labels == 3
    ours = [r for r in report.runs if r.method == "themes"]
    plain = [r for r in report.runs if r.method == "plain BERTopic"]
    assert len(ours) == 2 and len(plain) == 2
    for run in ours:
        assert 0.5 <= run.nmi_assigned <= 1.0 and run.homogeneity_assigned > 0.5
        assert 0.0 <= run.unassigned <= 0.5
        assert run.purity and all(0 < share <= 1 for _, _, _, share in run.purity)
    assert set(report.stability) == {"themes", "plain BERTopic"}
    mean, low, fewest, most = report.stability["themes"]
    assert -1 <= low <= mean <= 1 and fewest <= most


@pytest.mark.slow
def test_cli_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = labelled_csv(tmp_path, per_label=25)
    assert evaluate_cli(path) == 0
    out = capsys.readouterr().out
    assert "75 labelled answers, 3 human labels" in out
    assert "NMI" in out and "Purity of the themes" in out
    assert main(["evaluate", str(path), "--label-column", "label", "--seeds", "x"]) == 1


@pytest.mark.slow
def test_broad_themes_are_scored_against_coarser_labels(tmp_path: Path) -> None:
    groups = {
        "Teeth": ["dentist filling", "dentist braces", "dentist crown"],
        "Travel": ["parking charges", "bus timetable", "taxi fares"],
        "Care": ["nurse kindness", "doctor listening", "carer visits"],
    }
    rng = random.Random(1)
    lines = ["text,label,major"]
    for major, topics in groups.items():
        for topic in topics:
            for i in range(25):
                extra = rng.choice(["really", "so", "very", "always", "again", "today"])
                lines.append(f"{topic} {extra} {topic} {i},{topic},{major}")
    path = tmp_path / "two-level.csv"
    path.write_text("\n".join(lines) + "\n")
    report = evaluate_themes(
        path, make_embedder("hashing"), seeds=(1,), baseline=False, group_column="major"
    )
    assert report.group_column == "major" and report.groups == 3
    (fine,) = [r for r in report.runs if r.method == "themes"]
    (broad,) = [r for r in report.runs if r.method == "themes, broad"]
    assert fine.themes >= 8 and broad.themes == 3
    assert broad.nmi_assigned > 0.5  # the broad themes follow the coarser labels


def test_resamples_leave_out_one_percent_the_same_for_every_seed() -> None:
    from themes.evaluation.theme_quality import _resample_rows

    kept = _resample_rows(250, 1)
    assert len(kept) == 250 - 2 and list(kept) == sorted(kept)  # 1% of 250, in order
    assert list(kept) == list(_resample_rows(250, 1))
    assert list(kept) != list(_resample_rows(250, 2))
    assert len(_resample_rows(30, 1)) == 29  # at least one left out


@pytest.mark.slow
def test_resamples_give_the_spread_of_each_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = labelled_csv(tmp_path)
    report = evaluate_themes(
        path, make_embedder("hashing"), seeds=(1, 2), baseline=False, resamples=2
    )
    full = [r for r in report.runs if not r.resample]
    again = [r for r in report.runs if r.resample]
    assert [r.seed for r in full] == [1, 2] and len(again) == 4
    assert {len(r.assignments) for r in full} == {120}
    assert {len(r.assignments) for r in again} == {119}  # 1% of 120, at least one
    assert all(r.checks is not None for r in again)
    assert set(report.stability) == {"themes"}  # between the seeds' full runs only
    assert evaluate_cli(path, "--seeds", "1,2", "--resamples", "1") == 0
    out = capsys.readouterr().out
    assert "spread, themes (4 runs: 2 seeds x the full set and 1 resamples" in out
    assert out.count("\nthemes ") == 2  # the table shows the full runs; the spread sums up all
    with pytest.raises(SystemExit):
        main(["evaluate", str(path), "--label-column", "label", "--resamples", "-1"])
    assert "expected a whole number of 0 or more, got '-1'" in capsys.readouterr().err
