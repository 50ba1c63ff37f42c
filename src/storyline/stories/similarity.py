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
_ID_BITS = 32
"""Term ids fit in 32 bits: a query number shifted by this, or-ed with a term id, keys a (query, term)."""


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

    def without_names(self) -> DocumentFrequencies:
        """The same idf without the term names (most of the object): what scoring stored vectors,
        which hold term ids, reads on another process. It shares the counts array, so it is a
        snapshot only until this object counts another document: send or use it at once."""
        copy = DocumentFrequencies.__new__(DocumentFrequencies)
        copy.ids, copy._counts, copy._next = {}, self._counts, list(self._next)
        copy.documents = self.documents
        return copy

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


def feature_rows_many(
    queries: Rows,
    counts: npt.NDArray[np.int64],
    rows: Rows,
    df: DocumentFrequencies,
    config: StoryConfig,
    query_weights: Floats | None = None,
) -> Floats:
    """:func:`feature_rows` of many queries at once: query ``q`` (row ``q`` of ``queries``) against
    the next ``counts[q]`` rows of ``rows``, whose ``owner`` numbers the pairs ``0..sum(counts)-1``.

    Bit for bit what one :func:`feature_rows` call per query gives (a revision scores every article
    this way, and the stories must not depend on how it was batched): every sum is a ``bincount``,
    which adds in input order per bin as the per-query sums do, and the few reductions that numpy
    hands to BLAS or pairwise summation (whose rounding depends on the array's length) are still done
    per query, on the same slices.
    """
    k = len(rows)
    out = np.zeros((k, len(FEATURES)))
    if k == 0:
        return out
    nq = len(queries)
    qw = weights_of(queries, df) if query_weights is None else query_weights
    cid = rows.ids
    idf = df.idf_of(cid)
    cw = rows.tf.astype(np.float64) * idf
    pair_query = np.repeat(np.arange(nq), counts)
    many = _Many.of(queries, rows, counts, pair_query)
    kw = _kind_weights(config)
    dots, qnorms, onorms = many.products(qw, cw)
    out[:, 0] = many.weighted_cos(dots, qnorms, onorms, kw)
    for col, kind_index in ((1, 0), (2, 1), (3, 2), (4, 4)):
        out[:, col] = _safe_cos(dots[:, kind_index], qnorms[pair_query, kind_index], onorms[:, kind_index])
    names = _KIND["e"]
    out[:, 11] = (dots[:, names] == 0) & (qnorms[pair_query, names] > 0) & (onorms[:, names] > 0)
    year = queries.years[pair_query]
    known = year != 0
    out[:, 5] = known & (rows.years == year)
    out[:, 6] = known & (rows.years > 0) & (rows.years != year)
    qf, cf = _neighbourhood_factors_many(
        queries, rows, many.match, counts, pair_query, config.neighbourhood_prior
    )
    dots, qnorms, onorms = many.products(qw * qf, cw * cf)
    out[:, 7] = many.weighted_cos(dots, qnorms, onorms, kw)
    out[:, 8] = _safe_cos(dots[:, 2], qnorms[pair_query, 2], onorms[:, 2])
    for col, (qx, cx) in ((9, (qw, cw)), (10, (qw * qf, cw * cf))):
        dots, qnorms, onorms = many.products(qx, cx, lead=True)
        out[:, col] = many.weighted_cos(dots, qnorms, onorms, kw)
    out[:, 12], out[:, 13] = _headline_names_many(many, df, idf, pair_query)
    return out


@dataclass(frozen=True, slots=True)
class _Many:
    """Many queries against their candidate rows: the pair (``rows.owner``) x kind slot of every
    candidate term, where it is among all the queries' terms, and where each query's pairs start."""

    queries: Rows
    rows: Rows
    bounds: list[int]
    slot: npt.NDArray[np.int64]
    match: _Match
    qslot: npt.NDArray[np.int64]
    hits: npt.NDArray[np.intp]
    lead: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]
    """Query terms, candidate terms and matched candidate terms in the lead (both sides)."""

    @staticmethod
    def of(
        queries: Rows, rows: Rows, counts: npt.NDArray[np.int64], pair_query: npt.NDArray[np.int64]
    ) -> _Many:
        nk = len(KINDS)
        match = _match_many(queries, rows, pair_query)
        pos, hit = match
        hits = np.flatnonzero(hit)
        q_lead, c_lead = (queries.flags & LEAD) > 0, (rows.flags & LEAD) > 0
        lead_hits = hits[c_lead[hits] & q_lead[pos[hits]]]
        return _Many(
            queries,
            rows,
            np.concatenate(([0], np.cumsum(counts))).tolist(),
            rows.owner * nk + (rows.ids % nk),
            match,
            queries.owner * nk + (queries.ids % nk),
            hits,
            (np.flatnonzero(q_lead), np.flatnonzero(c_lead), lead_hits),
        )

    def products(self, qw: Floats, cw: Floats, lead: bool = False) -> tuple[Floats, Floats, Floats]:
        """Per (pair, kind) dot products, per (query, kind) and per (pair, kind) squared norms; with
        ``lead``, of the lead terms only. Terms left out would add zeros (every weight is positive),
        which change no sum, so only the terms that count are summed."""
        nq, k = len(self.queries), len(self.rows)
        pos = self.match[0]
        if lead:
            q_at, c_at, h_at = self.lead
            qs, qx = self.qslot[q_at], qw[q_at]
            cs, cx = self.slot[c_at], cw[c_at]
        else:
            h_at = self.hits
            qs, qx, cs, cx = self.qslot, qw, self.slot, cw
        qnorms = _per_kind(qs, qx * qx, nq)
        dots = _per_kind(self.slot[h_at], cw[h_at] * qw[pos[h_at]], k)
        return dots, qnorms, _per_kind(cs, cx * cx, k)

    def weighted_cos(self, dots: Floats, qnorms: Floats, onorms: Floats, kw: Floats) -> Floats:
        """The cosine over all kinds (weights ``kw``) of every pair; the matrix products per query, as
        :func:`feature_rows` does them (BLAS rounds a row differently in a longer matrix)."""
        k = len(self.rows)
        dot, other, mine = np.empty(k), np.empty(k), np.empty(k)
        b = self.bounds
        for q in range(len(self.queries)):
            lo, hi = b[q], b[q + 1]
            if hi > lo:
                dot[lo:hi] = dots[lo:hi] @ kw
                other[lo:hi] = onorms[lo:hi] @ kw
                mine[lo:hi] = float(qnorms[q] @ kw)
        return _safe_cos(dot, mine, other)


