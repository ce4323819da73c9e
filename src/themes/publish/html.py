"""A ``Document`` as one standalone, accessible HTML page: real headings in order, tables with
captions and header cells, charts as embedded images with alt text next to their data tables,
system sans-serif fonts (nothing fetched), readable line length, print-friendly."""

from __future__ import annotations

import base64
from html import escape as _escape

from themes.core.control_chars import clean
from themes.publish.document import (
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
    Table,
)

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5;
       color: #0b0c0c; background: #fff; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; margin-top: 2.5rem; border-top: 2px solid #0b0c0c;
padding-top: 1rem; } h3 { font-size: 1.25rem; margin-top: 2rem; } h4 { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #505a5f; padding: 0.4rem; text-align: left; vertical-align: top; }
th { background: #f3f2f1; }
blockquote { border-left: 5px solid #505a5f; margin: 1rem 0; padding: 0.25rem 1rem; }
figure { margin: 1.5rem 0; } img { max-width: 100%; height: auto; }
.lead { font-weight: bold; }
a.skip { position: absolute; left: -999px; } a.skip:focus { left: 1rem; top: 1rem; }
@media print { h2 { page-break-before: always; } a.skip { display: none; } }
"""


def escape(text: str) -> str:
    """HTML-escaped text with control characters removed (they are not allowed in HTML)."""
    return _escape(clean(text))


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return (
        f"<table><caption>{escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def render_html(document: Document) -> str:
    """The whole report as one HTML page (UTF-8, no external resources)."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = ' class="lead"' if block.emphasis else ""
            parts.append(f"<p{css}>{escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Quote):
            parts.append(f"<blockquote><p>{escape(block.text)}</p></blockquote>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Figure):
            data = base64.b64encode(block.png).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}">'
                f"<figcaption>{escape(block.caption)}</figcaption></figure>" + _table(block.table)
            )
        elif isinstance(block, PageBreak):
            continue
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n<main id="main">\n'
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )
