"""Pairwise event evidence: weighted term vectors, their per-kind cosines, and P(same event).

A document's vector holds the sublinear term frequencies of its typed terms (see
:mod:`storyline.stories.features`) as compact arrays (sorted term ids, counts, position flags), so
many stored articles fit in memory; idf is applied when vectors meet. One article is scored
against all its candidates at once: candidate term ids are looked up in the article's sorted ids,
and the products are summed per (candidate, term kind), so the pair features of every candidate
cost a few numpy calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from storyline.stories.config import FEATURES, StoryConfig
from storyline.stories.features import HEAD, LEAD, Terms
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
    """One article: sorted term ids with their counts (capped at 31) and position flags, latest year,
    publication time.

    Idf is applied when vectors are compared, from the frequencies current at that moment, so an
    article stored early is weighed like one stored late, and stored vectors never need rebuilding.
    """

    ids: npt.NDArray[np.int32]
    counts: npt.NDArray[np.uint8]
    flags: npt.NDArray[np.uint8]
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

    def add(self, terms: Terms) -> npt.NDArray[np.int32]:
        """Count one more document holding these terms, giving new terms an id; return the ids of
        ``terms.counts`` in their order."""
        self.documents += 1
        found = list(map(self.ids.get, terms.counts))
        if None in found:
            pairs = zip(terms.counts, found, strict=True)
            found = [self._new_id(term) if i is None else i for term, i in pairs]
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
    terms: Terms,
    df: DocumentFrequencies,
    published: datetime | None,
    ids: npt.NDArray[np.int32] | None = None,
) -> DocVector:
    """Sorted ids, counts and flags of the terms ``df`` knows (add an article to ``df`` first; pass the
    ids :meth:`DocumentFrequencies.add` returned to skip looking them up again)."""
    counted = terms.counts
    years = [int(t[2:]) for t in counted if t[0] == "y"]
    if ids is None:
        known = [(t, i) for t in counted if (i := df.ids.get(t)) is not None]
        ids = np.array([i for _, i in known], dtype=np.int32)
        names = [t for t, _ in known]
    else:
        names = list(counted)
    counts = np.array([counted[t] for t in names], dtype=np.float64)
    flags = np.array([terms.flags.get(t, 0) for t in names], dtype=np.uint8)
    order = np.argsort(ids, kind="stable")
    capped = np.minimum(counts[order], MAX_COUNT).astype(np.uint8)
    return DocVector(ids[order], capped, flags[order], max(years) if years else None, timestamp(published))


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
        np.concatenate([v.flags for v in vectors]) if vectors else empty.astype(np.uint8),
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

    ``rows`` is also the neighbourhood of the ``local`` features (see :func:`_neighbourhood_factors`):
    score an article against its candidates in one call.
    """
    k = len(rows)
    out = np.zeros((k, len(FEATURES)))
    if k == 0:
        return out
    qw = weights(query, df) if query_weights is None else query_weights
    cid = rows.ids
    cw = rows.tf.astype(np.float64) * df.idf_of(cid)
    pair = _Pair(query, rows, slot=rows.owner * len(KINDS) + (cid % len(KINDS)), match=_match(query.ids, cid))
    kw = _kind_weights(config)
    dots, qnorms, onorms = pair.products(qw, cw)
    out[:, 0] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    for col, kind_index in ((1, 0), (2, 1), (3, 2), (4, 4)):
        out[:, col] = _safe_cos(dots[:, kind_index], float(qnorms[kind_index]), onorms[:, kind_index])
    names = _KIND["e"]
    out[:, 11] = (dots[:, names] == 0) & (qnorms[names] > 0) & (onorms[:, names] > 0)
    if query.latest_year is not None:
        out[:, 5] = rows.years == query.latest_year
        out[:, 6] = (rows.years > 0) & (rows.years != query.latest_year)
    qf, cf = _neighbourhood_factors(query, cid, pair.match, k, config.neighbourhood_prior)
    dots, qnorms, onorms = pair.products(qw * qf, cw * cf)
    out[:, 7] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    out[:, 8] = _safe_cos(dots[:, 2], float(qnorms[2]), onorms[:, 2])
    q_lead, c_lead = (query.flags & LEAD) > 0, (rows.flags & LEAD) > 0
    for col, (qx, cx) in ((9, (qw, cw)), (10, (qw * qf, cw * cf))):
        dots, qnorms, onorms = pair.products(qx * q_lead, cx * c_lead)
        out[:, col] = _safe_cos(dots @ kw, float(qnorms @ kw), onorms @ kw)
    out[:, 12], out[:, 13] = _headline_names(query, rows, pair.match, df, k)
    return out


@dataclass(frozen=True, slots=True)
class _Pair:
    """A query against its candidate rows: where each candidate term sits (slot = row x kind) and
    where it is among the query's terms."""

    query: DocVector
    rows: Rows
    slot: npt.NDArray[np.int64]
    match: _Match

    def products(self, qw: Floats, cw: Floats) -> tuple[Floats, Floats, Floats]:
        return _kind_products(self.query, qw, self.slot, cw, self.match, len(self.rows))


def _headline_names(
    query: DocVector, rows: Rows, match: _Match, df: DocumentFrequencies, k: int
) -> tuple[Floats, Floats]:
    """Whether the two headlines (or url slugs) name things and none in common, and the idf-weighted
    cosine of the names they hold.

    A dense wire stream repeats one template for every company ("X sets quarterly dividend"), so the
    body vocabulary of two reports agrees while the headline's company does not: different subjects,
    different events. Look-alike events of one subject ("Epstein arrested", "Epstein found dead") share
    the headline name and are left to the other features.
    """
    pos, hit = match
    names = rows.ids % len(KINDS) == _KIND["e"]
    c_head = names & ((rows.flags & HEAD) > 0)
    q_head = (query.ids % len(KINDS) == _KIND["e"]) & ((query.flags & HEAD) > 0)
    idf2 = df.idf_of(rows.ids) ** 2
    both = c_head & hit & q_head[pos]
    dot = np.bincount(rows.owner[both], weights=idf2[both], minlength=k).astype(np.float64)
    c_norm = np.bincount(rows.owner[c_head], weights=idf2[c_head], minlength=k).astype(np.float64)
    q_norm = float((df.idf_of(query.ids[q_head]) ** 2).sum())
    clash = ((dot == 0) & (c_norm > 0) & (q_norm > 0)).astype(np.float64)
    return clash, _safe_cos(dot, q_norm, c_norm)


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
