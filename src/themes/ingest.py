"""Read a survey export (CSV, TSV or XLSX from any common survey tool) into a table of strings.

Steps: bytes -> text (BOM, UTF-8, Windows-1252) or workbook -> grid of strings -> layout (which tool,
which header rows) -> table with unique column names, column roles and an account of every row.
Everything is read as text: people really answer "None" and "NA", and those are answers.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from themes.columns import ColumnRoles, detect_roles
from themes.errors import InputError, unknown_column
from themes.layouts import Grid, Layout, detect_layout
from themes.prepare import classify
from themes.responses import Response, Responses, RowStatus

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # an XLSX that inflates past this is refused (zip bomb)
MAX_RATIO = 100  # real workbooks compress 5-20x; past 50 MB, a higher ratio is refused
MAX_CELL_CHARS = 100_000  # Excel's own limit is 32,767
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_OTHER_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}


@dataclass(frozen=True)
class Table:
    """A survey export read as strings, with how it was read and what each row and column is.

    Attributes:
        frame: one row per data row (blank and duplicate rows included), every cell a string.
        format: 'csv', 'tsv' or 'xlsx'.
        encoding: the text encoding used (for XLSX, 'xlsx').
        source: the file name.
        tool: the survey tool whose layout was recognised (see ``themes.layouts.TOOLS``).
        header_rows: how many header rows the export had (data starts after them).
        first_data_row: the spreadsheet row number (1-based) of the first data row.
        labels: full question text for columns named by short ids (Qualtrics).
        groups: questions spread over several columns (one per option) -> their columns.
        roles: the guessed role of every column.
        blank_rows: data-row numbers (1-based) whose cells are all empty.
        duplicate_of: data-row number -> the earlier row it repeats (same respondent, same answers).
        notes: anything else worth telling the user.
    """

    frame: pd.DataFrame
    format: str
    encoding: str
    source: str
    tool: str = "generic"
    header_rows: int = 1
    first_data_row: int = 2
    labels: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    roles: ColumnRoles = field(default_factory=lambda: ColumnRoles(None, ()))
    blank_rows: tuple[int, ...] = ()
    duplicate_of: Mapping[int, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def row_counts(self) -> dict[str, int]:
        """Rows in the file: total, kept for analysis, blank, duplicate submissions."""
        total = len(self.frame)
        return {
            "rows": total,
            "kept": total - len(self.blank_rows) - len(self.duplicate_of),
            "blank": len(self.blank_rows),
            "duplicate": len(self.duplicate_of),
        }


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes: a BOM first, then strict UTF-8, then Windows-1252 (Excel's UK CSV).

    Returns the text and the encoding used. ``encoding`` forces one.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError as exc:
            raise InputError(
                f"Unknown text encoding {encoding!r}. Use a standard name such as 'utf-8', "
                "'utf-8-sig', 'utf-16' or 'cp1252'."
            ) from exc
        except UnicodeDecodeError as exc:
            raise InputError(
                f"The file is not valid {encoding!r} text (byte {exc.start}). Leave the encoding "
                "unset to detect it, or try 'utf-8' or 'cp1252'."
            ) from exc
        return text.removeprefix("\ufeff"), encoding
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for candidate in ("utf-8", "cp1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        counts = {d: sample.split("\n", 1)[0].count(d) for d in ",\t;|"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _text_grid(text: str, name: str) -> tuple[Grid, str]:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        grid = list(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputError(
                f"{name}: a cell near line {reader.line_num} holds more than "
                f"{csv.field_size_limit():,} characters, over the {MAX_CELL_CHARS:,} limit. Check "
                "the export (often a missing closing quote makes one cell swallow the rest of the "
                "file); a real answer is never this long."
            ) from exc
        raise InputError(
            f"{name} could not be read as CSV ({exc}). Re-export it from the survey tool."
        ) from exc
    return grid, ("tsv" if delimiter == "\t" else "csv")


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        # BadZipFile for most damage; the others for headers claiming unknown zip versions,
        # methods or sizes (found by fuzzing).
        raise InputError(
            f"{name} could not be opened as an Excel workbook (the file is damaged). Open it in "
            "Excel, save it again as .xlsx or CSV, and upload that."
        ) from exc
    entries = archive.infolist()
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        raise InputError(
            f"{name} is a zip file but not an Excel workbook (no xl/workbook.xml). Save it from "
            "Excel as .xlsx or CSV and upload that."
        )
    inflated = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if inflated > MAX_UNCOMPRESSED or (
        inflated > 50 * 1024 * 1024 and inflated / packed > MAX_RATIO
    ):
        raise InputError(
            f"{name} would expand from {packed / 1e6:.1f} MB to {inflated / 1e6:.0f} MB when opened "
            "(this is how a 'zip bomb' looks), so it was not opened. If it is a real export, save "
            "it as CSV, or split it."
        )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _xlsx_grid(data: bytes, name: str) -> Grid:
    _check_zip(data, name)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        while grid and not any(c.strip() for c in grid[-1]):
            grid.pop()  # formatted but empty rows at the end of a sheet are not responses
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged or hostile workbook
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({type(exc).__name__}: {exc}). "
            "Open it in Excel, save it again as .xlsx or CSV, and upload that."
        ) from exc
    return grid


def _read_grid(data: bytes, name: str, encoding: str | None) -> tuple[Grid, str, str]:
    if not data.strip():
        raise InputError(
            f"{name} is empty. Export the survey responses again and upload that file."
        )
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{name} is a legacy .xls workbook or a password-protected .xlsx. Remove the password "
            "or save it as .xlsx or CSV (UTF-8) in Excel, then upload it again."
        )
    for magic, what in _OTHER_MAGIC.items():
        if data.startswith(magic):
            raise InputError(
                f"{name} is {what}, not a survey export. Upload the CSV or XLSX export."
            )
    if data.startswith(_ZIP_MAGIC):
        return _xlsx_grid(data, name), "xlsx", "xlsx"
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if b"\x00" in data[:4096] and not is_utf16:
        raise InputError(
            f"{name} does not look like a spreadsheet or CSV file (it contains binary data). "
            "Upload the survey export as CSV or XLSX."
        )
    text, used = decode_bytes(data, encoding)
    grid, fmt = _text_grid(text, name)
    return grid, fmt, used


def _frame(grid: Grid, layout: Layout, name: str) -> pd.DataFrame:
    width = len(layout.names)
    rows: list[list[str]] = []
    too_long: list[int] = []
    for offset, raw in enumerate(grid[layout.data_start :]):
        if not raw:
            continue  # an empty line of a CSV holds no cells: it is not a row
        row = [raw[i] if i < len(raw) else "" for i in layout.columns]
        extra = [
            c for i, c in enumerate(raw) if i not in layout.columns and i >= width and c.strip()
        ]
        if extra:
            too_long.append(layout.data_start + offset + 1)
        for i, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                raise InputError(
                    f"{name}: the cell in row {layout.data_start + offset + 1}, column "
                    f"{layout.names[i]!r} holds {len(cell):,} characters, over the "
                    f"{MAX_CELL_CHARS:,} limit. Check the export; a real answer is never this long."
                )
        rows.append(row)
    if too_long:
        shown = ", ".join(map(str, too_long[:5])) + (" ..." if len(too_long) > 5 else "")
        raise InputError(
            f"{name}: {len(too_long)} row(s) have more cells than the header has columns "
            f"(rows {shown}). Usually a comma inside an answer was not quoted. Re-export the file "
            "from the survey tool, or open it in Excel and save it as CSV UTF-8."
        )
    return pd.DataFrame(rows, columns=list(layout.names), dtype=str)


def _duplicates(
    frame: pd.DataFrame, roles: ColumnRoles, blank: set[int]
) -> tuple[dict[int, int], list[str]]:
    """Rows that repeat an earlier submission by the same respondent (same id, same answers)."""
    content = [c for c in frame.columns if c not in roles.metadata and c != roles.id]
    first_seen: dict[tuple[str, ...], int] = {}
    by_id: dict[str, int] = {}
    duplicate_of: dict[int, int] = {}
    notes: list[str] = []
    for index, values in enumerate(frame[content].itertuples(index=False, name=None), start=1):
        if index in blank:
            continue
        respondent = str(frame[roles.id].iat[index - 1]) if roles.id else ""
        key = (respondent, *values) if roles.id else tuple(frame.iloc[index - 1].tolist())
        if key in first_seen:
            duplicate_of[index] = first_seen[key]
            continue
        first_seen[key] = index
        if respondent and respondent in by_id:
            notes.append(
                f"Respondent {respondent} appears in rows {by_id[respondent]} and {index} with "
                "different answers: both are kept."
            )
        by_id.setdefault(respondent, index)
    return duplicate_of, notes


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    tool: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Table:
    """Read a CSV, TSV or XLSX survey export as strings.

    The format is decided from the file's content, not its extension; ``tool`` forces a layout.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"File {str(path)!r} does not exist. Check the path and try again.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path.name} is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit. Split the "
            "export, remove columns you do not need, or raise the limit."
        )
    return read_table_bytes(path.read_bytes(), path.name, encoding=encoding, tool=tool)


