"""Framework links of reviewed themes: the reviewer's links where set, automatic ones from the
theme's current answers otherwise, and the respondents each item gathers through them."""

from __future__ import annotations

from themes.frameworks.framework import Framework
from themes.frameworks.mapping import (
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    TOP_K,
    ItemScores,
    Link,
    PillarMapping,
    choose_links,
)
from themes.review.state import QuestionReview


def reviewed_mapping(
    review: QuestionReview,
    scores: ItemScores | None,
    framework: Framework,
    threshold: float | None = None,
    margin: float = DEFAULT_MARGIN,
) -> PillarMapping:
    """Links of reviewed themes: the reviewer's where set, else automatic ones from the mean
    score of the theme's current answers; respondents per item are those of linked themes.
    ``threshold`` defaults to the one that fits the model the scores came from."""
    if threshold is None:
        threshold = scores.threshold if scores is not None else DEFAULT_THRESHOLD
    position = {row: i for i, row in enumerate(scores.rows)} if scores else {}
    known = {item.id for item in framework.items}
    links: dict[int, tuple[Link, ...]] = {}
    respondents: dict[str, set[str]] = {item.id: set() for item in framework.items}
    for theme in review.themes.values():
        members = review.members(theme.id)
        if theme.links is not None:
            links[theme.id] = tuple(
                Link(i, 1.0, "Set by a reviewer.", source="reviewer")
                for i in theme.links
                if i in known
            )
        elif theme.kind:  # 'nothing needs to change' fits no pillar by nature
            links[theme.id] = ()
        elif scores is not None and members and len(scores.items):
            rows = [position[r] for r in members if r in position]
            mean = scores.scores[rows].mean(axis=0, keepdims=True)
            chosen = choose_links(mean, threshold, margin)[0]
            links[theme.id] = tuple(
                Link(
                    scores.items[j],
                    round(float(mean[0, j]), 3),
                    f"Average similarity of its {len(rows)} responses to this item's description "
                    "and examples.",
                )
                for j in chosen
                if scores.items[j] in known
            )
        else:
            links[theme.id] = ()
        people = review.respondents(theme.id)  # also those whose answers mention it
        for link in links[theme.id]:
            respondents[link.item_id] |= people
            item = framework.item(link.item_id)
            if item.parent:
                respondents[framework.pillar_of(item.id).id] |= people
    return PillarMapping(
        framework.id,
        "",
        links,
        {k: frozenset(v) for k, v in respondents.items()},
        {"threshold": threshold, "margin": margin, "top_k": TOP_K, "basis": "reviewed themes"},
    )
