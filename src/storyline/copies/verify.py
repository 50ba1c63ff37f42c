"""Exact verification of a candidate pair, with the shared passages as evidence.

LSH only proposes pairs; this decides. The decision uses every shingle of both texts: the share of the
shorter text found in the other (containment, so abridged and updated versions still count) and the
amount of shared text (so a shared quote or template sentence does not). Aligning passages costs more, so
it runs only for pairs that pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
import numpy.typing as npt

from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.shingles import TextShingles, shingle_batch, sorted_unique, text_shingles
from storyline.model import Passage

__all__ = [
    "Decision",
    "Verdict",
    "aligned_passages",
    "decide",
    "figures_differ",
    "number_tokens",
    "shared_count",
    "shingle_rule",
    "verify",
    "verify_many",
]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
_NUMBER = re.compile(r"\d(?:[\d.,/-]*\d)?")
_NON_DIGIT = re.compile(r"\D")


def number_tokens(text: str) -> frozenset[str]:
    """Distinct numbers of a text, digits only ("1,000.5" -> "10005"), as the copy rules compare them."""
    return frozenset(_NON_DIGIT.sub("", m) for m in _NUMBER.findall(text))


def figures_differ(a: frozenset[str], b: frozenset[str], config: CopyConfig) -> tuple[bool, str]:
    """Whether two number sets say "same template, other figures", with a readable account."""
    smaller = min(len(a), len(b))
    if smaller < config.min_numbers:
        return False, ""
    overlap = len(a & b) / smaller
    return overlap < config.min_number_overlap, f"{overlap:.0%} of the numbers shared"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Decision on one pair, readable by a user: ``reason`` explains it either way."""

    is_copy: bool
    reason: str
    containment: float
    jaccard: float
    passages: tuple[Passage, ...]


def _word_starts(shingles: TextShingles) -> I64:
    """Stream positions where a word starts in the original text (something was skipped before it)."""
    n = len(shingles.hashes)
    gaps = np.flatnonzero(np.diff(shingles.char_of[:n]) != 1) + 1
    return np.concatenate(([0], gaps)).astype(np.int64) if n else np.empty(0, dtype=np.int64)


def _merged_blocks(sa: TextShingles, sb: TextShingles, k: int) -> list[tuple[int, int, int, int]]:
    """Monotone matching blocks of two texts, as (a_start, b_start, a_end, b_end) stream positions.

    Only shingles that start a word are aligned (about one in six, so the alignment is six times
    cheaper and a passage cannot start inside a word); blocks closer than two shingle widths in both
    texts are joined (a typo, glued words, a changed figure).
    """
    wa, wb = _word_starts(sa), _word_starts(sb)
    matcher = SequenceMatcher(None, sa.hashes[wa].tolist(), sb.hashes[wb].tolist(), autojunk=False)
    merged: list[tuple[int, int, int, int]] = []
    for i, j, n in matcher.get_matching_blocks():
        if n == 0:
            continue
        a0, b0, a1, b1 = int(wa[i]), int(wb[j]), int(wa[i + n - 1]) + k, int(wb[j + n - 1]) + k
        if merged:
            pa0, pb0, pa1, pb1 = merged[-1]
            if a0 - pa1 <= 2 * k and b0 - pb1 <= 2 * k:
                merged[-1] = (pa0, pb0, max(pa1, a1), max(pb1, b1))
                continue
        merged.append((a0, b0, a1, b1))
    return merged


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words, so a passage never starts or ends inside a word."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def aligned_passages(
    a: str, b: str, sa: TextShingles, sb: TextShingles, k: int, min_chars: int
) -> tuple[Passage, ...]:
    """Passages of ``a`` that appear in ``b`` in the same order, as char offsets into both.

    The word-start shingles of both texts are aligned monotonically (longest common blocks first, so a
    paragraph repeated inside one text cannot pull the alignment backwards); see :func:`_merged_blocks`.
    Passages are widened to whole words; those shorter than ``min_chars`` normalised characters are
    dropped.
    """
    if len(sa.hashes) == 0 or len(sb.hashes) == 0:
        return ()
    passages = []
    for a0, b0, a1, b1 in _merged_blocks(sa, sb, k):
        if a1 - a0 < min_chars:
            continue
        sa0, sa1 = _word_span(a, int(sa.char_of[a0]), int(sa.char_of[a1 - 1]) + 1)
        sb0, sb1 = _word_span(b, int(sb.char_of[b0]), int(sb.char_of[b1 - 1]) + 1)
        passages.append(Passage(a_start=sa0, a_end=sa1, b_start=sb0, b_end=sb1))
    return tuple(passages)


