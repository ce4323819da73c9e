"""Redaction: each identifier type, look-alikes left alone, the team's lists, and measured recall."""

from __future__ import annotations

import pytest

from themes.evaluation.redaction import STAFF_LIST, build_cases, evaluate_redaction
from themes.privacy.names import model_available
from themes.privacy.redact import Kind, RedactionSettings, nhs_number_valid, redact


def test_nhs_number_modulus_11() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("943476591")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at jo.bloggs@example.co.uk please", "email me at [email] please"),
        ("NHS no 943 476 5919.", "NHS no [NHS number]."),
        ("NHS no 943-476-5919", "NHS no [NHS number]"),
        ("ring 07700 900123 or (01452) 528555", "ring [phone] or [phone]"),
        ("+44 (0)20 7946 0018 is the ward", "[phone] is the ward"),
        ("I live at gl1 2ab near the park", "I live at [postcode] near the park"),
        ("Dr Patel and nurse Sarah were kind", "Dr [name] and nurse [name] were kind"),
        ("Thanks to Matron O'Brien and Dr.Smith-Jones", "Thanks to Matron [name] and Dr.[name]"),
    ],
)
def test_identifiers_are_replaced_by_typed_placeholders(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Waited 4 hours in A&E on 12/03/2024 from 10:30 until 14.45.",
        "Ward 10, bay 4; called 111 then 999.",
        "The GP said 0.5mg for 3-4 weeks; 1 in 10 people wait.",
        "Over 1,000 people; parking £12.50; the A38 and the M5.",
        "The Nurse Practitioner and the Practice Manager at the Surgery.",
        "We live in GL1.",
    ],
)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert redact(text).text == text


def test_failed_nhs_check_is_flagged_not_replaced() -> None:
    result = redact("my number is 943 476 5918")
    assert result.text == "my number is 943 476 5918"
    assert result.flags and "fails the NHS number check" in result.flags[0].reason


def test_team_lists_and_options() -> None:
    settings = RedactionSettings(names=("Sarah Jones", "Ward 7b"), keep=("Dr Foster",))
    result = redact("Sarah Jones on Ward 7b and the Dr Foster report", settings)
    assert result.text == "[name] on [name] and the Dr Foster report"
    assert [r.rule for r in result.redactions] == ["name list", "name list"]
    assert redact("We live in GL1.", RedactionSettings(outward_postcodes=True)).text == (
        "We live in [postcode]."
    )
    lower = redact("nurse sarah was lovely")
    assert lower.text == "nurse sarah was lovely" and lower.flags[0].text == "sarah"


def test_measured_recall_and_precision() -> None:
    cases = build_cases(per_kind=150, seed=7)
    scores, wrong, _ = evaluate_redaction(cases)
    by_kind = {s.kind: s for s in scores}
    for kind in (Kind.EMAIL, Kind.PHONE, Kind.NHS_NUMBER, Kind.POSTCODE):
        assert by_kind[kind].recall >= 0.99, kind
        assert by_kind[kind].precision >= 0.99, kind
    titled = [c for c in cases if c.group == "titled"]
    assert evaluate_redaction(titled)[0][-1].recall >= 0.85
    bare = [c for c in cases if c.group == "bare"]
    if model_available():  # spaCy's named-entity model finds names written alone
        assert len(wrong) <= 1  # of 270 look-alikes (place names the model takes for people)
        assert evaluate_redaction(bare)[0][-1].recall >= 0.6
    else:
        assert wrong == []
        assert evaluate_redaction(bare)[0][-1].recall == 0.0  # honest: rules cannot find these
    listed = evaluate_redaction(bare, RedactionSettings(names=STAFF_LIST))[0][-1]
    assert listed.recall == 1.0


def test_review_redaction_settings_reach_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from tests.test_review import Q, make_result
    from themes.project_ops import export_project
    from themes.review.edits import ALL_QUESTIONS, Edit
    from themes.review.store import ProjectStore

    store = ProjectStore(tmp_path / "p.sqlite")
    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    store.edit(info.id, Edit("mark_quote", Q, {"row": 8}), user="amy", version=0)
    store.edit(
        info.id,
        Edit("set_redaction", ALL_QUESTIONS, {"names": ["Hospital parking"], "keep": []}),
        user="amy",
        version=1,
    )
    export_project(store, info.id, tmp_path / "out")
    with (tmp_path / "out" / "themes.csv").open(encoding="utf-8-sig") as handle:
        quotes = [row["quotes"] for row in csv.DictReader(handle)]
    assert "[name] is too expensive" in " ".join(quotes)
    with (tmp_path / "out" / "responses.csv").open(encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["row"] == "8")
    assert row["response"] == "Hospital parking is too expensive"
    assert row["response_redacted"] == "[name] is too expensive"


def test_labels_keywords_and_codebook_never_publish_a_listed_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """40 short answers naming 'Dr Patel' (issue 17): whatever the analysis or a reviewer calls
    the theme, no published file carries the name once it is on the project's list."""
    import zipfile

    from themes.analysis.embedding import make_embedder
    from themes.analysis.workspace import survey_from_path
    from themes.project_ops import create_project, export_project, write_report
    from themes.review.edits import ALL_QUESTIONS, Edit
    from themes.review.store import ProjectStore

    places = ["Stroud", "Cheltenham", "Gloucester", "Tewkesbury"]
    rude = [f"Dr Patel at {places[i % 4]} was rude and dismissive ({i})" for i in range(40)]
    other = [
        f"The {w} at the surgery {v} every time I go ({i})"
        for i, (w, v) in enumerate(
            [
                ("parking", "costs too much"),
                ("phone line", "is engaged"),
                ("waiting room", "is cold"),
            ]
            * 14
        )
    ]
    lines = ["id,What could we do better?"] + [
        f'{i + 1},"{text}"' for i, text in enumerate(rude + other)
    ]
    export = tmp_path / "feedback.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    survey, _ = survey_from_path(export)
    store = ProjectStore(tmp_path / "p.sqlite")
    info = create_project(
        store,
        survey,
        "Names",
        framework="gloucestershire",
        embedder=make_embedder("hashing"),
        user="amy",
        cache=None,
    )
    state = store.state(info.id)
    question = state.info.questions[0]
    theme = next(
        t
        for t in state.questions[question].themes.values()
        if any(
            "Patel" in state.questions[question].answers[r].text
            for r in state.questions[question].members(t.id)
        )
    )
    version = state.version
    for edit in (
        Edit("rename", question, {"theme": theme.id, "label": "Dr Patel was rude and dismissive"}),
        Edit("define", question, {"theme": theme.id, "definition": "Answers about Dr Patel."}),
        Edit("set_group", question, {"themes": [theme.id], "group": "Patel and manners"}),
        Edit("set_redaction", ALL_QUESTIONS, {"names": ["Patel"], "keep": []}),
    ):
        store.edit(info.id, edit, user="amy", version=version)
        version += 1
    out = tmp_path / "out"
    written = [*export_project(store, info.id, out), *write_report(store, info.id, out)]
    published = {"themes.csv", "report.html", "report.docx", "codebook.qdc"}
    assert published <= {p.name for p in written}
    for path in written:
        if path.name not in published:
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                text = archive.read("word/document.xml").decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert "patel" not in text.lower(), path.name
    assert "[name] was rude and dismissive" in (out / "themes.csv").read_text(encoding="utf-8-sig")
