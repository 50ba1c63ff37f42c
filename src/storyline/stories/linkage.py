"""Average-link agglomeration over a sparse graph of pair probabilities.

Only pairs that candidate retrieval brought together carry a probability; the link between two
clusters is the mean over their scored pairs (pairs never retrieved are unknown, not zero, because
retrieval may skip members of large stories). Clusters merge best-first while that mean reaches the
threshold, so the result does not depend on the order the pairs were scored in.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

__all__ = ["attach_small", "attach_small_pairs", "average_link", "average_link_pairs", "profile_cosines"]


def average_link(size: int, edges: Mapping[tuple[int, int], float], threshold: float) -> list[int]:
    """Cluster labels (the smallest member index of each cluster) for items ``0..size-1``.

    Clusters merge only while their mean reaches ``threshold``, and a mean never exceeds the largest
    pair in it, so every cluster lies inside one component of the pairs at or above the threshold.
    Pairs across two such components never weigh in a merge: they are dropped before the Python-level
    agglomeration, which then sees about a quarter of a story index's (the rest link articles that
    match some story a little). A merge changes only the means to the neighbours of the cluster folded
    in, so only those are pushed again; every other entry in the heap stays current.
    """
    pairs = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    p = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
    return average_link_pairs(size, (pairs[:, 0], pairs[:, 1], p), threshold)


def average_link_pairs(
    size: int,
    edges: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    threshold: float,
) -> list[int]:
    """:func:`average_link` over pairs given as arrays (items a, items b, P); a pair given twice, in
    either orientation, counts twice."""
    a, b, p = edges
    # the margin covers the rounding of a mean of pairs just below the threshold
    strong = (p >= threshold - 1e-9) & (a != b)
    graph = sparse.coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])), shape=(size, size))
    component = csgraph.connected_components(graph, directed=False)[1]
    inside = (component[a] == component[b]) & (a != b)
    links: dict[int, dict[int, list[float]]] = {}
    for i, j, value in zip(a[inside].tolist(), b[inside].tolist(), p[inside].tolist(), strict=True):
        for x, y in ((i, j), (j, i)):
            cell = links.setdefault(x, {}).setdefault(y, [0.0, 0.0])
            cell[0] += value
            cell[1] += 1.0
    heap = [(-s / c, i, j) for i, row in links.items() for j, (s, c) in row.items() if i < j]
    heapq.heapify(heap)
    parent = list(range(size))
    alive = set(range(size))
    while heap:
        neg, i, j = heapq.heappop(heap)
        if -neg < threshold:
            break
        if i not in alive or j not in alive:
            continue
        s, c = links[i].get(j, (0.0, 0.0))
        if c == 0 or abs(s / c + neg) > 1e-12:
            continue
        keep, gone = min(i, j), max(i, j)
        changed = [k for k in links[gone] if k != keep]
        _merge(links, keep, gone)
        alive.discard(gone)
        parent[gone] = keep
        row = links[keep]
        for k in changed:
            sk, ck = row[k]
            heapq.heappush(heap, (-sk / ck, min(keep, k), max(keep, k)))
    return [_root(parent, i) for i in range(size)]


def _merge(links: dict[int, dict[int, list[float]]], keep: int, gone: int) -> None:
    """Fold cluster ``gone`` into ``keep``: their links to every third cluster add up."""
    row = links.pop(gone)
    row.pop(keep, None)
    links[keep].pop(gone, None)
    for k, (s, c) in row.items():
        other = links[k]
        other.pop(gone, None)
        mine = links[keep].setdefault(k, [0.0, 0.0])
        mine[0] += s
        mine[1] += c
        other[keep] = [mine[0], mine[1]]


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def attach_small(
    labels: Sequence[int],
    edges: Mapping[tuple[int, int], float],
    max_size: int,
    threshold: float,
    ratio: float = 1.0,
) -> list[int]:
    """Fold clusters of at most ``max_size`` items into the larger cluster they match best.

    Average link leaves stragglers: an article that tells the event from another angle scores low
    against most of its story's members, so it stays alone although its best match by far is that
    story. A small cluster joins the larger cluster with the highest mean P over their scored pairs
    when that mean reaches ``threshold`` (lower than the merge threshold: the comparison is with one
    story's members, not a fresh pairing) and is at least ``ratio`` times its mean P with the
    runner-up cluster. In a dense stream a one-article event (company A's dividend) matches many
    stories a little (every other dividend); it is a straggler of none of them, so it stays alone.
    Clusters only move into strictly larger ones, so there are no cycles; chains resolve to the
    final cluster.
    """
    pairs = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    p = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
    return attach_small_pairs(labels, (pairs[:, 0], pairs[:, 1], p), max_size, threshold, ratio)


def attach_small_pairs(
    labels: Sequence[int],
    edges: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    max_size: int,
    threshold: float,
    ratio: float = 1.0,
) -> list[int]:
    """:func:`attach_small` over pairs given as arrays (items a, items b, P; each pair once).

    The mean P of a small cluster with another is summed in the order of ``edges`` (``bincount``
    adds in input order), so it is the same float as a sum pair by pair."""
    label = np.asarray(labels, dtype=np.int64)
    size = np.bincount(label, minlength=len(label)) if len(label) else np.zeros(0, dtype=np.int64)
    a, b = label[edges[0]], label[edges[1]]
    apart = a != b
    a, b, p = a[apart], b[apart], edges[2][apart]
    # each pair counts for the small side(s), towards the other side, in pair order
    small = np.stack([a, b], axis=1).ravel()
    other = np.stack([b, a], axis=1).ravel()
    weight = np.repeat(p, 2)
    keep = size[small] <= max_size
    small, other, weight = small[keep], other[keep], weight[keep]
    target: dict[int, int] = {}
    if len(small):
        keys, where = np.unique(small * len(label) + other, return_inverse=True)
        total = np.bincount(where, weights=weight, minlength=len(keys))
        n = np.bincount(where, minlength=len(keys)).astype(np.float64)
        mean = total / n
        key_small, key_other = keys // len(label), keys % len(label)
        order = np.lexsort((key_other, -mean, key_small))
        ks, ko, km = key_small[order], key_other[order], mean[order]
        first = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1])))
        second = first + 1
        has_second = (second < len(ks)) & (ks[np.minimum(second, len(ks) - 1)] == ks[first])
        runner_up = np.where(has_second, km[np.minimum(second, len(ks) - 1)], 0.0)
        best, big, of = km[first], ko[first], ks[first]
        moves = (size[big] > size[of]) & (best >= threshold) & (best >= ratio * runner_up)
        target = dict(zip(of[moves].tolist(), big[moves].tolist(), strict=True))
    final: dict[int, int] = {}
    for start in target:
        end = start
        while end in target:
            end = target[end]
        final[start] = end
    return [final.get(x, x) for x in label.tolist()]


def profile_cosines(
    size: int,
    pairs: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float32]],
    ask: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
) -> npt.NDArray[np.float64]:
    """Cosine of the P profiles of the article pairs ``ask``: each article's row of scored pairs
    ``pairs`` (a, b, P; each pair once), with 1 for itself.

    Two reports of one event match the same articles well and the other look-alike event's articles
    poorly; a report of the other event that happens to share a lot with one of them still scores
    differently against the rest. The profile compares the whole neighbourhood, not one pair.
    """
    a, b, p = pairs
    diagonal = np.arange(size)
    matrix = sparse.csr_matrix(
        (
            np.concatenate([p, p, np.ones(size)]),
            (np.concatenate([a, b, diagonal]), np.concatenate([b, a, diagonal])),
        ),
        shape=(size, size),
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64).ravel())
    i, j = ask
    if not len(i):
        return np.zeros(0)
    dots = np.asarray(matrix[i].multiply(matrix[j]).sum(axis=1), dtype=np.float64).ravel()
    cosines: npt.NDArray[np.float64] = dots / np.maximum(norms[i] * norms[j], 1e-12)
    return cosines
