"""Keep UMAP's compiled numba code on disk, so only the first analysis on a machine compiles it.

UMAP's layout and graph functions are jitted without numba's ``cache=True``, so every new process
spent 6-15 s compiling them again (bench/RESULTS.md). :func:`enable` rebuilds those functions with
caching on, and releasing the GIL (``nogil``) so several layouts can be made in threads at
once (``themes.analysis.reduction``); the compiled code is the same and so are the results.
Numba keeps the cache where it keeps pynndescent's: beside the installed library, in the user's
cache folder when that is read-only, or in ``$NUMBA_CACHE_DIR`` when set. Call it before UMAP
is first used in a process.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

UMAP_MODULES = ("umap.utils", "umap.distances", "umap.sparse", "umap.layouts", "umap.umap_")
_state: dict[str, int] = {}


def enable() -> int:
    """Turn on numba's disk cache for UMAP's functions; returns how many now cache. Idempotent.

    Where numba finds nowhere to write, the functions are left as they were (only slower)."""
    if "functions" in _state:
        return _state["functions"]
    import numba
    from numba.core.registry import CPUDispatcher

    count = 0
    stale: set[Path] = set()
    for name in UMAP_MODULES:
        module = importlib.import_module(name)
        for attribute, function in list(vars(module).items()):
            # Functions with explicit signatures were compiled at import; leave those alone.
            if not isinstance(function, CPUDispatcher) or function.signatures:
                continue
            options = {
                k: v for k, v in function.targetoptions.items() if k not in {"nopython", "cache"}
            }
            options["nogil"] = True  # so that layouts made in threads run side by side
            try:
                cached = numba.njit(cache=True, **options)(function.py_func)
            except RuntimeError as exc:  # "cannot cache function ...: no locator available"
                log.warning("UMAP's compiled code cannot be cached here: %s", exc)
                break
            _forget_older_code(cached, stale)
            setattr(module, attribute, cached)
            count += 1
    for folder in stale:
        with contextlib.suppress(OSError):
            (folder / STAMP).touch()
    _state["functions"] = count
    return count


STAMP = "themes-nogil-1"
"""Written beside the cached code once it is compiled with the GIL released. Numba's cache key
leaves out such options, so code cached before (holding the GIL) would be loaded and layouts made
in threads would take turns; where the stamp is missing, the cached code is dropped once."""


def _forget_older_code(dispatcher: Any, stale: set[Path]) -> None:
    cache = getattr(dispatcher, "_cache", None)  # numba's FunctionCache, when caching is on
    folder = getattr(cache, "_cache_path", None)
    if cache is None or folder is None or (Path(folder) / STAMP).exists():
        return
    with contextlib.suppress(OSError, AttributeError):
        cache.flush()
        stale.add(Path(folder))
