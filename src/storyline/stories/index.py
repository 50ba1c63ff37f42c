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
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import csgraph

from storyline.stories.config import DEFAULT_CONFIG, StoryConfig
from storyline.stories.features import StoryRecord, TermCounts, extract_terms
from storyline.stories.linkage import attach_small, average_link
from storyline.stories.similarity import (
    DocumentFrequencies,
    DocVector,
    decayed_probabilities,
    feature_rows,
    vectorise,
    weights,
)
from storyline.stories.vectors import Growing, VectorTable

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
        self._postings: dict[int, array[int]] = {}
        self._edge_a = array("i")
        self._edge_b = array("i")
        self._edge_p = array("f")
        self._rescored = 0

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, record: StoryRecord, terms: TermCounts | None = None) -> str:
        """Place one article in a story and return the story's id (the id of its first article)."""
        if record.id in self._positions:
            raise ValueError(f"article {record.id!r} is already in the index")
        terms = extract_terms(record) if terms is None else terms
        ids = self._df.add(terms) if self._learn_df else None
        vector = vectorise(terms, self._df, record.published, ids)
        doc = len(self._ids)
        scores = self._score_candidates(vector)
        self._keep_edges(doc, scores)
        label = self._choose_story(scores, doc)
        self._ids.append(record.id)
        self._positions[record.id] = doc
        self._tiebreak.append(zlib.crc32(record.id.encode()))
        self._vectors.add(vector.ids, vector.counts, vector.latest_year, vector.when)
        self._story.append(label)
        self._sizes.append(0)
        self._sizes.values[label] += 1
        self._post(doc, vector.ids, vector.tf)
        return self._ids[label]

    def query(self, record: StoryRecord) -> list[StoryMatch]:
        """Candidate stories for an article, best first, without adding it (unseen terms are ignored)."""
        vector = vectorise(extract_terms(record), self._df, record.published)
        means = self._story_means(self._score_candidates(vector))
        return [StoryMatch(self._ids[s], mean, n) for s, mean, n in sorted(means, key=lambda m: -m[1])]

    def revise(self, full: bool = False) -> int:
        """Regroup every article by average-link over all scored pairs; return how many moved.

        Stragglers (stories of at most ``attach_size`` articles) then join the larger story they match
        best when the mean reaches ``attach_threshold`` (see :func:`attach_small`).

        Articles added since the last revision are first scored again, now also against articles
        that came after them. ``full`` rebuilds the index terms with the current idf and rescores every
        article, which makes the result independent of arrival order (it is then the batch clustering
        of everything stored); it costs a pass over the whole index.
        """
        if full:
            self._postings = {}
            for doc in range(len(self._ids)):
                vector = self._vector(doc)
                self._post(doc, vector.ids, vector.tf)
            self._edge_a, self._edge_b, self._edge_p = array("i"), array("i"), array("f")
            self._rescored = 0
        first_new = self._rescored
        for doc in range(self._rescored, len(self._ids)):
            self._keep_edges(doc, self._score_candidates(self._vector(doc), exclude=doc))
        self._rescored = len(self._ids)
        labels = np.array(self._relabel(0 if full else first_new), dtype=np.int32)
        moved = int((self._story.values != labels).sum())
        self._story = Growing(np.int32)
        self._story.extend(labels)
        self._sizes = Growing(np.int32)
        self._sizes.extend(np.bincount(labels, minlength=len(labels)))
        return moved

    def _vector(self, doc: int) -> DocVector:
        return DocVector(*self._vectors.row(doc))

    def _relabel(self, first_new: int) -> list[int]:
        """Average-link labels (then stragglers attached) for every article, recomputed only where it
        can change: in the regions that articles ``first_new`` and later belong to.

        Clusters only ever join across a scored pair of at least ``floor`` (a mean reaches a threshold
        only if some pair does), so regions connected by such pairs are clustered independently and the
        result equals clustering the whole index; regions without a new article keep their labels.
        """
        cfg = self.config
        n = len(self._ids)
        a = np.frombuffer(self._edge_a, dtype=np.int32)
        b = np.frombuffer(self._edge_b, dtype=np.int32)
        p = np.frombuffer(self._edge_p, dtype=np.float32)
        floor = min(cfg.threshold, cfg.attach_threshold)
        strong = p >= floor
        graph = sparse.coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])), shape=(n, n))
        region = csgraph.connected_components(graph, directed=False)[1]
        touched = np.isin(region, region[first_new:])
        members = np.flatnonzero(touched)
        local = np.full(n, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        inside = touched[a] & touched[b]
        edges = {
            (min(i, j), max(i, j)): float(q)
            for i, j, q in zip(
                local[a[inside]].tolist(), local[b[inside]].tolist(), p[inside].tolist(), strict=True
            )
        }
        sub = average_link(len(members), edges, cfg.threshold)
        sub = attach_small(sub, edges, cfg.attach_size, cfg.attach_threshold)
        labels = self._story.values.tolist() if first_new else [0] * n
        for k, doc in enumerate(members.tolist()):
            labels[doc] = int(members[sub[k]])
        return labels

    def scored_pairs(self) -> dict[tuple[int, int], float]:
        """P(same event) of every scored pair, keyed by the articles' positions in :meth:`ids`."""
        return {
            (min(a, b), max(a, b)): float(p)
            for a, b, p in zip(self._edge_a, self._edge_b, self._edge_p, strict=True)
        }

    def ids(self) -> list[str]:
        """Article ids in the order they were added."""
        return list(self._ids)

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
        """The best story when its mean reaches the threshold; else, as on revision, a story of
        ``attach_size`` or more articles whose mean reaches ``attach_threshold``; else a new one."""
        cfg = self.config
        ranked = sorted(self._story_means(scores), key=lambda m: (-m[1], m[0]))
        for label, mean, _ in ranked:
            if mean >= cfg.threshold:
                return label
            if mean >= cfg.attach_threshold and self._sizes.values[label] > 1:
                return label
        return doc

    def _post(self, doc: int, ids: npt.NDArray[np.int32], tf: npt.NDArray[np.float32]) -> None:
        k = self.config.index_terms
        w = tf.astype(np.float64) * self._df.idf_of(ids)
        top = ids if len(w) <= k else ids[np.argpartition(-w, k)[:k]]
        keep = self.config.max_postings
        for term in top.tolist():
            posting = self._postings.get(term)
            if posting is None:
                self._postings[term] = array("i", [doc])
                continue
            posting.append(doc)
            if len(posting) >= 2 * keep:  # only the latest ``keep`` are ever read
                del posting[:-keep]

    def _keep_edges(self, doc: int, scores: dict[int, float]) -> None:
        for other, p in scores.items():
            self._edge_a.append(doc)
            self._edge_b.append(other)
            self._edge_p.append(p)

    def _candidates(self, vector: DocVector, exclude: int) -> npt.NDArray[np.int64]:
        """Recent articles sharing heavy terms, ranked by the weight of what they share."""
        cfg = self.config
        none = np.zeros(0, dtype=np.int64)
        if not len(vector.ids):
            return none
        w = weights(vector, self._df)
        top = np.argsort(-w, kind="stable")[: cfg.index_terms]
        lists, term_weights = [], []
        for term, weight in zip(vector.ids[top].tolist(), w[top].tolist(), strict=True):
            posting = self._postings.get(term)
            if posting:
                lists.append(posting[-cfg.max_postings :])
                term_weights.append(weight)
        if not lists:
            return none
        found = np.frombuffer(b"".join(lists), dtype=np.int32)
        docs, inverse = np.unique(found, return_inverse=True)
        spread = np.repeat(term_weights, [len(x) for x in lists])
        shared = np.bincount(inverse, weights=spread)
        order = np.lexsort((self._tiebreak.values[docs], -shared))
        ranked: npt.NDArray[np.int64] = docs[order].astype(np.int64)
        ranked = ranked[ranked != exclude][: cfg.max_candidates]
        if math.isnan(vector.when):
            return ranked
        days = np.abs(self._vectors.times(ranked) - vector.when) / 86400.0
        recent: npt.NDArray[np.int64] = ranked[~(days > cfg.window_days)]
        return recent

    def _score_candidates(self, vector: DocVector, exclude: int = -1) -> dict[int, float]:
        candidates = self._candidates(vector, exclude)
        rows = self._vectors.read(candidates)
        features = feature_rows(vector, rows, self._df, self.config)
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
        index.add(record, t)
    index.revise(full=True)
    return index
