"""Column roles: respondent id, free-text questions, closed questions, demographics, metadata.

The guess is shown to the user, who can correct it; nothing here drops a column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from themes.errors import unknown_column

_METADATA = re.compile(
    r"^(start ?(time|date)|end ?date|completion ?time|timestamp|date( of contribution)?|submitted|"
    r"started|ended|last modified time|recorded ?date|status|ip ?address|progress|"
    r"duration( \(in seconds\))?|finished|collector ?id|custom data \d+|email( address)?|name|"
    r"first ?name|last ?name|recipient.*|external ?reference|location.*|distribution ?channel|"
    r"user ?language|login|usertype|analyst notes|tags)$",
    re.IGNORECASE,
)
_ID = re.compile(r"^(response ?id|respondent ?id|user ?id|id)$", re.IGNORECASE)
_DEMOGRAPHIC = re.compile(
    r"\b(age|gender|sex|district|area|ward|town|postcode|ethnic\w*|disab\w*|carer|religion|belief|"
    r"sexual|orientation|pregnan\w*|employment|occupation|language|veteran|borough|locality|county)\b",
    re.IGNORECASE,
)
_FREE_TEXT_MARK = re.compile(r"(_TEXT$|open-ended response$|please specify\)?$)", re.IGNORECASE)
_MULTI_SPLIT = re.compile(r";\s*|,\s+")


@dataclass(frozen=True)
class ColumnRoles:
    """What each column of a survey export is for."""

    id: str | None
    free_text: tuple[str, ...]
    single_choice: tuple[str, ...] = ()
    multi_select: tuple[str, ...] = ()
    demographic: tuple[str, ...] = ()
    metadata: tuple[str, ...] = ()
    other: tuple[str, ...] = ()

    def role_of(self, column: str) -> str:
        if column == self.id:
            return "respondent id"
        for role, columns in (
            ("free text", self.free_text),
            ("demographic", self.demographic),
            ("multi-select", self.multi_select),
            ("single choice", self.single_choice),
            ("metadata", self.metadata),
        ):
            if column in columns:
                return role
        return "other"

    def overridden(
        self,
        columns: Sequence[str],
        *,
        id_column: str | None = None,
        free_text: Sequence[str] | None = None,
        demographic: Sequence[str] | None = None,
    ) -> ColumnRoles:
        """The roles with the user's corrections applied (names are checked)."""
        for kind, names in (
            ("respondent id", [id_column] if id_column else []),
            ("free-text", free_text or []),
            ("demographic", demographic or []),
        ):
            for name in names:
                if name not in columns:
                    raise unknown_column(kind, name, columns)
        chosen = (
            set(free_text or ()) | set(demographic or ()) | ({id_column} if id_column else set())
        )

        def keep(group: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(c for c in group if c not in chosen)

        return ColumnRoles(
            id=id_column or (None if self.id in chosen else self.id),
            free_text=tuple(free_text) if free_text is not None else keep(self.free_text),
            single_choice=keep(self.single_choice),
            multi_select=keep(self.multi_select),
            demographic=tuple(demographic) if demographic is not None else keep(self.demographic),
            metadata=keep(self.metadata),
            other=keep(self.other),
        )


def _is_free_text(values: list[str]) -> bool:
    if len(values) < 2:
        return False
    lengths = sorted(len(v) for v in values)
    median = lengths[len(lengths) // 2]
    distinct = len(set(values)) / len(values)
    numeric = sum(1 for v in values if re.fullmatch(r"[-+]?[\d.,:/ ]+", v)) / len(values)
    return numeric < 0.5 and distinct > 0.5 and (median > 20 or lengths[-1] > 100)


def _is_multi_select(values: list[str]) -> bool:
    """Answers joined from a small set of options ('A;B;' or 'A, B')."""
    joined = [v for v in values if _MULTI_SPLIT.search(v)]
    if len(joined) < max(2, 0.2 * len(values)):
        return False
    options = {o.strip() for v in values for o in _MULTI_SPLIT.split(v) if o.strip()}
    return len(options) <= max(12, 0.3 * len(values)) and all(len(o) <= 80 for o in options)


def detect_roles(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> ColumnRoles:
    """Guess each column's role from its name (and question text), the layout and its values."""
    id_column: str | None = None
    free: list[str] = []
    single: list[str] = []
    multi: list[str] = []
    demo: list[str] = []
    meta: list[str] = []
    other: list[str] = []
    grouped = {c for cols in (groups or {}).values() for c in cols}
    for column in map(str, frame.columns):
        values = [v.strip() for v in frame[column].tolist() if v.strip()]
        named_id = _ID.match(column) is not None
        # 'ID' alone must be unique; an explicit 'Response ID' may repeat (a resubmission).
        unique = len(set(values)) == len(values) or column.strip().lower() != "id"
        if id_column is None and named_id and values and unique:
            id_column = column
        elif _FREE_TEXT_MARK.search(column):
            free.append(column)
        elif _METADATA.match(column.strip()):
            meta.append(column)
        elif column in grouped and len(set(values)) <= 1:
            multi.append(column)  # one column per option, cell = option label or blank
        elif _is_free_text(values):
            free.append(column)
        elif _is_multi_select(values):
            multi.append(column)
        elif values and len(set(values)) <= max(20, 0.5 * len(values)):
            named = f"{column} {(labels or {}).get(column, '')}"
            (demo if _DEMOGRAPHIC.search(named) else single).append(column)
        else:
            other.append(column)
    return ColumnRoles(
        id_column, tuple(free), tuple(single), tuple(multi), tuple(demo), tuple(meta), tuple(other)
    )
