"""Framework files: the bundled strategy, TOML and CSV loading, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes import InputError
from themes.frameworks.framework import (
    load_framework,
    parse_framework_csv,
    parse_framework_toml,
    split_examples,
)

GOOD = """
[framework]
name = "Test strategy"

[[items]]
id = "P1"
kind = "pillar"
name = "Healthy places"
description = "Parks, transport, housing."
examples = ["more cycle paths", "safe parks"]

[[items]]
id = "P1.1"
kind = "focus_area"
parent = "P1"
name = "Active travel"
examples = ["better buses"]

[[items]]
id = "U1"
kind = "unifying_theme"
name = "Smoking"
"""


def test_bundled_gloucestershire_follows_the_strategy() -> None:
    framework = load_framework()
    pillars = [i for i in framework.items if i.kind == "pillar"]
    assert [p.name for p in pillars] == [
        "Making Gloucestershire a better place for the future",
        "Transforming what we do",
        "Improving health and care services today",
    ]
    assert len(framework.children(pillars[1].id)) == 4
    assert len(framework.children(pillars[2].id)) >= 4
    conditions = [i for i in framework.items if i.kind == "condition_for_change"]
    unifying = [i for i in framework.items if i.kind == "unifying_theme"]
    assert len(conditions) == 3 and len(unifying) == 3
    assert {u.name.lower() for u in unifying} >= {"smoking"} or any(
        "smok" in u.name.lower() for u in unifying
    )
    assert all(i.description and len(i.examples) >= 5 for i in framework.items)


def test_toml_items_and_hierarchy() -> None:
    framework = parse_framework_toml(GOOD)
    assert framework.id == "test-strategy"
    assert [i.id for i in framework.top_level] == ["P1", "U1"]
    assert framework.pillar_of("P1.1").id == "P1"
    assert framework.item("U1").cross_cutting
    assert framework.item("P1").texts() == [
        "Healthy places: Parks, transport, housing.",
        "more cycle paths",
        "safe parks",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "P1.1"', 'id = "P1"'), r"line 12: the id 'P1' is already used"),
        (('parent = "P1"', 'parent = "P9"'), r"line 12: .*parent 'P9'"),
        (('kind = "focus_area"', 'kind = "area"'), r"line 12: .*kind 'area'; use one of"),
        (('examples = ["better buses"]', 'exmaples = ["better buses"]'), r"line 12: unknown field"),
        (('name = "Smoking"', 'name = "Smoking"\nparent = "P1"'), r"line 19: .*cross-cutting"),
        (('name = "Test strategy"', 'name = "Test strategy'), r"not valid TOML.*line 3"),
    ],
)
def test_malformed_files_name_the_line(change: tuple[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_framework_toml(GOOD.replace(*change), "mine.toml")


def test_csv_framework() -> None:
    text = (
        "major_category,subcategory,description,examples\n"
        "Access,Waiting,Waits for care,\"POSITIVE: 'Seen quickly', 'No wait'\nNEGATIVE: 'Waited hours'\"\n"
        "Access,Parking,Parking at sites,car park full; too expensive\n"
        "Staff,Attitude,How staff behave,\n"
    )
    framework = parse_framework_csv(text, "fft.csv")
    assert [(i.id, i.kind, i.name) for i in framework.items] == [
        ("M1", "category", "Access"),
        ("M1.1", "subcategory", "Waiting"),
        ("M1.2", "subcategory", "Parking"),
        ("M2", "category", "Staff"),
        ("M2.1", "subcategory", "Attitude"),
    ]
    assert framework.item("M1.1").examples == ("Seen quickly", "No wait", "Waited hours")
    assert framework.item("M1.2").examples == ("car park full", "too expensive")
    with pytest.raises(InputError, match="needs columns major_category and subcategory"):
        parse_framework_csv("category,name\nA,B\n")


def test_split_examples_keeps_apostrophes() -> None:
    assert split_examples("'Don’t make me wait', ‘Can’t fault them’") == [
        "Don’t make me wait",
        "Can’t fault them",
    ]


def test_missing_framework_lists_bundled(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="gloucestershire"):
        load_framework(tmp_path / "nope.toml")
