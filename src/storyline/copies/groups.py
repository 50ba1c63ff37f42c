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
from operator import itemgetter

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
    rows = list(links)
    i, j = (
        np.fromiter(map(index.get, map(itemgetter(k), rows), itertools.repeat(-1)), np.int64, len(rows))
        for k in (0, 1)
    )
    p = np.fromiter(map(itemgetter(2), rows), np.float64, len(rows))
    keep = (i >= 0) & (j >= 0) & (i != j) & (p > 0)
    lo, hi, p = np.minimum(i, j)[keep], np.maximum(i, j)[keep], p[keep]
    order = np.lexsort((-p, hi, lo))  # per pair, the largest probability first
    lo, hi, p = lo[order], hi[order], p[order]
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
    probability ``p[k]`` (each pair once); a cluster's label is its smallest item.

    Exact average link, made cheap for the components of tens of thousands of template-chained wire
    reports that a large store holds:

    - Only means at the threshold go into the heap: a pair below it is never merged unless a merge
      raises its mean, and then it is pushed (nine pairs in ten of such a component are below it).
    - The heap holds upper bounds. A merge raises only the means to the neighbours of the cluster that
      moves, so only those are pushed; every other mean of the merged cluster falls (its sum stays, its
      size grows), and its old entry stays as an upper bound, evaluated again when it comes to the top.
      An entry whose mean and labels are current is the largest mean, ties to the smallest labels,
      exactly as if every mean were kept current.
    - The cluster with fewer neighbours moves into the other (its sums are added to the other's), so a
      large cluster absorbing small ones costs their neighbours, not its own. Labels (smallest items)
      are kept apart from these slots.

    Sums are one addition per merge, the same whichever side moves, so the result does not depend on it.
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
    label = list(range(size))

    def entry(mean: float, x: int, y: int) -> tuple[float, int, int, int, int]:
        """The heap entry of clusters `x` and `y` (their slots): by mean, then by their labels."""
        return (-mean, label[x], label[y], x, y) if label[x] < label[y] else (-mean, label[y], label[x], y, x)

    strong = p >= threshold
    first, second = lo[strong].tolist(), hi[strong].tolist()  # singletons: slots are labels
    heap = list(zip((-p[strong]).tolist(), first, second, first, second, strict=True))
    heapq.heapify(heap)
    parent = list(range(size))
    while heap:
        neg, la, lb, i, j = heapq.heappop(heap)
        if parent[i] != i or parent[j] != j:
            continue
        s = sums[i].get(j)
        if s is None:
            continue
        mean = s / (members[i] * members[j])
        if mean + neg > 1e-12:
            continue  # superseded: the pair's current mean was pushed when it rose
        if -neg - mean > 1e-12 or la != label[i] or lb != label[j]:
            if mean >= threshold:  # a stale upper bound: the current mean goes back in
                heapq.heappush(heap, entry(mean, i, j))
            continue
        keep, gone = (i, j) if len(sums[i]) >= len(sums[j]) else (j, i)
        parent[gone] = keep
        label[keep] = min(label[keep], label[gone])
        members[keep] += members[gone]
        into, size_keep = sums[keep], members[keep]
        into.pop(gone)
        for k, s in sums[gone].items():
            if k == keep:
                continue
            row = sums[k]
            del row[gone]
            total = into.get(k, 0.0) + s
            into[k] = total
            row[keep] = total
            mean = total / (size_keep * members[k])
            if mean >= threshold:
                heapq.heappush(heap, entry(mean, keep, k))
        sums[gone] = {}
    out = []
    for i in range(size):
        while parent[i] != i:
            i = parent[i]
        out.append(label[i])
    return out


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
