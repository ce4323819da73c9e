"""The sentence model run by OpenVINO: the same vectors about five times faster on a CPU.

The model's transformer is exported once per install to an ONNX graph (``torch.onnx.export``),
kept under ``runtime_dir()`` (a tuned copy's in the cache folder, with the copy), and compiled by
OpenVINO for the CPU when a model is loaded; the tokenizer, mean pooling and unit length stay as
sentence-transformers does them. On 2,000 real answers the vectors match PyTorch's to a cosine of
at least 0.9999 at 5.3x the speed (bench/RESULTS.md). A model this cannot run the same way
(another pooling, 8-bit weights) runs on PyTorch; ``THEMES_EMBEDDING_RUNTIME=torch`` asks for
PyTorch always.

Importing ``openvino`` sends a usage event to Google Analytics unless told not to (its conversion
tools are imported with the package and report the import); ``import_openvino`` imports it with
that declined, so nothing leaves the machine (a test watches for any connection). Only the
runtime and its ONNX reader are used.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

RUNTIMES = ("auto", "openvino", "torch", "cuda")
"""``auto``: PyTorch on an NVIDIA GPU when it sees one, else OpenVINO when installed and the model
allows it, else PyTorch on the CPU. ``cuda``: PyTorch on the GPU, an error without one."""

CUDA_BATCH = 256
"""Answers per batch on a GPU: a batch of 64 leaves it mostly idle (bench/RESULTS.md)."""

_NVIDIA_DEVICE = Path("/dev/nvidiactl")

_GRAPH = "model.onnx"
_EXPORT_VERSION = "onnx17-v1"  # changes when the export changes, so old graphs are made again
_LOCK = threading.Lock()

BATCH_TOKENS = 4_096
"""At most this many tokens in a batch (unless one answer is longer): 64 answers of 64 tokens;
memory grows with the batch."""
TOKENIZED_AT_ONCE = 2_048
"""Answers tokenized together, to find their lengths, before they are batched by length."""


def chosen_runtime() -> str:
    """The runtime asked for by ``THEMES_EMBEDDING_RUNTIME`` (default ``auto``)."""
    runtime = os.environ.get("THEMES_EMBEDDING_RUNTIME", "auto").strip().lower() or "auto"
    if runtime not in RUNTIMES:
        from themes.core.errors import ConfigError

        raise ConfigError(
            f"THEMES_EMBEDDING_RUNTIME is {runtime!r}; use one of {', '.join(RUNTIMES)}."
        )
    return runtime


def embedding_device(runtime: str) -> str:
    """Where PyTorch runs the model for ``runtime``: ``cuda`` or ``cpu``. ``auto`` imports
    PyTorch to ask only where an NVIDIA driver is loaded, so a CPU machine pays nothing."""
    if runtime not in ("auto", "cuda") or (runtime == "auto" and not _NVIDIA_DEVICE.exists()):
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if runtime == "cuda":
        from themes.core.errors import ConfigError

        raise ConfigError(
            f"THEMES_EMBEDDING_RUNTIME is cuda, but PyTorch {torch.__version__} sees no CUDA GPU. "
            "Install a CUDA build of PyTorch on a machine with an NVIDIA GPU, or unset "
            "THEMES_EMBEDDING_RUNTIME to embed on the CPU."
        )
    return "cpu"


def embedding_threads() -> int | None:
    """``THEMES_EMBEDDING_THREADS``: the most threads the model may use (unset: every core)."""
    from themes.core.errors import whole_setting

    value = os.environ.get("THEMES_EMBEDDING_THREADS", "").strip()
    return whole_setting("THEMES_EMBEDDING_THREADS", value) if value else None


def import_openvino() -> Any:
    """The ``openvino`` module, imported with its telemetry declined: OpenVINO's telemetry
    declines itself in a CI job, and ``CI=true`` for the length of the import is the only switch
    it reads (the alternative, its opt-out file in the user's home, would change the setting for
    every program on the machine)."""
    if "openvino" in sys.modules:
        return sys.modules["openvino"]
    saved = os.environ.get("CI")
    os.environ["CI"] = "true"
    try:
        import openvino
    finally:
        if saved is None:
            os.environ.pop("CI", None)
        else:
            os.environ["CI"] = saved
    return openvino


def runtime_dir() -> Path:
    """Where exported graphs are kept: ``$THEMES_RUNTIME_DIR``, else the user's cache folder
    (``$XDG_CACHE_HOME/themes/runtime-models``): derived from the installed model, not data."""
    if folder := os.environ.get("THEMES_RUNTIME_DIR"):
        return Path(folder)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "themes" / "runtime-models"


def openvino_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("openvino") is not None


def why_not(model: Any) -> str:
    """Why this sentence-transformers model cannot run on OpenVINO the same way; "" if it can."""
    names = [type(module).__name__ for module in model]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return f"its modules are {' -> '.join(names)}, not transformer -> pooling (-> normalize)"
    if getattr(model[1], "pooling_mode", None) != "mean":
        return f"it pools by {getattr(model[1], 'pooling_mode', 'an unknown mode')}, not the mean"
    if not hasattr(model[0], "auto_model"):
        return "its transformer cannot be exported"
    return ""


def tokenized(model: Any, texts: list[str]) -> dict[str, Any]:
    """The model's own tokenization of ``texts`` (padded, truncated as it would): its tensors."""
    prepare = getattr(model, "preprocess", None) or model.tokenize  # 'tokenize' before ST 6
    return {name: value for name, value in prepare(texts).items() if hasattr(value, "numpy")}


