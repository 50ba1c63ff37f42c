from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyConfig, candidate_pairs, sketch_batch
from storyline.copies.shingles import text_shingles

WORDS = [f"w{i:03d}x" for i in range(400)]


def _exact_jaccard(a: str, b: str, config: CopyConfig) -> float:
    sa = set(text_shingles(a, config.shingle_chars, config.seed).hashes.tolist())
    sb = set(text_shingles(b, config.shingle_chars, config.seed).hashes.tolist())
    return len(sa & sb) / len(sa | sb)


# A statistical bound (about 5 standard errors), not a property: fixed examples, so no run draws a rare miss.
@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(0, 10_000), st.floats(0.0, 1.0))
def test_sketch_similarity_tracks_exact_jaccard(seed: int, keep: float) -> None:
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(1500)]
    cut = int(len(words) * keep)
    a = " ".join(words)
    b = " ".join(words[:cut] + [rng.choice(WORDS) for _ in range(len(words) - cut)])
    config = CopyConfig(bands=64, rows=4, sample_bits=0)
    sketches = sketch_batch([a, b], config)
    estimate = float((sketches.minhash[0] == sketches.minhash[1]).mean())
    assert abs(estimate - _exact_jaccard(a, b, config)) < 0.15


def test_normalisation_ignores_spacing_case_and_quotes() -> None:
    config = CopyConfig()
    plain = 'He said "it is over" and left the agencies Tuesday morning for good.'
    mangled = "HE SAID \u201cit is o-\nver\u201d and left the agenciesTuesday morning for&nbsp;good."
    sketches = sketch_batch([plain, mangled], config)
    assert np.array_equal(sketches.band_keys[0], sketches.band_keys[1]) or (
        sketches.shingles.exact[0] == sketches.shingles.exact[1]
    )
    assert sketches.shingles.exact[0] == sketches.shingles.exact[1]


def test_passage_offsets_with_non_ascii() -> None:
    shingles = text_shingles("Caf\u00e9 \u2018ol\u00e9\u2019 d\u00e9j\u00e0 vu", 8, 1)
    assert shingles.stream.decode("utf-8") == "caf\u00e9ol\u00e9d\u00e9j\u00e0vu"
    assert shingles.char_of[-1] == len("Caf\u00e9 \u2018ol\u00e9\u2019 d\u00e9j\u00e0 vu") - 1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=0, max_size=12))
def test_candidate_pairs_equal_brute_force(rows: list[list[int]]) -> None:
    keys = np.array(rows, dtype=np.int64).reshape(-1, 3) * 1_000_003 + np.arange(3) * 7
    expected = {
        (i, j)
        for i in range(len(rows))
        for j in range(i + 1, len(rows))
        if any(keys[i, b] == keys[j, b] for b in range(3))
    }
    assert {tuple(p) for p in candidate_pairs(keys).tolist()} == expected
