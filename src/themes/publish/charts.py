"""Charts for reports: horizontal bars in one dark, colour-blind-safe colour that reads the same in
greyscale, values written on the bars, rendered offline with matplotlib's bundled fonts."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from themes.core.control_chars import clean

BAR_COLOUR = "#1f4e79"  # dark blue: high contrast on white, distinct in greyscale


def bar_chart(
    labels: Sequence[str], values: Sequence[float], shown: Sequence[str], title: str
) -> bytes:
    """A PNG of horizontal bars, largest at the top; ``shown`` is the text written at each bar
    (e.g. 'fewer than 10' where a count is suppressed; such bars are drawn empty)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    height = max(2.0, 0.38 * len(labels) + 1.0)
    figure, axes = plt.subplots(figsize=(8, height), dpi=150)
    try:
        wrapped = ["\n".join(textwrap.wrap(clean(label), 40)[:2]) for label in labels]
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, values, color=BAR_COLOUR, height=0.7)
        axes.set_yticks(positions, wrapped, fontsize=8)
        top = max(values, default=0) or 1
        for y, value, text in zip(positions, values, shown, strict=True):
            axes.text(value + top * 0.01, y, text, va="center", fontsize=8)
        axes.set_xlim(0, top * 1.25)
        axes.set_title(title, fontsize=10, loc="left")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="x", labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
