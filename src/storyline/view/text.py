"""Sentences, content words and the support rule that every part of the story view shares.

Support is the one measurable notion the view rests on: article *b* states sentence *s* when a sentence
of *b* holds at least ``share`` of the content words of *s*, weighted by rarity in the story (and
``min_words`` of them), and every number of *s*. Content words
are lowercase, lightly stemmed tokens that are not stopwords, with hyphenated names split ("Jong-un" and
"Jong Un" meet). Near-identical copies pass trivially; paraphrases across agencies pass when they keep
the particulars (names, places, numbers), which is what a reader means by "the same statement".
The pairwise overlaps come from one sparse matrix product, so a 50-article story costs milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import sparse

from storyline.stories.features import MONTHS, STOPWORDS, WEEKDAYS, stem

__all__ = [
    "Overlaps",
    "Sentence",
    "content_words",
    "is_prose",
    "overlap_matrix",
    "split_sentences",
    "supported",
    "word_set",
    "words",
]

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
_SUFFIXES = ("ing", "ed", "es", "s", "e")  # the view also strips a final "e" ("rescue"/"rescued")
# A sentence ends at . ! ? (with closing quotes) before a capital, digit or quote; a period glued to the
# next sentence by scraping ("Wednesday.Russian") ends one too.
_END = re.compile(
    "(?<=[.!?])[\"'\u201d\u2019)]*\\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])"
    r"|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])"
)


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string (reads and diffs better than dozens of quoted literals)."""
    return frozenset(text.split())


_ABBREV = word_set(
    "mr mrs ms dr st gen sen rep gov lt col sgt jr sr inc co corp no vs prof capt maj rev ft mt"
)
_CAPTION = re.compile(r"^(in this (image|photo|file)|file photo|photo:|watch\b|with files from)", re.I)
_TERMINAL = re.compile("[.!\"'\u201d\u2019)]$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of one article: its text, position (0-based) and content words."""

    article_id: str
    index: int
    text: str
    content: frozenset[str]


def split_sentences(text: str) -> list[str]:
    """Sentences of a clean text: every line break ends one; so do sentence-final marks (abbreviations
    such as "Mr." and initials such as "U.S." do not)."""
    return list(_split(text))


@lru_cache(maxsize=1 << 12)
def _split(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        line = line.strip()
        for m in _END.finditer(line):
            head = line[start : m.start()]
            last = head.rstrip(".!?\"')\u201d\u2019").rsplit(None, 1)[-1:] or [""]
            tail = last[0].lower().rstrip(".")
            initials = "." in last[0] and len(tail.replace(".", "")) <= 3
            if tail in _ABBREV or initials or re.fullmatch(r"[a-z]", tail):
                continue
            out.append(line[start : m.start()].strip())
            start = m.end()
        out.append(line[start:].strip())
    return tuple(s for s in out if s)


def words(text: str) -> list[str]:
    """Word and number tokens; apostrophes stay inside a word, hyphens split it."""
    return _WORD.findall(text)


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> frozenset[str]:
    """Lowercase stemmed words that carry content (no stopwords, months or weekdays count as words)."""
    out = set()
    for tok in words(text):
        low = tok.lower()
        if low[0].isdigit():
            out.add(low)
        elif len(low) > 1 and low not in STOPWORDS:
            out.add(low if low in MONTHS or low in WEEKDAYS else stem(low, _SUFFIXES))
    return frozenset(out)


def is_prose(sentence: str, min_words: int) -> bool:
    """A sentence fit for a summary or an addition: long enough, ends like a sentence, no caption, no
    navigation separator, no question (a subheading such as "What do both sides want?")."""
    return (
        len(words(sentence)) >= min_words
        and bool(_TERMINAL.search(sentence))
        and "|" not in sentence
        and not _CAPTION.match(sentence)
    )


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Pairwise overlaps of sentences: shared content words (``words``), their summed weight
    (``weight``; a word's weight is its inverse sentence frequency in the story, so "North Korean" in
    every sentence counts little), shared numbers (``numbers``); with each sentence's own totals."""

    words: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float64]
    numbers: npt.NDArray[np.int32]
    sizes: npt.NDArray[np.int32]
    masses: npt.NDArray[np.float64]
    number_counts: npt.NDArray[np.int32]


def overlap_matrix(sentences: Sequence[Sentence]) -> Overlaps:
    """All pairwise overlaps of `sentences` from three sparse products (milliseconds for 2,000)."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, s in enumerate(sentences):
        for w in sorted(s.content):
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    n, m = len(sentences), max(len(vocab), 1)
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, m))
    df = np.asarray(x.sum(axis=0)).ravel()
    idf = np.log((n + 1) / (df + 1)) + 1.0
    xw = x.multiply(idf[None, :]).tocsr()
    numeric = np.flatnonzero(np.array([w[0].isdigit() for w in vocab] + [False] * (m - len(vocab))))
    xn = x[:, numeric]
    return Overlaps(
        words=np.asarray((x @ x.T).toarray(), dtype=np.int32),
        weight=np.asarray((xw @ x.T).toarray(), dtype=np.float64),
        numbers=np.asarray((xn @ xn.T).toarray(), dtype=np.int32),
        sizes=np.asarray(x.sum(axis=1), dtype=np.int32).ravel(),
        masses=np.asarray(xw.sum(axis=1), dtype=np.float64).ravel(),
        number_counts=np.asarray(xn.sum(axis=1), dtype=np.int32).ravel(),
    )


def supported(overlaps: Overlaps, share: float, min_words: int) -> npt.NDArray[np.bool_]:
    """``out[i, j]``: sentence j states sentence i (the support rule in the module docstring): j holds
    ``share`` of i's content-word weight, ``min_words`` of its words (all, for shorter sentences) and
    every number that i gives (a date or a figure is a particular that a paraphrase keeps)."""
    o = overlaps
    need = np.minimum(o.sizes, min_words)
    ok = (
        (o.weight >= share * o.masses[:, None] - 1e-9)
        & (o.words >= need[:, None])
        & (o.sizes[:, None] > 0)
        & (o.numbers >= o.number_counts[:, None])
    )
    return np.asarray(ok)
