"""Framework-tuned embeddings: the sentence model fine-tuned on one framework's own text, so that
answers about an item sit nearer that item's examples than a general-purpose model puts them.

Only the framework's text is used (each example phrase paired with its item's name and
description, other items in the same batch as negatives: sentence-transformers'
MultipleNegativesRankingLoss, as in SetFit); no answers and no human labels. The tuned model is
kept under the cache folder, keyed by the base model's files, the framework's text and the
recipe, so it is built once per framework (about 2 minutes for 33 items and 650 examples on
2 CPU cores; eval/RESULTS.md) and reused by every later mapping, analysis and evaluation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from themes.analysis.embedding import (
    INT8_SUFFIX,
    Embedder,
    SentenceTransformerEmbedder,
    offline_and_quiet,
)
from themes.core.data_dirs import cache_dir
from themes.core.errors import InputError
from themes.core.progress import ProgressFn, no_progress
from themes.frameworks.framework import Framework, FrameworkItem

log = logging.getLogger(__name__)

TUNINGS = ("off", "mapping", "themes")
"""What a framework-tuned model is used for: nothing, linking answers and themes to the
framework's items (the default), or that and finding the themes too."""
DEFAULT_TUNING = "mapping"


def check_tuning(tuning: str) -> str:
    """``tuning`` when it is one of ``TUNINGS``, else an error that lists them."""
    if tuning not in TUNINGS:
        raise InputError(
            f"Unknown tuning {tuning!r}: use 'off' (the model as shipped), 'mapping' (a model "
            "tuned to the framework links answers and themes to its items; the default) or "
            "'themes' (the tuned model also finds the themes)."
        )
    return tuning


@dataclass(frozen=True)
class Recipe:
    """How a model is tuned; part of the tuned model's key, so a change builds a new one."""

    epochs: int = 3
    learning_rate: float = 5e-5
    batch_size: int = 32
    max_seq_length: int = 64
    seed: int = 0
    version: int = 1


RECIPE = Recipe()
TUNING_RECORD = "tuning.json"  # in a tuned model's folder: what it was tuned from, and how


@dataclass(frozen=True)
class Pair:
    """An example phrase, the text it should sit near, and the item it belongs to."""

    anchor: str
    positive: str
    item: str


def training_pairs(framework: Framework) -> list[Pair]:
    """Each example phrase paired with its own item's "name: description"."""
    pairs: list[Pair] = []
    for item in framework.items:
        head = item.texts()[0]
        pairs.extend(Pair(example, head, item.id) for example in item.examples if example != head)
    return pairs


def _lineage(framework: Framework, item: FrameworkItem) -> set[str]:
    """The item and every item above it."""
    found = {item.id}
    while item.parent is not None:
        item = framework.item(item.parent)
        found.add(item.id)
    return found


def training_batches(
    framework: Framework, pairs: list[Pair], size: int, rng: random.Random
) -> list[list[Pair]]:
    """Shuffled batches in which no two pairs share an item or an item and its ancestor: every
    other pair in a batch is a true negative (a focus area's example is not evidence against
    its own pillar)."""
    lineage = {item.id: _lineage(framework, item) for item in framework.items}

    def fits(pair: Pair, batch: list[Pair]) -> bool:
        return len(batch) < size and all(
            pair.item not in lineage[other.item] and other.item not in lineage[pair.item]
            for other in batch
        )

    pool = list(pairs)
    rng.shuffle(pool)
    batches: list[list[Pair]] = []
    while pool:
        batch: list[Pair] = []
        rest: list[Pair] = []
        for pair in pool:
            (batch if fits(pair, batch) else rest).append(pair)
        batches.append(batch)
        pool = rest
    kept: list[list[Pair]] = []
    for batch in batches:  # a pair left alone joins an earlier batch where it fits
        if len(batch) == 1:
            home = next((b for b in kept if fits(batch[0], b)), None)
            if home is not None:
                home.append(batch[0])
                continue
        kept.append(batch)
    return [b for b in kept if len(b) >= 2]


def tunable(framework: Framework) -> bool:
    """Tuning needs at least two items with examples (the rest of a batch are the negatives)."""
    return len({p.item for p in training_pairs(framework)}) >= 2


