"""The partitioned copy passes (copies/shuffle.py) find the links the incremental index finds, for any
partition count, split of the articles and batching of the index."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures_news import BUDGET, FERRY, FERRY_OTHER
from storyline.copies import CopyIndex, MemoryPostings
from storyline.copies.candidates import Anchoring
from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import load_pair_model
from storyline.copies.index import verify_pairs
from storyline.copies.shuffle import KeyRows, Matches, anchor, concat, match_keys, part_of, sketch
from storyline.model import CopyLink

#: Paragraphs of the project's own test articles: texts built from them share whole paragraphs.
PARAGRAPHS = [p for text in (FERRY, BUDGET, FERRY_OTHER) for p in text.split("\n\n") if len(p) > 80]


def _texts(picks: Sequence[Sequence[int]]) -> list[str]:
    return ["\n\n".join(PARAGRAPHS[p] for p in pick) for pick in picks]


def _signature(links: Sequence[CopyLink]) -> list[tuple[object, ...]]:
    return sorted((x.a, x.b, x.kind, round(x.probability, 9), x.passages) for x in links)


def _incremental(ids: list[str], texts: list[str], config: CopyConfig, batch: int) -> list[CopyLink]:
    memory = MemoryPostings()
    memory.add_texts(dict(zip(ids, texts, strict=True)))  # read only for the articles already added
    index = CopyIndex(memory, config)
    links: list[CopyLink] = []
    for start in range(0, len(ids), batch):
        links += index.add(ids[start : start + batch], texts[start : start + batch])
    return links


def _partitioned(
    ids: list[str], texts: list[str], config: CopyConfig, parts: int, split: int
) -> tuple[list[CopyLink], KeyRows]:
    sketched = [sketch(texts[s : s + split], s, config) for s in range(0, len(texts), split)]
    rows = concat(KeyRows, sketched)
    matches, admitted = [], []
    for p in range(parts):
        found, kept = match_keys(rows.take(part_of(rows.key, parts) == p), config.max_postings)
        matches.append(found)
        admitted.append(kept)
    every = concat(Matches, matches)
    code = every.a * len(ids) + every.b
    pairs = [
        anchor(every.take(part_of(code, parts) == p), len(ids), Anchoring.of(config)) for p in range(parts)
    ]
    found_pairs = np.concatenate(pairs)
    links = verify_pairs(ids, texts, found_pairs, config, load_pair_model())
    return links, concat(KeyRows, admitted)


@settings(max_examples=30, deadline=None)
@given(
    picks=st.lists(
        st.lists(st.integers(0, len(PARAGRAPHS) - 1), min_size=1, max_size=4), min_size=2, max_size=14
    ),
    parts=st.integers(1, 5),
    split=st.integers(1, 6),
    batch=st.integers(1, 6),
    cap=st.sampled_from([2, 3, 256]),
)
def test_partitioned_passes_find_the_incremental_links(
    picks: list[list[int]], parts: int, split: int, batch: int, cap: int
) -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, max_postings=cap)
    texts = _texts(picks)
    ids = [f"a{n:02d}" for n in range(len(texts))]
    expected = _incremental(ids, texts, config, batch)
    links, _ = _partitioned(ids, texts, config, parts, split)
    assert _signature(links) == _signature(expected)


def test_admitted_rows_are_what_the_index_keeps() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, max_postings=2)
    texts = _texts([[0, 1], [0, 1, 2], [0, 2], [0, 3], [1, 3], [0, 1]])
    ids = [f"a{n}" for n in range(len(texts))]
    memory = MemoryPostings()
    memory.add_texts(dict(zip(ids, texts, strict=True)))
    index = CopyIndex(memory, config)
    for n in range(len(ids)):
        index.add(ids[n : n + 1], texts[n : n + 1])
    links, admitted = _partitioned(ids, texts, config, parts=3, split=2)
    assert links and _signature(links) == _signature(_incremental(ids, texts, config, batch=4))
    names = [ids[d] for d in admitted.doc.tolist()]
    kept = sorted(zip(admitted.key.tolist(), names, admitted.pos.tolist(), strict=True))
    held = memory.holders(admitted.key.tolist() + [int(k) for k in sketch(texts, 0, config).key])
    stored = sorted((k, a, p) for k, rows in held.items() for a, p in rows)
    assert kept == stored
    assert any(len(rows) == 2 for rows in held.values())  # the cap was reached
