"""Corpus evidence about recurring lines: what recurs next to *different* text is page chrome.

A navigation bar, a comment policy or a copyright footer recurs in many documents of a site, each time
around a different article. A wire story reposted by 30 sites also puts its sentences in 30 documents,
but always around the *same* article. Counting documents alone cannot tell the two apart, so every
observation of a line carries a *context*: a sketch of the content of the document it was seen in.

Context, precisely: a 4 x 16-bit MinHash of the document's set of line keys, taken over its
sentence-like lines (at least `_CONTENT_WORDS` words; all lines when it has none), packed into one
signed 64-bit integer. Two copies of one story share each 16-bit component with probability equal to
the Jaccard similarity of their sentence sets, which is high even when the sites wrap them in different
chrome; two different articles almost never share one. For a line seen in *n* documents, the number of
distinct values of a component estimates how many different articles it appeared beside; the upper
median of the four counts is used: robust to one component landing on a shared chrome line (which pulls
boilerplate counts down) or on a site's own chrome line (which pulls copy counts up).
Because the context belongs to the document, every line of a multi-line footer block gets the same
verdict as the block's edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import NamedTuple

import xxhash

__all__ = [
    "LineEvidence",
    "LineObservation",
    "Recurrence",
    "document_context",
    "line_key",
    "line_keys",
    "observe_lines",
]

_CONTENT_WORDS = 8
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_SEEDS = (0x5EED1, 0x5EED2, 0x5EED3, 0x5EED4)
_MASK16 = 0xFFFF
_TWO63 = 1 << 63
_TWO64 = 1 << 64


class LineObservation(NamedTuple):
    """One distinct line of a document: its key and the key of the document's content (see module)."""

    line: int
    context: int


class Recurrence(NamedTuple):
    """How often a line recurs: in how many documents, beside how many different contents (estimated)."""

    docs: int
    contents: int


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def line_key(line: str) -> int:
    """Key of a normalised line: case, spacing and digits folded, so a dated header recurs every day."""
    folded = _SPACE.sub(" ", _DIGITS.sub("0", line.lower())).strip()
    return _signed(xxhash.xxh64_intdigest(folded.encode()))


def line_keys(lines: list[str], lowered: str | None = None) -> list[int]:
    """`line_key` of every line (lines hold no ``"\\n"``), folding case and digits in one pass over
    the whole document instead of one per line; `lowered` may pass ``"\\n".join(lines).lower()``.
    ``" ".join(s.split())`` is ``\\s+`` collapsed to one space and stripped: both split on exactly the
    characters `str.isspace` accepts."""
    if not lines:
        return []
    if lowered is None:
        lowered = "\n".join(lines).lower()
    folded = _DIGITS.sub("0", lowered).split("\n")
    keys = [xxhash.xxh64_intdigest(" ".join(f.split()).encode()) for f in folded]
    return [k - _TWO64 if k >= _TWO63 else k for k in keys]


def document_context(lines: list[str], keys: list[int]) -> int:
    """Pack a 4 x 16-bit MinHash of the document's sentence-like line keys into a signed 64-bit int."""
    chosen = [k for line, k in zip(lines, keys, strict=True) if _content_like(line)]
    members = set(chosen or keys)
    if not members:
        return 0
    raw = [k.to_bytes(8, "little", signed=True) for k in members]
    packed = 0
    for seed in _SEEDS:
        smallest = min(map(xxhash.xxh64_intdigest, raw, repeat(seed, len(raw))))
        packed = (packed << 16) | (smallest >> 48)
    return _signed(packed)


def _content_like(line: str) -> bool:
    """At least `_CONTENT_WORDS` words; a line too short to hold that many (each word a character and a
    separator) is not scanned."""
    return len(line) >= 2 * _CONTENT_WORDS - 1 and len(_WORD.findall(line)) >= _CONTENT_WORDS


def _components(context: int) -> tuple[int, int, int, int]:
    value = context & ((1 << 64) - 1)
    return (value >> 48, (value >> 32) & _MASK16, (value >> 16) & _MASK16, value & _MASK16)


def observe_lines(text: str) -> list[LineObservation]:
    """One observation per distinct non-blank line of a normalised document, in first-seen order."""
    lines = [line for line in text.split("\n") if line.strip()]
    keys = line_keys(lines)
    context = document_context(lines, keys)
    return [LineObservation(key, context) for key in dict.fromkeys(keys)]


def _freeze(contexts: dict[str, int]) -> Recurrence:
    """Recurrence of one line (in one scope) from the first context seen for each of its documents: the
    documents, and the upper median of the distinct values of the four context components."""
    if len(contexts) == 1:
        return Recurrence(1, 1)
    parts: tuple[set[int], ...] = (set(), set(), set(), set())
    for context in contexts.values():
        for part, value in zip(parts, _components(context), strict=True):
            part.add(value)
    return Recurrence(len(contexts), sorted(len(p) for p in parts)[2])


@dataclass(frozen=True)
class LineEvidence:
    """How often each line recurs, across the corpus and within each site, beside how much different text.

    Built from stored observation rows ``(line, site, context, doc_id)``; a document observed twice counts
    once. Site ``""`` means unknown: such rows count globally but not towards any site. ``documents`` is
    how many documents the evidence covers in all (0 when unknown), so that a line can be told to recur
    on a large share of pages (chrome) or on a few (a sentence news reports share).
    """

    global_counts: dict[int, Recurrence]
    site_counts: dict[tuple[int, str], Recurrence]
    documents: int = 0

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, int, str]], documents: int = 0) -> LineEvidence:
        """Aggregate observation rows into per-line recurrence counts."""
        by_line: dict[int, dict[str, int]] = {}
        by_site: dict[tuple[int, str], dict[str, int]] = {}
        for line, site, context, doc_id in rows:
            seen = by_line.get(line)
            if seen is None:
                by_line[line] = {doc_id: context}
            else:
                seen.setdefault(doc_id, context)  # a document observed twice counts once, as first seen
            if site:
                local = by_site.get((line, site))
                if local is None:
                    by_site[(line, site)] = {doc_id: context}
                else:
                    local.setdefault(doc_id, context)
        return cls(
            {k: _freeze(t) for k, t in by_line.items()},
            {k: _freeze(t) for k, t in by_site.items()},
            documents,
        )

    def recurrence(self, line: int, site: str | None = None) -> tuple[Recurrence, Recurrence]:
        """Return (global, per-site) recurrence of a line key; unseen lines recur zero times."""
        empty = Recurrence(0, 0)
        local = self.site_counts.get((line, site), empty) if site else empty
        return self.global_counts.get(line, empty), local
