"""Benchmark: many reviewers on one project at once, through the app's HTTP API.

Not a test. Run by hand (``python bench/bench_load.py``) and record the tables in
bench/RESULTS.md. The app is started in its own process on the bundled sample (hashing model, so
no model download and a quick start), exactly as ``make app`` serves it (queue with two workers).
Then N simulated reviewers (each its own process and API session on loopback) loop for
``--seconds``: open their theme -> rename it -> undo -> move two of its responses out -> reload;
every other turn the two answers go back from the unassigned list instead. Reviewer i works on
theme i, so their edits touch different themes: every refusal is a false conflict. A refused
edit ("Not saved." on the page) is retried once, on the page the refusal brought (an older
version refused with an error: then the reviewer reloads first).

Per N it prints calls/s, saved edits/s, the share of edits saved at the first attempt, p50/p95
per operation, conflicts and errors, the server's CPU (% of one core) and peak memory, and the
CPU the simulated reviewers themselves used (on a small machine they compete with the server).
``--history 10000`` first adds that many edits to the project (straight into its database), to
check that a long history does not slow every call. ``--pin`` gives the server core 0 to itself
and the reviewers the other cores, so that on a small machine the reviewers' own CPU does not
take the server's (the server runs Python: review calls use one core however many there are).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

HEADING, TABLE, RESPONSES = 0, 3, 15  # outputs of the review endpoints (see tests/test_app.py)


SERVER_CORE = 0


def pin(server: bool) -> None:
    """This process on the server's core, or on every other core."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {SERVER_CORE} if server else (cores - {SERVER_CORE}) or cores)


def _time_events(path: Path) -> None:
    """Record, for every event the server's queue completes, its endpoint and the seconds from
    joining the queue to the answer being ready (queue wait included, the clients' own CPU and
    parsing excluded): what the server takes, measured in the server."""
    import json

    from gradio import queueing

    original = queueing.Queue.process_events
    log = path.open("a", buffering=1)

    async def timed(self: Any, events: Any, batch: bool, begin_time: float, fn: Any) -> None:
        try:
            await original(self, events, batch, begin_time, fn)
        finally:
            now = time.monotonic()
            for event in events:
                log.write(json.dumps([fn.api_name, now - event.enqueue_time, time.time()]) + "\n")

    queueing.Queue.process_events = timed  # type: ignore[method-assign]


