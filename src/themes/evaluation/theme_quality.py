"""Theme quality against human coding: the pipeline a user gets, beside plain BERTopic, on a
labelled CSV. Agreement (NMI, ARI, homogeneity, completeness) on assigned responses and on all of
them, the share left unassigned, a purity table, and run-to-run stability across seeds."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from themes.analysis.cache import EmbeddingCache, embed_texts
from themes.analysis.embedding import Embedder
from themes.analysis.pipeline import Outcome, analyse_responses
from themes.analysis.theme_model import Theme
from themes.core.config import AnalysisConfig
from themes.core.errors import InputError, unknown_column
from themes.evaluation.reviewer_simulation import (
    SimulatedStep,
    simulate_reviewer,
    simulation_text,
)
from themes.ingest.prepare import classify
from themes.ingest.reading import read_table
from themes.ingest.responses import Response, Responses, RowStatus


@dataclass(frozen=True)
class Agreement:
    """One method's themes scored against the human labels."""

    method: str
    seed: int
    themes: int
    unassigned: float  # share of responses in no theme
    nmi_assigned: float
    ari_assigned: float
    homogeneity_assigned: float
    completeness_assigned: float
    nmi_all: float  # unassigned responses count as one more group
    ari_all: float
    seconds: float
    purity: tuple[tuple[str, int, str, float], ...]  # theme, size, dominant label, its share
    assignments: tuple[int, ...]
    # Multi-label agreement (themes only): each theme stands for its dominant human label; an
    # answer's predicted labels are its main theme's, then also those of the themes it mentions.
    # (precision, recall, F1) against all of its human labels.
    labels_main: tuple[float, ...] = ()
    labels_with_mentions: tuple[float, ...] = ()
    mentioning: float = 0.0  # share of answers that also mention another theme
    checks: ThemeChecks | None = None  # what a reader would notice (themes only)
    resample: int = 0  # 0: all the labelled answers; k: the k-th resample (``LEAVE_OUT``)


@dataclass(frozen=True)
class ThemeChecks:
    """What a reader of the theme list would notice, measured (themes runs only).

    Attributes:
        label_fit: share of themed answers whose nearest label (by embedding) is their theme's.
        least_coherent: the least coherent theme's label and coherence (``themes.analysis.coherence``).
        largest_share: the largest theme's share of all answers, and whether its coherence is in
            the top half of the themes'.
        no_change_group: share of answers in the 'nothing needs to change' group.
        nothing_themes: labels of ordinary themes that are mostly 'nothing to change' answers.
        name_labels: labels (or keyword lists) that contain a person's name: a name after a
            title, or a word the named-entity model tags as a name in the answers.
    """

    label_fit: float
    least_coherent: tuple[str, float]
    largest_share: tuple[float, bool]
    no_change_group: float
    nothing_themes: tuple[str, ...]
    name_labels: tuple[str, ...]


@dataclass(frozen=True)
class QualityReport:
    source: str
    label_column: str
    rows: int
    labels: int
    runs: tuple[Agreement, ...]
    stability: dict[str, tuple[float, float, int, int]]  # method -> mean, min ARI; min, max themes
    group_column: str = ""  # 'themes, broad' runs are scored against this column's labels
    groups: int = 0  # how many distinct labels it has
    simulation: tuple[SimulatedStep, ...] = ()  # the simulated reviewer, on the first seed


LEAVE_OUT = 0.01
"""Share of the labelled answers a resample leaves out at random (at least one): data almost
the same as the full set, to show how far a score moves for reasons that are not the method's."""


def _scores(
    method: str,
    seed: int,
    gold: Sequence[str],
    assigned: Sequence[int],
    labels: Sequence[str],
    seconds: float,
) -> Agreement:
    from sklearn.metrics import (
        adjusted_rand_score,
        completeness_score,
        homogeneity_score,
        normalized_mutual_info_score,
    )

    mask = [a != -1 for a in assigned]
    g = [x for x, m in zip(gold, mask, strict=True) if m]
    a = [x for x, m in zip(assigned, mask, strict=True) if m]
    purity = []
    for theme in sorted(set(a)):
        members = [x for x, y in zip(g, a, strict=True) if y == theme]
        label, count = Counter(members).most_common(1)[0]
        purity.append(
            (
                labels[theme] if theme < len(labels) else str(theme),
                len(members),
                label,
                round(count / len(members), 3),
            )
        )
    purity.sort(key=lambda p: -p[1])
    return Agreement(
        method,
        seed,
        len(set(a)),
        round(1 - len(a) / len(gold), 4) if gold else 0.0,
        round(normalized_mutual_info_score(g, a), 4) if a else 0.0,
        round(adjusted_rand_score(g, a), 4) if a else 0.0,
        round(homogeneity_score(g, a), 4) if a else 0.0,
        round(completeness_score(g, a), 4) if a else 0.0,
        round(normalized_mutual_info_score(gold, assigned), 4),
        round(adjusted_rand_score(gold, assigned), 4),
        round(seconds, 1),
        tuple(purity),
        tuple(assigned),
    )


