from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyConfig
from storyline.copies.evidence import measure
from storyline.copies.runs import shared_runs
from storyline.copies.shingles import shingle_batch

SHARED = (
    "Cyclone Kenneth made landfall on Thursday night, tearing into a part of Mozambique that has not seen "
    "such a severe storm in at least sixty years, the national disaster agency said."
)
A = "Officials in Maputo met on Friday to plan the relief effort for the north. " + SHARED + " More follows."
B = "Aid groups warned of flooding. " + SHARED + " The storm weakened over land, forecasters said later."


def test_a_shared_passage_is_one_run_at_its_offsets() -> None:
    config = CopyConfig()
    batch = shingle_batch([A, B], config.shingle_chars, config.sample_bits, config.seed)
    runs = shared_runs(batch, np.array([[0, 1]]), config.shingle_chars, config.max_gap)
    longest = int(np.argmax(runs.length))
    letters = sum(ch.isalnum() for ch in SHARED)
    assert abs(int(runs.length[longest]) - letters) <= 2 * config.shingle_chars
    assert int(runs.b_start[longest] - runs.a_start[longest]) == sum(
        ch.isalnum() for ch in B[: B.index(SHARED)]
    ) - sum(ch.isalnum() for ch in A[: A.index(SHARED)])


def test_a_typo_does_not_cut_a_run() -> None:
    config = CopyConfig()
    typo = B.replace("severe storm", "severe stornm")
    ev = measure([A, typo], np.array([[0, 1]]), config)
    assert ev.passages[0] == 1 and ev.longest[0] > 100


def test_quoted_speech_counts_as_quoted() -> None:
    speech = (
        '"We will rebuild every school and every clinic that this storm has destroyed," the president said.'
    )
    ev = measure(
        ["Floods hit the north. " + speech, "A second storm is coming. " + speech],
        np.array([[0, 1]]),
        CopyConfig(),
    )
    assert ev.quoted[0] > 50 and ev.narrative[0] < 30


def test_texts_sharing_nothing_have_no_runs() -> None:
    ev = measure(
        ["Gold prices fell sharply today.", "A ferry sank off the coast."], np.array([[0, 1]]), CopyConfig()
    )
    assert len(ev.runs) == 0 and ev.longest[0] == 0 and ev.narrative[0] == 0


def test_evidence_does_not_depend_on_which_text_comes_first(article: str) -> None:
    edited = article.replace("raised", "lifted").replace("quarter point", "quarter-point") + " More to come."
    forward = measure([article, edited], np.array([[0, 1]]), CopyConfig())
    backward = measure([article, edited], np.array([[1, 0]]), CopyConfig())
    assert forward.row(0) == backward.row(0)
    assert forward.runs.a_start.tolist() == backward.runs.b_start.tolist()


WORDY = st.text(alphabet=st.sampled_from("aAbBcZ\u00e9 \u2019.\n-"), max_size=80)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDY, min_size=2, max_size=4))
def test_vocabulary_overlaps_equal_python_sets(texts: list[str]) -> None:
    """The vectorised word sets and overlaps agree with plain Python sets of the same tokens."""
    import re

    from storyline.copies.words import overlaps, word_sets

    def tokens(t: str) -> list[str]:
        return re.findall(r"[^\W\d_\u2019]+", t)

    sets = word_sets(texts, 400)
    pairs = np.array([(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j])
    got = overlaps(sets.words, sets.words, pairs)
    for (i, j), n in zip(pairs.tolist(), got.tolist(), strict=True):
        wa = {w.lower() for w in tokens(texts[i]) if len(w.encode()) >= 5}
        wb = {w.lower() for w in tokens(texts[j]) if len(w.encode()) >= 5}
        assert n == len(wa & wb)
