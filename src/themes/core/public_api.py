"""Package-level names imported on first use, so naming a stage's API costs nothing at start-up
(``themes --help`` never loads numpy, torch or spaCy)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from typing import Any


def public_names(api: Mapping[str, Sequence[str]]) -> list[str]:
    """The names a package offers (its ``__all__``), from ``{module: names}``."""
    return [name for names in api.values() for name in names]


def lazy_getattr(package: str, api: Mapping[str, Sequence[str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.<module>`` when one of its names is read.

    ``api`` maps a module, relative to ``package`` (or absolute when it starts with 'themes.'),
    to the names it provides.
    """
    where = {name: module for module, names in api.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        full = module if module.startswith("themes.") else f"{package}.{module}"
        return getattr(import_module(full), name)

    return __getattr__
