"""Benchmark: review round trips as a reviewer feels them, in a real browser.

Not a test. Starts the app (hashing model, so analysis is quick) on the bundled sample, or on a
made-up survey of ``--responses`` answers, drives Debian's Chromium with Playwright and times,
from the click to the page showing the result: open a theme, rename it, undo, redo, flag a
minority view, tick a response, move it to another theme. Each operation runs ``--repeats``
times; the median and the slowest are printed as a Markdown table for bench/RESULTS.md.

    .venv/bin/python bench/bench_browser.py                      # the sample (680 rows a question)
    .venv/bin/python bench/bench_browser.py --responses 20000    # a made-up 20,000-answer survey
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = (
    "gp appointment wait nurse parking bus dentist staff kind rude phone ward food pharmacy "
    "receptionist ambulance discharge letter carer mental health loneliness housing damp"
).split()


def made_up_survey(path: Path, answers: int) -> Path:
    rng = random.Random(0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Respondent", "What could we do better?"])
        for number in range(answers):
            writer.writerow([f"R{number}", " ".join(rng.choices(WORDS, k=rng.randint(3, 16)))])
    return path


def version(page: Any) -> int:
    found = re.search(r"Version (\d+) ·", page.inner_text("body"))
    return int(found.group(1)) if found else -1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=0, help="0: the bundled sample")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from tests.conftest import SAMPLE, launched_app
    from tests.test_browser import open_review_page

    root = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    data = made_up_survey(root / "survey.csv", args.responses) if args.responses else SAMPLE
    timings: dict[str, list[float]] = {}
    started = time.perf_counter()
    with launched_app(root, data) as url, open_review_page(url, timeout_ms=120_000) as page:
        print(f"app ready in {time.perf_counter() - started:.0f} s", flush=True)
        page.get_by_label("Your name (recorded with each edit)").fill("Bench")
        themes = page.locator("fieldset[aria-label='Theme to review'] input[type=radio]")
        detail = page.locator("h3").first

        def timed(name: str, act: Callable[[], None], done: Callable[[], None]) -> None:
            start = time.perf_counter()
            act()
            done()
            timings.setdefault(name, []).append(time.perf_counter() - start)

        def next_version(before: int) -> Callable[[], None]:
            return lambda: page.get_by_text(f"Version {before + 1} ·").first.wait_for()

        for turn in range(args.repeats):
            target = themes.nth(1 + turn % 3)
            heading = detail.inner_text()
            timed(
                "open a theme",
                target.check,
                lambda heading=heading: page.wait_for_function(  # type: ignore[misc]
                    "(h) => document.querySelector('h3') && "
                    "document.querySelector('h3').innerText !== h",
                    arg=heading,
                ),
            )
            v = version(page)
            name_box = page.get_by_role("textbox", name="Theme name", exact=True)
            name_box.fill(f"Renamed {turn}")
            timed(
                "rename",
                page.get_by_role("button", name="Rename", exact=True).click,
                next_version(v),
            )
            v = version(page)
            timed(
                "undo", page.get_by_role("button", name=re.compile("^Undo")).click, next_version(v)
            )
            v = version(page)
            timed(
                "redo", page.get_by_role("button", name=re.compile("^Redo")).click, next_version(v)
            )
            v = version(page)
            timed(
                "flag minority view",
                page.get_by_label(re.compile("notable minority", re.I)).first.click,
                next_version(v),
            )
            grid = page.get_by_role("grid", name="Responses (click a row")
            cell = grid.get_by_role("row").nth(1).get_by_role("gridcell").nth(3)
            timed(
                "tick a response",
                cell.click,
                lambda grid=grid: (
                    grid.get_by_role("row")  # type: ignore[misc]
                    .nth(1)
                    .get_by_role("gridcell")
                    .first.filter(has_text="✓")
                    .wait_for()
                ),
            )
            v = version(page)
            page.locator("fieldset[aria-label='Move them to'] input[type=radio]").first.check()
            timed(
                "move a response",
                page.get_by_role("button", name="Move chosen responses").click,
                next_version(v),
            )
    size = f"{args.responses:,} made-up answers" if args.responses else "the sample"
    print(f"\n{size}, {args.repeats} repeats, hashing model, Chromium headless, 2 cores\n")
    print("| operation | median s | slowest s |\n|---|---|---|")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