def label_sets_f1(
    gold: Sequence[set[str]], main: Sequence[int], also: Sequence[Sequence[int]]
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Micro precision, recall and F1 of the labels the themes stand for (each theme its most
    common human label among its main answers), first from main themes alone, then with the
    themes answers also mention."""
    votes: dict[int, Counter[str]] = {}
    for labels, theme in zip(gold, main, strict=True):
        if theme != -1:
            votes.setdefault(theme, Counter()).update(labels)
    stands_for = {t: c.most_common(1)[0][0] for t, c in votes.items()}

    def score(with_mentions: bool) -> tuple[float, float, float]:
        tp = fp = fn = 0
        for labels, theme, others in zip(gold, main, also, strict=True):
            themes = [theme] + (list(others) if with_mentions else [])
            predicted = {stands_for[t] for t in themes if t in stands_for}
            tp += len(predicted & labels)
            fp += len(predicted - labels)
            fn += len(labels - predicted)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return round(precision, 4), round(recall, 4), round(f1, 4)

    return score(False), score(True)


CHECK_NAME_SHARE = 0.25
"""The reader check counts a word as a name in labels when the model took it for one in this
share of the answers that use it: lower than masking's, so that it sees what masking missed (and
may count a place now and then)."""


def theme_checks(
    themes: Sequence[Theme],
    assigned: Sequence[int | None],
    texts: Sequence[str],
    embeddings: np.ndarray,
    embedder: Embedder,
) -> ThemeChecks:
    """Measure one run's themes as a reader would see them (``ThemeChecks``)."""
    from themes.analysis.coherence import coherence, label_fit
    from themes.analysis.no_change import KIND, find_no_change
    from themes.privacy.names import contains_name, corpus_names

    ordinary = [t for t in themes if t.kind != KIND]
    labels = np.array([a if a is not None else -1 for a in assigned])
    ordinary_ids = {t.id for t in ordinary}
    in_ordinary = np.array([a in ordinary_ids for a in labels])
    scores = coherence(embeddings[in_ordinary], labels[in_ordinary])
    by_id = {t.id: t for t in ordinary}
    if scores:
        worst = min(scores, key=lambda t: scores[t])
        least = (by_id[worst].label, scores[worst])
        largest = max(ordinary, key=lambda t: int((labels == t.id).sum()))
        ranked = sorted(scores.values(), reverse=True)
        top_half = scores[largest.id] >= ranked[(len(ranked) - 1) // 2]
        share = (round(float((labels == largest.id).sum()) / len(labels), 4), top_half)
    else:
        least, share = ("", 0.0), (0.0, True)
    vectors = embedder.embed([t.label for t in ordinary]) if ordinary else np.zeros((0, 1))
    fit = label_fit(
        embeddings[in_ordinary],
        labels[in_ordinary],
        {t.id: v for t, v in zip(ordinary, vectors, strict=True)},
    )
    # whatever was asked: a theme of "couldn't have asked for more" is one a reader would see
    said_nothing = find_no_change(texts, embeddings, embedder, threshold=0.65, takes_no=True)
    nothing = [
        t.label
        for t in ordinary
        if (labels == t.id).any() and said_nothing[labels == t.id].mean() >= 0.4
    ]
    people = sorted(corpus_names(texts, share=CHECK_NAME_SHARE))

    def named(text: str) -> bool:
        return contains_name(text, people, model=False)

    name_labels = tuple(t.label for t in ordinary if named(t.label) or any(map(named, t.keywords)))
    group = sum(1 for a in labels if a >= 0 and a not in ordinary_ids) / max(1, len(labels))
    return ThemeChecks(fit, least, share, round(group, 4), tuple(nothing), name_labels)


def _plain_bertopic(
    texts: list[str], embeddings: np.ndarray, seed: int
) -> tuple[list[int], list[str]]:
    """BERTopic with library defaults, a seeded UMAP and the same embeddings."""
    import warnings

    from bertopic import BERTopic
    from umap import UMAP

    model = BERTopic(
        umap_model=UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
    )
    with warnings.catch_warnings():  # UMAP says a seed means one thread: that is the point
        warnings.filterwarnings("ignore", message="n_jobs value", category=UserWarning)
        topics, _ = model.fit_transform(texts, embeddings=embeddings)
    names = {row.Topic: row.Name for row in model.get_topic_info().itertuples()}
    top = max(topics, default=-1)
    return [int(t) for t in topics], [names.get(i, str(i)) for i in range(top + 1)]


def evaluate_themes(
    path: str | Path,
    embedder: Embedder,
    *,
    text_column: str = "text",
    label_column: str = "label",
    separator: str = ";",
    config: AnalysisConfig | None = None,
    seeds: Sequence[int] = (42,),
    baseline: bool = True,
    single_label: bool = True,
    cache: EmbeddingCache | None = None,
    group_column: str | None = None,
    simulate: Sequence[int] = (),
    labeller: Embedder | None = None,
    reader: Embedder | None = None,
    resamples: int = 0,
) -> QualityReport:
    """Run the themes pipeline (and plain BERTopic) once per seed on the labelled rows and score
    each run against the labels; with several seeds, also the ARI between runs. With
    ``group_column`` (coarser labels, e.g. major categories), the broad themes are scored
    against it too, as method 'themes, broad'. With ``simulate`` (numbers of corrections), a
    simulated reviewer corrects the first seed's themes and accepts the suggestions they teach
    (``themes.evaluation.reviewer_simulation``). ``labeller`` labels the themes
    (``analyse_responses``); the reader checks read the themes with ``reader``, else
    ``labeller``, else ``embedder``: the model as shipped, whatever found the themes. With
    ``resamples``, each seed also runs on that many resamples that leave out ``LEAVE_OUT`` of
    the answers at random (the same rows for every seed), for the spread of each score."""
    config = config or AnalysisConfig()
    table = read_table(path)
    columns = [(text_column, "text"), (label_column, "label")]
    if group_column:
        columns.append((group_column, "group label"))
    for column, kind in columns:
        if column not in table.frame.columns:
            raise unknown_column(kind, column, table.columns)
    coarse_column = table.frame[group_column] if group_column else [""] * len(table.frame)
    texts, gold, coarse = [], [], []
    gold_sets: list[set[str]] = []
    for text, raw, group in zip(
        table.frame[text_column], table.frame[label_column], coarse_column, strict=True
    ):
        labels = [p.strip() for p in str(raw).split(separator) if p.strip()]
        if not labels or (single_label and len(labels) > 1) or not text.strip():
            continue
        if classify(text) is not RowStatus.TEXT:
            continue  # 'n/a', 'no comment': not themed by design
        texts.append(text.strip())
        gold.append(labels[0])
        gold_sets.append(set(labels))
        coarse.append(str(group).split(separator)[0].strip())
    if len(texts) < 20:
        raise InputError(
            f"Only {len(texts)} labelled answers in {table.source}; evaluation needs at least 20."
        )
    embeddings, _ = embed_texts(texts, embedder, cache)
    reader = reader or labeller or embedder
    read = embeddings if reader is embedder else embed_texts(texts, reader, cache)[0]
    runs: list[Agreement] = []
    simulation: list[SimulatedStep] = []
    sample = _Labelled(text_column, table.source, texts, gold, gold_sets, coarse)
    for seed in seeds:
        found, assigned = _score_seed(
            sample, seed, config, embedder, cache, labeller, read, reader, group_column
        )
        runs += found
        for k in range(1, resamples + 1):
            kept = _resample_rows(len(texts), k)
            part = _Labelled(
                sample.question,
                sample.source,
                [texts[i] for i in kept],
                [gold[i] for i in kept],
                [gold_sets[i] for i in kept],
                [coarse[i] for i in kept],
            )
            again, _ = _score_seed(
                part, seed, config, embedder, cache, labeller, read[kept], reader, group_column
            )
            runs += [replace(run, resample=k) for run in again]
        if simulate and not simulation:
            unit = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
            simulation = simulate_reviewer(unit, gold, assigned, simulate)
        if baseline:
            started = time.perf_counter()
            topics, names = _plain_bertopic(texts, embeddings, seed)
            runs.append(
                _scores("plain BERTopic", seed, gold, topics, names, time.perf_counter() - started)
            )
    stability: dict[str, tuple[float, float, int, int]] = {}
    if len(seeds) > 1:
        from sklearn.metrics import adjusted_rand_score

        for method in sorted({r.method for r in runs}):
            mine = [r for r in runs if r.method == method and not r.resample]
            aris = [
                adjusted_rand_score(a.assignments, b.assignments)
                for a, b in itertools.combinations(mine, 2)
            ]
            counts = [r.themes for r in mine]
            stability[method] = (
                round(float(np.mean(aris)), 4),
                round(float(min(aris)), 4),
                min(counts),
                max(counts),
            )
    return QualityReport(
        table.source,
        label_column,
        len(texts),
        len(set(gold)),
        tuple(runs),
        stability,
        group_column or "",
        len(set(coarse)) if group_column else 0,
        tuple(simulation),
    )


@dataclass(frozen=True)
class _Labelled:
    """The labelled answers an evaluation runs on, from ``source``'s ``question`` column: text,
    first label, every label, and the coarser label (or '')."""

    question: str
    source: str
    texts: list[str]
    gold: list[str]
    gold_sets: list[set[str]]
    coarse: list[str]


def _resample_rows(n: int, k: int) -> np.ndarray:
    """The rows the ``k``-th resample keeps: all but a random ``LEAVE_OUT`` of ``n`` (at least
    one left out), in their order."""
    out = max(1, round(LEAVE_OUT * n))
    dropped = np.random.default_rng(k).choice(n, size=out, replace=False)
    return np.setdiff1d(np.arange(n), dropped)


def _score_seed(
    sample: _Labelled,
    seed: int,
    config: AnalysisConfig,
    embedder: Embedder,
    cache: EmbeddingCache | None,
    labeller: Embedder | None,
    read: np.ndarray,
    reader: Embedder,
    group_column: str | None,
) -> tuple[list[Agreement], list[int]]:
    """One analysis of ``sample`` with ``seed``, scored: the themes run (and the broad themes
    against the coarse labels with ``group_column``), and each answer's theme (-1 for none)."""
    texts, gold = sample.texts, sample.gold
    responses = Responses(
        sample.question,
        tuple(Response(i + 1, str(i + 1), t) for i, t in enumerate(texts)),
        sample.source,
    )
    started = time.perf_counter()
    result = analyse_responses(
        responses, replace(config, seed=seed), embedder=embedder, cache=cache, labeller=labeller
    )
    by_row = {r.row: r for r in result.rows}
    assigned = [
        by_row[i + 1].theme_id if by_row[i + 1].outcome is Outcome.THEMED else -1
        for i in range(len(texts))
    ]
    ids = sorted({a for a in assigned if a is not None and a >= 0})
    label_of = {t.id: t.label for t in result.themes}
    dense = {old: new for new, old in enumerate(ids)}
    seconds = time.perf_counter() - started
    also = [by_row[i + 1].also for i in range(len(texts))]
    main_only, with_mentions = label_sets_f1(
        sample.gold_sets, [a if a is not None else -1 for a in assigned], also
    )
    themes_run = _scores(
        "themes",
        seed,
        gold,
        [dense[a] if a is not None and a >= 0 else -1 for a in assigned],
        [label_of[i] for i in ids],
        seconds,
    )
    runs = [
        replace(
            themes_run,
            labels_main=main_only,
            labels_with_mentions=with_mentions,
            mentioning=round(sum(1 for a in also if a) / len(texts), 4),
            checks=theme_checks(result.themes, assigned, texts, read, reader),
        )
    ]
    if group_column:
        # the 'nothing needs to change' group is a broad group of its own to a reader
        group_of = {t.id: t.group or (t.label if t.kind else "") for t in result.themes}
        names = sorted({g for g in group_of.values() if g})
        number = {name: i for i, name in enumerate(names)}
        runs.append(
            _scores(
                "themes, broad",
                seed,
                sample.coarse,
                [
                    number[group_of[a]] if a is not None and a >= 0 and group_of[a] else -1
                    for a in assigned
                ],
                names,
                seconds,
            )
        )
    return runs, [a if a is not None else -1 for a in assigned]


def spread_lines(runs: Sequence[Agreement]) -> list[str]:
    """Per method with resampled runs: the mean, standard deviation and range of its scores over
    every run (all seeds, the full set and its resamples)."""
    lines = []
    for method in sorted({r.method for r in runs if r.resample}):
        mine = [r for r in runs if r.method == method]
        scores = {
            "NMI all": [r.nmi_all for r in mine],
            "ARI all": [r.ari_all for r in mine],
            "unassigned": [r.unassigned for r in mine],
        }
        fits = [r.checks.label_fit for r in mine if r.checks is not None]
        if fits:
            scores["label fit"] = fits
        resamples = max(r.resample for r in mine)
        seeds = len({r.seed for r in mine})
        parts = [
            f"{name} {np.mean(v):.3f} ± {np.std(v):.3f} ({min(v):.3f}-{max(v):.3f})"
            for name, v in scores.items()
        ]
        lines.append(
            f"spread, {method} ({len(mine)} runs: {seeds} seeds x the full set and "
            f"{resamples} resamples leaving out {LEAVE_OUT:.0%}): " + "; ".join(parts)
        )
    return lines


def quality_text(report: QualityReport, purity_rows: int = 12) -> str:
    """The report for the terminal."""
    lines = [
        f"{report.source}: {report.rows} labelled answers, {report.labels} human labels "
        f"('{report.label_column}')"
        + (
            f"; broad themes scored against {report.groups} labels in '{report.group_column}'"
            if report.group_column
            else ""
        ),
        "",
        f"{'method':<16}{'seed':>6}{'themes':>8}{'unassigned':>12}{'NMI':>7}{'ARI':>7}"
        f"{'homog':>7}{'compl':>7}{'NMI all':>9}{'ARI all':>9}{'secs':>7}",
    ]
    full = [r for r in report.runs if not r.resample]
    for r in full:
        lines.append(
            f"{r.method:<16}{r.seed:>6}{r.themes:>8}{r.unassigned:>12.1%}{r.nmi_assigned:>7.3f}"
            f"{r.ari_assigned:>7.3f}{r.homogeneity_assigned:>7.3f}{r.completeness_assigned:>7.3f}"
            f"{r.nmi_all:>9.3f}{r.ari_all:>9.3f}{r.seconds:>7.1f}"
        )
    for method, (mean, low, fewest, most) in report.stability.items():
        lines.append(
            f"stability, {method}: ARI between seeds mean {mean:.3f} (lowest {low:.3f}); "
            f"{fewest}-{most} themes"
        )
    lines += spread_lines(report.runs)
    for r in full:
        if r.labels_main:
            (p0, r0, f0), (p1, r1, f1) = r.labels_main, r.labels_with_mentions
            lines.append(
                f"labels, seed {r.seed} (each theme as its commonest label, all of an answer's "
                f"labels): main theme P {p0:.3f} R {r0:.3f} F1 {f0:.3f}; with the themes "
                f"{r.mentioning:.1%} of answers also mention P {p1:.3f} R {r1:.3f} F1 {f1:.3f}"
            )
    for r in full:
        if r.checks is not None:
            c = r.checks
            lines.append(
                f"reader checks, seed {r.seed}: label fit {c.label_fit:.3f}; least coherent "
                f"{c.least_coherent[1]:.3f} ({c.least_coherent[0][:40]!r}); largest theme "
                f"{c.largest_share[0]:.1%} of answers (coherence "
                f"{'in' if c.largest_share[1] else 'below'} the top half); 'nothing to change' "
                f"group {c.no_change_group:.1%}; 'nothing' themes {len(c.nothing_themes)}"
                + (f" {list(c.nothing_themes)}" if c.nothing_themes else "")
                + f"; labels with a name {len(c.name_labels)}"
                + (f" {list(c.name_labels)}" if c.name_labels else "")
            )
    first = next((r for r in full if r.method == "themes"), None)
    if first is not None:
        lines += [
            "",
            f"Purity of the themes (seed {first.seed}): theme, size, dominant label, share",
        ]
        for theme, size, label, share in first.purity[:purity_rows]:
            lines.append(f"  {theme[:40]:<40} {size:>5}  {label[:40]:<40} {share:.0%}")
    if report.simulation:
        lines += ["", simulation_text(report.simulation)]
    return "\n".join(lines)
