"""What an editor looks at to decide whether two pages are copies, measured for many pairs at once.

Real reposts share one to five paragraphs of a wire story (200-900 characters, 20-55% of the shorter
page) inside each site's own page; independent reports of the same event share quotes, statements and
press-release sentences. So the evidence is about *passages*, not whole-text similarity:

- ``longest`` / ``second``: the two longest shared narrative runs (outside quotation marks), in
  normalised characters (letters and digits);
- ``narrative`` and ``quoted``: all shared text outside and inside quotation marks;
- ``share_short`` / ``share_long``: shared narrative text, in runs of at least ``share_run_chars``, as a
  share of the shorter and of the longer text (a repost that is mostly the wire story vs a page that
  merely carries one paragraph of it; the fragments between the names and figures of a template report
  are too short to count);
- ``passages``: how many narrative runs of at least ``min_passage_chars``;
- ``lead``: whether a narrative run starts near the top of both texts (reposts keep the wire lead);
- ``topic``: the Jaccard similarity of the two texts' content words (an inserted press-release blurb
  in two unrelated articles shares a passage but no topic);
- ``names``: how many of the capitalised names near the top of the shorter text the longer one names
  too (a template report about another company, an unrelated page with the same chrome: other names);
- ``template``: the same words, but both hold several numbers and mostly different ones: a recurring
  template report with this week's figures, or a form filled in for another company (a figure that
  merely changed between two takes of a developing story says nothing, so the number check only counts
  where the wording agrees: nearly all of it, or much of it with no long shared passage);
- ``other_subject``: one form filed for two subjects: both name a listed company by its stock ticker
  near the top (``<DF>``, ``(NYSE: F)``) and no ticker is common, or the texts mostly share their
  words and where the shared runs break one names a company or country the other never does
  (:mod:`storyline.copies.slots`);
- ``identical``: the same letters and digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.copies.config import CopyConfig
from storyline.copies.quotes import quote_spans, quoted_positions
from storyline.copies.runs import Runs, shared_runs
from storyline.copies.shingles import ShingleBatch, char_offsets, shingle_batch
from storyline.copies.slots import name_swaps
from storyline.copies.words import overlaps, word_sets

__all__ = ["Evidence", "figures_differ", "measure", "number_tokens", "tickers"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_NUMBER = re.compile(r"\d(?:[\d.,/-]*\d)?")
_NON_DIGIT = re.compile(r"\D")
_QUOTE_MARK = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]')
_LEAD_CHARS = 400
_TICKER_CHARS = 200
_TICKER = re.compile(
    r"<([A-Z][A-Z0-9]{0,6}(?:\.[A-Z]{1,3})?)>|\((?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX)\s*:\s*([A-Z][A-Z.]{0,7})\)"
)


def number_tokens(text: str) -> frozenset[str]:
    """Distinct numbers of a text, digits only ("1,000.5" -> "10005"), as the copy rules compare them."""
    return frozenset(_NON_DIGIT.sub("", m) for m in _NUMBER.findall(text))


def figures_differ(a: frozenset[str], b: frozenset[str], min_numbers: int, min_overlap: float) -> bool:
    """Whether two number sets say "same template, other figures": both hold at least ``min_numbers``
    numbers and less than ``min_overlap`` of the smaller set is in the other."""
    smaller = min(len(a), len(b))
    return smaller >= min_numbers and len(a & b) / smaller < min_overlap


@dataclass(frozen=True, slots=True)
class Evidence:
    """Evidence columns for a list of pairs (see the module docstring), plus the runs it came from."""

    longest: F64
    second: F64
    narrative: F64
    quoted: F64
    share_short: F64
    share_long: F64
    passages: F64
    lead: B
    topic: F64
    names: F64
    template: B
    other_subject: B
    identical: B
    runs: Runs

    def __len__(self) -> int:
        return len(self.longest)

    def row(self, i: int) -> dict[str, float]:
        """The evidence of pair ``i`` by name (for explanations and model fitting)."""
        return {name: float(getattr(self, name)[i]) for name in FEATURES}

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, float]]) -> Evidence:
        """Evidence columns from rows by name (as stored with links), without runs."""
        cols = {name: np.array([r.get(name, 0.0) for r in rows], dtype=np.float64) for name in FEATURES}
        flags = {name: cols[name].astype(bool) for name in ("lead", "template", "other_subject", "identical")}
        empty = np.zeros(0, dtype=np.int64)
        return cls(**{**cols, **flags}, runs=Runs(empty, empty, empty, empty, empty, empty, empty))


FEATURES = (
    "longest",
    "second",
    "narrative",
    "quoted",
    "share_short",
    "share_long",
    "passages",
    "lead",
    "topic",
    "names",
    "template",
    "other_subject",
    "identical",
)


def _quoted_mask(texts: Sequence[str], batch: ShingleBatch) -> B:
    """Per sampled shingle of ``batch``: inside a quotation of its text."""
    spans = {d: quote_spans(t) for d, t in enumerate(texts) if _QUOTE_MARK.search(t)}
    need = [d for d, found in spans.items() if found]
    quoted = np.zeros(len(batch.hashes), dtype=bool)
    if not need:
        return quoted
    offsets = char_offsets([texts[d] for d in need])
    for k, d in enumerate(need):
        lo, hi = batch.offsets[d], batch.offsets[d + 1]
        quoted[lo:hi] = quoted_positions(spans[d], offsets.of(k)[batch.positions[lo:hi]])
    return quoted


def _per_pair(runs: Runs, narr: F64, n: int, config: CopyConfig) -> dict[str, F64]:
    """Per-pair narrative features from the runs' narrative lengths ``narr``."""
    long_enough = narr >= config.min_passage_chars
    near_top = long_enough & (runs.a_start < _LEAD_CHARS) & (runs.b_start < _LEAD_CHARS)
    order = np.lexsort((-narr, runs.pair))
    pair_sorted, narr_sorted = runs.pair[order], narr[order]
    first = np.concatenate(([True], pair_sorted[1:] != pair_sorted[:-1])) if len(order) else np.zeros(0, bool)
    longest, second = np.zeros(n), np.zeros(n)
    longest[pair_sorted[first]] = narr_sorted[first]
    nxt = np.flatnonzero(first) + 1
    nxt = nxt[nxt < len(order)]
    nxt = nxt[~first[nxt]]
    second[pair_sorted[nxt]] = narr_sorted[nxt]

    def total(weights: F64) -> F64:
        out: F64 = np.bincount(runs.pair, weights=weights, minlength=n).astype(np.float64)
        return out

    return {
        "longest": longest,
        "second": second,
        "narrative": total(narr),
        "passages": total(long_enough.astype(np.float64)),
        "lead": total(near_top.astype(np.float64)),
        "substantial": total(narr * (narr >= config.share_run_chars)),
    }


def _vocabulary(texts: Sequence[str], pairs: I64, lengths: F64) -> tuple[F64, F64]:
    """Content-word Jaccard similarity and lead-name agreement of every pair (see the module docstring):
    the share of the shorter text's lead names that the longer names too (1 when it has none; a brief
    inside a long report lacks most of the report's names, not the other way round)."""
    sets = word_sets(texts, _LEAD_CHARS)
    shared = overlaps(sets.words, sets.words, pairs).astype(np.float64)
    size = sets.words.size()
    union = size[pairs[:, 0]] + size[pairs[:, 1]] - shared
    topic: F64 = np.divide(shared, np.maximum(union, 1))
    shorter_first = np.where((lengths[pairs[:, 1]] < lengths[pairs[:, 0]])[:, None], pairs[:, ::-1], pairs)
    found = overlaps(sets.lead_names, sets.names, np.ascontiguousarray(shorter_first)).astype(np.float64)
    held = sets.lead_names.size()[shorter_first[:, 0]]
    names: F64 = np.where(held > 0, found / np.maximum(held, 1), 1.0)
    return topic, names


def _templates(texts: Sequence[str], pairs: I64, topic: F64, longest: F64, config: CopyConfig) -> B:
    """Pairs whose words agree but whose figures mostly differ: nearly the same words, or much the same
    words in short pieces only (a form filled in with other names and figures). Numbers are read only
    for those pairs."""
    out = np.zeros(len(pairs), dtype=bool)
    fragments = (topic >= config.fragment_topic) & (longest < config.fragment_chars)
    alike = np.flatnonzero((topic >= config.template_topic) | fragments)
    numbers: dict[int, frozenset[str]] = {}
    for k in alike.tolist():
        i, j = (int(x) for x in pairs[k])
        for d in (i, j):
            if d not in numbers:
                numbers[d] = number_tokens(texts[d])
        out[k] = figures_differ(numbers[i], numbers[j], config.min_numbers, config.min_number_overlap)
    return out


