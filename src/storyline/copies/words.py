"""Words and names of a batch of texts as hashed sets, and their overlaps for many pairs at once.

Two pieces of copy evidence compare vocabularies: how many content words two texts share (an inserted
press-release blurb in two unrelated articles shares a passage but no topic) and whether the names at
the top of one text appear in the other (a template report about another company names other names).
Both are set overlaps, computed here without a Python loop per word: the batch's bytes are split into
letter runs by numpy, each run gets a polynomial hash of its lowercased bytes, and every document's
distinct hashes sit in one sorted array keyed by document, so a pair's overlap is one binary
search per element of its smaller set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.copies.shingles import mix64, sorted_unique

__all__ = ["WordSets", "overlaps", "word_sets"]

U8 = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
_DOC_SHIFT = np.uint64(40)
_LOW40 = np.uint64((1 << 40) - 1)
# Capitalised at a sentence start, not names.
_SENTENCE_WORDS = (
    "the this that these those there then than and but for with from into after before when while his "
    "her its their our your they she him who what which where why how has have had was were are will "
    "would can could may might said says also not one two three new"
)


@dataclass(frozen=True, slots=True)
class Keyed:
    """Distinct ``(doc << 40) | hash`` keys, sorted, with each document's slice bounds."""

    keys: U64
    bounds: I64

    def size(self) -> I64:
        out: I64 = np.diff(self.bounds)
        return out


@dataclass(frozen=True, slots=True)
class WordSets:
    """Per document: content words (5+ letters), names (capitalised, 3+ letters, not a sentence word)
    and the names within the first ``lead_chars`` characters."""

    words: Keyed
    names: Keyed
    lead_names: Keyed


def _letters(raw: U8) -> npt.NDArray[np.bool_]:
    """ASCII letters and the bytes of non-ASCII letters (UTF-8 punctuation U+2000-206F and U+00A0-00BF
    excluded, as the shingles exclude it)."""
    letter = (raw | np.uint8(0x20)) - np.uint8(97) < 26
    high = raw >= 0x80
    lead = np.flatnonzero(raw == 0xE2)
    lead = lead[lead + 2 < len(raw)]
    lead = lead[(raw[lead + 1] == 0x80) | (raw[lead + 1] == 0x81)]
    for off in range(3):
        high[lead + off] = False
    two = np.flatnonzero(raw == 0xC2)
    two = two[two + 1 < len(raw)]
    two = two[(raw[two + 1] >= 0xA0) & (raw[two + 1] <= 0xBF)]
    high[two] = False
    high[np.minimum(two + 1, len(raw) - 1)] = False
    out: npt.NDArray[np.bool_] = letter | high
    return out


_BASE = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_BASE_INV = np.uint64(pow(0x100000001B3, -1, 1 << 64))


_POWERS: list[U64] = []


def _powers(n: int) -> tuple[U64, U64]:
    """``B**j`` and ``B**-j`` for ``j < n`` (modulo 2**64), kept for the largest ``n`` asked so far."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 1 << 16)
        with np.errstate(over="ignore"):
            up = np.cumprod(np.full(size, _BASE, dtype=np.uint64))
            down = np.cumprod(np.full(size, _BASE_INV, dtype=np.uint64))
        one = np.ones(1, dtype=np.uint64)
        _POWERS[:] = [np.concatenate((one, up[:-1])), np.concatenate((one, down[:-1]))]
    return _POWERS[0][:n], _POWERS[1][:n]


def _hash_tokens(raw: U8, starts: I64, lengths: I64) -> U64:
    """A 64-bit polynomial hash of each token's (ASCII lowercased) bytes, for all tokens at once.

    With ``P[i] = sum(b[j] * B**j for j < i)`` (arithmetic modulo 2**64), the token ``[s, e)`` hashes to
    ``(P[e] - P[s]) * B**-s``: three cumulative passes over the bytes, whatever the number of tokens.
    """
    upper = (raw >= 65) & (raw <= 90)
    lower = (raw | (upper.astype(np.uint8) << np.uint8(5))).astype(np.uint64) + np.uint64(1)
    powers, inverse = _powers(len(raw))
    with np.errstate(over="ignore"):
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(lower * powers, dtype=np.uint64)))
        ends = starts + lengths
        out: U64 = mix64((prefix[ends] - prefix[starts]) * inverse[starts])
    return out


def _keyed(docs: I64, hashes: U64, n_docs: int) -> Keyed:
    keys = sorted_unique((docs.astype(np.uint64) << _DOC_SHIFT) | (hashes & _LOW40))
    bounds = np.searchsorted(keys, np.arange(n_docs + 1, dtype=np.uint64) << _DOC_SHIFT).astype(np.int64)
    return Keyed(keys, bounds)


_STOP: U64 | None = None


def _stop_hashes() -> U64:
    global _STOP
    if _STOP is None:
        words = _SENTENCE_WORDS.split()
        raw = np.frombuffer(" ".join(words).encode(), dtype=np.uint8)
        lengths = np.array([len(w) for w in words], dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
        _STOP = np.sort(_hash_tokens(raw, starts, lengths) & _LOW40)
    return _STOP


def word_sets(texts: Sequence[str], lead_chars: int) -> WordSets:
    """Hashed content words, names and lead names of every text (see :class:`WordSets`)."""
    encoded = [t.encode("utf-8", "replace") for t in texts]
    raw = np.frombuffer(b"\x00".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
    doc_start = (
        np.concatenate(([0], np.cumsum([len(e) + 1 for e in encoded])))[:-1] if encoded else np.zeros(0)
    )
    mask = _letters(raw)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    starts, ends = edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)
    lengths = ends - starts
    docs = np.searchsorted(doc_start, starts, side="right") - 1
    hashes = _hash_tokens(raw, starts, lengths)
    capital = (raw[starts] >= 65) & (raw[starts] <= 90) if len(starts) else np.zeros(0, dtype=bool)
    sentence_word = np.isin(hashes & _LOW40, _stop_hashes())
    name = capital & (lengths >= 3) & ~sentence_word
    lead = name & (starts - doc_start[docs] < lead_chars)
    n = len(texts)
    return WordSets(
        words=_keyed(docs[lengths >= 5], hashes[lengths >= 5], n),
        names=_keyed(docs[name], hashes[name], n),
        lead_names=_keyed(docs[lead], hashes[lead], n),
    )


def overlaps(probe: Keyed, target: Keyed, pairs: I64) -> I64:
    """For each pair ``(a, b)``: how many keys of document ``a`` in ``probe`` document ``b`` has in
    ``target``."""
    size = probe.size()
    a, b = pairs[:, 0], pairs[:, 1].astype(np.uint64)
    counts = size[a]
    total = int(counts.sum())
    if total == 0 or len(target.keys) == 0:
        return np.zeros(len(pairs), dtype=np.int64)
    ends = np.cumsum(counts)
    index = np.arange(total, dtype=np.int64) + np.repeat(probe.bounds[a] - (ends - counts), counts)
    query = (np.repeat(b, counts) << _DOC_SHIFT) | (probe.keys[index] & _LOW40)
    where = np.minimum(np.searchsorted(target.keys, query), len(target.keys) - 1)
    hit = target.keys[where] == query
    out: I64 = np.bincount(
        np.repeat(np.arange(len(pairs)), counts), weights=hit, minlength=len(pairs)
    ).astype(np.int64)
    return out
