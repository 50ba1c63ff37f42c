"""WARC archives (plain or gzipped), streamed record by record with warcio.

Which records are news items:

- ``response`` (and ``resource``) records with status 200 and an HTML content type (text/html or
  application/xhtml+xml; sniffed from the payload when the type is missing) become RawItems with format
  "html", url from WARC-Target-URI and id = WARC-Record-ID without its ``<urn:uuid:...>`` wrapping.
  WARC-Date is the crawl time, not the publication time, so it goes to ``extra["crawled"]`` and
  ``published`` stays empty for the clean stage to find in the page;
- every other response, resource, revisit or conversion record is a Rejection that says why
  (``WARC record is not an HTML response (image/png)``, ``... (HTTP 404)``);
- ``request``, ``metadata`` and ``warcinfo`` records describe the crawl, not pages: they are neither
  items nor rejections, only counted in ``IngestStats.skipped``.

Records are sourced as ``path#N`` with N the 0-based record number in the file (all record types
count). Damage stops the file with one Rejection; items read before it are kept. warcio itself
prints a warning to stderr for records with a wrong Content-Length.
"""

from __future__ import annotations

import dataclasses
import itertools
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.ingest.config import IngestConfig, IngestStats, summarise_error
from storyline.ingest.decode import looks_like_html
from storyline.ingest.documents import document_item
from storyline.model import RawItem, Rejection

__all__ = ["HTML_TYPES", "warc_items"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_NOT_PAGES = frozenset({"request", "metadata", "warcinfo"})
_TYPES = _NOT_PAGES | {"response", "resource", "revisit", "conversion", "continuation"}
_PAYLOAD_ERRORS = (OSError, EOFError, zlib.error, ValueError)
_TRUNCATED = "truncated WARC record (the file ends inside it)"


def _record_id(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().removeprefix("<").removesuffix(">")
    return value.removeprefix("urn:uuid:") or None


def _content_type(record: Any) -> tuple[str, str | None]:
    """(mime type, charset) of a record's payload; HTTP headers win over the WARC header."""
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    value = headers.get_header("Content-Type") or ""
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def _truncated(record: Any) -> bool:
    """Whether the file ends before the record's declared length (reads what is left of it)."""
    while record.raw_stream.read(1 << 16):
        pass
    return int(getattr(record.raw_stream, "limit", 0)) > 0


def _refusal(record: Any) -> str | None:
    """Why a response/resource/revisit record is not an HTML page, judged from headers only."""
    if record.rec_type == "revisit":
        return "WARC revisit record (a repeat capture without its own payload)"
    if record.rec_type not in ("response", "resource"):
        return f"WARC {record.rec_type} record is not an HTML response"
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status != "200":
            return f"WARC record is not an HTML response (HTTP {status})"
    mime = _content_type(record)[0]
    if mime and mime not in HTML_TYPES:
        return f"WARC record is not an HTML response ({mime})"
    return None


def _record_item(
    record: Any, *, number: int, name: str, stem: str, config: IngestConfig
) -> RawItem | Rejection:
    source = f"{name}#{number}"
    item_id = _record_id(record.rec_headers.get_header("WARC-Record-ID")) or f"{stem}#{number}"
    refusal = _refusal(record)
    if refusal:
        if _truncated(record):
            return Rejection(item_id, source, _TRUNCATED, "corrupt")
        return Rejection(item_id, source, refusal, "not a page")
    try:
        payload = record.content_stream().read(config.max_bytes + 1)
    except _PAYLOAD_ERRORS as error:
        return Rejection(item_id, source, f"unreadable HTTP payload: {summarise_error(error)}", "corrupt")
    if len(payload) <= config.max_bytes and _truncated(record):
        return Rejection(item_id, source, _TRUNCATED, "corrupt")
    mime, charset = _content_type(record)
    if not mime and not looks_like_html(payload[:2000].decode("latin-1")):
        reason = "WARC record is not an HTML response (no Content-Type, not HTML)"
        return Rejection(item_id, source, reason, "not a page")
    item = document_item(payload, item_id=item_id, source=source, fmt="html", config=config, declared=charset)
    if isinstance(item, Rejection):
        return item
    extra = dict(item.extra)
    extra["crawled"] = record.rec_headers.get_header("WARC-Date")
    extra["content_type"] = mime or None
    return dataclasses.replace(item, url=record.rec_headers.get_header("WARC-Target-URI"), extra=extra)


def _damage(record: Any) -> str | None:
    """Why a record's header cannot be trusted (a cut-off file parses into half-headers), or None."""
    if record.format != "warc":
        return f"record is not WARC but {record.format}"
    if record.rec_type not in _TYPES:
        return f"unknown record type {record.rec_type!r}"
    for name in ("WARC-Record-ID", "Content-Length"):
        if not record.rec_headers.get_header(name):
            return f"record header without {name}"
    return None


def _leftover(iterator: Any, size: int, records: int) -> str | None:
    """Why the end of the file was not read, when warcio stopped early without raising."""
    if iterator.offset < size:
        unread = size - iterator.offset
        return f"corrupt WARC: the last {unread} bytes could not be read (after {records} records)"
    if iterator.err_count:
        return (
            f"damaged WARC: {iterator.err_count} records with a wrong Content-Length; nearby items may be cut"
        )
    return None


def warc_items(
    path: Path, *, stem: str, config: IngestConfig, stats: IngestStats
) -> Iterator[RawItem | Rejection]:
    """One RawItem or Rejection per page record of a WARC file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        records = iter(iterator)
        for number in itertools.count():
            try:
                record = next(records)
                damage = _damage(record)
            except StopIteration:
                break
            except Exception as error:  # warcio raises assorted errors (even AttributeError) on damage
                parse_bug = isinstance(error, AttributeError | TypeError | KeyError | IndexError)
                damage = "unreadable record header" if parse_bug else summarise_error(error)
            if damage:
                yield Rejection(
                    None, f"{path}#{number}", f"corrupt WARC (after {number} records): {damage}", "corrupt"
                )
                return
            if record.rec_type in _NOT_PAGES:
                stats.skipped[f"WARC {record.rec_type} record"] += 1
            else:
                yield _record_item(record, number=number, name=str(path), stem=stem, config=config)
        leftover = _leftover(iterator, path.stat().st_size, number)
        if leftover:
            yield Rejection(None, f"{path}#{number}", leftover, "corrupt")
