"""The project database under stress: a process killed mid-burst loses no confirmed edit, and
reviewers editing at the same moment get conflicts, never lost updates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import REPO
from tests.test_review import Q, make_result
from themes.core.errors import ConflictError
from themes.review.edits import Edit
from themes.review.store import ProjectStore

WRITER = """
import sys
sys.path[:0] = [{repo!r}, {src!r}]
from themes.review.store import ProjectStore
from themes.review.edits import Edit
store = ProjectStore({db!r})
version = store.state({project!r}).version
while True:
    state = store.edit({project!r}, Edit("rename", {q!r}, {{"theme": 0, "label": f"v{{version + 1}}"}}),
                       user="writer", version=version)
    version = state.version
    print(version, flush=True)  # confirmed: committed before this line is printed
"""


def test_killed_process_loses_no_confirmed_edit(tmp_path: Path) -> None:
    db = tmp_path / "projects.sqlite"
    info = ProjectStore(db).create("P", [make_result()], framework="gloucestershire", user="t")
    code = WRITER.format(repo=str(REPO), src=str(REPO / "src"), db=str(db), project=info.id, q=Q)
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    confirmed = 0
    assert process.stdout is not None
    started = time.monotonic()
    while confirmed < 40 and time.monotonic() - started < 60:
        line = process.stdout.readline()
        if not line:
            break
        confirmed = int(line)
    os.kill(process.pid, signal.SIGKILL)  # mid-burst: it is writing the next edit
    process.wait()
    assert confirmed >= 40
    store = ProjectStore(db)  # a restarted server
    state = store.state(info.id)
    assert state.version >= confirmed
    assert [e.seq for e in state.log] == list(range(1, state.version + 1))
    assert state.questions[Q].themes[0].label == f"v{state.version}"
    import sqlite3

    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_simultaneous_reviewers_get_conflicts_not_lost_updates(tmp_path: Path) -> None:
    db = tmp_path / "projects.sqlite"
    info = ProjectStore(db).create("P", [make_result()], framework="gloucestershire", user="t")
    outcomes: dict[str, list[str]] = {"amy": [], "bo": []}

    def reviewer(name: str) -> None:
        store = ProjectStore(db)  # each reviewer's server worker has its own connection
        for i in range(25):
            version = store.state(info.id).version
            try:
                store.edit(
                    info.id,
                    Edit("define", Q, {"theme": 1, "definition": f"{name} {i}"}),
                    user=name,
                    version=version,
                )
                outcomes[name].append("saved")
            except ConflictError:
                outcomes[name].append("conflict")

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = sum(o.count("saved") for o in outcomes.values())
    state = ProjectStore(db).state(info.id)
    assert state.version == saved  # every saved edit is in the history, nothing else
    assert len(state.log) == saved
    assert sum(len(o) for o in outcomes.values()) == 50
    last = state.log[-1]
    assert state.questions[Q].themes[1].definition == (
        last.edit.args["definition"] if last.edit else ""
    )
