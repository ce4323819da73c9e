"""Small numbers kept from publication: counts below the threshold shown as "fewer than N", and
one more cell hidden where a single hidden cell could be worked out from a total."""

from __future__ import annotations

from collections.abc import Sequence


class Suppressor:
    """Formats counts for publication."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    def hidden(self, count: int) -> bool:
        return 0 < count < self.threshold

    def count(self, count: int) -> str:
        return f"fewer than {self.threshold}" if self.hidden(count) else f"{count:,}"

    def percent(self, count: int, total: int) -> str:
        if self.hidden(count) or not total:
            return "-"
        return f"{100 * count / total:.0f}%"

    def column(self, counts: Sequence[int], total: int | None) -> list[bool]:
        """Which cells to hide in a column of counts that add up to a published total: the small
        ones, and one more when a single hidden cell could be worked out by subtraction."""
        hide = [self.hidden(c) for c in counts]
        if total is not None and sum(hide) == 1 and sum(counts) == total:
            others = sorted((c, i) for i, c in enumerate(counts) if not hide[i] and c > 0)
            if others:
                hide[others[0][1]] = True
        return hide

    def frequency_rows(
        self, names: Sequence[str], counts: Sequence[int]
    ) -> tuple[tuple[str, str, str], ...]:
        """(name, count, %) rows of a table whose counts make its total, with ``column``'s
        hiding applied."""
        total = sum(counts)
        hide = self.column(counts, total)
        return tuple(
            (name, f"fewer than {self.threshold}" if h else f"{c:,}", "-" if h else _pct(c, total))
            for name, c, h in zip(names, counts, hide, strict=True)
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"
