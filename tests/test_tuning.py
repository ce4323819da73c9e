"""Framework-tuned embeddings: the training pairs and batches, the key the tuned model is kept
under, and (real model) that tuning on a framework's own text brings new phrases nearer their
item and is done once."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from themes.analysis.embedding import HashingEmbedder, SentenceTransformerEmbedder
from themes.frameworks.framework import parse_framework_toml
from themes.frameworks.tuning import (
    framework_embedder,
    framework_fingerprint,
    training_batches,
    training_pairs,
    tunable,
    tune_model,
    tuned_model_dir,
)

FRAMEWORK = """
[framework]
name = "Small strategy"

[[items]]
id = "P1"
kind = "pillar"
name = "Getting there"
description = "Parking, buses and travel to appointments."
examples = ["nowhere to park at the hospital", "the car park is too expensive",
            "no bus to the surgery", "parking charges are a rip off", "hard to get there by bus"]

[[items]]
id = "P1.1"
kind = "focus_area"
parent = "P1"
name = "Hospital transport"
description = "Patient transport services."
examples = ["the patient transport never came", "waited hours for hospital transport"]

[[items]]
id = "P2"
kind = "pillar"
name = "Kind staff"
description = "Nurses, doctors and receptionists who are caring and polite."
examples = ["the nurses were lovely", "receptionist was rude to me", "doctor really listened",
            "staff treated me with dignity", "very caring midwives"]

[[items]]
id = "P3"
kind = "pillar"
name = "Food on the ward"
description = "Meals, drinks and snacks for patients."
examples = ["the food was cold", "no vegetarian meals", "tea and toast were lovely",
            "menu needs more choice", "meals arrived late"]

[[items]]
id = "U1"
kind = "unifying_theme"
name = "Smoking"
"""


def small_framework(extra: str = ""):  # type: ignore[no-untyped-def]
    return parse_framework_toml(FRAMEWORK.replace("tea and toast", f"tea and toast{extra}"))


def test_each_example_is_paired_with_its_own_items_name_and_description() -> None:
    pairs = training_pairs(small_framework())
    assert len(pairs) == 5 + 2 + 5 + 5  # the smoking item has no examples
    parking = [p for p in pairs if p.anchor == "nowhere to park at the hospital"]
    assert parking[0].positive == "Getting there: Parking, buses and travel to appointments."
    assert {p.item for p in pairs} == {"P1", "P1.1", "P2", "P3"}


def test_a_batch_never_holds_one_item_twice_nor_an_item_with_its_parent() -> None:
    framework = small_framework()
    pairs = training_pairs(framework)
    for seed in range(20):
        batches = training_batches(framework, pairs, 32, random.Random(seed))
        for batch in batches:
            items = [p.item for p in batch]
            assert len(items) == len(set(items))
            assert not {"P1", "P1.1"} <= set(items)  # a focus area and its own pillar
        used = [p.anchor for b in batches for p in b]
        assert len(used) == len(set(used))
        # a pair is left out only when every batch already holds its item or a relative of it
        family = {"P1": {"P1", "P1.1"}, "P1.1": {"P1", "P1.1"}}
        for pair in pairs:
            if pair.anchor not in used:
                related = family.get(pair.item, {pair.item})
                assert all(related & {p.item for p in b} for b in batches)
        assert len(used) >= len(pairs) - 2


def test_batches_respect_the_size() -> None:
    framework = small_framework()
    batches = training_batches(framework, training_pairs(framework), 2, random.Random(0))
    assert all(len(b) == 2 for b in batches)


def test_a_framework_needs_two_items_with_examples_to_be_tuned_on() -> None:
    assert tunable(small_framework())
    lone = parse_framework_toml(
        '[framework]\nname = "x"\n[[items]]\nid = "A"\nkind = "pillar"\nname = "A"\n'
        'examples = ["one", "two"]\n[[items]]\nid = "B"\nkind = "pillar"\nname = "B"\n'
    )
    assert not tunable(lone)


def test_the_tuned_model_is_keyed_by_the_frameworks_text() -> None:
    base = SentenceTransformerEmbedder()
    one, same, edited = small_framework(), small_framework(), small_framework(" please")
    assert framework_fingerprint(one) == framework_fingerprint(same)
    assert framework_fingerprint(one) != framework_fingerprint(edited)
    assert tuned_model_dir(one, base) == tuned_model_dir(same, base)
    assert tuned_model_dir(one, base) != tuned_model_dir(edited, base)
    assert tuned_model_dir(one, base).name.startswith("all-MiniLM-L6-v2+")
    # tuned from the full-precision weights either way: the 8-bit variant shares the model
    assert tuned_model_dir(one, SentenceTransformerEmbedder(int8=True)) == tuned_model_dir(
        one, base
    )


def test_the_cli_offers_every_use_of_the_tuned_model() -> None:
    from themes.cli.parser import _TUNINGS
    from themes.frameworks.tuning import TUNINGS

    assert _TUNINGS == TUNINGS


def test_the_hashing_embedder_is_used_as_it_is() -> None:
    embedder = HashingEmbedder()
    assert framework_embedder(small_framework(), embedder) is embedder


@pytest.mark.model
def test_tuning_brings_new_phrases_nearer_their_item_and_is_done_once() -> None:
    framework = small_framework()
    base = SentenceTransformerEmbedder()
    messages: list[str] = []
    tuned = framework_embedder(framework, base, lambda m, f: messages.append(m))
    assert tuned.model_id != base.model_id and "+" in tuned.model_id
    assert messages and "Tuning the model to Small strategy" in messages[-1]
    folder = tuned_model_dir(framework, base)
    assert (folder / "tuning.json").is_file()

    heads = [item.texts()[0] for item in framework.items[:4] if item.id != "P1.1"]
    unseen = {  # phrases the training never saw -> index of their item in ``heads``
        "could not find a parking space": 0,
        "the bus only runs twice a day": 0,
        "the healthcare assistant was so gentle": 1,
        "the consultant explained everything kindly": 1,
        "sandwiches were stale": 2,
        "nothing hot to eat after 6pm": 2,
    }

    def margin(embedder) -> float:  # type: ignore[no-untyped-def]
        phrases = embedder.embed(list(unseen))
        targets = embedder.embed(heads)
        sims = phrases @ targets.T
        own = np.array([sims[i, j] for i, j in enumerate(unseen.values())])
        other = np.array(
            [max(s for k, s in enumerate(sims[i]) if k != j) for i, j in enumerate(unseen.values())]
        )
        return float(np.mean(own - other))

    assert margin(tuned) > margin(base)

    started = time.perf_counter()
    again = tune_model(framework, base, lambda m, f: messages.append(m))
    assert again == folder and time.perf_counter() - started < 1.0
