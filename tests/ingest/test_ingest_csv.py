"""CSV rows: mapping, ids, sources, encodings and rejections."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from ingest_helpers import read_all, reasons

from storyline.ingest import IngestConfig
from storyline.model import RawItem, Rejection


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def test_csv_rows_with_mapping_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(
        _csv([["pair_id", "body", "lang"], ["p1", "First line\nsecond line", "en"], ["p2", "Other", ""]]),
        encoding="utf-8",
    )
    items = read_all([path], IngestConfig(columns={"id": "pair_id", "text": "body"}))
    assert items == [
        RawItem("p1", f"{path}:2", "First line\nsecond line", "text", extra={"lang": "en"}),
        RawItem("p2", f"{path}:4", "Other", "text"),
    ]


def test_csv_fallback_ids_blank_lines_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv.gz"
    text = "text,url\nAlpha,http://a\n\nBeta\nGamma,http://c,extra\n, \n"
    path.write_bytes(gzip.compress(text.encode()))
    items = read_all([path])
    assert items[0] == RawItem("feed:2", f"{path}:2", "Alpha", "text", url="http://a")
    assert items[1] == Rejection(None, f"{path}:3", "empty (blank line)", "empty")
    assert items[2] == RawItem("feed:4", f"{path}:4", "Beta", "text")
    assert items[3] == Rejection(None, f"{path}:5", "CSV row has 3 fields, header has 2", "malformed record")
    assert items[4] == Rejection(None, f"{path}:6", "empty (blank line)", "empty")
    assert len(items) == 5


def test_csv_missing_text_column_and_oversized_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,body\n1,short\n", encoding="utf-8")
    assert reasons(read_all([path])) == [
        "missing 'text' or 'html' field (fields present: body, id; map one with e.g. text=COLUMN)"
    ]
    path.write_text("id,text\n1," + "é" * 60 + "\n", encoding="utf-8")
    assert reasons(read_all([path], IngestConfig(max_bytes=119))) == ["oversized (120 bytes > limit 119)"]


def test_csv_in_cp1252_and_a_bad_byte_rejects_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id,text\n1,Caf\xe9\n".encode("cp1252") + b"2,fine\n")
    first, second = read_all([path])
    assert isinstance(first, RawItem) and first.content == "Café" and first.extra == {"decoded_as": "cp1252"}
    assert isinstance(second, RawItem)
    mixed = tmp_path / "mixed.csv"
    filler = "".join(f"{n},r\u00e9sum\u00e9 {n:06d}\n" for n in range(5000)).encode()  # > 64 KiB of UTF-8
    mixed.write_bytes(b"id,text\n" + filler + b"bad,bad \xff byte\nlast,ok\n")
    items = read_all([mixed])
    assert len(items) == 5002
    assert items[5000] == Rejection(
        None, f"{mixed}:5002", "undecodable bytes on line 5002 (file read as utf-8)", "undecodable"
    )
    assert isinstance(items[5001], RawItem) and items[5001].id == "last"


def test_csv_binary_and_header_only_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"id,text\n\x00\x01\x02")
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,text\n", encoding="utf-8")
    assert reasons(read_all([binary, header_only])) == [
        "binary (contains NUL bytes)",
        "empty (no items in file)",
    ]


def test_csv_field_over_the_csv_limit_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("id,text\n1," + "x" * 300 + "\n2,ok\n", encoding="utf-8")
    items = read_all([path], IngestConfig(max_bytes=100))
    assert isinstance(items[0], Rejection) and items[0].reason.startswith("oversized")
    assert isinstance(items[1], RawItem) and items[1].id == "2"
