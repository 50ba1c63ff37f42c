"""The copy stage of the Ray engine: candidates by a band-key shuffle, verification spread over the
cluster, and the links handed to the driver's pipeline batch by batch.

The plan (the pure passes are :mod:`storyline.copies.shuffle`; each is what the store's copy index
runs on a batch, so the links are the ones ``storyline run`` stores):

1. **sketch** (``flat_map``): the fingerprints of blocks of articles, numbered in the order the driver
   will commit them, each block's rows split into partitions by key (``PARTS_PER_CPU`` per CPU);
2. **band-key shuffle** (``groupby(part).map_groups``): every key's holders together, ranked by
   arrival and capped as the index caps its posting lists; out come the fingerprint matches of every
   article with the earlier admitted holders, split again by pair, and the admitted rows (the
   postings the store records);
3. **anchor** (``groupby(part).map_groups``): a pair's matches together, the candidate pairs;
4. **verify** (``map_batches``): the candidate pairs in chunks, with the texts as a side input shipped
   once, each chunk's links (evidence, probability, passages) computed where it lands.

The stage's output is checkpointed under the stage folder (``copies-<config digest>``), like the
others. :class:`KnownCopies` then answers the pipeline's copy step from it: each committed batch gets
the links whose later article is in the batch and records the batch's admitted fingerprints, so the
driver keeps the store and copy index exactly as a local run does (and a local run can add to it
later), while the per-pair work happens on the cluster. Copy groups (average link over the links)
and stories stay on the driver.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from storyline.batch.ray_tasks import side_value
from storyline.copies import CopyIndex
from storyline.copies.candidates import Anchoring
from storyline.copies.config import CopyConfig
from storyline.copies.decision import load_pair_model
from storyline.copies.index import verify_pairs
from storyline.copies.shuffle import KeyRows, Matches, anchor, concat, match_keys, part_of, sketch
from storyline.model import Article, CopyLink
from storyline.store import Store

__all__ = ["PARTS_PER_CPU", "KnownCopies", "copies_plan", "stage_name"]

#: Partitions of the shuffles per CPU of the job. The answers do not depend on it.
PARTS_PER_CPU = 2
#: Articles per sketch task, and candidate pairs per verification task.
_SKETCH_ARTICLES = 512
_VERIFY_PAIRS = 20_000


def stage_name(config: CopyConfig) -> str:
    """The checkpoint folder of the copy stage for `config` (another configuration finds other links)."""
    return "copies-" + hashlib.blake2b(repr(config).encode(), digest_size=6).hexdigest()


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _sketch_row(row: dict[str, Any], config: CopyConfig, parts: int) -> list[dict[str, Any]]:
    rows = sketch(pickle.loads(row["texts"]), int(row["first"]), config)
    part = part_of(rows.key, parts)
    return [{"part": p, "payload": _dumps(rows.take(part == p))} for p in np.unique(part).tolist()]


def _match_group(group: dict[str, Any], config: CopyConfig, docs: int, parts: int) -> dict[str, Any]:
    rows = concat(KeyRows, [pickle.loads(b) for b in group["payload"]])
    matches, admitted = match_keys(rows, config.max_postings)
    part = part_of(matches.a * docs + matches.b, parts)
    kinds, targets, payloads = ["postings"], [-1], [_dumps(admitted)]
    for p in np.unique(part).tolist():
        kinds.append("matches")
        targets.append(p)
        payloads.append(_dumps(matches.take(part == p)))
    return {
        "kind": np.array(kinds, dtype=object),
        "part": np.array(targets, dtype=np.int64),
        "payload": np.array(payloads, dtype=object),
    }


def _anchor_group(group: dict[str, Any], config: CopyConfig, docs: int) -> dict[str, Any]:
    matches = concat(Matches, [pickle.loads(b) for b in group["payload"]])
    return {"pairs": np.array([_dumps(anchor(matches, docs, Anchoring.of(config)))], dtype=object)}


def _verify_batch(batch: dict[str, Any], side: list[Any], config: CopyConfig) -> dict[str, Any]:
    """``map_batches`` body: the links of each chunk of pairs; `side` holds the object ref of the
    articles' ids and texts (in a list, so Ray hands over the ref), fetched once per worker."""
    ids, texts = side_value(side[0])
    out = []
    for payload in batch["pairs"]:
        pairs = pickle.loads(payload)
        docs = np.unique(pairs)
        local = np.searchsorted(docs, pairs)
        chunk_ids = [ids[d] for d in docs.tolist()]
        chunk_texts = [texts[d] for d in docs.tolist()]
        links = verify_pairs(chunk_ids, chunk_texts, local, config, load_pair_model())
        # the chunk's range of later articles outside, its links inside: read only when a batch needs them
        out.append(_dumps((int(pairs[:, 1].min()), int(pairs[:, 1].max()), _dumps(links))))
    return {"kind": np.array(["links"] * len(out), dtype=object), "payload": np.array(out, dtype=object)}


