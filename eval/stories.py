"""Long answers that raise several themes: do their themes cover what they are about?

Not a test. Builds made-up "stories" from the human-coded FFT comments in
``../shared/data/fft_phase1.csv`` (each story joins 3 to 5 one-sentence comments with different
human labels, so its labels are known), mixes them with short comments, runs the themes
pipeline and scores, for the stories and for the short answers separately:

- label recall and precision with "also mentions" (each theme stands for the commonest human
  label among the answers that raise it, as main or also);
- main-theme NMI of the short answers (that stories must not spoil them);
- how many themes a story counts in.

    .venv/bin/python eval/stories.py --stories 600 --short 2400 --seeds 1,2,3

Skips cleanly (exit 0 with a message) when the data is absent. Record results in eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fft_phase1.csv"


def build(stories: int, short: int, seed: int = 0) -> tuple[list[str], list[set[str]], int]:
    """``stories`` made-up stories then ``short`` single comments: texts, label sets, and how
    many of the texts are stories (they come first)."""
    import pandas as pd

    from themes.analysis.mentions import sentences

    frame = pd.read_csv(DATA, keep_default_na=False)
    frame = frame[frame["label"].str.strip() != ""]
    frame = frame[~frame["label"].isin(["Nothing to improve", "Couldn't be improved"])]
    frame = frame.drop_duplicates("text")
    rng = random.Random(seed)
    one_sentence = [
        (t.strip(), lab)
        for t, lab in zip(frame["text"], frame["label"], strict=True)
        if 6 <= len(t.split()) <= 30 and len(sentences(t)) == 1
    ]
    rng.shuffle(one_sentence)
    by_label: dict[str, list[str]] = {}
    for text, label in one_sentence:
        by_label.setdefault(label, []).append(text)
    labels = [lab for lab, items in by_label.items() if len(items) >= 20]
    weights = [len(by_label[lab]) for lab in labels]
    used: set[str] = set()
    texts: list[str] = []
    gold: list[set[str]] = []
    for _ in range(stories):
        parts: list[str] = []
        chosen: set[str] = set()
        while len(chosen) < rng.randint(3, 5):
            label = rng.choices(labels, weights)[0]
            if label in chosen:
                continue
            options = [t for t in by_label[label] if t not in used]
            if not options:
                continue
            text = rng.choice(options)
            used.add(text)
            chosen.add(label)
            parts.append(text if text.endswith((".", "!", "?")) else text + ".")
        texts.append(" ".join(parts))
        gold.append(chosen)
    rest = [(t, lab) for t, lab in one_sentence if t not in used and lab in labels]
    for text, label in rest[:short]:
        texts.append(text)
        gold.append({label})
    return texts, gold, stories


def score(gold: list[set[str]], main: list[int], also: list[tuple[int, ...]], rows: range) -> dict:
    """Label precision/recall/F1 over ``rows``; a theme stands for the commonest label among all
    answers that raise it (main or also)."""
    votes: dict[int, Counter[str]] = {}
    for labels, theme, others in zip(gold, main, also, strict=True):
        for t in ([theme] if theme != -1 else []) + list(others):
            votes.setdefault(t, Counter()).update(labels)
    stands = {t: c.most_common(1)[0][0] for t, c in votes.items()}
    tp = fp = fn = 0
    count = 0
    for i in rows:
        themes = ([main[i]] if main[i] != -1 else []) + list(also[i])
        count += len(themes)
        predicted = {stands[t] for t in themes}
        tp += len(predicted & gold[i])
        fp += len(predicted - gold[i])
        fn += len(gold[i] - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "themes_per_answer": round(count / max(1, len(rows)), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=600)
    parser.add_argument("--short", type=int, default=2400)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--whole", action="store_true", help="cluster stories whole (before)")
    parser.add_argument("--show", action="store_true", help="print every theme with two answers")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from sklearn.metrics import normalized_mutual_info_score

    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.analysis.pipeline import Outcome, analyse_responses
    from themes.core.config import AnalysisConfig
    from themes.ingest.responses import Response, Responses

    texts, gold, n_stories = build(args.stories, args.short)
    responses = Responses(
        "text", tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts)), "stories"
    )
    embedder = make_embedder()
    cache = EmbeddingCache()
    print(f"{n_stories} stories, {len(texts) - n_stories} short answers")
    for seed in [int(s) for s in args.seeds.split(",")]:
        started = time.perf_counter()
        result = analyse_responses(
            responses,
            replace(AnalysisConfig(), seed=seed, stories=not args.whole),
            embedder=embedder,
            cache=cache,
        )
        by_row = {r.row: r for r in result.rows}
        main_of = [
            (by_row[i + 1].theme_id if by_row[i + 1].outcome is Outcome.THEMED else -1)
            for i in range(len(texts))
        ]
        main = [m if m is not None else -1 for m in main_of]
        also = [tuple(by_row[i + 1].also) for i in range(len(texts))]
        story_rows = range(n_stories)
        short_rows = range(n_stories, len(texts))
        short_gold = [next(iter(gold[i])) for i in short_rows]
        nmi = normalized_mutual_info_score(short_gold, [main[i] for i in short_rows])
        print(
            f"seed {seed}: {len(result.themes)} themes, "
            f"stories {score(gold, main, also, story_rows)}, "
            f"short {score(gold, main, also, short_rows)}, short NMI {nmi:.3f}, "
            f"stories unassigned {sum(main[i] == -1 for i in story_rows) / n_stories:.3f}, "
            f"{time.perf_counter() - started:.0f} s"
        )
        if args.show:
            for theme in result.themes:
                rows = [i for i in range(len(texts)) if main[i] == theme.id]
                mentions = sum(theme.id in a for a in also)
                print(
                    f"  {theme.label!r}: {len(rows)} main, {mentions} also, kw {theme.keywords[:5]}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
