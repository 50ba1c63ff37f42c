"""WARC archives: HTML responses become items, other page records rejections, crawl records counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ingest_helpers import PAGE, WarcSpec, read_all, reasons, warc_bytes

from storyline.ingest import IngestConfig, IngestStats
from storyline.model import RawItem, Rejection

WriteWarc = Callable[..., Path]
MIXED: list[WarcSpec] = [
    (
        "request",
        "https://news.example/a",
        b"GET /a HTTP/1.1\r\n\r\n",
        "",
        "application/http; msgtype=request",
    ),
    ("response", "https://news.example/a", PAGE, "200 OK", "text/html; charset=utf-8"),
    ("response", "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n\x00", "200 OK", "image/png"),
    ("response", "https://news.example/gone", b"<html>404</html>", "404 Not Found", "text/html"),
    ("metadata", "https://news.example/a", b"via: x\r\n", "", "application/warc-fields"),
    ("response", "https://news.example/b", PAGE.replace(b"Ferry", b"Bus"), "200 OK", "application/xhtml+xml"),
    ("resource", "https://news.example/c", b"<!DOCTYPE html><p>Resource page</p>", "", "text/html"),
]


@pytest.mark.parametrize("gzip", [True, False])
def test_html_responses_become_items_and_the_rest_is_accounted(
    write_warc: WriteWarc, stats: IngestStats, gzip: bool
) -> None:
    path = write_warc("crawl.warc.gz" if gzip else "crawl.warc", MIXED, gzip=gzip)
    items = read_all([path], stats=stats)
    assert [type(i).__name__ for i in items] == ["RawItem", "Rejection", "Rejection", "RawItem", "RawItem"]
    first = items[0]
    assert isinstance(first, RawItem)
    assert (first.url, first.format, first.content, first.published) == (
        "https://news.example/a",
        "html",
        PAGE.decode(),
        None,
    )
    assert first.source == f"{path}#2"
    assert len(first.id) == 36 and not first.id.startswith(("<", "urn"))
    assert first.extra["crawled"].startswith("20") and first.extra["content_type"] == "text/html"
    assert reasons(items) == [
        "WARC record is not an HTML response (image/png)",
        "WARC record is not an HTML response (HTTP 404)",
    ]
    assert [i.source for i in items] == [f"{path}#{n}" for n in (2, 3, 4, 6, 7)]
    assert stats.skipped == {"WARC warcinfo record": 1, "WARC request record": 1, "WARC metadata record": 1}


def test_warc_charset_from_http_header(write_warc: WriteWarc) -> None:
    body = "<html><body>Zürich</body></html>".encode("latin-1")
    path = write_warc(
        "c.warc.gz", [("response", "http://x/", body, "200 OK", "text/html; charset=ISO-8859-1")]
    )
    (item,) = read_all([path])
    assert isinstance(item, RawItem)
    assert "Zürich" in item.content and item.extra["decoded_as"] == "ISO-8859-1 (declared)"


def test_missing_content_type_is_sniffed(write_warc: WriteWarc) -> None:
    specs: list[WarcSpec] = [
        ("response", "http://x/1", b"<!doctype html><html><p>Hi</p></html>", "200 OK", None),
        ("response", "http://x/2", b"%PDF-1.4 binary", "200 OK", None),
    ]
    items = read_all([write_warc("s.warc", specs, gzip=False)])
    assert isinstance(items[0], RawItem)
    assert reasons(items) == ["WARC record is not an HTML response (no Content-Type, not HTML)"]


def test_oversized_and_empty_payloads(write_warc: WriteWarc) -> None:
    specs: list[WarcSpec] = [
        ("response", "http://x/big", b"<html>" + b"x" * 500 + b"</html>", "200 OK", "text/html"),
        ("response", "http://x/empty", b"   ", "200 OK", "text/html"),
    ]
    items = read_all([write_warc("o.warc.gz", specs)], IngestConfig(max_bytes=100))
    assert reasons(items) == ["oversized (more bytes > limit 100)", "empty (whitespace only)"]


def test_only_crawl_records_means_an_empty_file(write_warc: WriteWarc, stats: IngestStats) -> None:
    path = write_warc("info.warc.gz", [])
    assert reasons(read_all([path], stats=stats)) == ["empty (no items in file)"]
    assert stats.skipped == {"WARC warcinfo record": 1}


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_warc_keeps_records_before_the_damage(tmp_path: Path, gzip: bool) -> None:
    specs: list[WarcSpec] = [
        ("response", f"http://x/{n}", PAGE * 20, "200 OK", "text/html") for n in range(3)
    ]
    data = warc_bytes("t.warc", specs, gzip=gzip)
    path = tmp_path / ("t.warc.gz" if gzip else "t.warc")
    path.write_bytes(data[: len(data) - 300])
    items = read_all([path])
    assert [type(i).__name__ for i in items] == ["RawItem", "RawItem", "Rejection"]
    last = items[-1]
    assert isinstance(last, Rejection)
    assert last.reason.startswith(("corrupt WARC", "truncated WARC record"))


def test_garbage_named_warc_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00garbage" * 50)
    plain = tmp_path / "junk.warc"
    plain.write_bytes(b"this is not a web archive\n" * 3)
    items = read_all([path, plain])
    assert len(items) == 2
    assert all(isinstance(i, Rejection) and i.reason.startswith("corrupt") for i in items), items


def test_revisit_record_is_rejected(write_warc: WriteWarc) -> None:
    path = write_warc("r.warc.gz", [("revisit", "http://x/", b"", "", "application/http; msgtype=response")])
    assert reasons(read_all([path])) == ["WARC revisit record (a repeat capture without its own payload)"]
