"""How the themes were found, for the report's method section and its technical appendix: the
clustering, the consensus of layouts, answers counted in several themes, later batches."""

from __future__ import annotations

from collections.abc import Sequence

from themes.review.tables import ReviewedQuestion


def repeat_method(questions: Sequence[ReviewedQuestion]) -> tuple[str, ...]:
    """The lay method bullet on repeating the grouping, when it was repeated."""
    found = [q.result.provenance.get("discovery", {}) for q in questions]
    if not any(d.get("layouts", 0) > 1 for d in found):
        return ()
    return (
        "The grouping was repeated several times from different random starting points and the "
        "themes are what the repeats agreed on, so they do not depend on chance.",
    )


def no_change_method(questions: Sequence[ReviewedQuestion]) -> tuple[str, ...]:
    """The lay method bullet on answers saying nothing needs to change."""
    said = "Answers saying that nothing needs to change were counted together, not as a theme."
    if any(q.result.provenance.get("no_change_takes_no") for q in questions):
        said += (
            " Where a question asked what could be better, a plain 'No' was counted with them "
            "(elsewhere it is counted as giving no answer)."
        )
    if any(not q.result.provenance.get("no_change_takes_no", True) for q in questions):
        said += (
            " Where a question did not ask what could change, only answers saying there was "
            "nothing ('None', 'Nothing at all') were counted together, as having nothing to add;"
            " praise such as 'Couldn't have asked for more' is in the themes."
        )
    return (said,)


def technical_rows(questions: Sequence[ReviewedQuestion]) -> list[tuple[str, str]]:
    """Appendix C: the model, the clustering and the settings, as recorded with each analysis."""
    provenance = questions[0].result.provenance if questions else {}
    config = provenance.get("config", {})
    rows = [
        (
            "Embedding",
            f"Sentence embeddings from the {provenance.get('model', 'packaged')} model "
            "(sentence-transformers), run locally.",
        ),
        ("Clustering", clustering_method(questions)),
    ]
    stories = [q.result.provenance.get("discovery", {}).get("stories") for q in questions]
    told = [d for d in stories if d]
    if told:
        lists = sum(d.get("lists", 0) for d in told)
        stories = sum(d["answers"] for d in told) - lists
        cut = []
        if stories:
            cut.append(
                f"{stories:,} answers of three or more sentences and 40 or more words were "
                "clustered sentence by sentence"
            )
        if lists:
            cut.append(f"{lists:,} answers written as lists were clustered item by item")
        cut.append("each counts in the theme most of its parts fell in and also in the others.")
        rows.append(("Long answers and lists", "; ".join(cut)))
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


def clustering_method(questions: Sequence[ReviewedQuestion]) -> str:
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
    sampled = [d for d in found if d.get("fit_sample")]
    if sampled:
        size = sum(d["fit_sample"] for d in sampled)
        placed = sum(d.get("placed_from_outside_sample", 0) for d in sampled)
        left = sum(d.get("left_outside_sample", 0) for d in sampled)
        text += (
            f"; with this many answers the themes were found on a random sample of {size:,}, "
            f"and each other answer went to the theme it was most like, as a later batch does "
            f"({placed:,} placed, {left:,} too unlike any theme and left unassigned)"
        )
    return text + "."


def mentions_method(questions: Sequence[ReviewedQuestion]) -> tuple[str, ...]:
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
