"""Reviewing themes: the reviewed state of one question and every edit a reviewer can make.

Edits are plain data (``Edit``: an operation, the question and its arguments) so that they can be
stored, exported and replayed: the state after a list of edits is ``replay(base, edits)``, the
same in the app, the CLI and the tests. Every edit is validated here, not only in the interface,
and answers that leave a theme are never lost: they move to another theme or become unassigned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from themes.analysis import AnalysisResult, Outcome
from themes.errors import ReviewError
from themes.keywords import KeywordIndex
from themes.redact import RedactionSettings
from themes.touches import UNKNOWN, Touches

MAX_LABEL = 120
MAX_DEFINITION = 5000


@dataclass(frozen=True)
class Answer:
    """An answer that can carry a theme (not empty, not a non-answer, not a duplicate)."""

    row: int
    respondent_id: str
    text: str


@dataclass(frozen=True)
class ReviewTheme:
    """A theme as the reviewers have shaped it.

    Attributes:
        id: stable id; discovered themes keep the analysis's ids, new ones count on from there.
        label: the name shown and published.
        keywords: distinctive words of its answers (recomputed when its answers change).
        suggested_quotes: rows of representative answers, suggested by the analysis.
        definition: the reviewer's definition or memo.
        minority: flagged as a notable minority view.
        quotes: rows the reviewer chose for the report, in order.
        links: the reviewer's framework links (item ids); None means use the automatic ones.
        origin: 'discovered', 'split', 'moved' or 'added', for the method section.
        group: the broad theme it sits under ("" for none).
        kind: "" for a theme, "no_change" for the answers that say nothing needs to change.
    """

    id: int
    label: str
    keywords: tuple[str, ...] = ()
    suggested_quotes: tuple[int, ...] = ()
    definition: str = ""
    minority: bool = False
    quotes: tuple[int, ...] = ()
    links: tuple[str, ...] | None = None
    origin: str = "discovered"
    group: str = ""
    kind: str = ""


@dataclass(frozen=True)
class AddedRow:
    """A row of a later batch of responses, whatever became of it."""

    row: int
    respondent_id: str
    text: str
    outcome: str  # 'answer' (it can carry a theme), 'non_answer', 'empty' or 'duplicate'
    batch: str


@dataclass(frozen=True)
class Candidate:
    """A group of new responses that fit no reviewed theme: a possible new theme."""

    label: str
    rows: tuple[int, ...]
    batch: str


@dataclass(frozen=True)
class QuestionReview:
    """One question's themes and which theme each answer has (None: unassigned).

    ``also`` holds, for answers that raise several themes, the themes they also mention besides
    their main one (never the main one itself; unassigned answers mention none). ``added`` holds
    the rows of later batches (their answers are also in ``answers``), and ``candidates`` the
    groups of new answers that may deserve a theme of their own.
    """

    question: str
    answers: Mapping[int, Answer]
    themes: Mapping[int, ReviewTheme]
    assignment: Mapping[int, int | None]
    next_id: int
    added: tuple[AddedRow, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    redaction: RedactionSettings = RedactionSettings()
    also: Mapping[int, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: AnalysisResult) -> QuestionReview:
        """The starting point of a review: the analysis as it came out of the pipeline."""
        answers = {
            r.row: Answer(r.row, r.respondent_id, r.text)
            for r in result.rows
            if r.outcome in (Outcome.THEMED, Outcome.OUTLIER)
        }
        themes = {
            t.id: ReviewTheme(
                t.id, t.label, t.keywords, t.representatives, group=t.group, kind=t.kind
            )
            for t in result.themes
        }
        assignment: dict[int, int | None] = dict.fromkeys(answers)
        for r in result.rows:
            if r.row in answers and r.theme_id is not None:
                assignment[r.row] = r.theme_id
        next_id = max(themes, default=-1) + 1
        also = {r.row: r.also for r in result.rows if r.row in answers and r.also}
        state = cls(result.question, answers, themes, assignment, next_id)
        return replace(state, also=_tidy_also(also, assignment, themes))

    def members(self, theme_id: int) -> list[int]:
        """Rows of the answers in a theme, in file order."""
        return [row for row, theme in self.assignment.items() if theme == theme_id]

    def sizes(self) -> dict[int, int]:
        """Answers per theme (every theme listed, empty ones included)."""
        sizes = dict.fromkeys(self.themes, 0)
        for theme in self.assignment.values():
            if theme is not None:
                sizes[theme] += 1
        return sizes

    def reach(self) -> dict[int, int]:
        """Respondents per theme, counting those whose answers also mention it (every theme
        listed): the number shown and published for a theme."""
        people: dict[int, set[str]] = {t: set() for t in self.themes}
        for row, theme in self.assignment.items():
            for t in (theme, *self.also.get(row, ())):
                if t is not None and t in people:
                    people[t].add(self.answers[row].respondent_id)
        return {t: len(p) for t, p in people.items()}

    def groups(self, reach: Mapping[int, int] | None = None) -> list[str]:
        """The broad themes, largest first (by the respondents of their themes), each once;
        ``reach`` is ``self.reach()`` when the caller already has it."""
        sizes = self.reach() if reach is None else reach
        totals: dict[str, int] = {}
        for theme in self.themes.values():
            if theme.group:
                totals[theme.group] = totals.get(theme.group, 0) + sizes[theme.id]
        return sorted(totals, key=lambda g: (-totals[g], g.lower()))

    def mentioned(self, theme_id: int) -> list[int]:
        """Rows of the answers that also mention a theme (it is not their main theme)."""
        return [row for row, others in self.also.items() if theme_id in others]

    def raised_by(self, theme_id: int) -> list[int]:
        """Rows of every answer that raises a theme: its own answers, then those mentioning it."""
        return self.members(theme_id) + self.mentioned(theme_id)

    def respondents(self, theme_id: int) -> set[str]:
        """Everyone who raised a theme: as their answer's main theme or as another it mentions."""
        return {self.answers[row].respondent_id for row in self.raised_by(theme_id)}

    def unassigned(self) -> list[int]:
        return [row for row, theme in self.assignment.items() if theme is None]

    def theme(self, theme_id: Any) -> ReviewTheme:
        try:
            return self.themes[int(theme_id)]
        except (KeyError, TypeError, ValueError):
            raise ReviewError(
                f"There is no theme {theme_id!r} in {self.question!r}; it may have been merged or "
                "deleted. Themes now (id: label): "
                + ("; ".join(f"{t.id}: {t.label}" for t in self.themes.values()) or "none")
                + "."
            ) from None


