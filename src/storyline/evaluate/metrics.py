"""Clustering scores for copy groups and stories, computed from contingency counts.

Every score here is a function of the contingency table between the gold and the predicted labelling
(how many items carry gold label g and predicted label p). Building that table is one pass over the
items, so scoring 20k items never enumerates their 200M pairs. Labels are any hashables, one per item;
only equality between labels matters, so every score is invariant to renaming clusters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import compress

__all__ = [
    "PRF",
    "ClusterScores",
    "PairCounts",
    "adjusted_rand_index",
    "bcubed",
    "pair_counts",
    "pairwise_prf",
    "score_clustering",
]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class PairCounts:
    """Unordered item pairs by whether gold and prediction put them in the same cluster.

    `tp`: same in both; `fp`: same only in the prediction; `fn`: same only in gold; `tn`: apart in both.
    """

    tp: int
    fp: int
    fn: int
    tn: int


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """All scores for one labelling against gold, as the benchmarks print them."""

    pairs: PairCounts
    pairwise: PRF
    ari: float
    bcubed: PRF


def _harmonic(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _ratio(num: int | float, den: int | float) -> float:
    """A share where an empty denominator means nothing was asked, which counts as perfect."""
    return 1.0 if den == 0 else num / den


def _choose2(n: int) -> int:
    return n * (n - 1) // 2


def _contingency(
    gold: Sequence[Hashable], pred: Sequence[Hashable]
) -> tuple[Counter[tuple[Hashable, Hashable]], Counter[Hashable], Counter[Hashable]]:
    if len(gold) != len(pred):
        raise ValueError(f"labelings differ in length: {len(gold)} gold vs {len(pred)} predicted")
    cells: Counter[tuple[Hashable, Hashable]] = Counter(zip(gold, pred, strict=True))
    return cells, Counter(gold), Counter(pred)


def pair_counts(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PairCounts:
    """Count same-cluster pairs from the contingency table (exact integers, no pair enumeration)."""
    cells, gold_sizes, pred_sizes = _contingency(gold, pred)
    both = sum(_choose2(n) for n in cells.values())
    same_gold = sum(_choose2(n) for n in gold_sizes.values())
    same_pred = sum(_choose2(n) for n in pred_sizes.values())
    total = _choose2(len(gold))
    return PairCounts(
        tp=both,
        fp=same_pred - both,
        fn=same_gold - both,
        tn=total - same_gold - same_pred + both,
    )


def pairwise_prf(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """Pairwise precision/recall/F1 over pairs placed in the same cluster.

    With no predicted pairs precision is 1 (nothing wrong was claimed); with no gold pairs recall is 1.
    So two all-singleton labelings score 1, as identical labelings should.
    """
    c = pair_counts(gold, pred)
    p = _ratio(c.tp, c.tp + c.fp)
    r = _ratio(c.tp, c.tp + c.fn)
    return PRF(p, r, _harmonic(p, r))


def adjusted_rand_index(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Rand index corrected for chance (Hubert and Arabie 1985), from pair counts.

    Written in the pair-confusion form that scikit-learn uses, including its convention that two
    labelings that agree on every pair score 1 (e.g. both all singletons), where the textbook
    formula is 0/0.
    """
    c = pair_counts(gold, pred)
    if c.fn == 0 and c.fp == 0:
        return 1.0
    num = 2 * (c.tp * c.tn - c.fn * c.fp)
    den = (c.tp + c.fn) * (c.fn + c.tn) + (c.tp + c.fp) * (c.fp + c.tn)
    return num / den


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable], scored: Sequence[bool] | None = None) -> PRF:
    """BCubed precision/recall/F1 (Bagga and Baldwin 1998), averaged over items.

    An item's precision is the share of its predicted cluster that shares its gold cluster; its recall
    the share of its gold cluster that shares its predicted cluster. Every item in the same contingency
    cell has the same values, so the averages are sums over cells. With ``scored``, only the items
    marked True are averaged while clusters still hold every item: the held-out events of a clustering
    that also holds the training events, or labelled articles inside a stream of unlabelled ones.
    """
    cells, gold_sizes, pred_sizes = _contingency(gold, pred)
    counted = cells if scored is None else Counter(compress(zip(gold, pred, strict=True), scored))
    n = sum(counted.values())
    if n == 0:
        return PRF(1.0, 1.0, 1.0)
    p = sum(k * cells[g, pl] / pred_sizes[pl] for (g, pl), k in counted.items()) / n
    r = sum(k * cells[g, pl] / gold_sizes[g] for (g, pl), k in counted.items()) / n
    return PRF(p, r, _harmonic(p, r))


def score_clustering(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> ClusterScores:
    """Every score at once, for the benchmark tables."""
    counts = pair_counts(gold, pred)
    p = _ratio(counts.tp, counts.tp + counts.fp)
    r = _ratio(counts.tp, counts.tp + counts.fn)
    return ClusterScores(
        pairs=counts,
        pairwise=PRF(p, r, _harmonic(p, r)),
        ari=adjusted_rand_index(gold, pred),
        bcubed=bcubed(gold, pred),
    )
