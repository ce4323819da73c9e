"""Pure view functions: turn results into rows and text for the CLI and the app (no UI imports)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from themes.analysis.pipeline import AnalysisResult
from themes.analysis.quick_look import preview_note
from themes.core.markup import md
from themes.ingest.reading import Table

if TYPE_CHECKING:
    from themes.frameworks.framework import Framework
    from themes.frameworks.mapping import PillarMapping
    from themes.review.state import QuestionReview

THEME_COLUMNS = ["#", "Theme", "Responses", "% of answers", "Keywords", "Example response"]
LINK_COLUMN = "Strategy links"


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def count_of(number: int, thing: str) -> str:
    """'1 question', '3 questions', '1,204 changes'."""
    return f"{number:,} {thing}" + ("" if number == 1 else "s")


def theme_rows(
    result: AnalysisResult,
    example_chars: int = 160,
    mapping: PillarMapping | None = None,
    framework: Framework | None = None,
) -> list[list[Any]]:
    """One row per theme: number, label, size, % of real answers, keywords, an example, and its
    strategy links when a mapping is given."""
    answered = sum(1 for r in result.rows if r.outcome.value in ("themed", "outlier"))
    text_of = {r.row: r.text for r in result.rows}
    rows: list[list[Any]] = []
    for theme in result.themes:
        example = text_of[theme.representatives[0]] if theme.representatives else ""
        rows.append(
            [
                theme.id + 1,
                theme.label,
                theme.size,
                percent(theme.size, answered),
                ", ".join(theme.keywords[:6]),
                textwrap.shorten(example, example_chars, placeholder="…"),
            ]
        )
        if mapping is not None and framework is not None:
            rows[-1].append(pillar_cell(mapping, framework, theme.id))
    return rows


def accounting_line(result: AnalysisResult) -> str:
    """Where every row went, in one sentence."""
    c = result.counts()
    reassigned = sum(1 for r in result.rows if r.reassigned)
    several = sum(1 for r in result.rows if r.also)
    return (
        f"{c['total']} rows: {c['themed']} in {len(result.themes)} themes "
        f"({reassigned} of them placed by similarity"
        + (f"; {several} also raise another theme" if several else "")
        + f"), {c['outlier']} fit no theme, "
        f"{c['non_answer']} non-answers (e.g. 'n/a', 'no comment'), {c['empty']} empty"
        + (f", {c['duplicate']} duplicate submissions" if c["duplicate"] else "")
        + (f", {c['preview']} survey previews or tests left out" if c["preview"] else "")
        + "."
    )


def theme_table_text(result: AnalysisResult, width: int = 100) -> str:
    """A plain-text table of themes for the terminal."""
    lines = [f"Question: {result.question_text}", accounting_line(result)]
    if note := preview_note(result.provenance):
        lines.insert(0, note)
    discovery = result.provenance.get("discovery", {})
    if discovery.get("layouts", 0) > 1:
        lines.append(
            f"The themes are the consensus of {discovery['layouts']} clusterings of differently "
            f"seeded layouts, which agreed at {discovery['layout_agreement']:.2f} (adjusted Rand "
            f"index, 1 = identical); the majority vote moved {discovery['changed_by_consensus']} "
            "answers."
        )
    lines.append("")
    label_width = max([len("Theme"), *(len(t.label) for t in result.themes)])
    label_width = min(label_width, 40)
    lines.append(f"{'#':>3}  {'Theme':<{label_width}}  {'Size':>5}  {'%':>5}  Keywords")
    for number, label, size, pct, keywords, _ in theme_rows(result):
        label = textwrap.shorten(label, label_width, placeholder="…")
        keyword_room = max(10, width - label_width - 22)
        keywords = textwrap.shorten(keywords, keyword_room, placeholder="…")
        lines.append(f"{number:>3}  {label:<{label_width}}  {size:>5}  {pct:>5.1f}  {keywords}")
    return "\n".join(lines)


def quick_look_markdown(results: list[AnalysisResult], example_chars: int = 120) -> str:
    """A quick look's themes as Markdown: the preview note first, then per question where the
    rows went and a table of themes (label, size, share, keywords, an answer); respondent text
    and labels are shown literally (``md``)."""
    if not results:
        return ""
    lines = [f"**{md(preview_note(results[0].provenance))}**", ""]
    for result in results:
        lines += [f"#### {md(result.question_text)}", "", md(accounting_line(result)), ""]
        lines += [
            "| # | Theme | Answers | % | Keywords | For example |",
            "|---|---|---|---|---|---|",
        ]
        for number, label, size, pct, keywords, example in theme_rows(result, example_chars):
            words = [md(" ".join(str(text).split())) for text in (label, keywords, example)]
            lines.append(
                f"| {number} | {words[0]} | {size} | {pct:.1f} | {words[1]} | {words[2]} |"
            )
        lines.append("")
    return "\n".join(lines)


def theme_detail_markdown(result: AnalysisResult, theme_id: int) -> str:
    """A theme's keywords and representative responses as Markdown."""
    theme = next((t for t in result.themes if t.id == theme_id), None)
    if theme is None:
        return "Select a theme to see its responses."
    text_of = {r.row: (r.respondent_id, r.text) for r in result.rows}
    lines = [
        f"### {theme.id + 1}. {md(theme.label)}",
        f"**{theme.size} responses.** Keywords: {md(', '.join(theme.keywords)) or '(none)'}",
        "",
        "**Most typical responses**",
    ]
    for row in theme.representatives:
        respondent, text = text_of[row]
        lines.append(f"> {md(text)}\n>\n> — respondent {md(respondent)}\n")
    return "\n".join(lines)


