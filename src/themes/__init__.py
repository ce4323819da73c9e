"""themes: turn free-text engagement feedback into reviewed themes and "what we heard" reports.

The public API is imported lazily so that ``import themes`` and ``themes --help`` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from themes.core.public_api import lazy_getattr, public_names
from themes.core.version import package_version

__version__ = package_version()

_API = {
    "themes.core.config": ("AnalysisConfig",),
    "themes.core.errors": ("ThemesError", "InputError", "ConfigError", "ModelNotFoundError"),
    "themes.ingest.reading": ("Table", "read_table", "guess_text_columns", "responses_from_table"),
    "themes.ingest.responses": ("Responses", "Response", "RowStatus"),
    "themes.analysis.pipeline": (
        "AnalysisResult",
        "Outcome",
        "RowResult",
        "analyse_responses",
        "analyse_file",
    ),
    "themes.analysis.cache": ("EmbeddingCache",),
    "themes.analysis.embedding": (
        "Embedder",
        "HashingEmbedder",
        "SentenceTransformerEmbedder",
        "available_models",
        "make_embedder",
    ),
    "themes.analysis.theme_model": ("Theme", "ThemeModel"),
    "themes.analysis.discover": ("discover_themes",),
    "themes.analysis.results": ("write_results", "read_results"),
}
__all__ = ["__version__", *public_names(_API)]
__getattr__ = lazy_getattr(__name__, _API)


if TYPE_CHECKING:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.discover import discover_themes
    from themes.analysis.embedding import (
        Embedder,
        HashingEmbedder,
        SentenceTransformerEmbedder,
        available_models,
        make_embedder,
    )
    from themes.analysis.pipeline import (
        AnalysisResult,
        Outcome,
        RowResult,
        analyse_file,
        analyse_responses,
    )
    from themes.analysis.results import read_results, write_results
    from themes.analysis.theme_model import Theme, ThemeModel
    from themes.core.config import AnalysisConfig
    from themes.core.errors import ConfigError, InputError, ModelNotFoundError, ThemesError
    from themes.ingest.reading import Table, guess_text_columns, read_table, responses_from_table
    from themes.ingest.responses import Response, Responses, RowStatus
