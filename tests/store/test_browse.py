"""Browsing reads: the paged story list, its filters and titles, and search with and without the index."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.model import Article, CopyGroup
from storyline.store import Store
from storyline.store.browse import SearchIndex, StoryRow, has_fts5, list_stories, story_title

# (id, title, published day in March 2023 or None, text, story)
ROWS = [
    ("a1", "Ferry sinks off the coast", 5, "A passenger ferry sank near the harbour.", "st-ferry"),
    ("a2", "", 6, "A passenger ferry sank near the harbour; divers searched.", "st-ferry"),
    ("b1", "Council passes budget", 1, "The council approved a budget for libraries.", "st-budget"),
    ("c1", None, None, "Undated notes about 100% of a_b things.", "st-notes"),
    ("d1", "", 9, "A short item with no title at all.", "st-untitled"),
]


def _article(aid: str, title: str | None, day: int | None, text: str) -> Article:
    published = datetime(2023, 3, day, tzinfo=UTC) if day else None
    return Article(aid, f"{aid}.txt", "text", text, text, None, None, title, published)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            for aid, title, day, text, _ in ROWS:
                store.add_article(_article(aid, title, day, text), aid)
            store.replace_groups([], [CopyGroup("g-ferry", "a1", ("a1", "a2"))])
            store.set_stories({aid: story for aid, _, _, _, story in ROWS})
        yield store


def _ids(page: tuple[list[StoryRow], int]) -> list[str]:
    return [s.id for s in page[0]]


def test_list_stories_orders_newest_first_and_pages(store: Store) -> None:
    rows, total = list_stories(store)
    assert total == 4 and [r.id for r in rows] == ["st-untitled", "st-ferry", "st-budget", "st-notes"]
    ferry = rows[1]
    assert (ferry.articles, ferry.groups, ferry.sites) == (2, 1, 0)
    assert (ferry.first, ferry.last) == ("2023-03-05T00:00:00+00:00", "2023-03-06T00:00:00+00:00")
    assert list_stories(store, offset=1, limit=2) == (rows[1:3], 4)


def test_list_stories_window_overlaps_the_span(store: Store) -> None:
    assert _ids(list_stories(store, since="2023-03-06")) == ["st-untitled", "st-ferry"]
    assert _ids(list_stories(store, until="2023-03-05T12")) == ["st-ferry", "st-budget"]
    assert _ids(list_stories(store, since="2023-03-02", until="2023-03-04")) == []


def test_story_title_is_the_earliest_titled_article(store: Store) -> None:
    assert story_title(store, "st-ferry") == "Ferry sinks off the coast"
    assert story_title(store, "st-untitled") == story_title(store, "st-nope") == "(untitled)"
    assert [r.title for r in list_stories(store)[0]] == [
        "(untitled)",
        "Ferry sinks off the coast",
        "Council passes budget",
        "(untitled)",
    ]


@pytest.mark.parametrize("indexed", [False, True])
def test_search_with_or_without_the_index(store: Store, indexed: bool) -> None:
    if indexed:
        if not has_fts5(store):
            pytest.skip("this SQLite has no FTS5")
        index = SearchIndex(store)
        assert (index.catch_up(), index.catch_up()) == (5, 0)
    assert _ids(list_stories(store, query="librar")) == ["st-budget"]
    assert _ids(list_stories(store, query="Ferry sinks")) == ["st-ferry"]
    # The index wants every word, in any order; without it the words are one substring.
    assert _ids(list_stories(store, query="harbour ferry")) == (["st-ferry"] if indexed else [])
    assert _ids(list_stories(store, query="zeppelin")) == []
    assert list_stories(store, query="  ") == list_stories(store)


def test_like_fallback_escapes_wildcards(store: Store) -> None:
    assert _ids(list_stories(store, query="100%")) == ["st-notes"]
    assert _ids(list_stories(store, query="a_b")) == ["st-notes"]
    assert _ids(list_stories(store, query="%")) == ["st-notes"]


def test_search_index_takes_articles_written_after_it(store: Store) -> None:
    if not has_fts5(store):
        pytest.skip("this SQLite has no FTS5")
    index = SearchIndex(store)
    index.catch_up()
    with store.transaction():
        store.add_article(_article("e1", "Zeppelin lands", 10, "An airship landed."), "e1")
        store.set_stories({"e1": "st-zeppelin"})
    assert _ids(list_stories(store, query="zeppelin")) == []
    assert index.catch_up() == 1
    assert _ids(list_stories(store, query="zeppelin")) == ["st-zeppelin"]
    assert dataclasses.astuple(list_stories(store, query="airship")[0][0])[:2] == ("st-zeppelin", 1)


def test_article_ids_in_arrival_order(store: Store) -> None:
    assert store.article_ids() == [row[0] for row in ROWS]
