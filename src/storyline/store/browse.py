"""Reads for browsing a store page by page, and the full-text index they search.

Kept apart from `sqlite` because only the service browses: a paged, filtered story list with story
titles. `SearchIndex` owns one extra table, ``serve_search``: an SQLite FTS5 index over the articles'
titles and clean texts (external content, so the text is not stored twice). It is brought up to date
from the articles' arrival numbers, so it never misses an article written by `storyline run` either.
Where this SQLite has no FTS5, or the index was never built, search falls back to LIKE over titles
and texts.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from storyline.store.sqlite import Store

__all__ = ["MAX_OFFSET", "SearchIndex", "StoryRow", "has_fts5", "list_stories", "story_title"]

_FTS = "serve_search"
#: The largest offset a page may start at: SQLite's integers end at 2**63, and no store has a billion
#: stories, so a larger offset is a mistake to refuse (4xx), not a query to run.
MAX_OFFSET = 10**9


def has_fts5(store: Store) -> bool:
    """Whether the store's SQLite was built with FTS5 (a probe table in temp, dropped again)."""
    try:
        store._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts5_probe USING fts5(x)")
        store._db.execute("DROP TABLE temp.fts5_probe")
    except sqlite3.OperationalError:
        return False
    return True


class SearchIndex:
    """The FTS5 index of article titles and texts; whoever writes articles calls `catch_up` after."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.enabled = has_fts5(store)
        if self.enabled:
            store._db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {_FTS} USING fts5(title, text,"
                " content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')"
            )
            store._db.execute("INSERT OR IGNORE INTO meta VALUES ('serve_search_seq', '0')")

    def catch_up(self) -> int:
        """Index the articles stored since the last call; returns how many."""
        if not self.enabled:
            return 0
        db = self._store._db
        with self._store.transaction():
            done = int(db.execute("SELECT value FROM meta WHERE key = 'serve_search_seq'").fetchone()[0])
            last = self._store.last_seq()
            db.execute(
                f"INSERT INTO {_FTS} (rowid, title, text)"
                " SELECT seq, coalesce(title, ''), text FROM articles WHERE seq > ?",
                (done,),
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'serve_search_seq'", (str(last),))
        return last - done


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the story list: size (articles, copy groups, distinct sites), span and title."""

    id: str
    articles: int
    groups: int
    sites: int
    first: str | None
    last: str | None
    title: str


def _fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must occur (prefix match on the last one)."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _matching_articles_sql(db: sqlite3.Connection, query: str) -> tuple[str, list[str]]:
    """SQL selecting the ids of articles that match `query`, with its parameters."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (_FTS,)).fetchone()
    fts = _fts_query(query)
    if exists and fts:
        return f"SELECT a.id FROM {_FTS} f JOIN articles a ON a.seq = f.rowid WHERE {_FTS} MATCH ?", [fts]
    like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "SELECT id FROM articles WHERE title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\'",
        [like, like],
    )


def _story_list_sql(
    db: sqlite3.Connection, query: str, since: str | None, until: str | None
) -> tuple[str, list[str]]:
    """SQL of one summary row per story that passes the search and window filters, and its parameters."""
    where, params = [], []
    if query.strip():
        sql, args = _matching_articles_sql(db, query)
        where.append(f"s.story IN (SELECT story FROM story_members WHERE article IN ({sql}))")
        params += args
    having, hparams = [], []
    if since:
        having.append("max(a.published) >= ?")
        hparams.append(since)
    if until:
        having.append("min(a.published) <= ?")
        hparams.append(until)
    sql = (
        "SELECT s.story AS story, count(*) AS size, count(DISTINCT m.grp), count(DISTINCT a.site),"
        " min(a.published), max(a.published) AS latest"
        " FROM story_members s JOIN articles a ON a.id = s.article"
        " LEFT JOIN copy_members m ON m.article = s.article"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " GROUP BY s.story"
        + (" HAVING " + " AND ".join(having) if having else "")
    )
    return sql, params + hparams


def list_stories(
    store: Store,
    *,
    query: str = "",
    since: str | None = None,
    until: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[StoryRow], int]:
    """One page of stories, newest first (by latest publication), filtered by time window and text;
    and how many stories pass the filters in all.

    A story is in the window when its span overlaps it (as in ``storyline stories``); it matches a
    search when any of its articles does.
    """
    if not 0 <= offset <= MAX_OFFSET or limit < 1:
        raise ValueError(f"offset must be 0 to {MAX_OFFSET} and limit positive")
    db = store._db
    sql, params = _story_list_sql(db, query, since, until)
    # one aggregation for the page and the total (a window over the grouped rows); only a page past
    # the end, which has no row to carry the total, counts again
    page = db.execute(
        f"SELECT *, count(*) OVER () FROM ({sql})"
        " ORDER BY latest IS NULL, latest DESC, size DESC, story LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    total = page[0][-1] if page else db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    rows = [
        StoryRow(story, articles, groups, sites, first, last, story_title(store, story))
        for story, articles, groups, sites, first, last, _ in page
    ]
    return rows, int(total)


def story_title(store: Store, story: str) -> str:
    """The title of the story's earliest titled article (most of a story's copies share it), as
    ``storyline stories`` shows it: "(untitled)" where none has one."""
    row = store._db.execute(
        "SELECT a.title FROM story_members s JOIN articles a ON a.id = s.article"
        " WHERE s.story = ? AND a.title IS NOT NULL AND a.title != ''"
        " ORDER BY a.published IS NULL, a.published, a.id LIMIT 1",
        (story,),
    ).fetchone()
    return str(row[0]) if row else "(untitled)"
