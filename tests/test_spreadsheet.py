"""Spreadsheet exports are safe against formula injection, in CSV and XLSX alike."""

from __future__ import annotations

import io

from themes.core.spreadsheet import csv_bytes, neutralise_formula, xlsx_bytes

DANGEROUS = ["=1+1", "+44 7700 900123", "-long waits", "@SUM(A1)", "\tTabbed", "\rReturn"]


def test_neutralise_formula_prefixes_every_trap() -> None:
    assert [neutralise_formula(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert neutralise_formula("Fine") == "Fine" and neutralise_formula(-3) == -3


def test_csv_has_bom_and_no_formulas() -> None:
    data = csv_bytes(["a"], [[v] for v in DANGEROUS])
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").split("\r\n")[1:]
    assert all(line.lstrip('"').startswith("'") for line in lines if line)


def test_xlsx_cells_are_text_never_formulas() -> None:
    from openpyxl import load_workbook

    data = xlsx_bytes({"Sheet": (["=header"], [[v, 3] for v in DANGEROUS])})
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "'=header"
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s" and str(row[0].value).startswith("'")
        assert row[1].value == 3
