"""Copy groups from verified links, and the choice of each group's canonical member.

Groups are average-link clusters of the links' copy probabilities, where a pair with no link counts 0:
two groups merge when their members are copies *on average*, not when one pair is. A page that carries
one wire paragraph of a story (a strong-looking link to one repost, none to the others) so stays out of
the story's copy group, and two groups that each hold one take of a story join when most of their pairs
say so. The result is a function of the links alone: the same for any order of articles or links.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

__all__ = [
    "CanonicalInfo",
    "average_groups",
    "choose_canonical",
    "component_labels",
    "group_members",
    "scrape_damage",
]

I64 = npt.NDArray[np.int64]


def component_labels(n: int, pairs: I64) -> I64:
    """Connected-component label of each of ``n`` nodes: the smallest node index in its component.

    Vectorised min-label propagation with pointer jumping; labels do not depend on the order of pairs.
    """
    labels = np.arange(n, dtype=np.int64)
    if len(pairs) == 0:
        return labels
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        before = labels.copy()
        low = np.minimum(labels[a], labels[b])
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        while not np.array_equal(labels, labels[labels]):
            labels = labels[labels]
        if np.array_equal(before, labels):
            return labels


def group_members(ids: Sequence[str], links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of ``ids`` under ``links``, singletons included.

    Members are sorted, groups are sorted by their first member, so the result does not depend on the
    order of ``ids`` or ``links``. Links naming unknown ids are ignored.
    """
    ordered = sorted(set(ids))
    index = {item: i for i, item in enumerate(ordered)}
    edges = [(index[x], index[y]) for x, y in links if x in index and y in index]
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    labels = component_labels(len(ordered), pairs)
    groups: dict[int, list[str]] = {}
    for item, label in zip(ordered, labels.tolist(), strict=True):
        groups.setdefault(label, []).append(item)
    return sorted(groups.values(), key=lambda members: members[0])


def average_groups(
    ids: Sequence[str], links: Iterable[tuple[str, str, float]], threshold: float
) -> list[list[str]]:
    """Copy groups of ``ids`` from ``(a, b, probability)`` links (see the module docstring).

    Members are sorted and groups sorted by their first member; links naming unknown ids are ignored.
    A pair linked twice counts its larger probability.
    """
    ordered = sorted(set(ids))
    index = {item: i for i, item in enumerate(ordered)}
    rows = [(index[a], index[b], p) for a, b, p in links if a in index and b in index]
    i, j, p = (np.array(c) for c in zip(*rows, strict=True)) if rows else (np.zeros(0),) * 3
    keep = (i != j) & (p > 0)
    lo, hi, p = np.minimum(i, j)[keep].astype(np.int64), np.maximum(i, j)[keep].astype(np.int64), p[keep]
    order = np.lexsort((-p, hi, lo))  # per pair, the largest probability first
    lo, hi, p = lo[order], hi[order], p[order].astype(np.float64)
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    groups: dict[int, list[str]] = {}
    for item, label in zip(
        ordered, _clusters(len(ordered), lo[first], hi[first], p[first], threshold), strict=True
    ):
        groups.setdefault(label, []).append(item)
    return sorted(groups.values(), key=lambda members: members[0])


def _clusters(size: int, lo: I64, hi: I64, p: npt.NDArray[np.float64], threshold: float) -> list[int]:
    """Average-link labels of items ``0..size-1`` from the pairs ``lo[k] < hi[k]`` of nonzero
    probability ``p[k]`` (each pair once).

    Only means at the threshold go into the heap: a pair below it is never merged unless merges raise
    its mean, and every merge pushes the means it changes that reach it (in a component of 40,000
    template-chained wire reports, nine pairs in ten are below it). The sums are kept per item in dicts built
    at C speed; a sum is one addition per merge, so their order does not change the result.
    """
    both = np.concatenate([lo, hi])
    other = np.concatenate([hi, lo])
    weights = np.concatenate([p, p])
    order = np.argsort(both, kind="stable")
    bounds = np.searchsorted(both[order], np.arange(size + 1)).tolist()
    neighbours, values = other[order].tolist(), weights[order].tolist()
    sums: list[dict[int, float]] = [
        dict(zip(neighbours[s:e], values[s:e], strict=True)) for s, e in itertools.pairwise(bounds)
    ]
    members = [1] * size
    strong = p >= threshold
    heap = list(zip((-p[strong]).tolist(), lo[strong].tolist(), hi[strong].tolist(), strict=True))
    heapq.heapify(heap)
    parent = list(range(size))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if parent[i] != i or parent[j] != j or j not in sums[i]:
            continue
        mean = sums[i][j] / (members[i] * members[j])
        if abs(-neg - mean) > 1e-12:
            continue  # stale: every change to a pair's mean pushed its current value too
        if mean < threshold:
            break
        keep, gone = min(i, j), max(i, j)
        parent[gone] = keep
        for k, s in sums[gone].items():
            if k == keep:
                continue
            sums[k].pop(gone)
            sums[keep][k] = sums[keep].get(k, 0.0) + s
            sums[k][keep] = sums[keep][k]
        sums[keep].pop(gone, None)
        sums[gone] = {}
        members[keep] += members[gone]
        size_keep = members[keep]
        for k, s in sums[keep].items():
            mean = s / (size_keep * members[k])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, k), max(keep, k)))
    labels = []
    for i in range(size):
        while parent[i] != i:
            i = parent[i]
        labels.append(i)
    return labels


@dataclass(frozen=True, slots=True)
class CanonicalInfo:
    """What choosing a canonical member needs to know about an article.

    `text_length` measures how much of the source text the article carries: its clean text's length, or
    better, as the pipeline passes it, the length of the text it shares with its copies. `damage` counts
    signs of scraping damage in its text (see :func:`scrape_damage`).
    """

    id: str
    text_length: int
    published: datetime | None = None
    damage: int = 0


# A lower-case letter run straight into a capitalised word ("agenciesTuesday") or a sentence end glued to
# the next sentence ("Wednesday.Russian"): what scrapers do to text, and what an original never has.
_GLUED = re.compile(r"[a-z]{2}(?:[.,;:!?])?[A-Z][a-z]")


def scrape_damage(text: str) -> int:
    """How many places in `text` look like words glued together by a scraper."""
    return len(_GLUED.findall(text))


def choose_canonical(members: Sequence[CanonicalInfo], complete_share: float = 0.98) -> str:
    """The most complete member, preferring among near-complete ones the earliest, then the least damaged.

    Members whose text is at least `complete_share` of the longest count as complete: abridged copies are
    contained in the longest text, so it carries the most of the source, but a repost that only gained a
    section label or lost a few spaces to gluing is not more complete than its original. Among complete
    members, the earliest published (undated last) wins, then the one with the least scraping damage, then
    the longer, then the smallest id, so the choice is deterministic. Naive datetimes compare as local time.
    """
    if not members:
        raise ValueError("a copy group has at least one member")
    longest = max(m.text_length for m in members)
    complete = [m for m in members if m.text_length >= complete_share * longest]

    def rank(info: CanonicalInfo) -> tuple[int, float, int, int, str]:
        when = info.published.timestamp() if info.published else 0.0
        return (info.published is None, when, info.damage, -info.text_length, info.id)

    return min(complete, key=rank).id
