"""Markup in answers is read as plain text by the analysis: no tag, script or formula becomes a
keyword or a label, and answers without markup are read exactly as written."""

from __future__ import annotations

import re

from themes.core.plain_text import plain


def test_markup_becomes_plain_text_and_other_angle_brackets_stay() -> None:
    assert plain('<img src=x onerror="steal()">Great care') == "Great care"
    assert plain("Great care <script>steal()</script> thanks") == "Great care thanks"
    assert plain("<style>body{display:none}</style>Parking") == "Parking"
    assert plain("<p>Parking&nbsp;is &amp; was bad</p><br/>Thanks") == "Parking is & was bad Thanks"
    assert plain("<B>Loud</B> staff") == "Loud staff"
    for text in ("A&E was great", "<3 the nurses", "x < y and y > z", "<sigh> again", "a  b"):
        assert plain(text) == text  # no markup: not a character changes


def test_markup_and_formulas_never_become_keywords_or_labels() -> None:
    from themes.analysis.embedding import HashingEmbedder
    from themes.analysis.keywords import KeywordIndex
    from themes.analysis.labels import answer_labels, label_candidates
    from themes.analysis.pipeline import analyse_responses
    from themes.ingest.responses import Response, Responses

    texts = (
        ['<img src=x onerror="steal()">Great care from the nurses'] * 6
        + ["<script>steal()</script> The hospital car park is too expensive"] * 6
        + ['=HYPERLINK("http://x","Great care")'] * 6
        + ["No NHS dentist taking new patients near me"] * 6
    )
    items = tuple(Response(i + 1, f"r{i + 1}", t) for i, t in enumerate(texts))
    result = analyse_responses(Responses("q", items), embedder=HashingEmbedder())
    markup = re.compile(r"\b(img|src|onerror|script|steal)\b", re.IGNORECASE)
    for theme in result.themes:
        assert not markup.search(theme.label), theme.label
        assert not any(markup.search(k) for k in theme.keywords), theme.keywords
        assert not theme.label.startswith("=")
    index = KeywordIndex(dict(enumerate(texts, start=1)))
    assert not any(markup.search(k) for k in index.keywords(list(range(1, 13))))
    formula = ['=HYPERLINK("http://x","Great care")'] * 5
    assert answer_labels(("great", "care"), formula) == []
    assert not any(o.startswith("=") for o in label_candidates(("hyperlink",), formula))


def test_an_answer_in_markup_that_says_nothing_needs_to_change_is_read_as_one() -> None:
    from themes.analysis.embedding import HashingEmbedder
    from themes.analysis.pipeline import analyse_responses
    from themes.ingest.responses import Response, Responses

    texts = ["<p>Nothing</p>", "<p>Nothing at all, all good</p>"] * 3 + [
        "The hospital car park is too expensive"
    ] * 6
    items = tuple(Response(i + 1, f"r{i + 1}", t) for i, t in enumerate(texts))
    result = analyse_responses(
        Responses("What could we do better?", items), embedder=HashingEmbedder()
    )
    group = [t.id for t in result.themes if t.kind == "no_change"]
    assert group and sum(1 for r in result.rows if r.theme_id in group) == 6


def test_an_answer_of_markup_alone_is_empty_and_a_wrapped_non_answer_is_one() -> None:
    from themes.ingest.prepare import classify
    from themes.ingest.responses import RowStatus

    assert classify("<p><br></p>") is RowStatus.EMPTY
    assert classify("<p>n/a</p>") is RowStatus.NON_ANSWER
    assert classify("<b>No comment</b>") is RowStatus.NON_ANSWER
    assert classify("<p>Parking</p>") is RowStatus.TEXT
