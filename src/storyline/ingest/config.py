"""Configuration, errors and counters of the ingest stage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["FIELDS", "IngestConfig", "IngestError", "IngestStats", "parse_columns", "summarise_error"]

#: The fields a row (JSONL object, CSV row, Parquet row) can supply; everything else goes to ``extra``.
FIELDS = ("id", "text", "html", "url", "title", "published", "site")


class IngestError(Exception):
    """A user mistake that stops the run before any item is read (a path that does not exist, ...)."""


def _check_columns(columns: Mapping[str, str]) -> None:
    for name, column in columns.items():
        if name not in FIELDS:
            raise ValueError(f"unknown field {name!r} in column mapping; fields are: {', '.join(FIELDS)}")
        if not isinstance(column, str) or not column:
            raise ValueError(f"column name for field {name!r} must be a non-empty string")


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """How inputs are read.

    max_bytes: the largest item accepted, in bytes of UTF-8 text (a file, a JSONL line, a row's text or a
        WARC payload). Larger items are rejected as ``oversized`` rather than truncated, because a
        truncated article would later look like an abridged copy of the full one.
    columns: field -> column name for JSONL, CSV and Parquet rows (``{"text": "body"}`` reads the article
        text from column ``body``); fields not named keep their own name. See ``FIELDS``.
    include_hidden: read files and folders whose name starts with ``.`` when walking a folder. Off by
        default because such entries are editor, VCS or OS litter (``.git``, ``.DS_Store``); they are
        counted in ``IngestStats.skipped``. A hidden file named explicitly is always read.
    """

    max_bytes: int = 5_000_000
    columns: Mapping[str, str] = field(default_factory=dict)
    include_hidden: bool = False

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be positive, got {self.max_bytes}")
        _check_columns(self.columns)


@dataclass(slots=True)
class IngestStats:
    """Counts of one ingest run, filled while `iter_inputs` is consumed.

    `files` counts supported files opened; `items` and `rejected` what was yielded. `skipped` counts
    what is not a news item and so is neither a RawItem nor a Rejection: hidden entries in walked
    folders and WARC request/metadata/warcinfo records.
    """

    files: int = 0
    items: int = 0
    rejected: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def parse_columns(specs: Sequence[str]) -> dict[str, str]:
    """Parse CLI mapping specs like ``["text=body", "id=doc_id"]`` into ``{"text": "body", "id": "doc_id"}``.

    Raises ValueError with the offending spec when one is malformed, names an unknown field or maps a
    field twice.
    """
    mapping: dict[str, str] = {}
    for spec in specs:
        name, sep, column = (part.strip() for part in spec.partition("="))
        if not sep or not name or not column:
            raise ValueError(f"bad column mapping {spec!r}: expected FIELD=COLUMN, e.g. text=body")
        if name in mapping:
            raise ValueError(f"bad column mapping {spec!r}: field {name!r} is mapped twice")
        mapping[name] = column
    _check_columns(mapping)
    return mapping


def summarise_error(error: BaseException, limit: int = 200) -> str:
    """A one-line, bounded description of `error` for a rejection reason (library messages can embed
    kilobytes of the damaged data)."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
