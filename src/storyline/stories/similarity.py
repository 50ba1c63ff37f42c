"""Pairwise event evidence: weighted term vectors, their per-kind cosines, and P(same event).

A document's vector holds the sublinear term frequencies of its typed terms (see
:mod:`storyline.stories.features`) as two compact arrays (sorted term ids, float32 values), so
many stored articles fit in memory; idf is applied when vectors meet. One article is scored
against all its candidates at once: candidate term ids are looked up in the article's sorted ids,
and the products are summed per (candidate, term kind), so the seven pair features of every
candidate cost a few numpy calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from storyline.stories.config import FEATURES, StoryConfig
from storyline.stories.features import TermCounts
from storyline.stories.vectors import MAX_COUNT, TF, Rows, timestamp

__all__ = [
    "DocVector",
    "DocumentFrequencies",
    "decayed_probabilities",
    "feature_matrix",
    "feature_rows",
    "pair_features",
    "rows_of",
    "same_event_probability",
    "vectorise",
    "weights",
]

KINDS = "wenyd"
_KIND = {k: i for i, k in enumerate(KINDS)}
Floats = npt.NDArray[np.float64]
_Match = tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]


@dataclass(frozen=True, slots=True)
class DocVector:
    """One article: sorted term ids with their counts (capped at 31), latest year, publication time.

    Idf is applied when vectors are compared, from the frequencies current at that moment, so an
    article stored early is weighed like one stored late, and stored vectors never need rebuilding.
    """

    ids: npt.NDArray[np.int32]
    counts: npt.NDArray[np.uint8]
    latest_year: int | None
    when: float
    """Publication time as a POSIX timestamp, NaN when unknown."""

    @property
    def tf(self) -> npt.NDArray[np.float32]:
        """Sublinear term frequencies, ``1 + log(count)``."""
        return TF[self.counts]


class DocumentFrequencies:
    """Term ids and document frequencies over the articles seen so far (an online idf).

    A term's id modulo 5 is its kind's index in ``KINDS``, so vectors need no kind table.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._counts = np.zeros(4096, dtype=np.int32)
        self._next = [0] * len(KINDS)
        self.documents = 0

    def add(self, terms: TermCounts) -> npt.NDArray[np.int32]:
        """Count one more document holding these terms, giving new terms an id; return the ids of
        ``terms`` in their order."""
        self.documents += 1
        found = list(map(self.ids.get, terms))
        if None in found:
            found = [self._new_id(term) if i is None else i for term, i in zip(terms, found, strict=True)]
        out = np.array(found, dtype=np.int32)
        if not found:
            return out
        top = int(out.max())
        if top >= len(self._counts):
            grown = np.zeros(max(2 * len(self._counts), top + 1), dtype=np.int32)
            grown[: len(self._counts)] = self._counts
            self._counts = grown
        self._counts[out] += 1
        return out

    def _new_id(self, term: str) -> int:
        kind = _KIND[term[0]]
        i = self.ids[term] = self._next[kind] * len(KINDS) + kind
        self._next[kind] += 1
        return i

    def idf_of(self, ids: npt.NDArray[np.int32]) -> Floats:
        """Smoothed idf of term ids: a term in every document keeps weight 1, a rare one the most."""
        counts = self._counts[ids].astype(np.float64)
        return np.log((self.documents + 1) / (counts + 1)) + 1.0


def vectorise(
    terms: TermCounts,
    df: DocumentFrequencies,
    published: datetime | None,
    ids: npt.NDArray[np.int32] | None = None,
) -> DocVector:
    """Sorted ids and counts of the terms ``df`` knows (add an article to ``df`` first; pass the ids
    :meth:`DocumentFrequencies.add` returned to skip looking them up again)."""
    years = [int(t[2:]) for t in terms if t[0] == "y"]
    if ids is None:
        known = [(i, c) for t, c in terms.items() if (i := df.ids.get(t)) is not None]
        ids = np.array([i for i, _ in known], dtype=np.int32)
        counts = np.array([c for _, c in known], dtype=np.float64)
    else:
        counts = np.fromiter(terms.values(), dtype=np.float64, count=len(terms))
    order = np.argsort(ids, kind="stable")
    capped = np.minimum(counts[order], MAX_COUNT).astype(np.uint8)
    return DocVector(ids[order], capped, max(years) if years else None, timestamp(published))


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
    return feature_rows(query, rows_of(others), df, config)


def rows_of(vectors: Sequence[DocVector]) -> Rows:
    """Vectors as the concatenated :class:`Rows` that :func:`feature_rows` reads."""
    empty = np.zeros(0, dtype=np.int32)
    return Rows(
        np.concatenate([v.ids for v in vectors]) if vectors else empty,
        np.concatenate([v.tf for v in vectors]) if vectors else empty.astype(np.float32),
        np.repeat(np.arange(len(vectors)), [len(v.ids) for v in vectors]),
        np.array([v.latest_year or 0 for v in vectors], dtype=np.int16),
        np.array([v.when for v in vectors], dtype=np.float64),
    )


