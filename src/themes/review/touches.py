"""What one review edit reads and writes, so that reviewers working at the same time collide only
when their edits touch the same thing.

Keys name parts of a question's review: ``q/theme/3`` is theme 3 as a whole (written when it is
created, merged away or deleted), ``q/theme/3/label`` one of its fields, ``q/row/17`` the themes
of one answer, ``q/redaction`` and ``q/batches`` question-wide settings. An edit *reads* the themes
and answers its arguments name (``q/theme/3/exists``: it needs theme 3 to be there) and *writes*
whatever differs between the state before and after it. Derived values (keywords, suggested
quotes) are not writes: they follow the answers.

Two keys overlap when they are equal or one contains the other (``q/theme/3`` overlaps
``q/theme/3/label`` and ``q/theme/3/exists``). An edit made on an old version conflicts with a
later one when anything it reads or writes overlaps what the later one wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

if TYPE_CHECKING:
    from themes.review.edits import Edit
    from themes.review.state import QuestionReview

EVERYTHING = "*"
"""The key of an edit whose effect is unknown (recorded before touches were kept)."""

THEME_FIELDS = ("label", "definition", "minority", "quotes", "links", "group", "kind")
"""Fields a reviewer sets; keywords, suggested quotes and origin follow from the answers."""

FIELD_WORDS = {
    "label": "name",
    "definition": "definition",
    "minority": "minority-view flag",
    "quotes": "chosen quotes",
    "links": "framework links",
    "group": "broad theme",
    "kind": "kind",
    "exists": "",
}

THEME_ARGS = ("theme", "into", "to")
THEMES_ARGS = ("themes",)
ROW_ARGS = ("row",)
ROWS_ARGS = ("rows",)


@dataclass(frozen=True)
class Touches:
    """The keys an edit read and wrote."""

    reads: frozenset[str]
    writes: frozenset[str]

    @property
    def keys(self) -> frozenset[str]:
        return self.reads | self.writes

    def to_json(self) -> str:
        return json.dumps({"reads": sorted(self.reads), "writes": sorted(self.writes)})

    @classmethod
    def from_json(cls, text: str | None) -> Touches:
        """Stored touches; an entry without them (an older history) touches everything."""
        if not text:
            return UNKNOWN
        data = json.loads(text)
        return cls(frozenset(data.get("reads", ())), frozenset(data.get("writes", ())))


UNKNOWN = Touches(frozenset({EVERYTHING}), frozenset({EVERYTHING}))


def _ancestors(key: str) -> Iterator[str]:
    """The key and every key that contains it: q/theme/3/label -> itself, q/theme/3, q/theme, q."""
    parts = key.split("/")
    for end in range(len(parts), 0, -1):
        yield "/".join(parts[:end])


def overlapping(keys: Iterable[str], written: Iterable[str]) -> set[str]:
    """The keys of ``written`` that overlap any of ``keys`` (equal, containing or contained)."""
    written = set(written)
    keys = set(keys)
    if not written or not keys:
        return set()
    if EVERYTHING in written or EVERYTHING in keys:
        return written
    containers = {a for k in keys for a in _ancestors(k)}  # keys and what contains them
    hit = {w for w in written if w in containers}
    hit |= {w for w in written for a in _ancestors(w) if a in keys}  # written inside a key
    return hit


def reads_of(edit: Edit, states: Mapping[str, QuestionReview]) -> frozenset[str]:
    """The themes and answers an edit's arguments name."""
    questions = list(states) if edit.question not in states else [edit.question]
    args = edit.args
    themes: list[Any] = [args.get(name) for name in THEME_ARGS]
    for name in THEMES_ARGS:
        value = args.get(name)
        if isinstance(value, list | tuple):
            themes.extend(value)
    rows: list[Any] = [args.get(name) for name in ROW_ARGS]
    for name in ROWS_ARGS:
        value = args.get(name)
        if isinstance(value, list | tuple):
            rows.extend(value)
    groups = args.get("groups")
    if isinstance(groups, list | tuple):
        for group in groups:
            if isinstance(group, Mapping) and isinstance(group.get("rows"), list | tuple):
                rows.extend(group["rows"])
    keys: set[str] = set()
    for question in questions:
        q = _q(question)
        keys |= {f"{q}/theme/{_number(t)}/exists" for t in themes if _number(t) is not None}
        keys |= {f"{q}/row/{_number(r)}" for r in rows if _number(r) is not None}
        if edit.op == "rename_group" and isinstance(args.get("group"), str):
            keys |= {
                f"{q}/theme/{t.id}/group"
                for t in states[question].themes.values()
                if t.group == args["group"]
            }
    return frozenset(keys)


def _q(question: str) -> str:
    """A question's name as the first part of a key (question names may hold '/')."""
    return quote(question, safe="")


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def writes_of(
    before: Mapping[str, QuestionReview], after: Mapping[str, QuestionReview]
) -> frozenset[str]:
    """Everything a reviewer set that differs between two states of a project."""
    keys: set[str] = set()
    for question, new in after.items():
        old = before.get(question)
        if old is None or old is new:
            continue
        q = _q(question)
        if old.themes is not new.themes:
            for theme_id in old.themes.keys() | new.themes.keys():
                was, now = old.themes.get(theme_id), new.themes.get(theme_id)
                if was is None or now is None:
                    keys.add(f"{q}/theme/{theme_id}")
                elif was != now:
                    keys |= {
                        f"{q}/theme/{theme_id}/{name}"
                        for name in THEME_FIELDS
                        if getattr(was, name) != getattr(now, name)
                    }
        if old.assignment is not new.assignment:
            keys |= {
                f"{q}/row/{row}"
                for row, theme in new.assignment.items()
                if old.assignment.get(row, -1) != theme
            }
        if old.also is not new.also:
            keys |= {
                f"{q}/row/{row}"
                for row in old.also.keys() | new.also.keys()
                if old.also.get(row) != new.also.get(row)
            }
        if old.added != new.added or old.candidates != new.candidates:
            keys.add(f"{q}/batches")
        if old.redaction != new.redaction:
            keys.add(f"{q}/redaction")
    return frozenset(keys)


def created_themes(
    before: Mapping[str, QuestionReview], after: Mapping[str, QuestionReview]
) -> list[int]:
    """Ids of the themes an edit created, in the order it created them."""
    created: list[int] = []
    for q, new in after.items():
        old = before.get(q)
        if old is not None and old.themes is not new.themes:
            created += [t for t in new.themes if t not in old.themes]
    return created


def describe(key: str, states: Mapping[str, QuestionReview]) -> str:
    """A key in words, for a conflict message."""
    parts = key.split("/")
    if key == EVERYTHING or len(parts) < 2:
        return "the project"
    what = parts[1]
    state = states.get(unquote(parts[0]))
    if what == "theme" and len(parts) >= 3:
        theme_id = _number(parts[2])
        theme = state.themes.get(theme_id) if state and theme_id is not None else None
        name = f"theme '{theme.label}'" if theme else f"theme {parts[2]}"
        field = FIELD_WORDS.get(parts[3], parts[3]) if len(parts) > 3 else ""
        return f"the {field} of {name}" if field else name
    if what == "row" and len(parts) >= 3:
        return f"response row {parts[2]}"
    if what == "redaction":
        return "the redaction settings"
    if what == "batches":
        return "the later batches of responses"
    return "the project"
