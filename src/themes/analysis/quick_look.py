"""A quick look: themes for a very large survey in seconds, as a preview.

The answers are embedded with a static model (``model2vec``: one vector per word piece, averaged;
no transformer at run time) distilled once per install from the packaged sentence model, and the
themes are found on a sample of the answers, in one layout, with every other answer placed in
them by the rule later batches follow. Agreement with human coding is lower than the full
analysis (eval/RESULTS.md), so a quick look is always labelled a preview: run the full analysis
before reviewing or publishing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import shutil
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from themes.analysis.embedding import (
    Embedder,
    SentenceTransformerEmbedder,
    offline_and_quiet,
)
from themes.core.config import AnalysisConfig
from themes.core.data_dirs import cache_dir
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

QUICK_SUFFIX = ":quick"
"""Appended to a model name (``all-MiniLM-L6-v2:quick``): the static model distilled from it."""

QUICK_SAMPLE = 10_000
"""A quick look finds its themes on at most this many answers and places the others in them."""

PCA_DIMS: int | None = 256
"""Dimensions the distilled vectors are reduced to by PCA (model2vec's default; None keeps all
384). On the dev sets 256 left a smaller largest theme than 384 at about the same agreement."""

_RECIPE = "model2vec-distill-v1"
"""Changes when the way the static model is made changes, so an old one is made again."""


def quick_config(config: AnalysisConfig | None = None) -> AnalysisConfig:
    """The settings of a quick look: the static model, one layout, each answer whole and in one
    theme, themes found on a sample of ``QUICK_SAMPLE`` answers."""
    config = config or AnalysisConfig()
    model = config.model if config.model.endswith(QUICK_SUFFIX) else config.model + QUICK_SUFFIX
    return dataclasses.replace(
        config, model=model, layouts=1, stories=False, also_mentions=None, fit_sample=QUICK_SAMPLE
    )


def is_quick(model: str) -> bool:
    """Whether a model name (or a result's recorded model id) is a quick look's static model."""
    return QUICK_SUFFIX in model


def preview_note(provenance: Mapping[str, Any]) -> str:
    """What a reader of a quick look's themes must be told first; "" for a full analysis."""
    if not provenance.get("quick_look"):
        return ""
    sample = provenance.get("discovery", {}).get("fit_sample")
    where = (
        f"found on a sample of {sample:,} answers, every other answer placed in them"
        if sample
        else "found on every answer"
    )
    return (
        "Quick look, a preview: themes from a fast static model in one layout, "
        f"{where}. They agree less with careful human coding than the full analysis; run the "
        "full analysis before reviewing or publishing."
    )


def _key(base: SentenceTransformerEmbedder) -> str:
    """The base model's files and the recipe: what the static model depends on."""
    return f"{base.fingerprint}-{_RECIPE}-pca{PCA_DIMS or 'off'}"


def static_folder(base: SentenceTransformerEmbedder) -> Path:
    """Where the static model distilled from ``base`` is kept (one per base model and recipe)."""
    return cache_dir() / "static-models" / f"{Path(base.name).name}@{_key(base)}"


def distil(base: SentenceTransformerEmbedder, progress: ProgressFn = no_progress) -> Path:
    """The static model for ``base``, distilled on first use (15 to 60 s on 2 cores: every
    word piece of the model's vocabulary is embedded once) and kept on disk."""
    target = static_folder(base)
    if (target / "config.json").is_file():
        return target
    offline_and_quiet()
    from model2vec.distill import distill

    progress("Making the quick-look model from the sentence model (once per install)", 0.0)
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):  # its progress bar would fill the terminal
        model = distill(model_name=str(base.path), pca_dims=PCA_DIMS, device="cpu")
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(temporary))
    try:
        temporary.rename(target)
    except OSError:  # another process made it first: keep theirs
        shutil.rmtree(temporary, ignore_errors=True)
    log.info("Distilled a static model from %s in %.0f s", base.name, time.perf_counter() - started)
    progress("Quick-look model ready", 1.0)
    return target


@dataclass
class StaticEmbedder:
    """The static (``model2vec``) model distilled from a sentence-transformers model.

    Made on first use; embedding is a lookup and an average, tens of thousands of answers a second.
    """

    base: SentenceTransformerEmbedder

    def __post_init__(self) -> None:
        self._model_id = f"{Path(self.base.name).name}{QUICK_SUFFIX}@{_key(self.base)}"
        self._static: Any = None

    @property
    def model_id(self) -> str:
        return self._model_id

    def _load(self, progress: ProgressFn = no_progress) -> Any:
        if self._static is None:
            from model2vec import StaticModel

            folder = distil(self.base, progress)
            self._static = StaticModel.from_pretrained(str(folder), normalize=True)
        return self._static

    @property
    def dimension(self) -> int:
        return int(self._load().dim)

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray:
        model = self._load(progress)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(
            model.encode(list(texts), show_progress_bar=False, batch_size=4096), dtype=np.float32
        )
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        progress(f"Embedded {len(texts)} of {len(texts)} responses", 1.0)
        return vectors / np.where(norms > 0, norms, 1.0)


def quick_embedder(model: str, batch_size: int = 64) -> Embedder:
    """The static model for ``model`` (with or without the quick suffix); a model that is not a
    sentence-transformers one (the tests' hashing embedder) is its own quick model."""
    from themes.analysis.embedding import make_embedder

    base = make_embedder(model.removesuffix(QUICK_SUFFIX), batch_size, engine="local")
    return StaticEmbedder(base) if isinstance(base, SentenceTransformerEmbedder) else base