Tokenize = Callable[[list[str]], dict[str, np.ndarray]]
"""Texts -> the graph's inputs (token ids, attention mask, ...) as int64 arrays."""


def model_tokenizer(model: Any) -> Tokenize:
    """A sentence-transformers model's own tokenization, as the graph's inputs."""

    def tokenize(texts: list[str]) -> dict[str, np.ndarray]:
        batch = tokenized(model, texts)
        return {name: tensor.numpy().astype(np.int64) for name, tensor in batch.items()}

    return tokenize


def graph_root(folder: Path) -> Path:
    """Where the graph of the model in ``folder`` is kept: ``runtime_dir()``, or, for a model
    this tool made itself under the cache folder (a copy tuned to a framework), the cache
    folder's ``runtime-models``, so that the graph goes when the model does."""
    from themes.core.data_dirs import cache_dir

    if folder.resolve().is_relative_to(cache_dir().resolve()):
        return cache_dir() / "runtime-models"
    return runtime_dir()


def _graph_path(key: str, root: Path | None = None) -> Path:
    return (root or runtime_dir()) / f"{key}-{_EXPORT_VERSION}" / _GRAPH


def export_graph(model: Any, key: str, root: Path | None = None) -> Path:
    """The model's transformer as an ONNX graph under ``root/key`` (``runtime_dir()`` unless
    given), exported on first use (a few seconds) and written atomically."""
    target = _graph_path(key, root).parent
    if (target / _GRAPH).is_file():
        return target / _GRAPH
    import warnings

    import torch

    transformer = model[0].auto_model.eval()
    sample = tokenized(model, ["A short answer."])
    names = list(sample)

    class Graph(torch.nn.Module):  # positional inputs, so the export names them in order
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.transformer(**dict(zip(names, inputs, strict=True))).last_hidden_state

    started = time.perf_counter()
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    temporary.mkdir(parents=True)
    axes = {0: "batch", 1: "tokens"}
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the tracer's notes on constant shapes
            torch.onnx.export(
                Graph(),
                tuple(sample[name] for name in names),
                str(temporary / _GRAPH),
                input_names=names,
                output_names=["hidden"],
                dynamic_axes=dict.fromkeys(names, axes),
                opset_version=17,
                dynamo=False,
            )
        temporary.rename(target)
    except OSError:  # another process finished first: keep theirs
        if not (target / _GRAPH).is_file():
            raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    log.info("Exported %s for OpenVINO in %.1f s", key, time.perf_counter() - started)
    return target / _GRAPH


