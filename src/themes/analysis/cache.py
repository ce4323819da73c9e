"""An on-disk embedding cache keyed by model id and text hash (SQLite), so nothing is embedded twice;
it also keeps the reduced (UMAP) vectors of recent analyses, so a re-run skips the reduction.

Vectors are written batch by batch, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from themes.analysis.embedding import Embedder
from themes.core.progress import ProgressFn, no_progress, scaled

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_spans (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    spans TEXT NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reductions (
    key TEXT PRIMARY KEY,
    rows INTEGER NOT NULL,
    columns INTEGER NOT NULL,
    vectors BLOB NOT NULL,
    used REAL NOT NULL
);
"""
VECTORS_VERSION = 2
"""Bumped when a model's vectors change without the model changing (2: OpenVINO in 32-bit
floats, batches unpadded), so vectors made before are not mixed with new ones."""
KEEP_REDUCTIONS = 20
"""Reduced vectors kept for this many recent analyses (a few hundred KB each at 10k responses)."""


def default_cache_path() -> Path:
    """``$THEMES_CACHE_DIR/embeddings.sqlite``, by default under ``$THEMES_DATA_DIR/cache/``."""
    from themes.core.data_dirs import cache_dir

    return cache_dir() / "embeddings.sqlite"


def _vectors_key(model_id: str) -> str:
    """The key a model's vectors are kept under (``VECTORS_VERSION``)."""
    return f"{model_id}/v{VECTORS_VERSION}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_IN_WAL: set[str] = set()
_SETTING_UP = threading.Lock()


def _write_ahead(path: Path) -> None:
    """Put the cache file in write-ahead mode, once per file and process: switching takes the
    file for itself, so two threads opening a new cache at once made one fail ('database is
    locked') before its timeout applied."""
    key = str(path.resolve())
    if key in _IN_WAL:
        return
    with _SETTING_UP:
        if key in _IN_WAL:
            return
        connection = sqlite3.connect(path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()
        _IN_WAL.add(key)


class EmbeddingCache:
    """Vectors by (model id, text) in one SQLite file; one instance may be used by several
    threads at once (each call opens its own connection)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _write_ahead(self.path)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.executescript(_SCHEMA)
            yield connection
            connection.commit()
        finally:
            connection.close()

    def get(self, model_id: str, texts: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors for those texts that have one, by text hash."""
        hashes = sorted({text_hash(t) for t in texts})
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(hashes), 500):
                chunk = hashes[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                    [_vectors_key(model_id), *chunk],
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model_id: str, texts: list[str], vectors: np.ndarray) -> None:
        """Store vectors for texts (replacing any earlier ones)."""
        rows = [
            (_vectors_key(model_id), text_hash(t), np.asarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)

    def get_name_spans(
        self, model_id: str, texts: list[str]
    ) -> dict[str, tuple[tuple[int, int], ...]]:
        """Where the name model found names in those texts it has read before (character
        offsets, no text), by text."""
        by_hash = {text_hash(t): t for t in texts}
        hashes = sorted(by_hash)
        found: dict[str, tuple[tuple[int, int], ...]] = {}
        with self._connect() as db:
            for start in range(0, len(hashes), 500):
                chunk = hashes[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT text_hash, spans FROM name_spans WHERE model = ? "
                    f"AND text_hash IN ({marks})",
                    [model_id, *chunk],
                )
                for key, spans in rows:
                    found[by_hash[key]] = tuple(tuple(s) for s in json.loads(spans))
        return found

    def put_name_spans(self, model_id: str, spans: dict[str, tuple[tuple[int, int], ...]]) -> None:
        """Keep what the name model found in each text (offsets only)."""
        rows = [(model_id, text_hash(t), json.dumps(s)) for t, s in spans.items()]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO name_spans VALUES (?, ?, ?)", rows)

    def get_reduction(self, key: str) -> np.ndarray | None:
        """Reduced vectors stored under ``key`` (see ``themes.analysis.reduction.reduction_keys``), if any."""
        with self._connect() as db:
            row = db.execute(
                "SELECT rows, columns, vectors FROM reductions WHERE key = ?", [key]
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE reductions SET used = ? WHERE key = ?", [time.time(), key])
        rows, columns, blob = row
        return np.frombuffer(blob, dtype=np.float32).reshape(rows, columns).copy()

    def put_reduction(self, key: str, vectors: np.ndarray) -> None:
        """Keep reduced vectors, forgetting all but the most recently used KEEP_REDUCTIONS."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO reductions VALUES (?, ?, ?, ?, ?)",
                [key, vectors.shape[0], vectors.shape[1], vectors.tobytes(), time.time()],
            )
            db.execute(
                "DELETE FROM reductions WHERE key NOT IN "
                "(SELECT key FROM reductions ORDER BY used DESC LIMIT ?)",
                [KEEP_REDUCTIONS],
            )

    def clear(self) -> None:
        """Delete every cached vector and reduction."""
        with self._connect() as db:
            db.execute("DELETE FROM embeddings")
            db.execute("DELETE FROM reductions")
            db.execute("DELETE FROM name_spans")


def _counting(step: ProgressFn, offset: int, size: int, total: int, what: str) -> ProgressFn:
    """Progress for one batch, worded as ``what`` embedded out of all that need it."""

    def report(_message: str, fraction: float) -> None:
        step(f"Embedding {what}: {offset + round(fraction * size)} of {total}", fraction)

    return report


def embed_texts(
    texts: list[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
    batch: int = 512,
    what: str = "responses",
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` in order, embedding only texts the cache lacks, ``batch`` at a time
    (or the embedder's ``chunk``: a cluster is given far more per call), each batch written to
    the cache as it comes; progress messages count ``what`` is embedded.

    Returns the vectors and how many distinct texts had to be embedded.
    """
    distinct = list(dict.fromkeys(texts))
    known = cache.get(embedder.model_id, distinct) if cache is not None else {}
    missing = [t for t in distinct if text_hash(t) not in known]
    batch = int(getattr(embedder, "chunk", batch))
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        step = scaled(progress, start / len(missing), (start + len(part)) / len(missing))
        vectors = embedder.embed(
            part, progress=_counting(step, start, len(part), len(missing), what)
        )
        if cache is not None:
            cache.put(embedder.model_id, part, vectors)
        known.update({text_hash(t): v for t, v in zip(part, vectors, strict=True)})
    progress(
        f"Embeddings of {what} ready ({len(missing)} new, {len(distinct) - len(missing)} from cache)",
        1.0,
    )
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    out = np.empty((len(texts), len(next(iter(known.values())))), dtype=np.float32)
    for position, text in enumerate(texts):  # filled in place: no second copy of every vector
        out[position] = known[text_hash(text)]
    return out, len(missing)


@dataclass
class CachedEmbedder:
    """An embedder whose every call goes through the cache: what was embedded before (answers,
    prototypes, label candidates) is read back, so a re-run need not load the model at all."""

    embedder: Embedder
    cache: EmbeddingCache

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray:
        vectors, _ = embed_texts(list(texts), self.embedder, self.cache, progress)
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return vectors
