"""Export shapes found in real files from the wild (issue 22) and hostile shapes of the same kind
(issue 17): each fixture in tests/fixtures/wild is written by make_wild.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from themes.cli import main
from themes.core.errors import InputError
from themes.ingest.limits import ReadLimits
from themes.ingest.reading import (
    choose_questions,
    read_table,
    read_table_bytes,
    responses_from_table,
)
from themes.ingest.responses import RowStatus

WILD = Path(__file__).parent / "fixtures" / "wild"
sys.path.insert(0, str(WILD))
from make_wild import FILES, inflated_sheet  # noqa: E402


def test_fixtures_are_what_the_generator_writes(tmp_path: Path) -> None:
    for name, build in FILES.items():
        assert (WILD / name).read_bytes() == build(), f"run make_wild.py: {name} is stale"


def test_untouched_microsoft_forms_xlsx_with_dimension_a1_is_read_whole() -> None:
    table = read_table(WILD / "msforms_dimension_a1.xlsx")
    assert table.tool == "msforms"
    assert len(table.frame) == 28
    assert table.roles.free_text == ("What could we do better?",)
    assert table.roles.role_of("Email") == "personal data"


def test_declared_dimension_is_not_trusted_the_other_way() -> None:
    with pytest.raises(InputError, match=r"row 1,048,576.*THEMES_MAX_ROWS"):
        read_table(WILD / "sparse_dimension.xlsx")


def test_limits_can_be_raised_and_are_named(monkeypatch) -> None:
    monkeypatch.setenv("THEMES_MAX_ROWS", "20")
    with pytest.raises(InputError, match="THEMES_MAX_ROWS"):
        read_table(WILD / "msforms_dimension_a1.xlsx")
    with pytest.raises(InputError, match="limit of 3 columns.*THEMES_MAX_COLUMNS"):
        read_table_bytes(b"a,b,c,d\n1,2,3,4\n", "wide.csv", limits=ReadLimits(columns=3))
    with pytest.raises(InputError, match="THEMES_MAX_CELLS"):
        read_table_bytes(b"a,b\n" + b"1,2\n" * 50, "many.csv", limits=ReadLimits(cells=40))
    monkeypatch.setenv("THEMES_MAX_ROWS", "lots")
    with pytest.raises(ValueError, match="THEMES_MAX_ROWS"):
        ReadLimits.from_env()


@pytest.mark.parametrize("shape", ["sparse", "inflated"])
def test_hostile_workbooks_are_refused_within_a_memory_cap(shape: str) -> None:
    """Under a 1 GB address-space cap (the sparse sheet took 4.5 GB before), each is refused
    with the limit named, not a MemoryError."""
    script = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
sys.path.insert(0, {str(WILD)!r})
from pathlib import Path
from themes.ingest.reading import read_table_bytes
from make_wild import inflated_sheet
data = (
    Path({str(WILD / "sparse_dimension.xlsx")!r}).read_bytes()
    if {shape!r} == "sparse"
    else inflated_sheet(400_000)
)
try:
    read_table_bytes(data, "hostile.xlsx")
except Exception as exc:
    print(type(exc).__name__, exc)
"""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.stdout.startswith("InputError"), run.stdout + run.stderr
    assert "over the limit" in run.stdout


def test_inflated_sheet_under_the_limits_is_read() -> None:
    table = read_table_bytes(inflated_sheet(2_000), "inflated.xlsx")
    assert len(table.frame) == 1_999


def test_legacy_surveymonkey_header_and_nul_bytes() -> None:
    table = read_table(WILD / "surveymonkey_legacy.csv")
    assert table.tool == "surveymonkey" and table.header_rows == 2
    assert table.roles.id == "RespondentID"
    assert "What could we do better?" in table.roles.free_text
    assert sorted(table.roles.multi_select) == [
        "Which services have you used? - GP practice",
        "Which services have you used? - NHS 111",
        "Which services have you used? - Pharmacy",
    ]
    assert not any("Response (" in c for c in table.columns)
    assert table.control_chars == 9
    assert any("9 of them NUL bytes" in note for note in table.notes)
    assert all("\x00" not in c for c in table.columns)


def test_a_file_that_is_mostly_control_bytes_is_still_refused() -> None:
    with pytest.raises(InputError, match="binary data"):
        read_table_bytes(b"a,b\n" + bytes(range(1, 9)) * 200, "junk.csv")


def test_forced_format_is_obeyed_with_a_note(tmp_path: Path) -> None:
    data = b"Question,Answer\nQ,Response\n1,Long waits at the surgery every single time\n"
    table = read_table_bytes(data, "plain.csv", tool="surveymonkey")
    assert table.tool == "surveymonkey" and table.header_rows == 2
    assert any("because that format was chosen" in note for note in table.notes)
    with pytest.raises(ValueError, match="format"):
        read_table_bytes(data, "plain.csv", tool="monkeysurvey")


