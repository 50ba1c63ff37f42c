"""Average-link agglomeration over a sparse graph of pair probabilities.

Only pairs that candidate retrieval brought together carry a probability; the link between two
clusters is the mean over their scored pairs (pairs never retrieved are unknown, not zero, because
retrieval may skip members of large stories). Clusters merge best-first while that mean reaches the
threshold, so the result does not depend on the order the pairs were scored in.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["attach_small", "average_link", "profile_cosines"]


def average_link(size: int, edges: Mapping[tuple[int, int], float], threshold: float) -> list[int]:
    """Cluster labels (the smallest member index of each cluster) for items ``0..size-1``."""
    links: dict[int, dict[int, list[float]]] = {i: {} for i in range(size)}
    for (i, j), p in edges.items():
        if i == j:
            continue
        for a, b in ((i, j), (j, i)):
            cell = links[a].setdefault(b, [0.0, 0.0])
            cell[0] += p
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
        _merge(links, keep, gone)
        alive.discard(gone)
        parent[gone] = keep
        for k, (sk, ck) in links[keep].items():
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
    size = Counter(labels)
    sums: dict[tuple[int, int], list[float]] = {}
    for (i, j), p in edges.items():
        a, b = labels[i], labels[j]
        if a == b:
            continue
        for small, other in ((a, b), (b, a)):
            if size[small] <= max_size:
                cell = sums.setdefault((small, other), [0.0, 0.0])
                cell[0] += p
                cell[1] += 1.0
    ranked: dict[int, list[tuple[float, int]]] = {}
    for (small, other), (total, n) in sums.items():
        ranked.setdefault(small, []).append((total / n, -other))
    target: dict[int, int] = {}
    for small, means in ranked.items():
        means.sort(reverse=True)
        best, big = means[0][0], -means[0][1]
        runner_up = means[1][0] if len(means) > 1 else 0.0
        if size[big] > size[small] and best >= threshold and best >= ratio * runner_up:
            target[small] = big
    final = {}
    for label in size:
        end = label
        while end in target:
            end = target[end]
        final[label] = end
    return [final[label] for label in labels]


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
