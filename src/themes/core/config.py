"""The analysis configuration: one documented default, overridable by a TOML file and by flags.

The resolved configuration is recorded with every result so an old analysis keeps its meaning.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themes.core.errors import ConfigError, bad_setting

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def _whole(value: object, low: int | None = None, high: int | None = None) -> bool:
    """A whole number within bounds; ``true``/``false`` are not numbers, though Python says so."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _number(value: object, low: float, high: float) -> bool:
    """A number (whole or not, never a boolean) from ``low`` to ``high``."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return low <= value <= high


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings for one analysis. Every field has a sensible default for 100 to 50,000 responses.

    Attributes:
        model: embedding model name (packaged, or a folder under ``models/``) or a path.
        seed: random seed for UMAP; the same input and seed give identical themes.
        min_theme_size: smallest theme HDBSCAN may form; ``None`` adapts it to the data size.
        n_neighbors: UMAP neighbourhood size; ``None`` adapts it to the data size.
        n_components: UMAP output dimensions used for clustering.
        max_themes: themes beyond this many are merged into their nearest neighbour; ``None``
            adapts it to the data size (about 2 x n^0.3: 11 at 300 answers, 21 at 2,400, 30 at
            9,000, 42 at 25,000; from 8 to 60).
        layouts: how many UMAP layouts (seeds ``seed``, ``seed + 1000``, ...) are clustered; the
            themes are their consensus, so they depend far less on the seed
            (``themes.analysis.consensus``). ``None`` adapts it: 5, or 1 above 20,000 responses; 1 is
            one layout (faster, less stable).
        reassign_outliers: responses left unclustered are given the nearest theme when at least
            this similar (cosine to the theme centroid); ``None`` keeps every outlier.
        also_mentions: a longer answer also counts in another theme when one of its clauses is
            nearest that theme and at least this fraction as similar to its centre as the theme's
            typical answer (``themes.analysis.mentions``); ``None`` (``false`` in a file) gives every
            answer one theme only.
        stories: long answers (3+ sentences, 40+ words) are clustered by their sentences and
            lists ('1) dentists 2) buses') by their items, so a story or a list counts in every
            theme it raises (``themes.analysis.stories``); ``false`` clusters every answer whole.
        fit_sample: above this many answers (``None``: 50,000) the themes are found on a random
            sample of this many (the seed chooses it) and every other answer goes to the theme
            whose centre it is nearest, when at least ``reassign_outliers`` similar, as in a
            later batch (``themes.analysis.sampling``). The quick look sets 10,000.
        keywords_per_theme: how many c-TF-IDF keywords to keep per theme.
        representatives_per_theme: how many central responses to show per theme.
        batch_size: embedding batch size.
        extra_stop_words: words never used as keywords (besides English stop words).
    """

    model: str = DEFAULT_MODEL
    seed: int = 42
    min_theme_size: int | None = None
    n_neighbors: int | None = None
    n_components: int = 5
    max_themes: int | None = None
    layouts: int | None = None
    reassign_outliers: float | None = 0.45
    also_mentions: float | None = 0.9
    stories: bool = True
    fit_sample: int | None = None
    keywords_per_theme: int = 8
    representatives_per_theme: int = 3
    batch_size: int = 64
    extra_stop_words: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise bad_setting("model", "a non-empty model name or path", self.model)
        if not _whole(self.seed):
            raise bad_setting("seed", "a whole number", self.seed)
        if self.min_theme_size is not None and not _whole(self.min_theme_size, 2):
            raise bad_setting(
                "min_theme_size", "a whole number of at least 2, or unset", self.min_theme_size
            )
        if self.n_neighbors is not None and not _whole(self.n_neighbors, 2):
            raise bad_setting(
                "n_neighbors", "a whole number of at least 2, or unset", self.n_neighbors
            )
        if not _whole(self.n_components, 2, 50):
            raise bad_setting("n_components", "a whole number from 2 to 50", self.n_components)
        if self.max_themes is not None and not _whole(self.max_themes, 1):
            raise bad_setting(
                "max_themes", "a whole number of at least 1, or unset", self.max_themes
            )
        if self.layouts is not None and not _whole(self.layouts, 1, 15):
            raise bad_setting("layouts", "a whole number from 1 to 15, or unset", self.layouts)
        if self.reassign_outliers is not None and not _number(self.reassign_outliers, 0.0, 1.0):
            raise bad_setting(
                "reassign_outliers", "a similarity from 0 to 1, or unset", self.reassign_outliers
            )
        if self.also_mentions is not None and not _number(self.also_mentions, 0.5, 2.0):
            raise bad_setting(
                "also_mentions", "a fraction from 0.5 to 2.0, or unset", self.also_mentions
            )
        if self.fit_sample is not None and not _whole(self.fit_sample, 100):
            raise bad_setting(
                "fit_sample", "a whole number of at least 100, or unset", self.fit_sample
            )
        if not isinstance(self.stories, bool):
            raise bad_setting("stories", "true or false", self.stories)
        for name in ("keywords_per_theme", "representatives_per_theme", "batch_size"):
            value = getattr(self, name)
            if not _whole(value, 1):
                raise bad_setting(name, "a whole number of at least 1", value)
        if not isinstance(self.extra_stop_words, tuple) or not all(
            isinstance(w, str) for w in self.extra_stop_words
        ):
            raise bad_setting("extra_stop_words", "a list of words", self.extra_stop_words)

    def replace(self, **changes: Any) -> AnalysisConfig:
        """A copy with some settings changed (``None`` values in ``changes`` are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """The resolved settings as plain data, for provenance."""
        data = dataclasses.asdict(self)
        data["extra_stop_words"] = list(self.extra_stop_words)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisConfig:
        """Settings from plain data; unknown keys are an error that lists the valid ones."""
        valid = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - valid)
        if unknown:
            raise ConfigError(
                f"Unknown setting(s) {', '.join(map(repr, unknown))}. "
                f"Valid settings: {', '.join(sorted(valid))}."
            )
        values = dict(data)
        if values.get("also_mentions") is False:  # TOML has no null: false turns it off
            values["also_mentions"] = None
        if isinstance(values.get("extra_stop_words"), list):
            values["extra_stop_words"] = tuple(values["extra_stop_words"])
        return cls(**values)

    @classmethod
    def from_file(cls, path: str | Path) -> AnalysisConfig:
        """Settings from a TOML file with an ``[analysis]`` table (or top-level keys)."""
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"Configuration file {str(path)!r} does not exist.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"Configuration file {str(path)!r} is not valid TOML: {exc}."
            ) from exc
        return cls.from_dict(raw.get("analysis", raw))