def test_contact_details_are_personal_data_and_the_busiest_question_is_default() -> None:
    table = read_table(WILD / "googleforms_contacts.csv")
    roles = table.roles
    for column, words in (
        ("Contact information - Email", "email addresses"),
        ("Nominee for the staff award", "people's names"),
        ("Adresse IP", "IP addresses"),
        ("Telefon", "phone numbers"),
        ("Postcode", "postcodes"),
    ):
        assert roles.role_of(column) == "personal data", column
        assert words in roles.reason(column)
    assert roles.role_of("Your Instagram or Twitter link") == "metadata"
    assert roles.role_of("tokenGuid") == "metadata"
    assert roles.free_text == (
        "Anything else you would like to tell us?",
        "What could we do better?",
    )
    assert choose_questions(table) == ["What could we do better?"]  # 20 answers against 7


def test_demographics_from_short_names_and_option_sets_not_words_in_long_questions() -> None:
    table = read_table(WILD / "demographics_policy.csv")
    roles = table.roles
    assert roles.demographic == ("District", "Q12", "Q13")
    assert "age bands" in roles.reason("Q12") and "genders" in roles.reason("Q13")
    assert len(roles.single_choice) == 3  # the policy questions that mention District / belief


def test_multi_select_from_distinct_values_not_from_commas() -> None:
    table = read_table(WILD / "multiselect_commas.csv")
    assert table.roles.role_of("Where do you live?") == "single choice"
    assert table.roles.role_of("What matters most to you? (tick all that apply)") == "multi-select"
    assert table.roles.reason("What matters most to you? (tick all that apply)").startswith(
        "6 options"
    )


def test_qualtrics_timing_meta_and_preview_rows() -> None:
    table = read_table(WILD / "qualtrics_timing.csv")
    for column in ("Q1_First Click", "Q1_Page Submit", "Q1_Click Count", "Q2_BROWSER", "Q2_OS"):
        assert table.roles.role_of(column) == "metadata", column
    assert table.preview_rows == (1, 2, 3)
    assert table.row_counts()["preview"] == 3 and table.row_counts()["kept"] == 13
    responses = responses_from_table(table, "belief_open")
    assert responses.status_counts()["preview"] == 3
    assert [r.status for r in responses.items[:4]] == [RowStatus.PREVIEW] * 3 + [RowStatus.TEXT]
    assert responses.label.startswith("What do you believe")
    kept = read_table(WILD / "qualtrics_timing.csv", include_previews=True)
    assert kept.preview_rows == () and kept.row_counts()["kept"] == 16


def test_control_characters_are_removed_and_counted() -> None:
    table = read_table(WILD / "control_characters.csv")
    texts = table.frame["What could we do better?"].tolist()
    assert texts[1] == "Parking is awful\nthe machines never work"
    assert texts[4] == "Receptionist was rude and unhelpful[31m"
    assert table.control_chars == 4


def test_utf16_without_bom_is_read() -> None:
    table = read_table(WILD / "utf16_no_bom.csv")
    assert table.encoding == "utf-16-le" and len(table.frame) == 8
    forced = read_table(WILD / "utf16_no_bom.csv", encoding="utf-16-le")
    assert forced.frame.equals(table.frame)


def test_columns_command_says_why(capsys) -> None:
    assert main(["columns", str(WILD / "googleforms_contacts.csv")]) == 0
    out = capsys.readouterr().out
    assert (
        "[personal data] Contact information - Email  - 100% of values are email addresses" in out
    )
    assert "[free text] What could we do better?  - 20 distinct answers, median" in out
    assert main(["columns", str(WILD / "qualtrics_timing.csv"), "--include-previews"]) == 0
    assert "preview/test" not in capsys.readouterr().out


def test_one_windows_1252_line_does_not_garble_the_utf8_rest() -> None:
    data = (
        "id,comment\n1,Café was closed – £4 parking\n".encode()
        + "2,The nurse’s advice was clear\n".encode("cp1252")
        + "3,Naïve booking system\n".encode()
    )
    table = read_table_bytes(data, "mixed.csv")
    assert table.frame["comment"].tolist() == [
        "Café was closed – £4 parking",
        "The nurse’s advice was clear",
        "Naïve booking system",
    ]
    assert "1 line(s) read as Windows-1252" in table.encoding
    assert any("decoded on their own" in note for note in table.notes)
    plain = read_table_bytes("id,comment\n1,Café\n".encode("cp1252"), "old.csv")
    assert plain.encoding == "cp1252" and plain.frame["comment"].tolist() == ["Café"]


def test_a_file_with_thousands_of_text_columns_pre_ticks_only_the_busiest() -> None:
    from themes.analysis.workspace import PRETICKED, pre_ticked

    header = ",".join(f"Q{i}" for i in range(40))
    rows = [
        ",".join(
            f"Answer {r} to question {i} with enough words to be free text {'x' * (i % 7)}"
            if r < 3 + i % 5
            else ""
            for i in range(40)
        )
        for r in range(8)
    ]
    table = read_table_bytes(("\n".join([header, *rows]) + "\n").encode(), "wide.csv")
    assert len(table.roles.free_text) > PRETICKED
    ticked = pre_ticked(table)
    assert len(ticked) == PRETICKED
    assert list(ticked) == [c for c in table.roles.free_text if c in ticked]  # file order
