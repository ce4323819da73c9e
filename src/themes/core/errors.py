"""Every error the themes package raises on purpose, in one place.

Each message says what was wrong, what was received, what is valid and how to fix it.
Errors subclass the matching builtin so callers can catch either.
"""

from __future__ import annotations

from collections.abc import Iterable


class ThemesError(Exception):
    """Base class for all errors raised on purpose by themes."""


class InputError(ThemesError, ValueError):
    """The user's data (file, column, rows) cannot be used as given."""


class ConfigError(ThemesError, ValueError):
    """A setting is out of range or of the wrong type."""


class ReviewError(ThemesError, ValueError):
    """A review edit cannot be applied to the project as it stands."""


class ConflictError(ThemesError, RuntimeError):
    """Someone else changed the project since this view was loaded."""


class ModelNotFoundError(ThemesError, LookupError):
    """The chosen embedding model is not installed locally."""


def _names(options: Iterable[str], limit: int = 12) -> str:
    items = [repr(o) for o in options]
    if len(items) > limit:
        items = items[:limit] + [f"... ({len(items) - limit} more)"]
    return ", ".join(items) if items else "(none)"


def unknown_column(kind: str, got: str, available: Iterable[str]) -> InputError:
    """A requested column does not exist in the uploaded table."""
    return InputError(
        f"No {kind} column named {got!r} in the file. Available columns: {_names(available)}. "
        f"Pass one of these names exactly (check spaces and capitals)."
    )


def bad_setting(name: str, expected: str, got: object) -> ConfigError:
    """A configuration value is invalid."""
    return ConfigError(f"The setting {name!r} must be {expected}. Got {got!r} instead.")


def whole_setting(name: str, raw: str) -> int:
    """``raw`` (an environment setting's text) as a whole number above 0, else a ConfigError
    naming the setting."""
    if not raw.isdigit() or int(raw) < 1:
        raise bad_setting(name, "a whole number above 0", raw)
    return int(raw)


def model_not_found(
    name: str, searched: Iterable[str], available: Iterable[str]
) -> ModelNotFoundError:
    """No local copy of the embedding model could be found; nothing is ever downloaded."""
    return ModelNotFoundError(
        f"Embedding model {name!r} is not installed on this machine (looked in: "
        f"{_names(searched)}). themes never downloads models. Installed models: "
        f"{_names(available)}. To use another sentence-transformers model, copy its folder into "
        f"models/<name>/ (see models/README.md) or pass a path to the folder."
    )


def over_limit(source: str, what: str, found: str, limit: int, setting: str) -> InputError:
    """A file holds more than one upload may: refused before it can exhaust memory."""
    return InputError(
        f"{source} {found}, over the limit of {limit:,} {what}, so it was not read (a file this "
        f"size, or one that only claims to be, could exhaust the server's memory). If the export "
        f"is real, split it or remove columns you do not need, or raise the limit by setting the "
        f"environment variable {setting} (for example {setting}={limit * 2}) before starting themes."
    )


class AccessError(ThemesError, PermissionError):
    """The signed-in user may not do this to this project."""