@dataclass(frozen=True)
class Edit:
    """One reviewer action, as data.

    ``op`` is one of ``OPERATIONS``; ``args`` are its arguments (see each ``_op`` function).
    """

    op: str
    question: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "question": self.question, "args": self.args}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Edit:
        try:
            op, question, args = data["op"], data["question"], data.get("args", {})
        except (KeyError, TypeError):
            raise ReviewError(
                f"An edit needs 'op', 'question' and 'args'; got {dict(data) if isinstance(data, Mapping) else data!r}."
            ) from None
        if not isinstance(args, dict):
            raise ReviewError(f"The arguments of a {op!r} edit must be an object, got {args!r}.")
        return cls(str(op), str(question), args)


# --- argument checks -------------------------------------------------------------------------


# What each text argument is called on the page (a person never sees the field's own name).
_SHOWN = {
    "label": "The name",
    "new_label": "The new theme's name",
    "definition": "The definition",
    "group": "The broad theme's name",
    "batch": "The batch's name",
}


def _text(args: Mapping[str, Any], name: str, limit: int, required: bool = True) -> str:
    value = args.get(name, "")
    shown = _SHOWN.get(name, f"'{name}'")
    if not isinstance(value, str):
        raise ReviewError(f"{shown} must be text, got {value!r}.")
    value = " ".join(value.split()) if limit == MAX_LABEL else value.strip()
    if required and not value:
        raise ReviewError(f"{shown} cannot be empty: type one, then try again.")
    if len(value) > limit:
        raise ReviewError(
            f"{shown} is {len(value)} characters long; keep it under {limit} characters."
        )
    return value