class GraphModel:
    """A sentence-transformers model whose transformer runs elsewhere (``run``: the tokenized
    inputs as arrays -> the last hidden state), with the model's own tokenization
    (``tokenize``) and the same mean pooling and unit length."""

    def __init__(
        self, tokenize: Tokenize, run: Callable[[dict[str, np.ndarray]], np.ndarray]
    ) -> None:
        self.tokenize, self.run = tokenize, run

    def embed(
        self, texts: list[str], batch_size: int, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        """Unit-length vectors for ``texts``, in order. Answers of the same number of tokens are
        batched together, so no batch is padded: an answer's vector is then the same whatever
        answers it is embedded with (padded, it moved by up to 7e-4 with its batch's longest
        answer, and a cache filled by another analysis gave other themes)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        out: np.ndarray | None = None
        done = 0
        for first in range(0, len(texts), TOKENIZED_AT_ONCE):
            inputs = self.tokenize(texts[first : first + TOKENIZED_AT_ONCE])
            lengths = inputs["attention_mask"].sum(axis=1)
            for length in np.unique(lengths):
                rows = np.flatnonzero(lengths == length)
                size = max(1, min(batch_size, BATCH_TOKENS // max(1, int(length))))
                for start in range(0, len(rows), size):
                    chosen = rows[start : start + size]
                    batch = {name: value[chosen, :length] for name, value in inputs.items()}
                    pooled = self.run(batch).mean(axis=1)  # no padding: every token counts
                    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
                    if out is None:
                        out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
                    out[first + chosen] = pooled / np.maximum(norms, 1e-12)
                    done += len(chosen)
                    progress(f"Embedded {done} of {len(texts)} responses", done / len(texts))
        assert out is not None
        return out


def _read_json(path: Path) -> Any:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def folder_tokenizer(folder: Path) -> tuple[Tokenize, int] | None:
    """The tokenization sentence-transformers applies for the model in ``folder`` (and the
    model's dimension), read with the ``tokenizers`` library alone, or None when the folder is
    not one this reproduces: transformer -> mean pooling (-> unit length) saved with its
    ``max_seq_length``, a ``tokenizer.json``, no lower-casing or prompt of its own. The same
    token ids on 24,000 real answers (bench/RESULTS.md) and on hostile ones
    (``tests/test_runtime.py``)."""
    modules = _read_json(folder / "modules.json")
    if not isinstance(modules, list):
        return None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules if isinstance(m, dict)]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    if modules[0].get("path") not in ("", None):
        return None
    pooling = _read_json(folder / str(modules[1].get("path", "")) / "config.json")
    settings = _read_json(folder / "sentence_bert_config.json")
    tokenizer_config = _read_json(folder / "tokenizer_config.json") or {}
    prompts = _read_json(folder / "config_sentence_transformers.json") or {}
    modes = {k: v for k, v in (pooling or {}).items() if k.startswith("pooling_mode_")}
    if (
        modes != {k: k == "pooling_mode_mean_tokens" for k in modes}
        or not modes.get("pooling_mode_mean_tokens")
        or not isinstance(dimension := (pooling or {}).get("word_embedding_dimension"), int)
        or not isinstance(settings, dict)
        or not isinstance(length := settings.get("max_seq_length"), int)
        or settings.get("do_lower_case")
        or prompts.get("default_prompt_name")
        or not (folder / "tokenizer.json").is_file()
    ):
        return None
    try:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception:  # noqa: BLE001 - an unreadable tokenizer: sentence-transformers loads it
        return None
    pad = str(tokenizer_config.get("pad_token") or "[PAD]")
    pad_id = tokenizer.token_to_id(pad)
    if pad_id is None:
        return None
    tokenizer.enable_truncation(length)
    tokenizer.enable_padding(pad_id=pad_id, pad_token=pad)
    lock = threading.Lock()  # a Tokenizer's settings are shared: one batch at a time

    def tokenize(texts: list[str]) -> dict[str, np.ndarray]:
        with lock:
            encoded = tokenizer.encode_batch(texts)
        return {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
        }

    return tokenize, dimension


def exported_model(folder: Path, key: str, runtime: str) -> tuple[GraphModel, int] | None:
    """The model in ``folder`` on OpenVINO without loading sentence-transformers or PyTorch
    (about 5 s of imports in a new process), and its dimension: when OpenVINO may be used, its
    graph has been exported before (``export_graph``) and ``folder_tokenizer`` reproduces its
    tokenization. None otherwise: the model is then loaded as usual."""
    graph = _graph_path(key, graph_root(folder))
    if runtime == "torch" or not graph.is_file() or not openvino_installed():
        return None
    light = folder_tokenizer(folder)
    if light is None:
        return None
    tokenize, dimension = light
    try:
        return GraphModel(tokenize, openvino_runner(graph)), dimension
    except Exception as error:  # noqa: BLE001 - a graph OpenVINO refuses now: load as usual
        log.info("Loading the model as usual: %s: %s", type(error).__name__, error)
        return None


def openvino_runner(graph: Path) -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    """The graph compiled by OpenVINO for the CPU, as a function of the tokenized inputs."""
    ov = import_openvino()
    # No cache of kernels per input shape: with answers of every length it only grew (by 0.2 GB
    # over 20,000 answers) and embedding was no faster with it (bench/RESULTS.md).
    # 32-bit floats where the CPU could use bfloat16 (AVX-512 BF16 makes it OpenVINO's default):
    # the model's own precision on every CPU, and faster here (bench/RESULTS.md).
    options: dict[str, Any] = {
        "PERFORMANCE_HINT": "LATENCY",
        "CPU_RUNTIME_CACHE_CAPACITY": 0,
        "INFERENCE_PRECISION_HINT": "f32",
    }
    if threads := embedding_threads():  # a Ray worker uses the cores it was given, no more
        options["INFERENCE_NUM_THREADS"] = threads
        # Several such processes share the machine: OpenVINO would pin each to the same cores.
        options["ENABLE_CPU_PINNING"] = False
    compiled = ov.Core().compile_model(str(graph), "CPU", options)

    def run(inputs: dict[str, np.ndarray]) -> np.ndarray:
        with _LOCK:  # one compiled model, many threads in the app
            return np.asarray(compiled(inputs)[0])

    return run


def openvino_model(
    model: Any, key: str, runtime: str, folder: Path | None = None
) -> GraphModel | None:
    """The model (loaded from ``folder``) on OpenVINO, or None (PyTorch is used) when
    ``runtime`` is torch, OpenVINO is not installed or the model cannot run there the same way
    (logged). ``runtime`` openvino makes those an error instead."""
    if runtime == "torch":
        return None
    reason = "OpenVINO is not installed" if not openvino_installed() else why_not(model)
    if not reason:
        try:
            root = graph_root(folder) if folder is not None else None
            graph = export_graph(model, key, root)
            return GraphModel(model_tokenizer(model), openvino_runner(graph))
        except Exception as error:  # an export or compile the model refuses
            reason = f"{type(error).__name__}: {error}"
    if runtime == "openvino":
        from themes.core.errors import ConfigError

        raise ConfigError(f"The model cannot run on OpenVINO: {reason}.")
    log.info("Embedding on PyTorch: %s", reason)
    return None
