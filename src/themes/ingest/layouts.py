"""Survey-tool export layouts: recognise which tool wrote a grid and turn its header rows into
column names (first match wins; see shared design notes on survey formats).

A grid is the file read as rows of strings, before any header is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from themes.ingest.grid import Grid

TOOLS = (
    "qualtrics",
    "surveymonkey",
    "smartsurvey",
    "engagementhq",
    "msforms",
    "googleforms",
    "citizenspace",
    "generic",
)
_IMPORT_ID = re.compile(r'^\{"ImportId":')
_QUALTRICS_OPTION = re.compile(r"^(Q\d+)_\d+$")
_SINGLE_ANSWER_LABELS = {"", "response", "open-ended response", "open ended response"}


@dataclass(frozen=True)
class Layout:
    """How a grid's header is laid out.

    Attributes:
        tool: which survey tool wrote it (one of ``TOOLS``).
        header_row: index of the first header row in the grid.
        header_rows: how many header rows there are.
        columns: the grid columns that hold data (others, such as EngagementHQ's A-C, are dropped).
        names: one unique column name per kept column.
        labels: longer question text for a column where the export has one (Qualtrics row 2).
        groups: for questions spread over several columns (SurveyMonkey options), question -> columns.
        notes: what the user should know about how the header was read (a forced format).
    """

    tool: str
    header_row: int
    header_rows: int
    columns: tuple[int, ...]
    names: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def data_start(self) -> int:
        return self.header_row + self.header_rows


def _cell(row: Sequence[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


def _lower_set(row: Sequence[str]) -> set[str]:
    return {c.strip().lower() for c in row if c.strip()}


def _squashed_set(row: Sequence[str]) -> set[str]:
    """Header cells lower-cased without spaces: legacy SurveyMonkey writes 'RespondentID' where
    the current export writes 'Respondent ID'."""
    return {"".join(c.split()).lower() for c in row if c.strip()}


_SIGNATURES = {
    "qualtrics": "'StartDate', 'EndDate' and 'ResponseId' in the first row",
    "surveymonkey": "'Respondent ID' and 'Collector ID' in the first row",
    "smartsurvey": "'UserID' and 'Started' or 'Ended' in the first row",
    "msforms": "'ID', 'Start time', 'Completion time' as the first three columns",
    "googleforms": "'Timestamp' as the first column",
}


def _forced_note(tool: str) -> str:
    return (
        f"Read with the {tool} layout because that format was chosen, although the file does not "
        f"have {_SIGNATURES[tool]}; check the column names below, or leave the format to be "
        "detected."
    )


def unique_names(names: Sequence[str]) -> tuple[str, ...]:
    """Strip names, name blank ones 'Column N', and number repeats: 'Q', 'Q (2)', 'Q (3)'."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for i, raw in enumerate(names):
        name = " ".join(raw.split()) or f"Column {i + 1}"
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        out.append(name if count == 1 else f"{name} ({count})")
    return tuple(out)


def _two_row_names(
    top: Sequence[str], sub: Sequence[str], width: int
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """SurveyMonkey-style names: row 1 forward-filled over continuation cells, plus row 2 labels."""
    names: list[str] = []
    spans: dict[str, list[int]] = {}
    current = ""
    for i in range(width):
        head, label = _cell(top, i), _cell(sub, i)
        if head:
            current = head
        elif not current or not label:
            current = ""
        names.append(current or label)
        if current:
            spans.setdefault(current, []).append(i)
    groups: dict[str, tuple[str, ...]] = {}
    for question, idx in spans.items():
        if len(idx) > 1:
            for i in idx:
                label = _cell(sub, i)
                names[i] = f"{question} - {label}" if label else question
        else:
            i = idx[0]
            label = _cell(sub, i)
            if label.lower() not in _SINGLE_ANSWER_LABELS:
                names[i] = f"{question} - {label}"
    final = unique_names(names)
    for question, idx in spans.items():
        if len(idx) > 1:
            groups[question] = tuple(final[i] for i in idx)
    return final, groups


def _used_width(row: Sequence[str]) -> int:
    """Cells up to and including the last non-empty one."""
    filled = [i for i, c in enumerate(row) if c.strip()]
    return filled[-1] + 1 if filled else 0


def _header_index(grid: Grid, limit: int = 12) -> int:
    """The first row that looks like a header: as wide as the widest of the first rows."""
    head = grid[:limit]
    widths = [sum(1 for c in row if c.strip()) for row in head]
    widest = max(widths, default=0)
    for i, width in enumerate(widths):
        if widest and width >= max(2, 0.6 * widest):
            return i
    return 0


def detect_layout(grid: Grid, tool: str | None = None) -> Layout:
    """Recognise the export's tool and header rows. ``tool`` forces a layout: it is obeyed even
    when the file lacks the tool's signature (with a note saying so), never silently ignored."""
    if tool is not None and tool not in TOOLS:
        from themes.core.errors import bad_setting

        raise bad_setting("format", f"one of {', '.join(TOOLS)}", tool)
    rows = grid + [[]] * 3
    first = _lower_set(rows[0])
    squashed = _squashed_set(rows[0])
    # Columns are those the header names: data cells beyond them are an error, not new columns.
    width = max(_used_width(r) for r in rows[:3])
    everything = list(range(width))

    def plain(tool_name: str, header_row: int = 0, columns: list[int] | None = None) -> Layout:
        columns = columns if columns is not None else everything
        names = unique_names([_cell(rows[header_row], i) for i in columns])
        return Layout(tool_name, header_row, 1, tuple(columns), tuple(names), notes=tuple(notes))

    def chosen(tool_name: str, signed: bool) -> bool:
        """This layout applies: detected by its signature, or forced."""
        if tool == tool_name and not signed:
            notes.append(_forced_note(tool_name))
        return tool == tool_name or (tool is None and signed)

    notes: list[str] = []
    if chosen("qualtrics", {"startdate", "enddate"} <= first and "responseid" in squashed):
        has_import = any(_IMPORT_ID.match(c.strip()) for c in rows[2])
        second = _squashed_set(rows[1])
        count = 3 if has_import else (2 if second & {"startdate", "responseid"} else 1)
        names = unique_names([_cell(rows[0], i) for i in everything])
        option_groups: dict[str, list[str]] = {}
        for n in names:
            match = _QUALTRICS_OPTION.match(n)
            if match:
                option_groups.setdefault(match.group(1), []).append(n)
        labels = (
            {n: _cell(rows[1], i) for n, i in zip(names, everything, strict=True)}
            if count > 1
            else {}
        )
        return Layout(
            "qualtrics",
            0,
            count,
            tuple(everything),
            names,
            labels={k: v for k, v in labels.items() if v},
            groups={q: tuple(cols) for q, cols in option_groups.items() if len(cols) > 1},
            notes=tuple(notes),
        )
    if chosen(
        "surveymonkey",
        bool(squashed & {"respondentid", "responseid"}) and "collectorid" in squashed,
    ):
        subs = _lower_set(rows[1])
        if subs & {"response", "open-ended response"} or tool == "surveymonkey":
            two_row, groups = _two_row_names(rows[0], rows[1], width)
            return Layout(
                "surveymonkey", 0, 2, tuple(everything), two_row, groups=groups, notes=tuple(notes)
            )
        return plain("surveymonkey")
    if chosen("smartsurvey", "userid" in squashed and bool(first & {"started", "ended"})):
        sub = rows[1]
        sub_filled = sum(1 for c in sub if c.strip())
        top_filled = sum(1 for c in rows[0] if c.strip())
        if sub_filled and sub_filled <= top_filled and not any(len(c) > 80 for c in sub):
            two_row, groups = _two_row_names(rows[0], rows[1], width)
            return Layout(
                "smartsurvey", 0, 2, tuple(everything), two_row, groups=groups, notes=tuple(notes)
            )
        return plain("smartsurvey")
    if chosen(
        "msforms",
        [c.strip().lower() for c in rows[0][:3]] == ["id", "start time", "completion time"],
    ):
        return plain("msforms")
    if chosen("googleforms", _cell(rows[0], 0).lower() == "timestamp"):
        return plain("googleforms")
    header = _header_index(grid)
    names_here = _lower_set(rows[header])
    width = max(_used_width(rows[header]), _used_width(rows[header - 1]) if header else 0)
    everything = list(range(width))
    if tool == "engagementhq" or (
        tool is None and header > 0 and names_here & {"response id", "login", "usertype"}
    ):
        used = [i for i in everything if any(_cell(r, i) for r in rows[header:])]
        data_cols = [i for i in used if any(_cell(r, i) for r in rows[header + 1 :])]
        found = [
            _cell(rows[header], i) or (_cell(rows[header - 1], i) if header else "")
            for i in data_cols
        ]
        return Layout("engagementhq", header, 1, tuple(data_cols), unique_names(found))
    if tool == "citizenspace" or (
        tool is None
        and "response id" in names_here
        and any(n.startswith(("analyst", "tags")) for n in names_here)
    ):
        return plain("citizenspace", header)
    return plain("generic", header)
