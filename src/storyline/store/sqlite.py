"""The embedded SQLite store: one file per corpus, written in one transaction per batch.

A batch either lands whole or not at all, and every insert is idempotent, so a run killed at any point
(SIGKILL included) and started again ends with the same store as a run that was never interrupted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import get_args

from storyline.model import Article, CopyGroup, PublishedSource, Rejection, Removal
from storyline.store.copytables import CopyTables, chunks
from storyline.store.schema import ADDED_COLUMNS, SCHEMA, SCHEMA_VERSION, upgrade

__all__ = ["Store", "StoreError"]

_SOURCES = frozenset(get_args(PublishedSource))


def _stored_time(value: str | None) -> datetime | None:
    """A stored publication time; one this version cannot read (written by hand, or by an older
    version without the plausibility check) reads as none rather than breaking every reader."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class StoreError(Exception):
    """The store file cannot be used (not a Storyline store, newer schema, unreadable)."""


class Store(CopyTables):
    """Articles, evidence and copy groups in one SQLite file.

    Use as a context manager; writes happen inside :meth:`transaction`.
    """

    def __init__(self, path: str | Path, timeout: float = 30.0) -> None:
        """Open (or create) the store at `path`; `timeout` is how long a write waits for a lock that
        another program (not another Storyline writer, which `lock.WriterLock` keeps out) holds."""
        self.path = str(path)
        self._observed: int | None = None
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._check_version()
            self._db.executescript(SCHEMA)
            self._add_columns()
        except sqlite3.OperationalError:
            raise  # a full disk, an I/O error, a lock held too long: the machine's trouble, not the file's
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable Storyline store: {exc}") from exc

    def _add_columns(self) -> None:
        for table, column, definition in ADDED_COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    def _check_version(self) -> None:
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION and not upgrade(self._db, row[0]):
            reads = f"this Storyline reads {SCHEMA_VERSION}"
            raise StoreError(f"{self.path} has schema version {row[0]}; {reads}")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside lands together, or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            self._observed = None  # counted again from what is stored
            self._forget_mirror()  # it may hold rows that were not kept
            raise
        self._db.execute("COMMIT")

    # -- articles ---------------------------------------------------------------------------------------

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored content hash of each of `ids` that is already in the store."""
        return dict(self._in("SELECT id, content_hash FROM articles WHERE id IN ({marks})", ids))

    def add_article(self, article: Article, content_hash: str) -> None:
        published = article.published.isoformat() if article.published else None
        self._db.execute(
            "INSERT OR IGNORE INTO articles (id, source, format, url, site, title, published, raw, text,"
            " content_hash, extra, published_source, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.source,
                article.format,
                article.url,
                article.site,
                article.title,
                published,
                article.raw,
                article.text,
                content_hash,
                json.dumps(dict(article.extra), default=str),
                article.published_source,
                json.dumps(list(article.notes)),
            ),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO removals VALUES (?,?,?,?)",
            [(article.id, i, r.text, r.reason) for i, r in enumerate(article.removed)],
        )

    def update_clean_text(self, article: Article) -> None:
        """Replace a stored article's clean text and removals (after cleaning it again)."""
        self._db.execute("UPDATE articles SET text = ? WHERE id = ?", (article.text, article.id))
        self._db.execute("DELETE FROM removals WHERE article = ?", (article.id,))
        self._db.executemany(
            "INSERT INTO removals VALUES (?,?,?,?)",
            [(article.id, i, r.text, r.reason) for i, r in enumerate(article.removed)],
        )

    def flat_text_ids(self) -> list[str]:
        """Every stored article that arrived as flat text."""
        return [r[0] for r in self._db.execute("SELECT id FROM articles WHERE format = 'text' ORDER BY seq")]

    def article_ids(self) -> list[str]:
        """Every stored article, in arrival order."""
        return [r[0] for r in self._db.execute("SELECT id FROM articles ORDER BY seq")]

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            "SELECT id, source, format, raw, text, url, site, title, published, extra, published_source,"
            " notes FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        removed = tuple(
            Removal(text, reason)
            for text, reason in self._db.execute(
                "SELECT text, reason FROM removals WHERE article = ? ORDER BY idx", (article_id,)
            )
        )
        return Article(
            id=row[0],
            source=row[1],
            format=row[2],
            raw=row[3],
            text=row[4],
            url=row[5],
            site=row[6],
            title=row[7],
            published=_stored_time(row[8]),
            removed=removed,
            extra=json.loads(row[9]),
            published_source=row[10] if row[10] in _SOURCES else None,
            notes=tuple(json.loads(row[11])),
        )

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Clean text of each stored article among `ids`."""
        return dict(self._in("SELECT id, text FROM articles WHERE id IN ({marks})", ids))

    def published_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The stored publication time (ISO) of each of `ids`."""
        return dict(self._in("SELECT id, published FROM articles WHERE id IN ({marks})", ids))

    def counts(self) -> dict[str, int]:
        """How many articles, rejections, links, groups of 2+ (`copy_groups`) and all groups are stored."""
        one = self._db.execute
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "rejected": one("SELECT count(*) FROM rejections").fetchone()[0],
            "copy_links": one("SELECT count(*) FROM copy_links").fetchone()[0],
            "copy_groups": one("SELECT count(*) FROM copy_groups WHERE size > 1").fetchone()[0],
            "groups": one("SELECT count(*) FROM copy_groups").fetchone()[0],
            "stories": one("SELECT count(DISTINCT story) FROM story_members").fetchone()[0],
        }

    # -- rejections -------------------------------------------------------------------------------------

    def add_rejection(self, rejection: Rejection) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO rejections (source, id, reason, kind) VALUES (?,?,?,?)",
            (rejection.source, rejection.id, rejection.reason, rejection.kind),
        )

    # -- corpus evidence for the cleaner ----------------------------------------------------------------

    def add_line_observations(self, rows: Iterable[tuple[int, str, int, str]]) -> None:
        """Record (line, site, context, article) rows; rows already there are left alone.

        The count of observed documents is kept up to date by the articles new to the evidence, so the
        service, which records a little evidence per call, does not count the whole table each time."""
        rows = list(rows)
        if self._observed is not None:
            articles = {row[3] for row in rows}
            known = self._in("SELECT DISTINCT article FROM line_obs WHERE article IN ({marks})", articles)
            self._observed += len(articles) - len(known)
        self._db.executemany("INSERT OR IGNORE INTO line_obs VALUES (?,?,?,?)", rows)

    def observed_documents(self) -> int:
        """How many documents the line evidence covers (counted once until more is recorded)."""
        if self._observed is None:
            row = self._db.execute("SELECT count(DISTINCT article) FROM line_obs").fetchone()
            self._observed = int(row[0])
        return self._observed

    def line_observations(self, lines: Iterable[int]) -> list[tuple[int, str, int, str]]:
        """Every stored observation of any of `lines`."""
        return self._in("SELECT * FROM line_obs WHERE line IN ({marks})", lines)

    def lines_of(self, article_ids: Iterable[str]) -> set[int]:
        """The recorded line keys of `article_ids` (written by the evidence pass)."""
        return {r[0] for r in self._in("SELECT line FROM line_obs WHERE article IN ({marks})", article_ids)}

    # -- copy groups ------------------------------------------------------------------------------------

    def groups_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The copy group of each of `ids` that has one."""
        return dict(self._in("SELECT article, grp FROM copy_members WHERE article IN ({marks})", ids))

    def copy_membership(self) -> dict[str, str]:
        """The copy group of every stored article."""
        return dict(self._db.execute("SELECT article, grp FROM copy_members"))

    def members(self, group_ids: Iterable[str]) -> list[str]:
        """Every article in any of `group_ids`."""
        return [r[0] for r in self._in("SELECT article FROM copy_members WHERE grp IN ({marks})", group_ids)]

    def replace_groups(self, old: Iterable[str], new: Sequence[CopyGroup]) -> None:
        """Drop groups `old` and write `new` (membership and canonical member)."""
        for chunk in chunks(sorted(set(old))):
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM copy_groups WHERE id IN ({marks})", chunk)
            self._db.execute(f"DELETE FROM copy_members WHERE grp IN ({marks})", chunk)
        for group in new:
            self._db.execute(
                "INSERT OR REPLACE INTO copy_groups VALUES (?,?,?)",
                (group.id, group.canonical, len(group.members)),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO copy_members VALUES (?,?)", [(m, group.id) for m in group.members]
            )

    def copy_group(self, group_id: str) -> CopyGroup | None:
        row = self._db.execute("SELECT canonical FROM copy_groups WHERE id = ?", (group_id,)).fetchone()
        if row is None:
            return None
        members = tuple(sorted(self.members([group_id])))
        return CopyGroup(group_id, row[0], members)

    def copy_groups(self, min_size: int = 2) -> list[CopyGroup]:
        """Stored groups of at least `min_size` members, largest first."""
        ids = [
            r[0]
            for r in self._db.execute(
                "SELECT id FROM copy_groups WHERE size >= ? ORDER BY size DESC, id", (min_size,)
            )
        ]
        return [g for g in (self.copy_group(i) for i in ids) if g is not None]

    # -- stories ----------------------------------------------------------------------------------------

    def set_stories(self, assignment: dict[str, str]) -> None:
        """Record the story of each article in `assignment` (article id -> story id)."""
        self._db.executemany("INSERT OR REPLACE INTO story_members VALUES (?,?)", list(assignment.items()))

    def stories_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The story of each of `ids` that has one."""
        return dict(self._in("SELECT article, story FROM story_members WHERE article IN ({marks})", ids))

    def add_story_reps(self, ids: Iterable[str]) -> None:
        """Record that `ids` represent their copy groups in the story index."""
        self._db.executemany("INSERT OR IGNORE INTO story_reps VALUES (?)", [(i,) for i in ids])

    def reset_story_reps(self) -> None:
        """Make the first article to arrive of every copy group its story-index article (after regrouping
        the whole store)."""
        self._db.execute("DELETE FROM story_reps")
        self._db.execute(
            "INSERT INTO story_reps SELECT a.id FROM articles a JOIN copy_members m ON m.article = a.id"
            " WHERE a.seq = (SELECT min(a2.seq) FROM copy_members m2 JOIN articles a2 ON a2.id = m2.article"
            " WHERE m2.grp = m.grp)"
        )

    def first_members(self, group_ids: Iterable[str]) -> dict[str, str]:
        """The first article to arrive of each of `group_ids`, in the order they arrived."""
        sql = (
            "SELECT min(a.seq), m.grp, a.id FROM copy_members m JOIN articles a ON a.id = m.article"
            " WHERE m.grp IN ({marks}) GROUP BY m.grp"
        )
        return {grp: article for _, grp, article in sorted(self._in(sql, group_ids))}

    def groups_with_reps(self, group_ids: Iterable[str]) -> set[str]:
        """Those of `group_ids` that already have an article in the story index."""
        sql = (
            "SELECT DISTINCT m.grp FROM story_reps r JOIN copy_members m ON m.article = r.article"
            " WHERE m.grp IN ({marks})"
        )
        return {r[0] for r in self._in(sql, group_ids)}

    def story_reps_after(self, seq: int) -> list[tuple[int, str]]:
        """(arrival number, id) of the story-index articles stored after `seq`, in arrival order."""
        return list(
            self._db.execute(
                "SELECT a.seq, a.id FROM story_reps r JOIN articles a ON a.id = r.article"
                " WHERE a.seq > ? ORDER BY a.seq",
                (seq,),
            )
        )

    def members_with_first_rep(self, groups: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(article, earliest story-index article of its copy group) for every grouped article, or for
        the members of `groups` only."""
        first = (
            "WITH first AS (SELECT m.grp AS grp, min(a.seq) AS seq FROM story_reps r"
            " JOIN copy_members m ON m.article = r.article JOIN articles a ON a.id = r.article"
            " {where} GROUP BY m.grp)"
            " SELECT m.article, a.id FROM copy_members m JOIN first f ON f.grp = m.grp"
            " JOIN articles a ON a.seq = f.seq"
        )
        if groups is None:
            return list(self._db.execute(first.format(where="")))
        return self._in(first.format(where="WHERE m.grp IN ({marks})"), groups)

    def groups_since(self, seq: int) -> set[str]:
        """The copy groups of the articles stored after arrival number `seq`."""
        return {
            r[0]
            for r in self._db.execute(
                "SELECT m.grp FROM articles a JOIN copy_members m ON m.article = a.id WHERE a.seq > ?", (seq,)
            )
        }

    def story_members(self, story: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT article FROM story_members WHERE story = ?", (story,))]

    def story_summaries(self) -> list[tuple[str, int, int, int, str | None, str | None]]:
        """(story, articles, copy groups, sites, first published, last published) for every story."""
        return list(
            self._db.execute(
                "SELECT s.story, count(*), count(DISTINCT m.grp), count(DISTINCT a.site),"
                " min(a.published), max(a.published)"
                " FROM story_members s JOIN articles a ON a.id = s.article"
                " LEFT JOIN copy_members m ON m.article = s.article"
                " GROUP BY s.story"
            )
        )

    def last_seq(self) -> int:
        """Arrival number of the newest stored article (0 when there is none)."""
        return int(self._db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])

    def canonical_of(self, group_ids: Iterable[str]) -> dict[str, str]:
        """The canonical member of each of `group_ids`."""
        return dict(self._in("SELECT id, canonical FROM copy_groups WHERE id IN ({marks})", group_ids))

    def save_snapshot(self, name: str, version: str, data: bytes) -> None:
        self._db.execute("INSERT OR REPLACE INTO snapshots VALUES (?,?,?)", (name, version, data))

    def snapshot(self, name: str, version: str) -> bytes | None:
        """The saved snapshot `name`, if one written by `version` exists."""
        row = self._db.execute("SELECT version, data FROM snapshots WHERE name = ?", (name,)).fetchone()
        return bytes(row[1]) if row is not None and row[0] == version else None
