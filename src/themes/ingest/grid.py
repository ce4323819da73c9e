"""A file's rows, read one at a time into a grid of strings: bounded by ``ReadLimits`` as they
arrive (never after the whole file is in memory), with control characters removed and counted."""

from __future__ import annotations

from collections.abc import Sequence

from themes.core import control_chars
from themes.core.errors import over_limit
from themes.ingest.limits import ENV_CELLS, ENV_COLUMNS, ENV_ROWS, ReadLimits

Grid = list[list[str]]
_NO_CELLS: list[str] = []
_BLANK_ROW = [""]


def column_letters(index: int) -> str:
    """Spreadsheet column letters of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class GridBuilder:
    """Collects rows; blank rows are only stored when content follows them, so a stray cell far
    below the data is refused by its row number without storing the blank rows above it.

    A row with no cells at all (an empty line of a CSV) is kept as ``[]``, which is not a data
    row; a row whose cells are all empty is kept as ``[""]``, a blank response row.
    """

    def __init__(self, source: str, limits: ReadLimits) -> None:
        self.source = source
        self.limits = limits
        self.grid: Grid = []
        self.cells = 0
        self.control_chars = 0
        self.cells_cleaned = 0
        self.nul_bytes = 0
        self._pending: list[list[str]] = []
        self._rows_seen = 0

    def add(self, cells: Sequence[str]) -> None:
        """Add the next row of the file (its cells as strings; trailing empty cells are dropped)."""
        self._rows_seen += 1
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        if width == 0:
            self._pending.append(_NO_CELLS if not cells else _BLANK_ROW)
            return
        row_number = self._rows_seen
        if row_number > self.limits.rows:
            raise over_limit(
                self.source,
                "rows",
                f"has content in row {row_number:,}",
                self.limits.rows,
                ENV_ROWS,
            )
        if width > self.limits.columns:
            raise over_limit(
                self.source,
                "columns",
                f"has content in column {column_letters(width)} ({width:,}) of row {row_number:,}",
                self.limits.columns,
                ENV_COLUMNS,
            )
        self.cells += width + len(self._pending)
        if self.cells > self.limits.cells:
            raise over_limit(
                self.source,
                "cells",
                f"holds more than {self.limits.cells:,} cells by row {row_number:,} (rows x "
                "columns, empty cells inside the table included)",
                self.limits.cells,
                ENV_CELLS,
            )
        self.grid.extend(list(r) for r in self._pending)
        self._pending.clear()
        row = list(cells[:width])
        for i, cell in enumerate(row):
            if control_chars.has_control(cell):
                self.control_chars += control_chars.count(cell)
                self.nul_bytes += cell.count("\x00")
                self.cells_cleaned += 1
                row[i] = control_chars.clean(cell)
        self.grid.append(row)

    def finish(self, keep_blank_end: bool) -> Grid:
        """The grid. Blank rows at the end are kept for a CSV (each is a row someone wrote) and
        dropped for a workbook (formatted but empty rows are not responses)."""
        if keep_blank_end:
            self.grid.extend(list(r) for r in self._pending if r)
        self._pending.clear()
        return self.grid

    def notes(self) -> list[str]:
        """What the cleaning changed, for the ingest report."""
        if not self.control_chars:
            return []
        nul = f", {self.nul_bytes:,} of them NUL bytes" if self.nul_bytes else ""
        return [
            f"Removed {self.control_chars:,} invisible control character(s) from "
            f"{self.cells_cleaned:,} cell(s){nul}; they carry no meaning and break spreadsheets "
            "and documents. Vertical tabs and form feeds became line breaks."
        ]
