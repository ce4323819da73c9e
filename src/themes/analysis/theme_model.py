"""The ThemeModel artefact: themes found in one question's answers, and each answer's theme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUTLIER = -1


@dataclass(frozen=True)
class Theme:
    """One discovered theme.

    Attributes:
        id: 0 for the largest theme, 1 for the next, and so on.
        label: a short readable name built from keywords and central responses.
        keywords: the theme's most distinctive words and phrases (c-TF-IDF), best first.
        size: how many responses were assigned to it.
        representatives: positions (in the clustered texts) of its most central distinct responses.
        group: the broad theme it belongs to (its label), or "" when themes are too few to group.
        kind: "" for a theme; "no_change" for the group of answers that say nothing needs to
            change (``themes.analysis.no_change``), which is counted and reviewed like a theme but is
            never mapped, grouped or reported as one.
        coherence: how tightly its answers sit together compared with all the question's
            answers (``themes.analysis.coherence``; 0 like the whole question, 1 identical answers).
    """

    id: int
    label: str
    keywords: tuple[str, ...]
    size: int
    representatives: tuple[int, ...]
    group: str = ""
    kind: str = ""
    coherence: float | None = None


@dataclass(frozen=True)
class ThemeModel:
    """The result of theme discovery over a list of texts.

    Attributes:
        themes: the themes, largest first.
        assignments: one theme id per input text, ``OUTLIER`` (-1) when none fits.
        similarity: each text's cosine similarity to its theme's centre (to the nearest theme for
            outliers).
        reassigned: True where HDBSCAN left the text out and it was given the nearest theme because
            it was similar enough.
        details: how the themes were found (method, sizes, counts), for provenance.
    """

    themes: tuple[Theme, ...]
    assignments: tuple[int, ...]
    similarity: tuple[float, ...]
    reassigned: tuple[bool, ...]
    details: dict[str, Any] = field(default_factory=dict)

    def theme(self, theme_id: int) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(f"No theme {theme_id}; themes are {[t.id for t in self.themes]}")

    @property
    def n_outliers(self) -> int:
        return sum(1 for a in self.assignments if a == OUTLIER)
