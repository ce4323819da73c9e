"""Checks on an edit's arguments, with messages that name the field as the page shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from themes.core.errors import ReviewError
from themes.review.state import MAX_LABEL, QuestionReview

# What each text argument is called on the page (a person never sees the field's own name).
SHOWN = {
    "label": "The name",
    "new_label": "The new theme's name",
    "definition": "The definition",
    "group": "The broad theme's name",
    "batch": "The batch's name",
}


def text_arg(args: Mapping[str, Any], name: str, limit: int, required: bool = True) -> str:
    value = args.get(name, "")
    shown = SHOWN.get(name, f"'{name}'")
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


def rows_arg(state: QuestionReview, value: Any, name: str = "rows") -> list[int]:
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


def flag_arg(args: Mapping[str, Any], name: str, default: bool = True) -> bool:
    value = args.get(name, default)
    if not isinstance(value, bool):
        raise ReviewError(f"'{name}' must be true or false, got {value!r}.")
    return value


def words_arg(args: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = args.get(name, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ReviewError(f"'{name}' must be a list of words or names, got {value!r}.")
    return tuple(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))
