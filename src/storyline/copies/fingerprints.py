"""Passage fingerprints: a content-defined choice of shingles that every shared passage keeps.

Real reposts share a few paragraphs, not whole texts, so a sketch of the whole text (MinHash) cannot
find them: two pages sharing one 300-character paragraph have a Jaccard similarity near 0.1. Instead,
every text keeps the shingles chosen by *winnowing* (Schleimer, Wilkerson & Aiken 2003) over its
sequence of sampled shingle hashes: in every window of ``window`` consecutive hashes, the smallest. The
choice depends only on the window's content, so two texts sharing a run of at least ``window`` sampled
shingles both keep the same fingerprint from it, whatever surrounds it.

Guarantee (defaults: one shingle in 4 sampled, window 11): a shared passage of about 60 letters and
digits or more yields at least one shared fingerprint, and one of about 100 (one news sentence) yields
two or more on average. A text keeps about ``2 / (window + 1)`` of its sampled shingles, one per 24
characters of normalised text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.ndimage import maximum_filter1d, minimum_filter1d

from storyline.copies.shingles import ShingleBatch

__all__ = ["Fingerprints", "winnow"]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Distinct ``(doc, key)`` pairs of a batch, sorted by document then key.

    ``key`` is a signed 64-bit integer (a shingle hash reinterpreted), so it can be stored as an SQLite
    INTEGER and looked up by equality. Every document with any letters or digits also carries one key for
    its whole normalised text, ``exact[doc]`` (0 for an empty text), so exact duplicates of texts too short
    for passage fingerprints still meet. ``positions`` is where in the document's normalised stream each
    fingerprint starts (its first occurrence; -1 for the whole-text key).
    """

    docs: I64
    keys: I64
    positions: I64
    exact: I64

    def of(self, doc: int) -> I64:
        """The keys of one document."""
        lo, hi = np.searchsorted(self.docs, [doc, doc + 1])
        return self.keys[lo:hi]


_EXACT_SALT = np.uint64(0xA5A5A5A5A5A5A5A5)


def _window_minima(values: npt.NDArray[np.int32], window: int) -> npt.NDArray[np.bool_]:
    """Positions holding the minimum of at least one window of ``window`` consecutive values.

    ``m[s] = min(values[s:s + window])`` by one filter pass; position ``i`` is chosen when it equals
    the largest ``m`` over the windows that contain it (every such ``m`` is at most ``values[i]``).
    """
    half = window // 2
    minima = minimum_filter1d(values, window, mode="nearest", origin=-half)
    chosen: npt.NDArray[np.bool_] = values == maximum_filter1d(minima, window, mode="nearest", origin=half)
    return chosen


def winnow(batch: ShingleBatch, window: int) -> Fingerprints:
    """Fingerprints of every document of a sampled shingle batch (see the module docstring).

    Documents are separated by ``window - 1`` sentinels larger than any hash, so no window holds two
    documents' hashes and every document keeps exactly what it would keep alone, whatever batch it is in.
    """
    if window % 2 == 0 or window < 1:
        raise ValueError("window must be a positive odd number")
    docs_of = batch.doc_of()
    top = (batch.hashes >> np.uint64(33)).astype(np.int32)  # the filters compare exactly in 31 bits
    gap = window - 1
    # where each hash sits among the sentinels (before every document and after the last)
    slot = np.arange(len(top), dtype=np.int64) + (docs_of + 1) * gap
    padded = np.full(len(top) + gap * (len(batch.lengths) + 1), np.iinfo(np.int32).max, dtype=np.int32)
    padded[slot] = top
    chosen = _window_minima(padded, window)[slot] if len(top) else np.zeros(0, dtype=bool)
    fp_docs = docs_of[chosen]
    fp_keys = batch.hashes[chosen]
    fp_pos = batch.positions[chosen].astype(np.int64)
    has_text = batch.lengths > 0
    exact = np.where(has_text, batch.exact ^ _EXACT_SALT, np.uint64(0)).view(np.int64)
    exact_docs = np.flatnonzero(has_text).astype(np.int64)
    exact_keys = exact[has_text].view(np.uint64)
    all_docs = np.concatenate([fp_docs, exact_docs])
    all_keys = np.concatenate([fp_keys, exact_keys]).view(np.int64)
    all_pos = np.concatenate([fp_pos, np.full(len(exact_docs), -1, dtype=np.int64)])
    order = np.lexsort((all_pos, all_keys, all_docs))
    all_docs, all_keys, all_pos = all_docs[order], all_keys[order], all_pos[order]
    if len(all_docs) > 1:
        fresh = np.concatenate(([True], (all_docs[1:] != all_docs[:-1]) | (all_keys[1:] != all_keys[:-1])))
        all_docs, all_keys, all_pos = all_docs[fresh], all_keys[fresh], all_pos[fresh]
    return Fingerprints(all_docs.astype(np.int64), all_keys.astype(np.int64), all_pos, exact.astype(np.int64))
