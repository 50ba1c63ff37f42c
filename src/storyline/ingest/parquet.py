"""Parquet files, read in record batches so memory holds one batch, not the file.

pyarrow is an optional dependency (extra ``storyline[parquet]``); without it each Parquet file is
rejected with the install command rather than failing the run. Rows are sourced as ``path#N`` with N
the 0-based row number; a row without an id gets ``<file stem>#N``. Damage met part-way through the
file rejects the rest of it; rows read before it are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import cast

from storyline.ingest.config import IngestConfig
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection

__all__ = ["BATCH_ROWS", "parquet_items"]

#: Rows per record batch: big enough to amortise pyarrow's per-batch cost, small enough for huge pages.
BATCH_ROWS = 256


def _pyarrow_parquet() -> ModuleType | None:
    try:
        import pyarrow.parquet
    except ImportError:
        return None
    return cast(ModuleType, pyarrow.parquet)


def parquet_items(path: Path, *, stem: str, config: IngestConfig) -> Iterator[RawItem | Rejection]:
    """One RawItem or Rejection per row of a Parquet file."""
    pq = _pyarrow_parquet()
    if pq is None:
        reason = "reading Parquet needs pyarrow: pip install 'storyline[parquet]'"
        yield Rejection(None, str(path), reason, "unsupported")
        return
    import pyarrow

    number = 0
    try:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    source = f"{path}#{number}"
                    yield row_to_item(row, fallback_id=f"{stem}#{number}", source=source, config=config)
                    number += 1
    except (pyarrow.ArrowException, OSError) as error:
        where = f"after {number} rows" if number else "before any row"
        yield Rejection(None, f"{path}#{number}", f"corrupt Parquet ({where}): {error}", "corrupt")
