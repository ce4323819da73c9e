"""Column roles: respondent id, free-text questions, closed questions, demographics, metadata.

The guess is shown to the user, who can correct it; nothing here drops a column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from themes.core.errors import unknown_column
from themes.ingest.value_kinds import column_kind

_METADATA = re.compile(
    r"^(start ?(time|date)|end ?date|completion ?time|timestamp|date( of contribution)?|submitted|"
    r"started|ended|last modified time|recorded ?date|status|progress|"
    r"duration( \(in seconds\))?|finished|collector ?id|custom data( \d+)?|external ?reference|"
    r"distribution ?channel|user ?language|login|usertype|analyst notes|tags|token(guid)?|"
    r"(q_)?(recaptcha ?score|relevantid.*|q_url|q_language)|language)$",
    re.IGNORECASE,
)
# Qualtrics page-timing and meta-info columns: 'Q7_First Click', 'Q8_Browser', '_OS'.
_QUALTRICS_META = re.compile(
    r"_(first ?click|last ?click|page ?submit|click ?count|browser|version|operating ?system|os|"
    r"resolution)$",
    re.IGNORECASE,
)
_META_LABEL = re.compile(r"^(timing|.*meta ?info)\b|- (first|last) click$", re.IGNORECASE)
_PERSONAL_NAME = re.compile(
    r"^(ip ?address|e-?mail( address)?|.*\be-?mail\b.*|(first|last|full|your)? ?name|"
    r"recipient.*|location ?(latitude|longitude)|latitude|longitude|phone( number)?|"
    r"telephone|mobile( number)?|contact (details|number))$",
    re.IGNORECASE,
)
_ID = re.compile(r"^(response ?id|respondent ?id|user ?id|id)$", re.IGNORECASE)
_DEMOGRAPHIC = re.compile(
    r"\b(age|gender|sex|district|area|ward|town|postcode|ethnic\w*|disab\w*|carer|religion|belief|"
    r"sexual|orientation|pregnan\w*|employment|occupation|language|veteran|borough|locality|county)\b",
    re.IGNORECASE,
)
_SHORT_WORDS = 6  # a demographic question is asked briefly ("What is your age?")
_AGE_BAND = re.compile(
    r"(?i)(under|over|aged)? ?\d{1,3} ?(-|–|to|and over|or over|or older|\+|plus)? ?(\d{1,3})?"
    r"( years?( old)?)?"
)
_BAND_MARK = re.compile(r"(?i)[-–+]|\b(to|under|over|plus|older|aged|years?)\b")
_GENDER = frozenset(
    {
        "male", "female", "man", "woman", "men", "women", "non-binary", "non binary",
        "nonbinary", "trans", "transgender", "other", "prefer not to say",
        "prefer to self-describe", "prefer to self describe", "prefer not to answer",
        "in another way", "boy", "girl",
    }
)  # fmt: skip
_ETHNIC = re.compile(
    r"(?i)\b(white|asian|black|mixed|british|irish|gypsy|traveller|arab|chinese|caribbean|african|"
    r"pakistani|indian|bangladeshi|ethnic)\b"
)
_FREE_TEXT_MARK = re.compile(r"(_TEXT$|open-ended response$|please specify\)?$)", re.IGNORECASE)
_SEPARATORS = (re.compile(r"\s*;\s*"), re.compile(r",\s+"), re.compile(r"\s*\|\s*"))


@dataclass(frozen=True)
class ColumnRoles:
    """What each column of a survey export is for, and why it was given that role.

    ``personal`` holds columns of personal data (emails, names, phone numbers, IP addresses):
    never themed, and shown to the user so they can leave them out of what they share.
    """

    id: str | None
    free_text: tuple[str, ...]
    single_choice: tuple[str, ...] = ()
    multi_select: tuple[str, ...] = ()
    demographic: tuple[str, ...] = ()
    metadata: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)

    def role_of(self, column: str) -> str:
        if column == self.id:
            return "respondent id"
        for role, columns in (
            ("free text", self.free_text),
            ("personal data", self.personal),
            ("demographic", self.demographic),
            ("multi-select", self.multi_select),
            ("single choice", self.single_choice),
            ("metadata", self.metadata),
        ):
            if column in columns:
                return role
        return "other"

    def reason(self, column: str) -> str:
        """Why the column got its role, in words a user can check ('' when chosen by the user)."""
        return self.reasons.get(column, "")

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

        reasons = {c: r for c, r in self.reasons.items() if c not in chosen}
        reasons.update({c: "chosen by you" for c in chosen})
        return ColumnRoles(
            id=id_column or (None if self.id in chosen else self.id),
            free_text=tuple(free_text) if free_text is not None else keep(self.free_text),
            single_choice=keep(self.single_choice),
            multi_select=keep(self.multi_select),
            demographic=tuple(demographic) if demographic is not None else keep(self.demographic),
            metadata=keep(self.metadata),
            other=keep(self.other),
            personal=keep(self.personal),
            reasons=reasons,
        )


def _words(text: str) -> int:
    return len(text.split())


def free_text_reason(values: list[str]) -> str | None:
    """Why the values read as free-text answers, or None: varied, not numbers, and long enough."""
    if len(values) < 2:
        return None
    lengths = sorted(len(v) for v in values)
    median = lengths[len(lengths) // 2]
    distinct = len(set(values))
    numeric = sum(1 for v in values if re.fullmatch(r"[-+]?[\d.,:/ ]+", v)) / len(values)
    if numeric < 0.5 and distinct > 0.5 * len(values) and (median > 20 or lengths[-1] > 100):
        words = sorted(_words(v) for v in values)[len(values) // 2]
        return f"{distinct} distinct answers, median {words} words"
    return None


def _atoms(distinct: list[str], separator: re.Pattern[str]) -> dict[str, list[str]]:
    """Each distinct value split into options. Neighbouring parts that only ever appear together
    (in the same values, side by side) are one option with a separator inside it, such as
    'Central Toronto, York or East York'."""
    parts = {v: [p for p in separator.split(v) if p] for v in distinct}
    found_in: dict[str, set[str]] = {}
    for value, pieces in parts.items():
        for piece in pieces:
            found_in.setdefault(piece, set()).add(value)
    joiner = {0: "; ", 1: ", ", 2: " | "}[_SEPARATORS.index(separator)]
    merged: dict[str, list[str]] = {}
    for value, pieces in parts.items():
        out: list[str] = []
        for piece in pieces:
            if out and found_in[piece] == found_in[out[-1].split(joiner)[-1]]:
                out[-1] = out[-1] + joiner + piece
            else:
                out.append(piece)
        merged[value] = out
    return merged


def multi_select_reason(values: list[str]) -> str | None:
    """Why the values read as several options ticked at once, or None.

    Decided from the set of distinct values: an answer is several options when its parts also
    appear in other answers in other combinations; a value that always appears whole is one option
    even with a comma inside. Needs enough answers with several options, and few options overall.
    """
    distinct = list(dict.fromkeys(values))
    if len(values) < 3 or len(distinct) < 2:
        return None
    for separator in _SEPARATORS:
        if not any(separator.search(v) for v in distinct):
            continue
        atoms = _atoms(distinct, separator)
        options = {a for pieces in atoms.values() for a in pieces}
        several = sum(1 for v in values if len(atoms[v]) > 1)
        if (
            several >= max(2, 0.1 * len(values))
            and len(options) <= max(40, 0.3 * len(values))
            and len(options) < len(distinct) + several
            and all(len(o) <= 200 for o in options)
        ):
            return (
                f"{len(options)} options; {several / len(values):.0%} of answers pick more than one"
            )
    return None


def _question_words(column: str, label: str) -> str:
    """The text a person reads as the question: the label when the column is a short id."""
    return label if label and re.fullmatch(r"[A-Za-z]{0,3}\d+[\w.-]*", column) else column


def demographic_reason(column: str, label: str, values: list[str]) -> str | None:
    """Why a closed question reads as a demographic one, or None: its options are age bands, a
    gender or ethnicity list, or it is asked briefly with a demographic word ('Age', 'District')."""
    distinct = {v.strip().lower() for v in values}
    if not distinct:
        return None
    ages = sum(
        1
        for v in distinct
        if _AGE_BAND.fullmatch(v)
        and any(c.isdigit() for c in v)
        and _BAND_MARK.search(v)  # '18-24', '65+', 'Under 18': not a bare rating '3'
    )
    if ages >= max(2, 0.6 * len(distinct)):
        return "its options are age bands"
    genders = distinct & _GENDER
    if len(genders) >= 2 and len(genders) >= 0.6 * len(distinct):
        return "its options are genders"
    ethnic = sum(1 for v in distinct if _ETHNIC.search(v))
    if ethnic >= max(3, 0.6 * len(distinct)):
        return "its options are ethnic groups"
    question = _question_words(column, label)
    match = _DEMOGRAPHIC.search(question)
    if match and _words(question) <= _SHORT_WORDS:
        return f"a short question about {match.group(0).lower()}"
    return None


def _metadata_reason(column: str, label: str) -> str | None:
    name = column.strip()
    if _METADATA.match(name):
        return f"named like a survey tool's record-keeping column ({name!r})"
    if _QUALTRICS_META.search(name) or _META_LABEL.search(label):
        return "a Qualtrics page-timing or browser meta-info column"
    return None


def detect_roles(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> ColumnRoles:
    """Guess each column's role from its name (and question text), the layout and its values,
    with the reason for each guess."""
    id_column: str | None = None
    found: dict[str, list[str]] = {
        k: [] for k in ("free", "single", "multi", "demo", "meta", "other", "personal")
    }
    reasons: dict[str, str] = {}
    grouped = {c for cols in (groups or {}).values() for c in cols}

    def put(role: str, column: str, reason: str) -> None:
        found[role].append(column)
        reasons[column] = reason

    for column in map(str, frame.columns):
        values = [v.strip() for v in frame[column].tolist() if v.strip()]
        label = (labels or {}).get(column, "")
        named_id = _ID.match(column) is not None
        # 'ID' alone must be unique; an explicit 'Response ID' may repeat (a resubmission).
        unique = len(set(values)) == len(values) or column.strip().lower() != "id"
        kind = column_kind(values)
        if id_column is None and named_id and values and unique:
            id_column = column
            reasons[column] = f"named {column!r}, {len(set(values))} different values"
        elif kind is not None and kind.personal:
            put("personal", column, kind.reason())
        elif _PERSONAL_NAME.match(column.strip()):
            put("personal", column, f"named like a personal-data column ({column!r})")
        elif (meta := _metadata_reason(column, label)) is not None:
            put("meta", column, meta)
        elif not values:
            put("other", column, "no values")
        elif kind is not None:
            put("meta", column, kind.reason())
        elif _FREE_TEXT_MARK.search(column):
            put("free", column, f"a write-in box ({column!r}); {len(values)} answers")
        elif column in grouped and len(set(values)) <= 1:
            put("multi", column, "one column per option of a tick-all-that-apply question")
        elif (multi := multi_select_reason(values)) is not None:
            put("multi", column, multi)
        elif (free := free_text_reason(values)) is not None:
            put("free", column, free)
        elif len(set(values)) <= max(20, 0.5 * len(values)):
            demo = demographic_reason(column, label, values)
            if demo:
                put("demo", column, demo)
            else:
                put("single", column, f"{len(set(values))} distinct values")
        else:
            put("other", column, f"{len(set(values))} distinct short values")
    return ColumnRoles(
        id_column,
        tuple(found["free"]),
        tuple(found["single"]),
        tuple(found["multi"]),
        tuple(found["demo"]),
        tuple(found["meta"]),
        tuple(found["other"]),
        tuple(found["personal"]),
        reasons,
    )
