"""Review projects in one SQLite database: analyses, responses, framework scores and the edit log.

Every edit is committed (WAL journal, full sync) before it is reported as done, so killing the
server loses no confirmed edit. Each edit states the project version it was made on; when someone
else has changed the project since, it is refused with a ``ConflictError`` instead of silently
overwriting their work. The state shown is always the analysis replayed through the edits in
effect, the same function the CLI uses to replay an exported log.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from themes.analysis.keywords import KeywordIndex
from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.results import theme_from_dict
from themes.core.errors import ConflictError, ReviewError
from themes.frameworks.mapping import ItemScores
from themes.review.edits import Edit
from themes.review.history import History, LogEntry, apply_to_project
from themes.review.state import QuestionReview
from themes.review.touches import (
    Touches,
    created_themes,
    describe,
    overlapping,
    reads_of,
    writes_of,
)

# Each migration takes the schema from version i to i + 1; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created TEXT NOT NULL,
        created_by TEXT NOT NULL,
        framework TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE analyses (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        themes TEXT NOT NULL,
        provenance TEXT NOT NULL,
        PRIMARY KEY (project_id, question)
    );
    CREATE TABLE responses (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        row INTEGER NOT NULL,
        respondent_id TEXT NOT NULL,
        text TEXT NOT NULL,
        outcome TEXT NOT NULL,
        theme_id INTEGER,
        similarity REAL,
        reassigned INTEGER NOT NULL,
        PRIMARY KEY (project_id, question, row)
    );
    CREATE TABLE item_scores (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        items TEXT NOT NULL,
        rows TEXT NOT NULL,
        scores BLOB NOT NULL,
        PRIMARY KEY (project_id, question)
    );
    CREATE TABLE edits (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo')),
        edit TEXT,
        target INTEGER,
        user TEXT NOT NULL,
        at TEXT NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (project_id, seq)
    );
    """,
    # 2: files on disk that hold the project's text (its stored upload, cached analyses), removed
    # with the project.
    """
    ALTER TABLE projects ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
    """,
    # 3: who the respondents are (demographic columns), for "who we heard from".
    """
    CREATE TABLE demographics (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        column_name TEXT NOT NULL,
        respondent_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (project_id, column_name, respondent_id)
    );
    """,
    # 4: the other themes each answer also mentions (theme ids as a JSON list).
    """
    ALTER TABLE responses ADD COLUMN also TEXT NOT NULL DEFAULT '[]';
    """,
    # 5: who a project is shared with, and an audit of deletions, exports, shares and sign-ins.
    """
    CREATE TABLE members (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        user TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'reviewer', 'viewer')),
        PRIMARY KEY (project_id, user)
    );
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        project_id TEXT NOT NULL,
        project_name TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    """,
    # 6: what each edit read and wrote, so that reviewers' edits conflict only when they touch
    # the same theme or answer (themes.review.touches); NULL for edits recorded before.
    """
    ALTER TABLE edits ADD COLUMN touches TEXT;
    """,
)


STATES_KEPT = 64


def project_name(name: str) -> str:
    """The name with its spaces tidied; refused when empty (checked before any analysis)."""
    name = " ".join((name or "").split())
    if not name:
        raise ReviewError("Give the project a name.")
    return name


def default_db_path() -> Path:
    """``$THEMES_DATA_DIR/projects.sqlite``, by default ``data/projects.sqlite``."""
    from themes.core.data_dirs import database_path

    return database_path()


@dataclass(frozen=True)
class ProjectInfo:
    id: str
    name: str
    created: str
    created_by: str
    framework: str
    source: str
    version: int
    questions: tuple[str, ...]


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
        return tuple(e for e in self.undoable if e.user == _who(user))

    def redoable_by(self, user: str) -> tuple[LogEntry, ...]:
        """``user``'s undone edits that redo can bring back, the next one first."""
        return tuple(e for e in self.redoable if e.user == _who(user))


