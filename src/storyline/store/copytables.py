"""The copy index and copy links of a store: what :class:`~storyline.copies.CopyIndex` reads and writes.

Fingerprint posting lists are capped by the copy index before rows reach the store (it knows how many
holders each key has), so a lookup returns at most the cap per key. Links are stored with their kind,
probability, passages and evidence, each pair once with the smaller id first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.copies.candidates import Holders
from storyline.model import CopyLink, LinkKind, Passage
from storyline.store.postings_mirror import PostingsMirror

__all__ = ["CopyTables", "chunks"]

#: Values bound per IN list: below SQLite's limit on bound parameters.
_CHUNK = 900


def chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """`values` in slices of at most ``_CHUNK``."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _link_row(link: CopyLink) -> tuple[str, str, str, float, str, str]:
    a, b = link.a, link.b
    passages = link.passages
    if b < a:
        a, b = b, a
        passages = tuple(Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.quoted) for p in passages)
    spans = [[p.a_start, p.a_end, p.b_start, p.b_end, int(p.quoted)] for p in passages]
    evidence = {k: round(v, 4) for k, v in link.evidence.items()}
    return a, b, link.kind, link.probability, json.dumps(spans), json.dumps(evidence)


def _link(
    row: tuple[str, str, str, float, str, str], first: str | None = None, evidence: bool = True
) -> CopyLink:
    a, b, kind, probability, spans_json, evidence_json = row
    spans = [tuple(s) for s in json.loads(spans_json)]
    passages = tuple(Passage(s[0], s[1], s[2], s[3], bool(s[4])) for s in spans)
    if first is not None and first != a:
        a, b = b, a
        passages = tuple(Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.quoted) for p in passages)
    link_kind: LinkKind = "copy" if kind == "copy" else "reuse"
    return CopyLink(a, b, link_kind, probability, passages, json.loads(evidence_json) if evidence else {})


