"""The first sheet of an .xlsx workbook as a grid of strings, bounded by what the sheet holds.

The sheet's declared size (``<dimension ref=...>``) is not trusted in either direction: Microsoft
Forms writes ``A1`` over a full sheet, and a hostile file can declare A1:XFD1048576 around one
cell. Rows are counted in the sheet's XML before anything is parsed, then read one at a time.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

from themes.core.errors import InputError, over_limit
from themes.ingest.grid import GridBuilder
from themes.ingest.limits import ENV_ROWS, ReadLimits

MAX_UNCOMPRESSED = 400 * 1024 * 1024  # an XLSX that inflates past this is refused (zip bomb)
MAX_RATIO = 100  # real workbooks compress 5-20x; past 50 MB, a higher ratio is refused
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CHUNK = 1 << 20


def _damaged(name: str) -> InputError:
    return InputError(
        f"{name} could not be opened as an Excel workbook (the file is damaged). Open it in "
        "Excel, save it again as .xlsx or CSV, and upload that."
    )


def check_zip(data: bytes, name: str) -> None:
    """Refuse what is not a workbook, and zip bombs, before opening anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        # BadZipFile for most damage; the others for headers claiming unknown zip versions,
        # methods or sizes (found by fuzzing).
        raise _damaged(name) from exc
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


def count_rows(archive: zipfile.ZipFile, member: str, stop_after: int) -> int:
    """Rows written in a sheet's XML (streamed; stops counting once past ``stop_after``)."""
    rows = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            rows += sum(1 for m in _ROW_TAG.finditer(buffer) if m.end() > len(tail))
            if rows > stop_after:
                break
            tail = buffer[-64:]
    return rows


def cell_text(value: object) -> str:
    """A cell's value as the text a person sees (whole numbers without '.0', ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes, name: str, limits: ReadLimits) -> GridBuilder:
    """Read the first worksheet, bounded by ``limits``; the builder holds the grid and notes."""
    check_zip(data, name)
    from openpyxl import load_workbook

    builder = GridBuilder(name, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            member = getattr(sheet, "_worksheet_path", None)
            archive = getattr(workbook, "_archive", None)
            if member and archive is not None:
                written = count_rows(archive, member, limits.rows)
                if written > limits.rows:
                    raise over_limit(
                        name, "rows", f"has more than {limits.rows:,} rows", limits.rows, ENV_ROWS
                    )
            sheet.reset_dimensions()  # read the cells present, not the size the file declares
            for row in sheet.iter_rows(values_only=True):
                builder.add([cell_text(v) for v in row] if row else [""])
        finally:
            workbook.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged or hostile workbook
        raise InputError(
            f"{name} could not be opened as an Excel workbook ({type(exc).__name__}: {exc}). "
            "Open it in Excel, save it again as .xlsx or CSV, and upload that."
        ) from exc
    return builder
