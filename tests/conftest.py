"""Shared fixtures: a fresh, tiny world per test, and the bundled sample survey."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The web server's folder for the whole run, never the repository's data/ (set before the app,
# and so Gradio, is imported).
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="themes-tests-web-"))

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"
Q_IMPROVE = (
    "What are the top three things we could do to improve health and wellbeing in Gloucestershire?"
)
Q_ACCESS = (
    "Tell us about your experience of accessing health and care services "
    "(GP, hospital, community or social care)."
)
Q_DIGITAL = (
    "How do you feel about using digital services such as online GP appointments, "
    "the NHS App or video consultations?"
)
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Caches and results go to a per-test folder, never the user's data/."""
    monkeypatch.setenv("THEMES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("THEMES_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("THEMES_UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("THEMES_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def write_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text or bytes to a file in the test's folder and return its path."""

    def write(content: str | bytes, name: str = "survey.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


@contextlib.contextmanager
def launched_app(root: Path, data_file: Path = SAMPLE) -> Iterator[str]:
    """The app on the bundled sample, or ``data_file`` (hashing model), with its data under
    ``root``, served on a free loopback port: yields its URL."""
    from app.app import build_app, launch_options
    from themes import AnalysisConfig

    keys = ("THEMES_RESULTS_DIR", "THEMES_CACHE_DIR", "THEMES_DATA_DIR")
    saved = {k: os.environ.get(k) for k in keys}
    for key, name in zip(keys, ("results", "cache", "data"), strict=True):
        os.environ[key] = str(root / name)
    demo = build_app(data_file, AnalysisConfig(model="hashing"), preload=True)
    demo.queue().launch(prevent_thread_lock=True, quiet=True, **launch_options("127.0.0.1"))
    try:
        yield demo.local_url
    finally:
        demo.close()
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value
