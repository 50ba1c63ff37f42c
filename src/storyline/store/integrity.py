"""Whether a store is whole: SQLite's own check plus the invariants Storyline's stages rely on.

The reliability suite runs this after every fault it injects (a run or the service killed, a full disk,
a locked store), and ``storyline check`` runs it for a user. Two levels:

- *consistent*: what must hold after any crash, since every batch commits whole: SQLite's
  ``PRAGMA integrity_check``; every copy link, fingerprint, removal, group member, story member and
  story representative refers to a stored article; links are of a known kind with a probability in
  [0, 1]; each group's canonical is one of its members and its size its member count; every stored
  id passes the id rule and every stored publication time is plausible with a known source;
- *complete*: what a run that finished adds: every article is in a copy group and a story, every copy
  group has its representative in the story index and lies in one story.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import get_args

from storyline.clean.dates import DateConfig, plausible
from storyline.ingest.ids import id_problem
from storyline.model import PublishedSource
from storyline.store.sqlite import Store, _stored_time

__all__ = ["check_store"]

_ORPHANS = {
    "copy link": "SELECT a FROM copy_links WHERE a NOT IN (SELECT id FROM articles)"
    " UNION SELECT b FROM copy_links WHERE b NOT IN (SELECT id FROM articles)",
    "fingerprint": "SELECT DISTINCT article FROM fingerprints WHERE article NOT IN (SELECT id FROM articles)",
    "removal": "SELECT DISTINCT article FROM removals WHERE article NOT IN (SELECT id FROM articles)",
    "copy group member": "SELECT article FROM copy_members WHERE article NOT IN (SELECT id FROM articles)",
    "story member": "SELECT article FROM story_members WHERE article NOT IN (SELECT id FROM articles)",
    "story representative": "SELECT article FROM story_reps WHERE article NOT IN (SELECT id FROM articles)",
}
_CONSISTENT = {
    "link of an unknown kind": "SELECT a, b, kind FROM copy_links WHERE kind NOT IN ('copy', 'reuse')",
    "link probability out of range": "SELECT a, b FROM copy_links WHERE probability < 0 OR probability > 1",
    "copy link not ordered": "SELECT a, b FROM copy_links WHERE a >= b",
    "canonical outside its group": "SELECT g.id FROM copy_groups g LEFT JOIN copy_members m"
    " ON m.article = g.canonical AND m.grp = g.id WHERE m.article IS NULL",
    "group size off": "SELECT g.id FROM copy_groups g WHERE g.size !="
    " (SELECT count(*) FROM copy_members m WHERE m.grp = g.id)",
    "member of a missing group": "SELECT article FROM copy_members"
    " WHERE grp NOT IN (SELECT id FROM copy_groups)",
}
_COMPLETE = {
    "article without a copy group": "SELECT id FROM articles"
    " WHERE id NOT IN (SELECT article FROM copy_members)",
    "article without a story": "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM story_members)",
    "copy group without a story representative": "SELECT id FROM copy_groups WHERE id NOT IN"
    " (SELECT m.grp FROM copy_members m JOIN story_reps r ON r.article = m.article)",
    "copy group in several stories": "SELECT m.grp FROM copy_members m JOIN story_members s"
    " ON s.article = m.article GROUP BY m.grp HAVING count(DISTINCT s.story) > 1",
}
_SOURCES = frozenset(get_args(PublishedSource))


def _rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    return list(store._db.execute(sql))


def _articles(store: Store) -> Iterator[str]:
    dates = DateConfig()
    for article_id, published, source in store._db.execute(
        "SELECT id, published, published_source FROM articles"
    ):
        if id_problem(article_id) is not None:
            yield f"stored id breaks the id rule: {article_id!r}"
        when = _stored_time(published)
        if published and (when is None or plausible(when, dates) is not None):
            yield f"article {article_id!r} has an implausible publication time {published!r}"
        if source is not None and source not in _SOURCES:
            yield f"article {article_id!r} has an unknown publication source {source!r}"


def check_store(store: Store, complete: bool = True) -> list[str]:
    """Every problem found, in words (empty when the store is whole); `complete` adds the invariants
    of a finished run (see the module docstring)."""
    problems = [f"sqlite: {row[0]}" for row in _rows(store, "PRAGMA integrity_check") if row[0] != "ok"]
    for what, sql in _ORPHANS.items():
        problems += [f"{what} of a missing article: {row[0]!r}" for row in _rows(store, sql)]
    for what, sql in (_CONSISTENT | (_COMPLETE if complete else {})).items():
        problems += [f"{what}: {', '.join(map(repr, row))}" for row in _rows(store, sql)]
    problems += list(_articles(store))
    return problems
