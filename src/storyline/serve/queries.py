"""Read-only queries the service needs beyond `Store`'s methods, and its full-text index.

These run SQL on the store's connection (`store._db`) because `Store` has no paged story listing or
text search yet; they only read the tables `Store` writes, except `SearchIndex`, which owns one extra
table, ``serve_search``: an SQLite FTS5 index over the articles' titles and clean texts (external
content, so the text is not stored twice). It is brought up to date after every write, from the
articles' arrival numbers, so it never misses an article written by `storyline run` either. When this
SQLite has no FTS5, search falls back to LIKE over titles and texts.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from storyline.store import Store

__all__ = ["SearchIndex", "StoryRow", "has_fts5", "list_stories", "story_title"]

_FTS = "serve_search"


def has_fts5(db: sqlite3.Connection) -> bool:
    try:
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts5_probe USING fts5(x)")
        db.execute("DROP TABLE temp.fts5_probe")
    except sqlite3.OperationalError:
        return False
    return True


class SearchIndex:
    """The FTS5 index of article titles and texts, kept up to date by the writer."""

    def __init__(self, store: Store) -> None:
        self._db = store._db
        self.enabled = has_fts5(self._db)
        if self.enabled:
            self._db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {_FTS} USING fts5(title, text,"
                " content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')"
            )
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('serve_search_seq', '0')")

    def catch_up(self) -> int:
        """Index the articles stored since the last call; returns how many."""
        if not self.enabled:
            return 0
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            done = int(db.execute("SELECT value FROM meta WHERE key = 'serve_search_seq'").fetchone()[0])
            last = int(db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
            db.execute(
                f"INSERT INTO {_FTS} (rowid, title, text)"
                " SELECT seq, coalesce(title, ''), text FROM articles WHERE seq > ?",
                (done,),
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'serve_search_seq'", (str(last),))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return last - done


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the story list."""

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


def list_stories(
    store: Store,
    *,
    query: str = "",
    since: str | None = None,
    until: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[StoryRow], int]:
    """Stories newest first (by latest publication), filtered by time window and text; and the total.

    A story is in the window when its span overlaps it (as in ``storyline stories``); it matches a
    search when any of its articles does.
    """
    db = store._db
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
        "SELECT s.story, count(*), count(DISTINCT m.grp), count(DISTINCT a.site),"
        " min(a.published), max(a.published)"
        " FROM story_members s JOIN articles a ON a.id = s.article"
        " LEFT JOIN copy_members m ON m.article = s.article"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " GROUP BY s.story"
        + (" HAVING " + " AND ".join(having) if having else "")
    )
    total = db.execute(f"SELECT count(*) FROM ({sql})", params + hparams).fetchone()[0]
    page = db.execute(
        sql + " ORDER BY max(a.published) IS NULL, max(a.published) DESC, count(*) DESC, s.story"
        " LIMIT ? OFFSET ?",
        [*params, *hparams, limit, offset],
    ).fetchall()
    rows = [StoryRow(r[0], r[1], r[2], r[3], r[4], r[5], story_title(store, r[0])) for r in page]
    return rows, int(total)


def story_title(store: Store, story: str) -> str:
    """The title of the story's earliest titled article (most of a story's copies share it)."""
    row = store._db.execute(
        "SELECT a.title FROM story_members s JOIN articles a ON a.id = s.article"
        " WHERE s.story = ? AND a.title IS NOT NULL AND a.title != ''"
        " ORDER BY a.published IS NULL, a.published, a.id LIMIT 1",
        (story,),
    ).fetchone()
    return str(row[0]) if row else "(untitled)"
