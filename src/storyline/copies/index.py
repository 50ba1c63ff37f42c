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

from storyline.copies.candidates import Anchoring, Holders, admitted, batch_pairs, stored_pairs
from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import PairModel, load_pair_model
from storyline.copies.evidence import measure
from storyline.copies.fingerprints import winnow
from storyline.copies.links import make_links
from storyline.copies.shingles import ShingleBatch, shingle_batch
from storyline.model import CopyLink

__all__ = ["Candidates", "CopyIndex", "MemoryPostings", "Postings", "verify_pairs"]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """Candidate pairs of a batch: ``pairs`` index ``ids``, ``texts`` and the sampled shingles ``batch``
    of the new and stored articles they involve."""

    ids: list[str]
    texts: list[str]
    pairs: I64
    batch: ShingleBatch


class Postings(Protocol):
    """Where the copy index keeps its fingerprints and finds stored texts."""

    def holder_rows(self, keys: I64) -> Holders:
        """The ``(key, article, position)`` rows holding any of ``keys`` (at most the cap per key: the
        first), as arrays."""
        ...

    def add_postings(self, rows: Sequence[tuple[int, str, int]]) -> None:
        """Record ``(key, article, position)`` rows; each already checked to have room under the cap."""
        ...

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The clean texts of stored articles."""
        ...


class MemoryPostings:
    """In-memory postings and texts, for one-off batches and tests."""

    def __init__(self) -> None:
        self._holders: dict[int, list[tuple[str, int]]] = {}
        self._texts: dict[str, str] = {}

    def holders(self, keys: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        if not self._holders:
            return {}
        return {k: list(self._holders[k]) for k in set(keys) if k in self._holders}

    def holder_rows(self, keys: I64) -> Holders:
        return Holders.from_mapping(self.holders(keys.tolist()))

    def add_postings(self, rows: Sequence[tuple[int, str, int]]) -> None:
        for key, article, position in rows:
            self._holders.setdefault(key, []).append((article, position))

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: self._texts[i] for i in ids if i in self._texts}

    def add_texts(self, texts: Mapping[str, str]) -> None:
        self._texts.update(texts)


def verify_pairs(
    ids: Sequence[str],
    texts: Sequence[str],
    pairs: I64,
    config: CopyConfig,
    model: PairModel,
    batch: ShingleBatch | None = None,
    passages: bool = True,
) -> list[CopyLink]:
    """The links of candidate `pairs` (indices into `ids` and `texts`; ``batch``: their sampled
    shingles, if at hand). Each pair's evidence and probability depend on its two texts alone, so any
    split of the pairs over processes gives the same links."""
    if len(pairs) == 0:
        return []
    evidence = measure(texts, pairs, config, batch)
    probability = model.probability(evidence)
    return make_links(ids, texts, pairs, evidence, probability, config, passages)


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

    def add(
        self, ids: Sequence[str], texts: Sequence[str], record: bool = True, passages: bool = True
    ) -> list[CopyLink]:
        """Add a batch of new articles (ids not in the index yet); return their verified links.

        ``record=False`` verifies without keeping the batch's fingerprints (a one-off batch);
        ``passages=False`` leaves out the passage offsets (when only the groups are wanted).
        """
        found = self.candidates(ids, texts, record)
        cfg, model = self.config, self.model
        return verify_pairs(found.ids, found.texts, found.pairs, cfg, model, found.batch, passages)

    def candidates(self, ids: Sequence[str], texts: Sequence[str], record: bool = True) -> Candidates:
        """Record a batch's fingerprints and return its candidate pairs, with the stored texts they need."""
        cfg = self.config
        if len(set(ids)) != len(ids):
            raise ValueError("a batch holds each article once")
        batch = shingle_batch(texts, cfg.shingle_chars, cfg.sample_bits, cfg.seed)
        fps = winnow(batch, cfg.window)
        holders = self.postings.holder_rows(np.unique(fps.keys))
        rule = Anchoring.of(cfg)
        inside = batch_pairs(fps, holders, cfg.max_postings, rule)
        outside = stored_pairs(fps, holders, rule) if len(holders) else []
        found = self._involved(ids, texts, batch, inside, outside)
        if record:
            room = np.flatnonzero(admitted(fps, holders, cfg.max_postings))
            room = room[np.argsort(fps.keys[room], kind="stable")]  # in key order: local B-tree inserts
            rows = zip(
                fps.keys[room].tolist(), fps.docs[room].tolist(), fps.positions[room].tolist(), strict=True
            )
            self.postings.add_postings([(key, ids[doc], at) for key, doc, at in rows])
        return found

    def _involved(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        batch: ShingleBatch,
        inside: I64,
        outside: list[tuple[str, int]],
    ) -> Candidates:
        """Only the articles that are in some candidate pair, with the pairs renumbered among them."""
        stored_ids = sorted({other for other, _ in outside})
        stored = self.postings.texts(stored_ids)
        where = {article: len(ids) + n for n, article in enumerate(stored_ids)}
        outer = np.array([(where[o], d) for o, d in outside], dtype=np.int64).reshape(-1, 2)
        pairs = np.concatenate([inside.reshape(-1, 2), outer])
        involved = np.unique(pairs)
        local = np.full(len(ids) + len(stored_ids), -1, dtype=np.int64)
        local[involved] = np.arange(len(involved))
        new, old = involved[involved < len(ids)], involved[involved >= len(ids)] - len(ids)
        old_texts = [stored[stored_ids[k]] for k in old.tolist()]
        cfg = self.config
        parts = [batch.take(new), shingle_batch(old_texts, cfg.shingle_chars, cfg.sample_bits, cfg.seed)]
        return Candidates(
            ids=[ids[d] for d in new.tolist()] + [stored_ids[k] for k in old.tolist()],
            texts=[texts[d] for d in new.tolist()] + old_texts,
            pairs=local[pairs],
            batch=ShingleBatch.concat(parts),
        )
