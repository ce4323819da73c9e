"""themes: turn free-text engagement feedback into reviewed themes and "what we heard" reports.

The public API is imported lazily so that ``import themes`` and ``themes --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("themes")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_EXPORTS = {
    "AnalysisConfig": "themes.config",
    "AnalysisResult": "themes.analysis",
    "Outcome": "themes.analysis",
    "RowResult": "themes.analysis",
    "analyse_responses": "themes.analysis",
    "analyse_file": "themes.analysis",
    "EmbeddingCache": "themes.cache",
    "Embedder": "themes.embedding",
    "HashingEmbedder": "themes.embedding",
    "SentenceTransformerEmbedder": "themes.embedding",
    "available_models": "themes.embedding",
    "make_embedder": "themes.embedding",
    "ThemesError": "themes.errors",
    "InputError": "themes.errors",
    "ConfigError": "themes.errors",
    "ModelNotFoundError": "themes.errors",
    "Table": "themes.ingest",
    "read_table": "themes.ingest",
    "guess_text_columns": "themes.ingest",
    "responses_from_table": "themes.ingest",
    "Responses": "themes.responses",
    "Response": "themes.responses",
    "RowStatus": "themes.responses",
    "Theme": "themes.theme_model",
    "ThemeModel": "themes.theme_model",
    "discover_themes": "themes.discover",
    "write_results": "themes.results",
    "read_results": "themes.results",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'themes' has no attribute {name!r}")


if TYPE_CHECKING:
    from themes.analysis import AnalysisResult, Outcome, RowResult, analyse_file, analyse_responses
    from themes.cache import EmbeddingCache
    from themes.config import AnalysisConfig
    from themes.discover import discover_themes
    from themes.embedding import (
        Embedder,
        HashingEmbedder,
        SentenceTransformerEmbedder,
        available_models,
        make_embedder,
    )
    from themes.errors import ConfigError, InputError, ModelNotFoundError, ThemesError
    from themes.ingest import Table, guess_text_columns, read_table, responses_from_table
    from themes.responses import Response, Responses, RowStatus
    from themes.results import read_results, write_results
    from themes.theme_model import Theme, ThemeModel
