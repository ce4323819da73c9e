"""The README's two-command quick start stays true: `make app` and `make test`, and CI runs the latter."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_quick_start_names_the_two_commands() -> None:
    quick = _readme().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)", quick, flags=re.MULTILINE)
    assert commands[:2] == ["make app", "make test"]


def test_makefile_targets_exist_and_ci_runs_the_readme_test_command() -> None:
    makefile = (REPO / "Makefile").read_text()
    for target in ("app", "test", "install"):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target
    assert re.search(r"^app:.*\n\t\$\(PY\) -m app\.app", makefile, flags=re.MULTILINE)
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)
    # The CPU build is chosen by the install step; the package's metadata stays a range.
    assert '"torch==2.13.0"' in makefile
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"torch>=' in pyproject and "torch==" not in pyproject


def test_sample_data_is_bundled() -> None:
    from app.app import SAMPLE

    assert SAMPLE == REPO / "data" / "sample" / "gloucestershire_survey.csv"
    assert (REPO / "data" / "sample" / "gloucestershire_survey.csv").is_file()
