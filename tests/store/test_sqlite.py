"""The store: round trips, idempotent writes, link orientation, group replacement."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.model import Article, CopyGroup, CopyLink, Passage, Rejection, Removal
from storyline.store import Store, StoreError


def _article(article_id: str, text: str = "some clean text") -> Article:
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        format="text",
        raw=f"raw {text}",
        text=text,
        url="https://example.org/a",
        site="example.org",
        title="A title",
        published=datetime(2019, 4, 24, 8, 0, tzinfo=UTC),
        removed=(Removal("Share this", "share prompt"),),
        extra={"lang": "en"},
    )


def test_article_round_trip_and_idempotent_insert(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_article(_article("a"), "h1")
            store.add_article(_article("a"), "h1")
        assert store.article("a") == _article("a")
        assert store.content_hashes(["a", "b"]) == {"a": "h1"}
        assert store.counts()["articles"] == 1
        assert store.article("missing") is None


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.add_article(_article("a"), "h1")
            raise RuntimeError("killed")
        assert store.counts()["articles"] == 0


def test_replace_groups(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.replace_groups([], [CopyGroup("g1", "a", ("a",)), CopyGroup("g2", "b", ("b",))])
            store.replace_groups(["g1", "g2"], [CopyGroup("g3", "b", ("a", "b"))])
        assert store.groups_of(["a", "b"]) == {"a": "g3", "b": "g3"}
        assert store.copy_groups() == [CopyGroup("g3", "b", ("a", "b"))]
        assert store.copy_group("g1") is None


def test_evidence_rows_and_fingerprints(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_line_observations([(1, "", 5, "a"), (1, "", 5, "a"), (2, "x", 6, "b")])
            store.add_postings([(-3, "a", 0), (2**62, "a", 7), (2**62, "b", 9)])
            store.add_rejection(Rejection(None, "f.jsonl:3", "invalid JSON", "malformed record"))
        assert store.line_observations([1]) == [(1, "", 5, "a")]
        assert store.holders([2**62, 9]) == {2**62: [("a", 7), ("b", 9)]}
        assert store.counts()["rejected"] == 1


def test_the_count_of_observed_documents_follows_what_is_recorded(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_line_observations([(1, "", 5, "a"), (2, "", 5, "b")])
        assert store.observed_documents() == 2
        with store.transaction():  # counted on from the cached count: one article is new, one known
            store.add_line_observations([(3, "", 5, "a"), (3, "", 5, "c"), (4, "", 5, "c")])
        assert store.observed_documents() == 3
        with pytest.raises(RuntimeError), store.transaction():
            store.add_line_observations([(5, "", 5, "d")])
            raise RuntimeError("rolled back")
        assert store.observed_documents() == 3
    with Store(tmp_path / "s.db") as store:
        assert store.observed_documents() == 3


def test_links_round_trip_in_either_orientation(tmp_path: Path) -> None:
    link = CopyLink("b", "a", "reuse", 0.25, (Passage(1, 5, 10, 14, True),), {"longest": 90.0})
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_links([link])
        assert store.link("b", "a") == link
        flipped = store.link("a", "b")
        assert flipped is not None and flipped.passages == (Passage(10, 14, 1, 5, True),)
        assert [(x.a, x.b) for x in store.links_touching(["b"])] == [("a", "b")]
        assert store.links_within(["a"]) == []


def test_a_version_1_store_is_upgraded_and_relinked(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store._db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
        store._db.execute("CREATE TABLE band_keys (key INTEGER, article TEXT)")
    with Store(path) as store:
        assert store.copy_index_version() is None
        tables = {r[0] for r in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "band_keys" not in tables and "fingerprints" in tables


def test_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError, match="not a usable Storyline store"):
        Store(bogus)
