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
    Quote,
    Table,
)
from themes.review.store import ProjectState
from themes.review.tables import (
    ReviewedQuestion,
    distinct_quotes,
    for_publication,
    published_text,
)
from themes.review.views import count_of

DEFAULT_THRESHOLD = 10
PREFER_NOT = ("prefer not to say", "prefer not to answer", "rather not say")
QUOTES_PER_THEME = 3


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


class Suppressor:
    """Formats counts for publication."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    def hidden(self, count: int) -> bool:
        return 0 < count < self.threshold

    def count(self, count: int) -> str:
        return f"fewer than {self.threshold}" if self.hidden(count) else f"{count:,}"

    def percent(self, count: int, total: int) -> str:
        if self.hidden(count) or not total:
            return "-"
        return f"{100 * count / total:.0f}%"

    def column(self, counts: Sequence[int], total: int | None) -> list[bool]:
        """Which cells to hide in a column of counts that add up to a published total: the small
        ones, and one more when a single hidden cell could be worked out by subtraction."""
        hide = [self.hidden(c) for c in counts]
        if total is not None and sum(hide) == 1 and sum(counts) == total:
            others = sorted((c, i) for i, c in enumerate(counts) if not hide[i] and c > 0)
            if others:
                hide[others[0][1]] = True
        return hide

    def frequency_rows(
        self, names: Sequence[str], counts: Sequence[int]
    ) -> tuple[tuple[str, str, str], ...]:
        """(name, count, %) rows of a table whose counts make its total, with ``column``'s
        hiding applied."""
        total = sum(counts)
        hide = self.column(counts, total)
        return tuple(
            (name, f"fewer than {self.threshold}" if h else f"{c:,}", "-" if h else _pct(c, total))
            for name, c, h in zip(names, counts, hide, strict=True)
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


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
        _what_we_heard(doc, q, framework, s, demographics)

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
                *_repeat_method(questions),
                *_mentions_method(questions),
                "Answers saying that nothing needs to change were counted together, not as a "
                "theme.",
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
            tuple(_technical_rows(questions)),
        )
    )
    return doc


def _repeat_method(questions: Sequence[ReviewedQuestion]) -> tuple[str, ...]:
    """The lay method bullet on repeating the grouping, when it was repeated."""
    found = [q.result.provenance.get("discovery", {}) for q in questions]
    if not any(d.get("layouts", 0) > 1 for d in found):
        return ()
    return (
        "The grouping was repeated several times from different random starting points and the "
        "themes are what the repeats agreed on, so they do not depend on chance.",
    )


def _technical_rows(questions: Sequence[ReviewedQuestion]) -> list[tuple[str, str]]:
    """Appendix C: the model, the clustering and the settings, as recorded with each analysis."""
    provenance = questions[0].result.provenance if questions else {}
    config = provenance.get("config", {})
    rows = [
        (
            "Embedding",
            f"Sentence embeddings from the {provenance.get('model', 'packaged')} model "
            "(sentence-transformers), run locally.",
        ),
        ("Clustering", _clustering_method(questions)),
    ]
    stories = [q.result.provenance.get("discovery", {}).get("stories") for q in questions]
    told = [d for d in stories if d]
    if told:
        rows.append(
            (
                "Long answers",
                f"{sum(d['answers'] for d in told):,} answers of three or more sentences and 40 "
                "or more words were clustered sentence by sentence; each counts in the theme "
                "most of its sentences fell in and also in the others.",
            )
        )
    if config.get("also_mentions"):
        rows.append(
            (
                "Several themes",
                "Other answers of two or more clauses also count in a theme when a clause is at "
                f"least {config['also_mentions']} times as close to its centre as its own answers "
                "typically are.",
            )
        )
    if provenance.get("names_model"):
        rows.append(
            (
                "Names",
                "People's names were masked before the answers were grouped (spaCy's small "
                "English model and title rules), so no theme forms around a name.",
            )
        )
    rows.append(
        (
            "Settings",
            ", ".join(f"{k} {v}" for k, v in sorted(config.items()) if k != "extra_stop_words")
            or "defaults",
        )
    )
    rows.append(("Software", f"themes {provenance.get('themes_version', '')}".strip()))
    return rows


def _clustering_method(questions: Sequence[ReviewedQuestion]) -> str:
    """The method bullet on how themes were found, with the consensus of layouts when used."""
    found = [q.result.provenance.get("discovery", {}) for q in questions]
    method = found[0].get("method", "clustering") if found else "clustering"
    text = (
        "Similar answers were grouped into themes with BERTopic (UMAP and HDBSCAN), seeded for "
        f"repeatability ({method})"
    )
    agreements = [d["layout_agreement"] for d in found if d.get("layouts", 0) > 1]
    if agreements:
        layouts = max(d.get("layouts", 0) for d in found)
        low, high = min(agreements), max(agreements)
        spread = f"{low:.2f}" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}"
        text += (
            f"; the themes are the consensus of {layouts} clusterings of differently seeded "
            "layouts, so they do not hinge on one run's chance (the clusterings agreed at "
            f"{spread} on the adjusted Rand index, where 1 means identical)"
        )
    return text + "."


def _mentions_method(questions: Sequence[ReviewedQuestion]) -> tuple[str, ...]:
    """The method bullet on answers with several themes: only what was actually done."""
    several = sum(len(q.review.also) for q in questions)
    answers = sum(len(q.review.answers) for q in questions)
    split = any(q.result.provenance.get("config", {}).get("also_mentions") for q in questions)
    if split:
        return (
            "Longer answers were also split into clauses, so that a person who raised several "
            "topics is counted in each theme they raised, not only their answer's main theme "
            f"({several:,} of {answers:,} answers raise more than one theme).",
        )
    if several:
        return (
            f"Reviewers marked {several:,} of {answers:,} answers as raising more than one "
            "theme; those people are counted in each.",
        )
    return ()


def _what_we_heard(
    doc: Document,
    q: ReviewedQuestion,
    framework: Framework | None,
    s: Suppressor,
    demographics: dict[str, dict[str, str]],
) -> None:
    review = q.review
    doc.add(Heading(3, q.result.question_text))
    for group in (t for t in review.themes.values() if t.kind):
        said = len(review.respondents(group.id))
        if said:
            doc.add(
                Paragraph(
                    f"{s.count(said)} of the {q.respondents:,} people who answered "
                    f"({s.percent(said, q.respondents)}) said nothing needs to change "
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
