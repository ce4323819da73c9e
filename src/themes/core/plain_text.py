"""Answers as the analysis reads them: the HTML markup some survey tools export inside an answer
('<p>', '<br>', '<b>bold</b>', '&amp;') becomes plain text, so that it never becomes a keyword or
a label ('B bold', 'Img src, onerror'). Only what the models and the keyword counts read changes;
the answer is kept, shown and exported as it was written (escaped wherever it is shown).
"""

from __future__ import annotations

import html
import re

_ELEMENTS = (
    "a|abbr|b|big|blockquote|body|br|button|center|code|div|em|embed|font|form|h[1-6]|head|hr"
    "|html|i|iframe|img|input|label|li|link|meta|object|ol|option|p|pre|s|select|small|span"
    "|strike|strong|sub|sup|svg|table|tbody|td|textarea|tfoot|th|thead|title|tr|tt|u|ul|video"
)
_TAG = re.compile(rf"</?(?:{_ELEMENTS})\b[^<>]*>", re.IGNORECASE)
"""A tag of an HTML element ('<b>', '</p>', '<br/>', '<img src=x onerror=...>'); words in angle
brackets that name no element ('<sigh>', '<not happy>') are the respondent's own."""
_CODE = re.compile(r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
"""A script or style block: code, not words."""
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def plain(text: str) -> str:
    """``text`` without HTML markup: tags and script or style blocks become spaces, character
    entities their characters; text without markup is returned unchanged ('A&E', '<3')."""
    if "<" not in text and "&" not in text:
        return text
    stripped = _TAG.sub(" ", _CODE.sub(" ", text))
    if _ENTITY.search(stripped):
        stripped = html.unescape(stripped)
    if stripped == text:
        return text
    return re.sub(r"[^\S\n]+", " ", stripped).strip()
