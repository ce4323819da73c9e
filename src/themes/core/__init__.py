"""Foundations every stage uses: the analysis settings, the errors the package raises on purpose,
progress reporting, where personal data is kept, and text made safe for markup and spreadsheets."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "config": ("AnalysisConfig", "DEFAULT_MODEL"),
    "errors": (
        "ThemesError",
        "InputError",
        "ConfigError",
        "ReviewError",
        "ConflictError",
        "ModelNotFoundError",
        "AccessError",
    ),
    "progress": ("ProgressFn", "no_progress"),
    "data_dirs": ("data_root", "make_private"),
    "markup": ("md", "html_text"),
    "spreadsheet": ("csv_bytes", "xlsx_bytes", "safe_cell"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
