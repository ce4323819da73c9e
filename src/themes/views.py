"""Pure view functions: turn results into rows and text for the CLI and the app (no UI imports)."""

from __future__ import annotations

import textwrap
from typing import Any

from themes.analysis import AnalysisResult
from themes.ingest import Table

THEME_COLUMNS = ["#", "Theme", "Responses", "% of answers", "Keywords", "Example response"]


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def theme_rows(result: AnalysisResult, example_chars: int = 160) -> list[list[Any]]:
    """One row per theme: number, label, size, % of real answers, keywords, an example."""
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
                _percent(theme.size, answered),
                ", ".join(theme.keywords[:6]),
                textwrap.shorten(example, example_chars, placeholder="…"),
            ]
        )
    return rows


def accounting_line(result: AnalysisResult) -> str:
    """Where every row went, in one sentence."""
    c = result.counts()
    reassigned = sum(1 for r in result.rows if r.reassigned)
    return (
        f"{c['total']} rows: {c['themed']} in {len(result.themes)} themes "
        f"({reassigned} of them placed by similarity), {c['outlier']} fit no theme, "
        f"{c['non_answer']} non-answers (e.g. 'n/a', 'nothing'), {c['empty']} empty."
    )


def theme_table_text(result: AnalysisResult, width: int = 100) -> str:
    """A plain-text table of themes for the terminal."""
    lines = [f"Question: {result.question}", accounting_line(result), ""]
    label_width = max([len("Theme"), *(len(t.label) for t in result.themes)])
    label_width = min(label_width, 40)
    lines.append(f"{'#':>3}  {'Theme':<{label_width}}  {'Size':>5}  {'%':>5}  Keywords")
    for number, label, size, pct, keywords, _ in theme_rows(result):
        label = textwrap.shorten(label, label_width, placeholder="…")
        keyword_room = max(10, width - label_width - 22)
        keywords = textwrap.shorten(keywords, keyword_room, placeholder="…")
        lines.append(f"{number:>3}  {label:<{label_width}}  {size:>5}  {pct:>5.1f}  {keywords}")
    return "\n".join(lines)


def theme_detail_markdown(result: AnalysisResult, theme_id: int) -> str:
    """A theme's keywords and representative responses as Markdown."""
    theme = next((t for t in result.themes if t.id == theme_id), None)
    if theme is None:
        return "Select a theme to see its responses."
    text_of = {r.row: (r.respondent_id, r.text) for r in result.rows}
    lines = [
        f"### {theme.id + 1}. {theme.label}",
        f"**{theme.size} responses.** Keywords: {', '.join(theme.keywords) or '(none)'}",
        "",
        "**Most typical responses**",
    ]
    for row in theme.representatives:
        respondent, text = text_of[row]
        lines.append(f"> {text}\n>\n> — respondent {respondent}\n")
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
        f"{counts['duplicate']} duplicate submission(s) counted once",
    ]
    lines += [f"  note: {note}" for note in table.notes]
    lines.append("Columns:")
    for column in table.columns:
        label = table.labels.get(column, "")
        shown = f"{column} ({label})" if label and label != column else column
        lines.append(f"  [{table.roles.role_of(column)}] {shown}")
    return "\n".join(lines)


def table_report_markdown(table: Table) -> str:
    """The same report as ``table_report_text`` without the column list, as Markdown."""
    counts = table.row_counts()
    lines = [
        f"**{table.source}**: {TOOL_NAMES.get(table.tool, table.tool)} export "
        f"({table.format.upper()}, encoding {table.encoding}, {table.header_rows} header row(s)).",
        f"**{counts['rows']} rows**: {counts['kept']} kept, {counts['blank']} blank, "
        f"{counts['duplicate']} duplicate submission(s) counted once.",
    ]
    lines += [f"- {note}" for note in table.notes]
    return "\n\n".join(lines)


def column_rows(table: Table, example_chars: int = 80) -> list[list[str]]:
    """Each column with its role and a first non-empty example value."""
    rows = []
    for column in table.columns:
        label = table.labels.get(column, "")
        example = next((v for v in table.frame[column].tolist() if v.strip()), "")
        rows.append(
            [
                f"{column} ({label})" if label and label != column else column,
                table.roles.role_of(column),
                textwrap.shorten(example, example_chars, placeholder="…")
                if example.strip()
                else "",
            ]
        )
    return rows
