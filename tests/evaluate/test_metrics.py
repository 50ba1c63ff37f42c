"""Clustering scores: exact against brute-force pair enumeration and against scikit-learn."""

from __future__ import annotations

import random
import time
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import pair_confusion_matrix

from storyline.evaluate.metrics import (
    PRF,
    PairCounts,
    adjusted_rand_index,
    bcubed,
    pair_counts,
    pairwise_prf,
    score_clustering,
)

labelings = st.integers(min_value=0, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
    )
)


def brute_pairs(gold: list[int], pred: list[int]) -> PairCounts:
    tp = fp = fn = tn = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold, same_pred = gold[i] == gold[j], pred[i] == pred[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
        tn += not same_gold and not same_pred
    return PairCounts(tp, fp, fn, tn)


def brute_bcubed(gold: list[int], pred: list[int]) -> tuple[float, float]:
    n = len(gold)
    p = sum(
        sum(pred[j] == pred[i] and gold[j] == gold[i] for j in range(n))
        / sum(pred[j] == pred[i] for j in range(n))
        for i in range(n)
    )
    r = sum(
        sum(pred[j] == pred[i] and gold[j] == gold[i] for j in range(n))
        / sum(gold[j] == gold[i] for j in range(n))
        for i in range(n)
    )
    return p / n, r / n


@given(labelings)
def test_pair_counts_match_enumeration(pair: tuple[list[int], list[int]]) -> None:
    gold, pred = pair
    assert pair_counts(gold, pred) == brute_pairs(gold, pred)


@given(labelings)
def test_pair_counts_match_sklearn_confusion(pair: tuple[list[int], list[int]]) -> None:
    gold, pred = pair
    if len(gold) < 2:
        return
    (tn, fp), (fn, tp) = pair_confusion_matrix(gold, pred) // 2
    assert pair_counts(gold, pred) == PairCounts(int(tp), int(fp), int(fn), int(tn))


@given(labelings)
def test_ari_matches_sklearn(pair: tuple[list[int], list[int]]) -> None:
    gold, pred = pair
    if not gold:
        return
    assert adjusted_rand_index(gold, pred) == pytest.approx(adjusted_rand_score(gold, pred), abs=1e-12)


@given(labelings)
def test_bcubed_matches_enumeration(pair: tuple[list[int], list[int]]) -> None:
    gold, pred = pair
    if not gold:
        return
    p, r = brute_bcubed(gold, pred)
    got = bcubed(gold, pred)
    assert got.precision == pytest.approx(p)
    assert got.recall == pytest.approx(r)


@given(labelings, st.randoms(use_true_random=False))
def test_scores_invariant_to_relabeling(pair: tuple[list[int], list[int]], rng: random.Random) -> None:
    gold, pred = pair
    names = [f"c{i}" for i in range(7)]
    rng.shuffle(names)
    renamed_pred = [names[x] for x in pred]
    renamed_gold = [(x * 31 + 5, "g") for x in gold]
    assert score_clustering(gold, pred) == score_clustering(renamed_gold, renamed_pred)


@given(st.lists(st.integers(0, 8), max_size=50))
def test_identical_labelings_score_one(labels: list[int]) -> None:
    s = score_clustering(labels, list(labels))
    assert s.pairwise.f1 == 1.0
    assert s.bcubed == PRF(1.0, 1.0, 1.0)
    assert s.ari == 1.0
    assert s.pairs.fp == s.pairs.fn == 0


@given(labelings)
def test_precision_and_recall_swap_with_arguments(pair: tuple[list[int], list[int]]) -> None:
    gold, pred = pair
    a, b = pairwise_prf(gold, pred), pairwise_prf(pred, gold)
    assert (a.precision, a.recall) == (b.recall, b.precision)
    c, d = bcubed(gold, pred), bcubed(pred, gold)
    assert c.precision == pytest.approx(d.recall)


def test_worked_example() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = [1, 1, 2, 2, 2, 3]
    # gold pairs: 3 (a) + 1 (b) = 4; predicted pairs: 1 + 3 = 4; shared: (0,1) and (3,4) = 2
    assert pair_counts(gold, pred) == PairCounts(tp=2, fp=2, fn=2, tn=9)
    assert pairwise_prf(gold, pred) == PRF(0.5, 0.5, 0.5)
    assert adjusted_rand_index(gold, pred) == pytest.approx(adjusted_rand_score(gold, pred))
    b = bcubed(gold, pred)
    assert b.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)
    assert b.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)


def test_no_predicted_pairs_is_precise_but_misses_everything() -> None:
    s = score_clustering([0, 0, 1, 1], [0, 1, 2, 3])
    assert s.pairwise == PRF(1.0, 0.0, 0.0)
    assert s.ari == 0.0


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        pairwise_prf([1, 2], [1])


def test_twenty_thousand_items_score_fast() -> None:
    n = 20_000
    rng = random.Random(0)
    gold = [rng.randrange(n // 3) for _ in range(n)]
    pred = [g if rng.random() < 0.9 else rng.randrange(n) for g in gold]
    start = time.perf_counter()
    s = score_clustering(gold, pred)
    assert time.perf_counter() - start < 1.0
    assert s.ari == pytest.approx(adjusted_rand_score(gold, pred), abs=1e-12)
