"""Read a survey export (CSV, TSV or XLSX from any common survey tool) into a table of strings.

Steps: bytes -> text (BOM, UTF-8, Windows-1252) or workbook -> grid of strings -> layout (which tool,
which header rows) -> table with unique column names, column roles and an account of every row.
Everything is read as text: people really answer "None" and "NA", and those are answers.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from themes.core.errors import InputError, unknown_column
from themes.ingest.columns import ColumnRoles, detect_roles
from themes.ingest.grid import Grid, GridBuilder
from themes.ingest.layouts import Layout, detect_layout
from themes.ingest.limits import ReadLimits
from themes.ingest.prepare import classify
from themes.ingest.responses import Response, Responses, RowStatus
from themes.ingest.xlsx_reader import read_xlsx

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
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
        tool: the survey tool whose layout was recognised (see ``themes.ingest.layouts.TOOLS``).
        header_rows: how many header rows the export had (data starts after them).
        first_data_row: the spreadsheet row number (1-based) of the first data row.
        labels: full question text for columns named by short ids (Qualtrics).
        groups: questions spread over several columns (one per option) -> their columns.
        roles: the guessed role of every column.
        blank_rows: data-row numbers (1-based) whose cells are all empty.
        duplicate_of: data-row number -> the earlier row it repeats (same respondent, same answers).
        preview_rows: data-row numbers of survey previews and test responses (Qualtrics 'Status'),
            left out of the analysis.
        control_chars: invisible control characters removed from cells while reading.
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
    preview_rows: tuple[int, ...] = ()
    control_chars: int = 0
    notes: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def row_counts(self) -> dict[str, int]:
        """Rows in the file: total, kept for analysis, blank, duplicate submissions, previews."""
        total = len(self.frame)
        left_out = len(self.blank_rows) + len(self.duplicate_of) + len(self.preview_rows)
        return {
            "rows": total,
            "kept": total - left_out,
            "blank": len(self.blank_rows),
            "duplicate": len(self.duplicate_of),
            "preview": len(self.preview_rows),
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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_lines(data)
    if mixed is not None:
        return mixed
    for candidate in ("cp1252", "latin-1"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _mixed_lines(data: bytes) -> tuple[str, str] | None:
    """A UTF-8 file with a few lines in Windows-1252 (one answer pasted from an old program):
    each line decoded on its own, so one stray byte does not turn every accent in the file into
    mojibake. None when no line has UTF-8 accents (then the file is plain Windows-1252)."""
    lines = data.split(b"\n")
    utf8_accented = 0
    decoded: list[str] = []
    fallback = 0
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_accented += not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:
                text = line.decode("latin-1")
            fallback += 1
        decoded.append(text)
    if not utf8_accented:
        return None
    return "\n".join(decoded), f"utf-8, with {fallback} line(s) read as Windows-1252"


def _sniff_delimiter(text: str) -> str:
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        counts = {d: sample.split("\n", 1)[0].count(d) for d in ",\t;|"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _text_grid(text: str, name: str, limits: ReadLimits) -> tuple[GridBuilder, str]:
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    builder = GridBuilder(name, limits)
    try:
        for row in reader:
            builder.add(row)
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
    return builder, ("tsv" if delimiter == "\t" else "csv")


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like UTF-16 text with no byte-order mark
    (every other byte NUL, as ASCII text in UTF-16 is)."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 8:
        return None
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(head: bytes) -> bool:
    """More than one byte in ten is a control character other than tab, line break or form feed:
    a real CSV can hold a few stray NULs (legacy SurveyMonkey writes some), never that many."""
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.1 * len(head)


def _read_grid(
    data: bytes, name: str, encoding: str | None, limits: ReadLimits
) -> tuple[GridBuilder, str, str]:
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
        return read_xlsx(data, name, limits), "xlsx", "xlsx"
    has_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not encoding and not has_bom:
        encoding = _utf16_without_bom(data[:4096])
        if not encoding and _looks_binary(data[:4096]):
            raise InputError(
                f"{name} does not look like a spreadsheet or CSV file (it contains binary data). "
                "Upload the survey export as CSV or XLSX."
            )
    text, used = decode_bytes(data, encoding)
    builder, fmt = _text_grid(text, name, limits)
    return builder, fmt, used


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
    include_previews: bool = False,
) -> Table:
    """Read a CSV, TSV or XLSX survey export as strings.

    The format is decided from the file's content, not its extension; ``tool`` forces a layout.
    Rows, columns and cells are bounded by ``ReadLimits.from_env()``. Qualtrics preview and test
    responses are flagged and left out of the analysis unless ``include_previews``.
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
    return read_table_bytes(
        path.read_bytes(),
        path.name,
        encoding=encoding,
        tool=tool,
        include_previews=include_previews,
    )


