"""The copy index: fingerprints in, verified links out, one batch at a time.

:class:`CopyIndex` is the whole copy stage — fingerprints (:mod:`~storyline.copies.fingerprints`),
candidates against the index and within the batch (:mod:`~storyline.copies.candidates`), evidence
(:mod:`~storyline.copies.evidence`) and the decision (:mod:`~storyline.copies.decision`) — over a
:class:`Postings` store. The pipeline runs it over the SQLite store; :func:`~storyline.copies.find_copies`
over :class:`MemoryPostings`; both get the same links for the same articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from storyline.copies.candidates import admitted, batch_pairs, stored_pairs
from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import PairModel, load_pair_model
from storyline.copies.evidence import measure
from storyline.copies.fingerprints import winnow
from storyline.copies.links import make_links
from storyline.copies.shingles import shingle_batch
from storyline.model import CopyLink

__all__ = ["Candidates", "CopyIndex", "MemoryPostings", "Postings"]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate pairs of a batch: ``pairs`` index ``ids`` and ``texts`` (new and stored articles)."""

    ids: list[str]
    texts: list[str]
    pairs: I64


class Postings(Protocol):
    """Where the copy index keeps its fingerprints and finds stored texts."""

    def holders(self, keys: Iterable[int]) -> dict[int, list[str]]:
        """For each key, the articles holding it (at most the cap, the first to arrive)."""
        ...

    def add_postings(self, rows: Sequence[tuple[int, str]]) -> None:
        """Record ``(key, article)`` rows; each already checked to have room under the cap."""
        ...

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The clean texts of stored articles."""
        ...


class MemoryPostings:
    """In-memory postings and texts, for one-off batches and tests."""

    def __init__(self) -> None:
        self._holders: dict[int, list[str]] = {}
        self._texts: dict[str, str] = {}

    def holders(self, keys: Iterable[int]) -> dict[int, list[str]]:
        return {k: list(self._holders[k]) for k in set(keys) if k in self._holders}

    def add_postings(self, rows: Sequence[tuple[int, str]]) -> None:
        for key, article in rows:
            self._holders.setdefault(key, []).append(article)

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: self._texts[i] for i in ids if i in self._texts}

    def add_texts(self, texts: Mapping[str, str]) -> None:
        self._texts.update(texts)


class CopyIndex:
    """Find the copies of new articles among everything added before and each other.

    :meth:`add` is the verb: it verifies every candidate pair, records the batch's fingerprints and
    returns the links (``copy`` and ``reuse``) with their evidence; grouping is left to the caller, who
    knows which stored links a new link touches (:func:`~storyline.copies.groups.copy_groups`).
    """

    def __init__(
        self, postings: Postings, config: CopyConfig = DEFAULT_CONFIG, model: PairModel | None = None
    ) -> None:
        self.postings, self.config = postings, config
        self.model = model or load_pair_model()

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> list[CopyLink]:
        """Add a batch of new articles (ids not in the index yet); return their verified links."""
        found = self.candidates(ids, texts)
        if len(found.pairs) == 0:
            return []
        evidence = measure(found.texts, found.pairs, self.config)
        probability = self.model.probability(evidence)
        return make_links(found.ids, found.texts, found.pairs, evidence, probability, self.config)

    def candidates(self, ids: Sequence[str], texts: Sequence[str]) -> Candidates:
        """Record a batch's fingerprints and return its candidate pairs, with the stored texts they need."""
        cfg = self.config
        if len(set(ids)) != len(ids):
            raise ValueError("a batch holds each article once")
        batch = shingle_batch(texts, cfg.shingle_chars, cfg.sample_bits, cfg.seed)
        fps = winnow(batch, cfg.window)
        holders = self.postings.holders(int(k) for k in np.unique(fps.keys))
        stored_count = {k: len(v) for k, v in holders.items()}
        inside = batch_pairs(fps, stored_count, cfg.max_postings, cfg.min_shared_fingerprints)
        outside = stored_pairs(fps, holders, cfg.min_shared_fingerprints)
        found = self._involved(ids, texts, inside, outside)
        room = admitted(fps, stored_count, cfg.max_postings)
        self.postings.add_postings(
            [(k, ids[d]) for d, k in zip(fps.docs[room].tolist(), fps.keys[room].tolist(), strict=True)]
        )
        return found

    def _involved(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        inside: I64,
        outside: list[tuple[str, int]],
    ) -> Candidates:
        """Only the articles that are in some candidate pair, with the pairs renumbered among them."""
        stored_ids = sorted({other for other, _ in outside})
        stored = self.postings.texts(stored_ids)
        all_ids = [*ids, *stored_ids]
        all_texts = [*texts, *(stored[i] for i in stored_ids)]
        where = {article: n for n, article in enumerate(all_ids)}
        outer = np.array([(where[o], d) for o, d in outside], dtype=np.int64).reshape(-1, 2)
        pairs = np.concatenate([inside.reshape(-1, 2), outer])
        involved = np.unique(pairs)
        local = np.full(len(all_ids), -1, dtype=np.int64)
        local[involved] = np.arange(len(involved))
        return Candidates(
            ids=[all_ids[d] for d in involved.tolist()],
            texts=[all_texts[d] for d in involved.tolist()],
            pairs=local[pairs],
        )
