"""Long answers clustered by their sentences, and lists by their items, so that a story or a
list counts in every theme it raises.

A story of several sentences (about parking, then a nurse, then the discharge letter) embedded
whole sits between its subjects and pulls themes towards whatever stories share: their length,
their tone, the people they name. A list ("1) dentists 2) rural buses 3) loneliness", as "top
three things" questions are answered) embedded whole sits between its items the same way. Here
each story is cut into its sentences (short ones kept with a neighbour), each list into its
items, and discovery clusters those pieces beside the short answers. Each story or list then
takes as its main theme the one most of its pieces fall in, and also counts in the others.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from themes.analysis.theme_model import OUTLIER, Theme, ThemeModel

STORY_SENTENCES = 3
"""An answer is a story when it has at least this many sentences ..."""
STORY_WORDS = 40
"""... and at least this many words (about the longest 4-7% of FFT comments)."""
MIN_PIECE_WORDS = 5
"""A sentence shorter than this ("It was awful.") stays with the sentence before it."""


@dataclass(frozen=True)
class Pieces:
    """What discovery clusters: each short answer whole, each story as its sentences, each list
    as its items.

    Attributes:
        texts: one text per piece.
        owner: for each piece, the position of the answer it comes from.
        story: for each answer, whether it was cut into pieces.
        lists: how many of the answers cut were lists.
    """

    texts: tuple[str, ...]
    owner: tuple[int, ...]
    story: tuple[bool, ...]
    lists: int = 0

    @property
    def stories(self) -> int:
        return sum(self.story)


_NUMBERED = re.compile(r"(?<![\w£$€.,/:-])\(?(?P<number>\d{1,2})(?P<style>[).:]?)\s+(?=\S)")
_BULLET = re.compile(r"^[ \t]*[-•*–][ \t]+(?=\S)", re.MULTILINE)


def list_items(text: str) -> list[str]:
    """The items of an answer written as a list, [] when it is not one: numbered from 1 in one
    style ('1) x 2) y', '1. x' on lines, '1 rural buses 2 more dentists'; the 1 opening the
    answer, a line or after a colon), or two or more lines opening with a bullet. What comes
    before the first item is an item too when it has MIN_PIECE_WORDS words ('My top three:' is
    not)."""
    bullets = list(_BULLET.finditer(text))
    if len(bullets) >= 2:
        markers = bullets
    else:
        markers, style = [], None
        for match in _NUMBERED.finditer(text):
            if int(match.group("number")) != len(markers) + 1:
                continue
            if not markers:
                before = text[: match.start()]
                if before.strip() and not before.rstrip(" \t").endswith((":", "\n")):
                    continue
                style = match.group("style")
            elif match.group("style") != style:
                continue
            markers.append(match)
        if len(markers) < 2:
            return []
    ends = [m.start() for m in markers[1:]] + [len(text)]
    items = [
        " ".join(text[m.end() : end].split()).strip(" ,;")
        for m, end in zip(markers, ends, strict=True)
    ]
    head = " ".join(text[: markers[0].start()].split())
    if len(head.split()) >= MIN_PIECE_WORDS:
        items.insert(0, head)
    return [item for item in items if any(c.isalpha() for c in item)]


def story_parts(text: str) -> list[str]:
    """A list's items (``list_items``: each a piece, however short, since each can raise its own
    theme: "1) dentists 2) rural buses 3) loneliness"), or a story's sentences, each of at least
    MIN_PIECE_WORDS words (a short sentence joins the one before it, or the next at the start);
    ``[text]`` when the answer is neither."""
    return _cut(text)[0]


def _cut(text: str) -> tuple[list[str], bool]:
    """``story_parts``, and whether the answer was cut as a list."""
    if len(items := list_items(text)) >= 2:
        return items, True
    return _sentence_parts(text), False


def _sentence_parts(text: str) -> list[str]:
    from themes.analysis.mentions import sentences

    if len(text.split()) < STORY_WORDS:
        return [text]
    found = sentences(text)
    if len(found) < STORY_SENTENCES:
        return [text]
    parts: list[str] = []
    carry = ""
    for sentence in found:
        if len(sentence.split()) < MIN_PIECE_WORDS and parts and not carry:
            parts[-1] = f"{parts[-1]} {sentence}"
            continue
        joined = f"{carry} {sentence}".strip()
        if len(joined.split()) < MIN_PIECE_WORDS:
            carry = joined
        else:
            parts.append(joined)
            carry = ""
    if carry:
        if parts:
            parts[-1] = f"{parts[-1]} {carry}"
        else:
            parts.append(carry)
    return parts if len(parts) >= 2 else [text]


def pieces_of(texts: Sequence[str], split: bool = True) -> Pieces:
    """Every answer as one piece, or a story as several (``story_parts``), in answer order;
    with ``split`` False, every answer whole."""
    pieces: list[str] = []
    owner: list[int] = []
    story: list[bool] = []
    lists = 0
    for position, text in enumerate(texts):
        parts, listed = _cut(text) if split else ([text], False)
        pieces += parts
        owner += [position] * len(parts)
        story.append(len(parts) > 1)
        lists += listed
    return Pieces(tuple(pieces), tuple(owner), tuple(story), lists)


def piece_vectors(
    pieces: Pieces, answer_vectors: np.ndarray, story_vectors: np.ndarray
) -> np.ndarray:
    """One vector per piece: the answer's own where it was not cut, else the next of
    ``story_vectors`` (the story pieces' vectors, in piece order)."""
    rows: list[np.ndarray] = []
    taken = 0
    for owner in pieces.owner:
        if pieces.story[owner]:
            rows.append(story_vectors[taken])
            taken += 1
        else:
            rows.append(answer_vectors[owner])
    return np.vstack(rows).astype(np.float32) if rows else answer_vectors[:0]


def story_texts(pieces: Pieces) -> list[str]:
    """The pieces that come from stories, in piece order (what ``piece_vectors`` needs embedded)."""
    return [t for t, o in zip(pieces.texts, pieces.owner, strict=True) if pieces.story[o]]


def fold(model: ThemeModel, pieces: Pieces) -> tuple[ThemeModel, tuple[tuple[int, ...], ...]]:
    """Themes of pieces back to themes of answers, and each story's other themes.

    A story's main theme is the one most of its pieces fall in (ties: the larger summed
    similarity); its other pieces' themes are "also mentions", in story order. A story whose
    pieces all fell outside every theme is unassigned. A theme raised by too few answers
    (``_narrow_themes``) is dropped first. Theme sizes count main answers;
    representatives become the answers their pieces come from; themes are renumbered largest
    first, as discovery numbers them."""
    n = len(pieces.story)
    of_answer: list[list[int]] = [[] for _ in range(n)]
    for index, owner in enumerate(pieces.owner):
        of_answer[owner].append(index)
    narrow = _narrow_themes(model, pieces) if pieces.stories else set()
    if narrow:  # their pieces fit no theme, so their stories fall to the stories' other themes
        model = replace(
            model,
            assignments=tuple(OUTLIER if t in narrow else t for t in model.assignments),
            themes=tuple(t for t in model.themes if t.id not in narrow),
        )
    assignments: list[int] = []
    similarity: list[float] = []
    reassigned: list[bool] = []
    also: list[tuple[int, ...]] = []
    for indices in of_answer:
        found = [model.assignments[i] for i in indices]
        if len(indices) == 1:
            assignments.append(found[0])
            similarity.append(model.similarity[indices[0]])
            reassigned.append(model.reassigned[indices[0]])
            also.append(())
            continue
        votes = Counter(t for t in found if t != OUTLIER)
        if not votes:
            assignments.append(OUTLIER)
            similarity.append(max(model.similarity[i] for i in indices))
            reassigned.append(False)
            also.append(())
            continue
        weight = {
            t: sum(model.similarity[i] for i in indices if model.assignments[i] == t) for t in votes
        }
        main = max(votes, key=lambda t: (votes[t], weight[t]))
        mine = [i for i in indices if model.assignments[i] == main]
        assignments.append(main)
        similarity.append(max(model.similarity[i] for i in mine))
        reassigned.append(all(model.reassigned[i] for i in mine))
        others: list[int] = []
        for t in found:
            if t not in (OUTLIER, main) and t not in others:
                others.append(t)
        also.append(tuple(others))
    if not pieces.stories:
        return model, tuple(also)
    # Sizes now count answers: themes go back in size order, ids following it. A theme that
    # is no answer's main theme (only ever a side remark of stories) is dropped.
    sizes = Counter(assignments)
    texts = [" ".join(pieces.texts[i] for i in indices) for indices in of_answer]
    ranked = sorted(
        (t for t in model.themes if sizes.get(t.id)), key=lambda t: (-sizes[t.id], t.id)
    )
    new_id = {t.id: number for number, t in enumerate(ranked)}
    new_id[OUTLIER] = OUTLIER
    themes = [
        replace(
            theme,
            id=number,
            size=sizes[theme.id],
            representatives=_representatives(theme, pieces.owner, texts, assignments, similarity),
        )
        for number, theme in enumerate(ranked)
    ]
    assignments = [new_id[t] for t in assignments]
    also = [tuple(new_id[t] for t in others if t in new_id) for others in also]
    details = dict(model.details)
    details["stories"] = {
        "answers": pieces.stories,
        "lists": pieces.lists,
        "pieces": sum(1 for o in pieces.owner if pieces.story[o]),
        "themes_per_story": round(
            sum(1 + len(a) for a, s in zip(also, pieces.story, strict=True) if s)
            / max(1, pieces.stories),
            2,
        ),
        "themes_dropped": len(model.themes) - len(themes) + len(narrow),
    }
    folded = ThemeModel(
        tuple(themes), tuple(assignments), tuple(similarity), tuple(reassigned), details
    )
    return folded, tuple(also)


def _narrow_themes(model: ThemeModel, pieces: Pieces) -> set[int]:
    """Themes whose pieces come from too few answers: fewer than half the smallest theme size
    (one long story about a birth can fill a theme with its own sentences)."""
    smallest = int(model.details.get("min_theme_size", 2))
    raised_by: dict[int, set[int]] = {}
    for theme, owner in zip(model.assignments, pieces.owner, strict=True):
        if theme != OUTLIER:
            raised_by.setdefault(theme, set()).add(owner)
    return {t for t, owners in raised_by.items() if 2 * len(owners) < smallest}


def _representatives(
    theme: Theme,
    owner: Sequence[int],
    texts: Sequence[str],
    assignments: Sequence[int],
    similarity: Sequence[float],
) -> tuple[int, ...]:
    """A theme's example answers (positions in ``texts``): the answers of the pieces discovery
    chose whose main theme it still is, then its other answers closest to its centre, as many
    as discovery chose, no text twice."""
    chosen = [owner[p] for p in theme.representatives]
    members = [i for i, t in enumerate(assignments) if t == theme.id]
    members.sort(key=lambda i: -similarity[i])
    owners: list[int] = []
    seen: set[str] = set()
    for answer in [*chosen, *members]:
        text = " ".join(texts[answer].lower().split())
        if assignments[answer] == theme.id and text not in seen:
            seen.add(text)
            owners.append(answer)
        if len(owners) >= len(theme.representatives):
            break
    return tuple(owners)
