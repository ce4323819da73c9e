"""Measure framework mapping against human labels: top-1 accuracy, micro and macro F1, per-category
scores and the worst confusions, for our scoring and for the plain baseline, in one run."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from themes.analysis.cache import EmbeddingCache, embed_texts
from themes.analysis.embedding import Embedder
from themes.core.errors import InputError, unknown_column
from themes.frameworks.framework import Framework
from themes.frameworks.mapping import (
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    TOP_K,
    ItemVectors,
    choose_links,
    embed_framework,
    link_threshold,
    score_matrix,
)
from themes.ingest.reading import read_table


@dataclass(frozen=True)
class MappingScores:
    """How well one scoring method agrees with human labels."""

    method: str
    rows: int
    single_label_rows: int
    top1_accuracy: float
    micro_f1: float
    macro_f1: float
    per_category: list[dict[str, Any]] = field(default_factory=list)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class MappingEvaluation:
    source: str
    framework: str
    model: str
    methods: list[MappingScores]
    unknown_labels: dict[str, int]
    seconds: float


def score_predictions(
    method: str,
    gold: list[set[str]],
    scores: np.ndarray,
    names: list[str],
    threshold: float,
    margin: float,
) -> MappingScores:
    """Compare predicted item names with gold label sets (multi-label), over every framework
    item (``names``): a prediction of an item no human used is a false positive. Micro F1 pools
    every item; macro F1 is the mean, unrounded, of the items that humans used (an item nobody
    used has no recall to speak of); per-item rows list those items."""
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.preprocessing import MultiLabelBinarizer

    predicted = [{names[j] for j in chosen} for chosen in choose_links(scores, threshold, margin)]
    top1 = [names[int(np.argmax(row))] for row in scores]
    single = [i for i, g in enumerate(gold) if len(g) == 1]
    accuracy = sum(top1[i] in gold[i] for i in single) / len(single) if single else 0.0
    binary = MultiLabelBinarizer(classes=list(dict.fromkeys(names)))  # items sharing a name: one
    truth = binary.fit_transform(gold)
    guess = binary.transform(predicted)
    if truth.shape[1] == 1:  # one column reads as binary 0/1 labels: add an unused item
        truth, guess = (np.hstack([m, np.zeros_like(m)]) for m in (truth, guess))
    _, _, micro, _ = precision_recall_fscore_support(truth, guess, average="micro", zero_division=0)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, average=None, zero_division=0
    )
    used = [k for k, n in enumerate(support) if n > 0]
    items = [str(c) for c in binary.classes_]
    per_category: list[dict[str, Any]] = [
        {
            "category": items[k],
            "support": int(support[k]),
            "precision": round(float(precision[k]), 3),
            "recall": round(float(recall[k]), 3),
            "f1": round(float(f1[k]), 3),
        }
        for k in sorted(used, key=lambda k: items[k])
    ]
    macro = float(np.mean([f1[k] for k in used])) if used else 0.0
    confusions = Counter((next(iter(gold[i])), top1[i]) for i in single if top1[i] not in gold[i])
    return MappingScores(
        method,
        len(gold),
        len(single),
        round(accuracy, 3),
        round(float(micro), 3),
        round(macro, 3),
        per_category,
        [(a, b, n) for (a, b), n in confusions.most_common(8)],
    )


def evaluate_mapping(
    path: str | Path,
    framework: Framework,
    embedder: Embedder,
    *,
    text_column: str = "text",
    label_column: str = "labels",
    separator: str = ";",
    cache: EmbeddingCache | None = None,
    threshold: float | None = None,
    margin: float = DEFAULT_MARGIN,
    top_k: int = TOP_K,
    tuned: Embedder | None = None,
) -> MappingEvaluation:
    """Score zero-shot mapping of labelled responses onto the framework's leaf items: the plain
    baseline and our scoring with ``embedder``, and with ``tuned`` (the model tuned to the
    framework's own text, ``themes.frameworks.tuning``) when given. ``threshold`` defaults to
    each model's own (``link_threshold``)."""
    started = time.perf_counter()
    table = read_table(path)
    for column, kind in ((text_column, "text"), (label_column, "label")):
        if column not in table.frame.columns:
            raise unknown_column(kind, column, table.columns)
    leaves = [i for i in framework.items if not framework.children(i.id)]
    names = [i.name for i in leaves]
    by_name = {n.lower(): n for n in names}
    texts, gold, unknown = [], [], Counter[str]()
    for text, labels in zip(table.frame[text_column], table.frame[label_column], strict=True):
        found = set()
        for label in (part.strip() for part in labels.split(separator)):
            if not label:
                continue
            if label.lower() in by_name:
                found.add(by_name[label.lower()])
            else:
                unknown[label] += 1
        if text.strip() and found:
            texts.append(text.strip())
            gold.append(found)
    if not texts:
        raise InputError(
            f"No row of {table.source} has a label matching a framework item name. Labels must "
            f"equal item names such as {', '.join(repr(n) for n in names[:3])}."
        )
    index = [framework.items.index(item) for item in leaves]

    def leaf_vectors(model: Embedder) -> ItemVectors:
        full = embed_framework(framework, model, cache)
        return ItemVectors(
            tuple(leaves),
            tuple(full.texts[i] for i in index),
            tuple(full.vectors[i] for i in index),
        )

    embeddings, _ = embed_texts(texts, embedder, cache)
    ours = leaf_vectors(embedder)
    heads = ItemVectors(
        tuple(leaves), tuple(t[:1] for t in ours.texts), tuple(v[:1] for v in ours.vectors)
    )
    methods = [
        score_predictions(
            "baseline: name + description only",
            gold,
            score_matrix(embeddings, heads, 1),
            names,
            DEFAULT_THRESHOLD if threshold is None else threshold,
            margin,
        ),
        score_predictions(
            f"themes: top-{top_k} mean over description and examples",
            gold,
            score_matrix(embeddings, ours, top_k),
            names,
            link_threshold(embedder) if threshold is None else threshold,
            margin,
        ),
    ]
    if tuned is not None and tuned.model_id != embedder.model_id:
        tuned_embeddings, _ = embed_texts(texts, tuned, cache)
        methods.append(
            score_predictions(
                f"themes, model tuned to the framework's text: top-{top_k} mean",
                gold,
                score_matrix(tuned_embeddings, leaf_vectors(tuned), top_k),
                names,
                link_threshold(tuned) if threshold is None else threshold,
                margin,
            )
        )
    return MappingEvaluation(
        table.source,
        framework.name,
        embedder.model_id,
        methods,
        dict(unknown),
        round(time.perf_counter() - started, 1),
    )


def evaluation_text(evaluation: MappingEvaluation) -> str:
    """The evaluation as a plain-text report."""
    lines = [
        f"{evaluation.source} against {evaluation.framework} (model {evaluation.model}), "
        f"{evaluation.seconds:.1f} s"
    ]
    if evaluation.unknown_labels:
        lines.append(f"Labels not in the framework (ignored): {evaluation.unknown_labels}")
    for method in evaluation.methods:
        lines += [
            "",
            f"{method.method}: {method.rows} labelled rows ({method.single_label_rows} single-label)",
            f"  top-1 accuracy (single-label rows) {method.top1_accuracy:.3f}   "
            f"micro F1 {method.micro_f1:.3f}   macro F1 {method.macro_f1:.3f}",
            "  worst confusions (human -> predicted, count): "
            + "; ".join(f"{a} -> {b} ({n})" for a, b, n in method.confusions[:5]),
        ]
    last = evaluation.methods[-1]
    lines += ["", f"Per category ({last.method}):"]
    for row in sorted(last.per_category, key=lambda r: r["f1"]):
        lines.append(
            f"  {row['category'][:45]:<45} n={row['support']:>4}  P {row['precision']:.2f}  "
            f"R {row['recall']:.2f}  F1 {row['f1']:.2f}"
        )
    return "\n".join(lines)