def server_times(path: Path, start: float, end: float) -> dict[str, tuple[float, float]]:
    """p50 / p95 ms per endpoint of the events the server completed between two wall times."""
    import json

    per_op: dict[str, list[float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, seconds, at = json.loads(line)
            if start <= at <= end:
                per_op.setdefault(str(name), []).append(seconds)
    return {
        op: (statistics.median(t) * 1000, sorted(t)[int(0.95 * (len(t) - 1))] * 1000)
        for op, t in sorted(per_op.items())
    }


def serve(root: Path, history: int, port_file: Path) -> None:
    """The server process: the app on the sample, optionally with a long history first."""
    for key, name in (
        ("THEMES_RESULTS_DIR", "results"),
        ("THEMES_CACHE_DIR", "cache"),
        ("THEMES_DATA_DIR", "data"),
    ):
        os.environ[key] = str(root / name)
    from app.app import SAMPLE, build_app, launch_options
    from themes import AnalysisConfig
    from themes.review.edits import Edit
    from themes.review.store import ProjectStore

    _time_events(root / "server_times.jsonl")
    demo = build_app(SAMPLE, AnalysisConfig(model="hashing"), preload=True)
    if history:
        store = ProjectStore()
        info = store.projects()[0]
        state = store.state(info.id)
        question = info.questions[0]
        theme = next(iter(state.questions[question].themes))
        for number in range(history):
            edit = Edit("define", question, {"theme": theme, "definition": f"Note {number}"})
            store.edit(info.id, edit, user="history", version=state.version + number)
    demo.queue(default_concurrency_limit=2).launch(
        prevent_thread_lock=True, quiet=True, **launch_options("127.0.0.1")
    )
    port_file.write_text(demo.local_url or "")
    while True:
        time.sleep(3600)


class LightClient:
    """The app's HTTP API over plain HTTP (``/gradio_api/call/<name>``, one session), returning
    what ``gradio_client.Client.predict`` returns (state and layout outputs left out, updates as
    they come) for about a seventeenth of its CPU per call (2.5 against 42 ms): ten
    gradio_client reviewers filled one core of a 2-core machine, so their own CPU, not the
    server, set what they measured."""

    def __init__(self, url: str) -> None:
        import httpx
        from gradio_client.utils import SKIP_COMPONENTS

        self.http = httpx.Client(base_url=url, timeout=120)
        self.session = uuid.uuid4().hex[:11]
        config = self.http.get("config").json()
        kinds = {c["id"]: c["type"] for c in config["components"]}
        skip = {
            c["id"]: c.get("skip_api", c["type"] in SKIP_COMPONENTS) for c in config["components"]
        }
        self.endpoints = {
            d["api_name"]: (
                [kinds[i] == "state" for i in d["inputs"]],
                [skip[i] for i in d["outputs"]],
            )
            for d in config["dependencies"]
            if d.get("api_name")
        }

    def predict(self, *args: Any, api_name: str) -> tuple[Any, ...]:
        name = api_name.lstrip("/")
        states_in, skipped = self.endpoints[name]
        given = iter(args)
        data = [None if state else next(given) for state in states_in]
        reply = self.http.post(
            f"gradio_api/call/{name}", json={"data": data, "session_hash": self.session}
        )
        reply.raise_for_status()
        event_id = reply.json()["event_id"]
        event = ""
        with self.http.stream("GET", f"gradio_api/call/{name}/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    payload = line[5:].strip()
                    if event == "error":
                        raise RuntimeError(payload)
                    outputs = json.loads(payload)
                    break
            else:
                raise RuntimeError(f"{name}: the stream ended without a result")
        return tuple(o for o, skip in zip(outputs, skipped, strict=True) if not skip)


def reviewer(
    url: str, number: int, seconds: float, out: Any, pinned: bool = False, light: bool = True
) -> None:
    """One reviewer's loop; puts (operation, seconds, outcome) tuples on ``out``."""
    if pinned:
        pin(server=False)
    from gradio_client import Client

    client: Any = LightClient(url) if light else Client(url, verbose=False)
    name = f"Reviewer {number}"
    records: list[tuple[str, float, str]] = []

    def call(operation: str, *args: Any) -> tuple[Any, ...] | None:
        start = time.perf_counter()
        try:
            result = client.predict(*args, api_name=f"/{operation}")
        except Exception as exc:  # a refusal or server error: recorded, the loop goes on
            # Before edits kept what they touch (issue 23), a conflict came back as an error.
            refused = "changed by someone else" in str(exc)
            records.append(
                (operation, time.perf_counter() - start, "conflict!" if refused else "error")
            )
            if os.environ.get("BENCH_SHOW_ERRORS"):
                print(operation, args, exc, file=sys.stderr)
            return None
        outcome = "saved"
        if isinstance(result, tuple | list) and result and "Not saved." in str(result[HEADING]):
            outcome = "conflict"
        records.append((operation, time.perf_counter() - start, outcome))
        return tuple(result) if isinstance(result, tuple | list) else (result,)

    def edit(operation: str, *args: Any) -> tuple[Any, ...] | None:
        page = call(operation, *args)
        if records[-1][2].startswith("conflict"):  # the page now shows the change: press again
            if records[-1][2] == "conflict!":  # an error left the page as it was: reload first
                records[-1] = (operation, records[-1][1], "conflict")
                call("reload", name)
            page = call(operation, *args)
            records[-1] = (records[-1][0], records[-1][1], records[-1][2] + " (retry)")
        return page

    _, _, *view = client.predict(api_name="/start")
    themes = [row[0] - 1 for row in view[TABLE]["data"]]
    theme = themes[number % len(themes)]
    moved: list[str] = []
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        turn += 1
        page = call("show_theme", theme, "", 1, name)
        edit("rename_theme", name, f"{name}'s theme {turn}")
        edit("undo", name)
        if moved:  # the two answers moved out last time go back, from the unassigned list
            call("show_theme", -1, "", 1, name)
            edit("move_responses", name, ", ".join(moved), theme, "")
            moved = []
        elif page is not None and page[RESPONSES]["data"]:
            rows = [str(r[1]) for r in page[RESPONSES]["data"][:2]]  # column 0: ticked
            edit("unassign_responses", name, ", ".join(rows))
            moved = rows
        call("reload", name)
    out.put((records, time.process_time()))


def server_usage(pid: int) -> tuple[float, int]:
    """CPU seconds used so far and resident memory (KB) of a process."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open(f"/proc/{pid}/status") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS"))
    return cpu, rss


def run_level(
    url: str,
    pid: int,
    n: int,
    seconds: float,
    pinned: bool = False,
    url_root: str = "",
    light: bool = True,
) -> dict[str, Any]:
    queue: Any = mp.Queue()
    workers = [
        mp.Process(target=reviewer, args=(url, i, seconds, queue, pinned, light)) for i in range(n)
    ]
    cpu0, rss = server_usage(pid)
    wall_start = time.time()
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    records: list[tuple[str, float, str]] = []
    client_cpu = 0.0
    peak = rss
    pending = n
    while pending:
        try:
            got, cpu = queue.get(timeout=0.5)
            records += got
            client_cpu += cpu
            pending -= 1
        except Exception:
            pass
        peak = max(peak, server_usage(pid)[1])
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - start
    cpu1, rss = server_usage(pid)
    edits = [r for r in records if r[0] not in ("show_theme", "reload")]
    first = [r for r in edits if not r[2].endswith("(retry)")]
    retries = [r for r in edits if r[2].endswith("(retry)")]
    per_op: dict[str, list[float]] = {}
    for operation, seconds_taken, _ in records:
        per_op.setdefault(operation, []).append(seconds_taken)
    return {
        "n": n,
        "server": server_times(Path(url_root) / "server_times.jsonl", wall_start, time.time()),
        "calls/s": len(records) / wall,
        "saved edits/s": sum(r[2].startswith("saved") for r in edits) / wall,
        "first attempt saved": sum(r[2] == "saved" for r in first) / max(1, len(first)),
        "conflicts": sum(r[2] == "conflict" for r in first),
        "retries saved": f"{sum(r[2].startswith('saved') for r in retries)}/{len(retries)}",
        "errors": sum(r[2] == "error" for r in records),
        "cpu": (cpu1 - cpu0) / wall * 100,
        "client cpu": client_cpu / wall * 100,
        "peak MB": peak / 1024,
        "ops": {
            op: (statistics.median(t) * 1000, sorted(t)[int(0.95 * (len(t) - 1))] * 1000)
            for op, t in sorted(per_op.items())
        },
    }


def start_server(history: int, pinned: bool = False) -> tuple[subprocess.Popen[bytes], str, Path]:
    root = Path(tempfile.mkdtemp(prefix="themes-load-"))
    port_file = root / "url"
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(root), "--history", str(history)]
        + (["--pin"] if pinned else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(900):
        if port_file.exists() and port_file.read_text():
            return process, port_file.read_text(), root
        if process.poll() is not None:
            raise SystemExit("The app did not start.")
        time.sleep(1)
    process.kill()
    raise SystemExit("The app did not start within 15 minutes.")


def report(results: list[dict[str, Any]], title: str) -> None:
    print(f"\n{title}\n")
    print(
        "| reviewers | calls/s | saved edits/s | saved at first attempt | conflicts | retries "
        "saved | errors | server CPU (% of a core) | reviewers' CPU | server peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['n']} | {r['calls/s']:.1f} | {r['saved edits/s']:.1f} | "
            f"{r['first attempt saved']:.0%} | {r['conflicts']} | {r['retries saved']} | "
            f"{r['errors']} | {r['cpu']:.0f} | {r['client cpu']:.0f} | {r['peak MB']:.0f} |"
        )
    operations = sorted({op for r in results for op in r["ops"]})
    print("\np50 / p95 ms per operation\n")
    print("| operation | " + " | ".join(f"{r['n']} reviewers" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for op in operations:
        cells = [
            f"{r['ops'][op][0]:.0f} / {r['ops'][op][1]:.0f}" if op in r["ops"] else "-"
            for r in results
        ]
        print(f"| {op} | " + " | ".join(cells) + " |")
    print("\nIn the server (queue wait + work, no client CPU): p50 / p95 ms per operation\n")
    print("| operation | " + " | ".join(f"{r['n']} reviewers" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for op in sorted({op for r in results for op in r["server"]}):
        cells = [
            f"{r['server'][op][0]:.0f} / {r['server'][op][1]:.0f}" if op in r["server"] else "-"
            for r in results
        ]
        print(f"| {op} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", default="1,5,10,20", help="numbers of reviewers")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--history", type=int, default=0, help="edits added before the run")
    parser.add_argument("--pin", action="store_true", help="server on core 0, reviewers elsewhere")
    parser.add_argument(
        "--client",
        choices=("light", "gradio"),
        default="light",
        help="plain HTTP (light, the default) or gradio_client (17x the CPU per call)",
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        if args.pin:
            pin(server=True)
        serve(args.serve, args.history, args.serve / "url")
        return
    if args.pin:
        pin(server=False)
    process, url, root = start_server(args.history, args.pin)
    try:
        results = [
            run_level(
                url, process.pid, int(n), args.seconds, args.pin, str(root), args.client == "light"
            )
            for n in args.levels.split(",")
        ]
    finally:
        process.kill()
    title = f"{args.seconds:.0f} s per level, history of {args.history} edits before the run"
    if args.pin:
        title += "; server pinned to core 0, reviewers to the others"
    title += f"; {args.client} client"
    report(results, title)


if __name__ == "__main__":
    main()