def read_table_bytes(
    data: bytes, name: str, *, encoding: str | None = None, tool: str | None = None
) -> Table:
    """Read an export already in memory (see ``read_table``)."""
    grid, fmt, used = _read_grid(data, name, encoding)
    if not any(any(c.strip() for c in row) for row in grid):
        raise InputError(
            f"{name} has no content. Export the survey responses again and upload that."
        )
    layout = detect_layout(grid, tool)
    frame = _frame(grid, layout, name)
    if frame.shape[1] == 0:
        raise InputError(f"{name} has no columns. Upload the full survey export.")
    if len(frame) == 0:
        raise InputError(
            f"{name} has a header but no responses. Check that the export includes the responses "
            "(not only the questions), or that you chose the right file."
        )
    roles = detect_roles(frame, layout.groups, layout.labels)
    blank = [
        i
        for i, row in enumerate(frame.itertuples(index=False, name=None), 1)
        if not any(c.strip() for c in row)
    ]
    duplicate_of, notes = _duplicates(frame, roles, set(blank))
    return Table(
        frame=frame,
        format=fmt,
        encoding=used,
        source=name,
        tool=layout.tool,
        header_rows=layout.header_rows,
        first_data_row=layout.data_start + 1,
        labels=dict(layout.labels),
        groups=dict(layout.groups),
        roles=roles,
        blank_rows=tuple(blank),
        duplicate_of=duplicate_of,
        notes=tuple(notes),
    )


