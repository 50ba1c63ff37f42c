"""Every indexed article's term vector in a few flat arrays, so a million of them fit in memory.

One numpy array (and its Python object) per article costs about 250 bytes before the first term; a
story index holding a million articles would spend a quarter of a gigabyte on that alone. Here the
vectors are rows of one table (CSR layout): each term is one uint32, its id shifted left by seven bits
with its two position flags (lead, head; see :mod:`.features`) and its count (capped at 31; the
sublinear tf ``1 + log(count)`` is looked up when rows are read) in the low bits, then per row its start
and length, the latest year named (0 when none) and the publication time as a POSIX timestamp (NaN when
unknown): four bytes a term, 22 an article. Capping counts at 31 instead of 255 left every ECB+ figure
unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Growing", "Rows", "VectorTable", "timestamp"]

TF = (1.0 + np.log(np.maximum(np.arange(256), 1))).astype(np.float32)
"""Sublinear term frequency of every count a table can hold."""
MAX_COUNT = 31
_COUNT_BITS = 5
_FLAG_BITS = 2
MAX_TERM_ID = (1 << (32 - _COUNT_BITS - _FLAG_BITS)) - 1


def timestamp(when: datetime | None) -> float:
    """POSIX seconds of a publication time (a time without zone is taken as UTC), NaN when unknown."""
    if when is None:
        return math.nan
    return (when if when.tzinfo is not None else when.replace(tzinfo=UTC)).timestamp()


class Growing:
    """A one-dimensional numpy array that appends in amortised constant time (capacity doubles)."""

    def __init__(self, dtype: npt.DTypeLike, capacity: int = 1024) -> None:
        self._data = np.zeros(capacity, dtype=dtype)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    @property
    def values(self) -> npt.NDArray[Any]:
        """The filled part (a view: do not keep it across appends)."""
        return self._data[: self._size]

    def extend(self, values: npt.ArrayLike) -> None:
        """Append many values."""
        arr = np.asarray(values, dtype=self._data.dtype).ravel()
        end = self._size + len(arr)
        if end > len(self._data):
            grown = np.zeros(max(2 * len(self._data), end), dtype=self._data.dtype)
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size : end] = arr
        self._size = end

    def append(self, value: float) -> None:
        """Append one value (several per indexed article, so without building an array)."""
        if self._size == len(self._data):
            self.extend([value])
            return
        self._data[self._size] = value
        self._size += 1

    def __getstate__(self) -> dict[str, Any]:
        return {"data": self.values.copy()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._data = state["data"]
        self._size = len(self._data)


@dataclass(frozen=True, slots=True)
class Rows:
    """Several table rows read at once: their term ids, tf, flags, owning row (0..k-1), years and times."""

    ids: npt.NDArray[np.int32]
    tf: npt.NDArray[np.float32]
    flags: npt.NDArray[np.uint8]
    owner: npt.NDArray[np.int64]
    years: npt.NDArray[np.int16]
    times: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.years)


class VectorTable:
    """Term vectors (sorted term ids with counts and flags), latest year and publication time per row.

    Terms and counts live in fixed chunks of ``chunk`` entries that are never copied or resized (a
    doubling array would hold up to twice the data, and three times while it copies); a row never
    spans two chunks.
    """

    def __init__(self, chunk: int = 1 << 20) -> None:
        self._chunk = chunk
        self._terms: list[npt.NDArray[np.uint32]] = []
        self._fill = chunk
        self._starts = Growing(np.int64)
        self._lengths = Growing(np.int32)
        self._years = Growing(np.int16)
        self._times = Growing(np.float64)

    def __len__(self) -> int:
        return len(self._years)

    def add(
        self,
        ids: npt.NDArray[np.int32],
        counts: npt.NDArray[np.uint8],
        flags: npt.NDArray[np.uint8],
        year: int | None,
        when: float,
    ) -> int:
        """Append one row (ids sorted ascending); return its number."""
        n = len(ids)
        if n and int(ids[-1]) > MAX_TERM_ID:
            raise ValueError(f"term id {int(ids[-1])} exceeds {MAX_TERM_ID}: vocabulary too large")
        if self._fill + n > self._chunk:
            self._terms.append(np.zeros(max(self._chunk, n), dtype=np.uint32))
            self._fill = 0
        at = self._fill
        packed = (
            (ids.astype(np.uint32) << (_COUNT_BITS + _FLAG_BITS))
            | (flags.astype(np.uint32) << _COUNT_BITS)
            | np.minimum(counts, MAX_COUNT).astype(np.uint32)
        )
        self._terms[-1][at : at + n] = packed
        self._fill += n
        self._starts.append((len(self._terms) - 1) * (1 << 32) + at)
        self._lengths.append(n)
        self._years.append(year or 0)
        self._times.append(when)
        return len(self) - 1

    def _slices(self, rows: npt.NDArray[np.int64]) -> list[tuple[int, int, int]]:
        starts = self._starts.values[rows]
        return list(
            zip(
                (starts >> 32).tolist(),
                (starts & 0xFFFFFFFF).tolist(),
                self._lengths.values[rows].tolist(),
                strict=True,
            )
        )

    def row(
        self, row: int
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8], npt.NDArray[np.uint8], int | None, float]:
        """One row as (term ids, counts, flags, latest year or None, timestamp)."""
        [(c, lo, n)] = self._slices(np.array([row]))
        year = int(self._years.values[row])
        ids, counts, flags = _unpack(self._terms[c][lo : lo + n])
        return ids, counts, flags, year or None, float(self._times.values[row])

    def times(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Publication timestamps of rows (NaN where unknown)."""
        return self._times.values[rows]

    def read(self, rows: npt.NDArray[np.int64]) -> Rows:
        """The vectors of ``rows``, concatenated, with the row (0..k-1) each term belongs to."""
        slices = self._slices(rows)
        if not slices:
            empty = np.zeros(0, np.uint8)
            return Rows(np.zeros(0, np.int32), TF[empty], empty, np.zeros(0, np.int64), *self._meta(rows))
        ids, counts, flags = _unpack(np.concatenate([self._terms[c][lo : lo + n] for c, lo, n in slices]))
        owner = np.repeat(np.arange(len(rows)), [n for _, _, n in slices])
        return Rows(ids, TF[counts], flags, owner, *self._meta(rows))

    def _meta(self, rows: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.float64]]:
        return self._years.values[rows], self._times.values[rows]


def _unpack(
    packed: npt.NDArray[np.uint32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8], npt.NDArray[np.uint8]]:
    """Term ids, counts and flags of packed table entries."""
    ids = (packed >> (_COUNT_BITS + _FLAG_BITS)).astype(np.int32)
    flags = ((packed >> _COUNT_BITS) & ((1 << _FLAG_BITS) - 1)).astype(np.uint8)
    return ids, (packed & MAX_COUNT).astype(np.uint8), flags
