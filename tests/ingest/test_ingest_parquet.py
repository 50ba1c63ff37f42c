"""Parquet rows: mapping, ids, sources, streaming in batches, and rejections."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from ingest_helpers import only, read_all, reasons

from storyline.ingest import IngestConfig
from storyline.ingest.parquet import BATCH_ROWS
from storyline.model import RawItem, Rejection

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_rows_stream_in_batches_with_mapping(tmp_path: Path) -> None:
    count = BATCH_ROWS * 2 + 3
    table = pa.table(
        {
            "doc_id": [float(n) if n % 2 else None for n in range(count)],
            "body": [f"Article {n}" for n in range(count)],
            "when": [datetime(2019, 4, 25, 12, 0)] * count,
            "score": [0.5] * count,
        }
    )
    path = tmp_path / "news.parquet"
    pq.write_table(table, path, row_group_size=100)
    items = read_all([path], IngestConfig(columns={"id": "doc_id", "text": "body", "published": "when"}))
    assert len(items) == count
    assert items[0] == RawItem("news#0", f"{path}#0", "Article 0", "text", published="2019-04-25T12:00:00",
                               extra={"score": 0.5})  # fmt: skip
    assert items[1].id == "1" and items[-1].source == f"{path}#{count - 1}"


def test_parquet_binary_html_column_and_bad_rows(tmp_path: Path) -> None:
    table = pa.table({"id": ["a", "b", "c"], "html": [b"<p>caf\xc3\xa9</p>", b"\x00\x01", None]})
    path = tmp_path / "pages.parquet"
    pq.write_table(table, path)
    items = read_all([path])
    assert items[0] == RawItem("a", f"{path}#0", "<p>café</p>", "html")
    assert reasons(items) == [
        "binary (contains NUL bytes) (column 'html')",
        "missing 'text' or 'html' field (fields present: html, id; map one with e.g. text=COLUMN)",
    ]


def test_corrupt_parquet_is_rejected(tmp_path: Path) -> None:
    table = pa.table({"id": [str(n) for n in range(2000)], "text": [f"row {n} " * 20 for n in range(2000)]})
    good = io.BytesIO()
    pq.write_table(table, good, row_group_size=500, compression="none")
    data = good.getvalue()
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(data[:4] + b"\xff" * 5000 + data[5004:])  # smash the first row group's pages
    notparquet = tmp_path / "not.parquet"
    notparquet.write_bytes(b"hello world, not parquet")
    items = read_all([broken, notparquet])
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert [r.source.rsplit("/", 1)[-1].split("#")[0] for r in rejected] == ["broken.parquet", "not.parquet"]
    assert all(r.reason.startswith("corrupt Parquet") for r in rejected)


def test_missing_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("storyline.ingest.parquet._pyarrow_parquet", lambda: None)
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1")
    item = only(read_all([path]))
    assert isinstance(item, Rejection)
    assert "pip install 'storyline[parquet]'" in item.reason
