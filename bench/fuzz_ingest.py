"""Fuzzing campaign over ingest (run by hand; figures in docs/SECURITY.md).

    .venv/bin/python bench/fuzz_ingest.py --seed 0 --cases 1500

Each case is a fixture export with random byte edits (flips, deletions, insertions of NUL, quotes,
delimiters, line breaks, formula text, non-ASCII, byte-order marks; truncation), a workbook with one
XML part damaged or a part missing, or random bytes, under the fixture's name or a misleading one.
With ``--hostile``, one case in ten is instead a hostile shape: a sheet whose declared dimension
lies (A1 over a full sheet, or A1:XFD1048576 around a stray far cell), an inflated sheet of up to
600,000 tiny rows, or answers full of control characters. ``--memory-mb`` caps the address space
(RLIMIT_AS) while each file is read, so that a shape that would exhaust memory fails as a MemoryError, a failure here.
Every case is read and its free-text questions turned into responses; anything but an InputError (a
clear message) is a failure, printed once per kind with its traceback. Peak memory is printed.
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import resource
import sys
import traceback
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "src")]

sys.path.insert(0, str(REPO / "tests" / "fixtures" / "wild"))

from make_wild import inflated_sheet, patch_sheet  # noqa: E402

from tests.test_fuzz_ingest import FIXTURES, mutate, mutate_xlsx  # noqa: E402
from themes.core.errors import InputError  # noqa: E402
from themes.ingest.reading import read_table_bytes, responses_from_table  # noqa: E402

NAMES = ["x.csv", "x.xlsx", "x.tsv", "x.txt", "x.pdf", "x"]
XLSX = [f for f in FIXTURES if f.suffix == ".xlsx"]


def hostile(rng: random.Random) -> tuple[bytes, str]:
    """One hostile shape: a lying dimension, an inflated sheet, or control characters."""
    draw = rng.random()
    if draw < 0.4:
        data = rng.choice(XLSX).read_bytes()
        column = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(1, 3)))
        claim = rng.choice(["A1", f"A1:{column}{rng.randint(1, 1_048_576)}", "A1:XFD1048576"])
        try:
            return patch_sheet(
                data, rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{claim}"/>'.encode()
            ), "x.xlsx"
        except (AssertionError, zipfile.BadZipFile, KeyError):  # not a plain workbook: as it is
            return data, "x.xlsx"
    if draw < 0.7:
        return inflated_sheet(rng.randint(1, 600_000), rng.randint(1, 4)), "x.xlsx"
    data = bytearray(rng.choice([f for f in FIXTURES if f.suffix == ".csv"]).read_bytes() or b"a")
    for _ in range(rng.randint(1, 200)):
        data.insert(rng.randrange(len(data)), rng.randrange(0, 32))
    return bytes(data), "x.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--hostile", action="store_true", help="one case in ten a hostile shape")
    parser.add_argument("--memory-mb", type=int, help="cap the address space (RLIMIT_AS)")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    capped = (args.memory_mb * 1024 * 1024, hard) if args.memory_mb else (hard, hard)
    rng = random.Random(args.seed)
    failures: collections.Counter[str] = collections.Counter()
    shown: dict[str, str] = {}
    for _ in range(args.cases):
        fixture = rng.choice(FIXTURES)
        data = fixture.read_bytes()
        draw = rng.random()
        name = fixture.name if rng.random() < 0.9 else rng.choice(NAMES)
        if args.hostile and rng.random() < 0.1:
            blob, name = hostile(rng)
        elif fixture.suffix == ".xlsx" and draw < 0.5 and zipfile.is_zipfile(io.BytesIO(data)):
            blob = mutate_xlsx(data, rng)
        elif draw < 0.9:
            blob = mutate(data, rng)
        else:
            blob = rng.randbytes(rng.randint(0, 3000))
        resource.setrlimit(resource.RLIMIT_AS, capped)  # the cap holds while the file is read
        try:
            table = read_table_bytes(blob, name)
            for question in table.roles.free_text[:2] or table.columns[:1]:
                responses_from_table(table, question)
        except InputError:
            pass
        except Exception as exc:  # a failure: the user would see a traceback
            key = f"{type(exc).__name__}: {str(exc)[:80]}"
            failures[key] += 1
            shown.setdefault(key, traceback.format_exc()[-800:])
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"seed {args.seed}: {args.cases} cases, {sum(failures.values())} failures, "
        f"{len(failures)} kinds; peak memory {peak:.0f} MB"
        + (f" under a {args.memory_mb} MB cap" if args.memory_mb else "")
    )
    for key, count in failures.most_common():
        print(f"{count} x {key}\n{shown[key]}")


if __name__ == "__main__":
    main()
