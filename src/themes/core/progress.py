"""Progress reporting: a plain callback the CLI and the app each render their own way."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[str, float], None]
"""Called with a short description of the current step and the fraction done (0.0 to 1.0)."""


def no_progress(message: str, fraction: float) -> None:
    """A progress callback that shows nothing."""


def scaled(progress: ProgressFn, start: float, end: float) -> ProgressFn:
    """A callback that maps a sub-step's 0..1 onto ``start..end`` of the parent's progress."""

    def report(message: str, fraction: float) -> None:
        progress(message, start + (end - start) * min(max(fraction, 0.0), 1.0))

    return report


def prefixed(progress: ProgressFn, prefix: str) -> ProgressFn:
    """A callback that puts ``prefix`` before every message."""

    def report(message: str, fraction: float) -> None:
        progress(prefix + message, fraction)

    return report


def for_question(progress: ProgressFn, number: int, total: int, share: float = 1.0) -> ProgressFn:
    """The part of the progress that question ``number`` (0-based) of ``total`` reports, its
    messages prefixed 'Question 2 of 3: ' when there are several."""
    step = scaled(progress, number / total, (number + share) / total)
    return prefixed(step, f"Question {number + 1} of {total}: " if total > 1 else "")
