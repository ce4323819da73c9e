"""Text from respondents and reviewers, made safe to put inside Markdown or HTML that a browser
renders: shown exactly as typed, never interpreted (no tags, images, links, forms or styles).

Everything dynamic in the app's Markdown (answers, labels, definitions, keywords, project, file
and column names) goes through ``md``; error messages shown as HTML go through ``html_text``.
"""

from __future__ import annotations

import html
import re

from themes.core.control_chars import clean

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that start Markdown syntax, links, autolinks (':' and '.'), tables, maths or emphasis.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:=$^\"'])")


def html_text(text: object) -> str:
    """Text for an HTML context: &, < and > (and quotes) as entities, control characters gone."""
    return html.escape(clean(str(text)), quote=True)


def md(text: object) -> str:
    """Text for a Markdown context, shown literally: HTML made inert first (so '<form>' reads
    '&lt;form&gt;'), then every Markdown character escaped. Line breaks stay line breaks."""
    escaped = html.escape(clean(str(text)), quote=False)
    return _MARKDOWN.sub(r"\\\1", escaped)
