"""What kind of value a cell holds when it is not an answer: an email address, a phone number,
a postcode, an IP address, a web address, a social-media handle, a person's name or an opaque
identifier. A column mostly of one kind is personal data or metadata, never a question to theme.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from themes.privacy.redact import EMAIL, POSTCODE, UK_PHONE

PERSONAL = ("email address", "phone number", "postcode", "IP address", "social-media handle")
NAME = "person's name"
# Every other kind ('web address', 'identifier', 'date or time') is metadata.
SAMPLE = 2_000  # values looked at per column: enough to judge, quick on 200,000 rows

_URL = re.compile(
    r"(?i)(https?://|www\.)\S+|[\w-]+(\.[\w-]+)*\.(com|org|net|uk|io|co|gov|nhs|edu|info|me)(/\S*)?"
)
_HANDLE = re.compile(r"@[A-Za-z0-9_.]{2,30}")
_PHONE = re.compile(r"\+?[\d ().-]{7,20}")
_GUID = re.compile(r"(?i)\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?")
_TOKEN = re.compile(r"[A-Za-z0-9_:.=+/-]{6,}")
_DATE_TIME = re.compile(
    r"(?i)(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AP]M)?( ?(GMT|UTC|Z)?[+-]?\d{0,2}:?\d{0,2})?)?"
)
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*\.?|[A-Z]\.?")


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


def kind_of(value: str) -> str | None:
    """The kind of a single cell value, or None for anything that could be an answer."""
    value = value.strip()
    if not value or len(value) > 200:
        return None
    if EMAIL.fullmatch(value):
        return "email address"
    if _DATE_TIME.fullmatch(value):
        return "date or time"
    if _HANDLE.fullmatch(value):
        return "social-media handle"
    if _URL.fullmatch(value):
        return "web address"
    try:
        ipaddress.ip_address(value)
        return "IP address"
    except ValueError:
        pass
    if POSTCODE.fullmatch(value):
        return "postcode"
    if UK_PHONE.fullmatch(value) or (
        _PHONE.fullmatch(value) and 7 <= _digits(value) <= 15 and value.startswith(("+", "0", "("))
    ):
        return "phone number"
    if _GUID.fullmatch(value) or (
        _TOKEN.fullmatch(value)
        and (
            (any(c.isdigit() for c in value) and any(c.isalpha() for c in value))
            or (value.isdigit() and len(value) >= 6)
        )
    ):
        return "identifier"
    return None


def _name_shaped(value: str) -> bool:
    words = value.split()
    return 1 <= len(words) <= 4 and len(value) <= 40 and all(_NAME_WORD.fullmatch(w) for w in words)


@dataclass(frozen=True)
class ColumnKind:
    """A column's values are mostly of one kind."""

    kind: str
    share: float

    @property
    def personal(self) -> bool:
        return self.kind in PERSONAL or self.kind == NAME

    def reason(self) -> str:
        return f"{self.share:.0%} of values are {_plural(self.kind)}"


def _plural(kind: str) -> str:
    return {
        "person's name": "people's names",
        "IP address": "IP addresses",
        "date or time": "dates or times",
    }.get(kind, kind + ("es" if kind.endswith("s") else "s"))


def column_kind(values: Sequence[str], threshold: float = 0.8) -> ColumnKind | None:
    """The kind most of a column's non-empty values share (at least ``threshold`` of them)."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return None
    if len(values) > SAMPLE:  # evenly spaced, so the judgement covers the whole file
        step = len(values) / SAMPLE
        values = [values[int(i * step)] for i in range(SAMPLE)]
    kinds = Counter(kind_of(v) for v in values)
    kind, count = max(
        ((k, c) for k, c in kinds.items() if k), key=lambda kc: kc[1], default=("", 0)
    )
    if kind == "identifier" and len(set(values)) < 0.9 * len(values):
        kind, count = "", 0  # codes that repeat are options, not identifiers
    if kind and count >= threshold * len(values):
        return ColumnKind(kind, count / len(values))
    return _names_column(values, threshold)


def _names_column(values: list[str], threshold: float) -> ColumnKind | None:
    """People's names: short capitalised values, mostly different, that the name model tags as a
    person (or, without the model, of two words or more)."""
    shaped = [v for v in values if _name_shaped(v)]
    if len(shaped) < threshold * len(values) or len(set(values)) < 0.5 * len(values):
        return None
    from themes.privacy.names import model_available, person_spans

    sample = list(dict.fromkeys(shaped))[:60]
    if model_available():
        spans = person_spans(sample, every_text=True)
        whole = sum(1 for text, found in zip(sample, spans, strict=True) if _covers(text, found))
        named = whole / len(sample)
    else:
        named = sum(1 for v in sample if len(v.split()) >= 2) / len(sample)
    if named >= 0.6:
        return ColumnKind(NAME, len(shaped) / len(values) * named)
    return None


def _covers(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    covered = sum(end - start for start, end in spans)
    return covered >= 0.6 * len(text.replace(" ", ""))
