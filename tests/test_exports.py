"""Real survey-tool export layouts (fixtures mirror each tool's documented shape; see
tests/fixtures/exports/README.md), bad files, and random tables that must round-trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes import ConfigError, InputError, RowStatus, read_table, responses_from_table
from themes.ingest.reading import read_table_bytes

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
EXPECTED = json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8"))
GOOD = sorted(EXPECTED["files"])
BAD = EXPECTED["bad_files"]
BAD_MESSAGES = {
    "empty": "is empty",
    "no_data_rows": "no responses",
    "malformed_csv": "more cells than the header",
    "not_a_table": "not a survey export",
    "corrupt_xlsx": "not an Excel workbook",
    "encrypted_or_legacy_xls": "password-protected",
    "too_large": "zip bomb",
}


@pytest.mark.parametrize("name", GOOD)
def test_layout_is_recognised(name: str) -> None:
    expected = EXPECTED["files"][name]
    table = read_table(EXPORTS / name)
    assert table.tool == expected["format"]
    if expected.get("encoding"):
        assert table.encoding == expected["encoding"]
    assert table.columns == expected["columns"]
    assert len(table.frame) == expected["data_rows"]
    assert table.roles.id == expected["id_column"]
    # Typed "Other (please specify)" answers are free text too (SURVEY-FORMATS.md).
    free = set(expected["free_text_columns"]) | set(expected.get("other_text_columns", []))
    assert list(table.roles.free_text) == [c for c in table.columns if c in free]
    assert sorted(table.roles.multi_select) == sorted(expected["multi_select_columns"])
    for column in ("Start time", "Timestamp", "StartDate"):
        if column in table.columns:
            assert table.roles.role_of(column) == "metadata"
    for column in ("IPAddress", "Email", "Email address", "RecipientEmail"):
        if column in table.columns:
            assert table.roles.role_of(column) == "personal data"


@pytest.mark.parametrize("name", GOOD)
def test_text_is_decoded_and_every_row_accounted(name: str) -> None:
    expected = EXPECTED["files"][name]
    table = read_table(EXPORTS / name)
    column = expected["sample_text_column"]
    assert expected["sample_text"] in table.frame[column].tolist()
    first_free = table.roles.free_text[0]
    responses = responses_from_table(table, first_free)
    counts = responses.status_counts()
    assert sum(counts.values()) == len(table.frame) == table.row_counts()["rows"]
    assert counts["non_answer"] == expected["non_answers"]
    texts = [r.text for r in responses.items if r.status is RowStatus.TEXT]
    assert "- long waits" in " ".join(texts) or name.startswith(("qualtrics", "generic"))


def test_qualtrics_keeps_question_text_as_labels() -> None:
    table = read_table(EXPORTS / "qualtrics.csv")
    assert table.header_rows == 3 and table.first_data_row == 4
    assert table.labels["Q1"] == EXPECTED["files"]["qualtrics.csv"]["column_labels"]["Q1"]
    assert responses_from_table(table, "Q1").label == table.labels["Q1"]


def test_surveymonkey_groups_option_columns() -> None:
    table = read_table(EXPORTS / "surveymonkey.csv")
    assert table.header_rows == 2
    (question, columns), *_ = table.groups.items()
    assert all(c.startswith(question + " - ") for c in columns)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_get_a_clear_message(name: str) -> None:
    with pytest.raises(InputError) as info:
        read_table(EXPORTS / name)
    message = str(info.value)
    assert name in message
    assert BAD_MESSAGES[BAD[name]["kind"]] in message


def test_duplicate_submissions_are_counted_once() -> None:
    data = (
        b"Response ID,Comment,District\n1,More buses please,Stroud\n2,Parking is awful,Gloucester\n"
        b"1,More buses please,Stroud\n3,More buses please,Stroud\n,,\n"
    )
    table = read_table_bytes(data, "dups.csv")
    assert table.duplicate_of == {3: 1}  # respondent 3 said the same thing: not a duplicate
    assert table.blank_rows == (5,)
    assert table.row_counts() == {
        "rows": 5,
        "kept": 3,
        "blank": 1,
        "duplicate": 1,
        "preview": 0,
    }
    statuses = [r.status for r in responses_from_table(table, "Comment").items]
    assert statuses == [
        RowStatus.TEXT,
        RowStatus.TEXT,
        RowStatus.DUPLICATE,
        RowStatus.TEXT,
        RowStatus.EMPTY,
    ]


def test_same_respondent_with_different_answers_is_kept_and_noted() -> None:
    data = b"Response ID,Comment\n7,First thoughts on parking\n7,Second thoughts on buses\n"
    table = read_table_bytes(data, "twice.csv")
    assert table.duplicate_of == {}
    assert any("Respondent 7" in note for note in table.notes)


def test_forced_layout_and_unknown_layout() -> None:
    data = (EXPORTS / "generic_semicolon.csv").read_bytes()
    assert read_table_bytes(data, "x.csv", tool="generic").tool == "generic"
    with pytest.raises(ConfigError, match="format"):
        read_table_bytes(data, "x.csv", tool="nvivo")


cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_random_tables_round_trip_without_losing_or_inventing_rows(rows, encoding) -> None:
    rows = [[c.strip() for c in row] for row in rows]
    rows = [row for row in rows if any(row)] or [["a", "b", "c"]]
    header = ["respondent ref", "comment", "area"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    table = read_table_bytes(buffer.getvalue().encode(encoding), "random.csv")
    assert table.columns == header
    got = [[c.strip() for c in row] for row in table.frame.values.tolist()]
    assert got == rows
    assert sum(table.row_counts()[k] for k in ("kept", "blank", "duplicate")) == len(rows)