def read_table_bytes(
    data: bytes,
    name: str,
    *,
    encoding: str | None = None,
    tool: str | None = None,
    include_previews: bool = False,
    limits: ReadLimits | None = None,
) -> Table:
    """Read an export already in memory (see ``read_table``)."""
    builder, fmt, used = _read_grid(data, name, encoding, limits or ReadLimits.from_env())
    grid = builder.finish(keep_blank_end=fmt != "xlsx")
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
    previews = preview_rows(frame, layout.tool) if not include_previews else []
    previews = [i for i in previews if i not in duplicate_of and i not in set(blank)]
    if previews:
        notes.append(
            f"{len(previews)} row(s) are Qualtrics survey previews or test responses (Status): "
            "they are left out of the analysis and counted separately. Choose 'include previews' "
            "to keep them."
        )
    if "read as Windows-1252" in used:
        notes.insert(
            0,
            f"The file is UTF-8 except for some lines ({used.split('with ')[1]}); those were "
            "decoded on their own. Check their accents (£, é, ’) in the responses.",
        )
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
        preview_rows=tuple(previews),
        control_chars=builder.control_chars,
        notes=(*layout.notes, *builder.notes(), *notes),
    )


_PREVIEW_STATUS = frozenset({"1", "2", "9", "17", "survey preview", "survey test", "preview"})


def preview_rows(frame: pd.DataFrame, tool: str) -> list[int]:
    """Data rows (1-based) that Qualtrics marks as a survey preview or test response: 'Status' 1
    (preview), 2 (test), 9 or 17 (previews flagged as spam or offline), or those words."""
    if tool != "qualtrics" or "Status" not in frame.columns:
        return []
    return [
        i
        for i, value in enumerate(frame["Status"].tolist(), start=1)
        if value.strip().lower() in _PREVIEW_STATUS
    ]


def answer_count(table: Table, column: str) -> int:
    """How many rows answer a question (not blank, not a non-answer, not a left-out row)."""
    skipped = set(table.duplicate_of) | set(table.preview_rows)
    return sum(
        1
        for i, text in enumerate(table.frame[column].tolist(), start=1)
        if i not in skipped and classify(text) is RowStatus.TEXT
    )


def guess_text_columns(table: Table) -> list[str]:
    """Columns that look like free-text questions, the one with the most answers first (then in
    file order): the first is the question analysed when none is chosen."""
    found = list(table.roles.free_text)
    counts = {c: answer_count(table, c) for c in found}
    return sorted(found, key=lambda c: -counts[c])


def choose_questions(
    table: Table, requested: list[str] | None = None, all_questions: bool = False
) -> list[str]:
    """The free-text questions to analyse: those requested (checked), all detected ones (in file
    order), or the detected one with the most answers."""
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
    return found if all_questions else guess_text_columns(table)[:1]


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
    previews = set(table.preview_rows)
    ids = table.frame[id_column].tolist() if id_column else [str(i + 1) for i in range(len(texts))]
    items = tuple(
        Response(
            row=i,
            respondent_id=str(rid) or str(i),
            text=str(text).strip(),
            status=RowStatus.DUPLICATE
            if i in table.duplicate_of
            else RowStatus.PREVIEW
            if i in previews
            else classify(str(text)),
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
