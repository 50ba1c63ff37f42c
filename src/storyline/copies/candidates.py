"""Candidate pairs: articles that share enough passage fingerprints to be worth verifying.

Fingerprints live in an inverted index whose posting lists are capped: a key keeps the first
``max_postings`` articles that hold it and takes no more. A wire story reposted by thousands of sites
is still found (every later repost meets the first holders, which are copies of it), and a fingerprint
of boilerplate or a common phrase costs at most ``max_postings`` candidates per article that carries
it. A batch behaves exactly as if its articles were added one by one, in order: each article meets the
holders stored before it and the earlier articles of its batch while their key still had room.

A pair becomes a candidate when it shares at least ``min_shared`` fingerprints, or the key of its
whole normalised text (exact duplicates, however short). While no key reaches the cap, the candidates
do not depend on arrival order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from storyline.copies.fingerprints import Fingerprints

__all__ = ["admitted", "batch_pairs", "stored_pairs"]

I64 = npt.NDArray[np.int64]


def _runs(keys: I64) -> tuple[I64, I64]:
    """Start and length of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    return starts, np.diff(np.append(starts, len(keys)))


def _batch_order(fps: Fingerprints) -> tuple[I64, I64]:
    order = np.lexsort((fps.docs, fps.keys))
    return fps.keys[order], fps.docs[order]


def admitted(fps: Fingerprints, stored_count: Mapping[int, int], cap: int) -> npt.NDArray[np.bool_]:
    """Which ``(doc, key)`` rows of ``fps`` enter the index: the key still has room when the doc comes.

    ``stored_count`` gives how many holders each key already has in the index (missing: none).
    Rows are returned in the order of ``fps``.
    """
    order = np.lexsort((fps.docs, fps.keys))
    keys = fps.keys[order]
    starts, sizes = _runs(keys)
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)
    before = np.array([stored_count.get(int(k), 0) for k in keys[starts]], dtype=np.int64)
    room = rank + np.repeat(before, sizes) < cap
    out = np.zeros(len(keys), dtype=bool)
    out[order] = room
    return out


def batch_pairs(fps: Fingerprints, stored_count: Mapping[int, int], cap: int, min_shared: int) -> I64:
    """Candidate pairs ``(i, j)``, ``i < j``, among the documents of one batch (see the module docstring).

    Document ``j`` meets document ``i < j`` on a key when ``i`` entered the index for it (the key had
    room when ``i`` came). Vectorised: one sort of the batch's fingerprints, one of the pair codes.
    """
    keys, docs = _batch_order(fps)
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    starts, sizes = _runs(keys)
    before = np.array([stored_count.get(int(k), 0) for k in keys[starts]], dtype=np.int64)
    room = np.maximum(cap - before, 0)
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)
    partners = np.minimum(rank, np.repeat(room, sizes))  # earlier holders this row meets
    total = int(partners.sum())
    if total == 0:
        return np.zeros((0, 2), dtype=np.int64)
    row = np.repeat(np.arange(len(keys)), partners)
    first = np.repeat(np.repeat(starts, sizes), partners)
    offset = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    a, b = docs[first + offset], docs[row]
    exact = fps.exact[b] == keys[row]
    n = int(docs.max()) + 1
    code = np.minimum(a, b) * n + np.maximum(a, b)
    weight = np.where(exact, min_shared, 1)
    uniq, inverse = np.unique(code, return_inverse=True)
    score = np.bincount(inverse, weights=weight)
    chosen = uniq[score >= min_shared]
    return np.stack([chosen // n, chosen % n], axis=1).astype(np.int64)


def stored_pairs(
    fps: Fingerprints, holders: Mapping[int, Sequence[str]], min_shared: int
) -> list[tuple[str, int]]:
    """Candidate pairs ``(stored id, batch doc)`` between the index's articles and a batch."""
    counts: Counter[tuple[str, int]] = Counter()
    for doc, key in zip(fps.docs.tolist(), fps.keys.tolist(), strict=True):
        found = holders.get(key)
        if not found:
            continue
        weight = min_shared if key == int(fps.exact[doc]) else 1
        for other in found:
            counts[(other, doc)] += weight
    return sorted(pair for pair, score in counts.items() if score >= min_shared)
