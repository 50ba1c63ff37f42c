"""The in-memory postings mirror answers as the store's fingerprint table does, and steps aside
whenever it could be stale."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies.candidates import Holders
from storyline.store import Store
from storyline.store.postings_mirror import PostingsMirror

Row = tuple[int, str, int]


def _table(holders: Holders) -> list[Row]:
    """The rows of `holders` in their order, with article names."""
    names = [holders.names[a] for a in holders.articles.tolist()]
    return list(zip(holders.keys.tolist(), names, holders.positions.tolist(), strict=True))


def _sqlite_rows(store: Store, keys: list[int]) -> list[Row]:
    mirror, store._mirror = store._mirror, False  # the table itself answers
    try:
        return _table(store.holder_rows(np.array(keys, dtype=np.int64)))
    finally:
        store._mirror = mirror


_batches = st.lists(
    st.lists(st.tuples(st.integers(-5, 5), st.sampled_from("abcdefgh"), st.integers(0, 50)), max_size=12),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(batches=_batches)
def test_the_mirror_answers_as_the_table(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[Row]]
) -> None:
    with Store(tmp_path_factory.mktemp("m") / "s.db") as store:
        for n, batch in enumerate(batches):
            rows = [(k, f"{a}{n}", p) for k, a, p in batch]  # each call adds new articles, as the index does
            with store.transaction():
                store.add_postings(rows)
            keys = list(range(-6, 7))
            assert isinstance(store._mirror, PostingsMirror)
            assert _table(store.holder_rows(np.array(keys, dtype=np.int64))) == _sqlite_rows(store, keys)


def test_a_rollback_a_removal_or_another_writer_sends_lookups_to_the_table(tmp_path: Path) -> None:
    keys = np.array([1, 2, 3], dtype=np.int64)
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_postings([(1, "a", 0), (2, "a", 5)])
        assert isinstance(store._mirror, PostingsMirror)
        with pytest.raises(RuntimeError), store.transaction():
            store.add_postings([(3, "b", 0)])
            raise RuntimeError("rolled back")
        assert _table(store.holder_rows(keys)) == [(1, "a", 0), (2, "a", 5)]
        assert store._mirror is False  # type: ignore[comparison-overlap]  # not empty when asked again

        with store.transaction():
            store.forget_all_copies()
            store.add_postings([(3, "c", 1)])
        assert isinstance(store._mirror, PostingsMirror)  # empty again: mirrored from the start
        other = sqlite3.connect(tmp_path / "s.db")
        with other:
            other.execute("INSERT INTO fingerprints VALUES (2, 'z', 4)")
        other.close()
        assert _table(store.holder_rows(keys)) == [(2, "z", 4), (3, "c", 1)]
        assert not isinstance(store._mirror, PostingsMirror)


def test_an_article_added_twice_or_too_many_rows_end_the_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = PostingsMirror(0)
    assert mirror.add([(1, "a", 0), (1, "a", 9)])  # within a call, the first row of a key and article wins
    assert _table(mirror.holder_rows(np.array([1], dtype=np.int64))) == [(1, "a", 0)]
    assert not mirror.add([(2, "a", 0)])  # its rows may have been ignored by the table
    monkeypatch.setattr("storyline.store.postings_mirror.MAX_ROWS", 3)
    assert not PostingsMirror(0).add([(k, "b", 0) for k in range(4)])
