"""Stage 1, a survey export in: read CSV/TSV/XLSX within limits, recognise the survey tool's
layout, tell each column's role, and turn one question into ``Responses`` with every row
accounted for (answers, non-answers, blanks)."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "reading": (
        "Table",
        "read_table",
        "read_table_bytes",
        "guess_text_columns",
        "choose_questions",
        "responses_from_table",
    ),
    "limits": ("ReadLimits",),
    "layouts": ("Layout", "detect_layout"),
    "columns": ("ColumnRoles", "detect_roles"),
    "prepare": ("classify", "is_non_answer"),
    "responses": ("Response", "Responses", "RowStatus"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
