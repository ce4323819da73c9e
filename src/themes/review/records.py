"""What each project holds: its analyses, responses and framework scores, the files that hold its
text, who it is shared with, and the audit of deletions, exports, shares and sign-ins."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.results import theme_from_dict
from themes.core.errors import ReviewError
from themes.frameworks.mapping import DEFAULT_THRESHOLD, ItemScores
from themes.review.database import Database


def project_name(name: str) -> str:
    """The name with its spaces tidied; refused when empty (checked before any analysis)."""
    name = " ".join((name or "").split())
    if not name:
        raise ReviewError("Give the project a name.")
    return name


@dataclass(frozen=True)
class ProjectInfo:
    """A project's identity and where it stands: its version counts the lines of its history."""

    id: str
    name: str
    created: str
    created_by: str
    framework: str
    source: str
    version: int
    questions: tuple[str, ...]


def reviewer_name(user: str) -> str:
    """The name an edit or an audit line is recorded under (spaces tidied; 'anonymous' if none)."""
    return " ".join(user.split()) or "anonymous"


def utc_now() -> str:
    """The time recorded with a project, an edit or an audit line (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class ProjectRecords(Database):
    """The projects in one database file and what each holds (the analyses never change, so
    they are read once per store)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._results: dict[str, tuple[AnalysisResult, ...]] = {}
        self._scores: dict[tuple[str, str], ItemScores | None] = {}
        super().__init__(path)

    def _forget(self, project_id: str) -> None:
        """Drop what is kept in memory of a deleted project (called holding the lock)."""
        self._results.pop(project_id, None)
        for key in [k for k in self._scores if k[0] == project_id]:
            del self._scores[key]

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
                (project_id, name, utc_now(), user, framework, source, json.dumps(list(files))),
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
                    "INSERT INTO item_scores (project_id, question, items, rows, scores, "
                    "threshold) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        project_id,
                        question,
                        json.dumps(item_scores.items),
                        json.dumps(item_scores.rows),
                        item_scores.scores.astype(np.float32).tobytes(),
                        item_scores.threshold,
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
                (utc_now(), user, action, project_id, project_name, detail),
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
            self._forget(project_id)
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
                "SELECT items, rows, scores, threshold FROM item_scores "
                "WHERE project_id = ? AND question = ?",
                (project_id, question),
            ).fetchone()
        found = None
        if row is not None:
            items, rows = tuple(json.loads(row[0])), tuple(json.loads(row[1]))
            scores = np.frombuffer(row[2], dtype=np.float32).reshape(len(rows), len(items))
            threshold = DEFAULT_THRESHOLD if row[3] is None else float(row[3])  # before migration 7
            found = ItemScores(items, rows, scores, threshold)
        with self._lock:
            self._scores[(project_id, question)] = found
        return found