def guess_text_columns(table: Table) -> list[str]:
    """Columns that look like free-text questions, in file order."""
    return list(table.roles.free_text)


def choose_questions(
    table: Table, requested: list[str] | None = None, all_questions: bool = False
) -> list[str]:
    """The free-text questions to analyse: those requested (checked), all detected ones, or the
    first detected one."""
    if requested:
        for column in requested:
            if column not in table.frame.columns:
                raise unknown_column("text", column, table.columns)
        return list(dict.fromkeys(requested))
    found = list(table.roles.free_text)
    if not found:
        raise InputError(
            f"No column of {table.source} looks like free text. Name the question to analyse "
            f"(--text-column in the command line); columns are: {', '.join(table.columns)}."
        )
    return found if all_questions else found[:1]


def id_candidates(table: Table) -> list[str]:
    """Columns that could identify respondents: the detected id, and any column whose values are
    filled in and (nearly) all different."""
    found = []
    for column in table.columns:
        values = [v for v in table.frame[column].tolist() if v.strip()]
        mostly_unique = len(values) >= 0.9 * len(table.frame) and len(set(values)) >= 0.9 * len(
            values
        )
        if column == table.roles.id or (mostly_unique and column not in table.roles.free_text):
            found.append(column)
    return found


def find_id_column(table: Table) -> str | None:
    """The respondent id column, if the export has one with unique values."""
    return table.roles.id


def responses_from_table(
    table: Table,
    text_column: str,
    *,
    id_column: str | None = None,
    extra_columns: list[str] | None = None,
) -> Responses:
    """One question's answers, one Response per data row: text, non-answer, empty or duplicate."""
    if text_column not in table.frame.columns:
        raise unknown_column("text", text_column, table.columns)
    if id_column is None:
        id_column = table.roles.id
    elif id_column not in table.frame.columns:
        raise unknown_column("respondent id", id_column, table.columns)
    texts = table.frame[text_column].tolist()
    ids = table.frame[id_column].tolist() if id_column else [str(i + 1) for i in range(len(texts))]
    items = tuple(
        Response(
            row=i,
            respondent_id=str(rid) or str(i),
            text=str(text).strip(),
            status=RowStatus.DUPLICATE if i in table.duplicate_of else classify(str(text)),
        )
        for i, (rid, text) in enumerate(zip(ids, texts, strict=True), start=1)
    )
    extra: tuple[dict[str, str], ...] = ()
    if extra_columns:
        for column in extra_columns:
            if column not in table.frame.columns:
                raise unknown_column("extra", column, table.columns)
        extra = tuple(
            {str(k): str(v) for k, v in record.items()}
            for record in table.frame[extra_columns].to_dict(orient="records")
        )
    label = table.labels.get(text_column, "")
    return Responses(
        question=text_column, items=items, source=table.source, extra=extra, label=label
    )
