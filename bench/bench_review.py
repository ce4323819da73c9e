"""Benchmark: how fast review edits answer on a large project (default 20,000 responses, 30 themes).

Not a test. Run by hand (``python bench/bench_review.py --responses 20000``) and record the table in
bench/RESULTS.md. Times one call of each domain operation through the project store (validated,
committed to SQLite, state replayed from the cache) and the page rendering the app does after it
(theme table, coverage, a page of responses, history), median of several runs.

Input: the real NHS comments in ../shared/data/ when present (repeated to the size asked for), else
synthetic sentences; themes are assigned round-robin, so the numbers measure the review machinery,
not theme quality.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
SHARED = REPO.parent / "shared" / "data" / "fft_phase1.csv"


def texts(n: int) -> list[str]:
    base: list[str] = []
    if SHARED.exists():
        with SHARED.open(encoding="utf-8", errors="replace") as handle:
            reader = csv.DictReader(handle)
            column = next(c for c in reader.fieldnames or [] if "text" in c.lower())
            base = [row[column] for row in reader if row[column].strip()]
    if not base:
        words = "gp appointment wait nurse parking bus dentist staff kind rude phone online".split()
        rng = random.Random(0)
        base = [" ".join(rng.choices(words, k=12)) for _ in range(2000)]
    return [f"{base[i % len(base)]} ({i})" for i in range(n)]


def result(n: int, n_themes: int) -> object:
    from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
    from themes.analysis.theme_model import Theme

    rows = tuple(
        RowResult(i + 1, f"R{i + 1}", t, Outcome.THEMED, i % n_themes, 0.5, False)
        for i, t in enumerate(texts(n))
    )
    themes = tuple(
        Theme(k, f"Theme {k + 1}", ("word",), n // n_themes, (k + 1,)) for k in range(n_themes)
    )
    return AnalysisResult("Q", themes, rows, {})


def timed(fn: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--themes", type=int, default=30)
    parser.add_argument(
        "--suggestions",
        action="store_true",
        help="also time the suggestions taught by moves (packaged model, answers' embeddings "
        "cached as after an analysis)",
    )
    args = parser.parse_args()

    from themes.frameworks.framework import load_framework
    from themes.project_ops import reviewed_questions
    from themes.review.edits import Edit
    from themes.review.store import ProjectStore
    from themes.review.tables import history_rows, response_rows, review_rows
    from themes.review.views import coverage_markdown

    framework = load_framework()
    store = ProjectStore(Path(tempfile.mkdtemp()) / "bench.sqlite")
    start = time.perf_counter()
    info = store.create(
        "bench", [result(args.responses, args.themes)], framework="gloucestershire", user="b"
    )  # type: ignore[list-item]
    create_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    store.state(info.id)
    open_ms = (time.perf_counter() - start) * 1000

    def render() -> None:
        state = store.state(info.id)
        (q,) = reviewed_questions(store, state, framework)
        review_rows(q, framework)
        if q.mapping is not None:
            coverage_markdown(q.review, framework, q.mapping)
        response_rows(q.review, next(iter(q.review.themes)), "", 1, 100)
        history_rows(state.log, state.undoable)

    def edit(op: str, **edit_args: object) -> Callable[[], object]:
        def run() -> object:
            version = store.state(info.id).version
            return store.edit(info.id, Edit(op, "Q", dict(edit_args)), user="b", version=version)

        return run

    counter = iter(range(10_000))
    rows_to_move = list(range(1, 51))
    results = {
        "create project (insert responses)": create_ms,
        "open project (first load, build keyword index)": open_ms,
        "render the review page": timed(render),
        "rename": timed(lambda: edit("rename", theme=0, label=f"Name {next(counter)}")()),
        "define": timed(lambda: edit("define", theme=0, definition="A definition")()),
        "move 50 responses": timed(
            lambda: edit("move", rows=rows_to_move, to=next(counter) % args.themes)()
        ),
        "set links": timed(lambda: edit("set_links", theme=1, items=["P3.1"])()),
    }
    merge_ids = iter(range(args.themes - 1, 1, -1))
    results["merge two themes"] = timed(lambda: edit("merge", themes=[next(merge_ids)], into=1)())
    state = store.state(info.id)
    members = state.questions["Q"].members(1)
    results["split a theme in two"] = timed(
        lambda: edit("split", theme=1, groups=[{"rows": members[: len(members) // 2]}])(), 1
    )
    results["undo"] = timed(
        lambda: store.undo(info.id, user="b", version=store.state(info.id).version), 3
    )
    results["render after edits"] = timed(render)
    if args.suggestions:
        from themes.analysis.cache import EmbeddingCache
        from themes.analysis.embedding import make_embedder
        from themes.project_ops import project_suggestions

        embedder, cache = make_embedder(), EmbeddingCache(Path(tempfile.mkdtemp()) / "e.sqlite")
        review = store.state(info.id).questions["Q"]
        taught = [r for r in sorted(review.answers) if review.assignment.get(r) == 3][:5]
        edit("move", rows=taught, to=4)()  # a reviewer teaches theme 4 by five moves

        def suggestions() -> object:
            return project_suggestions(store, info.id, "Q", embedder=embedder, cache=cache)

        start = time.perf_counter()
        found = suggestions()  # the analysis would have embedded the answers already
        first_ms = (time.perf_counter() - start) * 1000
        results["suggestions after an edit (answers embedded, cache warm)"] = timed(suggestions)
        results["(first call here: embeds every answer, which the analysis did)"] = first_ms
        print(f"suggestions: {len(found)} theme(s), {sum(len(f.rows) for f in found)} answers")
    print(f"{args.responses} responses, {args.themes} themes, {store.state(info.id).version} edits")
    print("| operation | ms (median) |\n|---|---|")
    for name, ms in results.items():
        print(f"| {name} | {ms:.0f} |")


if __name__ == "__main__":
    main()
