"""A ``Document`` as an editable Word file that follows accessible-document guidance: built-in
heading styles in order, tables with a repeating header row and no merged cells, alt text on every
chart (python-docx has no API for it, so the drawing's ``docPr`` gets ``descr`` and ``title``),
a sans-serif body at 12 pt."""

from __future__ import annotations

import io
from typing import Any

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

PAGE_WIDTH_INCHES = 6.3
# Every string goes through control_chars.clean: Word files are XML, which cannot hold them.


def _header_row(row: Any) -> None:
    """Mark a table row as a header that repeats on each page (w:tblHeader)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(word: Any, table: Table) -> None:
    caption = word.add_paragraph(clean(table.caption), style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = word.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    _header_row(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = clean(text)
    # Columns as wide as their words need (Word and LibreOffice honour fixed widths only).
    from docx.shared import Inches

    weights = []
    for i, title in enumerate(table.header):
        lengths = sorted(len(row[i]) for row in table.rows[:100]) or [0]
        typical = lengths[(3 * len(lengths)) // 4]  # the 75th percentile
        longest_word = max((len(w) for w in title.split()), default=4)
        weights.append(min(50.0, max(10.0, longest_word + 2.0, float(typical))))
    grid.autofit = False
    for column, weight in zip(grid.columns, weights, strict=True):
        width = Inches(PAGE_WIDTH_INCHES * weight / sum(weights))
        column.width = width
        for cell in column.cells:
            cell.width = width


def _uk_page_and_language(word: Any) -> None:
    """A4 with 2.5 cm margins, and British English for the spelling checker (python-docx's
    template is US Letter, en-US)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for section in word.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    for attribute in ("w:val", "w:eastAsia"):
        language.set(qn(attribute), "en-GB")


def render_docx(document: Document) -> bytes:
    """The whole report as DOCX bytes."""
    from docx import Document as WordDocument
    from docx.shared import Inches, Pt

    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)
    word.core_properties.title = clean(document.title)
    word.core_properties.language = "en-GB"
    _uk_page_and_language(word)
    for block in document.blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                word.add_heading(clean(block.text), level=0)  # the 'Title' style
            else:
                word.add_heading(clean(block.text), level=min(block.level - 1, 9))
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph()
            paragraph.add_run(clean(block.text)).bold = block.emphasis
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(clean(item), style="List Bullet")
        elif isinstance(block, Quote):
            word.add_paragraph(f"“{clean(block.text)}”", style="Quote")
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Figure):
            word.add_picture(io.BytesIO(block.png), width=Inches(6.2))
            shape = word.inline_shapes[-1]
            properties = shape._inline.docPr
            properties.set("descr", clean(block.alt))
            properties.set("title", clean(block.caption))
            word.add_paragraph(clean(block.caption), style="Caption")
            _table(word, block.table)
        elif isinstance(block, PageBreak):
            word.add_page_break()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
