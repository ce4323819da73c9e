"""Strategy frameworks: pillars, their focus areas, and cross-cutting items, loaded from a TOML file
(documented format, see ``frameworks/README.md``) or a CSV of categories, and validated with
messages that name the line and the item.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from themes.core.errors import InputError

KINDS = (
    "pillar",
    "focus_area",
    "condition_for_change",
    "unifying_theme",
    "category",
    "subcategory",
)
CROSS_CUTTING = ("condition_for_change", "unifying_theme")
BUNDLED = {"gloucestershire": "gloucestershire.toml"}
DEFAULT_FRAMEWORK = "gloucestershire"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_QUOTED = re.compile(r"[‘'\"“](.{2,300}?)[’'\"”](?=\s*(?:,|;|\n|$))")


@dataclass(frozen=True)
class FrameworkItem:
    """One pillar, focus area or cross-cutting item of a framework.

    Attributes:
        id: short stable id ('P2.1').
        kind: one of ``KINDS``.
        name: the framework's own name for it.
        description: what it covers.
        examples: phrases that people might write about it.
        parent: the id of the item it belongs to (a focus area's pillar), or None.
        include, exclude: notes for reviewers on what belongs here and what does not.
    """

    id: str
    kind: str
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    parent: str | None = None
    include: str = ""
    exclude: str = ""

    @property
    def cross_cutting(self) -> bool:
        return self.kind in CROSS_CUTTING

    def texts(self) -> list[str]:
        """What responses are compared with: the name with its description, and each example."""
        head = f"{self.name}: {self.description}" if self.description else self.name
        return [head, *self.examples]


@dataclass(frozen=True)
class Framework:
    """A strategy's structure: items in file order, each knowing its parent."""

    id: str
    name: str
    items: tuple[FrameworkItem, ...]
    source: str = ""
    version: str = ""
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def item(self, item_id: str) -> FrameworkItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise InputError(
            f"No item {item_id!r} in the framework {self.name!r}. Items: "
            f"{', '.join(i.id for i in self.items)}."
        )

    def children(self, item_id: str) -> list[FrameworkItem]:
        return [i for i in self.items if i.parent == item_id]

    @property
    def top_level(self) -> list[FrameworkItem]:
        return [i for i in self.items if i.parent is None]

    def pillar_of(self, item_id: str) -> FrameworkItem:
        """The top-level item above an item (itself when it has no parent)."""
        item = self.item(item_id)
        while item.parent is not None:
            item = self.item(item.parent)
        return item


def _item_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[items]]"]