def weights_of(rows: Rows, df: DocumentFrequencies) -> Floats:
    """The tf x idf weights of every term of ``rows`` (as :func:`weights` gives them per vector)."""
    return rows.tf.astype(np.float64) * df.idf_of(rows.ids)


def _match_many(queries: Rows, rows: Rows, pair_query: npt.NDArray[np.int64]) -> _Match:
    """For each candidate term: its position among all the queries' terms (its own query's sorted
    ids, in that query's block), and whether it is there."""
    qkey = (queries.owner.astype(np.int64) << _ID_BITS) | queries.ids
    ckey = (pair_query[rows.owner] << _ID_BITS) | rows.ids
    if not len(qkey):
        return np.zeros(len(ckey), dtype=np.intp), np.zeros(len(ckey), dtype=bool)
    pos = np.minimum(np.searchsorted(qkey, ckey), len(qkey) - 1)
    return pos, qkey[pos] == ckey


def _neighbourhood_factors_many(
    queries: Rows,
    rows: Rows,
    match: _Match,
    counts: npt.NDArray[np.int64],
    pair_query: npt.NDArray[np.int64],
    prior: float,
) -> tuple[Floats, Floats]:
    """:func:`_neighbourhood_factors` of every query (neighbourhood: its own candidates)."""
    pos, hit = match
    n = counts.astype(np.float64) + 1.0 + prior
    query_df = 1.0 + np.bincount(pos[hit], minlength=len(queries.ids)).astype(np.float64)
    entry_query = pair_query[rows.owner]
    # how many of its query's candidates hold each term: equal keys are counted, so any sort will do
    key = (entry_query << _ID_BITS) | rows.ids
    order = np.argsort(key)
    key = key[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    runs = np.diff(np.append(starts, len(key)))
    candidate_df = hit.astype(np.float64)
    candidate_df[order] += np.repeat(runs, runs)
    return 1.0 - query_df / n[queries.owner], 1.0 - candidate_df / n[entry_query]


def _headline_names_many(
    many: _Many, df: DocumentFrequencies, idf: Floats, pair_query: npt.NDArray[np.int64]
) -> tuple[Floats, Floats]:
    """:func:`_headline_names` of every pair (``idf``: of the candidate terms); each query's squared
    norm summed per query, as there."""
    queries, rows = many.queries, many.rows
    k = len(rows)
    pos, hit = many.match
    names = rows.ids % len(KINDS) == _KIND["e"]
    c_head = np.flatnonzero(names & ((rows.flags & HEAD) > 0))
    q_head = (queries.ids % len(KINDS) == _KIND["e"]) & ((queries.flags & HEAD) > 0)
    idf2 = idf[c_head] ** 2
    both = hit[c_head] & q_head[pos[c_head]]
    dot = np.bincount(rows.owner[c_head][both], weights=idf2[both], minlength=k).astype(np.float64)
    c_norm = np.bincount(rows.owner[c_head], weights=idf2, minlength=k).astype(np.float64)
    q_norms = np.zeros(len(queries))
    q_idf = df.idf_of(queries.ids)
    heads = np.flatnonzero(q_head)
    if len(heads):
        starts = np.searchsorted(queries.owner, np.arange(len(queries) + 1)).tolist()
        for q in np.unique(queries.owner[heads]).tolist():
            lo, hi = starts[q], starts[q + 1]
            q_norms[q] = float((q_idf[lo:hi][q_head[lo:hi]] ** 2).sum())
    q_norm = q_norms[pair_query]
    clash = ((dot == 0) & (c_norm > 0) & (q_norm > 0)).astype(np.float64)
    return clash, _safe_cos(dot, q_norm, c_norm)


def decayed_probabilities_many(
    features: Floats, when: Floats, counts: npt.NDArray[np.int64], times: Floats, config: StoryConfig
) -> Floats:
    """:func:`decayed_probabilities` of many queries' rows (``counts[q]`` rows for query time
    ``when[q]``), bit for bit: the model's matrix product per query, the rest elementwise."""
    coefficients = np.array(config.coefficients)
    z = np.empty(len(features))
    bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
    for q in range(len(counts)):
        lo, hi = bounds[q], bounds[q + 1]
        if hi > lo:
            z[lo:hi] = features[lo:hi] @ coefficients + config.intercept
    probs: Floats = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    days = np.abs(times - np.repeat(when, counts)) / 86400.0
    late = days > config.date_grace_days  # False where either time is NaN
    probs[late] *= np.exp(-(days[late] - config.date_grace_days) / config.date_scale_days)
    return probs
