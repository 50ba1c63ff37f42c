from __future__ import annotations

from collections import Counter
from itertools import combinations, pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyIndex, MemoryPostings
from storyline.copies.candidates import Anchoring, admitted, anchored, batch_pairs, stored_pairs
from storyline.copies.fingerprints import Fingerprints

RULE = Anchoring(min_span=10, tolerance=2, min_matches=4)
# (doc, key, position) rows; key 6 is the whole-text key of documents 0, 3 and 6
ROWS = st.lists(st.tuples(st.integers(0, 7), st.integers(1, 6), st.integers(0, 60)), max_size=40)
EXACT = {d: 6 for d in range(0, 8, 3)}


def _fingerprints(rows: list[tuple[int, int, int]]) -> Fingerprints:
    first: dict[tuple[int, int], int] = {}
    for doc, key, pos in rows:
        first[(doc, key)] = min(pos, first.get((doc, key), pos))
    ordered = sorted(first)
    return Fingerprints(
        np.array([d for d, _ in ordered], dtype=np.int64),
        np.array([k for _, k in ordered], dtype=np.int64),
        np.array([first[x] for x in ordered], dtype=np.int64),
        np.array([EXACT.get(d, 0) for d in range(8)], dtype=np.int64),
    )


def _anchored_brute(matches: list[tuple[int, int, int, bool]], rule: Anchoring) -> set[int]:
    """Pairs (codes) with an exact-text match, or two matches on nearby diagonals far enough apart."""
    out = {code for code, _, _, exact in matches if exact}
    counts: dict[int, int] = {}
    for code, *_ in matches:
        counts[code] = counts.get(code, 0) + 1
    out |= {code for code, n in counts.items() if n >= rule.min_matches}
    by_code: dict[int, list[tuple[int, int]]] = {}
    for code, pa, pb, _ in matches:
        by_code.setdefault(code, []).append((pb - pa, pa, pb))  # type: ignore[arg-type]
    for code, found in by_code.items():
        found.sort()
        chains, chain = [], [found[0]]
        for prev, cur in pairwise(found):
            if cur[0] - prev[0] > rule.tolerance:
                chains.append(chain)
                chain = []
            chain.append(cur)
        chains.append(chain)
        for c in chains:
            span = min(
                max(x[1] for x in c) - min(x[1] for x in c), max(x[2] for x in c) - min(x[2] for x in c)
            )
            if span >= rule.min_span:
                out.add(code)
    return out


def _one_by_one(rows: list[tuple[int, int, int]], stored: dict[int, int], cap: int) -> set[tuple[int, int]]:
    """The reference: documents arrive in order; each meets the earlier holders a capped key kept."""
    fps = _fingerprints(rows)
    holders: dict[int, list[tuple[int, int]]] = {}
    matches = []
    for doc in sorted(set(fps.docs.tolist())):
        mine = [
            (int(k), int(p)) for d, k, p in zip(fps.docs, fps.keys, fps.positions, strict=True) if d == doc
        ]
        for key, pos in mine:
            kept = holders.setdefault(key, [])
            matches += [(other * 8 + doc, opos, pos, EXACT.get(doc) == key) for other, opos in kept]
            if stored.get(key, 0) + len(kept) < cap:
                kept.append((doc, pos))
    return {(c // 8, c % 8) for c in _anchored_brute(matches, RULE)}


@settings(max_examples=80, deadline=None)
@given(ROWS, st.dictionaries(st.integers(1, 6), st.integers(0, 4)), st.integers(1, 4))
def test_batch_pairs_equal_adding_one_by_one(
    rows: list[tuple[int, int, int]], stored: dict[int, int], cap: int
) -> None:
    found = {tuple(p) for p in batch_pairs(_fingerprints(rows), stored, cap, RULE).tolist()}
    assert found == _one_by_one(rows, stored, cap)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 80), st.integers(0, 80), st.booleans()), max_size=25)
)
def test_anchored_equals_brute_force(matches: list[tuple[int, int, int, bool]]) -> None:
    code, pa, pb, exact = (np.array(c) for c in zip(*matches, strict=True)) if matches else ([],) * 4
    got = anchored(
        np.asarray(code, dtype=np.int64),
        np.asarray(pa, dtype=np.int64),
        np.asarray(pb, dtype=np.int64),
        np.asarray(exact, dtype=bool),
        RULE,
    )
    assert set(got.tolist()) == _anchored_brute(matches, RULE)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.dictionaries(st.integers(1, 6), st.integers(0, 4)), st.integers(1, 4))
def test_admitted_rows_respect_the_cap(
    rows: list[tuple[int, int, int]], stored: dict[int, int], cap: int
) -> None:
    fps = _fingerprints(rows)
    room = admitted(fps, stored, cap)
    kept = Counter(fps.keys[room].tolist())
    for key in set(fps.keys.tolist()):
        held = int((fps.keys == key).sum())
        assert kept.get(key, 0) == max(0, min(held, cap - stored.get(key, 0)))


def test_stored_pairs_need_an_anchor_or_the_exact_key() -> None:
    fps = _fingerprints([(0, 1, 5), (0, 2, 30), (1, 3, 0), (1, 4, 40), (3, 6, 0)])
    holders = {
        1: [("a", 105), ("b", 0)],  # a: both on one diagonal (offset 100), 25 apart -> anchor
        2: [("a", 130), ("b", 90)],  # b: two matches on different diagonals -> none
        3: [("c", 0)],
        4: [("c", 300)],  # c: diagonals 0 and 260 -> none
        6: [("d", -1)],  # doc 3's whole text
    }
    assert stored_pairs(fps, holders, RULE) == [("a", 0), ("d", 3)]


def test_the_index_finds_stored_copies_incrementally(article: str) -> None:
    postings = MemoryPostings()
    index = CopyIndex(postings)
    first = index.add(["a"], [article])
    postings.add_texts({"a": article})
    again = index.add(["b"], [article.replace("central bank", "Central Bank")])
    assert first == [] and [(x.a, x.b, x.kind) for x in again] == [("a", "b", "copy")]


def test_adding_in_two_batches_equals_one_batch(article: str) -> None:
    texts = [article, article[200:], article[:300] + " And more.", "Unrelated text about the weather."]
    ids = ["a", "b", "c", "d"]
    whole = CopyIndex(MemoryPostings()).add(ids, texts)
    postings = MemoryPostings()
    index = CopyIndex(postings)
    split = index.add(ids[:2], texts[:2])
    postings.add_texts(dict(zip(ids[:2], texts[:2], strict=True)))
    split += index.add(ids[2:], texts[2:])
    key = [(x.a, x.b, x.kind, round(x.probability, 6)) for x in whole]
    assert sorted(key) == sorted((x.a, x.b, x.kind, round(x.probability, 6)) for x in split)
    assert {frozenset(p) for p in combinations(ids, 2)} >= {frozenset((x.a, x.b)) for x in whole}