def _rows(state: QuestionReview, value: Any, name: str = "rows") -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        raise ReviewError(f"'{name}' must be a non-empty list of response rows, got {value!r}.")
    rows: list[int] = []
    for item in value:
        try:
            row = int(item)
        except (TypeError, ValueError):
            raise ReviewError(f"{item!r} in '{name}' is not a row number.") from None
        if row not in state.answers:
            raise ReviewError(
                f"Row {row} is not an answer to {state.question!r} that can carry a theme "
                "(it may be empty, a non-answer or a duplicate)."
            )
        if row not in rows:
            rows.append(row)
    return rows


def _flag(args: Mapping[str, Any], name: str, default: bool = True) -> bool:
    value = args.get(name, default)
    if not isinstance(value, bool):
        raise ReviewError(f"'{name}' must be true or false, got {value!r}.")
    return value


def _tidy_also(
    also: Mapping[int, Iterable[int]],
    assignment: Mapping[int, int | None],
    themes: Mapping[int, Any],
) -> dict[int, tuple[int, ...]]:
    """Other-theme mentions that still make sense: of existing themes, not the answer's main
    theme, only for answers that have one, each once."""
    tidy: dict[int, tuple[int, ...]] = {}
    for row, others in also.items():
        main = assignment.get(row)
        if main is None:
            continue
        kept = tuple(dict.fromkeys(t for t in others if t in themes and t != main))
        if kept:
            tidy[row] = kept
    return tidy


def _refresh(
    state: QuestionReview,
    themes: dict[int, ReviewTheme],
    assignment: Mapping[int, int | None],
    touched: Iterable[int],
    index: KeywordIndex,
    relabel: Iterable[int] = (),
) -> None:
    """Recompute keywords and suggested quotes of the themes whose answers changed; new themes
    (``relabel``) also get a label made from their keywords unless they were given one."""
    members: dict[int, list[int]] = {}
    for row, owner in assignment.items():
        if owner is not None:
            members.setdefault(owner, []).append(row)
    relabel = set(relabel)
    for theme_id in set(touched):
        if theme_id not in themes:
            continue
        rows = members.get(theme_id, [])
        inside = set(rows)
        keywords = index.keywords(rows, n_themes=max(1, len(themes)))
        kept = [r for r in themes[theme_id].suggested_quotes if r in inside]
        quotes = tuple(dict.fromkeys(kept))[:4] or index.suggested_quotes(rows, keywords)
        chosen = tuple(r for r in themes[theme_id].quotes if r in inside)
        theme = replace(themes[theme_id], keywords=keywords, suggested_quotes=quotes, quotes=chosen)
        if theme_id in relabel and not theme.label:
            theme = replace(theme, label=index.label(rows, keywords))
        themes[theme_id] = theme


# --- operations ------------------------------------------------------------------------------

Result = tuple[QuestionReview, str]


