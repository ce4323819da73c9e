"""The "what we heard" report of a reviewed project, as a format-neutral ``Document``.

Follows the skeleton report writers know: title page, summary, what we asked, who we heard from,
what we heard (by strategy pillar, then theme: definition, respondents and %, redacted quotes,
differences by group), pillar coverage, minority views, method and limitations, "you said, we
did", appendices (codebook, frequency tables). Counts below the suppression threshold are shown as
"fewer than N", with a second cell hidden where one hidden cell could be worked out from a total.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from themes.frameworks.framework import Framework
from themes.publish.charts import bar_chart
from themes.publish.document import (
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from themes.publish.method import (
    mentions_method,
    no_change_method,
    repeat_method,
    technical_rows,
)
from themes.publish.suppression import Suppressor
from themes.publish.what_we_heard import what_we_heard
from themes.review.store import ProjectState
from themes.review.tables import (
    ReviewedQuestion,
    for_publication,
    published_text,
)
from themes.review.views import count_of

DEFAULT_THRESHOLD = 10
PREFER_NOT = ("prefer not to say", "prefer not to answer", "rather not say")


@dataclass(frozen=True)
class ReportSettings:
    """Choices a report writer makes.

    Attributes:
        title: the report's title.
        status: 'draft' (for a factual accuracy check) or 'final'.
        threshold: counts below this are published as "fewer than N".
        organisation: who publishes it.
    """

    title: str = "What we heard"
    status: str = "draft"
    threshold: int = DEFAULT_THRESHOLD
    organisation: str = ""


def build_report(
    state: ProjectState,
    questions: Sequence[ReviewedQuestion],
    framework: Framework | None,
    demographics: dict[str, dict[str, str]],
    settings: ReportSettings | None = None,
    today: datetime | None = None,
) -> Document:
    """The report as a ``Document`` (render it with ``themes.publish.html`` or ``report_docx``)."""
    settings = settings or ReportSettings()
    questions = [for_publication(q) for q in questions]
    s = Suppressor(settings.threshold)
    today = today or datetime.now(UTC)
    doc = Document(settings.title)
    status = "Draft for factual accuracy check" if settings.status == "draft" else "Final"
    doc.add(
        Heading(1, settings.title),
        Paragraph(state.info.name, emphasis=True),
        Paragraph(
            f"{status}. {today:%d %B %Y}. Version {state.version} of the review"
            + (f". {settings.organisation}" if settings.organisation else "")
            + "."
        ),
        Paragraph("This report is available in other formats on request."),
        PageBreak(),
    )
    all_respondents = {a.respondent_id for q in questions for a in q.review.answers.values()}

    # Summary
    doc.add(Heading(2, "Summary"))
    doc.add(
        Paragraph(
            f"{s.count(len(all_respondents))} people answered "
            + (
                "the open question"
                if len(questions) == 1
                else f"at least one of the {len(questions)} open questions"
            )
            + ". Their answers were grouped into themes by computer and then reviewed, renamed "
            "and checked by people."
        )
    )
    for q in questions:
        top = sorted(q.review.themes.values(), key=lambda t: -len(q.review.respondents(t.id)))[:5]
        doc.add(Paragraph(f"{q.result.question_text}", emphasis=True))
        doc.add(
            Bullets(
                tuple(
                    f"{t.label}: {s.count(len(q.review.respondents(t.id)))} people "
                    f"({s.percent(len(q.review.respondents(t.id)), q.respondents)})"
                    for t in top
                )
            )
        )

    # What we asked and how we engaged
    doc.add(Heading(2, "What we asked and how we engaged"))
    doc.add(
        Paragraph(
            "[To complete: what decision or service this engagement informs, the dates it ran, "
            "and how it was promoted (channels, events, partners).]"
        ),
        Paragraph(
            f"The responses come from {state.info.source or 'a survey export'}. The open questions "
            "and how many people answered each:"
        ),
    )
    asked_rows = []
    for q in questions:
        counts = q.result.counts()
        asked_rows.append(
            (
                q.result.question_text,
                s.count(q.respondents),
                s.count(counts["empty"]),
                s.count(counts["non_answer"]),
            )
        )
    doc.add(
        Table(
            "Responses per question",
            ("Question", "Answered", "Left blank", "Answered 'n/a', 'no comment' or similar"),
            tuple(asked_rows),
        )
    )

    # Who we heard from
    doc.add(Heading(2, "Who we heard from"))
    if not demographics:
        doc.add(Paragraph("The survey export had no demographic questions."))
    for column, values in demographics.items():
        counts = Counter(v or "Not answered" for v in values.values())
        order = sorted(
            counts, key=lambda v: (v.lower() in PREFER_NOT or v == "Not answered", -counts[v], v)
        )
        rows = s.frequency_rows(order, [counts[v] for v in order])
        total = sum(counts.values())
        doc.add(Table(f"{column} (all {total:,} respondents)", (column, "People", "%"), rows))
    doc.add(
        Paragraph(
            f"Numbers below {s.threshold} are shown as 'fewer than {s.threshold}' so that nobody can "
            "be recognised; where one hidden number could be worked out from the total, a second "
            "one is hidden too."
        )
    )

    # What we heard
    doc.add(PageBreak(), Heading(2, "What we heard"))
    doc.add(
        Paragraph(
            "Percentages are of the people who answered each question. One answer can touch "
            "several themes and pillars, so percentages can add up to more than 100%. Quotes are "
            "anonymised: names, contact details and NHS numbers are removed."
        )
    )
    for q in questions:
        what_we_heard(doc, q, framework, s, demographics)

    # Coverage
    if framework is not None:
        doc.add(Heading(2, "How the feedback covers the strategy"))
        for q in questions:
            if q.mapping is None:
                continue
            coverage_rows: list[tuple[str, ...]] = []
            little = []
            for item in framework.items:
                people = len(q.mapping.respondents.get(item.id, ()))
                note = "little or no feedback" if people < max(3, 0.02 * q.respondents) else ""
                if note:
                    little.append(item.name)
                coverage_rows.append(
                    (
                        f"{item.id} {item.name}",
                        s.count(people),
                        s.percent(people, q.respondents),
                        note,
                    )
                )
            pillars = [i for i in framework.top_level]
            pillar_people = [len(q.mapping.respondents.get(i.id, ())) for i in pillars]
            doc.add(
                Paragraph(q.result.question_text, emphasis=True),
                Figure(
                    bar_chart(
                        [f"{i.id} {i.name}" for i in pillars],
                        [0 if s.hidden(p) else p for p in pillar_people],
                        [s.count(p) for p in pillar_people],
                        "People per pillar and cross-cutting theme",
                    ),
                    alt=(
                        "Bar chart of the number of people whose answers link to each pillar, "
                        "condition for change and unifying theme: "
                        + "; ".join(
                            f"{i.name}: {s.count(p)}"
                            for i, p in zip(pillars, pillar_people, strict=True)
                        )
                    ),
                    caption=f"Strategy coverage ({q.respondents:,} people answered)",
                    table=Table(
                        f"People whose answers link to each part of {framework.name}",
                        ("Strategy item", "People", "%", "Note"),
                        tuple(coverage_rows),
                    ),
                ),
            )
            unlinked = [  # the 'nothing needs to change' group is never linked: not listed
                t.label
                for t in q.review.themes.values()
                if not t.kind and not q.mapping.links.get(t.id)
            ]
            doc.add(
                Paragraph(
                    "Themes that fit no part of the strategy: "
                    + ("; ".join(unlinked) if unlinked else "none")
                    + "."
                )
            )

    # Minority views
    doc.add(Heading(2, "Other and minority views"))
    minority = [(q, t) for q in questions for t in q.review.themes.values() if t.minority]
    if minority:
        for _question, theme in minority:
            doc.add(Paragraph(f"{theme.label}: {theme.definition or 'raised by a few people.'}"))
    else:
        doc.add(Paragraph("Reviewers flagged no theme as a notable minority view."))

    # Method, for a lay reader (the technical detail is Appendix C)
    doc.add(Heading(2, "How we analysed the responses, and the limits"))
    reviewers = sorted({e.user for e in state.log if e.user != "themes"})
    edits = sum(1 for e in state.log if e.kind == "edit")
    doc.add(
        Bullets(
            (
                "A computer program grouped answers that say similar things, going by their "
                "meaning rather than their exact words. It ran on our own computer: no answer "
                "was sent to any other organisation or online service.",
                *repeat_method(questions),
                *mentions_method(questions),
                *no_change_method(questions),
                *(
                    ("Each theme was linked to the parts of the strategy its answers speak to.",)
                    if framework is not None
                    else ()
                ),
                (
                    f"{count_of(len(reviewers), 'reviewer')} ({', '.join(reviewers)}) then made "
                    f"{count_of(edits, 'change')} to the themes: renaming, merging, splitting "
                    "and moving answers, and setting strategy links. Every change is kept in the "
                    "project's history."
                    if edits and reviewers
                    else "No one has reviewed or changed the themes yet: they are as the "
                    "computer grouped them."
                ),
                "Respondents chose to take part, so the views are not a random sample of the "
                "population.",
                f"Numbers below {s.threshold} are not published.",
                "Appendix C gives the technical detail.",
            )
        )
    )

    # Responses from providers
    doc.add(Heading(2, "Responses from providers"))
    doc.add(
        Paragraph(
            "[To complete: who was sent this report and when, and each provider's reply, in "
            "full or summarised with their agreement. Say so if a provider did not reply.]"
        ),
        Table(
            "Responses from providers (to be completed)",
            ("Organisation", "Sent on", "Reply received on", "Their response"),
            tuple(("", "", "", "") for _ in range(3)),
        ),
    )

    # You said, we did
    doc.add(Heading(2, "You said, we did"))
    said = tuple(
        (t.label, "")
        for q in questions
        for t in sorted(q.review.themes.values(), key=lambda t: -len(q.review.respondents(t.id)))
    )
    doc.add(Table("To be completed by the service", ("You said", "We did"), said))

    # Appendices
    doc.add(PageBreak(), Heading(2, "Appendix A: codebook"))
    for q in questions:
        codebook_rows: list[tuple[str, ...]] = []
        for t in q.review.themes.values():
            example_rows = list(t.quotes) or list(t.suggested_quotes)
            example = (
                textwrap.shorten(
                    published_text(q.review, example_rows[0]).text, 200, placeholder="…"
                )
                if example_rows and example_rows[0] in q.review.answers
                else ""
            )
            links = q.mapping.links.get(t.id, ()) if q.mapping else ()
            codebook_rows.append(
                (
                    t.label,
                    t.definition or "",
                    example,
                    s.count(len(q.review.respondents(t.id))),
                    "; ".join(link.item_id for link in links) or "none",
                )
            )
        doc.add(
            Table(
                f"Codebook: {q.result.question_text}",
                ("Theme", "Definition", "Example (anonymised)", "People", "Strategy links"),
                tuple(codebook_rows),
            )
        )
    doc.add(Heading(2, "Appendix B: frequency tables"))
    for q in questions:
        by_answers = sorted(  # by this table's own column, largest first
            q.review.themes.values(), key=lambda t: (-len(q.review.members(t.id)), t.label)
        )
        answer_counts = [len(q.review.members(t.id)) for t in by_answers]
        answer_counts.append(len(q.review.unassigned()))
        names = [t.label for t in by_answers] + ["Fits no theme"]
        doc.add(
            Table(
                f"Answers per main theme: {q.result.question_text} ({sum(answer_counts):,} answers; "
                "each answer counted once, in its main theme)",
                ("Theme", "Answers", "%"),
                s.frequency_rows(names, answer_counts),
            )
        )
    doc.add(Heading(2, "Appendix C: technical method"))
    doc.add(
        Table(
            "How the themes were found",
            ("Step", "Detail"),
            tuple(technical_rows(questions)),
        )
    )
    return doc
