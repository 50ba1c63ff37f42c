"""Shared runs: the passages two texts have in common, found for many pairs at once.

Two texts share a passage when a stretch of one's normalised stream reappears in the other. Both texts
keep the same content-defined sample of shingles (see :mod:`storyline.copies.shingles`), so a shared
passage shows as a chain of sampled shingles that sit at the same offset from each other in both texts:
a diagonal in the (position in a, position in b) plane. Chains are cut where the offset jumps (the text
around the passage differs) or where no shared shingle occurs for ``max_gap`` characters; a typo or a
changed figure inside a passage only drops a few shingles, and an inserted or deleted character shifts
the diagonal by one, so neither cuts it.

Everything is vectorised over all pairs of a batch: one sort of the documents' shingles, one binary
search per shingle of the smaller text of each pair, one sort of the hits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.copies.shingles import ShingleBatch

__all__ = ["Runs", "shared_runs"]

I64 = npt.NDArray[np.int64]
_DOC_SHIFT = np.uint64(40)
_LOW40 = np.uint64((1 << 40) - 1)


@dataclass(frozen=True, slots=True)
class Runs:
    """Shared runs of a list of pairs, in stream positions (half-open), sorted by pair then ``a_start``.

    ``pair[r]`` is the index of run ``r``'s pair; ``hits[r]`` how many sampled shingles it holds and
    ``narrative_hits[r]`` how many of those lie outside quotation marks in both texts (all of them when
    no quotation masks were given).
    """

    pair: I64
    a_start: I64
    a_end: I64
    b_start: I64
    b_end: I64
    hits: I64
    narrative_hits: I64

    def __len__(self) -> int:
        return len(self.pair)

    @property
    def length(self) -> I64:
        """Length of each run in the first text, in normalised characters."""
        out: I64 = self.a_end - self.a_start
        return out


def _doc_index(batch: ShingleBatch) -> tuple[npt.NDArray[np.uint64], I64, I64]:
    """Sorted ``(doc << 40) | top 40 hash bits`` keys, the stream position of each, and per-doc bounds.

    A shingle repeated inside one text keeps its first position, so each position of one text meets at
    most one position of the other.
    """
    docs = batch.doc_of().astype(np.uint64)
    keys = (docs << _DOC_SHIFT) | (batch.hashes >> np.uint64(64 - 40))
    order = np.lexsort((batch.positions, keys))
    keys, positions = keys[order], batch.positions[order].astype(np.int64)
    if len(keys) > 1:
        first = np.concatenate(([True], keys[1:] != keys[:-1]))
        keys, positions = keys[first], positions[first]
    bounds = np.searchsorted(keys, np.arange(len(batch.lengths) + 1, dtype=np.uint64) << _DOC_SHIFT)
    return keys, positions, bounds.astype(np.int64)


def _segments(starts: I64, lengths: I64) -> I64:
    """Concatenated ``arange(start, start + length)`` for every segment, without a Python loop."""
    ends = np.cumsum(lengths)
    out: I64 = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) + np.repeat(
        starts - (ends - lengths), lengths
    )
    return out


def _hits(batch: ShingleBatch, pairs: I64) -> tuple[I64, I64, I64]:
    """Every sampled shingle shared by a pair: (pair index, position in a, position in b)."""
    keys, positions, bounds = _doc_index(batch)
    size = np.diff(bounds)
    a, b = pairs[:, 0], pairs[:, 1]
    a_small = size[a] <= size[b]
    small = np.where(a_small, a, b)
    large = np.where(a_small, b, a).astype(np.uint64)
    probe = _segments(bounds[small], size[small])
    query = (np.repeat(large, size[small]) << _DOC_SHIFT) | (keys[probe] & _LOW40)
    where = np.minimum(np.searchsorted(keys, query), max(len(keys) - 1, 0))
    found = keys[where] == query if len(keys) else np.zeros(len(query), dtype=bool)
    pair_of = np.repeat(np.arange(len(pairs), dtype=np.int64), size[small])[found]
    pos_small, pos_large = positions[probe[found]], positions[where[found]]
    flip = a_small[pair_of]
    return pair_of, np.where(flip, pos_small, pos_large), np.where(flip, pos_large, pos_small)


def shared_runs(
    batch: ShingleBatch,
    pairs: I64,
    shingle_chars: int,
    max_gap: int,
    quoted: npt.NDArray[np.bool_] | None = None,
    max_shift: int = 3,
) -> Runs:
    """Shared runs of every pair ``(a, b)`` of documents of ``batch`` (see the module docstring).

    ``quoted``, aligned with ``batch.hashes``, marks sampled shingles inside quotation marks; a hit is
    narrative when neither side is quoted. A run ends where the diagonal shifts by more than
    ``max_shift`` characters or ``max_gap`` characters pass without a shared shingle.
    """
    pairs = pairs.reshape(-1, 2).astype(np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if len(pairs) == 0 or len(batch.hashes) == 0:
        return Runs(empty, empty, empty, empty, empty, empty, empty)
    pair_of, pos_a, pos_b = _hits(batch, pairs)
    if len(pair_of) == 0:
        return Runs(empty, empty, empty, empty, empty, empty, empty)
    order = np.lexsort((pos_a, pair_of))
    pair_of, pos_a, pos_b = pair_of[order], pos_a[order], pos_b[order]
    narrative = np.ones(len(pair_of), dtype=bool)
    if quoted is not None:
        narrative = ~_quoted_at(batch, quoted, pairs, pair_of, pos_a, 0)
        narrative &= ~_quoted_at(batch, quoted, pairs, pair_of, pos_b, 1)
    diag = pos_b - pos_a
    cut = np.ones(len(pair_of), dtype=bool)
    if len(pair_of) > 1:
        cut[1:] = (
            (pair_of[1:] != pair_of[:-1])
            | (np.abs(diag[1:] - diag[:-1]) > max_shift)
            | (pos_a[1:] - pos_a[:-1] > max_gap)
        )
    start = np.flatnonzero(cut)
    end = np.append(start[1:], len(pair_of)) - 1
    return Runs(
        pair=pair_of[start],
        a_start=pos_a[start],
        a_end=pos_a[end] + shingle_chars,
        b_start=pos_b[start],
        b_end=pos_b[end] + shingle_chars,
        hits=(end - start + 1).astype(np.int64),
        narrative_hits=np.add.reduceat(narrative.astype(np.int64), start) if len(start) else empty,
    )


def _quoted_at(
    batch: ShingleBatch, quoted: npt.NDArray[np.bool_], pairs: I64, pair_of: I64, pos: I64, side: int
) -> npt.NDArray[np.bool_]:
    """Whether the sampled shingle at stream position ``pos`` of each hit's document ``side`` is quoted."""
    # (document, position) is ascending over the batch, so one binary search finds every hit's shingle.
    ref = (batch.doc_of() << 32) | batch.positions.astype(np.int64)
    where = np.minimum(np.searchsorted(ref, (pairs[pair_of, side] << 32) | pos), len(ref) - 1)
    out: npt.NDArray[np.bool_] = quoted[where]
    return out