def feature_rows(
    query: DocVector,
    rows: Rows,
    df: DocumentFrequencies,
    config: StoryConfig,
    query_weights: Floats | None = None,
) -> Floats:
    """The features of :data:`FEATURES` between ``query`` and each row of ``rows`` (``query_weights``:
    the query's :func:`weights`, when the caller has them already).

    ``rows`` is also the neighbourhood of the two ``local`` features (see
    :func:`_neighbourhood_factors`): score an article against its candidates in one call.
    """
    k = len(rows)
    out = np.zeros((k, len(FEATURES)))
    if k == 0:
        return out
    qw = weights(query, df) if query_weights is None else query_weights
    cid = rows.ids
    cw = rows.tf.astype(np.float64) * df.idf_of(cid)
    slot = rows.owner * len(KINDS) + (cid % len(KINDS))
    match = _match(query.ids, cid)
    kw = _kind_weights(config)
    dots, qnorms, onorms = _kind_products(query, qw, slot, cw, match, k)
    out[:, 0] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    for col, kind_index in ((1, 0), (2, 1), (3, 2), (4, 4)):
        out[:, col] = _safe_cos(dots[:, kind_index], float(qnorms[kind_index]), onorms[:, kind_index])
    if query.latest_year is not None:
        out[:, 5] = rows.years == query.latest_year
        out[:, 6] = (rows.years > 0) & (rows.years != query.latest_year)
    qf, cf = _neighbourhood_factors(query, cid, match, k, config.neighbourhood_prior)
    dots, qnorms, onorms = _kind_products(query, qw * qf, slot, cw * cf, match, k)
    out[:, 7] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    out[:, 8] = _safe_cos(dots[:, 2], float(qnorms[2]), onorms[:, 2])
    return out


def _match(query_ids: npt.NDArray[np.int32], cid: npt.NDArray[np.int32]) -> _Match:
    """For each candidate term: its position among the query's sorted ids, and whether it is there."""
    if not len(query_ids):
        return np.zeros(len(cid), dtype=np.intp), np.zeros(len(cid), dtype=bool)
    pos = np.minimum(np.searchsorted(query_ids, cid), len(query_ids) - 1)
    return pos, query_ids[pos] == cid


def _kind_products(
    query: DocVector, qw: Floats, slot: npt.NDArray[np.int64], cw: Floats, match: _Match, k: int
) -> tuple[Floats, Floats, Floats]:
    """Per (candidate, kind) dot products with the query, the query's and the candidates' squared norms."""
    nk = len(KINDS)
    pos, hit = match
    qnorms = np.bincount(query.ids % nk, weights=qw * qw, minlength=nk).astype(np.float64)
    dots = _per_kind(slot[hit], cw[hit] * qw[pos[hit]], k)
    return dots, qnorms, _per_kind(slot, cw * cw, k)


def _neighbourhood_factors(
    query: DocVector, cid: npt.NDArray[np.int32], match: _Match, k: int, prior: float
) -> tuple[Floats, Floats]:
    """How particular each term is within this neighbourhood (the query and its ``k`` candidates).

    The factor is ``1 - df / (k + 1 + prior)``, ``df`` counting the neighbourhood's articles that hold
    the term. Candidates are the articles that share the query's heaviest terms, so a term nearly
    all of them hold is the topic's vocabulary ("Teixeira", "offer", "eight-year") and cannot tell
    two look-alike events apart; what only some hold ("Angels" vs "Red Sox") can. ``prior``
    pseudo-articles that hold nothing keep a small neighbourhood (one pair) from calling everything
    it shares topic vocabulary. Global idf cannot do this: on a large corpus these terms are rare.
    """
    pos, hit = match
    n = k + 1.0 + prior
    query_df = 1.0 + np.bincount(pos[hit], minlength=len(query.ids)).astype(np.float64)
    order = np.argsort(cid, kind="stable")
    ordered = cid[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    runs = np.diff(np.append(starts, len(cid)))
    candidate_df = hit.astype(np.float64)
    candidate_df[order] += np.repeat(runs, runs)
    return 1.0 - query_df / n, 1.0 - candidate_df / n


def decayed_probabilities(features: Floats, when: float, times: Floats, config: StoryConfig) -> Floats:
    """P(same event) per row of ``features``: the logistic model, damped by the days between the
    query's publication time ``when`` and each row's ``times`` (timestamps, NaN when unknown)."""
    z = features @ np.array(config.coefficients) + config.intercept
    probs: Floats = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    days = np.abs(times - when) / 86400.0
    late = days > config.date_grace_days  # False where either time is NaN
    probs[late] *= np.exp(-(days[late] - config.date_grace_days) / config.date_scale_days)
    return probs


def pair_features(
    a: DocVector, b: DocVector, df: DocumentFrequencies, config: StoryConfig
) -> tuple[float, ...]:
    """The features of one pair (see :func:`feature_matrix`)."""
    return tuple(float(x) for x in feature_matrix(a, [b], df, config)[0])


def same_event_probability(a: DocVector, b: DocVector, df: DocumentFrequencies, config: StoryConfig) -> float:
    """P(a and b report the same event)."""
    features = feature_matrix(a, [b], df, config)
    return float(decayed_probabilities(features, a.when, np.array([b.when]), config)[0])