def tickers(text: str) -> frozenset[str]:
    """Stock tickers named near the top of a text (``<DF>``, ``<BAC.N>``, ``(NYSE: F)``)."""
    head = text[:_TICKER_CHARS]
    return frozenset(m.group(1) or m.group(2) for m in _TICKER.finditer(head))


def _other_subjects(texts: Sequence[str], pairs: I64, runs: Runs, topic: F64, config: CopyConfig) -> B:
    """Pairs filed for two subjects: other stock tickers, or another name in a slot (texts that mostly
    share their words; see :mod:`storyline.copies.slots`)."""
    found = [tickers(t) for t in texts]
    out = np.array(
        [bool(found[i]) and bool(found[j]) and not found[i] & found[j] for i, j in pairs.tolist()], dtype=bool
    )
    alike = np.flatnonzero(topic >= config.fragment_topic)
    if len(alike) == 0:
        return out
    needed = np.unique(pairs[alike])
    slot = np.full(len(texts), -1, dtype=np.int64)
    slot[needed] = np.arange(len(needed))
    offsets = char_offsets([texts[d] for d in needed.tolist()])
    swaps = name_swaps(texts, pairs, runs, lambda d: offsets.of(int(slot[d])), alike, config.slot_chars)
    return out | swaps


def _content_order(batch: ShingleBatch, pairs: I64) -> B:
    """Pairs whose second text comes first by (normalised length, whole-text hash)."""
    la, lb = batch.lengths[pairs[:, 0]], batch.lengths[pairs[:, 1]]
    ea, eb = batch.exact[pairs[:, 0]], batch.exact[pairs[:, 1]]
    out: B = (lb < la) | ((lb == la) & (eb < ea))
    return out


def _as_asked(runs: Runs, flip: B) -> Runs:
    """Runs measured on flipped pairs, with their two sides swapped back."""
    f = flip[runs.pair]
    return Runs(
        runs.pair,
        np.where(f, runs.b_start, runs.a_start),
        np.where(f, runs.b_end, runs.a_end),
        np.where(f, runs.a_start, runs.b_start),
        np.where(f, runs.a_end, runs.b_end),
        runs.hits,
        runs.narrative_hits,
    )


def measure(
    texts: Sequence[str],
    pairs: I64,
    config: CopyConfig,
    batch: ShingleBatch | None = None,
) -> Evidence:
    """Evidence for every pair ``(i, j)`` of ``texts``; ``batch``: their sampled shingles, if at hand.

    Each pair is measured in an order fixed by the two texts themselves (so the evidence is the same
    whichever text arrived first); the runs come back oriented as asked.
    """
    pairs = pairs.reshape(-1, 2).astype(np.int64)
    batch = batch or shingle_batch(texts, config.shingle_chars, config.sample_bits, config.seed)
    flip = _content_order(batch, pairs)
    oriented = np.where(flip[:, None], pairs[:, ::-1], pairs)
    runs = shared_runs(batch, oriented, config.shingle_chars, config.max_gap, _quoted_mask(texts, batch))
    keep = runs.length >= config.min_run_chars
    runs = _as_asked(Runs(*(getattr(runs, f)[keep] for f in Runs.__slots__)), flip)
    n = len(pairs)
    length = runs.length.astype(np.float64)
    narr: F64 = length * np.divide(runs.narrative_hits, np.maximum(runs.hits, 1))
    feats = _per_pair(runs, narr, n, config)
    lengths = batch.lengths.astype(np.float64)
    la, lb = lengths[pairs[:, 0]], lengths[pairs[:, 1]]
    short, long = np.maximum(np.minimum(la, lb), 1.0), np.maximum(np.maximum(la, lb), 1.0)
    topic, names = _vocabulary(texts, pairs, lengths)
    same = (batch.exact[pairs[:, 0]] == batch.exact[pairs[:, 1]]) & (la == lb) & (la > 0)
    return Evidence(
        longest=feats["longest"],
        second=feats["second"],
        narrative=feats["narrative"],
        quoted=np.bincount(runs.pair, weights=length - narr, minlength=n).astype(np.float64),
        share_short=np.minimum(feats["substantial"] / short, 1.0),
        share_long=np.minimum(feats["substantial"] / long, 1.0),
        passages=feats["passages"],
        lead=feats["lead"] > 0,
        topic=topic,
        names=names,
        template=_templates(texts, pairs, topic, feats["longest"], config),
        other_subject=_other_subjects(texts, pairs, runs, topic, config),
        identical=same,
        runs=runs,
    )
