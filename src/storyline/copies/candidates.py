"""Candidate pairs: articles that share a passage, as two of its fingerprints in the same places.

Fingerprints live in an inverted index whose posting lists are capped: a key keeps the first
``max_postings`` articles that hold it and takes no more. A wire story reposted by thousands of sites
is still found (every later repost meets the first holders, which are copies of it), and a fingerprint
of boilerplate or a common phrase costs at most ``max_postings`` candidates per article that carries
it. A batch behaves exactly as if its articles were added one by one, in order: each article meets the
holders stored before it and the earlier articles of its batch while their key still had room.

A pair is a candidate when it shares the key of its whole normalised text (exact duplicates, however
short), or ``min_matches`` fingerprints (several short shared passages, as in an edited copy), or an
*anchor*: two shared fingerprints on one diagonal (at the same offset from each other in
both texts, within ``tolerance`` characters) at least ``min_span`` characters apart, which only a shared
passage of some length produces. Wire phrases that recur everywhere ("the company said in a statement")
yield single, scattered matches and no anchor, so most pairs that merely share phrases are never
verified. While no key reaches the cap, the candidates do not depend on arrival order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.copies.fingerprints import Fingerprints

__all__ = ["Anchoring", "admitted", "anchored", "batch_pairs", "stored_pairs"]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Anchoring:
    """What makes shared fingerprints an anchor (see the module docstring)."""

    min_span: int
    tolerance: int
    min_matches: int


def _runs(keys: I64) -> tuple[I64, I64]:
    """Start and length of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    return starts, np.diff(np.append(starts, len(keys)))


def _by_code_and_diagonal(code: I64, diag: I64) -> I64:
    """The order of matches by pair, then diagonal: one sort of a packed key when it fits 63 bits."""
    low, span = int(diag.min()), int(diag.max()) - int(diag.min()) + 1
    bits = max(span.bit_length(), 1)
    if int(code.max()) < 1 << (62 - bits):
        packed = (code << bits) | (diag - low)
        order: I64 = np.argsort(packed, kind="stable")
        return order
    fallback: I64 = np.lexsort((diag, code))
    return fallback


def anchored(code: I64, pos_a: I64, pos_b: I64, exact: npt.NDArray[np.bool_], rule: Anchoring) -> I64:
    """The distinct pair codes among fingerprint matches ``(code, pos_a, pos_b)`` that hold an anchor or
    an exact-text match. Vectorised: one sort by (pair, diagonal, position)."""
    if len(code) == 0:
        return code
    diag = pos_b - pos_a
    order = _by_code_and_diagonal(code, diag)
    code, diag = code[order], diag[order]
    chain = np.ones(len(code), dtype=bool)
    chain[1:] = (code[1:] != code[:-1]) | (diag[1:] - diag[:-1] > rule.tolerance)
    starts = np.flatnonzero(chain)
    # the span in both texts (the smaller), so the rule is the same whichever text came first
    span = np.minimum(
        np.maximum.reduceat(pos_a[order], starts) - np.minimum.reduceat(pos_a[order], starts),
        np.maximum.reduceat(pos_b[order], starts) - np.minimum.reduceat(pos_b[order], starts),
    )
    good = code[starts][span >= rule.min_span]
    # or several shared passages, each too short for an anchor of its own (an edited copy)
    pairs, matches = np.unique(code, return_counts=True)
    scattered = pairs[matches >= rule.min_matches]
    return np.unique(np.concatenate([good, scattered, np.unique(code[exact[order]])]))


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


def batch_pairs(fps: Fingerprints, stored_count: Mapping[int, int], cap: int, rule: Anchoring) -> I64:
    """Candidate pairs ``(i, j)``, ``i < j``, among the documents of one batch (see the module docstring).

    Document ``j`` meets document ``i < j`` on a key when ``i`` entered the index for it (the key had
    room when ``i`` came). Vectorised: one sort of the batch's fingerprints, one of the matches.
    """
    order = np.lexsort((fps.docs, fps.keys))
    keys, docs, pos = fps.keys[order], fps.docs[order], fps.positions[order]
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    starts, sizes = _runs(keys)
    before = np.array([stored_count.get(int(k), 0) for k in keys[starts]], dtype=np.int64)
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)
    partners = np.minimum(rank, np.repeat(np.maximum(cap - before, 0), sizes))  # earlier holders met
    total = int(partners.sum())
    if total == 0:
        return np.zeros((0, 2), dtype=np.int64)
    row = np.repeat(np.arange(len(keys)), partners)
    earlier = np.repeat(np.repeat(starts, sizes), partners) + (
        np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    )
    n = int(docs.max()) + 1
    code = docs[earlier] * n + docs[row]
    exact = fps.exact[docs[row]] == keys[row]
    chosen = anchored(code, pos[earlier], pos[row], exact, rule)
    return np.stack([chosen // n, chosen % n], axis=1).astype(np.int64)


def stored_pairs(
    fps: Fingerprints, holders: Mapping[int, Sequence[tuple[str, int]]], rule: Anchoring
) -> list[tuple[str, int]]:
    """Candidate pairs ``(stored id, batch doc)`` between the index's articles and a batch.

    ``holders`` maps a key to the stored ``(article, position)`` rows that hold it.
    """
    names: dict[str, int] = {}
    codes, pos_stored, pos_new, exact = [], [], [], []
    n = len(fps.exact)
    for doc, key, at in zip(fps.docs.tolist(), fps.keys.tolist(), fps.positions.tolist(), strict=True):
        whole = key == int(fps.exact[doc])
        for other, where in holders.get(key, ()):
            codes.append(names.setdefault(other, len(names)) * n + doc)
            pos_stored.append(where)
            pos_new.append(at)
            exact.append(whole)
    chosen = anchored(
        np.array(codes, dtype=np.int64),
        np.array(pos_stored, dtype=np.int64),
        np.array(pos_new, dtype=np.int64),
        np.array(exact, dtype=bool),
        rule,
    )
    by_number = {number: name for name, number in names.items()}
    return sorted((by_number[int(c) // n], int(c) % n) for c in chosen)
