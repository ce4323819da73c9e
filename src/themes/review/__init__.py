"""Stage 4, people review: the reviewed state of a question and every edit (with undo and
conflicts on what an edit touches), the project store in SQLite, who may do what, suggested
splits, and the reviewed tables and views the app and the CLI show."""

from themes.core.public_api import lazy_getattr, public_names

_API = {
    "state": ("QuestionReview",),
    "edits": ("Edit", "apply_edit"),
    "history": ("LogEntry", "History", "replay"),
    "store": ("ProjectStore", "ProjectState"),
    "records": ("ProjectInfo", "project_name"),
    "links": ("reviewed_mapping",),
    "split": ("suggest_split", "SplitSuggestion"),
    "tables": ("ReviewedQuestion", "reviewed_question"),
    "exports": ("write_reviewed",),
    "access": ("Authenticator", "Role"),
    "purge": ("delete_project", "purge_orphans"),
    "suggestions": ("Suggestion", "suggest_moves"),
}
__all__ = public_names(_API)
__getattr__ = lazy_getattr(__name__, _API)
