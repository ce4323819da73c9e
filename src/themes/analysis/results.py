"""Machine-readable results on disk: themes, one row per input response, and full provenance."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.theme_model import Theme
from themes.core.errors import InputError
from themes.core.spreadsheet import csv_bytes

RESULT_FILE = "result.json"
THEMES_FILE = "themes.csv"
RESPONSES_FILE = "responses.csv"
ALL_RESPONSES_FILE = "all_responses.csv"


def result_to_dict(result: AnalysisResult) -> dict[str, Any]:
    """Everything in an analysis as JSON-ready data (the content of ``result.json``)."""
    return {
        "question": result.question,
        "counts": result.counts(),
        "provenance": result.provenance,
        "themes": [asdict(t) for t in result.themes],
        "rows": [asdict(r) for r in result.rows],
    }


def theme_from_dict(data: dict[str, Any]) -> Theme:
    """A Theme from its JSON form (``dataclasses.asdict``)."""
    return Theme(
        data["id"],
        data["label"],
        tuple(data["keywords"]),
        data["size"],
        tuple(data["representatives"]),
        data.get("group", ""),
        data.get("kind", ""),
        data.get("coherence"),
    )


def result_from_dict(payload: dict[str, Any]) -> AnalysisResult:
    """The inverse of ``result_to_dict``."""
    themes = tuple(theme_from_dict(t) for t in payload["themes"])
    rows = tuple(
        RowResult(**{**r, "outcome": Outcome(r["outcome"]), "also": tuple(r.get("also", ()))})
        for r in payload["rows"]
    )
    return AnalysisResult(payload["question"], themes, rows, payload["provenance"])


def write_results(result: AnalysisResult, out_dir: str | Path) -> list[Path]:
    """Write ``result.json`` (everything), ``themes.csv`` and ``responses.csv``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labels = {t.id: t.label for t in result.themes}
    text_of = {r.row: r.text for r in result.rows}
    total = len(result.rows)
    also_count: dict[int, int] = {}
    for r in result.rows:
        for theme in r.also:
            also_count[theme] = also_count.get(theme, 0) + 1

    payload = result_to_dict(result)
    paths = [out / RESULT_FILE, out / THEMES_FILE, out / RESPONSES_FILE]
    paths[0].write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    paths[1].write_bytes(
        csv_bytes(
            [
                "theme_id",
                "label",
                "responses",
                "percent_of_rows",
                "answers_also_mentioning",
                "keywords",
                "representative_responses",
            ],
            (
                [
                    t.id,
                    t.label,
                    t.size,
                    round(100 * t.size / total, 1) if total else 0.0,
                    also_count.get(t.id, 0),
                    "; ".join(t.keywords),
                    " || ".join(text_of[r] for r in t.representatives),
                ]
                for t in result.themes
            ),
        )
    )
    paths[2].write_bytes(
        csv_bytes(
            [
                "row",
                "respondent_id",
                "question",
                "response",
                "outcome",
                "theme_id",
                "theme_label",
                "similarity",
                "reassigned",
                "also_theme_ids",
                "also_themes",
            ],
            (
                [
                    r.row,
                    r.respondent_id,
                    result.question,
                    r.text,
                    r.outcome.value,
                    "" if r.theme_id is None else r.theme_id,
                    labels.get(r.theme_id, "") if r.theme_id is not None else "",
                    "" if r.similarity is None else r.similarity,
                    "yes" if r.reassigned else "",
                    "; ".join(str(t) for t in r.also),
                    "; ".join(labels[t] for t in r.also),
                ]
                for r in result.rows
            ),
        )
    )
    return paths


def _slug(text: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:limit].rstrip("-") or "question"


def write_survey_results(results: list[AnalysisResult], out_dir: str | Path) -> list[Path]:
    """One question: its files straight in ``out_dir``. Several: a folder per question
    (``q1-<words>``) and ``all_responses.csv`` with every respondent's answers to every question."""
    out = Path(out_dir)
    if len(results) == 1:
        return write_results(results[0], out)
    paths: list[Path] = []
    for number, result in enumerate(results, start=1):
        paths += write_results(result, out / f"q{number}-{_slug(result.question)}")
    combined = out / ALL_RESPONSES_FILE
    labels: dict[tuple[str, int | None], str] = {
        (r.question, t.id): t.label for r in results for t in r.themes
    }

    def rows() -> Iterator[list[object]]:
        for index in range(len(results[0].rows)):  # respondent by respondent, question by question
            for result in results:
                row = result.rows[index]
                yield [
                    row.respondent_id,
                    row.row,
                    result.question,
                    row.text,
                    row.outcome.value,
                    "" if row.theme_id is None else row.theme_id,
                    labels.get((result.question, row.theme_id), ""),
                    "; ".join(labels[(result.question, t)] for t in row.also),
                ]

    combined.write_bytes(
        csv_bytes(
            [
                "respondent_id",
                "row",
                "question",
                "response",
                "outcome",
                "theme_id",
                "theme_label",
                "also_themes",
            ],
            rows(),
        )
    )
    return [*paths, combined]


def read_results(out_dir: str | Path) -> AnalysisResult:
    """Read back what ``write_results`` wrote."""
    path = Path(out_dir) / RESULT_FILE
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(
            f"No analysis results in {str(out_dir)!r} (missing {RESULT_FILE})."
        ) from exc
    return result_from_dict(payload)
