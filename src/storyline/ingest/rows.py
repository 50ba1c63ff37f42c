"""Turn one record (JSONL object, CSV row, Parquet row) into a RawItem or a Rejection.

All three tabular formats share these rules so that the same data gives the same items whatever
container it came in:

- the item's id is the row's ``id`` field converted to text (integral floats, which Parquet files written
  from pandas produce for nullable ids, lose their ``.0``); a row without one gets `fallback_id`;
- content is the ``html`` field (format "html") when it has text, else the ``text`` field (format
  "text"). HTML wins because the clean stage extracts more reliably from markup than from flattened
  text; the other field, when present, is kept in ``extra``;
- url, title, published and site are optional; empty values count as absent;
- every other field is kept in ``extra`` with JSON-friendly values;
- the id must pass `ids.id_problem`; control characters and lone surrogates (which JSON escapes can
  carry) are removed from content and metadata, with a note.
"""

from __future__ import annotations

import base64
import functools
import math
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from storyline.ingest.config import FIELDS, IngestConfig
from storyline.ingest.decode import Decoded, decode_bytes, scrub
from storyline.ingest.ids import id_problem
from storyline.model import RawItem, Rejection, RejectionKind

__all__ = ["check_size", "row_to_item", "to_jsonable"]

_META = ("url", "title", "published", "site")
_PLAIN = frozenset({str, int, bool})


@functools.lru_cache(maxsize=64)
def _columns(mapping: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Field -> column for every field, resolved once per distinct mapping rather than per row."""
    given = dict(mapping)
    return {name: given.get(name, name) for name in FIELDS}


def check_size(text: str, limit: int) -> str | None:
    """A rejection reason when `text` is more than `limit` bytes of UTF-8, else None."""
    if len(text) * 4 <= limit:
        return None
    size = len(text) if len(text) > limit else len(text.encode("utf-8"))
    return f"oversized ({size} bytes > limit {limit})" if size > limit else None


def to_jsonable(value: Any) -> Any:
    """`value` with dates, decimals, bytes and NaN turned into JSON-friendly equivalents."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        decoded = decode_bytes(value)
        return decoded.text if isinstance(decoded, Decoded) else base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def _as_text(value: Any) -> str | None:
    """A metadata value as text, or None when empty."""
    if type(value) is str:
        return value.strip() or None
    value = to_jsonable(value)
    if value is None or isinstance(value, list | dict):
        return None if not value else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _content(
    row: Mapping[str, Any], cols: Mapping[str, str]
) -> tuple[str, str, str | None, str | None] | tuple[RejectionKind, str]:
    """(field, text, decoding note, repair note) of the row's content, or a rejection's kind and reason."""
    present, scrubbed_away = [], False
    for name in ("html", "text"):
        value = row.get(cols[name])
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        present.append(cols[name])
        note = repair = None
        if isinstance(value, bytes):
            decoded = decode_bytes(value)
            if isinstance(decoded, str):
                return "undecodable", f"{decoded} (column {cols[name]!r})"
            value, note, repair = decoded.text, decoded.note, decoded.repair
        if not isinstance(value, str):
            return "missing content", f"field {cols[name]!r} is not text (got {type(value).__name__})"
        value, scrubbed = scrub(value)
        if value.strip():
            return name, value, note, "; ".join(n for n in (repair, scrubbed) if n) or None
        scrubbed_away = scrubbed_away or scrubbed is not None
    if scrubbed_away:
        return "empty", f"empty (only control characters) {' and '.join(repr(p) for p in present)}"
    if present:
        return "empty", f"empty (whitespace only) {' and '.join(repr(p) for p in present)}"
    columns = ", ".join(sorted(map(str, row))) or "none"
    wanted = f"{cols['text']!r} or {cols['html']!r}"
    return (
        "missing content",
        f"missing {wanted} field (fields present: {columns}; map one with e.g. text=COLUMN)",
    )


def row_to_item(
    row: Mapping[str, Any], *, fallback_id: str, source: str, config: IngestConfig, note: str | None = None
) -> RawItem | Rejection:
    """The RawItem for one row, or a Rejection that says why there is none.

    `note` records how the row's bytes were decoded when that was not UTF-8 (see `decode_bytes`).
    """
    cols = _columns(tuple(config.columns.items()))
    item_id = _as_text(row.get(cols["id"])) or fallback_id
    bad_id = id_problem(item_id)
    if bad_id is not None:
        return Rejection(None, source, bad_id, "invalid id")
    content = _content(row, cols)
    if len(content) == 2:
        return Rejection(item_id, source, content[1], content[0])
    name, text, content_note, repair = content
    too_big = check_size(text, config.max_bytes)
    if too_big:
        return Rejection(item_id, source, too_big, "oversized")
    skip = "text" if name == "html" else "html"  # the unused content field is kept in extra
    used = {column for field, column in cols.items() if field != skip}
    extra = {str(k): to_jsonable(v) for k, v in row.items() if k not in used and v is not None and v != ""}
    if note or content_note:
        extra["decoded_as"] = note or content_note
    notes = [repair] if repair else []
    meta: dict[str, str | None] = {}
    for f in _META:
        value = _as_text(row.get(cols[f]))
        if value is not None:
            value, scrubbed = scrub(value)
            if scrubbed:
                notes.append(f"{f}: {scrubbed}")
        meta[f] = value or None
    return RawItem(
        id=item_id,
        source=source,
        content=text,
        format="html" if name == "html" else "text",
        url=meta["url"],
        title=meta["title"],
        published=meta["published"],
        site=meta["site"],
        extra=extra,
        notes=tuple(notes),
    )
