"""Importing BERTopic without the model libraries it loads only for features this tool never uses.

BERTopic's package imports sentence-transformers, transformers, spaCy and torch (about 5.5 s on
2 cores) for its own embedding backends, its text-generation and part-of-speech representations
and saving its models, each behind a guard that lets BERTopic's light install go without them.
An analysis always gives BERTopic its own vectors, so a re-run that finds every vector in the
cache need not pay for them.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from types import ModuleType
from typing import Any

UNUSED = ("sentence_transformers", "transformers", "spacy", "torch")


def import_bertopic() -> ModuleType:
    """The ``bertopic`` package, imported with those of ``UNUSED`` not loaded yet hidden."""
    return import_hiding("bertopic", UNUSED)


def import_hiding(package: str, unused: Sequence[str]) -> ModuleType:
    """``package``, imported with those of ``unused`` that are not loaded yet hidden from it.

    Hiding is safe when this process has one thread, so no other thread can be importing one of
    them meanwhile (the command line; the app, with its warm-up thread, imports as usual). A
    hidden module is one whose import fails as if it were not installed; ``sys.modules`` is left
    as it is, so code that looks there sees it is not loaded. They are visible again straight
    after, so loading one later works as usual (the package's own features that need them are
    then unavailable in this process). Should the package fail to import without them, it is
    imported again with them."""
    if package in sys.modules:
        return sys.modules[package]
    hidden = frozenset(name for name in unused if name not in sys.modules)
    if threading.active_count() > 1 or not hidden:
        return importlib.import_module(package)
    finder = _Hidden(hidden)
    sys.meta_path.insert(0, finder)
    try:
        try:
            return importlib.import_module(package)
        finally:
            sys.meta_path.remove(finder)
    except Exception:  # noqa: BLE001  # it needs a hidden one: import it as usual
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        return importlib.import_module(package)


class _Hidden(MetaPathFinder):
    """An import finder that makes the named top-level packages look not installed."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden)", name=fullname)
        return None
