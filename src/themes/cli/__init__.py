"""The ``themes`` command line: parse arguments, make one domain call, format the result.

Heavy libraries are imported inside commands so ``themes --help`` starts fast.
"""

from themes.cli.main import main

__all__ = ["main"]
