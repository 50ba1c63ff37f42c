from __future__ import annotations

import random
from datetime import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import (
    CanonicalInfo,
    CopyConfig,
    candidate_pairs,
    choose_canonical,
    find_copies,
    group_members,
    scrape_damage,
    sketch_batch,
)
from storyline.evaluate.noise import make_repost


def _texts(article: str) -> list[str]:
    rng = random.Random(7)
    other = " ".join(reversed(article.split()))
    return [article, make_repost(article, rng).text, other, make_repost(article, rng).text, "", "short text"]


def test_find_copies_seeds(seeds: list[str]) -> None:
    labels = find_copies(seeds)
    assert labels[0] == labels[1]
    assert len({labels[0], labels[2], labels[3]}) == 3


def test_find_copies_groups_noisy_copies(article: str) -> None:
    labels = find_copies(_texts(article))
    assert labels[0] == labels[1] == labels[3]
    assert len({labels[0], labels[2], labels[4], labels[5]}) == 4


def test_band_keys_shape_and_candidates(article: str) -> None:
    config = CopyConfig()
    sketches = sketch_batch(_texts(article), config)
    assert sketches.band_keys.shape == (6, config.bands) and sketches.band_keys.dtype == np.int64
    pairs = candidate_pairs(sketches.band_keys)
    assert pairs.shape[1] == 2 and (pairs[:, 0] < pairs[:, 1]).all()
    assert {(0, 1), (0, 3)} <= {tuple(p) for p in pairs.tolist()}


def test_exact_duplicates_of_short_texts() -> None:
    labels = find_copies(["Oil prices rise.", "oil  PRICES rise", "Gold falls", "", ""])
    assert labels[0] == labels[1] and labels[2] != labels[0] and labels[3] != labels[4]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_order(article: str, rnd: random.Random) -> None:
    texts = _texts(article)
    order = list(range(len(texts)))
    rnd.shuffle(order)
    base = find_copies(texts)
    shuffled = find_copies([texts[i] for i in order])
    as_sets = {frozenset(i for i in range(len(texts)) if base[i] == base[j]) for j in range(len(texts))}
    n = len(texts)
    again = {frozenset(order[i] for i in range(n) if shuffled[i] == shuffled[j]) for j in range(n)}
    assert as_sets == again


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
