"""Stage 3, a strategy's frame: frameworks (pillars, focus areas, cross-cutting items; bundled
TOML or an organisation's own TOML/CSV) and the mapping of answers and themes to their items."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "framework": ("Framework", "FrameworkItem", "load_framework", "bundled_frameworks"),
    "mapping": ("map_result", "PillarMapping", "ItemScores", "Link", "score_answers"),
    "tuning": ("framework_embedder", "tune_model", "TUNINGS"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
