from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stories.linkage import attach_small, average_link


def partition(labels: list[int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_merges_by_mean_of_scored_pairs() -> None:
    edges = {(0, 1): 0.9, (1, 2): 0.6, (0, 2): 0.1, (3, 4): 0.3}
    # {0,1} first; then {0,1}-2 has mean (0.6 + 0.1) / 2 = 0.35 < 0.5, so 2 stays apart.
    assert partition(average_link(5, edges, 0.5)) == {
        frozenset({0, 1}),
        frozenset({2}),
        frozenset({3}),
        frozenset({4}),
    }
    assert partition(average_link(5, edges, 0.3)) == {frozenset({0, 1, 2}), frozenset({3, 4})}


def test_labels_are_smallest_member() -> None:
    assert average_link(3, {(1, 2): 0.9}, 0.5) == [0, 1, 1]


@given(
    st.dictionaries(
        st.tuples(st.integers(0, 7), st.integers(0, 7)).filter(lambda p: p[0] < p[1]),
        st.sampled_from([0.1, 0.3, 0.45, 0.7, 0.95]),
        max_size=20,
    ),
    st.randoms(use_true_random=False),
)
def test_result_does_not_depend_on_edge_order(edges: dict[tuple[int, int], float], rnd: object) -> None:
    items = list(edges.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    assert partition(average_link(8, dict(items), 0.5)) == partition(average_link(8, edges, 0.5))


def _naive_average_link(size: int, edges: dict[tuple[int, int], float], threshold: float) -> list[int]:
    """Average link the slow way: merge the two clusters whose scored pairs have the highest mean
    (pairs never scored do not count; ties to the smallest labels) while that mean reaches the
    threshold. Every mean is recomputed from the pairs at every step."""
    clusters = {i: {i} for i in range(size)}
    while True:
        best: tuple[float, int, int] | None = None
        for u in clusters:
            for v in clusters:
                if u >= v:
                    continue
                scored = [
                    p
                    for (i, j), p in edges.items()
                    if i != j
                    and {i, j} <= clusters[u] | clusters[v]
                    and not {i, j} <= clusters[u]
                    and not {i, j} <= clusters[v]
                ]
                if scored:
                    mean = sum(scored) / len(scored)
                    if best is None or (-mean, u, v) < (-best[0], best[1], best[2]):
                        best = (mean, u, v)
        if best is None or best[0] < threshold:
            break
        _, u, v = best
        clusters[u] |= clusters.pop(v)
    return [next(label for label, members in clusters.items() if i in members) for i in range(size)]


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 8), st.integers(0, 8)),
        st.sampled_from([0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0]),  # sums are exact
        max_size=30,
    ),
    st.sampled_from([0.375, 0.5, 0.625]),
)
def test_average_link_equals_the_naive_agglomeration(
    edges: dict[tuple[int, int], float], threshold: float
) -> None:
    """Dropping the pairs across components of the strong pairs, and pushing only the means a merge
    changed, give the labels of recomputing every mean at every step (pairs named both ways count
    twice in both)."""
    assert average_link(9, edges, threshold) == _naive_average_link(9, edges, threshold)


def test_small_clusters_join_their_best_larger_story() -> None:
    edges = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9, (3, 0): 0.3, (3, 1): 0.2, (4, 0): 0.05}
    labels = average_link(5, edges, 0.5)
    assert partition(labels) == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4})}
    attached = attach_small(labels, edges, max_size=1, threshold=0.2)
    assert partition(attached) == {frozenset({0, 1, 2, 3}), frozenset({4})}
    assert attach_small(labels, edges, max_size=1, threshold=0.3) == labels


def test_a_straggler_matching_many_stories_alike_stays_alone() -> None:
    """A one-article event of a dense stream (another company's dividend) matches every dividend story
    a little; it joins none unless one is ``ratio`` times better than the runner-up."""
    edges = {(0, 1): 0.9, (2, 3): 0.9, (4, 0): 0.35, (4, 1): 0.35, (4, 2): 0.3, (4, 3): 0.3}
    labels = average_link(5, edges, 0.5)
    assert attach_small(labels, edges, max_size=1, threshold=0.25, ratio=1.0)[4] == labels[0]
    assert attach_small(labels, edges, max_size=1, threshold=0.25, ratio=1.5)[4] == 4
    edges[(4, 2)] = edges[(4, 3)] = 0.1
    assert attach_small(labels, edges, max_size=1, threshold=0.25, ratio=1.5)[4] == labels[0]


def attach_small_reference(
    labels: list[int], edges: dict[tuple[int, int], float], max_size: int, threshold: float, ratio: float
) -> list[int]:
    """The pair-by-pair Python of :func:`attach_small` that its numpy form replaced."""
    size = Counter(labels)
    sums: dict[tuple[int, int], list[float]] = {}
    for (i, j), p in edges.items():
        a, b = labels[i], labels[j]
        if a == b:
            continue
        for small, other in ((a, b), (b, a)):
            if size[small] <= max_size:
                cell = sums.setdefault((small, other), [0.0, 0.0])
                cell[0] += p
                cell[1] += 1.0
    ranked: dict[int, list[tuple[float, int]]] = {}
    for (small, other), (total, n) in sums.items():
        ranked.setdefault(small, []).append((total / n, -other))
    target: dict[int, int] = {}
    for small, means in ranked.items():
        means.sort(reverse=True)
        best, big = means[0][0], -means[0][1]
        runner_up = means[1][0] if len(means) > 1 else 0.0
        if size[big] > size[small] and best >= threshold and best >= ratio * runner_up:
            target[small] = big
    final = {}
    for label in size:
        end = label
        while end in target:
            end = target[end]
        final[label] = end
    return [final[label] for label in labels]


@given(
    st.dictionaries(
        st.tuples(st.integers(0, 11), st.integers(0, 11)).filter(lambda p: p[0] < p[1]),
        st.floats(0.0, 1.0, width=32),
        max_size=40,
    ),
    st.sampled_from([0.3, 0.5, 0.7]),
    st.sampled_from([1, 2, 3]),
    st.sampled_from([1.0, 1.5]),
)
def test_attach_small_equals_pair_by_pair(
    edges: dict[tuple[int, int], float], merge: float, max_size: int, ratio: float
) -> None:
    labels = average_link(12, edges, merge)
    assert attach_small(labels, edges, max_size, 0.2, ratio) == attach_small_reference(
        labels, edges, max_size, 0.2, ratio
    )
