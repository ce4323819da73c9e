"""Importing BERTopic without the model libraries it loads only for features this tool never uses.

Each check runs in a fresh interpreter, where it alone decides what is loaded and how many threads
there are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GUARDED = """
try:
    import heavydep
    HAS_DEP = True
except ModuleNotFoundError:
    HAS_DEP = False
"""
UNGUARDED = "import heavydep\nHAS_DEP = True\n"


def _run(tmp_path: Path, code: str) -> dict:
    """Run ``code`` in a fresh interpreter with ``tmp_path`` importable; it prints JSON."""
    (tmp_path / "heavydep.py").write_text("LOADED = True\n")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _package(tmp_path: Path, body: str) -> None:
    (tmp_path / "lightpkg").mkdir()
    (tmp_path / "lightpkg" / "__init__.py").write_text(body)


IMPORT_AND_REPORT = """
    import json, sys
    from themes.analysis.bertopic_import import import_hiding
    package = import_hiding("lightpkg", ["heavydep"])
    during = "heavydep" in sys.modules
    import heavydep  # visible again afterwards
    print(json.dumps({"has_dep": package.HAS_DEP, "loaded_during": during,
                      "later": heavydep.LOADED}))
"""


def test_a_guarded_dependency_is_hidden_from_the_import_and_loads_later(tmp_path: Path) -> None:
    _package(tmp_path, GUARDED)
    seen = _run(tmp_path, IMPORT_AND_REPORT)
    assert seen == {"has_dep": False, "loaded_during": False, "later": True}


def test_a_package_that_needs_the_dependency_is_imported_again_with_it(tmp_path: Path) -> None:
    _package(tmp_path, UNGUARDED)
    seen = _run(tmp_path, IMPORT_AND_REPORT)
    assert seen == {"has_dep": True, "loaded_during": True, "later": True}


def test_a_package_that_breaks_without_the_dependency_is_imported_again(tmp_path: Path) -> None:
    """Not only an import error: one that reads the missing module at import fails otherwise."""
    _package(
        tmp_path,
        GUARDED.replace("HAS_DEP = False", "heavydep = None") + "HAS_DEP = heavydep.LOADED\n",
    )
    seen = _run(tmp_path, IMPORT_AND_REPORT)
    assert seen == {"has_dep": True, "loaded_during": True, "later": True}


def test_nothing_is_hidden_while_another_thread_runs(tmp_path: Path) -> None:
    """Another thread could be importing the dependency: hiding it would break that import."""
    _package(tmp_path, GUARDED)
    seen = _run(
        tmp_path,
        """
        import json, threading
        from themes.analysis.bertopic_import import import_hiding
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        package = import_hiding("lightpkg", ["heavydep"])
        stop.set()
        print(json.dumps({"has_dep": package.HAS_DEP}))
        """,
    )
    assert seen == {"has_dep": True}


def test_a_dependency_already_loaded_is_left_alone(tmp_path: Path) -> None:
    _package(tmp_path, GUARDED)
    seen = _run(
        tmp_path,
        """
        import json, heavydep
        from themes.analysis.bertopic_import import import_hiding
        print(json.dumps({"has_dep": import_hiding("lightpkg", ["heavydep"]).HAS_DEP}))
        """,
    )
    assert seen == {"has_dep": True}


@pytest.mark.slow
def test_bertopic_imports_without_torch_or_sentence_transformers(tmp_path: Path) -> None:
    """The installed BERTopic: its import no longer loads the model libraries (about 5 s of a
    warm re-run), and what the analysis uses from it is there."""
    seen = _run(
        tmp_path,
        """
        import json, sys
        from themes.analysis.bertopic_import import UNUSED, import_bertopic
        import_bertopic()
        from bertopic import BERTopic
        from bertopic.vectorizers import ClassTfidfTransformer
        print(json.dumps(sorted(name for name in UNUSED if name in sys.modules)))
        """,
    )
    assert seen == []
