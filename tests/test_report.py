"""The 'what we heard' report: content, structure and accessibility of DOCX and HTML, small-number
suppression that cannot be undone by subtraction, and the REFI-QDA codebook."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_review import Q, make_result
from themes.project_ops import write_report
from themes.publish.report import ReportSettings
from themes.publish.suppression import Suppressor
from themes.review.edits import Edit
from themes.review.store import ProjectStore


@pytest.fixture
def project(tmp_path: Path) -> tuple[ProjectStore, str]:
    store = ProjectStore(tmp_path / "p.sqlite")
    result = make_result()
    ids = [r.respondent_id for r in result.rows]
    district = {
        rid: ("Stroud" if i < 6 else "Tewkesbury" if i < 10 else "Forest")
        for i, rid in enumerate(ids)
    }
    info = store.create(
        "Winter engagement",
        [result],
        framework="gloucestershire",
        user="amy",
        demographics={"District": district},
    )
    store.edit(
        info.id,
        Edit("rename", Q, {"theme": 0, "label": "Getting a GP appointment"}),
        user="amy",
        version=0,
    )
    store.edit(
        info.id,
        Edit("define", Q, {"theme": 0, "definition": "Phoning, waiting, booking."}),
        user="bo",
        version=1,
    )
    store.edit(
        info.id, Edit("set_links", Q, {"theme": 0, "items": ["P3.1"]}), user="amy", version=2
    )
    store.edit(info.id, Edit("flag_minority", Q, {"theme": 2}), user="amy", version=3)
    store.edit(
        info.id,
        Edit("set_group", Q, {"themes": [0, 1], "group": "Primary care"}),
        user="amy",
        version=4,
    )
    return store, info.id


def test_suppression_hides_small_counts_and_the_cell_that_would_reveal_them() -> None:
    s = Suppressor(10)
    assert s.count(3) == "fewer than 10" and s.count(0) == "0" and s.count(12) == "12"
    assert s.column([30, 25, 3], 58) == [False, True, True]  # 3 hidden, and 25 to protect it
    assert s.column([30, 3, 4], 37) == [False, True, True]
    assert s.column([30, 25, 3], None) == [False, False, True]


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.tables = self.captions = self.header_cells = 0
        self.lang = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(dict(attrs))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        self.header_cells += tag == "th"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_accessible_and_says_what_we_heard(
    project: tuple[ProjectStore, str], tmp_path: Path
) -> None:
    store, project_id = project
    paths = write_report(store, project_id, tmp_path, ReportSettings(threshold=5))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    parsed = _Html()
    parsed.feed(html)
    assert parsed.lang == "en-GB"
    assert parsed.headings[0] == 1 and all(
        b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:], strict=False)
    )
    assert parsed.images and all(img.get("alt") for img in parsed.images)
    assert parsed.tables == parsed.captions and parsed.header_cells >= parsed.tables
    assert "http" not in html.replace("http://www.w3.org", "")  # nothing fetched from anywhere
    text = " ".join(parsed.text)
    for section in (
        "Summary",
        "What we asked and how we engaged",
        "Who we heard from",
        "What we heard",
        "How the feedback covers the strategy",
        "Other and minority views",
        "How we analysed the responses, and the limits",
        "You said, we did",
        "Appendix A: codebook",
        "Appendix B: frequency tables",
        "Responses from providers",
        "Appendix C: technical method",
    ):
        assert section in text, section
    assert "Draft for factual accuracy check" in text
    assert "Getting a GP appointment" in text and "Phoning, waiting, booking." in text
    assert "Improving health and care services today" in text  # the theme grouped under Pillar 3
    assert "2 reviewers (amy, bo)" in text and "(s)" not in text
    assert "umap" not in text.split("Appendix C")[0].lower()  # the detail is in the appendix
    assert "Broad themes" in text and "Primary care" in text  # GP and dentist themes under it
    assert [p.name for p in paths] == ["report.docx", "report.html", "codebook.qdc"]


def test_small_numbers_never_published(project: tuple[ProjectStore, str], tmp_path: Path) -> None:
    store, project_id = project
    write_report(store, project_id, tmp_path, ReportSettings(threshold=5))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    # District: Stroud 6, Tewkesbury 4 (hidden) and Forest 2 (hidden): no count below 5 shown.
    table = html.split("District (all")[1].split("</table>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert "Tewkesbury" in cells and "fewer than 5" in cells
    assert not any(c.isdigit() and 0 < int(c) < 5 for c in cells)


def test_docx_has_headings_in_order_tables_with_header_rows_and_alt_text(
    project: tuple[ProjectStore, str], tmp_path: Path
) -> None:
    from docx import Document

    store, project_id = project
    write_report(store, project_id, tmp_path, ReportSettings(title="Winter report", status="final"))
    word = Document(str(tmp_path / "report.docx"))
    styles = [
        p.style.name for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert styles[0] == "Title"
    levels = [int(s.split()[-1]) for s in styles[1:]]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Summary", "What we asked and how we engaged", "Who we heard from"]
    assert word.tables and all("w:tblHeader" in t.rows[0]._tr.xml for t in word.tables)
    alts = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert alts and all(alt and "Bar chart" in alt for alt in alts)
    assert any("Final" in p.text for p in word.paragraphs[:5])
    # A4 and British English, as UK teams print and check it (python-docx's template is Letter).
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert 'w:val="en-GB"' in word.styles.element.xml and "en-US" not in word.styles.element.xml


def test_qdc_codebook(project: tuple[ProjectStore, str], tmp_path: Path) -> None:
    store, project_id = project
    write_report(store, project_id, tmp_path)
    root = ET.parse(tmp_path / "codebook.qdc").getroot()
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    themes = root.findall("q:Codes/q:Code/q:Code", ns)
    assert "Getting a GP appointment" in {c.get("name") for c in themes}
    guids = {c.get("guid") for c in themes}
    targets = {m.get("targetGUID") for m in root.findall("q:Sets/q:Set/q:MemberCode", ns)}
    assert targets and targets <= guids


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_converts_to_pdf_pages(project: tuple[ProjectStore, str], tmp_path: Path) -> None:
    store, project_id = project
    write_report(store, project_id, tmp_path)
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "report.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and pages >= 4


def test_the_method_says_when_themes_are_a_consensus_of_layouts() -> None:
    from dataclasses import replace

    from themes.publish.method import clustering_method
    from themes.review.state import QuestionReview
    from themes.review.tables import ReviewedQuestion

    def question(discovery: dict[str, object]) -> ReviewedQuestion:
        result = replace(make_result(), provenance={"discovery": discovery})
        return ReviewedQuestion(QuestionReview.from_result(result), result, None)

    five = {"method": "umap+hdbscan", "layouts": 5, "layout_agreement": 0.8712}
    line = clustering_method([question(five), question({**five, "layout_agreement": 0.93})])
    assert "consensus of 5 clusterings" in line and "0.87-0.93" in line
    one = clustering_method([question({"method": "umap+hdbscan", "layouts": 1})])
    assert "consensus" not in one and one.endswith("(umap+hdbscan).")
    old = clustering_method([question({"method": "umap+hdbscan"})])  # results from before
    assert "consensus" not in old and "sample" not in old
    sampled = {
        "method": "umap+hdbscan",
        "layouts": 1,
        "fit_sample": 50_000,
        "placed_from_outside_sample": 48_200,
        "left_outside_sample": 1_800,
    }
    line = clustering_method([question(sampled)])
    assert "found on a random sample of 50,000" in line
    assert "48,200 placed, 1,800 too unlike any theme and left unassigned" in line


def test_the_method_tells_stories_and_lists_apart() -> None:
    from dataclasses import replace

    from themes.publish.method import technical_rows
    from themes.review.state import QuestionReview
    from themes.review.tables import ReviewedQuestion

    def question(stories: dict[str, int]) -> ReviewedQuestion:
        result = replace(make_result(), provenance={"discovery": {"stories": stories}})
        return ReviewedQuestion(QuestionReview.from_result(result), result, None)

    def said(*stories: dict[str, int]) -> str:
        rows = dict(technical_rows([question(s) for s in stories]))
        return rows["Long answers and lists"]

    both = said({"answers": 60, "lists": 52}, {"answers": 40})  # two questions: 100 cut
    assert both.startswith("48 answers of three or more sentences and 40 or more words")
    assert "; 52 answers written as lists were clustered item by item; each counts" in both
    assert said({"answers": 5}).startswith("5 answers of three or more sentences")  # older runs
    assert said({"answers": 3, "lists": 3}).startswith("3 answers written as lists")


def test_the_method_says_when_a_plain_no_counted_as_nothing_to_change() -> None:
    from dataclasses import replace

    from themes.publish.method import no_change_method
    from themes.review.state import QuestionReview
    from themes.review.tables import ReviewedQuestion

    def question(takes_no: bool) -> ReviewedQuestion:
        result = replace(make_result(), provenance={"no_change_takes_no": takes_no})
        return ReviewedQuestion(QuestionReview.from_result(result), result, None)

    (line,) = no_change_method([question(False), question(True)])
    assert line.startswith("Answers saying that nothing needs to change were counted together")
    assert "a plain 'No' was counted with them" in line
    (line,) = no_change_method([question(False)])
    assert "plain 'No'" not in line
    assert "did not ask what could change" in line and "nothing to add" in line
    (line,) = no_change_method([question(True)])
    assert "did not ask" not in line


def test_every_writer_is_safe_with_control_characters_on_its_own(
    project: tuple[ProjectStore, str], tmp_path: Path
) -> None:
    """A label or definition holding control characters (typed by a reviewer, or from a project
    made before ingest removed them) must not break any export or report (issue 17)."""
    import zipfile

    from openpyxl import load_workbook

    from themes.project_ops import export_project

    store, project_id = project
    version = store.state(project_id).version
    store.edit(
        project_id,
        Edit("rename", Q, {"theme": 1, "label": "Parking\x01 and\x0bbuses"}),
        user="amy",
        version=version,
    )
    store.edit(
        project_id,
        Edit("define", Q, {"theme": 1, "definition": "Cars\x00 and \x1b[31mbuses"}),
        user="amy",
        version=version + 1,
    )
    written = [
        *export_project(store, project_id, tmp_path),
        *write_report(store, project_id, tmp_path),
    ]
    names = {p.name for p in written}
    assert {"report.docx", "report.html", "codebook.qdc"} <= names
    bad = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    for path in written:
        data = path.read_bytes()
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if member.endswith((".xml", ".rels")):
                        content = archive.read(member)
                        ET.fromstring(content)  # well-formed XML
                        assert not bad.search(content), (path.name, member)
        elif path.suffix != ".png":
            assert not bad.search(data), path.name
            if path.suffix == ".qdc":
                ET.fromstring(data)
    workbook = next(p for p in written if p.suffix == ".xlsx")
    load_workbook(workbook, read_only=True).close()


def test_the_report_reads_for_a_lay_reader_and_keeps_the_detail_for_an_appendix(
    project: tuple[ProjectStore, str],
) -> None:
    from themes.project_ops import reviewed_questions
    from themes.publish.document import Bullets, Heading, Paragraph, Table
    from themes.publish.report import build_report

    store, project_id = project
    state = store.state(project_id)
    doc = build_report(state, reviewed_questions(store, state, None), None, {})
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    method = doc.blocks[headings_index(doc, "How we analysed the responses, and the limits") + 1]
    assert isinstance(method, Bullets)
    lay = " ".join(method.items)
    assert "Appendix C" in lay and "2 reviewers (amy, bo)" in lay
    assert not any(word in lay for word in ("@", "UMAP", "HDBSCAN", "Rand", "(s)"))
    assert headings.index("Responses from providers") < headings.index("Appendix A: codebook")
    summary = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("answered the open question." in p for p in summary)
    tables = {b.caption: b for b in doc.blocks if isinstance(b, Table)}
    technical = tables["How the themes were found"]
    assert {row[0] for row in technical.rows} >= {"Embedding", "Clustering", "Settings"}
    (frequencies,) = [b for c, b in tables.items() if c.startswith("Answers per main theme")]
    counts = [int(row[1]) for row in frequencies.rows[:-1] if row[1].isdigit()]
    assert counts == sorted(counts, reverse=True)  # sorted by its own column
    assert frequencies.rows[-1][0] == "Fits no theme"


def headings_index(doc: object, text: str) -> int:
    from themes.publish.document import Heading

    blocks = doc.blocks  # type: ignore[attr-defined]
    return next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == text)


def test_what_we_heard_says_nothing_to_add_where_change_was_not_asked() -> None:
    """The group's sentence follows what the question asked."""
    from dataclasses import replace

    from themes.analysis.pipeline import Outcome
    from themes.analysis.theme_model import Theme
    from themes.publish.document import Document, Paragraph
    from themes.publish.suppression import Suppressor
    from themes.publish.what_we_heard import what_we_heard
    from themes.review.state import QuestionReview
    from themes.review.tables import ReviewedQuestion

    base = make_result()
    group_id = max(t.id for t in base.themes) + 1
    rows = tuple(
        replace(r, outcome=Outcome.THEMED, theme_id=group_id) if r.text == "Lovely weather" else r
        for r in base.rows
    )
    group = Theme(group_id, "Nothing to add", (), 1, (rows[-2].row,), kind="no_change")

    def sentence(asked: bool) -> str:
        result = replace(
            base, themes=(*base.themes, group), rows=rows, provenance={"no_change_takes_no": asked}
        )
        doc = Document("t")
        question = ReviewedQuestion(QuestionReview.from_result(result), result, None)
        what_we_heard(doc, question, None, Suppressor(0), {})
        return next(b.text for b in doc.blocks if isinstance(b, Paragraph) and "'" in b.text)

    assert "said they had nothing to add ('Nothing to add')" in sentence(False)
    assert "said nothing needs to change" in sentence(True)
