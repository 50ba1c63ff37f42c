"""One-permutation MinHash sketches and LSH band keys for a batch, plus candidate pairs.

One-permutation hashing (Li, Owen & Zhang 2012) splits the hash range into ``bands * rows`` bins and keeps
the minimum hash per bin: one pass over the shingles instead of one per permutation, and the probability
that two sets agree on a bin is their Jaccard similarity. Empty bins borrow from the next non-empty bin
(rotation densification, Shrivastava 2017), so short texts still get full sketches.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.shingles import ShingleBatch, mix64, shingle_batch, sorted_unique

__all__ = ["Sketches", "candidate_pairs", "sketch_batch"]

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
_BAND_SALT = np.uint64(0xD6E8FEB86659FD93)


@dataclass(frozen=True, slots=True)
class Sketches:
    """Sketches of a batch of ``n`` texts.

    ``band_keys`` (n, bands) int64: equal keys mean same band and same bucket (the band index is mixed
    in), so they can be stored as SQLite INTEGERs and looked up by equality. ``minhash`` (n, bands*rows)
    holds the densified bin minima; ``shingles`` the sampled shingle hashes used for cheap verification.
    """

    band_keys: I64
    minhash: U64
    shingles: ShingleBatch

    def doc_shingles(self, index: int) -> U64:
        """Sorted distinct sampled shingle hashes of one text."""
        start, end = self.shingles.offsets[index], self.shingles.offsets[index + 1]
        return sorted_unique(self.shingles.hashes[start:end])


def _bin_minima(batch: ShingleBatch, n: int, bins: int) -> U64:
    counts = np.diff(batch.offsets)
    slot = np.repeat(np.arange(0, n * bins, bins, dtype=np.int64), counts)
    # Multiply-shift maps the top 32 hash bits onto [0, bins) without a division.
    slot += (((batch.hashes >> np.uint64(32)) * np.uint64(bins)) >> np.uint64(32)).astype(np.int64)
    flat = np.full(n * bins, _EMPTY, dtype=np.uint64)
    np.minimum.at(flat, slot, batch.hashes)
    return flat.reshape(n, bins)


def _densify(minima: U64) -> U64:
    """Fill each empty bin from the next non-empty bin to its right (circularly), salted by distance."""
    empty_rows = np.flatnonzero((minima == _EMPTY).any(axis=1))
    if len(empty_rows) == 0:
        return minima
    out = minima.copy()
    out[empty_rows] = _densify_rows(minima[empty_rows])
    return out


def _densify_rows(minima: U64) -> U64:
    bins = minima.shape[1]
    empty = minima == _EMPTY
    none = np.int16(4 * bins)
    cols = np.arange(bins, dtype=np.int16)
    source = np.concatenate([np.where(empty, none, cols), np.where(empty, none, cols + bins)], axis=1)
    nearest = np.minimum.accumulate(source[:, ::-1], axis=1)[:, ::-1]
    rows, at = np.nonzero(empty)
    near = nearest[rows, at].astype(np.int64)
    found = near < none
    rows, at, near = rows[found], at[found], near[found]
    out = minima.copy()
    salt = (near - at).astype(np.uint64) * _BAND_SALT
    out[rows, at] = mix64(minima[rows, near % bins] ^ salt)
    return out


def _band_keys(minhash: U64, batch: ShingleBatch, config: CopyConfig) -> I64:
    bands, rows, exact = config.bands, config.rows, batch.exact
    keys = np.zeros((minhash.shape[0], bands), dtype=np.uint64)
    grouped = minhash.reshape(minhash.shape[0], bands, rows)
    for row in range(rows):
        keys = mix64(keys ^ grouped[:, :, row])
    keys = mix64(keys ^ (np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SALT)[None, :])
    blank = np.diff(batch.offsets) < config.min_sketch_shingles
    if blank.any():
        # Texts too short to share min_shared_chars only meet their exact duplicates; densified sketches
        # of a handful of shingles would otherwise collide with every text sharing one of them.
        salt = np.arange(1, bands + 1, dtype=np.uint64)[None, :] * _BAND_SALT
        keys[blank] = mix64(exact[blank, None] ^ salt ^ np.uint64(0xA5A5A5A5A5A5A5A5))
    empty = batch.lengths == 0
    if empty.any():
        # A text with no letters or digits is never a copy: random keys that meet nothing.
        shape = (int(empty.sum()), bands)
        keys[empty] = np.random.default_rng().integers(0, 2**63, size=shape, dtype=np.uint64)
    return keys.view(np.int64)


def _sketch_chunk(texts: Sequence[str], config: CopyConfig) -> Sketches:
    batch = shingle_batch(texts, config.shingle_chars, config.sample_bits, config.seed)
    minhash = _densify(_bin_minima(batch, len(texts), config.num_bins))
    return Sketches(band_keys=_band_keys(minhash, batch, config), minhash=minhash, shingles=batch)


def _concat(parts: Sequence[Sketches]) -> Sketches:
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part in parts:
        offsets.append(part.shingles.offsets[1:] + base)
        base += int(part.shingles.offsets[-1])
    batch = ShingleBatch(
        hashes=np.concatenate([p.shingles.hashes for p in parts]),
        offsets=np.concatenate(offsets),
        exact=np.concatenate([p.shingles.exact for p in parts]),
        lengths=np.concatenate([p.shingles.lengths for p in parts]),
    )
    return Sketches(
        band_keys=np.concatenate([p.band_keys for p in parts]),
        minhash=np.concatenate([p.minhash for p in parts]),
        shingles=batch,
    )


def sketch_batch(texts: Sequence[str], config: CopyConfig = DEFAULT_CONFIG) -> Sketches:
    """Sketch a batch of clean texts: sampled shingles, one-permutation MinHash and LSH band keys.

    Large batches are cut into chunks of ``config.chunk_size`` texts (cache-sized working sets) sketched
    by ``config.workers`` threads (numpy releases the GIL in its array loops); every text's sketch is the
    same whichever chunk it lands in.
    """
    if len(texts) <= config.chunk_size:
        return _sketch_chunk(texts, config)
    cuts = [*range(0, len(texts), config.chunk_size), len(texts)]
    chunks = [texts[a:b] for a, b in itertools.pairwise(cuts)]
    if config.workers == 1:
        parts = [_sketch_chunk(chunk, config) for chunk in chunks]
    else:
        with ThreadPoolExecutor(max_workers=config.workers) as pool:
            parts = list(pool.map(_sketch_chunk, chunks, itertools.repeat(config)))
    return _concat(parts)


def candidate_pairs(band_keys: I64) -> I64:
    """All index pairs (i < j) of rows sharing at least one band key, as an (m, 2) int64 array.

    Rows are bucketed by one sort of the flattened keys, with the row index packed into the low bits
    (a plain sort is much faster than an argsort); each bucket of size g yields its g(g-1)/2 pairs. Keys
    are first remixed by a bijection, so distinct keys that agree on the remaining high bits are rare
    (spurious candidates, which verification rejects).
    """
    n, bands = band_keys.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    bits = np.uint64(max(int(n - 1).bit_length(), 1))
    low = np.uint64((1 << int(bits)) - 1)
    rows = np.repeat(np.arange(n, dtype=np.uint64), bands)
    mixed = mix64(band_keys.ravel().view(np.uint64).copy())  # a bijection: spreads any keys' bits
    packed = np.sort((mixed & ~low) | rows)
    keys = packed >> bits
    docs = (packed & low).astype(np.int64)
    same = keys[1:] == keys[:-1]
    if not same.any():
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    ends = np.append(starts[1:], len(keys))
    run_end = np.repeat(ends, ends - starts)
    firsts, seconds = [], []
    gap = 1
    live = np.flatnonzero(run_end - np.arange(len(keys)) > 1)
    while len(live):
        firsts.append(docs[live])
        seconds.append(docs[live + gap])
        gap += 1
        live = live[run_end[live] - live > gap]
    a = np.concatenate(firsts)
    b = np.concatenate(seconds)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    distinct = lo != hi
    code = np.sort(lo[distinct] * n + hi[distinct])
    if len(code) > 1:
        code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return np.stack([code // n, code % n], axis=1).astype(np.int64)
