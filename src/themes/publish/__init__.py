"""Stage 5, what we heard: the report of a reviewed project as a format-neutral document
(suppressed small numbers, redacted quotes, method), rendered as accessible HTML and Word, with
charts, and the codebook as REFI-QDA for NVivo and ATLAS.ti."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "report": ("build_report", "ReportSettings"),
    "suppression": ("Suppressor",),
    "document": ("Document",),
    "html": ("render_html",),
    "docx": ("render_docx",),
    "qdc": ("codebook_qdc",),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
