"""The inverted index of the story index: which articles are indexed under a term, latest last.

Most terms an article is indexed under are its rarest (a new name, an exact figure), so most posting
lists hold one article. A Python list object per term would cost about 140 bytes for a 4-byte entry;
here a term's first article sits in one flat int32 array indexed by term id, and only terms with two
or more articles get a growable array. Lists are trimmed to the latest ``keep`` entries, the only ones
ever read.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

__all__ = ["Postings"]


class Postings:
    """Term id -> article numbers in the order they were posted (only the latest ``keep`` kept)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._first: npt.NDArray[np.int32] = np.full(1024, -1, dtype=np.int32)
        self._more: dict[int, array[int]] = {}

    def post(self, doc: int, terms: npt.NDArray[np.int32]) -> None:
        """Index article ``doc`` under ``terms`` (articles must be posted in increasing order)."""
        if len(terms) and int(terms.max()) >= len(self._first):
            grown = np.full(max(2 * len(self._first), int(terms.max()) + 1), -1, dtype=np.int32)
            grown[: len(self._first)] = self._first
            self._first = grown
        first = self._first
        for term in terms.tolist():
            if first[term] < 0:
                first[term] = doc
                continue
            more = self._more.get(term)
            if more is None:
                self._more[term] = array("i", [int(first[term]), doc])
                continue
            more.append(doc)
            if len(more) >= 2 * self.keep:
                del more[: -self.keep]

    def latest(self, term: int) -> array[int] | None:
        """The latest ``keep`` articles posted under ``term``, oldest first; None when there are none."""
        more = self._more.get(term)
        if more is not None:
            return more[-self.keep :]
        if term < len(self._first) and self._first[term] >= 0:
            return array("i", [int(self._first[term])])
        return None

    def table(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """Every term's :meth:`latest` articles at once, as ``starts`` (per term id, one past the end)
        and ``docs``: term ``t``'s are ``docs[starts[t]:starts[t + 1]]``, oldest first. A snapshot for
        reading many terms together; later posts do not show in it."""
        lengths = (self._first >= 0).astype(np.int64)
        for term, more in self._more.items():
            lengths[term] = min(len(more), self.keep)
        starts = np.concatenate(([0], np.cumsum(lengths)))
        docs = np.empty(int(starts[-1]), dtype=np.int32)
        single = np.flatnonzero(lengths == 1)
        docs[starts[single]] = self._first[single]
        for term, more in self._more.items():
            docs[starts[term] : starts[term + 1]] = np.frombuffer(more, dtype=np.int32)[-self.keep :]
        return starts, docs