@functools.lru_cache(maxsize=16)  # frameworks are immutable; the app reads one per page
def parse_framework_toml(text: str, source: str = "framework") -> Framework:
    """A framework from TOML text; every problem names its line and item."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{source} is not valid TOML: {exc}. Fix that line and load it again."
        ) from exc
    head = data.get("framework")
    if not isinstance(head, dict) or not head.get("name"):
        raise InputError(f'{source} needs a [framework] table with at least a name = "...".')
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InputError(f"{source} has no [[items]]: add the pillars (see frameworks/README.md).")
    lines = _item_lines(text)
    items: list[FrameworkItem] = []
    seen: dict[str, int] = {}
    allowed = {"id", "kind", "name", "description", "examples", "parent", "include", "exclude"}

    def where(index: int) -> str:
        line = f"line {lines[index]}" if index < len(lines) else f"item {index + 1}"
        return f"{source}, {line}"

    for index, raw in enumerate(raw_items):
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise InputError(
                f"{where(index)}: unknown field(s) {', '.join(unknown)}. Fields are: "
                f"{', '.join(sorted(allowed))}."
            )
        item_id = str(raw.get("id", "")).strip()
        if not _ID.match(item_id):
            raise InputError(
                f"{where(index)}: every item needs an id of letters, digits, '.', '-' or '_' (got {item_id!r})."
            )
        if item_id in seen:
            raise InputError(
                f"{where(index)}: the id {item_id!r} is already used by item {seen[item_id] + 1}. Ids must be unique."
            )
        kind = str(raw.get("kind", "")).strip()
        if kind not in KINDS:
            raise InputError(
                f"{where(index)}: item {item_id!r} has kind {kind!r}; use one of {', '.join(KINDS)}."
            )
        name = str(raw.get("name", "")).strip()
        if not name:
            raise InputError(f"{where(index)}: item {item_id!r} needs a name.")
        examples = raw.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise InputError(f"{where(index)}: examples of {item_id!r} must be a list of strings.")
        seen[item_id] = index
        items.append(
            FrameworkItem(
                id=item_id,
                kind=kind,
                name=name,
                description=" ".join(str(raw.get("description", "")).split()),
                examples=tuple(e.strip() for e in examples if e.strip()),
                parent=str(raw["parent"]).strip() if raw.get("parent") else None,
                include=str(raw.get("include", "")).strip(),
                exclude=str(raw.get("exclude", "")).strip(),
            )
        )
    for index, item in enumerate(items):
        if item.parent is not None and item.parent not in seen:
            raise InputError(
                f"{where(index)}: item {item.id!r} names parent {item.parent!r}, which is not an item id."
            )
        if item.parent == item.id:
            raise InputError(f"{where(index)}: item {item.id!r} cannot be its own parent.")
        if item.cross_cutting and item.parent is not None:
            raise InputError(
                f"{where(index)}: {item.kind} {item.id!r} is cross-cutting and takes no parent."
            )
    meta = {
        k: v for k, v in head.items() if k not in ("id", "name", "source", "version", "description")
    }
    return Framework(
        id=str(head.get("id") or re.sub(r"\W+", "-", head["name"].lower()).strip("-")),
        name=str(head["name"]),
        items=tuple(items),
        source=str(head.get("source", "")),
        version=str(head.get("version", "")),
        description=str(head.get("description", "")),
        meta=meta,
    )


def split_examples(text: str) -> list[str]:
    """Example phrases from a cell: quoted phrases when there are any, else lines or semicolons."""
    quoted = [m.strip() for m in _QUOTED.findall(text)]
    if quoted:
        return list(dict.fromkeys(q for q in quoted if len(q) > 1))
    parts = re.split(r"[\n;]+", text)
    return [p.strip(" -•\t") for p in parts if p.strip(" -•\t")]


@functools.lru_cache(maxsize=16)
def parse_framework_csv(text: str, source: str = "framework.csv") -> Framework:
    """A two-level framework from CSV columns ``major_category, subcategory, description, examples``
    (the shape of NHS England's FFT-QDC framework); extra example columns are used too."""
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    needed = {"major_category", "subcategory"}
    if not needed <= set(columns):
        raise InputError(
            f"{source} needs columns major_category and subcategory (and optionally description, "
            f"examples). It has: {', '.join(columns) or '(none)'}."
        )
    items: list[FrameworkItem] = []
    majors: dict[str, str] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        major, sub = row["major_category"], row["subcategory"]
        if not major or not sub:
            raise InputError(
                f"{source}, line {line}: major_category and subcategory must both be filled in."
            )
        if major not in majors:
            majors[major] = f"M{len(majors) + 1}"
            items.append(FrameworkItem(majors[major], "category", major))
        examples: list[str] = []
        for column in [c for c in row if "example" in c]:
            examples += split_examples(row[column])
        sub_id = f"{majors[major]}.{sum(1 for i in items if i.parent == majors[major]) + 1}"
        items.append(
            FrameworkItem(
                sub_id,
                "subcategory",
                sub,
                " ".join(row.get("description", "").split()),
                tuple(dict.fromkeys(examples)),
                majors[major],
            )
        )
    if not items:
        raise InputError(f"{source} has a header but no categories.")
    name = Path(source).stem
    return Framework(id=name, name=name, items=tuple(items), source=source)


def bundled_frameworks() -> list[str]:
    """Names of the frameworks shipped with themes."""
    return sorted(BUNDLED)


def load_framework(name_or_path: str | Path = DEFAULT_FRAMEWORK) -> Framework:
    """A bundled framework by name ('gloucestershire'), or a .toml or .csv file."""
    if str(name_or_path) in BUNDLED:
        text = (
            resources.files("themes.frameworks")
            .joinpath(BUNDLED[str(name_or_path)])
            .read_text("utf-8")
        )
        return parse_framework_toml(text, BUNDLED[str(name_or_path)])
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(
            f"No framework {str(name_or_path)!r}: it is neither a bundled framework "
            f"({', '.join(bundled_frameworks())}) nor a file. Pass a .toml or .csv file."
        )
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return parse_framework_csv(text, path.name)
    return parse_framework_toml(text, path.name)
