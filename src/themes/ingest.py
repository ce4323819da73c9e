"""Read a survey export (CSV, TSV or XLSX) into a table of strings, and pick a question from it.

Everything is read as text: people really answer "None" and "NA", and those are answers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from themes.errors import InputError, unknown_column
from themes.prepare import classify
from themes.responses import Response, Responses

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls or an encrypted .xlsx
_METADATA_NAMES = re.compile(
    r"^(id|respondent ?id|response ?id|collector ?id|user ?id|start ?(time|date)|end ?date|"
    r"completion ?time|timestamp|email( address)?|name|ip ?address|last modified time)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Table:
    """A survey export read as strings, with how it was read.

    Attributes:
        frame: one row per data row, every cell a string ('' when blank).
        format: 'csv', 'tsv' or 'xlsx'.
        encoding: the text encoding used (for XLSX, 'xlsx').
        source: the file name.
        notes: anything worth telling the user about how the file was read.
    """

    frame: pd.DataFrame
    format: str
    encoding: str
    source: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode file bytes: a BOM first, then strict UTF-8, then Windows-1252 (Excel's UK CSV).

    Returns the text and the encoding used. ``encoding`` forces one.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
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
        return "\t" if sample.count("\t") > sample.count(",") else ","


def read_table(
    path: str | Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Table:
    """Read a CSV, TSV or XLSX survey export as strings.

    The format is decided from the file's content, not its extension.
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
    data = path.read_bytes()
    return read_table_bytes(data, path.name, encoding=encoding)


def read_table_bytes(data: bytes, name: str, *, encoding: str | None = None) -> Table:
    """Read an export already in memory (see ``read_table``)."""
    if not data.strip():
        raise InputError(
            f"{name} is empty. Export the survey responses again and upload that file."
        )
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{name} is a legacy .xls workbook or a password-protected .xlsx. Remove the password "
            "or save it as .xlsx or CSV (UTF-8) in Excel, then upload it again."
        )
    if data.startswith(_ZIP_MAGIC):
        frame = _read_xlsx(data, name)
        return Table(_clean(frame, name), "xlsx", "xlsx", name)
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{name} does not look like a spreadsheet or CSV file (it contains binary data). "
            "Upload the survey export as CSV or XLSX."
        )
    text, used = decode_bytes(data, encoding)
    delimiter = _sniff_delimiter(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            f"{name} could not be read as a table: {exc}. Some rows have more cells than the header; "
            "re-export the file from the survey tool, or open and re-save it in Excel as CSV."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{name} has no header row. Upload the full survey export.") from exc
    fmt = "tsv" if delimiter == "\t" else "csv"
    return Table(_clean(frame, name), fmt, used, name)


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_excel(
            io.BytesIO(data),
            sheet_name=0,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            engine="openpyxl",
        )
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({type(exc).__name__}: {exc}). "
            "Open it in Excel, save it again as .xlsx or CSV, and upload that."
        ) from exc


def _clean(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    if frame.shape[1] == 0:
        raise InputError(f"{name} has no columns. Upload the full survey export.")
    frame = frame.fillna("").astype(str)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.reset_index(drop=True)


def guess_text_columns(table: Table) -> list[str]:
    """Columns that look like free-text questions, in file order.

    A column counts when it is not metadata (ids, times, email, name), its answers are mostly
    distinct, and long enough (median over 20 characters, or some over 100).
    """
    found: list[str] = []
    for column in table.columns:
        if _METADATA_NAMES.match(column.strip()):
            continue
        values = [v.strip() for v in table.frame[column].tolist() if v.strip()]
        if len(values) < 2:
            continue
        lengths = sorted(len(v) for v in values)
        median = lengths[len(lengths) // 2]
        distinct = len(set(values)) / len(values)
        if distinct > 0.5 and (median > 20 or lengths[-1] > 100):
            found.append(column)
    return found


def find_id_column(table: Table) -> str | None:
    """The respondent id column, if the export has one with unique values."""
    for column in table.columns:
        if re.fullmatch(r"(respondent ?id|response ?id|id|user ?id)", column, re.IGNORECASE):
            values = table.frame[column].tolist()
            if all(values) and len(set(values)) == len(values):
                return column
    return None


def responses_from_table(
    table: Table,
    text_column: str,
    *,
    id_column: str | None = None,
    extra_columns: list[str] | None = None,
) -> Responses:
    """One question's answers, one Response per data row, each classified (text, non-answer, empty)."""
    if text_column not in table.frame.columns:
        raise unknown_column("text", text_column, table.columns)
    if id_column is None:
        id_column = find_id_column(table)
    elif id_column not in table.frame.columns:
        raise unknown_column("respondent id", id_column, table.columns)
    texts = table.frame[text_column].tolist()
    ids = table.frame[id_column].tolist() if id_column else [str(i + 1) for i in range(len(texts))]
    items = tuple(
        Response(
            row=i + 1, respondent_id=str(rid), text=str(text).strip(), status=classify(str(text))
        )
        for i, (rid, text) in enumerate(zip(ids, texts, strict=True))
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
    return Responses(question=text_column, items=items, source=table.source, extra=extra)
