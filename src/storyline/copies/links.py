"""Links from evidence: which pairs are copies, which only reuse a passage, and where the passages are.

A pair is a ``copy`` link when the model's probability reaches ``copy_threshold``: the two pages derive
from the same source text. It is a ``reuse`` link when it is not, but shares a narrative passage of at
least ``reuse_chars`` normalised characters (a wire paragraph inside an article of one's own). Both
keep their passages as character offsets into the two clean texts, and their evidence; only copy links
can join copy groups (:mod:`storyline.copies.groups`). Pairs that share only quotes or short phrases
leave no link.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storyline.copies.config import CopyConfig
from storyline.copies.evidence import Evidence
from storyline.copies.runs import Runs
from storyline.copies.shingles import char_offsets
from storyline.model import CopyLink, LinkKind, Passage

__all__ = ["make_links", "passages_of"]

I64 = npt.NDArray[np.int64]


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words, so a passage never starts or ends inside a word."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def _char_span(text: str, char_of: npt.NDArray[np.int32], start: int, end: int) -> tuple[int, int]:
    end = min(end, len(char_of))
    if end <= start:
        return 0, 0
    return _word_span(text, int(char_of[start]), int(char_of[end - 1]) + 1)


def passages_of(
    runs: Runs,
    pair: int,
    a: tuple[str, npt.NDArray[np.int32]],
    b: tuple[str, npt.NDArray[np.int32]],
    min_chars: int,
) -> tuple[Passage, ...]:
    """The runs of one pair at least ``min_chars`` long, as passages in both texts (by ``a_start``)."""
    lo, hi = np.searchsorted(runs.pair, [pair, pair + 1])
    out = []
    for r in range(int(lo), int(hi)):
        if runs.a_end[r] - runs.a_start[r] < min_chars:
            continue
        a0, a1 = _char_span(a[0], a[1], int(runs.a_start[r]), int(runs.a_end[r]))
        b0, b1 = _char_span(b[0], b[1], int(runs.b_start[r]), int(runs.b_end[r]))
        quoted = 2 * int(runs.narrative_hits[r]) < int(runs.hits[r])
        out.append(Passage(a0, a1, b0, b1, quoted))
    return tuple(out)


def make_links(
    ids: Sequence[str],
    texts: Sequence[str],
    pairs: I64,
    evidence: Evidence,
    probability: npt.NDArray[np.float64],
    config: CopyConfig,
    passages: bool = True,
) -> list[CopyLink]:
    """Copy and reuse links of the pairs ``(i, j)`` of ``ids``, oriented with the smaller id first
    (without passage offsets when ``passages`` is false)."""
    copy = probability >= config.copy_threshold
    reuse = ~copy & (evidence.longest >= config.reuse_chars)
    keep = np.flatnonzero(copy | reuse)
    if len(keep) == 0:
        return []
    needed = np.unique(pairs[keep]) if passages else np.zeros(0, dtype=np.int64)
    offsets = char_offsets([texts[d] for d in needed.tolist()])
    slot = {int(d): n for n, d in enumerate(needed.tolist())}
    links = []
    for k in keep.tolist():
        i, j = (int(x) for x in pairs[k])
        shared: tuple[Passage, ...] = ()
        if passages:
            a, b = (texts[i], offsets.of(slot[i])), (texts[j], offsets.of(slot[j]))
            shared = passages_of(evidence.runs, k, a, b, config.min_passage_chars)
        if ids[j] < ids[i]:
            i, j = j, i
            shared = tuple(Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.quoted) for p in shared)
        kind: LinkKind = "copy" if copy[k] else "reuse"
        links.append(CopyLink(ids[i], ids[j], kind, float(probability[k]), shared, evidence.row(k)))
    return links
