"""Readable theme labels built from c-TF-IDF keywords, written the way respondents wrote them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import cache, lru_cache
from typing import Any

from themes.analysis.phrases import reads_as_a_name
from themes.analysis.stance import agreeing
from themes.analysis.terms import CLAUSES, WRITTEN_WORD
from themes.analysis.wordforms import PLACEHOLDERS, repeats_a_word, stems
from themes.privacy.names import MASKED


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """For each lower-cased word, its most common spelling in the texts ('gp' -> 'GP'), leaving
    out words capitalised only because they open a sentence."""
    return dict(_surface_forms(tuple(texts)))


_SHOUTED = re.compile(r"[A-Z]{6,}")
"""A word in capitals too long for an acronym ('EVERYTHING'; 'NHS', 'A&E', 'COVID' are not)."""


@lru_cache(maxsize=8)
def _surface_forms(texts: tuple[str, ...]) -> dict[str, str]:
    """``surface_forms``, kept for the theme at hand: each of its labels' candidates asks."""
    counts: dict[str, Counter[str]] = {}
    for text in texts:
        for match in re.finditer(r"[\w&'’-]+", text):
            word = match.group(0)
            if _opens_a_sentence(text, match.start()) and word[1:].islower():
                continue  # 'Better access...': capitalised for the sentence, not the word
            if _SHOUTED.fullmatch(word):
                continue  # 'EVERYTHING!!!': capitals for emphasis, not the word's spelling
            counts.setdefault(word.lower(), Counter())[word] += 1
    forms: dict[str, str] = {}
    for lower, seen in counts.items():
        # Prefer lower case unless another spelling clearly dominates (acronyms, place names).
        best, best_n = seen.most_common(1)[0]
        forms[lower] = best if best_n > seen.get(lower, 0) * 1.5 else lower
        if len(lower) <= ACRONYM_LETTERS and seen.get(lower.upper(), 0) * 3 >= seen.total():
            forms[lower] = lower.upper()  # 'TV' 9 times, 'tv' 6: not 'Tv, cold'
    return forms


ACRONYM_LETTERS = 4
"""A word this short written in capitals in a third of its uses is written so in labels."""


def _opens_a_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n"


def _restore(phrase: str, forms: dict[str, str]) -> str:
    return " ".join(forms.get(word, word) for word in phrase.split())


class Listed(str):
    """A label that lists a theme's keywords ('Surgery, pain'), as opposed to a phrase its
    answers write ('Waiting lists'): ``choose_labels`` takes the phrase when the two are close."""


def make_label(keywords: Sequence[str], texts: Sequence[str], max_parts: int = 2) -> str:
    """A short label such as 'GP appointments, phone' from keywords, best first.

    A two-word keyword that contains the top keyword is preferred as the head; further parts are
    keywords that repeat no word already used, in any form ('wait', 'waiting').
    """
    keywords = [k for k in keywords if not repeats_a_word(k) and not _written_apart(k, texts)]
    if not keywords:
        return "Unlabelled theme"
    forms = surface_forms(texts)
    head = keywords[0]
    for candidate in keywords[:4]:
        if " " in candidate and set(head.split()) & set(candidate.split()):
            head = candidate
            break
    head = _completed(head, texts)
    parts = [head]
    used = stems(head)
    for keyword in keywords:
        if len(parts) >= max_parts:
            break
        if stems(keyword) & used:  # already said: no need to read the answers for it
            continue
        part = _completed(keyword, texts)  # 'mental' -> 'mental health'
        words = stems(part)
        if words & used or _clipped(part, parts, texts):  # 'Waiting time, wait'; 'Medication, meds'
            continue
        parts.append(part)
        used |= words
    written = [_restore(_with_companions(_with_small_words(p, texts), texts), forms) for p in parts]
    if any(len(part.split()) >= PHRASE_WORDS for part in written):
        written = written[:1] + [part for part in written[1:] if " " in part]
    label = ", ".join(written)
    return label[:1].upper() + label[1:]


def _completed(keyword: str, texts: Sequence[str]) -> str:
    """A one-word keyword the answers almost never write without the same content word just
    after (or before) it, or beyond one linking word, written with it: a fragment of a phrase
    ('mental' -> 'mental health', 'royal' -> 'Gloucestershire Royal', 'drug' -> 'drug and
    alcohol'). No stop word is added alone (``_with_companions`` adds the few that carry
    meaning)."""
    if " " in keyword:
        return keyword
    return (
        _fragment_of(keyword, texts, before=False)
        or _fragment_of(keyword, texts, before=True)
        or keyword
    )


_BRIDGES = frozenset({"and", "of"})
"""Small words inside a fixed phrase ('drug and alcohol', 'cost of living'); 'for' also leads
to a phrase cut short ('okay for simple' of "okay for simple things")."""
_CLOSING_PARTICLE = "on"
"""A small word that finishes a phrase where it ends a clause ('spot on', 'carry on'); not
where more follows ('arrived on time'). (Other particles: ``_with_companions``.)"""


