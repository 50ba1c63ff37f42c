from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyConfig, CopyIndex, MemoryPostings
from storyline.copies.fingerprints import _window_minima, winnow
from storyline.copies.shingles import shingle_batch

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _words(rng: random.Random, letters: int) -> str:
    out = []
    while sum(len(w) for w in out) < letters:
        out.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9))))
    return " ".join(out)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=80), st.sampled_from([1, 3, 5, 9]))
def test_window_minima_match_brute_force(values: list[int], window: int) -> None:
    arr = np.array(values, dtype=np.int32)
    chosen = _window_minima(arr, window)
    expected = np.zeros(len(arr), dtype=bool)
    for s in range(max(len(arr) - window + 1, 1)):
        part = arr[s : s + window]
        expected[s + np.flatnonzero(part == part.min())] = True
    assert not (expected & ~chosen).any()  # every window's minimum is chosen
    inner = slice(window - 1, len(arr) - window + 1)  # windows past either end may add choices there
    assert np.array_equal(chosen[inner], expected[inner])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 400), st.integers(0, 400))
def test_a_shared_passage_always_shares_a_fingerprint(seed: int, before: int, after: int) -> None:
    """Winnowing's guarantee: without sampling, a shared run of window + k - 1 characters is enough."""
    config = CopyConfig(sample_bits=0, window=15)
    rng = random.Random(seed)
    passage = _words(rng, config.window + config.shingle_chars - 1)
    a = _words(rng, before) + " " + passage + " " + _words(rng, after)
    b = _words(rng, after) + " " + passage + " " + _words(rng, before)
    fps = winnow(shingle_batch([a, b], config.shingle_chars, config.sample_bits, config.seed), config.window)
    assert len(np.intersect1d(fps.of(0), fps.of(1))) >= 1


def test_one_news_sentence_makes_a_candidate_with_the_defaults() -> None:
    """A 100-letter shared passage inside unrelated text: the two texts become a candidate pair (measured:
    187 of 200 such pairs)."""
    config = CopyConfig()
    rng = random.Random(0)
    found = []
    for _ in range(200):
        passage = _words(rng, 100)
        a = _words(rng, 500) + " " + passage + " " + _words(rng, 300)
        b = _words(rng, 200) + " " + passage + " " + _words(rng, 700)
        found.append(len(CopyIndex(MemoryPostings(), config).candidates(["a", "b"], [a, b]).pairs))
    assert np.mean(found) >= 0.9


def test_fingerprints_are_sorted_distinct_and_carry_an_exact_key() -> None:
    texts = ["Oil prices rose on Tuesday as traders weighed the outlook for demand.", "", "!!!"]
    fps = winnow(shingle_batch(texts, 12, 1, 3), 21)
    assert set(fps.docs.tolist()) == {0}
    assert fps.exact[0] != 0 and fps.exact[1] == 0 and fps.exact[2] == 0
    assert fps.exact[0] in fps.of(0)
    pairs = list(zip(fps.docs.tolist(), fps.keys.tolist(), strict=True))
    assert pairs == sorted(set(pairs))


def test_a_document_keeps_the_same_fingerprints_in_any_batch() -> None:
    rng = random.Random(4)
    texts = [_words(rng, rng.randint(0, 400)) for _ in range(6)]
    alone = [winnow(shingle_batch([t], 12, 1, 3), 21).of(0).tolist() for t in texts]
    together = winnow(shingle_batch(texts, 12, 1, 3), 21)
    assert [together.of(d).tolist() for d in range(len(texts))] == alone
