"""Embedding on a Ray cluster (``--engine ray``, or ``THEMES_ENGINE=ray`` for the app).

The answers go through Ray Data to a pool of model actors, one per worker: streamed in batches,
with back-pressure, and a batch whose worker dies is run again on another (Ray retries the
task and restarts the actor), so no answer is lost. Each actor runs the same embedder as a
single process would (OpenVINO where it can), limited to the cores Ray gave it, and the vectors
come back in the order of the texts. A handful of texts (prototypes, label candidates) is
embedded here instead: a round trip to the cluster would cost more than the work.

Without ``address`` a local Ray instance is started on this machine (every core); with one, the
running cluster at that address is joined: each of its nodes needs themes installed the same
way (``pip install 'themes[ray]'``). Ray's usage statistics are declined before it starts, so
nothing leaves the machine. Ray is an optional extra; the default install runs without it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from themes.core.errors import ConfigError
from themes.core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

LOCAL_BELOW = 10_000
"""Fewer texts than this are embedded in this process, not on the cluster: starting the model
actors costs about 10 s (each loads the model), in which this process embeds some 7,000
answers on two cores (3,300 answers: 50 s on Ray with 2 workers, 24 s here)."""

CHUNK = 200_000
"""Texts per call from ``embed_texts``: each call starts the model actors afresh (seconds), and
its vectors reach the embedding cache when it ends."""

BATCH = 512
"""Texts per batch sent to a worker: large enough that the model is kept busy, small enough that
a retried batch costs little."""

ENGINES = ("local", "ray")

NO_RAY = (
    "The Ray engine needs Ray, an optional extra: pip install 'themes[ray]' (or 'ray[data]'), "
    "or analyse in this process (--engine local, or unset THEMES_ENGINE)."
)


def chosen_engine(engine: str | None = None) -> str:
    """``engine``, else ``THEMES_ENGINE`` (default ``local``): where answers are embedded."""
    value = (engine or os.environ.get("THEMES_ENGINE", "") or "local").strip().lower()
    if value not in ENGINES:
        raise ConfigError(f"The engine is {value!r}; use one of {', '.join(ENGINES)}.")
    return value


def ray_installed() -> bool:
    """Whether Ray (with Ray Data) can be imported."""
    from importlib.util import find_spec

    return find_spec("ray") is not None and find_spec("ray.data") is not None


def connect(address: str | None = None, *, num_cpus: int | None = None) -> Any:
    """The ``ray`` module, connected: to the cluster at ``address``, else to a Ray instance
    started on this machine with ``num_cpus`` (default every core), or the one this process
    already started."""
    if not ray_installed():
        raise ConfigError(NO_RAY)
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # Ray's usage statistics would go online
    import ray

    if not ray.is_initialized():
        log.info("Starting Ray (%s)", f"cluster at {address}" if address else "on this machine")
        if address:
            _check_reachable(address)
        ray.init(
            address=address,
            num_cpus=None if address else num_cpus,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
            configure_logging=False,
        )
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # its notes on progress bars
    return ray


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A clear error at once when nothing answers at a cluster's address (Ray itself would wait
    minutes): HOST:PORT, or ray://HOST:PORT for Ray Client."""
    import socket

    if address == "auto":  # Ray finds the cluster this machine belongs to itself
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(
            f"The Ray address {address!r} is not HOST:PORT (e.g. 10.0.0.5:6379, or "
            "ray://10.0.0.5:10001 for Ray Client)."
        )
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as error:
        raise ConfigError(
            f"Nothing answers at the Ray address {address} ({error}). Check that the cluster is "
            "running ('ray status' on its head node) and the address, or leave out --address to "
            "start Ray on this machine."
        ) from None


def cluster_cpus(ray: Any) -> int:
    """The CPUs the cluster offers (at least 1)."""
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _worker(factory: Callable[[], Any]) -> type:
    """The model actor's class, holding ``factory`` itself (no constructor arguments to keep in
    Ray's object store for a restart): it builds its embedder once, then embeds batch after batch."""

    class EmbedWorker:
        def __init__(self) -> None:
            self.embedder = factory()
            self.embedder.embed(["warm up"])  # the model is loaded before the first batch

        def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            vectors = self.embedder.embed([str(t) for t in batch["text"]])
            return {"position": batch["position"], "vector": np.asarray(vectors, dtype=np.float32)}

    return EmbedWorker


@dataclass
class RayEmbedder:
    """An ``Embedder`` whose large calls run on a Ray cluster.

    ``local`` is the same model in this process (for small calls, and the model id: the vectors
    are the same, so they share the embedding cache); ``factory`` builds the model in each
    actor. ``workers`` defaults to one per CPU of the cluster, each given ``cpus_per_worker``.
    """

    local: Any
    factory: Callable[[], Any]
    address: str | None = None
    workers: int | None = None
    cpus_per_worker: int = 1
    batch: int = BATCH
    chunk: int = CHUNK
    local_below: int = LOCAL_BELOW
    used: dict[str, Any] = field(default_factory=dict)

    @property
    def model_id(self) -> str:
        return str(self.local.model_id)

    @property
    def dimension(self) -> int:
        return int(self.local.dimension)

    @property
    def runtime_loaded(self) -> str | None:
        return "ray" if self.used else getattr(self.local, "runtime_loaded", None)

    def embed(self, texts: list[str], progress: ProgressFn = no_progress) -> np.ndarray:
        if len(texts) < self.local_below:
            return np.asarray(self.local.embed(texts, progress))
        ray = connect(self.address)
        workers = self.workers or max(1, cluster_cpus(ray) // self.cpus_per_worker)
        self.used.update(workers=workers, address=self.address or "this machine")
        # In the texts' own order: sorted by length, the last batch (the longest answers) would
        # keep one worker busy while the others wait; each worker sorts its own batch.
        items = [{"position": p, "text": t} for p, t in enumerate(texts)]
        blocks = max(workers, -(-len(items) // self.batch))  # every worker gets some
        data = ray.data.from_items(items, override_num_blocks=blocks)
        vectors = data.map_batches(
            _worker(self.factory),
            batch_size=self.batch,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=self.cpus_per_worker,
            runtime_env={"env_vars": {"THEMES_EMBEDDING_THREADS": str(self.cpus_per_worker)}},
        )
        out: np.ndarray | None = None
        done = 0
        for part in vectors.iter_batches(batch_format="numpy", batch_size=None):
            if out is None:
                out = np.zeros((len(texts), part["vector"].shape[1]), dtype=np.float32)
            out[part["position"]] = part["vector"]
            done += len(part["position"])
            progress(f"Embedded {done} of {len(texts)} responses on Ray", done / len(texts))
        if out is None or done != len(texts):  # never silently short
            raise RuntimeError(f"Ray returned {done} of {len(texts)} embeddings.")
        return out


def ray_embedder(
    model: str,
    batch_size: int,
    local: Any,
    *,
    address: str | None = None,
    workers: int | None = None,
) -> RayEmbedder:
    """``local``'s model on a Ray cluster: each actor builds it with ``make_embedder``."""
    from themes.analysis.embedding import make_embedder

    if workers is not None and workers < 1:
        raise ConfigError(f"Ray needs at least 1 worker, not {workers}.")
    if not ray_installed():  # said before any file is read, not when the embedding starts
        raise ConfigError(NO_RAY)
    if address:
        _check_reachable(address)
    factory = partial(make_embedder, model, batch_size, engine="local")
    return RayEmbedder(local, factory, address=address, workers=workers)
