"""Helpers for ingest tests: collect everything a run yields, and write small WARC files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import IngestConfig, iter_inputs
from storyline.model import RawItem, Rejection

Items = list[RawItem | Rejection]
PAGE = b"<html><head><title>Ferry</title></head><body><p>The ferry sank on Tuesday.</p></body></html>"


def read_all(paths: Sequence[str | Path], config: IngestConfig | None = None, **kwargs: object) -> Items:
    return list(iter_inputs(paths, config, **kwargs))  # type: ignore[arg-type]


def only(items: Items) -> RawItem | Rejection:
    assert len(items) == 1, items
    return items[0]


def reasons(items: Items) -> list[str]:
    return [item.reason for item in items if isinstance(item, Rejection)]


def _response(writer: WARCWriter, url: str, body: bytes, status: str, ctype: str | None) -> object:
    headers = [("Content-Type", ctype)] if ctype else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
    )


WarcSpec = tuple[str, str, bytes, str, str | None]  # (record type, url, body, status, content type)


def warc_bytes(name: str, specs: Sequence[WarcSpec], gzip: bool = True) -> bytes:
    """A WARC file (warcinfo first) with one record per spec: (type, url, body, status, content type)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(name, {"software": "storyline-tests"}))
    for kind, url, body, status, ctype in specs:
        if kind == "response":
            record = _response(writer, url, body, status, ctype)
        else:
            record = writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type=ctype or "application/octet-stream",
            )
        writer.write_record(record)
    return buffer.getvalue()