def copies_plan(ray: Any, articles: Sequence[Article], config: CopyConfig, workers: int) -> Callable[[], Any]:
    """A function building the stage's Ray dataset: rows of ``kind`` ``postings`` (admitted
    fingerprint rows, as :class:`KeyRows` over arrival numbers) and ``links`` (a chunk's first and
    last later article and its links), pickled in ``payload``."""

    def build() -> Any:
        from ray.data.expressions import col

        docs = len(articles)
        texts = [a.text for a in articles]
        blocks = [
            {"first": s, "texts": _dumps(texts[s : s + _SKETCH_ARTICLES])}
            for s in range(0, docs, _SKETCH_ARTICLES)
        ]
        parts = max(2, PARTS_PER_CPU * workers)
        matched = (
            ray.data.from_items(blocks, override_num_blocks=max(1, min(len(blocks), workers * 4)))
            .flat_map(_sketch_row, fn_kwargs={"config": config, "parts": parts})
            .groupby("part", num_partitions=parts)
            .map_groups(
                _match_group, batch_format="numpy", fn_kwargs={"config": config, "docs": docs, "parts": parts}
            )
            .materialize()
        )
        postings = matched.filter(expr=col("kind") == "postings").select_columns(["kind", "payload"])
        found = matched.filter(expr=col("kind") == "matches").groupby("part", num_partitions=parts)
        anchored = found.map_groups(
            _anchor_group, batch_format="numpy", fn_kwargs={"config": config, "docs": docs}
        )
        pairs = [pickle.loads(b) for r in anchored.iter_batches(batch_format="numpy") for b in r["pairs"]]
        every = np.concatenate([np.zeros((0, 2), dtype=np.int64), *pairs])
        every = every[np.lexsort((every[:, 0], every[:, 1]))]  # by later article: a batch's links together
        chunks = [
            {"pairs": _dumps(every[s : s + _VERIFY_PAIRS])} for s in range(0, len(every), _VERIFY_PAIRS)
        ]
        if not chunks:
            return postings
        side = [ray.put(([a.id for a in articles], texts))]
        links = ray.data.from_items(
            chunks, override_num_blocks=max(1, min(len(chunks), workers * 8))
        ).map_batches(
            _verify_batch, batch_size=1, batch_format="numpy", fn_kwargs={"side": side, "config": config}
        )
        return postings.union(links)

    return build


class KnownCopies:
    """The pipeline's copy step answered from the copy stage's output (see the module docstring): for
    a batch, the links whose later article is in it, and its admitted fingerprints written to the
    store. A batch holding an article the stage did not number (none should) is left to the store's
    own copy index, which holds the same postings, so an answer is never missing."""

    def __init__(self, store: Store, config: CopyConfig, articles: Sequence[Article], table: Any) -> None:
        self.store, self.config = store, config
        self._ids = [a.id for a in articles]
        self._number = {a.id: n for n, a in enumerate(articles)}
        kinds = table.column("kind").to_pylist() if table is not None else []
        payloads = table.column("payload").to_pylist() if table is not None else []
        held = concat(
            KeyRows, [pickle.loads(p) for k, p in zip(kinds, payloads, strict=True) if k == "postings"]
        )
        order = np.argsort(held.doc, kind="stable")
        self._postings = held.take(order)
        chunks = [pickle.loads(p) for k, p in zip(kinds, payloads, strict=True) if k == "links"]
        self._chunks: list[tuple[int, int, bytes]] = sorted(chunks)
        self._decoded: dict[int, list[CopyLink]] = {}

    def _links_of(self, numbers: set[int]) -> list[CopyLink]:
        lo, hi = min(numbers), max(numbers)
        out: list[CopyLink] = []
        for n, (first, last, payload) in enumerate(self._chunks):
            if last < lo or first > hi:
                continue
            if n not in self._decoded:
                if len(self._decoded) > 4:  # batches come in arrival order: older chunks are done
                    self._decoded.pop(min(self._decoded))
                self._decoded[n] = pickle.loads(payload)
            number = self._number
            out += [x for x in self._decoded[n] if max(number[x.a], number[x.b]) in numbers]
        return out

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> list[CopyLink]:
        if not ids:
            return []
        if any(i not in self._number for i in ids):
            return CopyIndex(self.store, self.config).add(ids, texts)
        numbers = {self._number[i] for i in ids}
        held: KeyRows = self._postings
        rows: list[tuple[int, str, int]] = []
        for n in sorted(numbers):
            lo, hi = np.searchsorted(held.doc, [n, n + 1])
            keys, positions = held.key[lo:hi].tolist(), held.pos[lo:hi].tolist()
            rows += [(k, self._ids[n], p) for k, p in zip(keys, positions, strict=True)]
        self.store.add_postings(sorted(rows))
        return self._links_of(numbers)