class CopyTables:
    """Copy-index and link methods of the store (mixed into :class:`~storyline.store.Store`)."""

    _db: sqlite3.Connection
    #: The postings held in memory too (see :mod:`~storyline.store.postings_mirror`): None until asked
    #: whether the table is empty, False while it was not (SQLite answers).
    _mirror: PostingsMirror | bool | None = None

    def _in(self, sql: str, values: Iterable[Any], *params: Any) -> list[Any]:
        """Rows of `sql`, whose ``{marks}`` stands for an IN list, over the distinct `values` in chunks;
        `params` bind the placeholders before it. Fetched a chunk at a time: a store read returns
        hundreds of thousands of rows, and a generator per row costs more than the query."""
        rows: list[Any] = []
        for chunk in chunks(sorted(set(values))):
            sql_chunk = sql.format(marks=",".join("?" * len(chunk)))
            rows += self._db.execute(sql_chunk, [*params, *chunk]).fetchall()
        return rows

    def _touching(self, columns: str, ids: Iterable[str]) -> dict[tuple[str, str], Any]:
        """`columns` (the first two ``a, b``) of every stored link with an end among `ids`, by pair."""
        wanted = set(ids)
        queries = (
            f"SELECT {columns} FROM copy_links WHERE a IN ({{marks}})",
            f"SELECT {columns} FROM copy_links WHERE b IN ({{marks}})",
        )
        return {(r[0], r[1]): r for sql in queries for r in self._in(sql, wanted)}

    def _within(self, columns: str, ids: Iterable[str], where: str = "", ordered: bool = True) -> list[Any]:
        """`columns` (the first two ``a, b``) of every stored link between two of `ids` (and matching
        `where`), in pair order if `ordered`. A link is stored with its smaller id first, so its ``a`` end
        finds it: one indexed query, and no rows for the links that leave the set."""
        members = set(ids)
        sql = f"SELECT {columns} FROM copy_links WHERE a IN ({{marks}}){where}"
        rows = [r for r in self._in(sql, members) if r[1] in members]
        return sorted(rows) if ordered else rows

    # -- the copy index (the Postings protocol of storyline.copies.index) -----------------------------

    def holders(self, keys: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        """For each fingerprint key, the stored ``(article, position)`` rows holding it."""
        found: dict[int, list[tuple[str, int]]] = {}
        sql = "SELECT key, article, pos FROM fingerprints WHERE key IN ({marks})"
        for key, article, pos in self._in(sql, keys):
            found.setdefault(key, []).append((article, pos))
        return found

    def _postings_mirror(self) -> PostingsMirror | None:
        """The in-memory postings, when they hold every stored row (made when the table is empty)."""
        mirror = self._mirror
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if isinstance(mirror, PostingsMirror) and mirror.data_version != version:
            mirror = None  # another connection committed: perhaps postings
        if mirror is None:
            empty = self._db.execute("SELECT 1 FROM fingerprints LIMIT 1").fetchone() is None
            mirror = PostingsMirror(version) if empty else False
        self._mirror = mirror
        return mirror if isinstance(mirror, PostingsMirror) else None

    def _forget_mirror(self) -> None:
        """Ask again whether the postings are empty (after a rollback or removals)."""
        self._mirror = None

    def holder_rows(self, keys: npt.NDArray[np.int64]) -> Holders:
        """The stored ``(key, article, position)`` rows of any of `keys`, as arrays (one query per chunk
        of keys, no Python object per match; from memory while the postings mirror holds them all)."""
        mirror = self._postings_mirror()
        if mirror is not None:
            return mirror.holder_rows(keys)
        rows = self._in("SELECT key, article, pos FROM fingerprints WHERE key IN ({marks})", keys.tolist())
        if not rows:
            return Holders.from_rows([], [], [])
        found, articles, positions = zip(*rows, strict=True)
        return Holders.from_rows(found, articles, positions)

    def add_postings(self, rows: Sequence[tuple[int, str, int]]) -> None:
        mirror = self._postings_mirror()
        self._db.executemany("INSERT OR IGNORE INTO fingerprints VALUES (?,?,?)", rows)
        if mirror is not None and not mirror.add(rows):
            self._mirror = False  # no longer exact: SQLite answers from now on

    def copy_index_version(self) -> str | None:
        """What built the stored copy index and links (None for a store that has none yet)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'copy_index'").fetchone()
        return None if row is None else str(row[0])

    def set_copy_index_version(self, version: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('copy_index', ?)", (version,))

    def forget_copies(self, ids: Sequence[str]) -> None:
        """Drop the fingerprints and links of `ids` (before their copies are found again)."""
        self._forget_mirror()
        for chunk in chunks(sorted(set(ids))):
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM fingerprints WHERE article IN ({marks})", chunk)
            self._db.execute(
                f"DELETE FROM copy_links WHERE a IN ({marks}) OR b IN ({marks})", [*chunk, *chunk]
            )

    def forget_all_copies(self) -> None:
        """Drop the whole copy index, every link and every copy group (before a rebuild)."""
        self._forget_mirror()
        for table in ("fingerprints", "copy_links", "copy_members", "copy_groups"):
            self._db.execute(f"DELETE FROM {table}")

    # -- links ----------------------------------------------------------------------------------------

    def add_links(self, links: Iterable[CopyLink]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO copy_links VALUES (?,?,?,?,?,?)", map(_link_row, links))

    def link(self, a: str, b: str) -> CopyLink | None:
        """The stored link between `a` and `b`, oriented as asked."""
        lo, hi = sorted((a, b))
        row = self._db.execute("SELECT * FROM copy_links WHERE a = ? AND b = ?", (lo, hi)).fetchone()
        return None if row is None else _link(row, first=a)

    def links_touching(self, ids: Iterable[str], evidence: bool = True) -> list[CopyLink]:
        """Every stored link with at least one end among `ids` (with empty evidence when `evidence` is
        false: regrouping reads many links and needs only their kind, probability and passages)."""
        rows = self._touching("*", ids)
        return [_link(rows[key], evidence=evidence) for key in sorted(rows)]

    def link_spans_touching(self, ids: Iterable[str]) -> list[tuple[str, str, str, float, list[list[int]]]]:
        """``(a, b, kind, probability, passages)`` of every stored link with an end among `ids`, in pair
        order; passages as stored, ``[a_start, a_end, b_start, b_end, quoted]`` lists: what an export
        of many articles' reuses reads, without a Passage object for each."""
        rows = sorted(self._touching("a, b, kind, probability, passages", ids).values())
        spans = json.loads("[" + ",".join(r[4] for r in rows) + "]")
        return [(a, b, kind, p, s) for (a, b, kind, p, _), s in zip(rows, spans, strict=True)]

    def stored_link_rows(self, ids: Iterable[str]) -> list[tuple[str, str, str, float, str, str]]:
        """The links whose first end (the smaller id) is among `ids`, as stored, in pair order: ``(a, b,
        kind, probability, passages JSON, evidence JSON)``. Over a partition of the articles, every
        link once: what a bulk export reads, millions of rows, without a CopyLink decoded for each."""
        return sorted(self._in("SELECT * FROM copy_links WHERE a IN ({marks})", ids))

    def link_weights(self, ids: Iterable[str]) -> list[tuple[str, str, float]]:
        """``(a, b, probability)`` of every stored link between two of `ids`, without passages or
        evidence, in no particular order: what average link reads (regrouping a large region reads
        millions of links, and sorting them would cost a third of the read)."""
        return self._within("a, b, probability", ids, ordered=False)

    def linked_at(self, ids: Iterable[str], probability: float) -> set[str]:
        """The articles linked to one of `ids` with at least this probability (ids themselves included
        when so linked): how regrouping walks a region without reading every weak reuse link."""
        wanted = set(ids)
        queries = (
            "SELECT b FROM copy_links WHERE probability >= ? AND a IN ({marks})",
            "SELECT a FROM copy_links WHERE probability >= ? AND b IN ({marks})",
        )
        return {r[0] for sql in queries for r in self._in(sql, wanted, probability)}

    def links_within(self, ids: Iterable[str], evidence: bool = True, copies: bool = False) -> list[CopyLink]:
        """Every stored link between two of `ids` (only the copy links: `copies`; regrouping reads the
        passages of those alone)."""
        rows = self._within("*", ids, " AND kind = 'copy'" if copies else "")
        return [_link(row, evidence=evidence) for row in rows]

    def groups_settled(self) -> int | None:
        """Arrival number up to which the copy groups are exact (see ``pipeline.linking.settle_groups``);
        None when not recorded (a new store, or one written when every batch regrouped exactly)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'groups_settled'").fetchone()
        return int(row[0]) if row is not None else None

    def set_groups_settled(self, seq: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('groups_settled', ?)", (str(seq),))

    def ids_after(self, seq: int) -> list[str]:
        """The ids of the articles stored after arrival number `seq`, in arrival order."""
        return [r[0] for r in self._db.execute("SELECT id FROM articles WHERE seq > ? ORDER BY seq", (seq,))]