def _fragment_of(word: str, texts: Sequence[str], before: bool) -> str:
    """The phrase ``word`` is written in in ``COMPLETE_SHARE`` of its uses (at least 3): the
    same content word after it (before it when ``before``), next to it or past one of
    ``_BRIDGES``, or ``_CLOSING_PARTICLE`` ending the clause after it; '' when there is
    none."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    def content(token: str) -> bool:
        return len(token) > 2 and token not in ENGLISH_STOP_WORDS and not token.isdigit()

    beside: Counter[tuple[str, ...]] = Counter()
    uses = 0
    # a mask ends a clause: 'XXXX kept us informed' is no 'XXXX kept'
    answers = (PLACEHOLDERS.sub("|", text.lower()) for text in texts)
    for clause in (c for answer in answers for c in CLAUSES.split(answer)):
        tokens = WRITTEN_WORD.findall(clause)  # never across a comma: 'blood tests, vaccinations'
        if before:
            tokens.reverse()
        for i in (i for i, token in enumerate(tokens) if token == word):
            uses += 1
            after = tokens[i + 1 : i + 3]
            if (after == [_CLOSING_PARTICLE] and not before) or (after and content(after[0])):
                beside[(after[0],)] += 1
            elif len(after) == 2 and after[0] in _BRIDGES and content(after[1]):
                beside[(after[0], after[1])] += 1
    found, count = next(iter(beside.most_common(1)), ((), 0))
    if not found or count < max(3, COMPLETE_SHARE * uses):
        return ""
    phrase = [word, *found]
    return " ".join(reversed(phrase) if before else phrase)


COMPLETE_SHARE = 0.8
"""Lower, a label narrows to what some of its answers say: 'projects', written after
'intergenerational' in 4 of 6 uses, made 'Food, intergenerational projects' of healthy food."""


def _clipped(part: str, parts: Sequence[str], texts: Sequence[str]) -> bool:
    """True when a word of ``part`` is a clipped or longer form of a word already in the label:
    one begins with the other, is at least twice as long, and the answers write one or the
    other, seldom both (``CLIPPED_TOGETHER``): 'meds' beside 'medication', 'physio' beside
    'physiotherapist'; not 'car' beside 'care', nor 'appointments' beside 'NHS App'."""
    used = {word for earlier in parts for word in earlier.lower().split()}
    pairs = [sorted((word, other), key=len) for word in part.lower().split() for other in used]
    for short, long in pairs:
        root = next(iter(stems(short)), short)  # 'meds' -> 'med'
        if len(root) >= 3 and len(long) >= 2 * len(short) and long.startswith(root):
            holding = [
                words for t in texts if short in (words := set(WRITTEN_WORD.findall(t.lower())))
            ]
            both = sum(1 for words in holding if long in words)
            if both <= CLIPPED_TOGETHER * max(1, len(holding)):
                return True
    return False


CLIPPED_TOGETHER = 0.1
"""A clipped form is another way of writing the word: at most this share of the answers that
write it write the long form too."""


PHRASE_WORDS = 3
"""Beside a keyword written back with its small words into a phrase this long, a label lists
no single word after its head ('Told to ring', not 'Told to ring, number'; 'Time for pick up,
return home' keeps both phrases): a phrase and a word after a comma read as a sentence cut
short. The head stays, as the theme's own word: 'Useful, hours of driving', not 'Hours of
driving' for answers that mostly say 'useful'."""


_STOPPED_CONTENT = frozenset("call bill fire system front back side top bottom full part".split())
"""Words in scikit-learn's English stop list that carry meaning beside a keyword ('call
handler', 'front desk'): the keyword counting never sees them, a label may need them."""
_PARTICLES = frozenset("up out off down over".split())
"""Particles that complete a verb ('pick up', 'sort out')."""
COMPANION_SHARE = 0.6


def _with_companions(part: str, texts: Sequence[str]) -> str:
    """A keyword part with the word the stop list hid from it put back, when the answers write
    them together in most of its uses (``COMPANION_SHARE``, at least 3): a meaningful stop word
    before it ('handler' -> 'call handler') and a particle after it ('time for pick' -> 'time
    for pick up')."""
    words = part.split()
    word = _companion(words[0], texts, before=True)
    if word in _STOPPED_CONTENT and word not in words:
        part = f"{word} {part}"
    word = _companion(words[-1], texts, before=False)
    if word in _PARTICLES:
        part = f"{part} {word}"
    return part


def _companion(word: str, texts: Sequence[str], before: bool) -> str:
    """The word the answers write just before (or after) ``word`` in most of its uses, or ''."""
    found = re.escape(word)
    pattern = re.compile(
        rf"([a-z]+)\s+{found}(?![\w&])" if before else rf"(?<![\w&]){found}\s+([a-z]+)"
    )
    alone = re.compile(rf"(?<![\w&]){found}(?![\w&])")
    beside: Counter[str] = Counter()
    uses = 0
    for text in texts:
        lower = text.lower()
        uses += len(alone.findall(lower))
        beside.update(match.group(1) for match in pattern.finditer(lower))
    companion, count = next(iter(beside.most_common(1)), ("", 0))
    return companion if count >= max(3, COMPANION_SHARE * uses) else ""


def _written_apart(keyword: str, texts: Sequence[str]) -> bool:
    """True for a two-word keyword whose words the answers never write within two small words
    of each other: counting leaves the small words out, so 'happy to use it but I worry' gives
    'happy worry', which no answer says ('Happy worry, useful' was a label)."""
    words = keyword.split()
    if len(words) != 2 or not texts:
        return False
    small = _edge_words()
    pattern = re.compile(
        rf"(?<![\w&]){re.escape(words[0])}[\w'’]*((?:\s+[\w'’]+){{0,2}}?)\s+"
        rf"{re.escape(words[1])}"
    )
    for text in texts:
        for match in pattern.finditer(text.lower()):
            if all(w in small for w in match.group(1).split()):
                return False
    return True


_PERSONS = frozenset("i me we us you he she they them".split())
"""Small words a label does without: 'Person I spoke' reads as one respondent's sentence."""


def _with_small_words(keyword: str, texts: Sequence[str]) -> str:
    """A two-word keyword as the answers write it, with the small words the keyword counting
    left out put back ('told ring' -> 'told to ring', 'gave licence' -> 'gave up my licence'),
    when most of its uses agree; else the keyword as it is."""
    words = keyword.split()
    if len(words) != 2:
        return keyword
    small = _edge_words()
    pattern = re.compile(
        rf"(?<![\w&]){re.escape(words[0])}((?:\s+[a-z'’]+){{0,2}}?)\s+{re.escape(words[1])}(?![\w&])"
    )
    between: Counter[str] = Counter()
    for text in texts:
        for match in pattern.finditer(text.lower()):
            middle = match.group(1).split()
            if all(w in small and w not in _PERSONS for w in middle):
                between[" ".join(middle)] += 1
    if not between:
        return keyword
    middle, count = between.most_common(1)[0]
    if not middle or count < max(2, between.total() / 2):
        return keyword
    return f"{words[0]} {middle} {words[1]}"


_PRONOUNS = frozenset("i i'm i've my me we our us you your personally honestly".split())
"""Words that make an answer a personal statement rather than a name for a theme."""
_NO_SUBJECT = frozenset("is are was were am".split())
"""Words that open a clause whose subject was in the sentence before ('... one leg! is happy
with all other NHS services'): as a label, a fragment."""
_CLAUSE_BREAK = re.compile(
    r"[.!?;]\s|\s[-–—]\s|\d\)|(?<![\w.,])\d(?![\w.,:/])"
)  # also '1 gp 2 ...' lists


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*")
SENTENCES_LOOKED_AT = 2
"""Sentences of an answer weighed as labels: the first ones say what the answer is about."""


def answer_labels(
    keywords: Sequence[str], texts: Sequence[str], look_at: int = 40, top: int = 3
) -> list[str]:
    """Short answers, or sentences of answers, that say what the theme is about, in the
    respondents' words, best first: among the most central answers (``texts``, most central
    first), single clauses of 2-7 words, not in the first person, using the most of the theme's
    top keywords (``_hit``) and mostly made of its keywords' words ('Tackle loneliness among
    older people'; 'Getting a GP appointment is nearly impossible' from "... impossible. I had
    to ring every day for a week")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    top_keywords = list(keywords[:6])
    vocabulary = {w for k in keywords[:10] for w in k.split()}
    ranked: list[tuple[tuple[float, ...], str]] = []
    sentences = (
        (rank, part, sentence)
        for rank, text in enumerate(texts[:look_at])
        for part, sentence in enumerate(_SENTENCE_END.split(text.strip())[:SENTENCES_LOOKED_AT])
    )
    for rank, part, sentence in sentences:
        if "[" in sentence or re.search(r"[!?.]{2}|[!?]\S", sentence) or _FORMULA.match(sentence):
            continue  # a masked name, punctuation that lists several things, or a formula
        clean = _without_courtesy(
            _without_opening_filler(" ".join(sentence.split()).strip(" .!-,;:"))
        )
        words = clean.split()
        if not 2 <= len(words) <= 7 or _CLAUSE_BREAK.search(clean):
            continue
        lower = clean.lower()
        tokens = re.findall(r"[a-z][a-z&'’-]*", lower)
        if any(t in _PRONOUNS for t in _without_thanks(tokens)) or _repeats_itself(lower):
            continue
        if tokens and tokens[0] in _NO_SUBJECT:
            continue
        hits = sum(_hit(k, lower, set(tokens)) for k in top_keywords)
        if not hits or (hits < 1 and part):
            continue  # a later sentence must hold a whole keyword ('Good for everyone' did not)
        content = [t for t in tokens if t not in ENGLISH_STOP_WORDS]
        coverage = sum(1 for t in content if t in vocabulary) / max(1, len(content))
        ranked.append(((-hits, -round(coverage * 4) / 4, len(words), rank), clean))
    labels: list[str] = []
    forms = surface_forms(texts) if ranked else {}
    for _, clean in sorted(ranked):
        label = _usual_case(clean, forms)
        if label.lower() not in {x.lower() for x in labels}:
            labels.append(label)
        if len(labels) >= top:
            break
    return labels


_REPLIES = frozenset("no yes nope yeah yep".split())
_AFTER_A_REPLY = frozenset(
    """very really all everything everyone always been happy excellent good great fine it they
    the staff thank thanks""".split()
)
"""Words that show an opening 'No' or 'Yes' answers the question ('No very good care') rather
than says what is missing ('No parking spaces')."""


_FORMULA = re.compile(r"\s*[=+@]")
"""An answer that opens like a spreadsheet formula ('=HYPERLINK(...)'): never a label, however
many give it."""


COMMON_ANSWER = 0.25
"""An answer given word for word by at least this share of a theme's central answers is its
label, whatever its length ('Everything', where the keywords gave 'Zero, notch')."""


COMMON_WITHOUT_KEYWORDS = 0.05
"""... or, when none of the theme's keywords is in ``SHARED_BY`` of its answers (a theme of
"Everything", "Don't know", "Not a lot", whose keywords were 'Zero, notch'), an answer this share
give is weighed in the keywords' place, beside the phrases the answers share ('Everything' beside
'Everything was good', for a theme of "Everything was very good", "Everything was excellent")."""


def _commonest_answer(texts: Sequence[str], share: float = COMMON_ANSWER) -> str | None:
    """The answer most of ``texts`` give word for word (case and end punctuation aside), when
    at least ``share`` of them (and 3) do, and it is a short phrase, not a statement in
    the first person or a masked name."""
    said = Counter(" ".join(t.split()).strip(" .!-,;:").lower() for t in texts)
    said.pop("", None)
    if not said:
        return None
    answer, count = said.most_common(1)[0]
    tokens = re.findall(r"[a-z][a-z&'’-]*", answer)
    if count < max(3, share * len(texts)) or not 1 <= len(tokens) <= 7:
        return None
    if (
        "[" in answer
        or _FORMULA.match(answer)
        or any(t in _PRONOUNS for t in _without_thanks(tokens))
    ):
        return None
    return answer


def _without_opening_filler(text: str) -> str:
    """The answer without a filler adverb in front ('Thirdly early help' -> 'early help'), or
    a reply to the question ('No, very good care' -> 'very good care')."""
    from themes.analysis.discover import FILLER_ADVERBS

    first, _, rest = text.partition(" ")
    word = first.lower().strip(",;:.!")
    if rest and word in FILLER_ADVERBS | {"also", "finally"}:
        return rest.lstrip(" ,;:-")
    after = rest.split(" ", 1)[0].lower().strip(",;:")
    if rest and word in _REPLIES and (first[-1] in ",;:.!" or after in _AFTER_A_REPLY):
        return rest.lstrip(" ,;:-")
    return text


_COURTESY = re.compile(r"[\s,.;:!-]+(?:please|pls|thanks|thank you|thankyou|ta)$", re.IGNORECASE)


def _without_courtesy(text: str) -> str:
    """The answer without a closing 'please' or 'thanks' ('NHS dentist please' -> 'NHS
    dentist'): polite to the reader of a survey, odd in the name of a theme."""
    return _COURTESY.sub("", text)


def _repeats_itself(lower: str) -> bool:
    """True for an answer whose listed parts repeat one another ('mental health, mental health,
    mental health'): emphatic from a respondent, odd as the name of a theme."""
    parts = [p.strip() for p in re.split(r",|;|\band\b|&", lower) if p.strip()]
    return len(parts) != len(set(parts))


def _usual_case(text: str, forms: dict[str, str]) -> str:
    """An answer as a label: a capital first, and every later word as the theme's answers
    usually write it ('Everything was very Good' -> 'Everything was very good'; 'GP' stays)."""

    def usual(match: re.Match[str]) -> str:
        word = match.group(0)
        usual = forms.get(word.lower(), word)
        return word if match.start() == 0 and usual.islower() else usual

    text = re.sub(r"[\w&'’-]+", usual, text)
    return text[:1].upper() + text[1:]


def _without_thanks(tokens: list[str]) -> list[str]:
    """The words, leaving out the 'you' of 'thank you' and the 'I' of 'the person I spoke to'
    (a label, not a personal statement)."""
    return [
        t
        for k, t in enumerate(tokens)
        if not (t == "you" and k and tokens[k - 1] == "thank")
        and not (t == "i" and _names_whom(tokens, k))
    ]


_MET = frozenset("spoke saw talked dealt met".split())


def _names_whom(tokens: list[str], k: int) -> bool:
    """True when the 'I' at ``k`` only says which person is meant ('The person I spoke to was
    very helpful'): it follows a noun and comes before 'spoke', 'saw', 'dealt'..."""
    return (
        0 < k < len(tokens) - 1
        and tokens[k + 1] in _MET
        and tokens[k - 1] not in _edge_words() | _PRONOUNS
    )


def _hit(keyword: str, lower: str, tokens: set[str]) -> float:
    """How well an answer holds a keyword: 1 for the whole keyword, half for one of the words of
    a two-word keyword ('Very good' half-holds 'satisfactory good'), else 0."""
    if re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", lower):
        return 1.0
    words = keyword.split()
    return 0.5 if len(words) > 1 and tokens & set(words) else 0.0


ANSWERS_WEIGHED = 20
"""Short central answers looked at for each theme's answer labels, before the ones whose words
the theme shares are kept (``shared_answer_labels``)."""


def shared_answer_labels(keywords: Sequence[str], texts: Sequence[str], top: int = 3) -> list[str]:
    """The best ``top`` short central answers for a label (``answer_labels``) among those whose
    words the theme's answers share (``_shared``): the answers that use the most keywords often
    say something few others do ('Very prompt, professional and courteous' for a theme of
    "Polite and helpful"), and would otherwise leave no answer to weigh."""
    shared = _shared_answers(keywords, texts, top)
    if shared or not texts:
        return shared
    # the keywords are what sets the theme apart, often words few of its answers use
    # ('kindness', 'treated'): its answers are then weighed by the words most of them use
    return _shared_answers(common_words(texts), texts, top)


def _shared_answers(words: Sequence[str], texts: Sequence[str], top: int) -> list[str]:
    found = answer_labels(words, texts, top=ANSWERS_WEIGHED)
    return [label for label in found if _shared(label, texts)][:top]


COMMON_WORDS = 5


def common_words(texts: Sequence[str]) -> list[str]:
    """The words most of the theme's answers use (``texts``), commonest first: at most
    ``COMMON_WORDS`` content words each in at least ``SHARED_BY`` of them ('helpful',
    'friendly')."""
    used = _content_words(texts)[1]
    return [w for w, n in used.most_common(COMMON_WORDS) if n >= SHARED_BY * len(texts)]


def _content_words(texts: Sequence[str]) -> tuple[list[set[str]], Counter[str]]:
    """Each text's content words (word forms folded, names left out), and how many texts use
    each."""
    from themes.analysis.wordforms import WordForms

    words_of, counts = _words_of(tuple(texts))
    forms = WordForms.from_counts(counts)
    edge = _edge_words() | _DEGREE | _PRONOUNS
    found = [{forms.fold(w) for w in words if w.isalpha()} - edge for words in words_of]
    return found, Counter(w for words in found for w in words)


def phrase_label(keywords: Sequence[str], texts: Sequence[str], look_at: int = 40) -> str | None:
    """The best short central answer for a label (``answer_labels``), or None."""
    found = answer_labels(keywords, texts, look_at, top=1)
    return found[0] if found else None


@cache
def _edge_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from themes.analysis.discover import SURVEY_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | SURVEY_STOP_WORDS | {"very", "really", "good"}


def collocation_labels(keywords: Sequence[str], texts: Sequence[str], top: int = 4) -> list[str]:
    """Two-word phrases that many of the theme's answers share, found with nltk's bigram
    collocation finder (likelihood ratio), each holding one of the theme's top keywords and
    neither starting nor ending on a small word ('parking charges', 'NHS dentist'; the stop
    list's content words, ``_STOPPED_CONTENT``, are not small: 'Call handler'), read as a
    name for something where the answers write it (``phrases.reads_as_a_name``: not 'Surgery
    stops'), spelled as the answers spell them. (Three-word collocations were tried and read as
    fragments: 'Dentist within miles', 'Appointment last month'.)"""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    answers = [PLACEHOLDERS.sub(" | ", t.lower()) for t in texts]
    if sum(1 for a in answers if a.strip()) < 3:
        return []
    # each clause apart, so that no pair spans a break ('... great care. Thank you')
    documents = [
        words
        for answer in answers
        for clause in CLAUSES.split(answer)
        if (words := _COLLOCATION_WORD.findall(clause))
    ]
    wanted = {w for k in keywords[:6] for w in k.split()}
    edge = _edge_words() - _STOPPED_CONTENT  # 'call handler', 'back pain'
    finder = BigramCollocationFinder.from_documents(documents)
    finder.apply_freq_filter(max(2, len(answers) // 40))
    finder.apply_ngram_filter(
        lambda *words: (
            words[0] in edge
            or words[-1] in edge
            or any(w in _PRONOUNS for w in words)
            or not wanted & set(words)
            or len(set(words)) < len(words)
        )
    )
    scored = [
        (score * finder.ngram_fd[gram] / len(answers), " ".join(gram))
        for gram, score in finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    ]
    forms = surface_forms(texts)
    labels: list[str] = []
    for _, phrase in sorted(scored, key=lambda item: -item[0]):
        if any(phrase in chosen.lower() or chosen.lower() in phrase for chosen in labels):
            continue
        if _inside_a_longer_phrase(tuple(phrase.split()), documents):
            continue
        if not reads_as_a_name(phrase, texts):  # 'Surgery stops', 'Took weeks'
            continue
        restored = _restore(phrase, forms)
        labels.append(restored[:1].upper() + restored[1:])
        if len(labels) >= top:
            break
    return labels


_COLLOCATION_WORD = re.compile(r"[a-z][a-z&'’-]*|\b\d{3}\b")
"""A word of a two-word phrase: letters, or a three-digit service number ('NHS 111', '999
call'); other numbers are counts and times ('4 hours')."""


_LINKS = frozenset("of to and for with".split())
"""Small words that join a longer phrase ('cost of living crisis', 'face to face appointments')."""


def _inside_a_longer_phrase(pair: tuple[str, ...], documents: Sequence[Sequence[str]]) -> bool:
    """True when the pair mostly sits inside a longer phrase joined by a small word, so that
    alone it reads as a fragment: most of its uses follow the same linking word ('cost of
    living crisis', 'face to face appointments'). (Also refusing pairs mostly next to the same
    content word took good phrases with bad: 'seeing different doctors' lost 'Different
    doctors'.)"""
    before: Counter[str] = Counter()
    for words in documents:
        for i in range(len(words) - 1):
            if (words[i], words[i + 1]) == pair:
                before[words[i - 1] if i else ""] += 1
    if not before:
        return False
    left, count = before.most_common(1)[0]
    return left in _LINKS and count >= before.total() / 2


def theme_label(keywords: Sequence[str], texts: Sequence[str]) -> str:
    """The label a theme gets without embeddings: a short central answer when one fits, else
    keywords."""
    return phrase_label(keywords, texts) or make_label(keywords, texts)


NAMED_LABEL = "Named staff"
"""A candidate label for a theme gathered around people named in the answers ('[name] was
brilliant', 'XXXX kept us informed'): names are masked, so the answers share little else that
a label could say."""
NAMED_SHARE = 0.4
"""... given when at least this share of the theme's central answers hold a masked name: its
keywords are then what is left around the names ('Pt visit, Yes', 'Gained, thank-you')."""
SUBJECT_SHARE = 1 / 3
"""... unless a word besides the names is written by at least this share of them: then the
answers share a subject ('Dr [name] was rude and dismissive', 40 times). The theme of named
staff on fft_phase1 shared none (its commonest word, 'helpful', in 19% of its answers)."""


def named_theme(texts: Sequence[str]) -> bool:
    """True when what ``texts`` (a theme's answers) share is naming someone: many of them name
    someone (``mostly_named``) and they share no other word (``share_a_subject``)."""
    return mostly_named(texts) and not share_a_subject(texts)


def mostly_named(texts: Sequence[str]) -> bool:
    """True when at least ``NAMED_SHARE`` of ``texts`` hold a masked name."""
    return bool(texts) and sum(1 for t in texts if MASKED.search(t)) >= NAMED_SHARE * len(texts)


def share_a_subject(texts: Sequence[str]) -> bool:
    """True when a word besides names and their titles is written by at least
    ``SUBJECT_SHARE`` of ``texts``."""
    return any(writing_the_subject(texts))


def writing_the_subject(texts: Sequence[str]) -> list[bool]:
    """Which of ``texts`` use their subject: the word besides names and their titles that the
    most of them write, when at least ``SUBJECT_SHARE`` do; all False when none does."""
    words_of, used = _content_words(texts)
    count, subject = max(
        ((n, word) for word, n in used.items() if word not in _HONORIFICS), default=(0, "")
    )
    if not count or count < SUBJECT_SHARE * len(texts):
        return [False] * len(texts)
    return [subject in words for words in words_of]


_HONORIFICS = frozenset("dr mr mrs ms miss mx prof sir dame rev".split())
"""Words that come with a name ('Dr [name]'), not a subject of their own."""


SHARED_BY = 0.1
"""Every content word (and number) of a phrase or answer label must occur in at least this share
of the theme's answers, so that a label says what the theme holds rather than what one answer
says. (0.05 lifted label fit by 0.00-0.03 and let in one respondent's point on small themes:
'Proxy access for carers would help' named a theme about health records; eval/RESULTS.md.)"""


_DEGREE = frozenset(
    "nearly almost totally completely absolutely extremely incredibly fairly pretty so too".split()
)
"""Words of degree, which say how much and not what: 'Getting a GP appointment is nearly
impossible' speaks for a theme where few answers say 'nearly'."""


def _shared(label: str, texts: Sequence[str], minimum: float = SHARED_BY) -> bool:
    """True when each content word of ``label`` (plurals folded) occurs in at least ``minimum``
    of ``texts``."""
    if not texts:
        return False
    fewest = _fewest_holding(label, texts)
    return fewest is None or fewest >= minimum * len(texts)


def _fewest_holding(label: str, texts: Sequence[str]) -> int | None:
    """How many of ``texts`` hold the content word of ``label`` (plurals folded) that the
    fewest of them hold; None for a label of small words only."""
    from themes.analysis.wordforms import WORD, WordForms

    words_of, counts = _words_of(tuple(texts))
    forms = WordForms.from_counts(
        counts + Counter(WORD.findall(PLACEHOLDERS.sub(" ", label.lower())))
    )
    edge = _edge_words() | _DEGREE
    words = {forms.fold(w) for w in WORD.findall(label.lower())} - edge
    words |= set(_NUMBER.findall(label))  # '30 mins' is one answer's wait, unless many say 30
    if not words:
        return None
    present: Counter[str] = Counter()
    for raw in words_of:
        present.update(words & {forms.forms.get(w, w) for w in raw})
    return min(present[w] for w in words)


_NUMBER = re.compile(r"\d+")


@lru_cache(maxsize=8)
def _words_of(texts: tuple[str, ...]) -> tuple[tuple[frozenset[str], ...], Counter[str]]:
    """Each text's words (lower case, placeholders out) and their counts over the texts, kept
    for the theme at hand: ``_shared`` weighs each of its label candidates against them."""
    from themes.analysis.wordforms import WORD

    found = [WORD.findall(PLACEHOLDERS.sub(" ", text.lower())) for text in texts]
    numbers = [_NUMBER.findall(text) for text in texts]
    return tuple(frozenset(w + n) for w, n in zip(found, numbers, strict=True)), Counter(
        w for words in found for w in words
    )


def label_candidates(
    keywords: Sequence[str], texts: Sequence[str], answers: Sequence[str] | None = None
) -> list[str]:
    """Every label worth weighing for a theme (``texts`` most central first): its keywords, and
    the phrases its answers share and its best short central answers (``answers``, found here
    when not given) when their words are shared by the theme (``SHARED_BY``), none that asks
    for change over answers that mostly praise or the other way round (``stance.agreeing``);
    only NAMED_LABEL for a theme of named people."""
    if named_theme(texts):
        return [NAMED_LABEL]
    said = _commonest_answer(texts)
    if said is not None:  # a quarter of the answers say these words: they name the theme
        return [_usual_case(said, surface_forms(texts))]
    candidates: list[str] = [Listed(make_label(keywords, texts))] if keywords else []
    if keywords and not any(_shared(k, texts) for k in keywords):
        said = _commonest_answer(texts, share=COMMON_WITHOUT_KEYWORDS)
        if said is not None:  # the keywords are each one answer's words: many say this
            candidates = [_usual_case(said, surface_forms(texts))]
    if answers is None:
        answers = shared_answer_labels(keywords, texts)
    for label in [*collocation_labels(keywords, texts), *answers]:
        if label.lower() not in {c.lower() for c in candidates} and _shared(label, texts):
            candidates.append(label)
    if len(candidates) > 1 and any(_words(c) == _words(candidates[0]) for c in candidates[1:]):
        # the keywords read as a phrase the answers use ('Cheltenham General', not
        # 'Cheltenham, General'): the phrase alone is weighed
        candidates = candidates[1:]
    return agreeing(candidates, texts)


OTHER_NAMES = 5
"""Other names offered to a reviewer for one theme."""


def label_options(
    keywords: Sequence[str], texts: Sequence[str], most: int = OTHER_NAMES
) -> list[tuple[str, float]]:
    """Names a theme's answers (``texts``, most typical first) support, for a reviewer renaming
    it: the label candidates (``label_candidates``), each with the share of the answers that
    hold its rarest content word, best supported first."""
    if not texts:
        return []
    options = []
    for label in label_candidates(keywords, texts):
        if label == NAMED_LABEL:  # its evidence is the names, not its words
            fewest: int | None = sum(1 for text in texts if MASKED.search(text))
        else:
            fewest = _fewest_holding(label, texts)
        options.append((str(label), 1.0 if fewest is None else fewest / len(texts)))
    return sorted(options, key=lambda option: -option[1])[:most]


def _words(label: str) -> set[str]:
    return set(re.findall(r"[\w&'’-]+", label.lower()))


def _content(label: str) -> frozenset[str]:
    """A label's words that carry meaning (small words and survey filler left out)."""
    return frozenset(_words(label) - _edge_words())


OWN_WEIGHT = 0.5
"""How much a label's closeness to its own theme's centre counts beside its margin over the
nearest other theme's centre. (The margin alone took labels that tell themes apart but say less
of either: "Children's dental" over 'NHS dentist', 'Hours in A&E, seen' over 'Long waits in
A&E'; eval/RESULTS.md.)"""
LISTED_COST = 0.05
"""What a keyword list ('Phone consultations, telephone') gives up against a phrase the
answers write ('Phone consultations'): a reader takes a phrase in, a list has to be puzzled
out."""


def choose_labels(
    candidates: Sequence[Sequence[str]],
    centres: Any,
    embed: Callable[[list[str]], Any],
    members: tuple[Any, Any] | None = None,
    movable: Collection[str] = (),
) -> list[str]:
    """One label per theme: the candidate that sits closest to its own theme's centre, both
    outright (``OWN_WEIGHT``) and compared with the nearest other theme's (``centres``: unit
    vectors, one row per theme), so that it says what the theme holds and a reader can tell the
    themes apart by their labels; a list of keywords (``Listed``) pays ``LISTED_COST``. No two
    themes get the same label.

    With ``members`` (unit answer vectors, and each answer's theme as a row of ``centres``, -1
    for none), each theme's label is then the candidate that the most answers find nearest
    their own theme's label, over all themes' labels (``_fit_answers``): a label that speaks for
    its answers, not only for their average. The fitting moves a label only to a ``movable``
    one: whole short answers, which read as complete phrases ('Answered the phone quicker').
    (Moving to keywords or two-word phrases too read worse: 'Plus, guys', 'Doctors means',
    'Surgery stops'.)"""
    import numpy as np

    flat = [c for options in candidates for c in options]
    if not flat:
        return ["" for _ in candidates]
    vectors = np.asarray(embed(flat), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sims = vectors @ np.asarray(centres, dtype=np.float32).T
    picks: list[int] = []  # each theme's option, by score
    taken: set[str] = set()
    offset = 0
    starts = []
    for theme, options in enumerate(candidates):
        block = sims[offset : offset + len(options)]
        starts.append(offset)
        offset += len(options)
        if not len(options):
            picks.append(-1)
            continue
        others = np.delete(block, theme, axis=1)
        margin = block[:, theme] - (others.max(axis=1) if others.shape[1] else 0.0)
        listed = np.array([isinstance(option, Listed) for option in options])
        score = margin + OWN_WEIGHT * block[:, theme] - LISTED_COST * listed
        free = [
            int(i) for i in np.argsort(-score, kind="stable") if options[i].lower() not in taken
        ]
        pick = free[0] if free else int(np.argmax(score))
        picks.append(pick)
        taken.add(options[pick].lower())
    if members is not None:
        allowed = {m.lower() for m in movable}
        picks = _fit_answers(candidates, picks, starts, vectors, members, allowed)
    chosen: list[str] = []
    taken = set()
    for options, pick in zip(candidates, picks, strict=True):
        if pick < 0:
            chosen.append("")
            continue
        label = unique = str(options[pick])
        number = 2
        while unique.lower() in taken:
            unique, number = f"{label} ({number})", number + 1
        taken.add(unique.lower())
        chosen.append(unique)
    return chosen


FIT_SAMPLE = 5000
"""Answers weighed when fitting labels to answers (a seeded sample above this many)."""
FIT_GAIN = 0.03
FIT_GAIN_MIN = 3
"""A label changes when the change wins at least this share of the theme's answers (and this
many answers), over all themes."""


def _fit_answers(
    candidates: Sequence[Sequence[str]],
    picks: list[int],
    starts: list[int],
    vectors: Any,
    members: tuple[Any, Any],
    allowed: set[str],
) -> list[int]:
    """Coordinate ascent from ``picks``: each theme in turn takes the ``allowed`` candidate (not
    another theme's label) under which the most answers, over all themes, have their own theme's label
    as their nearest label; a change is kept only when it wins answers. Two rounds."""
    import numpy as np

    unit, theme_of = np.asarray(members[0], dtype=np.float32), np.asarray(members[1])
    keep = theme_of >= 0
    unit, theme_of = unit[keep], theme_of[keep]
    if len(theme_of) > FIT_SAMPLE:
        rows = np.random.default_rng(0).choice(len(theme_of), FIT_SAMPLE, replace=False)
        unit, theme_of = unit[rows], theme_of[rows]
    labelled = [t for t, pick in enumerate(picks) if pick >= 0]
    if len(labelled) < 2 or not len(theme_of):
        return picks
    sims = unit @ vectors.T  # answers x every candidate
    column = {t: i for i, t in enumerate(labelled)}
    own = np.array([column.get(int(t), -1) for t in theme_of])

    def fitting(choice: list[int]) -> int:
        current = sims[:, [starts[t] + choice[t] for t in labelled]]
        return int((current.argmax(axis=1) == own).sum())

    picks = list(picks)
    best = fitting(picks)
    sizes = np.bincount(own[own >= 0], minlength=len(labelled))
    for _ in range(2):
        changed = False
        for theme in labelled:
            others = {candidates[t][picks[t]].lower() for t in labelled if t != theme}
            # near-synonyms ('Better food', 'Got better food') differ by a few answers: a label
            # changes only for a clear gain
            needed = max(FIT_GAIN_MIN, FIT_GAIN * sizes[column[theme]])
            meaning = _content(candidates[theme][picks[theme]])
            for option, text in enumerate(candidates[theme]):
                if option == picks[theme] or text.lower() in others or text.lower() not in allowed:
                    continue
                if _content(text) == meaning:  # 'Got better food' says 'Better food'
                    continue
                trial = [*picks[:theme], option, *picks[theme + 1 :]]
                score = fitting(trial)
                if score >= best + needed:
                    picks, best, changed = trial, score, True
        if not changed:
            break
    return picks
