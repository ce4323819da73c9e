"""Writing cells that spreadsheets will open: formula-injection safe, Excel-readable CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from themes.core.control_chars import clean

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Prefix text that Excel would run as a formula with an apostrophe (OWASP CSV injection).

    Numbers and other non-text values are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet can hold and will not run: control characters removed (an XLSX
    cannot store them), then formulas neutralised."""
    if isinstance(value, str):
        return neutralise_formula(clean(value))
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV as UTF-8 with a byte-order mark (so Excel shows £ and accents), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An Excel workbook, one sheet per entry (name -> header and rows), with the same formula
    neutralising as CSV; text cells are stored as text, never as formulas (openpyxl would store
    any string starting with '=' as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(["" if v is None else safe_cell(v) for v in row])
        for column in sheet.iter_cols():
            for cell in column:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            longest = max((len(str(c.value or "")) for c in column[:200]), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, longest + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
