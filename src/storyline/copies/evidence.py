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
- ``names``: how many of the capitalised names near the top of each text the other text names too (a
  template report about another company, an unrelated page with the same chrome: other names);
- ``template``: nearly the same words, but both hold several numbers and mostly different ones: a
  recurring template report with this week's figures (a figure that merely changed between two takes of
  a developing story says nothing, so the number check only counts where the wording agrees);
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

__all__ = ["DocFacts", "Evidence", "doc_facts", "figures_differ", "measure", "number_tokens"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_NUMBER = re.compile(r"\d(?:[\d.,/-]*\d)?")
_NON_DIGIT = re.compile(r"\D")
_CONTENT_WORD = re.compile(r"[^\W\d_]{5,}")
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}")
# Capitalised at a sentence start, not names.
_SENTENCE_WORDS = (
    "the this that these those there then than and but for with from into after before when while his "
    "her its their our your they she him who what which where why how has have had was were are will "
    "would can could may might said says also not one two three new "
)
_NOT_NAMES = frozenset(_SENTENCE_WORDS.split())
_LEAD_CHARS = 400


def number_tokens(text: str) -> frozenset[str]:
    """Distinct numbers of a text, digits only ("1,000.5" -> "10005"), as the copy rules compare them."""
    return frozenset(_NON_DIGIT.sub("", m) for m in _NUMBER.findall(text))


def figures_differ(a: frozenset[str], b: frozenset[str], min_numbers: int, min_overlap: float) -> bool:
    """Whether two number sets say "same template, other figures": both hold at least ``min_numbers``
    numbers and less than ``min_overlap`` of the smaller set is in the other."""
    smaller = min(len(a), len(b))
    return smaller >= min_numbers and len(a & b) / smaller < min_overlap


@dataclass(frozen=True, slots=True)
class DocFacts:
    """What the evidence needs of one text beyond its shingles."""

    words: frozenset[str]
    numbers: frozenset[str]
    quotes: tuple[tuple[int, int], ...]
    names: frozenset[str]
    lead_names: frozenset[str]


def _names(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _NAME.findall(text)) - _NOT_NAMES


def doc_facts(text: str) -> DocFacts:
    """Content words, numbers, quotation spans, and the names of the whole text and of its lead."""
    words = frozenset(w.lower() for w in _CONTENT_WORD.findall(text))
    names = _names(text)
    return DocFacts(words, number_tokens(text), tuple(quote_spans(text)), names, _names(text[:_LEAD_CHARS]))


def _name_agreement(a: DocFacts, b: DocFacts) -> float:
    """The smaller of the shares of each text's lead names that the other text names too (1 without any)."""
    shares = [len(x.lead_names & y.names) / len(x.lead_names) for x, y in ((a, b), (b, a)) if x.lead_names]
    return min(shares, default=1.0)


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
        flags = {name: cols[name].astype(bool) for name in ("lead", "template", "identical")}
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
    "identical",
)


def _quoted_mask(texts: Sequence[str], facts: Sequence[DocFacts], batch: ShingleBatch) -> B:
    """Per sampled shingle of ``batch``: inside a quotation of its text."""
    need = [d for d, f in enumerate(facts) if f.quotes]
    quoted = np.zeros(len(batch.hashes), dtype=bool)
    if not need:
        return quoted
    offsets = char_offsets([texts[d] for d in need])
    for k, d in enumerate(need):
        lo, hi = batch.offsets[d], batch.offsets[d + 1]
        chars = offsets.of(k)[batch.positions[lo:hi]]
        quoted[lo:hi] = quoted_positions(list(facts[d].quotes), chars)
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


def _pair_facts(pairs: I64, facts: Sequence[DocFacts], config: CopyConfig) -> tuple[F64, F64, B]:
    """Topic similarity, name agreement and "figures differ" of every pair."""
    topic, names = np.zeros(len(pairs)), np.zeros(len(pairs))
    differ = np.zeros(len(pairs), dtype=bool)
    for k, (i, j) in enumerate(pairs.tolist()):
        a, b = facts[i], facts[j]
        union = len(a.words | b.words)
        topic[k] = len(a.words & b.words) / union if union else 0.0
        names[k] = _name_agreement(a, b)
        differ[k] = figures_differ(a.numbers, b.numbers, config.min_numbers, config.min_number_overlap)
    return topic, names, differ


def measure(
    texts: Sequence[str],
    pairs: I64,
    config: CopyConfig,
    batch: ShingleBatch | None = None,
    facts: Sequence[DocFacts] | None = None,
) -> Evidence:
    """Evidence for every pair ``(i, j)`` of ``texts``; ``batch`` and ``facts`` if already computed."""
    pairs = pairs.reshape(-1, 2).astype(np.int64)
    batch = batch or shingle_batch(texts, config.shingle_chars, config.sample_bits, config.seed)
    facts = facts or [doc_facts(t) for t in texts]
    runs = shared_runs(batch, pairs, config.shingle_chars, config.max_gap, _quoted_mask(texts, facts, batch))
    keep = runs.length >= config.min_run_chars
    runs = Runs(*(getattr(runs, f)[keep] for f in Runs.__slots__))
    n = len(pairs)
    length = runs.length.astype(np.float64)
    narr: F64 = length * np.divide(runs.narrative_hits, np.maximum(runs.hits, 1))
    feats = _per_pair(runs, narr, n, config)
    lengths = batch.lengths.astype(np.float64)
    la, lb = lengths[pairs[:, 0]], lengths[pairs[:, 1]]
    short, long = np.maximum(np.minimum(la, lb), 1.0), np.maximum(np.maximum(la, lb), 1.0)
    topic, names, differ = _pair_facts(pairs, facts, config)
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
        template=differ & (topic >= config.template_topic),
        identical=same,
        runs=runs,
    )
