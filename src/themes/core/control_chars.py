"""Invisible control characters: removed from answers at ingest, and from anything a writer puts
in a spreadsheet, document or XML file (XML 1.0 cannot hold them, so one would break the file).

Tabs and line breaks stay. A vertical tab or form feed (how some tools write a line break inside
a cell) becomes a line break; NUL and every other C0/C1 control character is removed.
"""

from __future__ import annotations

import re

_BREAKS = re.compile(r"[\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_REMOVED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def has_control(text: str) -> bool:
    """Whether the text holds a control character that ``clean`` would change."""
    return _CONTROL.search(text) is not None


def clean(text: str) -> str:
    """The text with control characters removed (vertical tab and form feed become line breaks)."""
    if not has_control(text):
        return text
    return _REMOVED.sub("", _BREAKS.sub("\n", text))


def count(text: str) -> int:
    """How many control characters ``clean`` would change in the text."""
    return len(_CONTROL.findall(text))
