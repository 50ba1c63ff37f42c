"""Scoring stored articles against their candidates, many at once: the bulk of a story revision.

A revision scores every article added since the last one (every article, when it rebuilds) against
its candidates. A chunk's scored pairs depend only on a snapshot of the index: the term vectors, the
idf, the posting table and the tie-break order, which :class:`Scoring` holds as plain arrays. So the
chunks can be scored on other processes (the pipeline's workers, while the driver has nothing else to
do at the end of a run) and their pairs appended in chunk order: the same edges as scoring inline,
bit for bit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.stories.config import StoryConfig
from storyline.stories.similarity import (
    DocumentFrequencies,
    decayed_probabilities_many,
    feature_rows_many,
    weights_of,
)
from storyline.stories.vectors import Rows, VectorTable

__all__ = ["CHUNK", "Edges", "Mapper", "Scoring", "score_chunks"]

Floats = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

CHUNK = 256
"""Articles scored together: enough to spread numpy's per-call cost, few enough that their
candidates' terms (some thousand per article) stay small in memory."""

Edges = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float32]]
"""Scored pairs ``(article, candidate, P)`` in scoring order (a later pair's P wins)."""

Mapper = Callable[..., list[Any]]
"""Where a revision scores: ``mapper(step, items, *side)`` is ``step(items, *side)``, maybe split over
processes, with one result per item in the order of ``items`` (the pipeline's executor; without one
the revision scores inline). ``step`` is a module-level function, so processes can import it."""


@dataclass(frozen=True, slots=True)
class Scoring:
    """What scoring stored articles reads, as of one revision."""

    config: StoryConfig
    df: DocumentFrequencies  # the idf; the term names are left with the index (see ``idf_only``)
    vectors: VectorTable
    tiebreak: I64
    postings: tuple[I64, npt.NDArray[np.int32]]  # Postings.table()

    def idf_only(self) -> Scoring:
        """The same scoring without the idf's term names, to send to other processes."""
        return dataclasses.replace(self, df=self.df.without_names())

    def score(self, docs: I64) -> Edges:
        """The pairs of stored articles ``docs`` with their candidates, as scoring each on its own
        gives (see :func:`feature_rows_many`)."""
        queries = self.vectors.read(docs)
        qw = weights_of(queries, self.df)
        candidates, counts = self.candidates_many(docs, queries, qw)
        rows = self.vectors.read(candidates)
        features = feature_rows_many(queries, counts, rows, self.df, self.config, qw)
        probs = decayed_probabilities_many(features, queries.times, counts, rows.times, self.config)
        return np.repeat(docs, counts).astype(np.int32), candidates.astype(np.int32), probs.astype(np.float32)

    def candidates_many(self, docs: I64, queries: Rows, w: Floats) -> tuple[I64, I64]:
        """The candidates of stored articles ``docs`` (their ``queries`` rows, weights ``w``),
        concatenated, with how many each has: the lists (and their order) that ranking each article on
        its own gives (``StoryIndex._candidates``); a candidate's shared weight is summed over its
        terms in the same order."""
        cfg = self.config
        nq = len(docs)
        # each article's heaviest terms, heaviest first (ties: in term order, as a stable argsort)
        by_weight = np.lexsort((-w, queries.owner))
        first = np.searchsorted(queries.owner[by_weight], np.arange(nq))
        rank = np.arange(len(by_weight)) - np.repeat(first, np.bincount(queries.owner, minlength=nq))
        top = by_weight[rank < cfg.index_terms]
        starts, posted = self.postings
        terms = queries.ids[top].astype(np.int64)
        known = terms < len(starts) - 1
        top, terms = top[known], terms[known]
        lo, hi = starts[terms], starts[terms + 1]
        lengths = hi - lo
        # every (article, posted article) with the weight of the term that brought it, in term order
        spread = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        found = posted[spread].astype(np.int64)
        query = np.repeat(queries.owner[top], lengths)
        weight = np.repeat(w[top], lengths)
        key = (query << 32) | found
        order = np.argsort(key, kind="stable")
        key = key[order]
        runs = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else key
        shared = np.add.reduceat(weight[order], runs) if len(key) else weight
        pair_query, candidate = key[runs] >> 32, key[runs] & 0xFFFFFFFF
        keep = candidate != docs[pair_query]
        pair_query, candidate, shared = pair_query[keep], candidate[keep], shared[keep]
        best = _best_per_group(pair_query, shared, nq, cfg.max_candidates)
        pair_query, candidate, shared = pair_query[best], candidate[best], shared[best]
        ranked = np.lexsort((candidate, self.tiebreak[candidate], -shared, pair_query))
        pair_query, candidate = pair_query[ranked], candidate[ranked]
        first = np.searchsorted(pair_query, np.arange(nq))
        rank = np.arange(len(pair_query)) - first[pair_query]
        days = np.abs(self.vectors.times(candidate) - queries.times[pair_query]) / 86400.0
        chosen = (rank < cfg.max_candidates) & ~(days > cfg.window_days)  # NaN times: no window
        return candidate[chosen], np.bincount(pair_query[chosen], minlength=nq).astype(np.int64)


def score_chunks(starts: Sequence[int], scoring: Scoring) -> list[Edges]:
    """The parallel step of a revision: the edges of the chunk of :data:`CHUNK` articles from each of
    ``starts``, one result per start."""
    end = len(scoring.vectors)
    return [scoring.score(np.arange(start, min(start + CHUNK, end), dtype=np.int64)) for start in starts]


def _best_per_group(
    group: npt.NDArray[np.int64], value: Floats, groups: int, k: int
) -> npt.NDArray[np.bool_]:
    """Entries among the ``k`` largest ``value`` of their ``group`` (sorted, ``0..groups-1``), ties
    included, and maybe a few just below: what an exact ranking of the survivors needs, found by one
    unstable sort of ``group`` and ``value`` folded into one float (whose rounding the margin covers)."""
    if len(value) == 0:
        return np.zeros(0, dtype=bool)
    scale = 2.0 * (float(value.max()) + 1.0)
    by = np.argsort(group * scale - value)
    first = np.searchsorted(group[by], np.arange(groups))
    sizes = np.bincount(group, minlength=groups)
    filled = sizes > 0
    kth = np.full(groups, np.inf)
    kth[filled] = value[by[first[filled] + np.minimum(sizes[filled], k) - 1]]
    margin = 1e-9 * scale * groups
    keep: npt.NDArray[np.bool_] = value >= kth[group] - margin
    return keep
