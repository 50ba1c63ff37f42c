from __future__ import annotations

import random
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CanonicalInfo, average_groups, choose_canonical, group_members, scrape_damage

IDS = [f"a{i}" for i in range(8)]
LINKS = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.floats(0.01, 1.0)), max_size=20)


@settings(max_examples=60, deadline=None)
@given(LINKS, st.randoms(use_true_random=False), st.floats(0.2, 0.8))
def test_average_groups_do_not_depend_on_order(
    links: list[tuple[int, int, float]], rnd: random.Random, t: float
) -> None:
    named = [(f"a{x}", f"a{y}", p) for x, y, p in links]
    ids, shuffled = IDS[:], named[:]
    rnd.shuffle(ids)
    rnd.shuffle(shuffled)
    groups = average_groups(IDS, named, t)
    assert groups == average_groups(ids, shuffled, t)
    assert sorted(m for g in groups for m in g) == IDS


def _naive_average_link(size: int, links: list[tuple[int, int, float]], threshold: float) -> list[list[str]]:
    """Average link the slow way: merge the two clusters of the highest mean pair probability (a
    missing pair counts 0; ties to the smallest first members) while that mean reaches `threshold`."""
    weight: dict[tuple[int, int], float] = {}
    for x, y, p in links:
        if x != y:
            key = (min(x, y), max(x, y))
            weight[key] = max(weight.get(key, 0.0), p)
    clusters = [[i] for i in range(size)]
    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for u in range(len(clusters)):
            for v in range(u + 1, len(clusters)):
                a, b = clusters[u], clusters[v]
                total = sum(weight.get((min(i, j), max(i, j)), 0.0) for i in a for j in b)
                mean = total / (len(a) * len(b))
                if best is None or (-mean, a[0], b[0]) < (
                    -best[0],
                    clusters[best[1]][0],
                    clusters[best[2]][0],
                ):
                    best = (mean, u, v)
        if best is None or best[0] < threshold:
            break
        _, u, v = best
        clusters[u] = sorted(clusters[u] + clusters[v])
        del clusters[v]
    return sorted([[f"a{i}" for i in c] for c in clusters])


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(1, 8)), max_size=24),
    st.integers(1, 7),
)
def test_average_groups_equal_naive_average_link(links: list[tuple[int, int, int]], eighths: int) -> None:
    # probabilities and threshold in eighths: every sum is exact, so ties are ties in both
    dyadic = [(x, y, n / 8) for x, y, n in links]
    expected = _naive_average_link(8, dyadic, eighths / 8)
    assert average_groups(IDS, [(f"a{x}", f"a{y}", p) for x, y, p in dyadic], eighths / 8) == expected


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 13), st.integers(0, 13), st.floats(0.05, 1.0)), min_size=20, max_size=60
    ),
    st.floats(0.15, 0.6),
)
def test_average_groups_equal_naive_average_link_on_dense_graphs(
    links: list[tuple[int, int, float]], threshold: float
) -> None:
    # dense enough that clusters grow by several merges and keep stale upper bounds in the heap
    ids = [f"a{i:02d}" for i in range(14)]  # names sort as the numbers do, as the naive version's ties
    expected = [[f"a{int(m[1:]):02d}" for m in group] for group in _naive_average_link(14, links, threshold)]
    assert average_groups(ids, [(ids[x], ids[y], p) for x, y, p in links], threshold) == sorted(expected)


def test_average_link_needs_copies_on_average() -> None:
    # b is a strong copy of a; c shares one paragraph with b only: the trio is not a copy on average.
    links = [("a", "b", 0.95), ("b", "c", 0.9)]
    assert average_groups(["a", "b", "c"], links, 0.5) == [["a", "b"], ["c"]]
    # two takes of one story, each a clique, joined by most of their pairs
    takes = [
        ("a", "b", 0.9),
        ("c", "d", 0.9),
        ("a", "c", 0.6),
        ("b", "d", 0.5),
        ("a", "d", 0.4),
        ("b", "c", 0.3),
    ]
    assert average_groups(list("abcd"), takes, 0.4) == [["a", "b", "c", "d"]]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=15),
    st.randoms(use_true_random=False),
)
def test_group_members_order_independent(links: list[tuple[int, int]], rnd: random.Random) -> None:
    ids = [f"a{i}" for i in range(10)]
    named = [(f"a{x}", f"a{y}") for x, y in links]
    shuffled_ids, shuffled_links = ids[:], named[:]
    rnd.shuffle(shuffled_ids)
    rnd.shuffle(shuffled_links)
    groups = group_members(ids, named)
    assert groups == group_members(shuffled_ids, shuffled_links)
    assert sorted(m for g in groups for m in g) == sorted(ids)


def test_choose_canonical() -> None:
    early, late = datetime(2019, 4, 24, 8), datetime(2019, 4, 24, 9)
    assert choose_canonical([CanonicalInfo("b", 100, late), CanonicalInfo("a", 90, early)]) == "b"
    assert choose_canonical([CanonicalInfo("b", 100, early), CanonicalInfo("a", 100, late)]) == "b"
    assert choose_canonical([CanonicalInfo("b", 100, None), CanonicalInfo("a", 100, None)]) == "a"
    assert choose_canonical([CanonicalInfo("a", 100, None), CanonicalInfo("b", 100, late)]) == "b"


def test_canonical_prefers_the_undamaged_original_among_complete_copies() -> None:
    original = "Talks with Washington stalled on Tuesday. Kim left early Wednesday."
    scraped = "Talks with Washington stalledTuesday. Kim left earlyWednesday.Russian officials met him."
    assert scrape_damage(original) == 0 and scrape_damage(scraped) == 3
    members = [
        CanonicalInfo("scraped", 1000, None, scrape_damage(scraped)),
        CanonicalInfo("original", 990, None, scrape_damage(original)),
    ]
    assert choose_canonical(members) == "original"
    assert choose_canonical([*members, CanonicalInfo("longer", 1200, None, 5)]) == "longer"
