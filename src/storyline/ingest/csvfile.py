"""CSV with a header row (optionally gzipped), streamed row by row.

The file's encoding is chosen once from its first 64 KiB (UTF-8, else a charset guess, else cp1252)
and every line is decoded on its own, so one bad byte rejects the row it is in, not the whole file.
Rows are sourced as ``path:LINE`` with LINE the row's first physical line (quoted fields may span
lines); a row without an id gets ``<file stem>:<line>``. Blank lines are rejected as empty rows; a row
with more fields than the header is rejected, one with fewer has the missing fields absent.
"""

from __future__ import annotations

import codecs
import csv
import gzip
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.config import IngestConfig
from storyline.ingest.decode import decode_bytes, looks_like_binary
from storyline.ingest.jsonl import LineStream
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection

__all__ = ["csv_items"]

_SNIFF = 1 << 16


class _Lines:
    """Decoded lines of a byte stream that remember their count and which ones had undecodable bytes."""

    def __init__(self, stream: LineStream, encoding: str) -> None:
        self.stream = stream
        self.encoding = encoding
        self.number = 0
        self.bad: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        while raw := self.stream.readline():
            self.number += 1
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError:
                self.bad.add(self.number)
                yield raw.decode(self.encoding, "replace")


def _sniff(prefix: bytes) -> tuple[str, str | None] | str:
    """(encoding, note) for a file starting with `prefix`, or a rejection reason for the whole file."""
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "not supported: UTF-16/32 CSV; save it as UTF-8"
    if looks_like_binary(prefix):  # a stray NUL only costs the row it is in (see `rows.row_to_item`)
        return (
            "binary (contains NUL bytes)"
            if b"\x00" in prefix
            else "binary (not text: too many control characters)"
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(prefix, final=len(prefix) < _SNIFF)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    decoded = decode_bytes(prefix)
    if isinstance(decoded, str):
        return decoded
    note = decoded.note or "utf-8"
    return note.split(" ")[0], note


def _field_limit(config: IngestConfig) -> None:
    # csv's limit is process-wide; only ever raise it, so a field just over max_bytes reaches our own
    # size check (which names the size) and a huge one fails fast instead of filling memory.
    if csv.field_size_limit() < config.max_bytes + 1:
        csv.field_size_limit(config.max_bytes + 1)


def _rows(
    lines: _Lines, *, name: str, stem: str, note: str | None, config: IngestConfig
) -> Iterator[RawItem | Rejection]:
    reader = csv.reader(lines)
    header: list[str] | None = None
    while True:
        start = lines.number + 1
        source = f"{name}:{start}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            oversized = "field larger" in str(error)
            reason = f"{'oversized field' if oversized else 'malformed CSV'} on line {start}: {error}"
            yield Rejection(None, source, reason, "oversized" if oversized else "malformed record")
            continue
        if not row or not any(cell.strip() for cell in row):
            yield Rejection(None, source, "empty (blank line)", "empty")
            continue
        if header is None:
            header = row
            continue
        bad = sorted(n for n in lines.bad if start <= n <= lines.number)
        if bad:
            yield Rejection(
                None,
                source,
                f"undecodable bytes on line {bad[0]} (file read as {lines.encoding})",
                "undecodable",
            )
        elif len(row) > len(header):
            reason = f"CSV row has {len(row)} fields, header has {len(header)}"
            yield Rejection(None, source, reason, "malformed record")
        else:
            record = {key: value for key, value in zip(header, row, strict=False) if value != ""}
            yield row_to_item(record, fallback_id=f"{stem}:{start}", source=source, config=config, note=note)


def csv_items(path: Path, *, stem: str, config: IngestConfig) -> Iterator[RawItem | Rejection]:
    """One RawItem or Rejection per data row of a CSV file; the header row itself yields nothing."""
    _field_limit(config)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as stream:
        sniffed = _sniff(stream.read(_SNIFF))
        if isinstance(sniffed, str):
            yield Rejection(
                None,
                str(path),
                sniffed,
                "unsupported" if sniffed.startswith("not supported") else "undecodable",
            )
            return
        stream.seek(0)
        encoding, note = sniffed
        yield from _rows(_Lines(stream, encoding), name=str(path), stem=stem, note=note, config=config)
