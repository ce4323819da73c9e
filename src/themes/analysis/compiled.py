"""Keep UMAP's compiled numba code on disk, so only the first analysis on a machine compiles it.

UMAP's layout and graph functions are jitted without numba's ``cache=True``, so every new process
spent 6-15 s compiling them again (bench/RESULTS.md). :func:`enable` rebuilds those functions with
caching on; the compiled code is the same and so are the results. Numba keeps the cache where it
keeps pynndescent's: beside the installed library, in the user's cache folder when that is
read-only, or in ``$NUMBA_CACHE_DIR`` when set. Call it before UMAP is first used in a process.
"""

from __future__ import annotations

import importlib
import logging

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
    for name in UMAP_MODULES:
        module = importlib.import_module(name)
        for attribute, function in list(vars(module).items()):
            # Functions with explicit signatures were compiled at import; leave those alone.
            if not isinstance(function, CPUDispatcher) or function.signatures:
                continue
            options = {
                k: v for k, v in function.targetoptions.items() if k not in {"nopython", "cache"}
            }
            try:
                cached = numba.njit(cache=True, **options)(function.py_func)
            except RuntimeError as exc:  # "cannot cache function ...: no locator available"
                log.warning("UMAP's compiled code cannot be cached here: %s", exc)
                break
            setattr(module, attribute, cached)
            count += 1
    _state["functions"] = count
    return count
