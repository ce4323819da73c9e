from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import Q_ACCESS, Q_DIGITAL, Q_IMPROVE
from themes import InputError, RowStatus, guess_text_columns, read_table, responses_from_table

TEXT = "The café charged £5 – it’s too much"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("\ufeff" + f"id,comment\n1,{TEXT}\n".replace("\n", "\r\n"), "utf-8-sig"),
        (f"id,comment\n1,{TEXT}\n", "utf-8"),
    ],
)
def test_utf8_with_and_without_bom(write_csv, payload: str, expected: str) -> None:
    table = read_table(write_csv(payload))
    assert table.encoding == expected
    assert table.frame["comment"].tolist() == [TEXT]


def test_cp1252_from_excel(write_csv) -> None:
    table = read_table(write_csv(f"id,comment\n1,{TEXT}\n", encoding="cp1252"))
    assert table.encoding == "cp1252"
    assert table.frame["comment"].tolist() == [TEXT]


def test_utf16(write_csv) -> None:
    table = read_table(write_csv(f"id\tcomment\n1\t{TEXT}\n", encoding="utf-16"))
    assert (table.encoding, table.format) == ("utf-16", "tsv")
    assert table.frame["comment"].tolist() == [TEXT]


def test_encoding_override(write_csv) -> None:
    path = write_csv(f"id,comment\n1,{TEXT}\n", encoding="cp1252")
    with pytest.raises(InputError, match="not valid 'utf-8'"):
        read_table(path, encoding="utf-8")
    assert read_table(path, encoding="cp1252").frame["comment"][0] == TEXT


def test_literal_none_and_na_are_answers_not_missing(write_csv) -> None:
    table = read_table(write_csv('id,comment\n1,None\n2,NA\n3,""\n4,"Long, quoted\nanswer"\n'))
    responses = responses_from_table(table, "comment")
    assert [r.text for r in responses.items] == ["None", "NA", "", "Long, quoted\nanswer"]
    assert [r.status for r in responses.items] == [
        RowStatus.TEXT,  # "None": nothing needs to change, grouped by the analysis
        RowStatus.NON_ANSWER,
        RowStatus.EMPTY,
        RowStatus.TEXT,
    ]
    assert responses.status_counts() == {
        "text": 2,
        "non_answer": 1,
        "empty": 1,
        "duplicate": 0,
        "preview": 0,
    }


def test_xlsx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pd.DataFrame(
        {"Response ID": ["r1", "r2"], "Comment": ["More buses to Cinderford", "None"]}
    ).to_excel(buffer, index=False)
    path = tmp_path / "export.xlsx"
    path.write_bytes(buffer.getvalue())
    table = read_table(path)
    assert table.format == "xlsx"
    responses = responses_from_table(table, "Comment")
    assert [r.respondent_id for r in responses.items] == ["r1", "r2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x00\x01\x02binary\x00junk", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
        (b"PK\x03\x04 not really a zip", "could not be opened"),
    ],
)
def test_bad_files_get_clear_errors(write_csv, content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_table(write_csv(content))


def test_missing_file_and_size_limit(write_csv, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="over the"):
        read_table(write_csv("id,comment\n1,hello\n"), max_bytes=5)


def test_unknown_column_lists_available(write_csv) -> None:
    table = read_table(write_csv("id,comment\n1,hello\n"))
    with pytest.raises(InputError, match="Available columns: 'id', 'comment'"):
        responses_from_table(table, "Comments")


def test_ids_default_to_row_numbers_when_absent(write_csv) -> None:
    table = read_table(write_csv("comment\nhello\nworld\n"))
    assert [r.respondent_id for r in responses_from_table(table, "comment").items] == ["1", "2"]


def test_sample_questions_are_guessed(sample_path: Path) -> None:
    table = read_table(sample_path)
    assert set(guess_text_columns(table)) == {Q_IMPROVE, Q_ACCESS, Q_DIGITAL}
    assert len(table.frame) >= 600