def theme_responses(
    result: AnalysisResult, theme_id: int, query: str = "", limit: int = 200
) -> list[list[Any]]:
    """A theme's responses (respondent, text), most typical first, filtered by a search string."""
    query = query.strip().lower()
    rows = sorted(result.rows_for(theme_id), key=lambda r: -(r.similarity or 0.0))
    return [
        [r.respondent_id, r.text, "yes" if r.reassigned else ""]
        for r in rows
        if not query or query in r.text.lower()
    ][:limit]


TOOL_NAMES = {
    "qualtrics": "Qualtrics",
    "surveymonkey": "SurveyMonkey",
    "smartsurvey": "SmartSurvey",
    "engagementhq": "EngagementHQ",
    "msforms": "Microsoft Forms",
    "googleforms": "Google Forms",
    "citizenspace": "Citizen Space",
    "generic": "Spreadsheet (one header row)",
}


def table_report_text(table: Table) -> str:
    """What was found in an export: layout, encoding, every row accounted for, column roles."""
    counts = table.row_counts()
    lines = [
        f"{table.source}: {TOOL_NAMES.get(table.tool, table.tool)} export ({table.format.upper()}, "
        f"encoding {table.encoding}, {table.header_rows} header row(s), data from row "
        f"{table.first_data_row})",
        f"{counts['rows']} data rows: {counts['kept']} kept, {counts['blank']} blank, "
        f"{counts['duplicate']} duplicate submission(s) counted once"
        + (f", {counts['preview']} preview/test response(s) left out" if counts["preview"] else ""),
    ]
    lines += [f"  note: {note}" for note in table.notes]
    lines.append("Columns (role: why):")
    for column in table.columns:
        label = table.labels.get(column, "")
        shown = f"{column} ({label})" if label and label != column else column
        reason = table.roles.reason(column)
        lines.append(
            f"  [{table.roles.role_of(column)}] {shown}" + (f"  - {reason}" if reason else "")
        )
    return "\n".join(lines)


def table_report_markdown(table: Table) -> str:
    """The same report as ``table_report_text`` without the column list, as Markdown."""
    counts = table.row_counts()
    lines = [
        f"**{md(table.source)}**: {TOOL_NAMES.get(table.tool, table.tool)} export "
        f"({table.format.upper()}, encoding {table.encoding}, {table.header_rows} header row(s)).",
        f"**{counts['rows']} rows**: {counts['kept']} kept, {counts['blank']} blank, "
        f"{counts['duplicate']} duplicate submission(s) counted once"
        + (f", {counts['preview']} preview/test response(s) left out" if counts["preview"] else "")
        + ".",
    ]
    lines += [f"- {md(note)}" for note in table.notes]
    return "\n\n".join(lines)


def column_rows(table: Table, example_chars: int = 80) -> list[list[str]]:
    """Each column with its role, why it got that role, and a first non-empty example value."""
    rows = []
    for column in table.columns:
        label = table.labels.get(column, "")
        example = next((v for v in table.frame[column].tolist() if v.strip()), "")
        rows.append(
            [
                f"{column} ({label})" if label and label != column else column,
                table.roles.role_of(column),
                table.roles.reason(column),
                textwrap.shorten(example, example_chars, placeholder="…")
                if example.strip()
                else "",
            ]
        )
    return rows


