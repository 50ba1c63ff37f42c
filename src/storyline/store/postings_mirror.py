"""An in-memory copy of the fingerprint postings a store gained since they were empty.

A first run (and every ``storyline batch`` with the local engine, whose store is new) looks up every
batch's fingerprint keys among the postings of the batches before it: on Reuters-21578, 500k keys in
22 batches, 3 s of B-tree seeks through SQLite's IN lists, a tenth of the run. While the store's own
postings began empty, every one of them passed through this connection, so a copy in sorted numpy
arrays answers the same lookups at array speed; the store still writes every row, so nothing depends on
the copy surviving.

It is only a cache. The store drops it (and asks again whether the table is empty) when a transaction
rolls back or copies are forgotten, and when another connection has committed since (SQLite's
``data_version``); past :data:`MAX_ROWS` it gives up and the store reads SQLite as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storyline.copies.candidates import Holders

__all__ = ["MAX_ROWS", "PostingsMirror"]

#: Rows kept at most (16 bytes each: 320 MB); a larger first run reads SQLite for the rest of it.
MAX_ROWS = 20_000_000

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


class _Segment:
    """Postings sorted by key: ``keys[r]`` held by article code ``codes[r]`` at ``positions[r]``."""

    __slots__ = ("codes", "keys", "positions")

    def __init__(self, keys: I64, codes: I32, positions: I32) -> None:
        self.keys, self.codes, self.positions = keys, codes, positions

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def merged(cls, parts: Sequence[_Segment]) -> _Segment:
        keys = np.concatenate([p.keys for p in parts])
        order = np.argsort(keys, kind="stable")
        codes = np.concatenate([p.codes for p in parts])[order]
        return cls(keys[order], codes, np.concatenate([p.positions for p in parts])[order])

    def rows_of(self, wanted: I64) -> npt.NDArray[np.intp]:
        """Indices of the rows whose key is among the sorted, distinct `wanted`."""
        lo = np.searchsorted(self.keys, wanted, side="left")
        sizes = np.searchsorted(self.keys, wanted, side="right") - lo
        held = sizes > 0
        lo, sizes = lo[held], sizes[held]
        if len(sizes) == 0:
            return np.zeros(0, dtype=np.intp)
        ends = np.cumsum(sizes)
        return np.repeat(lo - (ends - sizes), sizes) + np.arange(int(ends[-1]))


class PostingsMirror:
    """Every ``(key, article, position)`` row added to a store whose postings were empty when it was
    made, answering :meth:`holder_rows` as the store's table would (rows by key, then article id)."""

    def __init__(self, data_version: int) -> None:
        self.data_version = data_version
        self._segments: list[_Segment] = []
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self.rows = 0

    def add(self, rows: Sequence[tuple[int, str, int]]) -> bool:
        """Record rows as ``INSERT OR IGNORE`` would (the first of a repeated key and article wins);
        False when the mirror can no longer be exact (an article it already holds, or too many rows)."""
        if not rows:
            return True
        codes = self._codes
        first_new = len(self._names)
        keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        positions = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
        code = np.empty(len(rows), dtype=np.int64)
        for n, (_, article, _) in enumerate(rows):
            at = codes.get(article)
            if at is None:
                at = codes[article] = len(self._names)
                self._names.append(article)
            elif at < first_new:
                return False  # an article of an earlier call: its rows may be ignored, not added
            code[n] = at
        if self.rows + len(rows) > MAX_ROWS or int(positions.max(initial=0)) >= 2**31:
            return False
        order = np.lexsort((np.arange(len(rows)), code, keys))
        keys, code, positions = keys[order], code[order], positions[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (code[1:] != code[:-1])
        segment = _Segment(keys[first], code[first].astype(np.int32), positions[first].astype(np.int32))
        self._segments.append(segment)
        self.rows += len(segment)
        while len(self._segments) > 1 and len(self._segments[-2]) <= 2 * len(self._segments[-1]):
            last = self._segments.pop()
            self._segments[-1] = _Segment.merged([self._segments[-1], last])
        return True

    def holder_rows(self, keys: I64) -> Holders:
        """The rows holding any of `keys`, in key order and, within a key, article id order."""
        wanted = np.unique(keys)
        found = [(s, s.rows_of(wanted)) for s in self._segments]
        key = np.concatenate([s.keys[r] for s, r in found] or [np.zeros(0, dtype=np.int64)])
        code = np.concatenate([s.codes[r] for s, r in found] or [np.zeros(0, dtype=np.int32)])
        pos = np.concatenate([s.positions[r] for s, r in found] or [np.zeros(0, dtype=np.int32)])
        if len(key) == 0:
            return Holders.from_rows([], [], [])
        involved = np.unique(code)
        names = [self._names[c] for c in involved.tolist()]
        rank = np.empty(len(involved), dtype=np.int64)
        rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(involved))
        local = np.searchsorted(involved, code)
        order = np.lexsort((rank[local], key))
        articles = [names[i] for i in local[order].tolist()]
        return Holders.from_rows(key[order].tolist(), articles, pos[order].tolist())
