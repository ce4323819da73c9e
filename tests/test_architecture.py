"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast

import pytest

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


# The stages in pipeline order: a module may import its own stage and the ones before it, never
# a later one (type-only imports included). Top-level modules (the domain API the app and CLI
# share) and the CLI package sit above every stage.
STAGES = (
    "core",
    "privacy",
    "ingest",
    "analysis",
    "frameworks",
    "review",
    "publish",
    "evaluation",
)


def _stage(module: str) -> int:
    """The position of ``themes.<stage>...`` in STAGES; top-level modules come after them all."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else len(STAGES)


def _imports_of_themes(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("themes"):
            if (
                node.module == "themes"
                or node.module.split(".")[1] in STAGES
                and (node.module.count(".") == 1)
            ):
                # 'from themes.analysis import compiled': the names may be modules.
                found |= {f"{node.module}.{a.name}" for a in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("themes.")}
    return found


def test_stages_import_only_earlier_stages() -> None:
    package = REPO / "src" / "themes"
    folders = sorted(p.name for p in package.iterdir() if (p / "__init__.py").is_file())
    assert folders == sorted((*STAGES, "cli")), "a new stage package must be placed in STAGES"
    wrong = []
    for path in package.rglob("*.py"):
        module = ".".join(("themes", *path.relative_to(package).with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for imported in _imports_of_themes(tree):
            if _stage(imported) > _stage(module):
                wrong.append(f"{module} imports {imported}")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_stage_names_its_public_api() -> None:
    for stage in STAGES:
        init = REPO / "src" / "themes" / stage / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{stage}/__init__.py says what the stage does"
        exported = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Assign)
            and any(getattr(t, "id", "") == "__all__" for t in n.targets)
        ]
        assert exported, f"{stage}/__init__.py names its public API in __all__"


def test_every_public_name_resolves() -> None:
    import importlib

    for package in ("themes", *(f"themes.{stage}" for stage in STAGES)):
        module = importlib.import_module(package)
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{package}.{name}"
        with pytest.raises(AttributeError, match="no attribute"):
            module.not_a_name  # noqa: B018
