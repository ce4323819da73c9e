"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def test_no_gradio_under_the_domain_package() -> None:
    for path in (REPO / "src" / "themes").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "gradio" for n in names), path


def test_no_download_calls_in_the_code() -> None:
    forbidden = ("snapshot_download", "hf_hub_download", "nltk.download", "urlopen", "requests.get")
    for folder in ("src", "app"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for word in forbidden:
                assert word not in text, f"{word} in {path}"
