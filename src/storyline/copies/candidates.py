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

from storyline.copies.config import CopyConfig
from storyline.copies.fingerprints import Fingerprints

__all__ = [
    "Anchoring",
    "Holders",
    "admitted",
    "anchored",
    "batch_pairs",
    "earlier_matches",
    "ranks",
    "stored_pairs",
]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Anchoring:
    """What makes shared fingerprints an anchor (see the module docstring)."""

    min_span: int
    tolerance: int
    min_matches: int

    @classmethod
    def of(cls, config: CopyConfig) -> Anchoring:
        """The rule of a copy configuration."""
        return cls(config.min_anchor_chars, config.anchor_tolerance, config.min_matches)


@dataclass(frozen=True, slots=True)
class Holders:
    """The stored postings of a batch's keys as arrays, so matching them costs numpy passes, not a Python
    loop per match: row ``r`` is key ``keys[r]`` held by article ``names[articles[r]]`` at ``positions[r]``;
    rows are sorted by key."""

    keys: I64
    articles: I64
    positions: I64
    names: list[str]

    @classmethod
    def from_rows(cls, keys: Sequence[int], articles: Sequence[str], positions: Sequence[int]) -> Holders:
        """Holders from parallel columns of rows, in any order."""
        number: dict[str, int] = {}
        codes = [number.setdefault(a, len(number)) for a in articles]
        key = np.array(keys, dtype=np.int64)
        article, pos = np.array(codes, dtype=np.int64), np.array(positions, dtype=np.int64)
        if len(key) > 1 and bool((key[1:] < key[:-1]).any()):
            order = np.argsort(key, kind="stable")
            key, article, pos = key[order], article[order], pos[order]
        return cls(key, article, pos, list(number))

    @classmethod
    def from_mapping(cls, holders: Mapping[int, Sequence[tuple[str, int]]]) -> Holders:
        """Holders from a mapping of key to its ``(article, position)`` rows."""
        rows = [(k, a, p) for k, found in holders.items() for a, p in found]
        keys, articles, positions = ([r[i] for r in rows] for i in range(3))
        return cls.from_rows(keys, articles, positions)  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(self.keys)

    def counts(self, keys: I64) -> I64:
        """How many holders each of ``keys`` has (0 for a key nobody holds)."""
        if len(self.keys) == 0:
            return np.zeros(len(keys), dtype=np.int64)
        starts, sizes = _runs(self.keys)
        held = self.keys[starts]
        at = np.minimum(np.searchsorted(held, keys), len(held) - 1)
        out: I64 = np.where(held[at] == keys, sizes[at], 0).astype(np.int64)
        return out


StoredCounts = Mapping[int, int] | Holders


def _stored_counts(stored: StoredCounts, keys: I64) -> I64:
    """How many holders each of ``keys`` already has in the index."""
    if isinstance(stored, Holders):
        return stored.counts(keys)
    return np.array([stored.get(int(k), 0) for k in keys], dtype=np.int64)


def _runs(keys: I64) -> tuple[I64, I64]:
    """Start and length of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
    return starts, np.diff(np.append(starts, len(keys)))


def ranks(keys: I64) -> tuple[I64, I64, I64]:
    """For a sorted array: the start and length of each run of equal values, and each row's rank in
    its run (how many holders of its key came before it)."""
    starts, sizes = _runs(keys)
    return starts, sizes, np.arange(len(keys)) - np.repeat(starts, sizes)


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


def earlier_matches(keys: I64, before: I64, cap: int) -> tuple[I64, I64]:
    """Rows sorted by key, then arrival: each row's matches with the earlier rows of its key that
    entered the index (``before[k]``: holders the index had of the ``k``-th distinct key), as the
    indices ``(row, earlier)``. The part of the candidate search that needs a key's rows together,
    whichever process holds them (see :mod:`storyline.copies.shuffle`)."""
    starts, sizes, rank = ranks(keys)
    partners = np.minimum(rank, np.repeat(np.maximum(cap - before, 0), sizes))  # earlier holders met
    total = int(partners.sum())
    row = np.repeat(np.arange(len(keys)), partners)
    earlier = np.repeat(np.repeat(starts, sizes), partners) + (
        np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    )
    return row, earlier


def admitted(fps: Fingerprints, stored_count: StoredCounts, cap: int) -> npt.NDArray[np.bool_]:
    """Which ``(doc, key)`` rows of ``fps`` enter the index: the key still has room when the doc comes.

    ``stored_count`` gives how many holders each key already has in the index (missing: none), as a
    mapping or as the :class:`Holders` themselves.
    Rows are returned in the order of ``fps``.
    """
    order = np.lexsort((fps.docs, fps.keys))
    keys = fps.keys[order]
    starts, sizes, rank = ranks(keys)
    before = _stored_counts(stored_count, keys[starts])
    room = rank + np.repeat(before, sizes) < cap
    out = np.zeros(len(keys), dtype=bool)
    out[order] = room
    return out


def batch_pairs(fps: Fingerprints, stored_count: StoredCounts, cap: int, rule: Anchoring) -> I64:
    """Candidate pairs ``(i, j)``, ``i < j``, among the documents of one batch (see the module docstring).

    Document ``j`` meets document ``i < j`` on a key when ``i`` entered the index for it (the key had
    room when ``i`` came). Vectorised: one sort of the batch's fingerprints, one of the matches.
    """
    order = np.lexsort((fps.docs, fps.keys))
    keys, docs, pos = fps.keys[order], fps.docs[order], fps.positions[order]
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    starts, _ = _runs(keys)
    row, earlier = earlier_matches(keys, _stored_counts(stored_count, keys[starts]), cap)
    if len(row) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    n = int(docs.max()) + 1
    code = docs[earlier] * n + docs[row]
    exact = fps.exact[docs[row]] == keys[row]
    chosen = anchored(code, pos[earlier], pos[row], exact, rule)
    return np.stack([chosen // n, chosen % n], axis=1).astype(np.int64)


def stored_pairs(
    fps: Fingerprints, holders: Holders | Mapping[int, Sequence[tuple[str, int]]], rule: Anchoring
) -> list[tuple[str, int]]:
    """Candidate pairs ``(stored id, batch doc)`` between the index's articles and a batch, sorted.

    ``holders`` gives the stored ``(article, position)`` rows of each key (:class:`Holders`, or a mapping).
    Vectorised: one binary search of the batch's keys among the holders' and one expansion of the matches.
    """
    if not isinstance(holders, Holders):
        holders = Holders.from_mapping(holders)
    n = len(fps.exact)
    lo = np.searchsorted(holders.keys, fps.keys, side="left")
    hi = np.searchsorted(holders.keys, fps.keys, side="right")
    count = hi - lo
    total = int(count.sum())
    row = np.repeat(np.arange(len(fps.keys), dtype=np.int64), count)
    held = np.repeat(lo, count) + (
        np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    )
    docs = fps.docs[row]
    chosen = anchored(
        holders.articles[held] * n + docs,
        holders.positions[held],
        fps.positions[row],
        fps.keys[row] == fps.exact[docs],
        rule,
    )
    names = holders.names
    return sorted((names[int(c) // n], int(c) % n) for c in chosen)
