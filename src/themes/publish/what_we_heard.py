"""The report's "what we heard" section for one question: each theme (grouped by strategy pillar
when a framework is linked) with its definition, people and share, redacted quotes and
differences by group."""

from __future__ import annotations

from collections import Counter

from themes.frameworks.framework import Framework
from themes.publish.charts import bar_chart
from themes.publish.document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Quote,
    Table,
)
from themes.publish.suppression import Suppressor
from themes.review.tables import (
    ReviewedQuestion,
    distinct_quotes,
    published_text,
)

QUOTES_PER_THEME = 3


def what_we_heard(
    doc: Document,
    q: ReviewedQuestion,
    framework: Framework | None,
    s: Suppressor,
    demographics: dict[str, dict[str, str]],
) -> None:
    review = q.review
    doc.add(Heading(3, q.result.question_text))
    what = (
        "said nothing needs to change"
        if q.result.provenance.get("no_change_takes_no", True)
        else "said they had nothing to add"
    )
    for group in (t for t in review.themes.values() if t.kind):
        said = len(review.respondents(group.id))
        if said:
            doc.add(
                Paragraph(
                    f"{s.count(said)} of the {q.respondents:,} people who answered "
                    f"({s.percent(said, q.respondents)}) {what} "
                    f"('{group.label}'): they are not counted in any theme below."
                )
            )
    themes = sorted(
        (t for t in review.themes.values() if not t.kind),
        key=lambda t: -len(review.respondents(t.id)),
    )
    people = [len(review.respondents(t.id)) for t in themes]
    doc.add(
        Figure(
            bar_chart(
                [t.label for t in themes],
                [0 if s.hidden(p) else p for p in people],
                [s.count(p) for p in people],
                "People per theme",
            ),
            alt=(
                f"Bar chart of the number of people per theme for '{q.result.question_text}'. "
                + "; ".join(f"{t.label}: {s.count(p)}" for t, p in zip(themes, people, strict=True))
            ),
            caption=f"People per theme ({q.respondents:,} people answered)",
            table=Table(
                "The numbers in the chart",
                ("Theme", "People", "% of those who answered"),
                tuple(
                    (t.label, s.count(p), s.percent(p, q.respondents))
                    for t, p in zip(themes, people, strict=True)
                ),
            ),
        )
    )
    broad = review.groups()
    if broad:
        broad_rows = []
        for name in broad:
            inside = [t for t in themes if t.group == name]
            count = len(set().union(*(review.respondents(t.id) for t in inside)))
            broad_rows.append(
                (
                    name,
                    s.count(count),
                    s.percent(count, q.respondents),
                    "; ".join(t.label for t in inside),
                )
            )
        doc.add(
            Table(
                "Broad themes (a person can be in several themes of one broad theme, and is "
                "counted once)",
                ("Broad theme", "People", "% of those who answered", "Themes in it"),
                tuple(broad_rows),
            )
        )
    groups: list[tuple[str, list]] = []
    if framework is not None and q.mapping is not None:
        placed: set[int] = set()
        for pillar in framework.top_level:
            family = {pillar.id} | {c.id for c in framework.children(pillar.id)}
            members = [
                t
                for t in themes
                if t.id not in placed
                and any(link.item_id in family for link in q.mapping.links.get(t.id, ()))
            ]
            placed |= {t.id for t in members}
            if members:
                groups.append((pillar.name, members))
        rest = [t for t in themes if t.id not in placed]
        if rest:
            groups.append(("Themes that fit no part of the strategy", rest))
    else:
        groups.append(("Themes", themes))
    breakdown = next(iter(demographics), None)
    for title, members in groups:
        doc.add(Heading(4 if framework else 3, title))
        for theme in members:
            count = len(review.respondents(theme.id))
            doc.add(Paragraph(theme.label, emphasis=True))
            if theme.definition:
                doc.add(Paragraph(theme.definition))
            links = q.mapping.links.get(theme.id, ()) if q.mapping is not None else ()
            linked = (
                "; ".join(framework.item(link.item_id).name for link in links)
                if framework is not None and links
                else ""
            )
            doc.add(
                Paragraph(
                    f"{s.count(count)} of the {q.respondents:,} people who answered "
                    f"({s.percent(count, q.respondents)})."
                    + (f" Strategy: {linked}." if linked else "")
                    + (
                        " Reviewers flagged this as a notable minority view."
                        if theme.minority
                        else ""
                    )
                )
            )
            chosen = [r for r in theme.quotes if r in review.answers]
            rows = chosen or distinct_quotes(review, theme.suggested_quotes, QUOTES_PER_THEME)
            for row in rows[: max(QUOTES_PER_THEME, len(chosen))]:
                doc.add(Quote(published_text(review, row).text))
            if breakdown and not s.hidden(count):
                by_group = Counter(
                    demographics[breakdown].get(review.answers[r].respondent_id, "")
                    or "Not answered"
                    for r in review.raised_by(theme.id)
                )
                ordered = by_group.most_common()
                hide = s.column([n for _, n in ordered], sum(by_group.values()))
                shown = [
                    f"{group}: {n}" for (group, n), h in zip(ordered, hide, strict=True) if not h
                ]
                if len(shown) >= 2:
                    doc.add(
                        Paragraph(
                            f"By {breakdown.lower()} (groups of fewer than {s.threshold} not shown): "
                            + "; ".join(shown)
                            + "."
                        )
                    )
