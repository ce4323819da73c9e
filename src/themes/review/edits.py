"""Every edit a reviewer can make, as data (``Edit``: an operation, the question and its
arguments) and as a function from one reviewed state to the next. Every edit is validated here,
not only in the interface, and answers that leave a theme are never lost: they move to another
theme or become unassigned."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from themes.analysis.keywords import KeywordIndex
from themes.core.errors import ReviewError
from themes.review.batch_edits import add_responses, set_redaction
from themes.review.edit_args import flag_arg, rows_arg, text_arg
from themes.review.state import (
    MAX_DEFINITION,
    MAX_LABEL,
    QuestionReview,
    Result,
    ReviewTheme,
    tidy_also,
)


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


def _rename(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, label."""
    theme = state.theme(args.get("theme"))
    label = text_arg(args, "label", MAX_LABEL)
    themes = {**state.themes, theme.id: replace(theme, label=label)}
    return replace(state, themes=themes), f"Renamed '{theme.label}' to '{label}'"


def _define(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: theme, definition (may be empty, to clear it)."""
    theme = state.theme(args.get("theme"))
    definition = text_arg(args, "definition", MAX_DEFINITION, required=False)
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
        rows = rows_arg(state, group.get("rows"), f"groups[{number}].rows")
        outside = [r for r in rows if r not in in_theme]
        if outside:
            raise ReviewError(
                f"Rows {outside[:5]} are not in '{theme.label}': a split only divides a theme's "
                "own responses."
            )
        if seen & set(rows):
            raise ReviewError(f"Rows {sorted(seen & set(rows))[:5]} are in more than one group.")
        seen |= set(rows)
        label = text_arg(group, "label", MAX_LABEL, required=False)
        new = ReviewTheme(ids[number - 1], label, origin="split", group=theme.group)
        themes[new.id] = new
        for row in rows:
            assignment[row] = new.id
        created.append(new.id)
    stays = text_arg(args, "label", MAX_LABEL, required=False)
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
    rows = rows_arg(state, args.get("rows"))
    themes = dict(state.themes)
    next_id = state.next_id
    relabel: list[int] = []
    if args.get("to") is not None:
        target = state.theme(args.get("to"))
        where = f"'{target.label}'"
        target_id: int | None = target.id
    elif args.get("new_label") is not None:
        label = text_arg(args, "new_label", MAX_LABEL, required=False)
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
    count = len(rows_arg(state, args.get("rows")))
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
    flag = flag_arg(args, "flag")
    themes = {**state.themes, theme.id: replace(theme, minority=flag)}
    verb = "Flagged" if flag else "Unflagged"
    return replace(state, themes=themes), f"{verb} '{theme.label}' as a notable minority view"


def _mark_quote(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: row, flag (default true). The quote belongs to the answer's current theme."""
    (row,) = rows_arg(state, [args.get("row")], "row")
    theme_id = state.assignment[row]
    if theme_id is None:
        raise ReviewError(f"Row {row} has no theme; give it a theme before choosing it as a quote.")
    theme = state.themes[theme_id]
    flag = flag_arg(args, "flag")
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
    group = text_arg(args, "group", MAX_LABEL, required=False)
    existing = {g.lower(): g for g in state.groups()}
    group = existing.get(group.lower(), group)  # same name, same broad theme
    themes = {**state.themes, **{t.id: replace(t, group=group) for t in picked}}
    names = ", ".join(f"'{t.label}'" for t in picked)
    where = f"under broad theme '{group}'" if group else "under no broad theme"
    return replace(state, themes=themes), f"Put {names} {where}"


def _rename_group(state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex) -> Result:
    """args: group (its current name), label (the new one; an existing name joins the two)."""
    old = text_arg(args, "group", MAX_LABEL)
    label = text_arg(args, "label", MAX_LABEL)
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
    rows = rows_arg(state, args.get("rows"))
    theme = state.theme(args.get("theme"))
    flag = flag_arg(args, "flag")
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


def _dismiss_suggestion(
    state: QuestionReview, args: Mapping[str, Any], index: KeywordIndex
) -> Result:
    """args: theme, rows. Nothing moves: the answers are not suggested for the theme again
    (``themes.review.suggestions``); undoing it offers them again."""
    theme = state.theme(args.get("theme"))
    rows = rows_arg(state, args.get("rows"))
    count = f"{len(rows)} answer{'s' if len(rows) != 1 else ''}"
    return state, f"Dismissed the suggestion to move {count} to '{theme.label}'"


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
    "add_responses": add_responses,
    "set_redaction": set_redaction,
    "set_group": _set_group,
    "rename_group": _rename_group,
    "mention": _mention,
    "dismiss_suggestion": _dismiss_suggestion,
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
        new = replace(new, also=tidy_also(new.also, new.assignment, new.themes))
    return new, summary
