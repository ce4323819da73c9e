"""A labelled set for measuring redaction: many realistic variants of each identifier inside
feedback-like sentences, plus look-alikes that must not be redacted (dates, times, counts, ward
numbers, 'GP', 'A&E', '111'). Built from a seed, so the same command gives the same figures."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from themes.privacy.redact import Kind, RedactionSettings, nhs_number_valid, redact

FIRST = "Sarah James Priya Mohammed Olivia Tom Aisha Gareth Chloe Wei Siobhan Kwame Anne Jo".split()
SURNAMES = (
    "Patel Jones Smith O'Brien Nowak Williams Khan Evans Taylor Brown Smith-Jones Okafor".split()
)
TITLES = [
    "Dr",
    "Dr.",
    "Doctor",
    "Nurse",
    "nurse",
    "Sister",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Matron",
    "midwife",
    "the receptionist",
    "physio",
    "Consultant",
    "paramedic",
]
TEMPLATES = [
    "{x} was wonderful and explained everything.",
    "I want to complain about {x}, who was rude to my mum.",
    "Please contact me on {x} so we can talk about this.",
    "My details are {x} if you need them.",
    "Thank you to {x} for everything last week!",
    "The letter said {x} but nobody followed it up",
    "i rang {x} three times and no one answered",
    "Write to me: {x}.",
]
LOOKALIKES = [
    "Waited 4 hours in A&E on 12/03/2024 from 10:30 until 14.45.",
    "Ward 10 and bay 4 were clean; room 12 was noisy.",
    "Called NHS 111 and then 999, the ambulance came in 40 minutes.",
    "The GP gave me 0.5mg twice a day for 3-4 weeks.",
    "Over 1,000 people signed the petition in 2019-2023.",
    "Parking cost £12.50 for 3 hours, ridiculous.",
    "Took the A38 and the M5 to get to Gloucester Royal.",
    "My reference is 12345678 and my appointment is at 9am on 3rd March.",
    "1 in 10 people wait more than 18 weeks.",
    "Dr appointments are impossible; the Nurse Practitioner was helpful.",
    "The Surgery team and the Practice Manager sorted it.",
    "Ward 7b, Ward 3a and the Day Surgery Unit were fine.",
    "I was seen at 10.15, 11.20 and 13.05 by three different people.",
    "It took 2,345 steps to walk round the hospital.",
    "Scored 9/10 overall, would rate 10 out of 10 for the nurses.",
    "We live in GL1 and the bus from GL51 is rare.",
    "Blood pressure was 140/90 and pulse 72.",
    "Version 2.1 of the leaflet says call 111.",
    "Between 2020 and 2022 it got worse; in 2023 better.",
    "Mr Men books in the waiting room kept the kids happy.",
]


BARE_NAME_TEMPLATES = [
    "{x} on reception was so patient with my dad.",
    "Please pass on my thanks to {x} in the discharge lounge.",
    "I was seen by {x} who listened properly.",
    "{x} the healthcare assistant made me a cup of tea.",
]


@dataclass(frozen=True)
class Case:
    text: str
    gold: tuple[tuple[Kind, int, int], ...]  # kind, start, end of each identifier
    group: str = ""


def _nhs(rng: random.Random) -> str:
    while True:
        digits = str(rng.choice([4, 6, 7])) + "".join(str(rng.randrange(10)) for _ in range(8))
        for check in range(10):
            if nhs_number_valid(digits + str(check)):
                d = digits + str(check)
                return rng.choice(
                    [
                        f"{d[:3]} {d[3:6]} {d[6:]}",
                        f"{d[:3]}-{d[3:6]}-{d[6:]}",
                        d,
                        f"{d[:3]}.{d[3:6]}.{d[6:]}",
                        f"{d[:4]} {d[4:7]} {d[7:]}",
                        f"{d[:3]}  {d[3:6]}  {d[6:]}",
                        f"{d[:3]} - {d[3:6]} - {d[6:]}",
                        f"{d[:5]} {d[5:]}",
                    ]
                )


def _phone(rng: random.Random) -> str:
    n = "".join(str(rng.randrange(10)) for _ in range(6))
    mobile = f"7{rng.choice(['700', '711', '812', '900', '456'])}{n}"
    area = rng.choice(["1452", "1242", "1594", "117"])
    local = "".join(str(rng.randrange(1, 10)) for _ in range(10 - len(area)))
    return rng.choice(
        [
            f"0{mobile[:4]} {mobile[4:]}",
            f"0{mobile}",
            f"+44 {mobile[:4]} {mobile[4:]}",
            f"+44 (0){mobile[:4]} {mobile[4:]}",
            f"0{area} {local}",
            f"(0{area}) {local}",
            f"0{area}-{local[:3]}-{local[3:]}",
            f"020 7946 0{n[:3]}",
            f"0300 {n[:3]} {n[3:]}1",
            f"0800 {n[:3]} {n[3:]}2",
            f"07{n[:3]} {n}",
            f"0{mobile[:4]}.{mobile[4:7]}.{mobile[7:]}",
            f"0{mobile[:4]} {mobile[4:7]} {mobile[7:]}",
            f"0044 {mobile}",
            f"0{area}{local}",
        ]
    )


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["GL", "BS", "SW", "M", "B", "EC", "W", "NP", "HR", "OX"])
    district = str(rng.randrange(1, 20)) if len(area) == 2 else str(rng.randrange(1, 99))
    if area == "W" and rng.random() < 0.5:
        district = str(rng.randrange(1, 4)) + rng.choice("ABCDEFGHJKPSTUW")
    elif area == "EC" and rng.random() < 0.5:
        district = str(rng.randrange(1, 4)) + rng.choice("ABEHMNPRVWXY")
    inward = f"{rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    code = f"{area}{district}{rng.choice([' ', ' ', '', '  '])}{inward}"
    return code.lower() if rng.random() < 0.2 else code


def _email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), rng.choice(SURNAMES).lower().replace("'", "")
    return rng.choice(
        [
            f"{first}.{last}@nhs.net",
            f"{first}{rng.randrange(99)}@gmail.com",
            f"{first[0]}.{last}@glos-care.nhs.uk",
            f"{first.upper()}_{last}@Example.co.uk",
            f"{first}+nhs@{last}.org",
            f"{first}.{last}@mail.nhs.uk",
        ]
    )


def _name(rng: random.Random) -> tuple[str, str]:
    """(text with title, the name part)."""
    title = rng.choice(TITLES)
    name = rng.choice(
        [rng.choice(FIRST), rng.choice(SURNAMES), f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"]
    )
    if rng.random() < 0.1:  # written without capitals, as people type on phones
        title, name = title.lower(), name.lower()
    if rng.random() < 0.05:
        return f"{title}.{name}", name  # 'Dr.Patel'
    return f"{title} {name}", name


def build_cases(per_kind: int = 200, seed: int = 0) -> list[Case]:
    """``per_kind`` sentences for each identifier kind, plus every look-alike sentence."""
    rng = random.Random(seed)
    cases = []
    makers = {
        Kind.EMAIL: _email,
        Kind.PHONE: _phone,
        Kind.NHS_NUMBER: _nhs,
        Kind.POSTCODE: _postcode,
    }
    for kind, make in makers.items():
        for _ in range(per_kind):
            value = make(rng)
            template = rng.choice(TEMPLATES)
            start = template.index("{x}")
            text = template.replace("{x}", value)
            cases.append(Case(text, ((kind, start, start + len(value)),), kind.value))
    for _ in range(per_kind):
        shown, name = _name(rng)
        template = rng.choice(TEMPLATES)
        text = template.replace("{x}", shown)
        start = template.index("{x}") + len(shown) - len(name)
        cases.append(
            Case(text[:1].upper() + text[1:], ((Kind.NAME, start, start + len(name)),), "titled")
        )
    for _ in range(per_kind // 2):
        name = rng.choice([rng.choice(FIRST), f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"])
        template = rng.choice(BARE_NAME_TEMPLATES)
        start = template.index("{x}")
        cases.append(
            Case(template.replace("{x}", name), ((Kind.NAME, start, start + len(name)),), "bare")
        )
    cases += [Case(text, (), "look-alike") for text in LOOKALIKES]
    for _ in range(per_kind // 2):
        cases.append(Case(_lookalike(rng), (), "look-alike"))
    return cases


def _lookalike(rng: random.Random) -> str:
    """A sentence full of numbers and capitals that are not identifiers."""
    d, m, y = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(2015, 2027)
    hh, mm = rng.randrange(0, 24), rng.randrange(0, 60)
    return rng.choice(
        [
            f"Waited {rng.randrange(2, 13)} hours in A&E on {d}/{m}/{y} from {hh:02d}:{mm:02d}.",
            f"Seen on {d}.{m}.{y} at {hh}.{mm:02d} on Ward {rng.randrange(1, 40)}, bay {rng.randrange(1, 9)}.",
            f"My reference number is {rng.randrange(10**7, 10**8)} and the GP said wait {rng.randrange(2, 20)} weeks.",
            f"They took {rng.randrange(100, 999)} {rng.randrange(100, 999)} samples and "
            f"{rng.randrange(1000, 9999)} tests.",
            f"Paid £{rng.randrange(1, 2000):,}.{rng.randrange(100):02d} for parking over {rng.randrange(2, 30)} days.",
            f"Dose went from {rng.randrange(1, 500)}mg to {rng.randrange(1, 500)}mg on {d} March {y}.",
            f"Called 111 at {hh}:{mm:02d}, then 999; ambulance {rng.randrange(10, 99)} minutes later.",
            f"Between {y - 3} and {y} the Surgery on the A{rng.randrange(30, 500)} got busier.",
            f"Rated {rng.randrange(1, 11)}/10. Room {rng.randrange(1, 300)}, Level {rng.randrange(1, 9)}.",
            f"Over {rng.randrange(1, 99)},{rng.randrange(100, 999)} people use the NHS App in {y}.",
            f"BP {rng.randrange(100, 180)}/{rng.randrange(60, 110)}, pulse {rng.randrange(50, 120)}, "
            f"temp 37.{rng.randrange(10)}.",
            f"Nurse Practitioner and the Practice Manager at Ward {rng.randrange(1, 30)}{rng.choice('abc')} helped.",
        ]
    )


STAFF_LIST = tuple(FIRST) + tuple(SURNAMES)  # what a team would supply: its staff's names


@dataclass(frozen=True)
class KindScore:
    kind: Kind
    gold: int
    found: int
    predicted: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


def evaluate_redaction(
    cases: list[Case], settings: RedactionSettings | None = None
) -> tuple[list[KindScore], list[str], float]:
    """Per-kind recall and precision, the look-alike sentences that were wrongly changed, and the
    seconds taken."""
    started = time.perf_counter()
    gold = dict.fromkeys(Kind, 0)
    found = dict.fromkeys(Kind, 0)
    predicted = dict.fromkeys(Kind, 0)
    correct = dict.fromkeys(Kind, 0)
    wrongly_changed = []
    for case in cases:
        result = redact(case.text, settings)
        for kind, start, end in case.gold:
            gold[kind] += 1
            if any(r.kind == kind and r.start <= start and end <= r.end for r in result.redactions):
                found[kind] += 1
        for r in result.redactions:
            predicted[r.kind] += 1
            if any(k == r.kind and r.start < e and s < r.end for k, s, e in case.gold):
                correct[r.kind] += 1
        if not case.gold and result.redactions:
            wrongly_changed.append(f"{case.text} -> {result.text}")
    scores = [KindScore(k, gold[k], found[k], predicted[k], correct[k]) for k in Kind]
    return scores, wrongly_changed, time.perf_counter() - started
