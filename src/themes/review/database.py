"""The SQLite file that holds every project: opened with a write-ahead log and full sync, so a
confirmed write survives a killed server, and migrated to the current schema when opened."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from themes.core.errors import ReviewError

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
    # 7: the similarity a link needs with the model the scores came from (a model tuned to the
    # framework scores on its own scale, themes.frameworks.tuning); NULL: the default.
    """
    ALTER TABLE item_scores ADD COLUMN threshold REAL;
    """,
)


def default_db_path() -> Path:
    """``$THEMES_DATA_DIR/projects.sqlite``, by default ``data/projects.sqlite``."""
    from themes.core.data_dirs import database_path

    return database_path()


class Database:
    """One database file, migrated when opened. Safe to share between threads and processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
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