def _who(user: str) -> str:
    return " ".join(user.split()) or "anonymous"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ProjectStore:
    """All projects in one database file. Safe to share between threads and processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # Reviewed states by project and the edits in effect (seq numbers): undo, redo and a
        # version seen before are found here instead of replaying the whole history.
        self._states: OrderedDict[tuple[str, tuple[int, ...]], dict[str, QuestionReview]] = (
            OrderedDict()
        )
        self._indexes: dict[tuple[str, str], KeywordIndex] = {}
        self._preparing: set[tuple[str, str]] = set()
        self._logs: dict[str, History] = {}
        self._base: dict[str, dict[str, QuestionReview]] = {}
        self._results: dict[str, tuple[AnalysisResult, ...]] = {}
        self._scores: dict[tuple[str, str], ItemScores | None] = {}
        with self._connect() as db:
            self._migrate(db)

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not left in pages
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _migrate(self, db: sqlite3.Connection) -> None:
        with self._transaction(db):
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > len(MIGRATIONS):
                raise ReviewError(
                    f"{self.path} was written by a newer version of themes (schema {current}); "
                    "upgrade themes to open it."
                )
            for number in range(current, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    def schema_version(self) -> int:
        with self._connect() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    # -- projects ---------------------------------------------------------------------------

    def create(
        self,
        name: str,
        results: Sequence[AnalysisResult],
        *,
        framework: str,
        user: str,
        source: str = "",
        scores: dict[str, ItemScores] | None = None,
        files: Sequence[str] = (),
        demographics: dict[str, dict[str, str]] | None = None,
    ) -> ProjectInfo:
        """A new project holding one analysis per question (and their framework scores).

        ``files`` are paths on disk holding the project's text (a stored upload, cached
        analyses): they are deleted with the project unless another project uses them."""
        name = project_name(name)
        if not results:
            raise ReviewError("A project needs at least one analysed question.")
        project_id = uuid.uuid4().hex[:12]
        with self._connect() as db, self._transaction(db):
            db.execute(
                "INSERT INTO projects (id, name, created, created_by, framework, source, files) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (project_id, name, _now(), user, framework, source, json.dumps(list(files))),
            )
            for position, result in enumerate(results):
                db.execute(
                    "INSERT INTO analyses VALUES (?, ?, ?, ?, ?)",
                    (
                        project_id,
                        position,
                        result.question,
                        json.dumps([asdict(t) for t in result.themes]),
                        json.dumps(result.provenance),
                    ),
                )
                db.executemany(
                    "INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            project_id,
                            result.question,
                            r.row,
                            r.respondent_id,
                            r.text,
                            r.outcome.value,
                            r.theme_id,
                            r.similarity,
                            int(r.reassigned),
                            json.dumps(list(r.also)),
                        )
                        for r in result.rows
                    ),
                )
            for column, values in (demographics or {}).items():
                db.executemany(
                    "INSERT OR IGNORE INTO demographics VALUES (?, ?, ?, ?)",
                    (
                        (project_id, column, respondent, value)
                        for respondent, value in values.items()
                    ),
                )
            for question, item_scores in (scores or {}).items():
                db.execute(
                    "INSERT INTO item_scores VALUES (?, ?, ?, ?, ?)",
                    (
                        project_id,
                        question,
                        json.dumps(item_scores.items),
                        json.dumps(item_scores.rows),
                        item_scores.scores.astype(np.float32).tobytes(),
                    ),
                )
        return self.info(project_id)

    def files(self, project_id: str) -> list[str]:
        """Paths on disk holding the project's text (its stored upload and analyses)."""
        with self._connect() as db:
            self._info(db, project_id)
            (files,) = db.execute(
                "SELECT files FROM projects WHERE id = ?", (project_id,)
            ).fetchone()
        return [str(p) for p in json.loads(files)]

    # -- access and audit -------------------------------------------------------------------

    def members(self, project_id: str) -> dict[str, str]:
        """Who the project is shared with: user -> role (its creator owns it besides)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT user, role FROM members WHERE project_id = ?", (project_id,)
            ).fetchall()
        return {user: role for user, role in rows}

    def authorise(
        self, project_id: str, user: str | None, action: str, admin: bool = False
    ) -> ProjectInfo:
        """The project's info if ``user`` may do ``action`` to it (``themes.review.access``); None is
        the local user of an app without sign-in, or the command line."""
        from themes.review.access import check

        info = self.info(project_id)
        check(action, info.name, info.created_by, self.members(project_id), user, admin)
        return info

    def share(self, project_id: str, user: str, role: str | None, *, by: str) -> None:
        """Share the project with ``user`` as 'owner', 'reviewer' or 'viewer'; None removes them."""
        from themes.review.access import Role

        user = " ".join((user or "").split())
        if not user:
            raise ReviewError("Name the person to share the project with.")
        if role is not None and role not in {r.value for r in Role}:
            raise ReviewError(f"A role is 'owner', 'reviewer' or 'viewer', not {role!r}.")
        info = self.info(project_id)
        with self._connect() as db, self._transaction(db):
            if role is None:
                db.execute(
                    "DELETE FROM members WHERE project_id = ? AND user = ?", (project_id, user)
                )
            else:
                db.execute(
                    "INSERT INTO members VALUES (?, ?, ?) ON CONFLICT (project_id, user) "
                    "DO UPDATE SET role = excluded.role",
                    (project_id, user, role),
                )
        self.record(by, "share", project_id, info.name, f"{user}: {role or 'removed'}")

    def record(
        self, user: str, action: str, project_id: str = "", project_name: str = "", detail: str = ""
    ) -> None:
        """Add a line to the audit (deletions, exports, reports, shares, refused sign-ins)."""
        with self._connect() as db, self._transaction(db):
            db.execute(
                "INSERT INTO audit (at, user, action, project_id, project_name, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_now(), user, action, project_id, project_name, detail),
            )

    def audit_log(self, limit: int = 500) -> list[tuple[str, str, str, str, str]]:
        """The newest audit lines: (time, user, action, project, detail)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT at, user, action, project_name || CASE WHEN project_id = '' THEN '' "
                "ELSE ' (' || project_id || ')' END, detail FROM audit ORDER BY seq DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [tuple(r) for r in rows]

    def projects(self) -> list[ProjectInfo]:
        """Every project, newest first."""
        with self._connect() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM projects ORDER BY created DESC, id")]
        return [self.info(i) for i in ids]

    def info(self, project_id: str) -> ProjectInfo:
        with self._connect() as db:
            return self._info(db, project_id)

    def _info(self, db: sqlite3.Connection, project_id: str) -> ProjectInfo:
        row = db.execute(
            "SELECT id, name, created, created_by, framework, source, version FROM projects "
            "WHERE id = ?",
            (project_id,),
        ).fetchone()
        if row is None:
            raise ReviewError(
                f"There is no project {project_id!r}; it may have been deleted. Choose another "
                "project or create a new one."
            )
        questions = tuple(
            q
            for (q,) in db.execute(
                "SELECT question FROM analyses WHERE project_id = ? ORDER BY position",
                (project_id,),
            )
        )
        project, name, created, created_by, framework, source, version = row
        return ProjectInfo(
            project, name, created, created_by, framework, source, int(version), questions
        )

    def delete(self, project_id: str) -> list[str]:
        """Remove a project and all its data: responses, analyses, edits, and the files on disk
        that held its text (unless another project still uses them). Returns the files removed."""
        with self._connect() as db, self._transaction(db):
            self._info(db, project_id)
            (own,) = db.execute("SELECT files FROM projects WHERE id = ?", (project_id,)).fetchone()
            others = {
                path
                for (files,) in db.execute(
                    "SELECT files FROM projects WHERE id != ?", (project_id,)
                )
                for path in json.loads(files)
            }
            db.execute("DELETE FROM projects WHERE id = ?", (project_id,))
        removed = []
        for path in json.loads(own):
            if path in others:
                continue
            target = Path(path)
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            elif target.exists():
                target.unlink(missing_ok=True)
            removed.append(path)
        with self._lock:
            for state_key in [k for k in self._states if k[0] == project_id]:
                del self._states[state_key]
            self._base.pop(project_id, None)
            self._logs.pop(project_id, None)
            self._results.pop(project_id, None)
            for key in [k for k in self._scores if k[0] == project_id]:
                del self._scores[key]
            for key in [k for k in self._indexes if k[0] == project_id]:
                del self._indexes[key]
        with self._connect() as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # nor left in the write-ahead log
        return removed

    # -- analyses ---------------------------------------------------------------------------

    def results(self, project_id: str) -> list[AnalysisResult]:
        """The analyses the project started from, question by question (they never change, so
        they are read once per store)."""
        with self._lock:
            if project_id in self._results:
                return list(self._results[project_id])
        with self._connect() as db:
            self._info(db, project_id)
            analyses = db.execute(
                "SELECT question, themes, provenance FROM analyses WHERE project_id = ? "
                "ORDER BY position",
                (project_id,),
            ).fetchall()
            results = []
            for question, themes_json, provenance in analyses:
                rows = tuple(
                    RowResult(
                        r[0],
                        r[1],
                        r[2],
                        Outcome(r[3]),
                        r[4],
                        r[5],
                        bool(r[6]),
                        tuple(json.loads(r[7])),
                    )
                    for r in db.execute(
                        "SELECT row, respondent_id, text, outcome, theme_id, similarity, "
                        "reassigned, also FROM responses WHERE project_id = ? AND question = ? "
                        "ORDER BY row",
                        (project_id, question),
                    )
                )
                themes = tuple(theme_from_dict(t) for t in json.loads(themes_json))
                results.append(AnalysisResult(question, themes, rows, json.loads(provenance)))
        with self._lock:
            self._results[project_id] = tuple(results)
        return results

    def demographics(self, project_id: str) -> dict[str, dict[str, str]]:
        """Demographic column -> respondent id -> answer (blank answers included)."""
        found: dict[str, dict[str, str]] = {}
        with self._connect() as db:
            for column, respondent, value in db.execute(
                "SELECT column_name, respondent_id, value FROM demographics WHERE project_id = ? "
                "ORDER BY rowid",
                (project_id,),
            ):
                found.setdefault(column, {})[respondent] = value
        return found

    def item_scores(self, project_id: str, question: str) -> ItemScores | None:
        """Each answer's framework scores, stored when the project was made (read once)."""
        with self._lock:
            if (project_id, question) in self._scores:
                return self._scores[(project_id, question)]
        with self._connect() as db:
            row = db.execute(
                "SELECT items, rows, scores FROM item_scores WHERE project_id = ? AND question = ?",
                (project_id, question),
            ).fetchone()
        found = None
        if row is not None:
            items, rows = tuple(json.loads(row[0])), tuple(json.loads(row[1]))
            scores = np.frombuffer(row[2], dtype=np.float32).reshape(len(rows), len(items))
            found = ItemScores(items, rows, scores)
        with self._lock:
            self._scores[(project_id, question)] = found
        return found

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
        user = _who(user)
        with self._connect() as db:
            with self._transaction(db):
                info = self._info(db, project_id)
                history = self._log(db, info)
                states = self._replayed(project_id, history.done)
                log = history.log
                later = [e for e in log[max(0, expected_version - 1) :] if e.seq > expected_version]
                kind, edit, target, summary, new_states, touches = make(history, states, later)
                seq, at = info.version + 1, _now()
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
        who = _who(user)

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
        who = _who(user)

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
