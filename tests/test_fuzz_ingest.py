"""Fuzzing ingest: damaged and random files never crash and never show a traceback; each failure
is an InputError with a message (the hand-run campaign and its figures are in docs/SECURITY.md)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themes.core.errors import InputError
from themes.ingest.reading import read_table_bytes, responses_from_table

FIXTURES = sorted(
    p
    for folder in ("exports", "wild")
    for p in (Path(__file__).parent / "fixtures" / folder).iterdir()
    if p.suffix in (".csv", ".tsv", ".xlsx") and p.name != "sparse_dimension.xlsx"
)
SPICE = [
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x1b[31m",
    b'"',
    b",",
    b"\n",
    b"\r",
    b"\t",
    b"=cmd|' /C calc'!A0",
    "é£€".encode(),
    b"\xff\xfe",
]


def read_everything(data: bytes, name: str) -> None:
    """What an upload goes through: read, then every free-text question's responses."""
    try:
        table = read_table_bytes(data, name)
        for question in table.roles.free_text[:2] or table.columns[:1]:
            responses_from_table(table, question)
    except InputError as exc:
        assert str(exc) and "Traceback" not in str(exc)


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not b:
            b = bytearray(rng.randbytes(10))
        i = rng.randrange(len(b))
        op = rng.random()
        if op < 0.3:
            b[i] = rng.randrange(256)
        elif op < 0.5:
            del b[i : i + rng.randint(1, 50)]
        elif op < 0.8:
            b[i:i] = rng.choice(SPICE)
        else:
            b = b[: rng.randrange(len(b) + 1)]
    return bytes(b)


def mutate_xlsx(data: bytes, rng: random.Random) -> bytes:
    """Rewrite a workbook with one part's XML damaged (and sometimes a part missing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    names = source.namelist()
    target = rng.choice(names)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            if rng.random() < 0.03:
                continue
            content = source.read(name)
            archive.writestr(name, mutate(content, rng) if name == target else content)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), fixture=st.sampled_from(FIXTURES))
def test_damaged_exports_give_clear_errors(seed: int, fixture: Path) -> None:
    rng = random.Random(seed)
    data = fixture.read_bytes()
    if fixture.suffix == ".xlsx" and zipfile.is_zipfile(io.BytesIO(data)) and rng.random() < 0.5:
        read_everything(mutate_xlsx(data, rng), fixture.name)
    else:
        read_everything(mutate(data, rng), fixture.name)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.tsv", "a.txt"]))
def test_random_bytes_give_clear_errors(data: bytes, name: str) -> None:
    read_everything(data, name)


def test_zip_claiming_an_unknown_version_is_a_clear_error() -> None:
    """Found by the fuzzing campaign: zipfile raised NotImplementedError, shown as a traceback."""
    workbook = next(p for p in FIXTURES if p.suffix == ".xlsx" and zipfile.is_zipfile(p))
    data = bytearray(workbook.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 6 : central + 8] = (245).to_bytes(2, "little")  # 'version needed: 24.5'
    with pytest.raises(InputError, match="could not be opened as an Excel workbook"):
        read_table_bytes(bytes(data), "damaged.xlsx")


def test_huge_cell_is_refused_with_its_place() -> None:
    data = ("id,comment\n1,fine\n2," + "x" * 120_000 + "\n").encode()
    with pytest.raises(InputError, match=r"row 3, column 'comment' holds 120,000 characters"):
        read_table_bytes(data, "big.csv")
    data = ('id,comment\n1,"unclosed quote\n' + "x" * 200_000 + "\n").encode()
    with pytest.raises(InputError, match=r"near line \d+ holds more than 131,072 characters"):
        read_table_bytes(data, "broken.csv")
