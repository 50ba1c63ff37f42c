from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyIndex, MemoryPostings
from storyline.copies.candidates import admitted, batch_pairs, stored_pairs
from storyline.copies.fingerprints import Fingerprints

ROWS = st.lists(st.tuples(st.integers(0, 7), st.integers(1, 6)), max_size=40)


def _fingerprints(rows: list[tuple[int, int]], exact: dict[int, int]) -> Fingerprints:
    pairs = sorted(set(rows))
    docs = np.array([d for d, _ in pairs], dtype=np.int64)
    keys = np.array([k for _, k in pairs], dtype=np.int64)
    exact_arr = np.array([exact.get(d, 0) for d in range(8)], dtype=np.int64)
    return Fingerprints(docs, keys, np.zeros(len(docs), dtype=np.int64), exact_arr)


def _one_by_one(
    rows: list[tuple[int, int]], stored: dict[int, int], cap: int, exact: dict[int, int]
) -> Counter:
    """The reference: documents arrive in order; each meets the earlier holders a capped key kept."""
    holders: dict[int, list[int]] = {}
    score: Counter[tuple[int, int]] = Counter()
    for doc in sorted({d for d, _ in rows}):
        for key in sorted({k for d, k in rows if d == doc}):
            kept = holders.setdefault(key, [])
            for other in kept:
                score[(other, doc)] += 2 if exact.get(doc) == key else 1
            if stored.get(key, 0) + len(kept) < cap:
                kept.append(doc)
    return score


@settings(max_examples=80, deadline=None)
@given(ROWS, st.dictionaries(st.integers(1, 6), st.integers(0, 4)), st.integers(1, 4))
def test_batch_pairs_equal_adding_one_by_one(
    rows: list[tuple[int, int]], stored: dict[int, int], cap: int
) -> None:
    exact = {d: 6 for d in range(0, 8, 3)}  # documents 0, 3, 6 carry key 6 as their whole-text key
    fps = _fingerprints(rows, exact)
    expected = {pair for pair, s in _one_by_one(rows, stored, cap, exact).items() if s >= 2}
    assert {tuple(p) for p in batch_pairs(fps, stored, cap, 2).tolist()} == expected


@settings(max_examples=60, deadline=None)
@given(ROWS, st.dictionaries(st.integers(1, 6), st.integers(0, 4)), st.integers(1, 4))
def test_admitted_rows_respect_the_cap(rows: list[tuple[int, int]], stored: dict[int, int], cap: int) -> None:
    fps = _fingerprints(rows, {})
    room = admitted(fps, stored, cap)
    kept = Counter(fps.keys[room].tolist())
    for key, n in kept.items():
        assert stored.get(key, 0) + n <= cap
    for key in set(fps.keys.tolist()):
        held = int((fps.keys == key).sum())
        assert kept.get(key, 0) == max(0, min(held, cap - stored.get(key, 0)))


def test_stored_pairs_need_two_keys_or_the_exact_key() -> None:
    fps = _fingerprints([(0, 1), (0, 2), (1, 3), (2, 5)], {2: 5})
    holders = {1: ["old-a"], 2: ["old-a", "old-b"], 3: ["old-b"], 5: ["old-c"]}
    assert stored_pairs(fps, holders, 2) == [("old-a", 0), ("old-c", 2)]


def test_the_index_finds_stored_copies_incrementally(article: str) -> None:
    postings = MemoryPostings()
    index = CopyIndex(postings)
    first = index.add(["a"], [article])
    postings.add_texts({"a": article})
    again = index.add(["b"], [article.replace("central bank", "Central Bank")])
    assert first == [] and [(x.a, x.b, x.kind) for x in again] == [("a", "b", "copy")]
