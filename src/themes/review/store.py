"""Review projects with their edit logs: the state a reviewer sees, and every edit, undo and redo.

Every edit is committed (WAL journal, full sync) before it is reported as done, so killing the
server loses no confirmed edit. Each edit states the project version it was made on; when someone
else has changed the project since, it is refused with a ``ConflictError`` instead of silently
overwriting their work. The state shown is always the analysis replayed through the edits in
effect, the same function the CLI uses to replay an exported log.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from themes.analysis.keywords import KeywordIndex
from themes.core.errors import ConflictError, ReviewError
from themes.review.edits import Edit
from themes.review.history import History, LogEntry, apply_to_project
from themes.review.records import ProjectInfo, ProjectRecords, reviewer_name, utc_now
from themes.review.state import QuestionReview
from themes.review.touches import (
    Touches,
    created_themes,
    describe,
    overlapping,
    reads_of,
    writes_of,
)

STATES_KEPT = 64


@dataclass(frozen=True)
class ProjectState:
    """What a reviewer sees: the reviewed questions at one version, with the history."""

    info: ProjectInfo
    questions: dict[str, QuestionReview]
    log: tuple[LogEntry, ...]
    undoable: tuple[LogEntry, ...]
    redoable: tuple[LogEntry, ...]

    @property
    def version(self) -> int:
        return self.info.version

    def undoable_by(self, user: str) -> tuple[LogEntry, ...]:
        """The edits in effect that ``user`` made (undo takes back the last of them)."""
        return tuple(e for e in self.undoable if e.user == reviewer_name(user))

    def redoable_by(self, user: str) -> tuple[LogEntry, ...]:
        """``user``'s undone edits that redo can bring back, the next one first."""
        return tuple(e for e in self.redoable if e.user == reviewer_name(user))


