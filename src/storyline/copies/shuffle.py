"""The copy index as three passes over partitions, for an engine that cannot keep one index in one
process (``storyline batch --engine ray``): the same candidate pairs the incremental
:class:`~storyline.copies.CopyIndex` finds when the same articles arrive in the same order.

1. :func:`sketch` (any split of the articles): each article's fingerprints as rows ``(key, doc, pos,
   exact)``, ``doc`` being its arrival number; :func:`part_of` sends a key's rows to one partition.
2. :func:`match_keys` (all rows of some keys): ranks each key's holders by arrival, admits the first
   ``max_postings`` (the index's capped posting list), and pairs every row with the admitted rows
   before it, keeping where both fingerprints sit; :func:`part_of` on the pair code sends a pair's
   matches to one partition.
3. :func:`anchor` (all matches of some pairs): the candidate pairs, by the anchoring rule.

Every pass reads only what its partition holds, and each is the step the incremental index runs on a
batch (:func:`~storyline.copies.candidates.earlier_matches`,
:func:`~storyline.copies.candidates.anchored`) with nothing stored before: a batch of the index
behaves as if its articles came one by one, so the whole input as one batch gives what any batching
of it gives. Verification (:func:`~storyline.copies.index.verify_pairs`) then splits the pairs freely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from storyline.copies.candidates import Anchoring, anchored, earlier_matches, ranks
from storyline.copies.config import CopyConfig
from storyline.copies.fingerprints import winnow
from storyline.copies.shingles import shingle_batch

__all__ = ["KeyRows", "Matches", "anchor", "concat", "match_keys", "part_of", "sketch"]

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class KeyRows:
    """Fingerprint rows: ``key`` held by article number ``doc`` at ``pos``; ``exact``: the key is the
    article's whole-text key."""

    key: I64
    doc: I64
    pos: I64
    exact: B

    def take(self, where: I64 | B) -> KeyRows:
        return KeyRows(self.key[where], self.doc[where], self.pos[where], self.exact[where])


@dataclass(frozen=True, slots=True)
class Matches:
    """Fingerprints shared by article ``a`` (arrived first) at ``pos_a`` and ``b`` at ``pos_b``;
    ``exact``: on ``b``'s whole-text key."""

    a: I64
    b: I64
    pos_a: I64
    pos_b: I64
    exact: B

    def take(self, where: I64 | B) -> Matches:
        return Matches(self.a[where], self.b[where], self.pos_a[where], self.pos_b[where], self.exact[where])


Rows = TypeVar("Rows", KeyRows, Matches)


def concat(kind: type[Rows], parts: Sequence[Rows]) -> Rows:
    """One table of rows of `kind` from `parts` (each a partition's or a task's share)."""
    if not parts:
        return kind(*(np.zeros(0, dtype=bool if f == "exact" else np.int64) for f in kind.__slots__))
    return kind(*(np.concatenate([getattr(p, f) for p in parts]) for f in kind.__slots__))


def part_of(values: I64, parts: int) -> I64:
    """The partition of each key or pair code: a multiplicative hash, so that neighbouring codes (the
    pairs of one article) spread over the partitions."""
    mixed = values.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    out: I64 = ((mixed >> np.uint64(32)) % np.uint64(parts)).astype(np.int64)
    return out


def sketch(texts: Sequence[str], first: int, config: CopyConfig) -> KeyRows:
    """The fingerprint rows of `texts`, the articles numbered ``first, first + 1, ...`` in arrival
    order (a text keeps the same fingerprints in any batch: see :func:`~storyline.copies.winnow`)."""
    batch = shingle_batch(texts, config.shingle_chars, config.sample_bits, config.seed)
    fps = winnow(batch, config.window)
    return KeyRows(fps.keys, fps.docs + first, fps.positions, fps.keys == fps.exact[fps.docs])


def match_keys(rows: KeyRows, cap: int) -> tuple[Matches, KeyRows]:
    """The matches of every row with the earlier admitted holders of its key, and the admitted rows
    (what the index's posting lists keep). `rows` must hold every row of each of its keys."""
    order = np.lexsort((rows.doc, rows.key))
    rows = rows.take(order)
    if len(rows.key) == 0:
        return Matches(rows.key, rows.key, rows.key, rows.key, rows.exact), rows
    starts, _, rank = ranks(rows.key)
    row, earlier = earlier_matches(rows.key, np.zeros(len(starts), dtype=np.int64), cap)
    matches = Matches(rows.doc[earlier], rows.doc[row], rows.pos[earlier], rows.pos[row], rows.exact[row])
    return matches, rows.take(rank < cap)


def anchor(matches: Matches, docs: int, rule: Anchoring) -> I64:
    """The candidate pairs ``(a, b)`` (arrival numbers, ``a < b``) among `matches`, which must hold every
    match of each of its pairs; `docs`: how many articles there are."""
    if len(matches.a) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    code = matches.a * docs + matches.b
    chosen = anchored(code, matches.pos_a, matches.pos_b, matches.exact, rule)
    return np.stack([chosen // docs, chosen % docs], axis=1).astype(np.int64)
