"""The installed package's version, recorded in every result's provenance."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def package_version() -> str:
    """The version of the installed ``themes`` package ('0+unknown' in a never-installed tree)."""
    try:
        return version("themes")
    except PackageNotFoundError:
        return "0+unknown"
