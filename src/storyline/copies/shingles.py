"""Text normalisation and shingle hashing, vectorised with numpy over a whole batch.

Copies of news survive reposting only up to spacing, punctuation and case: scrapers glue words together
("agenciesTuesday"), wrap lines with hyphenated breaks, turn quotes curly and leave HTML entities. All of
that disappears when a text is reduced to its stream of lowercase letters and digits, so shingles are
character windows of that stream. Hashing works on 4-byte words read straight from the byte buffer, so a
batch costs a handful of numpy passes rather than a Python loop per token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import xxhash

__all__ = [
    "SEPARATOR",
    "CharOffsets",
    "ShingleBatch",
    "TextShingles",
    "char_offsets",
    "mix64",
    "shingle_batch",
    "sorted_unique",
    "text_shingles",
]

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

SEPARATOR = 0x20
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")
_SAMPLE_MULT = np.uint32(0x9E3779B1)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def sorted_unique(values: U64) -> U64:
    """Sorted distinct values; faster than ``np.unique`` (hash based in numpy 2) on small arrays."""
    out = np.sort(values)
    if len(out) > 1:
        out = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return out


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: a cheap, well-mixing bijection on uint64 (in place on a fresh array)."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


def _drop_unicode_punctuation(raw: U8, keep: npt.NDArray[np.bool_]) -> None:
    """Drop UTF-8 encoded punctuation: U+2000-U+206F (curly quotes, dashes, ellipsis) and U+00A0-U+00BF."""
    n = len(raw)
    lead = np.flatnonzero(raw == 0xE2)
    lead = lead[lead + 2 < n]
    lead = lead[(raw[lead + 1] == 0x80) | (raw[lead + 1] == 0x81)]
    for off in range(3):
        keep[lead + off] = False
    lead2 = np.flatnonzero(raw == 0xC2)
    lead2 = lead2[lead2 + 1 < n]
    lead2 = lead2[(raw[lead2 + 1] >= 0xA0) & (raw[lead2 + 1] <= 0xBF)]
    keep[lead2] = False
    keep[lead2 + 1] = False


def _keep_mask(raw: U8, ascii_only: bool) -> npt.NDArray[np.bool_]:
    """Letters, digits, UTF-8 bytes (other than punctuation) and the NUL document separator."""
    keep = (raw | np.uint8(0x20)) - np.uint8(97) < 26
    keep |= raw - np.uint8(48) < 10
    keep |= raw == 0
    if not ascii_only:
        keep |= raw >= 0x80
        if len(raw) >= 3:
            _drop_unicode_punctuation(raw, keep)
    return keep


def _lower(stream: U8, ascii_only: bool) -> U8:
    """Lowercase ASCII letters and turn the NUL separator into SEPARATOR (bit 0x20), in place."""
    if ascii_only:
        stream |= np.uint8(0x20)
    else:
        stream |= (stream < 0x80).view(np.uint8) << np.uint8(5)
    return stream


def _words32(stream: U8) -> U32:
    """Little-endian uint32 of the 4 bytes starting at every position (zero padded at the end)."""
    n = len(stream)
    pad = np.zeros(n + 8, dtype=np.uint8)
    pad[:n] = stream
    words = np.empty(n, dtype=np.uint32)
    for off in range(4):
        count = (n - off + 3) // 4
        words[off::4] = pad[off : off + 4 * count].view("<u4")
    return words


def _hash_at(words: U32, idx: I64, shingle_chars: int, seed: int) -> U64:
    """64-bit hash of the ``shingle_chars`` characters starting at each index (one mixing round)."""
    h = words[idx].astype(np.uint64)
    h |= words[idx + 4].astype(np.uint64) << np.uint64(32)
    h ^= np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
    for word in range(2, shingle_chars // 4):
        extra = words[idx + 4 * word].astype(np.uint64)
        extra *= np.uint64((0x9E3779B97F4A7C15 * (2 * word - 1)) & 0xFFFFFFFFFFFFFFFF)
        h ^= extra
    return mix64(h)


def _crossing(n: int, seps: I64, shingle_chars: int) -> npt.NDArray[np.bool_]:
    """Start positions whose window would include a document separator (a few scatters per document)."""
    near = np.zeros(n + shingle_chars, dtype=bool)
    for back in range(shingle_chars):
        near[np.maximum(seps - back, 0)] = True
    return near


def _sample(words: U32, n_valid: int, sample_bits: int) -> I64:
    """Positions whose first 4 characters hash into the kept 1 / 2**sample_bits: content-defined, so
    two copies keep the same shingles."""
    if sample_bits == 0:
        return np.arange(n_valid, dtype=np.int64)
    limit = np.uint32(1 << (32 - sample_bits))
    return np.flatnonzero((words[:n_valid] * _SAMPLE_MULT) < limit).astype(np.int64)


@dataclass(frozen=True, slots=True)
class ShingleBatch:
    """Sampled shingle hashes of a batch, in document order.

    ``hashes[offsets[d]:offsets[d+1]]`` are document ``d``'s hashes (with repeats), and ``positions`` the
    same slice's start positions in that document's normalised stream, ascending; ``exact`` holds one
    64-bit hash of each document's whole normalised stream, for the exact-duplicate short-circuit, and
    ``lengths`` the length of that stream.
    """

    hashes: U64
    positions: I32
    offsets: I64
    exact: U64
    lengths: I64

    def doc_of(self) -> I64:
        """The document index of every hash."""
        counts = np.diff(self.offsets)
        return np.repeat(np.arange(len(counts), dtype=np.int64), counts)

    def take(self, docs: I64) -> ShingleBatch:
        """The batch of documents ``docs`` (in that order)."""
        lo, hi = self.offsets[docs], self.offsets[docs + 1]
        counts = hi - lo
        ends = np.cumsum(counts)
        index = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) + np.repeat(
            lo - (ends - counts), counts
        )
        return ShingleBatch(
            self.hashes[index],
            self.positions[index],
            np.concatenate(([0], ends)).astype(np.int64),
            self.exact[docs],
            self.lengths[docs],
        )

    @staticmethod
    def concat(parts: Sequence[ShingleBatch]) -> ShingleBatch:
        """One batch of the documents of ``parts``, in order."""
        offsets = [np.zeros(1, dtype=np.int64)]
        base = 0
        for part in parts:
            offsets.append(part.offsets[1:] + base)
            base += int(part.offsets[-1])
        return ShingleBatch(
            np.concatenate([p.hashes for p in parts]),
            np.concatenate([p.positions for p in parts]),
            np.concatenate(offsets),
            np.concatenate([p.exact for p in parts]),
            np.concatenate([p.lengths for p in parts]),
        )


def _joined_stream(texts: Sequence[str]) -> U8:
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    if "&" in joined:
        joined = _ENTITY.sub("", joined)
    ascii_only = joined.isascii()
    raw = np.frombuffer(joined.encode("utf-8", "replace"), dtype=np.uint8)
    return _lower(np.compress(_keep_mask(raw, ascii_only), raw), ascii_only)


def _exact_hashes(stream: U8, bounds: I64) -> U64:
    data = stream.tobytes()
    out = np.empty(len(bounds) - 1, dtype=np.uint64)
    for d in range(len(bounds) - 1):
        out[d] = xxhash.xxh3_64_intdigest(data[bounds[d] + 1 : bounds[d + 1]])
    return out


def shingle_batch(texts: Sequence[str], shingle_chars: int, sample_bits: int, seed: int) -> ShingleBatch:
    """Sampled shingle hashes for every text of a batch, in a few vectorised passes."""
    if not texts:
        nothing = np.zeros(0, dtype=np.int64)
        hashes, positions = np.zeros(0, np.uint64), np.zeros(0, np.int32)
        return ShingleBatch(hashes, positions, np.zeros(1, np.int64), np.zeros(0, np.uint64), nothing)
    stream = _joined_stream(texts)
    seps = np.flatnonzero(stream == SEPARATOR).astype(np.int64)
    bounds = np.concatenate(([-1], seps, [len(stream)])).astype(np.int64)
    words = _words32(stream)
    idx = _sample(words, max(len(stream) - shingle_chars + 1, 0), sample_bits)
    idx = np.compress(~_crossing(len(stream), seps, shingle_chars)[idx], idx)
    hashes = _hash_at(words, idx, shingle_chars, seed)
    offsets = np.concatenate(([0], np.searchsorted(idx, seps), [len(idx)])).astype(np.int64)
    lengths = (np.diff(bounds) - 1).astype(np.int64)
    starts = np.repeat(bounds[:-1] + 1, np.diff(offsets))
    return ShingleBatch(
        hashes=hashes,
        positions=(idx - starts).astype(np.int32),
        offsets=offsets,
        exact=_exact_hashes(stream, bounds),
        lengths=lengths,
    )


@dataclass(frozen=True, slots=True)
class TextShingles:
    """All shingles of one text with where they start: ``starts`` index the normalised stream, and
    ``char_of`` maps a stream position to a character offset in the original text."""

    hashes: U64
    starts: I64
    char_of: I64
    stream: bytes


_ENTITY_BYTES = re.compile(_ENTITY.pattern.encode())


def _mask_entities(raw: U8, keep: npt.NDArray[np.bool_]) -> None:
    """Drop HTML entities (``&amp;``, ``&#8217;``); the pattern is ASCII, so it runs on the UTF-8 bytes."""
    for m in _ENTITY_BYTES.finditer(raw.tobytes()):
        keep[m.start() : m.end()] = False


@dataclass(frozen=True, slots=True)
class CharOffsets:
    """Where each position of every document's normalised stream comes from in its original text.

    ``char_of[offsets[d] + p]`` is the character offset in ``texts[d]`` of stream position ``p`` of
    document ``d``; the streams are those of :func:`shingle_batch`.
    """

    char_of: I32
    offsets: I64

    def of(self, doc: int) -> I32:
        """The stream-to-character map of one document."""
        return self.char_of[self.offsets[doc] : self.offsets[doc + 1]]


def char_offsets(texts: Sequence[str]) -> CharOffsets:
    """Stream-to-character maps for a batch, in a few vectorised passes (see :class:`CharOffsets`)."""
    joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    raw = np.frombuffer(joined.encode("utf-8", "replace"), dtype=np.uint8)
    ascii_only = joined.isascii()
    keep = _keep_mask(raw, ascii_only)
    if "&" in joined:
        _mask_entities(raw, keep)
    src = np.flatnonzero(keep)
    char_index = np.arange(len(raw), dtype=np.int64) if ascii_only else np.cumsum((raw & 0xC0) != 0x80) - 1
    sep = raw[src] == 0
    doc = np.cumsum(sep)
    sep_chars = char_index[src[sep]]
    starts = np.concatenate(([0], sep_chars + 1))
    stream_src = src[~sep]
    char_of = (char_index[stream_src] - starts[doc[~sep]]).astype(np.int32)
    counts = np.bincount(doc[~sep], minlength=len(texts)) if len(texts) else np.zeros(0, np.int64)
    return CharOffsets(char_of, np.concatenate(([0], np.cumsum(counts))).astype(np.int64))


def text_shingles(text: str, shingle_chars: int, seed: int) -> TextShingles:
    """Every shingle of one text (no sampling), keeping the offsets needed to show shared passages."""
    raw = np.frombuffer(text.replace("\x00", " ").encode("utf-8", "replace"), dtype=np.uint8)
    keep = _keep_mask(raw, text.isascii())
    if "&" in text:
        _mask_entities(raw, keep)
    src = np.flatnonzero(keep).astype(np.int64)
    stream = _lower(raw[src], text.isascii())
    if text.isascii():
        char_of = src
    else:
        char_index = np.cumsum((raw & 0xC0) != 0x80, dtype=np.int64) - 1
        char_of = char_index[src]
    n_valid = max(len(stream) - shingle_chars + 1, 0)
    starts = np.arange(n_valid, dtype=np.int64)
    hashes = _hash_at(_words32(stream), starts, shingle_chars, seed)
    return TextShingles(hashes=hashes, starts=starts, char_of=char_of, stream=stream.tobytes())
