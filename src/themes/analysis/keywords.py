"""Keywords and suggested quotes for themes that reviewers reshape (merge, split, move).

The words are counted once per question with the same vectorizer theme discovery uses; a theme's
keywords are then its class-based TF-IDF against the whole question, so recomputing the themes an
edit touched takes milliseconds even for 20,000 responses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from themes.analysis.labels import label_options, theme_label

KEYWORDS_PER_THEME = 10
QUOTES_PER_THEME = 4
OPTIONS_KEPT = 256


class KeywordIndex:
    """Word counts for every answer to one question, keyed by row number (people's names masked,
    as in the analysis)."""

    def __init__(self, texts: Mapping[int, str], extra_stop_words: Sequence[str] = ()) -> None:
        from themes.analysis.discover import keyword_vectorizer
        from themes.core.plain_text import plain
        from themes.privacy.names import mask_names

        self.rows = list(texts)
        self._position = {row: i for i, row in enumerate(self.rows)}
        # read as the analysis reads them: no markup, and no names in keywords
        self._texts = mask_names([plain(texts[row]) for row in self.rows])
        self.matrix: Any = None
        self._options: dict[tuple[tuple[int, ...], tuple[str, ...]], list[tuple[str, float]]] = {}
        self.vocabulary: np.ndarray = np.array([], dtype=object)
        if not self._texts:
            return
        vectorizer = keyword_vectorizer(self._texts, extra_stop_words)
        try:
            self.matrix = vectorizer.fit_transform(self._texts).tocsr()
        except ValueError:  # only stop words, or nothing left after min_df
            vectorizer = keyword_vectorizer((), (), stop_words=False)
            try:
                self.matrix = vectorizer.fit_transform(self._texts).tocsr()
            except ValueError:
                return
        self.vocabulary = vectorizer.get_feature_names_out()
        totals = np.asarray(self.matrix.sum(axis=0)).ravel()
        # BERTopic's c-TF-IDF weight: log(1 + average words per class / frequency of the word).
        self._average_words = float(totals.sum()) / max(1, len(self.rows))
        self._totals = totals

    def _positions(self, rows: Sequence[int]) -> list[int]:
        return [self._position[r] for r in rows if r in self._position]

    def keywords(
        self, rows: Sequence[int], n_themes: int = 1, top_n: int = KEYWORDS_PER_THEME
    ) -> tuple[str, ...]:
        """The most distinctive words and phrases of the answers in ``rows``, best first."""
        positions = self._positions(rows)
        if self.matrix is None or not positions:
            return ()
        counts = np.asarray(self.matrix[positions].sum(axis=0)).ravel()
        average = self._average_words * len(self.rows) / max(1, n_themes)
        weights = np.sqrt(counts) * np.log1p(average / np.maximum(self._totals, 1))
        order = np.argsort(-weights, kind="stable")[:top_n]
        return tuple(str(self.vocabulary[i]) for i in order if weights[i] > 0)

    def suggested_quotes(
        self,
        rows: Sequence[int],
        keywords: Sequence[str],
        top_n: int = QUOTES_PER_THEME,
    ) -> tuple[int, ...]:
        """Rows whose answers use the theme's keywords most, preferring distinct, mid-length
        answers; used when a theme is made by an edit and has no computed centre."""
        chosen: list[int] = []
        seen: set[str] = set()
        for row, text in self._most_typical(rows, keywords):
            key = " ".join(text.lower().split())
            if key not in seen:
                seen.add(key)
                chosen.append(row)
            if len(chosen) >= top_n:
                break
        return tuple(chosen)

    def _most_typical(self, rows: Sequence[int], keywords: Sequence[str]) -> list[tuple[int, str]]:
        """(row, masked answer) for ``rows``, the answers that use the keywords most first,
        mid-length answers before short and long ones."""
        wanted = set(keywords)
        scored = []
        for row in rows:
            if row not in self._position:
                continue
            text = self._texts[self._position[row]]
            words = text.lower()
            hits = sum(1 for k in wanted if k in words)
            length = len(text.split())
            scored.append((-(hits - abs(length - 25) / 50), row, text))
        return [(row, text) for _, row, text in sorted(scored)]

    def label_options(
        self, rows: Sequence[int], keywords: Sequence[str]
    ) -> list[tuple[str, float]]:
        """Names the answers in ``rows`` support, each with the share of them holding its
        rarest word (``themes.analysis.labels.label_options``), best supported first. Kept for
        the last ``OPTIONS_KEPT`` themes asked about: a page shows them after every edit."""
        key = (tuple(rows), tuple(keywords))
        found = self._options.get(key)
        if found is None:
            typical = [text for _, text in self._most_typical(rows, keywords)[:200]]
            found = label_options(keywords, typical)
            if len(self._options) >= OPTIONS_KEPT:
                self._options.pop(next(iter(self._options)), None)
            self._options[key] = found
        return list(found)

    def label(self, rows: Sequence[int], keywords: Sequence[str]) -> str:
        """A readable label from keywords, spelled as the answers spell them."""
        texts = [self._texts[p] for p in self._positions(rows)[:200]]
        return theme_label(keywords, texts) if keywords else "New theme"
