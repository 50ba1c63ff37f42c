"""Whole-document inputs: a .txt or .html file (optionally gzipped) is one item, and so is non-JSONL stdin.

A document's id is its file name without the extension (``000_a4b.txt`` -> ``000_a4b``), because
collections of scraped pages are usually named by their own ids.
"""

from __future__ import annotations

import gzip
import io
import itertools
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import Decoded, declared_charset, decode_bytes, looks_like_html, scrub
from storyline.ingest.ids import id_problem
from storyline.ingest.jsonl import bounded_lines, jsonl_items, looks_like_jsonl
from storyline.model import Format, RawItem, Rejection

__all__ = ["STDIN_SOURCE", "document_item", "read_document", "replayable", "stdin_items"]

STDIN_SOURCE = "<stdin>"


def document_item(
    data: bytes,
    *,
    item_id: str,
    source: str,
    fmt: Format,
    config: IngestConfig,
    size: int | None = None,
    declared: str | None = None,
) -> RawItem | Rejection:
    """The item for one document's bytes (at most ``max_bytes`` + 1 of them; `size` is the full size).

    Byte counts are checked before decoding, the limit being about bytes on disk. `declared` is a
    charset named by a transport header; an HTML page's own ``<meta charset>`` is used otherwise.
    """
    bad_id = id_problem(item_id)
    if bad_id is not None:
        return Rejection(None, source, bad_id, "invalid id")
    if len(data) > config.max_bytes:
        shown = f"{size} bytes" if size else "more bytes"
        return Rejection(item_id, source, f"oversized ({shown} > limit {config.max_bytes})", "oversized")
    if not data.strip():
        return Rejection(
            item_id, source, "empty (no bytes)" if not data else "empty (whitespace only)", "empty"
        )
    if declared is None and fmt == "html":
        declared = declared_charset(data)
    decoded = decode_bytes(data, declared)
    if isinstance(decoded, str):
        return Rejection(item_id, source, decoded, "undecodable")
    text, scrubbed = scrub(decoded.text)
    if not text.strip():
        return Rejection(item_id, source, "empty (whitespace only)", "empty")
    extra = {"decoded_as": decoded.note} if decoded.note else {}
    notes = tuple(n for n in (decoded.repair, scrubbed) if n)
    return RawItem(id=item_id, source=source, content=text, format=fmt, extra=extra, notes=notes)


def read_document(path: Path, *, item_id: str, fmt: Format, config: IngestConfig) -> RawItem | Rejection:
    """Read one .txt/.html file (or its .gz) into an item; never raises for unreadable or corrupt files."""
    source = str(path)
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                data = stream.read(config.max_bytes + 1)
            size = None
        else:
            with path.open("rb") as raw:
                data = raw.read(config.max_bytes + 1)
            size = path.stat().st_size
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        return Rejection(item_id, source, f"corrupt gzip: {error}", "corrupt")
    except OSError as error:
        return Rejection(item_id, source, f"unreadable file: {error.strerror or error}", "unreadable")
    return document_item(data, item_id=item_id, source=source, fmt=fmt, config=config, size=size)


def _stdin_document(head: list[bytes], stream: IO[bytes], config: IngestConfig) -> RawItem | Rejection:
    data = b"".join(head)
    data += stream.read(max(0, config.max_bytes + 1 - len(data)))
    fmt: Format = "text"
    decoded = decode_bytes(data[:4096])
    if isinstance(decoded, Decoded) and looks_like_html(decoded.text):
        fmt = "html"
    return document_item(data, item_id="stdin", source=STDIN_SOURCE, fmt=fmt, config=config)


_SPOOL_CHUNK = 1 << 20


def replayable(stream: IO[bytes]) -> IO[bytes]:
    """`stream` if it can be read again from the start, else a temporary file it is copied into,
    1 MiB at a time: a run reads its inputs twice, and standard input from a pipe can be read once,
    so it is spooled to disk rather than held in memory (a 1 GB pipe no longer means 1 GB of RAM)."""
    try:
        if stream.seekable():
            stream.seek(0, io.SEEK_CUR)
            return stream
    except (OSError, ValueError):
        pass
    spool = tempfile.TemporaryFile(prefix="storyline-stdin-")  # noqa: SIM115 - the caller closes it
    shutil.copyfileobj(stream, spool, _SPOOL_CHUNK)
    spool.seek(0)
    return spool


def stdin_items(stream: IO[bytes], config: IngestConfig) -> Iterator[RawItem | Rejection]:
    """Items from standard input: JSON Lines when its first non-blank line is a JSON object, otherwise
    one document with id ``stdin`` (format "html" when it starts like an HTML page, else "text").
    """
    lines = bounded_lines(stream, config.max_bytes)
    head = []
    for line in lines:
        head.append(line)
        if line[1] is None or line[1].strip():
            break
    first = head[-1][1] if head else None
    if first is not None and looks_like_jsonl(first):
        yield from jsonl_items(itertools.chain(head, lines), name=STDIN_SOURCE, stem="stdin", config=config)
    elif first is None and head:
        yield Rejection(
            "stdin", STDIN_SOURCE, f"oversized (more bytes > limit {config.max_bytes})", "oversized"
        )
    else:
        yield _stdin_document([data for _, data, _ in head if data is not None], stream, config)
