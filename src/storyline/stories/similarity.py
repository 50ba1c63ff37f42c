"""Pairwise event evidence: weighted term vectors, their per-kind cosines, and P(same event).

A document's vector holds the sublinear term frequencies of its typed terms (see
:mod:`storyline.stories.features`) as two compact arrays (sorted term ids, float32 values), so
many stored articles fit in memory; idf is applied when vectors meet. One article is scored
against all its candidates at once: candidate term ids are looked up in the article's sorted ids,
and the products are summed per (candidate, term kind), so the seven pair features of every
candidate cost a few numpy calls.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from storyline.stories.config import FEATURES, StoryConfig
from storyline.stories.features import TermCounts

__all__ = [
    "DocVector",
    "DocumentFrequencies",
    "days_apart",
    "feature_matrix",
    "pair_features",
    "probabilities",
    "same_event_probability",
    "vectorise",
    "weights",
]

KINDS = "wenyd"
_KIND = {k: i for i, k in enumerate(KINDS)}
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class DocVector:
    """One article: sorted term ids with their sublinear term frequencies, latest year, time.

    Idf is applied when vectors are compared, from the frequencies current at that moment, so an
    article stored early is weighed like one stored late, and stored vectors never need rebuilding.
    """

    ids: npt.NDArray[np.int32]
    tf: npt.NDArray[np.float32]
    latest_year: int | None
    published: datetime | None


class DocumentFrequencies:
    """Term ids and document frequencies over the articles seen so far (an online idf).

    A term's id modulo 5 is its kind's index in ``KINDS``, so vectors need no kind table.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._counts = np.zeros(4096, dtype=np.int32)
        self._next = [0] * len(KINDS)
        self.documents = 0

    def add(self, terms: TermCounts) -> None:
        """Count one more document holding these terms, giving new terms an id."""
        self.documents += 1
        ids = self.ids
        new: list[int] = []
        for term in terms:
            i = ids.get(term)
            if i is None:
                kind = _KIND[term[0]]
                i = ids[term] = self._next[kind] * len(KINDS) + kind
                self._next[kind] += 1
            new.append(i)
        if not new:
            return
        top = max(new)
        if top >= len(self._counts):
            grown = np.zeros(max(2 * len(self._counts), top + 1), dtype=np.int32)
            grown[: len(self._counts)] = self._counts
            self._counts = grown
        self._counts[np.array(new)] += 1

    def idf_of(self, ids: npt.NDArray[np.int32]) -> Floats:
        """Smoothed idf of term ids: a term in every document keeps weight 1, a rare one the most."""
        counts = self._counts[ids].astype(np.float64)
        return np.log((self.documents + 1) / (counts + 1)) + 1.0


def vectorise(terms: TermCounts, df: DocumentFrequencies, published: datetime | None) -> DocVector:
    """Sorted ids and 1 + log tf of the terms ``df`` knows (add an article to ``df`` first)."""
    pairs: list[tuple[int, float]] = []
    latest: int | None = None
    for term, count in terms.items():
        i = df.ids.get(term)
        if i is not None:
            pairs.append((i, 1.0 + math.log(count)))
        if term[0] == "y":
            latest = max(latest or 0, int(term[2:]))
    pairs.sort()
    ids = np.fromiter((p[0] for p in pairs), dtype=np.int32, count=len(pairs))
    tf = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs))
    return DocVector(ids, tf, latest, published)


def weights(vector: DocVector, df: DocumentFrequencies) -> Floats:
    """The tf x idf weights of a vector's terms, with the current idf."""
    return vector.tf.astype(np.float64) * df.idf_of(vector.ids)


def _kind_weights(config: StoryConfig) -> Floats:
    w, e, n, d = config.word_weight, config.name_weight, config.number_weight, config.date_weight
    return np.array([w, e, n, d, d]) ** 2


def _safe_cos(dot: Floats, na: Floats | float, nb: Floats) -> Floats:
    den = np.sqrt(np.asarray(na * nb, dtype=np.float64))
    num = np.asarray(dot, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _per_kind(slot: npt.NDArray[np.int64], values: Floats, rows: int) -> Floats:
    counts = np.bincount(slot, weights=values, minlength=rows * len(KINDS))
    return counts.astype(np.float64).reshape(rows, len(KINDS))


def feature_matrix(
    query: DocVector, others: Sequence[DocVector], df: DocumentFrequencies, config: StoryConfig
) -> Floats:
    """The features of :data:`FEATURES` between ``query`` and each of ``others`` (one row each)."""
    k = len(others)
    out = np.zeros((k, len(FEATURES)))
    if k == 0:
        return out
    nk = len(KINDS)
    qw = weights(query, df)
    qnorms = np.bincount(query.ids % nk, weights=qw * qw, minlength=nk)
    cid = np.concatenate([o.ids for o in others])
    cw = np.concatenate([o.tf for o in others]).astype(np.float64) * df.idf_of(cid)
    owner = np.repeat(np.arange(k), [len(o.ids) for o in others])
    slot = owner * nk + (cid % nk)
    onorms = _per_kind(slot, cw * cw, k)
    dots = np.zeros((k, nk))
    if len(query.ids) and len(cid):
        pos = np.minimum(np.searchsorted(query.ids, cid), len(query.ids) - 1)
        hit = query.ids[pos] == cid
        dots = _per_kind(slot[hit], cw[hit] * qw[pos[hit]], k)
    kw = _kind_weights(config)
    out[:, 0] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    for col, kind_index in ((1, 0), (2, 1), (3, 2), (4, 4)):
        out[:, col] = _safe_cos(dots[:, kind_index], float(qnorms[kind_index]), onorms[:, kind_index])
    if query.latest_year is not None:
        years = np.array([-1 if o.latest_year is None else o.latest_year for o in others])
        out[:, 5] = years == query.latest_year
        out[:, 6] = (years >= 0) & (years != query.latest_year)
    return out


def days_apart(a: datetime | None, b: datetime | None) -> float | None:
    """Days between two publication times, or None when either is unknown."""
    if a is None or b is None:
        return None
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs((a - b).total_seconds()) / 86400.0


def probabilities(
    query: DocVector, others: Sequence[DocVector], features: Floats, config: StoryConfig
) -> list[float]:
    """P(same event) per row of ``features``: the logistic model, damped by the time between them."""
    z = features @ np.array(config.coefficients) + config.intercept
    probs = (1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))).tolist()
    if query.published is not None:
        for i, other in enumerate(others):
            days = days_apart(query.published, other.published)
            if days is not None and days > config.date_grace_days:
                probs[i] *= math.exp(-(days - config.date_grace_days) / config.date_scale_days)
    return [float(p) for p in probs]


def pair_features(
    a: DocVector, b: DocVector, df: DocumentFrequencies, config: StoryConfig
) -> tuple[float, ...]:
    """The features of one pair (see :func:`feature_matrix`)."""
    return tuple(float(x) for x in feature_matrix(a, [b], df, config)[0])


def same_event_probability(a: DocVector, b: DocVector, df: DocumentFrequencies, config: StoryConfig) -> float:
    """P(a and b report the same event)."""
    return probabilities(a, [b], feature_matrix(a, [b], df, config), config)[0]