def framework_fingerprint(framework: Framework) -> str:
    """A hash of every item's text and place: changes when any of it does."""
    digest = hashlib.sha256()
    for item in framework.items:
        fields = (
            item.id,
            item.kind,
            item.parent or "",
            item.name,
            item.description,
            *item.examples,
        )
        digest.update("\x1f".join(fields).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:16]


def tuned_model_dir(framework: Framework, base: SentenceTransformerEmbedder) -> Path:
    """Where the model tuned from ``base`` to ``framework`` is kept."""
    key = hashlib.sha256(
        json.dumps(
            # tuned from the full-precision weights either way: ':int8' shares the float's model
            [
                base.model_id.replace(INT8_SUFFIX, ""),
                framework_fingerprint(framework),
                vars(RECIPE),
            ],
            sort_keys=True,
        ).encode()
    ).hexdigest()[:12]
    base_name = Path(base.name).name
    return cache_dir() / "tuned-models" / f"{base_name}+{_slug(framework.id)}-{key}"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)[:40] or "framework"


def tune_model(
    framework: Framework,
    base: SentenceTransformerEmbedder,
    progress: ProgressFn = no_progress,
) -> Path:
    """The folder of ``base`` tuned to ``framework``: built once (written to a temporary folder
    and renamed into place, so an interrupted run leaves nothing half-made), then reused."""
    target = tuned_model_dir(framework, base)
    if (target / TUNING_RECORD).is_file():
        return target
    offline_and_quiet()
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.losses import MultipleNegativesRankingLoss

    started = time.perf_counter()
    pairs = training_pairs(framework)
    rng = random.Random(RECIPE.seed)
    torch.manual_seed(RECIPE.seed)
    model: Any = SentenceTransformer(str(base.path), device="cpu", local_files_only=True)
    longest = model.max_seq_length
    model.max_seq_length = RECIPE.max_seq_length  # examples are short; training is faster
    loss = MultipleNegativesRankingLoss(model)
    optimiser = torch.optim.AdamW(model.parameters(), lr=RECIPE.learning_rate)
    plan = [
        training_batches(framework, pairs, RECIPE.batch_size, rng) for _ in range(RECIPE.epochs)
    ]
    total = sum(len(epoch) for epoch in plan)
    done = 0
    model.train()
    for epoch in plan:
        for batch in epoch:
            features = [
                model.preprocess([p.anchor for p in batch]),
                model.preprocess([p.positive for p in batch]),
            ]
            value = loss(features, None)
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            done += 1
            progress(
                f"Tuning the model to {framework.name}: step {done} of {total} "
                "(once per framework)",
                done / total,
            )
    model.eval()
    model.max_seq_length = longest  # answers are embedded as long as the base model allows
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{time.time_ns()}")
    model.save(str(temporary))
    seconds = round(time.perf_counter() - started, 1)
    (temporary / TUNING_RECORD).write_text(
        json.dumps(
            {
                "base_model": base.model_id,
                "framework": framework.id,
                "framework_name": framework.name,
                "framework_fingerprint": framework_fingerprint(framework),
                "recipe": vars(RECIPE),
                "pairs": len(pairs),
                "steps": total,
                "seconds": seconds,
            },
            indent=2,
        )
    )
    try:
        temporary.rename(target)
    except OSError:  # another process finished the same model first: keep theirs
        shutil.rmtree(temporary, ignore_errors=True)
    log.info("Tuned %s to %s in %.0f s (%d pairs)", base.name, framework.name, seconds, len(pairs))
    return target


def is_tuned(embedder: Embedder) -> bool:
    """Whether ``embedder`` is a model tuned by ``tune_model``."""
    path = getattr(embedder, "path", None)
    return isinstance(path, Path) and (path / TUNING_RECORD).is_file()


def framework_embedder(
    framework: Framework,
    embedder: Embedder,
    progress: ProgressFn = no_progress,
) -> Embedder:
    """``embedder`` tuned to ``framework`` (built on first use); ``embedder`` itself when it is
    not a sentence-transformers model (the tests' hashing embedder) or the framework has too
    few examples to tune on."""
    if not isinstance(embedder, SentenceTransformerEmbedder) or not tunable(framework):
        return embedder
    folder = tune_model(framework, embedder, progress)
    return SentenceTransformerEmbedder(
        model=str(folder),
        batch_size=embedder.batch_size,
        device=embedder.device,
        int8=embedder.int8,
    )
