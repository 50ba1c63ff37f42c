from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies.shingles import char_offsets, shingle_batch, text_shingles


def test_normalisation_ignores_spacing_case_and_quotes() -> None:
    plain = 'He said "it is over" and left the agencies Tuesday morning for good.'
    mangled = "HE SAID \u201cit is o-\nver\u201d and left the agenciesTuesday morning for&nbsp;good."
    batch = shingle_batch([plain, mangled], 12, 0, 1)
    assert batch.exact[0] == batch.exact[1]
    assert np.array_equal(batch.hashes[: batch.offsets[1]], batch.hashes[batch.offsets[1] :])


def test_passage_offsets_with_non_ascii() -> None:
    shingles = text_shingles("Caf\u00e9 \u2018ol\u00e9\u2019 d\u00e9j\u00e0 vu", 8, 1)
    assert shingles.stream.decode("utf-8") == "caf\u00e9ol\u00e9d\u00e9j\u00e0vu"
    assert shingles.char_of[-1] == len("Caf\u00e9 \u2018ol\u00e9\u2019 d\u00e9j\u00e0 vu") - 1


TEXT = st.text(alphabet=st.sampled_from("ab\u00e9 \u2019&;#1\n.Z\x00"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=5))
def test_batch_char_offsets_equal_one_text_offsets(texts: list[str]) -> None:
    offsets = char_offsets(texts)
    for d, text in enumerate(texts):
        assert np.array_equal(offsets.of(d), text_shingles(text, 8, 1).char_of)


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), st.integers(0, 2))
def test_sampled_positions_point_at_their_shingles(texts: list[str], bits: int) -> None:
    batch = shingle_batch(texts, 8, bits, 7)
    for d, text in enumerate(texts):
        full = text_shingles(text, 8, 7)
        lo, hi = batch.offsets[d], batch.offsets[d + 1]
        assert np.array_equal(full.hashes[batch.positions[lo:hi]], batch.hashes[lo:hi])
