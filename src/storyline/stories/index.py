"""Online story clustering: each article joins the best matching story or opens a new one.

Work per article is bounded: candidates come from an inverted index over each article's
``index_terms`` heaviest terms (only the latest ``max_postings`` articles per term are read, the
time window of the index), the best ``max_candidates`` of them are scored with the pairwise model,
and the article joins the story whose scored members it matches best on average when that mean
reaches the threshold. Every scored pair is kept, so :meth:`StoryIndex.revise` can redo the grouping
by average-link over all evidence gathered so far: stories that later articles bridge are joined,
and early mistakes are split off, whatever the arrival order was.

Storage per article is a few compact arrays (term ids and frequencies, postings, scored pairs), not
Python dicts, so the index stays small enough for a million articles on one machine.
"""

from __future__ import annotations

import math
import zlib
from array import array
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from storyline.stories.config import DEFAULT_CONFIG, StoryConfig
from storyline.stories.features import StoryRecord, Terms, extract_terms
from storyline.stories.linkage import attach_small_pairs, average_link_pairs, profile_cosines
from storyline.stories.parallel import stream_terms
from storyline.stories.postings import Postings
from storyline.stories.scoring import CHUNK, Mapper, Scoring, score_chunks
from storyline.stories.similarity import (
    DocumentFrequencies,
    DocVector,
    decayed_probabilities,
    feature_rows,
    vectorise,
    weights,
    weights_of,
)
from storyline.stories.vectors import Growing, VectorTable

Floats = npt.NDArray[np.float64]

__all__ = ["StoryIndex", "StoryMatch", "cluster_stories"]


@dataclass(frozen=True, slots=True)
class StoryMatch:
    """A candidate story for an article: its id, mean P(same event) and how many members were scored."""

    story: str
    score: float
    scored: int


