"""Fuzzing campaign over ingest (run by hand; figures in docs/SECURITY.md).

    .venv/bin/python bench/fuzz_ingest.py --seed 0 --cases 1500

Each case is a fixture export with random byte edits (flips, deletions, insertions of NUL, quotes,
delimiters, line breaks, formula text, non-ASCII, byte-order marks; truncation), a workbook with one
XML part damaged or a part missing, or random bytes, under the fixture's name or a misleading one.
Every case is read and its free-text questions turned into responses; anything but an InputError (a
clear message) is a failure, printed once per kind with its traceback.
"""

from __future__ import annotations

import argparse
import collections
import io
import random
import sys
import traceback
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "src")]

from tests.test_fuzz_ingest import FIXTURES, mutate, mutate_xlsx  # noqa: E402
from themes.errors import InputError  # noqa: E402
from themes.ingest import read_table_bytes, responses_from_table  # noqa: E402

NAMES = ["x.csv", "x.xlsx", "x.tsv", "x.txt", "x.pdf", "x"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=1500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures: collections.Counter[str] = collections.Counter()
    shown: dict[str, str] = {}
    for _ in range(args.cases):
        fixture = rng.choice(FIXTURES)
        data = fixture.read_bytes()
        draw = rng.random()
        if fixture.suffix == ".xlsx" and draw < 0.5 and zipfile.is_zipfile(io.BytesIO(data)):
            blob = mutate_xlsx(data, rng)
        elif draw < 0.9:
            blob = mutate(data, rng)
        else:
            blob = rng.randbytes(rng.randint(0, 3000))
        name = fixture.name if rng.random() < 0.9 else rng.choice(NAMES)
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
    print(
        f"seed {args.seed}: {args.cases} cases, {sum(failures.values())} failures, "
        f"{len(failures)} kinds"
    )
    for key, count in failures.most_common():
        print(f"{count} x {key}\n{shown[key]}")


if __name__ == "__main__":
    main()
