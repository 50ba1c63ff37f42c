"""Quality gate on synthetic reposts of real BBC articles, with ECB+ same-event articles as distractors.

Each base article gets 0-3 noisy copies (boilerplate, glued words, typos, hard wraps with hyphenated
breaks, curly quotes and entities, datelines, changed headline, dropped or added paragraph, abridged).
Base articles that are already near-duplicates of each other in BBC (the set has some) are thinned to one
per group first, and links between unlabelled originals (ECB+ holds real reposts of wire stories) are
left out of the score, so only synthetic copies and clear non-copies are judged.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from collections import defaultdict
from collections.abc import Sequence

import pytest
from copies_noise import noisy_copy

from storyline.copies import find_copies
from storyline.evaluate.copysets import default_data_dir

DATA = default_data_dir()
FLOORS = {"precision": 0.95, "f1": 0.90}


def _load(name: str) -> list[dict[str, str]]:
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"{path} not found (shared data set)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _pairs(labels: Sequence[int]) -> set[tuple[int, int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {pair for members in groups.values() for pair in itertools.combinations(members, 2)}


def test_synthetic_reposts_pairwise_f1() -> None:
    rng = random.Random(11)
    bbc = [row["text"] for row in _load("bbc/bbc.jsonl.gz")]
    ecb = [row["text"] for row in _load("ecbplus/ecbplus-dev.jsonl.gz")]
    pool = rng.sample(bbc, 400)
    first_of_group: dict[int, str] = {}
    for text, label in zip(pool, find_copies(pool), strict=True):
        first_of_group.setdefault(label, text)
    docs, gold, synthetic = [], [], []
    for g, text in enumerate(list(first_of_group.values())[:250]):
        for k in range(1 + rng.choice([0, 1, 1, 2, 3])):
            docs.append(noisy_copy(text, rng) if k else text)
            gold.append(g)
            synthetic.append(k > 0)
    for i, text in enumerate(ecb):
        docs.append(text)
        gold.append(-1 - i)
        synthetic.append(False)
    truth = _pairs(gold)
    found = {p for p in _pairs(find_copies(docs)) if p in truth or synthetic[p[0]] or synthetic[p[1]]}
    hits = len(truth & found)
    precision, recall = hits / max(len(found), 1), hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"pairs {len(truth)} found {len(found)} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    assert precision >= FLOORS["precision"] and f1 >= FLOORS["f1"]