class StoryIndex:
    """Stories of the articles added so far, with verb methods ``add``, ``query`` and ``revise``.

    ``frequencies`` lets a batch caller fix the idf from the whole corpus up front; an online index
    learns it from the articles it has seen.
    """

    def __init__(
        self, config: StoryConfig = DEFAULT_CONFIG, frequencies: DocumentFrequencies | None = None
    ) -> None:
        self.config = config
        self._df = frequencies if frequencies is not None else DocumentFrequencies()
        self._learn_df = frequencies is None
        self._ids: list[str] = []
        self._positions: dict[str, int] = {}
        self._tiebreak = Growing(np.int64)
        self._vectors = VectorTable()
        self._story = Growing(np.int32)
        self._sizes = Growing(np.int32)
        self._postings = Postings(config.max_postings)
        self._edge_a = array("i")
        self._edge_b = array("i")
        self._edge_p = array("f")
        self._rescored = 0
        self._rebuilt_at = 0

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._positions

    def add(self, record: StoryRecord, terms: Terms | None = None, place: bool = True) -> str:
        """Place one article in a story and return the story's id (the id of its first article).

        ``place=False`` is the caller's promise that it calls :meth:`revise` before it reads any story
        (a run that settles at its end). When that revision will rebuild and rescore everything anyway
        (see :meth:`will_rebuild`: the index has doubled since its last rebuild, as in a first run or
        a rebuild from the store), the article is only stored: scoring it against its candidates and
        choosing its story now would be thrown away. It is then its own story until the revision.
        """
        if record.id in self._positions:
            raise ValueError(f"article {record.id!r} is already in the index")
        terms = extract_terms(record) if terms is None else terms
        ids = self._df.add(terms) if self._learn_df else None
        vector = vectorise(terms, self._df, record.published, ids)
        doc = len(self._ids)
        deferred = not place and self.will_rebuild(doc + 1)
        if deferred:
            label = doc
        else:
            w = weights(vector, self._df)
            scores = self._score_candidates(vector, w)
            self._keep_edges(doc, scores)
            label = self._choose_story(scores, doc)
        self._ids.append(record.id)
        self._positions[record.id] = doc
        self._tiebreak.append(zlib.crc32(record.id.encode()))
        self._vectors.add(vector.ids, vector.counts, vector.flags, vector.latest_year, vector.when)
        self._story.append(label)
        self._sizes.append(0)
        self._sizes.values[label] += 1
        if not deferred:
            self._post(doc, vector.ids, w)
        return self._ids[label]

    def add_many(
        self, records: Sequence[StoryRecord], executor: Executor | None = None, place: bool = True
    ) -> list[str]:
        """:meth:`add` each record in order; with ``executor`` (a process pool) their terms are read on
        its processes while the index places the records before them (see :mod:`.parallel`)."""
        terms = stream_terms(records, executor)
        return [self.add(r, t, place) for r, t in zip(records, terms, strict=True)]

    def will_rebuild(self, size: int | None = None) -> bool:
        """Whether a :meth:`revise` with ``size`` articles (default: as many as now) rebuilds the index
        and rescores every article, whatever ``full`` says: it has doubled since its last rebuild.
        Articles are never removed, so once true this stays true until that revision."""
        return (len(self._ids) if size is None else size) >= 2 * self._rebuilt_at

    def query(self, record: StoryRecord) -> list[StoryMatch]:
        """Candidate stories for an article, best first, without adding it (unseen terms are ignored)."""
        vector = vectorise(extract_terms(record), self._df, record.published)
        means = self._story_means(self._score_candidates(vector, weights(vector, self._df)))
        return [StoryMatch(self._ids[s], mean, n) for s, mean, n in sorted(means, key=lambda m: -m[1])]

    def revise(self, full: bool = False, mapper: Mapper | None = None) -> int:
        """Regroup every article by average-link over all scored pairs; return how many moved.

        The link of a pair is its P blended (``profile_weight``) with the cosine of the two articles'
        P profiles (see :func:`profile_cosines`); stragglers are attached by raw P.

        Stragglers (stories of at most ``attach_size`` articles) then join the larger story they match
        best when the mean reaches ``attach_threshold`` (see :func:`attach_small`).

        Articles added since the last revision are first scored again, now also against articles
        that came after them. ``full`` rebuilds the index terms with the current idf and rescores every
        article, which makes the result independent of arrival order (it is then the batch clustering
        of everything stored); it costs a pass over the whole index, so it is also done whenever the
        index has doubled since the last rebuild (amortised constant work per article). So a first
        run's stories equal batch clustering, and a later run's differ from it only by the idf drift
        of a smaller share of new articles: an index that learnt its idf from its first hundred
        articles indexed them under terms that a few hundred more show to be common.

        ``mapper`` scores the chunks of articles (on the pipeline's worker processes, say); the pairs
        are the same as scored inline (see :mod:`.scoring`).
        """
        full = full or self.will_rebuild()
        if full:
            self._rebuilt_at = len(self._ids)
            self._postings = Postings(self.config.max_postings)
            for start in range(0, len(self._ids), CHUNK):
                docs = np.arange(start, min(start + CHUNK, len(self._ids)))
                rows = self._vectors.read(docs)
                w = weights_of(rows, self._df)
                bounds = np.searchsorted(rows.owner, np.arange(len(docs) + 1)).tolist()
                for doc, lo, hi in zip(docs.tolist(), bounds[:-1], bounds[1:], strict=True):
                    self._post(doc, rows.ids[lo:hi], w[lo:hi])
            self._edge_a, self._edge_b, self._edge_p = array("i"), array("i"), array("f")
            self._rescored = 0
        first_new = self._rescored
        starts = list(range(self._rescored, len(self._ids), CHUNK))
        scoring = self.scoring()
        chunks = mapper(score_chunks, starts, scoring.idf_only()) if mapper else score_chunks(starts, scoring)
        for a, b, p in chunks:
            self._edge_a.frombytes(a.tobytes())
            self._edge_b.frombytes(b.tobytes())
            self._edge_p.frombytes(p.tobytes())
        self._rescored = len(self._ids)
        labels = np.array(self._relabel(0 if full else first_new), dtype=np.int32)
        moved = int((self._story.values != labels).sum())
        self._story = Growing(np.int32)
        self._story.extend(labels)
        self._sizes = Growing(np.int32)
        self._sizes.extend(np.bincount(labels, minlength=len(labels)))
        return moved

    def scoring(self) -> Scoring:
        """What scoring stored articles against their candidates reads, as of now (see :mod:`.scoring`)."""
        return Scoring(self.config, self._df, self._vectors, self._tiebreak.values, self._postings.table())

    def _vector(self, doc: int) -> DocVector:
        return DocVector(*self._vectors.row(doc))

    def _relabel(self, first_new: int) -> list[int]:
        """Average-link labels (then stragglers attached) for every article, recomputed only where it
        can change: in the regions that articles ``first_new`` and later belong to.

        Clusters only ever join across a scored pair of at least ``floor``: a mean reaches a threshold
        only if some link does, and a link (P blended with a profile cosine of at most 1) reaches the
        threshold only if its P reaches ``floor``. So regions connected by such pairs are clustered
        independently and the result equals clustering the whole index; regions without a new
        article keep their labels. Profiles read every scored pair of the region's articles, inside
        the region or not.
        """
        cfg = self.config
        n = len(self._ids)
        a, b, p = self._unique_pairs()
        blend = cfg.profile_weight
        floor = min(max(0.0, (cfg.threshold - blend) / (1.0 - blend)), cfg.attach_threshold)
        strong = p >= floor
        graph = sparse.coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])), shape=(n, n))
        region = csgraph.connected_components(graph, directed=False)[1]
        touched = np.isin(region, region[first_new:])
        members = np.flatnonzero(touched)
        local = np.full(n, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        inside = touched[a] & touched[b]
        near = touched[a] | touched[b]
        ia, ib = local[a[inside]], local[b[inside]]
        strength = self._links((a[near], b[near], p[near]), inside[near])
        # average link keeps only the pairs inside one component of the links at its threshold, which
        # lie inside one region: a pair across two regions weighs in no mean it merges on
        sub = average_link_pairs(len(members), (ia, ib, strength), cfg.threshold)
        edges = (ia, ib, p[inside].astype(np.float64))
        sub = attach_small_pairs(sub, edges, cfg.attach_size, cfg.attach_threshold, cfg.attach_ratio)
        labels = self._story.values.tolist() if first_new else [0] * n
        for k, doc in enumerate(members.tolist()):
            labels[doc] = int(members[sub[k]])
        return labels

    def _unique_pairs(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Scored pairs (smaller position first), each once with its latest P."""
        a = np.frombuffer(self._edge_a, dtype=np.int32)
        b = np.frombuffer(self._edge_b, dtype=np.int32)
        p = np.frombuffer(self._edge_p, dtype=np.float32)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        key = lo.astype(np.int64) * max(len(self._ids), 1) + hi
        _, last = np.unique(key[::-1], return_index=True)
        keep = len(key) - 1 - last
        return lo[keep], hi[keep], p[keep]

    def _links(
        self,
        pairs: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float32]],
        which: npt.NDArray[np.bool_],
    ) -> Floats:
        """Average-link strength of the pairs ``which``: P blended with their P-profile cosine over
        ``pairs`` (which must hold every scored pair of the articles in question)."""
        a, b, p = pairs
        blend = self.config.profile_weight
        mine = p[which].astype(np.float64)
        if blend == 0.0:
            return mine
        ask = (a[which].astype(np.int64), b[which].astype(np.int64))
        return (1.0 - blend) * mine + blend * profile_cosines(len(self._ids), pairs, ask)

    def links(self) -> dict[tuple[int, int], float]:
        """The link average link reads for every scored pair (see :meth:`scored_pairs` for raw P)."""
        a, b, p = self._unique_pairs()
        values = self._links((a, b, p), np.ones(len(a), dtype=bool))
        return dict(zip(zip(a.tolist(), b.tolist(), strict=True), values.tolist(), strict=True))

    def scored_pairs(self) -> dict[tuple[int, int], float]:
        """P(same event) of every scored pair, keyed by the articles' positions in :meth:`ids`."""
        a, b, p = self._unique_pairs()
        return dict(zip(zip(a.tolist(), b.tolist(), strict=True), p.tolist(), strict=True))

    def candidate_features(self, doc: int) -> tuple[list[int], Floats]:
        """The candidates of stored article ``doc`` and their pair features, exactly as a revision
        scores them (positions as in :meth:`ids`). The pair model is fitted on these rows: the
        ``local`` features depend on the candidate set, so only real candidate sets can train them."""
        vector = self._vector(doc)
        w = weights(vector, self._df)
        candidates = self._candidates(vector, w, doc)
        rows = self._vectors.read(candidates)
        return candidates.tolist(), feature_rows(vector, rows, self._df, self.config, w)

    def ids(self) -> list[str]:
        """Article ids in the order they were added."""
        return list(self._ids)

    def labels(self) -> npt.NDArray[np.int32]:
        """The story of every article as the position of its first article, in the order they were
        added (a copy: comparing two of them tells which articles changed story)."""
        return np.array(self._story.values, dtype=np.int32)

    def story_of(self, article_id: str) -> str:
        """The story id of an added article."""
        return self._ids[int(self._story.values[self._positions[article_id]])]

    def stories(self) -> dict[str, tuple[str, ...]]:
        """Every story id with its article ids, in the order they were added."""
        members: dict[int, list[str]] = {}
        for doc, label in enumerate(self._story.values.tolist()):
            members.setdefault(label, []).append(self._ids[doc])
        return {self._ids[label]: tuple(m) for label, m in sorted(members.items())}

    def _choose_story(self, scores: dict[int, float], doc: int) -> int:
        """The best story when its mean reaches the threshold; else, as on revision, the best story of
        two or more articles when its mean reaches ``attach_threshold`` and ``attach_ratio`` times the
        mean of every other story; else a new one."""
        cfg = self.config
        ranked = sorted(self._story_means(scores), key=lambda m: (-m[1], m[0]))
        if not ranked:
            return doc
        if ranked[0][1] >= cfg.threshold:
            return ranked[0][0]
        for at, (label, mean, _) in enumerate(ranked):
            if self._sizes.values[label] > 1:
                others = [m for i, (_, m, _) in enumerate(ranked) if i != at]
                if mean >= cfg.attach_threshold and mean >= cfg.attach_ratio * max(others, default=0.0):
                    return label
                break
        return doc

    def _post(self, doc: int, ids: npt.NDArray[np.int32], w: Floats) -> None:
        """Index an article under its ``index_terms`` heaviest terms (weights ``w``)."""
        k = self.config.index_terms
        top = ids if len(w) <= k else ids[np.argpartition(-w, k)[:k]]
        self._postings.post(doc, top)

    def _keep_edges(self, doc: int, scores: dict[int, float]) -> None:
        for other, p in scores.items():
            self._edge_a.append(doc)
            self._edge_b.append(other)
            self._edge_p.append(p)

    def _candidates(self, vector: DocVector, w: Floats, exclude: int) -> npt.NDArray[np.int64]:
        """Recent articles sharing heavy terms, ranked by the weight of what they share."""
        cfg = self.config
        none = np.zeros(0, dtype=np.int64)
        if not len(vector.ids):
            return none
        top = np.argsort(-w, kind="stable")[: cfg.index_terms]
        lists, term_weights = [], []
        for term, weight in zip(vector.ids[top].tolist(), w[top].tolist(), strict=True):
            posting = self._postings.latest(term)
            if posting:
                lists.append(posting)
                term_weights.append(weight)
        if not lists:
            return none
        docs, shared = _sum_by_doc(lists, term_weights)
        keep = docs != exclude
        docs, shared = docs[keep], shared[keep]
        if len(docs) > cfg.max_candidates:  # only the best can be chosen: sort just those
            kth = np.partition(shared, len(shared) - cfg.max_candidates)[len(shared) - cfg.max_candidates]
            docs, shared = docs[shared >= kth], shared[shared >= kth]
        order = np.lexsort((self._tiebreak.values[docs], -shared))
        ranked: npt.NDArray[np.int64] = docs[order][: cfg.max_candidates].astype(np.int64)
        if math.isnan(vector.when):
            return ranked
        days = np.abs(self._vectors.times(ranked) - vector.when) / 86400.0
        recent: npt.NDArray[np.int64] = ranked[~(days > cfg.window_days)]
        return recent

    def _score_candidates(self, vector: DocVector, w: Floats, exclude: int = -1) -> dict[int, float]:
        """P(same event) with each candidate; ``w`` are the vector's weights under the current idf."""
        candidates = self._candidates(vector, w, exclude)
        rows = self._vectors.read(candidates)
        features = feature_rows(vector, rows, self._df, self.config, w)
        probs = decayed_probabilities(features, vector.when, rows.times, self.config)
        return dict(zip(candidates.tolist(), probs.tolist(), strict=True))

    def _story_means(self, scores: dict[int, float]) -> list[tuple[int, float, int]]:
        """(story label, mean P over its scored members, members scored) per candidate story."""
        sums: dict[int, list[float]] = {}
        story = self._story.values
        for doc, p in scores.items():
            cell = sums.setdefault(int(story[doc]), [0.0, 0.0])
            cell[0] += p
            cell[1] += 1.0
        return [(s, total / n, int(n)) for s, (total, n) in sums.items()]


def _sum_by_doc(lists: list[array[int]], term_weights: list[float]) -> tuple[npt.NDArray[np.int32], Floats]:
    """Distinct articles in posting lists, with the summed weight of the lists each is in.

    Every list is in arrival order, so a stable sort of their concatenation only merges sorted runs
    (several times faster than ``np.unique``, which sorts from scratch).
    """
    found = np.frombuffer(b"".join(lists), dtype=np.int32)
    spread = np.repeat(np.array(term_weights), np.array([len(x) for x in lists]))
    order = np.argsort(found, kind="stable")
    ordered = found[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[starts], np.add.reduceat(spread[order], starts)


def cluster_stories(records: Iterable[StoryRecord], config: StoryConfig = DEFAULT_CONFIG) -> StoryIndex:
    """Batch clustering: idf from the whole batch, every article scored against its candidates, average link.

    The result equals an online index fed the same articles in any order followed by
    ``revise(full=True)``.
    """
    items = list(records)
    terms = [extract_terms(r) for r in items]
    df = DocumentFrequencies()
    for t in terms:
        df.add(t)
    index = StoryIndex(config, df)
    for record, t in zip(items, terms, strict=True):
        index.add(record, t, place=False)
    index.revise(full=True)
    return index