class ProjectStore(ProjectRecords):
    """All projects in one database file, with their reviewed states and edit logs. Safe to share
    between threads and processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        # Reviewed states by project and the edits in effect (seq numbers): undo, redo and a
        # version seen before are found here instead of replaying the whole history.
        self._states: OrderedDict[tuple[str, tuple[int, ...]], dict[str, QuestionReview]] = (
            OrderedDict()
        )
        self._indexes: dict[tuple[str, str], KeywordIndex] = {}
        self._preparing: set[tuple[str, str]] = set()
        self._logs: dict[str, History] = {}
        self._base: dict[str, dict[str, QuestionReview]] = {}
        super().__init__(path)

    def _forget(self, project_id: str) -> None:
        super()._forget(project_id)
        for state_key in [k for k in self._states if k[0] == project_id]:
            del self._states[state_key]
        self._base.pop(project_id, None)
        self._logs.pop(project_id, None)
        for key in [k for k in self._indexes if k[0] == project_id]:
            del self._indexes[key]

    # -- reviewed states ------------------------------------------------------------------------

    def _base_states(self, project_id: str) -> dict[str, QuestionReview]:
        with self._lock:
            if project_id in self._base:
                return self._base[project_id]
        base = {r.question: QuestionReview.from_result(r) for r in self.results(project_id)}
        with self._lock:
            self._base[project_id] = base
        return base

    def keyword_index(self, project_id: str, question: str) -> KeywordIndex:
        key = (project_id, question)
        with self._lock:
            if key in self._indexes:
                return self._indexes[key]
        base = self._base_states(project_id)[question]
        index = KeywordIndex({row: a.text for row, a in base.answers.items()})
        with self._lock:
            self._indexes[key] = index
        return index

    def ready_keyword_index(self, project_id: str, question: str) -> KeywordIndex | None:
        """The question's keyword index if it is built, else None (and it is being built in
        the background): for what a page can show later rather than wait for."""
        with self._lock:
            found = self._indexes.get((project_id, question))
        if found is None:
            self.prepare_edits(project_id, question)
        return found

    def prepare_edits(self, project_id: str, question: str) -> None:
        """Build the question's keyword index in the background (a second at 20,000 answers),
        so that the first edit after a project is opened does not wait for it."""
        key = (project_id, question)
        with self._lock:
            if key in self._indexes or key in self._preparing:
                return
            self._preparing.add(key)

        def build() -> None:
            try:
                self.keyword_index(project_id, question)
            except Exception:  # noqa: BLE001 - the first edit builds it again and reports
                pass
            finally:
                with self._lock:
                    self._preparing.discard(key)

        threading.Thread(target=build, name="themes-prepare-edits", daemon=True).start()

    # -- the log ----------------------------------------------------------------------------

    def _log(self, db: sqlite3.Connection, info: ProjectInfo) -> History:
        """The project's history: read and folded once, then only the lines added since (a
        long history must not make every call slower)."""
        with self._lock:
            known = self._logs.get(info.id, History())
        if known.log and known.log[-1].seq > info.version:  # restored from an older copy
            known = History()
        last = known.log[-1].seq if known.log else 0
        added = []
        if info.version > last:
            for seq, kind, edit, target, user, at, summary, touches in db.execute(
                "SELECT seq, kind, edit, target, user, at, summary, touches FROM edits "
                "WHERE project_id = ? AND seq > ? ORDER BY seq",
                (info.id, last),
            ):
                parsed = Edit.from_dict(json.loads(edit)) if edit else None
                added.append(
                    LogEntry(
                        seq, kind, parsed, user, at, summary, target, Touches.from_json(touches)
                    )
                )
        history = known.extended(added)
        with self._lock:
            self._logs[info.id] = history
        return history

    def _remember(
        self, project_id: str, done: Sequence[int], states: dict[str, QuestionReview]
    ) -> None:
        with self._lock:
            self._states[(project_id, tuple(done))] = states
            self._states.move_to_end((project_id, tuple(done)))
            while len(self._states) > STATES_KEPT:
                self._states.popitem(last=False)

    def _replayed(self, project_id: str, done: Sequence[LogEntry]) -> dict[str, QuestionReview]:
        """The states after the edits ``done``: from the longest remembered prefix of them."""
        key = tuple(e.seq for e in done)
        start, states = 0, None
        with self._lock:
            best: tuple[str, tuple[int, ...]] | None = None
            if (project_id, key) in self._states:  # the usual case: seen before, or just saved
                best = (project_id, key)
            for known in () if best else self._states:
                if known[0] != project_id or len(known[1]) > len(key):
                    continue
                if (best is None or len(known[1]) > len(best[1])) and key[: len(known[1])] == known[
                    1
                ]:
                    best = known
            if best is not None:
                start, states = len(best[1]), self._states[best]
                self._states.move_to_end(best)
        if states is None:
            states = self._base_states(project_id)
        if start == len(key):
            return states
        states = dict(states)
        for entry in done[start:]:
            assert entry.edit is not None
            states, _ = apply_to_project(
                states, entry.edit, lambda q: self.keyword_index(project_id, q)
            )
        self._remember(project_id, key, states)
        return states

    def state(self, project_id: str) -> ProjectState:
        """The project as reviewed so far."""
        with self._connect() as db:
            info = self._info(db, project_id)
            history = self._log(db, info)
        questions = self._replayed(project_id, history.done)
        return ProjectState(
            info, questions, history.log, history.done, tuple(reversed(history.undone))
        )

    def _append(
        self,
        project_id: str,
        expected_version: int,
        user: str,
        make: Any,
    ) -> ProjectState:
        """Build the log entry with ``make(history, states, later)`` (``later``: the lines
        added since the version the user saw, for ``make`` to refuse what collides with them)
        and commit it. The cached history may briefly miss a line another thread committed
        meanwhile; the next read fetches every line after the last one it holds."""
        user = reviewer_name(user)
        with self._connect() as db:
            with self._transaction(db):
                info = self._info(db, project_id)
                history = self._log(db, info)
                states = self._replayed(project_id, history.done)
                log = history.log
                later = [e for e in log[max(0, expected_version - 1) :] if e.seq > expected_version]
                kind, edit, target, summary, new_states, touches = make(history, states, later)
                seq, at = info.version + 1, utc_now()
                db.execute(
                    "INSERT INTO edits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        project_id,
                        seq,
                        kind,
                        json.dumps(edit.to_dict(), ensure_ascii=False) if edit else None,
                        target,
                        user,
                        at,
                        summary,
                        touches.to_json(),
                    ),
                )
                db.execute("UPDATE projects SET version = ? WHERE id = ?", (seq, project_id))
            entry = LogEntry(seq, kind, edit, user, at, summary, target, touches)
            after = history.extended([entry])
            with self._lock:
                self._logs[project_id] = after
            self._remember(project_id, [e.seq for e in after.done], new_states)
        return self.state(project_id)

    def _refuse_collisions(
        self,
        keys: frozenset[str],
        later: Sequence[LogEntry],
        states: dict[str, QuestionReview],
        project_id: str,
        seen: int,
    ) -> None:
        """Raise ConflictError when a line added since version ``seen`` wrote what ``keys``
        read or write; edits by the same user in another tab count too."""
        for entry in later:
            hit = overlapping(keys, entry.touches.writes)
            if hit:
                what = describe(sorted(hit)[0], states)
                name = self.info(project_id).name  # read only when refusing
                raise ConflictError(
                    f"Nothing was saved: since you loaded '{name}' (version {seen}), "
                    f"{entry.user} changed {what} (version {entry.seq}: {entry.summary}). "
                    "The page now shows their change; make your edit again if it still applies."
                )

    def edit(self, project_id: str, edit: Edit, *, user: str, version: int) -> ProjectState:
        """Apply and record one edit made on ``version`` of the project. It is refused only when
        someone changed what it touches since that version; edits to other themes and answers
        made meanwhile are kept, and this one applies on top of them."""

        def make(
            history: History, states: dict[str, QuestionReview], later: list[LogEntry]
        ) -> tuple[Any, ...]:
            reads = reads_of(edit, states)
            self._refuse_collisions(reads, later, states, project_id, version)
            new_states, summary = apply_to_project(
                states, edit, lambda q: self.keyword_index(project_id, q)
            )
            touches = Touches(reads, writes_of(states, new_states))
            # What it reads was checked before applying it; now what it writes.
            self._refuse_collisions(touches.writes, later, states, project_id, version)
            created = created_themes(states, new_states)
            recorded = replace(edit, args={**edit.args, "ids": created}) if created else edit
            return "edit", recorded, None, summary, new_states, touches

        return self._append(project_id, version, user, make)

    def undo(self, project_id: str, *, user: str, version: int) -> ProjectState:
        """Undo ``user``'s latest edit still in effect (recorded in the history, never erased).
        Other reviewers' edits stay; an edit that a later edit by someone else builds on is not
        undone, and the message says whose."""
        who = reviewer_name(user)

        def make(
            history: History, states: dict[str, QuestionReview], later: list[LogEntry]
        ) -> tuple[Any, ...]:
            done = list(history.done)
            mine = [e for e in done if e.user == who]
            if not mine:
                raise ReviewError(
                    f"There is nothing to undo: {who} has no edit in effect in this project "
                    "(undo takes back your own edits, not other reviewers')."
                )
            last = mine[-1]
            position = done.index(last)
            for entry in done[position + 1 :]:
                if overlapping(entry.touches.keys, last.touches.writes):
                    raise ReviewError(
                        f"Your edit '{last.summary}' cannot be undone on its own: "
                        f"{entry.user}'s later edit '{entry.summary}' (version {entry.seq}) "
                        "builds on it. Ask them to undo theirs first, or make a new edit that "
                        "puts things back."
                    )
            rest = done[:position] + done[position + 1 :]
            try:
                new_states = self._replayed(project_id, rest)
            except ReviewError as exc:
                raise ReviewError(
                    f"Your edit '{last.summary}' cannot be undone: the edits made after it "
                    f"depend on it ({exc})"
                ) from None
            return "undo", None, last.seq, f"Undid: {last.summary}", new_states, last.touches

        return self._append(project_id, version, user, make)

    def redo(self, project_id: str, *, user: str, version: int) -> ProjectState:
        """Redo ``user``'s edit undone most recently, on top of everything done since; refused
        when someone else has since changed what it touches."""
        who = reviewer_name(user)

        def make(
            history: History, states: dict[str, QuestionReview], later: list[LogEntry]
        ) -> tuple[Any, ...]:
            mine = [e for e in history.undone if e.user == who]
            if not mine:
                raise ReviewError(f"There is nothing to redo for {who}.")
            target = mine[-1]
            undone_at = max(
                e.seq for e in history.log if e.kind == "undo" and e.target == target.seq
            )
            for entry in history.log:
                if (
                    entry.seq > undone_at
                    and entry.user != who
                    and overlapping(entry.touches.keys, target.touches.writes)
                ):
                    raise ReviewError(
                        f"'{target.summary}' cannot be redone: {entry.user} has since changed "
                        f"the same thing (version {entry.seq}: {entry.summary})."
                    )
            assert target.edit is not None
            try:
                new_states, _ = apply_to_project(
                    states, target.edit, lambda q: self.keyword_index(project_id, q)
                )
            except ReviewError as exc:
                raise ReviewError(f"'{target.summary}' cannot be redone: {exc}") from None
            return "redo", None, target.seq, f"Redid: {target.summary}", new_states, target.touches

        return self._append(project_id, version, user, make)

    def export_log(self, project_id: str) -> list[dict[str, Any]]:
        """The full history as JSON-ready records (replayable with ``themes replay``)."""
        with self._connect() as db:
            log = self._log(db, self._info(db, project_id)).log
        return [
            {
                "seq": e.seq,
                "kind": e.kind,
                "user": e.user,
                "at": e.at,
                "summary": e.summary,
                "target": e.target,
                "edit": e.edit.to_dict() if e.edit else None,
            }
            for e in log
        ]


def log_from_records(records: Sequence[dict[str, Any]]) -> list[LogEntry]:
    """Read back an exported history (``ProjectStore.export_log``)."""
    entries = []
    for number, record in enumerate(records, start=1):
        try:
            edit = Edit.from_dict(record["edit"]) if record.get("edit") else None
            entries.append(
                LogEntry(
                    int(record["seq"]),
                    str(record["kind"]),
                    edit,
                    str(record.get("user", "")),
                    str(record.get("at", "")),
                    str(record.get("summary", "")),
                    record.get("target"),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReviewError(
                f"Entry {number} of the edit history is not valid ({exc}); export it again from "
                "the app."
            ) from None
    return entries