@dataclass(frozen=True)
class CoverageRow:
    """One framework item's share of the feedback."""

    item_id: str
    name: str
    kind: str
    level: int
    respondents: int
    percent: float
    little: bool
    themes: list[str]


def _answered_and_labels(
    source: AnalysisResult | QuestionReview,
) -> tuple[set[str], dict[int, str]]:
    if isinstance(source, AnalysisResult):
        answered = {
            r.respondent_id for r in source.rows if r.outcome.value in ("themed", "outlier")
        }
        return answered, {t.id: f"{t.id + 1}. {t.label}" for t in source.themes if not t.kind}
    answered = {a.respondent_id for a in source.answers.values()}
    return answered, {t.id: f"{t.id + 1}. {t.label}" for t in source.themes.values() if not t.kind}


def coverage_rows(
    source: AnalysisResult | QuestionReview, framework: Framework, mapping: PillarMapping
) -> tuple[int, list[CoverageRow], list[str]]:
    """Respondents who answered, one row per framework item, and the themes that fit no item.

    An item has 'little' feedback under 2% of respondents (and under 3 people)."""
    answered, labels = _answered_and_labels(source)
    by_item: dict[str, list[str]] = {item.id: [] for item in framework.items}
    for theme_id, links in mapping.links.items():
        for link in links if theme_id in labels else ():
            how = "reviewer" if link.source == "reviewer" else f"{link.score:.2f}"
            by_item[link.item_id].append(f"{labels[theme_id]} ({how})")
    rows = []
    for item in framework.items:
        count = len(mapping.respondents.get(item.id, ()))
        rows.append(
            CoverageRow(
                item.id,
                item.name,
                item.kind,
                1 if item.parent else 0,
                count,
                percent(count, len(answered)),
                count < max(3, 0.02 * len(answered)),
                by_item[item.id],
            )
        )
    # the 'nothing needs to change' group is never mapped, so it is not a theme that fits none
    return len(answered), rows, [labels[t] for t in mapping.unmapped_themes() if t in labels]


def coverage_text(
    source: AnalysisResult | QuestionReview, framework: Framework, mapping: PillarMapping
) -> str:
    """Respondents and themes per framework item, for the terminal."""
    answered, rows, unmapped = coverage_rows(source, framework, mapping)
    lines = [
        f"Framework: {framework.name}",
        f"Question: {getattr(source, 'question_text', source.question)}",
        f"{answered} respondents answered. Respondents per item (an answer can fit several):",
        "",
    ]
    for row in rows:
        indent = "    " * row.level
        flag = "  <- little or no feedback" if row.little else ""
        lines.append(f"{indent}{row.item_id} {row.name}: {row.respondents} ({row.percent}%){flag}")
        lines += [f"{indent}    theme {theme}" for theme in row.themes]
    lines += ["", "Themes that fit no item: " + ("; ".join(unmapped) if unmapped else "none")]
    return "\n".join(lines)


def coverage_markdown(
    source: AnalysisResult | QuestionReview, framework: Framework, mapping: PillarMapping
) -> str:
    """The same coverage as a Markdown table (words, not colour, mark items with little feedback)."""
    answered, rows, unmapped = coverage_rows(source, framework, mapping)
    lines = [
        f"**{md(framework.name)}**: {answered} respondents answered; an answer can fit several items.",
        "",
        "| Item | Respondents | % | Themes linked | Note |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        name = f"{'&nbsp;&nbsp;&nbsp;&nbsp;' * row.level}{md(row.item_id)} {md(row.name)}"
        note = "little or no feedback" if row.little else ""
        lines.append(
            f"| {name} | {row.respondents} | {row.percent} | {md('; '.join(row.themes))} | {note} |"
        )
    lines += [
        "",
        "**Themes that fit no item:** " + (md("; ".join(unmapped)) if unmapped else "none"),
    ]
    return "\n".join(lines)


def pillar_cell(mapping: PillarMapping, framework: Framework, theme_id: int) -> str:
    """A theme's links for a table cell: 'P3.1 Primary care (0.52)', or 'fits no item'."""
    links = mapping.links.get(theme_id, ())
    if not links:
        return "fits no item"
    return "; ".join(
        f"{link.item_id} {framework.item(link.item_id).name} "
        + ("(set by reviewer)" if link.source == "reviewer" else f"({link.score:.2f})")
        for link in links
    )