def _rename(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, label."""
    theme = state.theme(args.get("theme"))
    label = _text(args, "label", MAX_LABEL)
    themes = {**state.themes, theme.id: replace(theme, label=label)}
    return replace(state, themes=themes), f"Renamed '{theme.label}' to '{label}'"


def _define(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, definition (may be empty, to clear it)."""
    theme = state.theme(args.get("theme"))
    definition = _text(args, "definition", MAX_DEFINITION, required=False)
    themes = {**state.themes, theme.id: replace(theme, definition=definition)}
    return replace(state, themes=themes), f"Wrote the definition of '{theme.label}'"


def _merge(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: themes (ids merged away), into (the theme that stays, with its name)."""
    target = state.theme(args.get("into"))
    sources_arg = args.get("themes")
    if not isinstance(sources_arg, list | tuple) or not sources_arg:
        raise ReviewError("Choose at least one theme to merge into another ('themes').")
    sources = [state.theme(t) for t in sources_arg]
    if any(s.id == target.id for s in sources):
        raise ReviewError(f"'{target.label}' cannot be merged into itself: choose another theme.")
    gone = {s.id for s in sources}
    assignment = {
        row: (target.id if theme in gone else theme) for row, theme in state.assignment.items()
    }
    also = {
        row: tuple(target.id if t in gone else t for t in others)
        for row, others in state.also.items()
    }
    themes = {k: v for k, v in state.themes.items() if k not in gone}
    merged_quotes = target.quotes + tuple(q for s in sources for q in s.quotes)
    merged_links = target.links
    if merged_links is not None:
        for source in sources:
            for link in source.links or ():
                if link not in merged_links:
                    merged_links = (*merged_links, link)
    definitions = [target.definition] + [s.definition for s in sources if s.definition]
    themes[target.id] = replace(
        target,
        quotes=merged_quotes,
        links=merged_links,
        definition="\n\n".join(d for d in definitions if d),
        minority=target.minority and all(s.minority for s in sources),
        suggested_quotes=target.suggested_quotes
        + tuple(q for s in sources for q in s.suggested_quotes),
    )
    _refresh(state, themes, assignment, [target.id], index)
    names = ", ".join(f"'{s.label}'" for s in sources)
    moved = sum(1 for t in state.assignment.values() if t in gone)
    return (
        replace(state, themes=themes, assignment=assignment, also=also),
        f"Merged {names} into '{target.label}' ({moved} responses moved)",
    )


def _fresh_ids(state: QuestionReview, args: Mapping[str, Any], count: int) -> list[int]:
    """Ids for ``count`` new themes: the ones recorded with the edit when it was first made (so
    that a history replayed without an undone edit gives every later theme the id the reviewers
    saw), else the next free ones."""
    given = args.get("ids")
    if (
        isinstance(given, list)
        and len(given) == count
        and len(set(given)) == count
        and all(
            isinstance(i, int) and not isinstance(i, bool) and i >= 0 and i not in state.themes
            for i in given
        )
    ):
        return list(given)
    return list(range(state.next_id, state.next_id + count))


def _after(state: QuestionReview, ids: Iterable[int]) -> int:
    """The next free theme id once ``ids`` are used."""
    return max([state.next_id - 1, *ids]) + 1


def _split(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, groups: [{rows: [...], label: optional}], label: optional. Each group becomes
    a new theme; the answers in no group stay in the original theme, renamed to ``label`` when
    one is given (the name a suggested split gave the part that stays)."""
    theme = state.theme(args.get("theme"))
    groups = args.get("groups")
    if not isinstance(groups, list | tuple) or not groups:
        raise ReviewError("A split needs at least one group of responses ('groups').")
    in_theme = set(state.members(theme.id))
    seen: set[int] = set()
    assignment = dict(state.assignment)
    themes = dict(state.themes)
    ids = _fresh_ids(state, args, len(groups))
    created = []
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, Mapping):
            raise ReviewError(f"Group {number} of the split must be an object with 'rows'.")
        rows = _rows(state, group.get("rows"), f"groups[{number}].rows")
        outside = [r for r in rows if r not in in_theme]
        if outside:
            raise ReviewError(
                f"Rows {outside[:5]} are not in '{theme.label}': a split only divides a theme's "
                "own responses."
            )
        if seen & set(rows):
            raise ReviewError(f"Rows {sorted(seen & set(rows))[:5]} are in more than one group.")
        seen |= set(rows)
        label = _text(group, "label", MAX_LABEL, required=False)
        new = ReviewTheme(ids[number - 1], label, origin="split", group=theme.group)
        themes[new.id] = new
        for row in rows:
            assignment[row] = new.id
        created.append(new.id)
    stays = _text(args, "label", MAX_LABEL, required=False)
    state = replace(state, next_id=_after(state, created))
    _refresh(state, themes, assignment, [theme.id, *created], index, relabel=created)
    if stays and stays != theme.label:
        themes[theme.id] = replace(themes[theme.id], label=stays)
    names = ", ".join(f"'{themes[t].label}'" for t in created)
    renamed = f"; the rest is now '{stays}'" if stays and stays != theme.label else ""
    return (
        replace(state, themes=themes, assignment=assignment),
        f"Split {len(seen)} responses out of '{theme.label}' into {names}{renamed}",
    )


def _move(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: rows, and either to (a theme id) or new_label (a new theme). Neither: unassign."""
    rows = _rows(state, args.get("rows"))
    themes = dict(state.themes)
    next_id = state.next_id
    relabel: list[int] = []
    if args.get("to") is not None:
        target = state.theme(args.get("to"))
        where = f"'{target.label}'"
        target_id: int | None = target.id
    elif args.get("new_label") is not None:
        label = _text(args, "new_label", MAX_LABEL, required=False)
        target = ReviewTheme(_fresh_ids(state, args, 1)[0], label, origin="moved")
        themes[target.id] = target
        target_id, next_id = target.id, _after(state, [target.id])
        relabel.append(target.id)
        where = "a new theme"
    else:
        target_id, where = None, "unassigned"
    before = {state.assignment[r] for r in rows}
    assignment = {**state.assignment, **dict.fromkeys(rows, target_id)}
    state = replace(state, next_id=next_id)
    touched = [t for t in before if t is not None] + ([target_id] if target_id is not None else [])
    _refresh(state, themes, assignment, touched, index, relabel=relabel)
    if target_id is not None and target_id in relabel:
        where = f"new theme '{themes[target_id].label}'"
    return (
        replace(state, themes=themes, assignment=assignment),
        f"Moved {len(rows)} response{'s' if len(rows) != 1 else ''} to {where}",
    )


def _unassign(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: rows. The answers fit no theme (outliers); they stay counted."""
    new_state, _ = _move(state, {"rows": args.get("rows")}, index)
    count = len(_rows(state, args.get("rows")))
    return new_state, f"Marked {count} response{'s' if count != 1 else ''} as fitting no theme"


def _delete(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme. Its answers become unassigned, never lost."""
    theme = state.theme(args.get("theme"))
    assignment = {row: (None if t == theme.id else t) for row, t in state.assignment.items()}
    themes = {k: v for k, v in state.themes.items() if k != theme.id}
    freed = sum(1 for t in state.assignment.values() if t == theme.id)
    return (
        replace(state, themes=themes, assignment=assignment),
        f"Deleted '{theme.label}'; its {freed} responses are now unassigned",
    )


def _set_links(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, items (framework item ids; an empty list means 'fits no pillar'), or
    items = null to go back to the automatic links."""
    theme = state.theme(args.get("theme"))
    items = args.get("items")
    if items is None:
        themes = {**state.themes, theme.id: replace(theme, links=None)}
        return replace(state, themes=themes), f"Restored automatic links of '{theme.label}'"
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ReviewError(f"'items' must be a list of framework item ids, got {items!r}.")
    links = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    themes = {**state.themes, theme.id: replace(theme, links=links)}
    shown = ", ".join(links) or "no pillar"
    return replace(state, themes=themes), f"Linked '{theme.label}' to {shown}"


def _flag_minority(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, flag (default true)."""
    theme = state.theme(args.get("theme"))
    flag = _flag(args, "flag")
    themes = {**state.themes, theme.id: replace(theme, minority=flag)}
    verb = "Flagged" if flag else "Unflagged"
    return replace(state, themes=themes), f"{verb} '{theme.label}' as a notable minority view"


def _mark_quote(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: row, flag (default true). The quote belongs to the answer's current theme."""
    (row,) = _rows(state, [args.get("row")], "row")
    theme_id = state.assignment[row]
    if theme_id is None:
        raise ReviewError(f"Row {row} has no theme; give it a theme before choosing it as a quote.")
    theme = state.themes[theme_id]
    flag = _flag(args, "flag")
    quotes = tuple(q for q in theme.quotes if q != row) + ((row,) if flag else ())
    themes = {**state.themes, theme_id: replace(theme, quotes=quotes)}
    verb = "Chose" if flag else "Removed"
    return replace(state, themes=themes), f"{verb} row {row} as a quote for '{theme.label}'"


def _set_group(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: themes (ids), group (a broad theme's name, new or existing; empty: none)."""
    chosen = args.get("themes")
    if not isinstance(chosen, list | tuple) or not chosen:
        raise ReviewError("Choose at least one theme to put under a broad theme ('themes').")
    picked = list({t.id: t for t in (state.theme(x) for x in chosen)}.values())
    group = _text(args, "group", MAX_LABEL, required=False)
    existing = {g.lower(): g for g in state.groups()}
    group = existing.get(group.lower(), group)  # same name, same broad theme
    themes = {**state.themes, **{t.id: replace(t, group=group) for t in picked}}
    names = ", ".join(f"'{t.label}'" for t in picked)
    where = f"under broad theme '{group}'" if group else "under no broad theme"
    return replace(state, themes=themes), f"Put {names} {where}"


def _rename_group(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: group (its current name), label (the new one; an existing name joins the two)."""
    old = _text(args, "group", MAX_LABEL)
    label = _text(args, "label", MAX_LABEL)
    inside = [t for t in state.themes.values() if t.group == old]
    if not inside:
        raise ReviewError(
            f"There is no broad theme {old!r} in {state.question!r}. Broad themes now: "
            + ("; ".join(state.groups()) or "none")
            + "."
        )
    existing = {g.lower(): g for g in state.groups() if g != old}
    label = existing.get(label.lower(), label)
    themes = {**state.themes, **{t.id: replace(t, group=label) for t in inside}}
    joined = " (joining the broad theme of that name)" if label in existing.values() else ""
    return (
        replace(state, themes=themes),
        f"Renamed broad theme '{old}' to '{label}'{joined}",
    )


def _mention(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: rows, theme, flag (default true). Say that answers also raise a theme besides their
    main one (flag true) or that they do not (false)."""
    rows = _rows(state, args.get("rows"))
    theme = state.theme(args.get("theme"))
    flag = _flag(args, "flag")
    also = dict(state.also)
    if flag:
        unthemed = [r for r in rows if state.assignment[r] is None]
        if unthemed:
            raise ReviewError(
                f"Rows {unthemed[:5]} have no theme; give an answer its main theme first."
            )
        main = [r for r in rows if state.assignment[r] == theme.id]
        if main:
            raise ReviewError(f"'{theme.label}' is already the main theme of rows {main[:5]}.")
        for row in rows:
            also[row] = tuple(dict.fromkeys((*also.get(row, ()), theme.id)))
        verb = "now also mention"
    else:
        for row in rows:
            kept = tuple(t for t in also.get(row, ()) if t != theme.id)
            if kept:
                also[row] = kept
            else:
                also.pop(row, None)
        verb = "no longer mention"
    count = len(rows)
    return (
        replace(state, also=also),
        f"{count} response{'s' if count != 1 else ''} {verb} '{theme.label}'",
    )


ADDED_OUTCOMES = ("answer", "non_answer", "empty", "duplicate")


def _add_responses(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: batch (a name), rows: [{row, respondent_id, text, outcome, theme, also}] where theme
    is the reviewed theme the answer was placed in (or null) and also (optional) the other themes
    it mentions, candidates: [{label, rows}]. Nothing reviewed changes: names, definitions, links
    and earlier assignments stay as they are."""
    batch = _text(args, "batch", MAX_LABEL)
    rows = args.get("rows")
    if not isinstance(rows, list | tuple) or not rows:
        raise ReviewError("A batch needs at least one row ('rows').")
    taken = set(state.answers) | {a.row for a in state.added}
    answers = dict(state.answers)
    assignment = dict(state.assignment)
    also = dict(state.also)
    added = list(state.added)
    placed = 0
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, Mapping):
            raise ReviewError(f"Row {number} of the batch must be an object.")
        try:
            row = int(item["row"])
            respondent = str(item["respondent_id"])
            text = str(item["text"])
            outcome = str(item["outcome"])
        except (KeyError, TypeError, ValueError):
            raise ReviewError(
                f"Row {number} of the batch needs row, respondent_id, text and outcome."
            ) from None
        if row in taken:
            raise ReviewError(
                f"Row {row} is already in this question; batch rows need new numbers."
            )
        if outcome not in ADDED_OUTCOMES:
            raise ReviewError(f"Row {row}: outcome must be one of {', '.join(ADDED_OUTCOMES)}.")
        taken.add(row)
        added.append(AddedRow(row, respondent, text, outcome, batch))
        if outcome == "answer":
            theme = item.get("theme")
            if theme is not None:
                theme = state.theme(theme).id
                placed += 1
            answers[row] = Answer(row, respondent, text)
            assignment[row] = theme
            others = item.get("also") or []
            if not isinstance(others, list | tuple):
                raise ReviewError(f"Row {row}: 'also' must be a list of theme ids.")
            if theme is not None and others:
                also[row] = tuple(state.theme(t).id for t in others)
    candidates = list(state.candidates)
    for group in args.get("candidates") or []:
        if not isinstance(group, Mapping):
            raise ReviewError("Each candidate must be an object with 'label' and 'rows'.")
        try:
            members = tuple(r for r in (int(x) for x in group.get("rows", [])) if r in answers)
        except (TypeError, ValueError):
            raise ReviewError("A candidate's 'rows' must be a list of row numbers.") from None
        if members:
            candidates.append(Candidate(str(group.get("label", "")), members, batch))
    new_answers = sum(
        1 for item in rows if isinstance(item, Mapping) and item.get("outcome") == "answer"
    )
    return (
        replace(
            state,
            answers=answers,
            assignment=assignment,
            also=also,
            added=tuple(added),
            candidates=tuple(candidates),
        ),
        f"Added {len(rows)} rows from '{batch}': {new_answers} answers, {placed} placed in reviewed "
        f"themes, {new_answers - placed} unassigned"
        + (
            f", {len(candidates) - len(state.candidates)} possible new themes" if candidates else ""
        ),
    )


def _words(args: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = args.get(name, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ReviewError(f"'{name}' must be a list of words or names, got {value!r}.")
    return tuple(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))


def _set_redaction(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: names (always redacted), keep (never redacted), outward_postcodes (bool)."""
    settings = RedactionSettings(
        _words(args, "names"),
        _words(args, "keep"),
        _flag(args, "outward_postcodes", default=False),
    )
    return (
        replace(state, redaction=settings),
        f"Set redaction: {len(settings.names)} names to redact, {len(settings.keep)} words to keep"
        + (", postcode districts redacted" if settings.outward_postcodes else ""),
    )


Operation = Callable[[QuestionReview, Mapping[str, Any], KeywordIndex], Result]
OPERATIONS: dict[str, Operation] = {
    "rename": _rename,
    "define": _define,
    "merge": _merge,
    "split": _split,
    "move": _move,
    "unassign": _unassign,
    "delete": _delete,
    "set_links": _set_links,
    "flag_minority": _flag_minority,
    "mark_quote": _mark_quote,
    "add_responses": _add_responses,
    "set_redaction": _set_redaction,
    "set_group": _set_group,
    "rename_group": _rename_group,
    "mention": _mention,
}
ALL_QUESTIONS = "*"  # an edit for every question of a project (redaction settings)


def apply_edit(state: QuestionReview, edit: Edit, index: KeywordIndex) -> Result:
    """The state after one edit, and a sentence saying what it did. Raises ReviewError (and
    changes nothing) when the edit is not valid for this state."""
    try:
        operation = OPERATIONS[edit.op]
    except KeyError:
        raise ReviewError(
            f"Unknown edit {edit.op!r}; edits are: {', '.join(OPERATIONS)}."
        ) from None
    if edit.question not in (state.question, ALL_QUESTIONS):
        raise ReviewError(f"This edit is for {edit.question!r}, not {state.question!r}.")
    new, summary = operation(state, edit.args, index)
    if new.also:  # a theme merged, deleted or made an answer's main theme: mentions follow
        new = replace(new, also=_tidy_also(new.also, new.assignment, new.themes))
    return new, summary


# --- history: undo and redo ------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One line of a project's history: an edit, or an undo or redo of an earlier one.

    ``user`` is who made the line; ``touches`` what it read and wrote (for an undo or redo, what
    the edit it undid or redid touches), ``UNKNOWN`` for lines recorded before that was kept.
    """

    seq: int
    kind: str  # 'edit', 'undo' or 'redo'
    edit: Edit | None
    user: str
    at: str
    summary: str
    target: int | None = None  # for undo/redo: the seq of the edit undone or redone
    touches: Touches = UNKNOWN


@dataclass(frozen=True)
class History:
    """A history folded line by line: its lines, the edits in effect (in the order they apply)
    and those redo could bring back (oldest undo first). Extending it by the lines added since
    costs those lines, not the whole history. Each reviewer's redo list is their own: a new edit
    clears only its author's undone edits."""

    log: tuple[LogEntry, ...] = ()
    done: tuple[LogEntry, ...] = ()
    undone: tuple[LogEntry, ...] = ()
    by_seq: Mapping[int, LogEntry] = field(default_factory=dict)

    def extended(self, entries: Iterable[LogEntry]) -> History:
        entries = tuple(entries)
        if not entries:
            return self
        done, undone = list(self.done), list(self.undone)
        by_seq = {**self.by_seq, **{e.seq: e for e in entries}}
        for entry in entries:
            if entry.kind == "edit":
                done.append(entry)
                if undone:
                    undone = [e for e in undone if e.user != entry.user]
            elif entry.kind == "undo" and entry.target is not None:
                done = [e for e in done if e.seq != entry.target]
                undone.append(by_seq[entry.target])
            elif entry.kind == "redo" and entry.target is not None:
                undone = [e for e in undone if e.seq != entry.target]
                done.append(by_seq[entry.target])
        return History((*self.log, *entries), tuple(done), tuple(undone), by_seq)


def effective(log: Sequence[LogEntry]) -> tuple[list[LogEntry], list[LogEntry]]:
    """The edits in effect after a history (in the order they apply), and those that redo could
    bring back (oldest undo first); see ``History``."""
    history = History().extended(log)
    return list(history.done), list(history.undone)


def replay(
    base: Mapping[str, QuestionReview],
    edits: Iterable[Edit],
    indexes: Mapping[str, KeywordIndex],
) -> dict[str, QuestionReview]:
    """Apply edits in order to the base states (one per question)."""
    states = dict(base)
    for edit in edits:
        states, _ = apply_to_project(states, edit, indexes.__getitem__)
    return states


def apply_to_project(
    states: Mapping[str, QuestionReview],
    edit: Edit,
    index_of: Callable[[str], KeywordIndex],
) -> tuple[dict[str, QuestionReview], str]:
    """Apply an edit to its question, or to every question for a project-wide edit."""
    questions = list(states) if edit.question == ALL_QUESTIONS else [edit.question]
    if not questions or questions[0] not in states:
        raise ReviewError(
            f"An edit is for question {edit.question!r}, which this project does not have."
        )
    new = dict(states)
    summary = ""
    for question in questions:
        new[question], summary = apply_edit(states[question], edit, index_of(question))
    return new, summary
