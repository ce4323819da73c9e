from __future__ import annotations

import pytest

from themes import RowStatus
from themes.ingest.prepare import classify, is_non_answer


@pytest.mark.parametrize(
    "text",
    [
        "n/a",
        "N/A",
        "N/A.",
        "NA",
        "nothing to add",
        "No comment",
        "-",
        ".",
        "...",
        "Not sure",
        "don't know",
        "Don’t know",
        "no",
        "nil",
        "???",
    ],
)
def test_non_answers_are_recognised(text: str) -> None:
    assert is_non_answer(text)
    assert classify(text) is RowStatus.NON_ANSWER


@pytest.mark.parametrize(
    "text",
    [
        "No parking at the hospital",
        "Nothing works at my surgery",
        "None of the GPs listen",
        "GP",
        "A&E waits",
        "More NHS dentists please",
        "not enough staff",
        # 'nothing needs to change' is an answer: the analysis groups it (themes.analysis.no_change)
        "Nothing",
        "  Nothing.  ",
        "None",
        "All good",
    ],
)
def test_real_answers_are_kept(text: str) -> None:
    assert not is_non_answer(text)
    assert classify(text) is RowStatus.TEXT


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_is_empty(text: str) -> None:
    assert classify(text) is RowStatus.EMPTY
