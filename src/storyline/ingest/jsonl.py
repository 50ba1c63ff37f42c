"""JSON Lines: one object per line, read line by line so a file of any size streams.

Every physical line is accounted for: an object becomes a RawItem (see `rows.row_to_item`), anything
else a Rejection naming the line (blank line, invalid JSON, a JSON value that is not an object, a line
longer than ``max_bytes``). A row without an ``id`` gets ``<file stem>:<line number>``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from typing import Protocol

from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import decode_bytes
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection

__all__ = ["Line", "LineStream", "bounded_lines", "jsonl_items", "looks_like_jsonl"]

#: (1-based line number, the line's bytes or None when it was longer than the limit, its size in bytes)
Line = tuple[int, bytes | None, int]
_CHUNK = 1 << 20


class LineStream(Protocol):
    """A binary stream that reads lines: an open file, a GzipFile, sys.stdin.buffer."""

    def readline(self, size: int = -1, /) -> bytes: ...


def bounded_lines(stream: LineStream, limit: int) -> Iterator[Line]:
    """Lines of `stream`, never holding more than `limit` + 1 bytes of one line in memory.

    An overlong line is consumed in chunks and reported with data None and its full size, so the caller
    can reject it without reading it into memory.
    """
    number = 0
    while chunk := stream.readline(limit + 1):
        number += 1
        if chunk.endswith(b"\n") or len(chunk) <= limit:
            yield number, chunk, len(chunk.rstrip(b"\r\n"))
            continue
        size = len(chunk)
        while chunk and not chunk.endswith(b"\n"):
            chunk = stream.readline(_CHUNK)
            size += len(chunk)
        yield number, None, size - (1 if chunk.endswith(b"\n") else 0)


def _describe(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _line_item(line: Line, *, name: str, stem: str, config: IngestConfig) -> RawItem | Rejection:
    number, data, size = line
    source = f"{name}:{number}"
    if data is None:
        return Rejection(None, source, f"oversized ({size} bytes > limit {config.max_bytes})", "oversized")
    if not data.strip():
        return Rejection(None, source, "empty (blank line)", "empty")
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return Rejection(None, source, f"{decoded} on line {number}", "undecodable")
    try:
        value = json.loads(decoded.text.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        reason = f"invalid JSON on line {number}: {error.msg} (column {error.colno})"
        return Rejection(None, source, reason, "malformed record")
    except RecursionError:
        return Rejection(
            None, source, f"invalid JSON on line {number}: nested too deeply", "malformed record"
        )
    if not isinstance(value, dict):
        reason = f"JSON on line {number} is not an object (got {_describe(value)})"
        return Rejection(None, source, reason, "malformed record")
    item = row_to_item(value, fallback_id=f"{stem}:{number}", source=source, config=config, note=decoded.note)
    if decoded.repair and isinstance(item, RawItem):
        return dataclasses.replace(item, notes=(f"line: {decoded.repair}", *item.notes))
    return item


def jsonl_items(
    lines: Iterable[Line], *, name: str, stem: str, config: IngestConfig
) -> Iterator[RawItem | Rejection]:
    """One RawItem or Rejection per line; `name` prefixes sources (``name:LINE``), `stem` fallback ids."""
    for line in lines:
        yield _line_item(line, name=name, stem=stem, config=config)


def looks_like_jsonl(data: bytes) -> bool:
    """Whether a (first non-blank) line is a JSON object, which makes a stream JSON Lines."""
    try:
        return isinstance(json.loads(data), dict)
    except (ValueError, RecursionError):
        return False
