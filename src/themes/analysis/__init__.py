"""Stage 2, themes found: embed the answers (cached), group "nothing needs to change" answers,
discover themes (consensus of several UMAP + HDBSCAN layouts, stories by sentence), label them,
find answers that also raise other themes, and write the results with their provenance."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "pipeline": (
        "analyse_responses",
        "analyse_file",
        "analyse_table",
        "AnalysisResult",
        "Outcome",
        "RowResult",
    ),
    "embedding": (
        "Embedder",
        "make_embedder",
        "available_models",
        "HashingEmbedder",
        "SentenceTransformerEmbedder",
    ),
    "cache": ("EmbeddingCache", "embed_texts"),
    "discover": ("discover_themes",),
    "theme_model": ("Theme", "ThemeModel"),
    "results": ("write_results", "read_results"),
    "workspace": ("SurveyFile", "analyse_cached"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
