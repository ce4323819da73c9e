"""The reviewed codebook as a REFI-QDA codebook (``.qdc``), the open exchange format that NVivo,
ATLAS.ti and MAXQDA import: one parent code per question with its themes as codes (definition and
an anonymised example as the description), and one set per strategy pillar listing the themes
linked to it. GUIDs are derived from the project and theme ids, so re-exports are stable."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from themes.core.control_chars import clean
from themes.frameworks.framework import Framework
from themes.review.tables import ReviewedQuestion, for_publication, published_text

NAMESPACE = "urn:QDA-XML:codebook:1.0"


def _guid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "themes:" + ":".join(map(str, parts))))


def codebook_qdc(
    project_id: str, questions: Sequence[ReviewedQuestion], framework: Framework | None
) -> bytes:
    """The codebook as REFI-QDA Codebook XML (UTF-8)."""
    questions = [for_publication(q) for q in questions]
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": "themes"})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    members: dict[str, list[str]] = {}
    for number, q in enumerate(questions):
        parent = ET.SubElement(
            codes,
            f"{{{NAMESPACE}}}Code",
            {
                "guid": _guid(project_id, "q", number),
                "name": q.result.question_text[:250],
                "isCodable": "false",
            },
        )
        ET.SubElement(
            parent, f"{{{NAMESPACE}}}Description"
        ).text = f"Themes found in the answers to: {q.result.question_text}"
        for theme in q.review.themes.values():
            guid = _guid(project_id, number, theme.id)
            code = ET.SubElement(
                parent,
                f"{{{NAMESPACE}}}Code",
                {"guid": guid, "name": theme.label, "isCodable": "true"},
            )
            rows = [
                r
                for r in (list(theme.quotes) or list(theme.suggested_quotes))
                if r in q.review.answers
            ]
            example = published_text(q.review, rows[0]).text if rows else ""
            people = len(q.review.respondents(theme.id))
            description = "\n".join(
                part
                for part in (
                    theme.definition,
                    f"Example: {example}" if example else "",
                    f"Respondents: {people}; keywords: {', '.join(theme.keywords[:8])}",
                    "Notable minority view." if theme.minority else "",
                )
                if part
            )
            ET.SubElement(code, f"{{{NAMESPACE}}}Description").text = description
            for link in q.mapping.links.get(theme.id, ()) if q.mapping else ():
                members.setdefault(link.item_id, []).append(guid)
    if framework is not None and members:
        sets = ET.SubElement(root, f"{{{NAMESPACE}}}Sets")
        for item in framework.items:
            if item.id not in members:
                continue
            group = ET.SubElement(
                sets,
                f"{{{NAMESPACE}}}Set",
                {"guid": _guid(project_id, "set", item.id), "name": f"{item.id} {item.name}"},
            )
            ET.SubElement(group, f"{{{NAMESPACE}}}Description").text = item.description
            for guid in members[item.id]:
                ET.SubElement(group, f"{{{NAMESPACE}}}MemberCode", {"targetGUID": guid})
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return clean(xml).encode("utf-8")  # XML 1.0 cannot hold control characters
