"""The article-extraction benchmark (AEB) metric and data loader.

The metric reproduces scrapinghub/article-extraction-benchmark's ``evaluate.py`` exactly, so our figures
can be set beside the published ones: tokens are ``\\w+`` runs (case kept), each text becomes a multiset
of 4-token shingles (a text shorter than 4 tokens is one shorter shingle), and per page the true
positive, false positive and false negative counts are divided by their sum so every page weighs the
same. Precision and recall are averaged over the pages where they are defined and F1 is the harmonic
mean of the two averages (not the mean of per-page F1s).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AebPage",
    "AebScore",
    "PageCounts",
    "load_aeb",
    "page_counts",
    "score",
    "shingles",
    "tokenize",
]

_TOKEN_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PageCounts:
    """One page's shingle tp/fp/fn, normalised to sum to 1 (all zero when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """Page precision, or None where the page does not count for precision (nothing predicted)."""
        if self.tp + self.fp <= 0:
            return None
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Page recall, or None where the page does not count for recall (empty gold)."""
        if self.tp + self.fn <= 0:
            return None
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)


@dataclass(frozen=True, slots=True)
class AebScore:
    """Precision and recall averaged over pages, and F1 as their harmonic mean."""

    precision: float
    recall: float
    f1: float
    pages: int


@dataclass(frozen=True, slots=True)
class AebPage:
    """One benchmark page: its id, raw HTML and gold article body."""

    id: str
    html: str
    gold: str
    url: str | None


def tokenize(text: str | None) -> list[str]:
    """Split text into ``\\w+`` tokens, as the benchmark does."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text with fewer than n tokens yields one short shingle."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def page_counts(gold: str | None, predicted: str | None, n: int = 4) -> PageCounts:
    """Compare one page's predicted text with its gold body."""
    true = shingles(gold, n)
    pred = shingles(predicted, n)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def score(counts: Iterable[PageCounts]) -> AebScore:
    """Average precision and recall over pages where each is defined; F1 of the two averages."""
    items = list(counts)
    precisions = [p for c in items if (p := c.precision) is not None]
    recalls = [r for c in items if (r := c.recall) is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return AebScore(precision=precision, recall=recall, f1=f1, pages=len(items))


def load_aeb(root: Path | str, ids: Sequence[str] | None = None) -> Iterator[AebPage]:
    """Yield benchmark pages (sorted by id) from ``root/html/<id>.html.gz`` and ``root/ground-truth.json``."""
    base = Path(root)
    truth: Mapping[str, Mapping[str, str]] = json.loads(
        (base / "ground-truth.json").read_text(encoding="utf-8")
    )
    for page_id in sorted(ids if ids is not None else truth):
        with gzip.open(base / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as handle:
            html = handle.read()
        item = truth[page_id]
        yield AebPage(id=page_id, html=html, gold=item.get("articleBody", ""), url=item.get("url"))
