"""Batch copy detection from raw texts to cluster labels: sketch, candidates, verify, group.

Used by the benchmarks and the evaluation; the pipeline runs the same stages with stored articles added
to the candidates. Verification cost stays bounded on templated corpora where many unrelated pairs
become candidates: a vectorised rejection on MinHash agreement first, then containment of the sampled
shingle sets already in the sketches (with a margin), and only the survivors get all their shingles
hashed, in one vectorised pass, for :func:`~storyline.copies.verify.decide`, the rule ``verify`` applies;
so a batch link is exactly a pipeline link, without the passage alignment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.groups import component_labels
from storyline.copies.shingles import ShingleBatch, shingle_batch, sorted_unique
from storyline.copies.sketch import Sketches, candidate_pairs, sketch_batch
from storyline.copies.verify import figures_differ, number_tokens, shingle_rule

__all__ = ["copy_links", "find_copies"]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
_REJECT_MARGIN = 0.2
_BORDER = 0.1
_DOC_SHIFT = np.uint64(40)
_LOW40 = np.uint64((1 << 40) - 1)


def _exact_groups(sketches: Sketches) -> tuple[I64, I64]:
    """Representative of each text among its exact duplicates, and the (dup, rep) links.

    Texts with the same non-empty normalised stream are copies without further checks."""
    exact = sketches.shingles.exact
    counts = sketches.shingles.lengths
    _, first, inverse = np.unique(exact, return_index=True, return_inverse=True)
    rep = first[inverse].astype(np.int64)
    rep = np.where(counts > 0, rep, np.arange(len(exact)))
    dups = np.flatnonzero(rep != np.arange(len(exact)))
    links: I64 = np.stack([dups, rep[dups]], axis=1)
    reps: I64 = np.unique(rep)
    return reps, links


def _plausible(sketches: Sketches, pairs: I64, config: CopyConfig) -> I64:
    """Drop pairs whose MinHash estimate of containment is far below the threshold (vectorised)."""
    mh = sketches.minhash
    agree = (mh[pairs[:, 0]] == mh[pairs[:, 1]]).mean(axis=1)
    sizes = np.diff(sketches.shingles.offsets)
    na, nb = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    shared = agree * (na + nb) / (1.0 + agree)
    containment = shared / np.maximum(np.minimum(na, nb), 1)
    kept: I64 = pairs[containment >= config.min_containment - _REJECT_MARGIN]
    return kept


def _segments(starts: I64, lengths: I64) -> I64:
    """Concatenated ``arange(start, start + length)`` for every segment, without a Python loop."""
    total = int(lengths.sum())
    ends = np.cumsum(lengths)
    index: I64 = np.arange(total, dtype=np.int64) + np.repeat(starts - (ends - lengths), lengths)
    return index


def _shared_counts(batch: ShingleBatch, pairs: I64) -> tuple[npt.NDArray[np.float64], I64]:
    """Distinct shared shingles of each pair of documents of ``batch``, and the smaller set's size.

    Vectorised: the sets of all documents involved go into one sorted array keyed by (document, top 40
    hash bits) and every element of a pair's smaller set is looked up in the other set by binary search.
    """
    docs, rank_flat = np.unique(pairs, return_inverse=True)
    rank = rank_flat.reshape(pairs.shape)
    offsets = batch.offsets
    lengths = offsets[docs + 1] - offsets[docs]
    owner = np.repeat(np.arange(len(docs), dtype=np.uint64), lengths)
    hashes = batch.hashes[_segments(offsets[docs], lengths)]
    keys = np.sort((owner << _DOC_SHIFT) | (hashes >> np.uint64(64 - 40)))
    if len(keys) > 1:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    bounds = np.searchsorted(keys, np.arange(len(docs) + 1, dtype=np.uint64) << _DOC_SHIFT)
    size = np.diff(bounds).astype(np.int64)
    a_small = size[rank[:, 0]] <= size[rank[:, 1]]
    small = np.where(a_small, rank[:, 0], rank[:, 1])
    large = np.where(a_small, rank[:, 1], rank[:, 0]).astype(np.uint64)
    probe = _segments(bounds[small], size[small])
    query = (np.repeat(large, size[small]) << _DOC_SHIFT) | (keys[probe] & _LOW40)
    where = np.minimum(np.searchsorted(keys, query), max(len(keys) - 1, 0))
    owner_pair = np.repeat(np.arange(len(pairs)), size[small])
    hits = np.bincount(owner_pair, weights=keys[where] == query, minlength=len(pairs))
    return hits.astype(np.float64), size[small]


def _sampled_pass(sketches: Sketches, pairs: I64, config: CopyConfig) -> I64:
    """Pairs whose sampled shingle sets come near the copy rules; the rest cannot pass them."""
    if len(pairs) == 0:
        return pairs
    hits, smaller = _shared_counts(sketches.shingles, pairs)
    containment = hits / np.maximum(smaller, 1)
    near = (containment >= config.min_containment - _BORDER) & (
        hits * (1 << config.sample_bits) >= config.min_shared_chars // 2
    )
    kept: I64 = pairs[near]
    return kept


def _decided(texts: Sequence[str], pairs: I64, config: CopyConfig) -> I64:
    """Pairs that pass the rules of :func:`decide` on all their shingles, exactly as ``verify`` decides."""
    needed = np.unique(pairs)
    full = shingle_batch([texts[i] for i in needed.tolist()], config.shingle_chars, 0, config.seed)
    position = {doc: k for k, doc in enumerate(needed.tolist())}
    sets = [sorted_unique(full.hashes[full.offsets[k] : full.offsets[k + 1]]) for k in range(len(needed))]
    numbers: dict[int, frozenset[str]] = {}
    keep = np.zeros(len(pairs), dtype=bool)
    for row, (i, j) in enumerate(pairs.tolist()):
        if not shingle_rule(sets[position[i]], sets[position[j]], config)[0]:
            continue
        for doc in (i, j):
            if doc not in numbers:
                numbers[doc] = number_tokens(texts[doc])
        keep[row] = not figures_differ(numbers[i], numbers[j], config)[0]
    kept: I64 = pairs[keep]
    return kept


def copy_links(texts: Sequence[str], sketches: Sketches, config: CopyConfig = DEFAULT_CONFIG) -> I64:
    """Verified copy links (i, j) within one sketched batch of ``texts``, exact duplicates included."""
    reps, exact_links = _exact_groups(sketches)
    pairs = reps[candidate_pairs(sketches.band_keys[reps])]
    pairs = _sampled_pass(sketches, _plausible(sketches, pairs, config), config)
    if len(pairs):
        pairs = _decided(texts, pairs, config)
    return np.concatenate([exact_links, pairs.reshape(-1, 2)]).astype(np.int64)


def find_copies(texts: Sequence[str], config: CopyConfig = DEFAULT_CONFIG) -> list[int]:
    """Cluster label per text; copies share a label (the smallest index of their group)."""
    sketches = sketch_batch(texts, config)
    labels = component_labels(len(texts), copy_links(texts, sketches, config))
    result: list[int] = labels.tolist()
    return result