def _reason(is_copy: bool, containment: float, jaccard: float, shared: int, config: CopyConfig) -> str:
    facts = (
        f"{containment:.0%} of the shorter text's shingles appear in the other "
        f"(jaccard {jaccard:.2f}), about {shared} characters shared"
    )
    if is_copy:
        return f"copy: {facts}"
    if containment < config.min_containment:
        return f"not a copy: {facts}; needs {config.min_containment:.0%} containment"
    return f"not a copy: {facts}; needs {config.min_shared_chars} shared characters"


@dataclass(frozen=True, slots=True)
class Decision:
    """The copy decision on two shingle sets, before passages are aligned."""

    is_copy: bool
    reason: str
    containment: float
    jaccard: float


def shared_count(ua: U64, ub: U64) -> int:
    """Size of the intersection of two sorted distinct arrays, by binary search (no sort)."""
    if len(ua) == 0 or len(ub) == 0:
        return 0
    small, large = (ua, ub) if len(ua) <= len(ub) else (ub, ua)
    where = np.minimum(np.searchsorted(large, small), len(large) - 1)
    return int(np.count_nonzero(large[where] == small))


def shingle_rule(ua: U64, ub: U64, config: CopyConfig) -> tuple[bool, int, float, float]:
    """Containment and shared-text rule on sorted distinct shingle hashes: (passes, shared, c, j)."""
    shared = shared_count(ua, ub)
    smaller = min(len(ua), len(ub))
    containment = shared / smaller if smaller else 0.0
    union = len(ua) + len(ub) - shared
    jaccard = shared / union if union else 0.0
    passes = containment >= config.min_containment and shared >= config.min_shared_chars
    return passes, shared, containment, jaccard


def decide(
    ua: U64, ub: U64, numbers_a: frozenset[str], numbers_b: frozenset[str], config: CopyConfig
) -> Decision:
    """The copy rules on sorted distinct shingle hashes and number sets; symmetric in a and b."""
    is_copy, shared, containment, jaccard = shingle_rule(ua, ub, config)
    reason = _reason(is_copy, containment, jaccard, shared, config)
    if is_copy:
        differ, numbers = figures_differ(numbers_a, numbers_b, config)
        if differ:
            is_copy = False
            facts = reason.removeprefix("copy: ")
            reason = f"not a copy: same wording but other figures ({numbers}), a recurring template; {facts}"
    return Decision(is_copy, reason, containment, jaccard)


_IDENTICAL = "copy: identical text once spacing, case and punctuation are ignored"


def verify(a: str, b: str, config: CopyConfig = DEFAULT_CONFIG) -> Verdict:
    """Decide whether clean texts ``a`` and ``b`` are copies, with containment, Jaccard and passages.

    The decision is symmetric in ``a`` and ``b``; passage offsets are char offsets into ``a`` and ``b``.
    For many pairs at once, :func:`verify_many` gives the same verdicts faster.
    """
    k = config.shingle_chars
    sa, sb = text_shingles(a, k, config.seed), text_shingles(b, k, config.seed)
    if sa.stream and sa.stream == sb.stream:
        return Verdict(True, _IDENTICAL, 1.0, 1.0, (Passage(0, len(a), 0, len(b)),))
    d = decide(sorted_unique(sa.hashes), sorted_unique(sb.hashes), number_tokens(a), number_tokens(b), config)
    passages = aligned_passages(a, b, sa, sb, k, config.min_passage_chars) if d.is_copy else ()
    return Verdict(d.is_copy, d.reason, d.containment, d.jaccard, passages)


def verify_many(pairs: Sequence[tuple[str, str]], config: CopyConfig = DEFAULT_CONFIG) -> list[Verdict]:
    """:func:`verify` for many candidate pairs: all texts are shingled in one vectorised pass, each
    distinct text once, and passages are aligned only for the pairs that are copies."""
    texts = list(dict.fromkeys(text for pair in pairs for text in pair))
    index = {text: i for i, text in enumerate(texts)}
    full = shingle_batch(texts, config.shingle_chars, 0, config.seed)
    sets = [sorted_unique(full.hashes[full.offsets[i] : full.offsets[i + 1]]) for i in range(len(texts))]
    numbers = [number_tokens(text) for text in texts]
    verdicts = []
    for a, b in pairs:
        i, j = index[a], index[b]
        if full.lengths[i] > 0 and full.exact[i] == full.exact[j] and full.lengths[i] == full.lengths[j]:
            verdicts.append(verify(a, b, config))
            continue
        d = decide(sets[i], sets[j], numbers[i], numbers[j], config)
        if d.is_copy:
            verdicts.append(verify(a, b, config))
        else:
            verdicts.append(Verdict(False, d.reason, d.containment, d.jaccard, ()))
    return verdicts
