"""Typed data that flows between Storyline's stages.

Every stage takes and returns these frozen dataclasses, so the same stage functions can run in the CLI,
in a service or on a distributed engine. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "Article",
    "CopyGroup",
    "CopyLink",
    "LinkKind",
    "Passage",
    "PublishedSource",
    "RawItem",
    "Rejection",
    "Removal",
]

Format = Literal["text", "html"]
#: Where an article's publication time came from, in order of trust: the input's own ``published``
#: field, the HTML page's metadata, a dateline of a flat page, the one date its body gives.
PublishedSource = Literal["input", "html-meta", "dateline", "body"]


@dataclass(frozen=True, slots=True)
class RawItem:
    """One input item as ingested, before cleaning.

    `id` is the input's own id (a row's `id` field, a file's name without extension); `source` says where
    the item came from (``path``, ``path:line`` or ``path#record``) so a user can find it again.
    `notes` says in words what ingest repaired (bytes that were not text, removed), so no repair is
    silent; the clean stage passes them on to the article.
    """

    id: str
    source: str
    content: str
    format: Format
    url: str | None = None
    title: str | None = None
    published: str | None = None
    site: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


#: What kind of problem a rejection is, for counting and filtering (the `reason` says the specifics):
#: the id, the bytes (too many, none, not text), the container (a file that cannot be read, a record
#: broken inside it, a kind of input Storyline does not read), the content (no text field, not a page,
#: nothing or too little left after cleaning), or an error of Storyline's own (``failed``).
RejectionKind = Literal[
    "invalid id",
    "duplicate id",
    "oversized",
    "empty",
    "undecodable",
    "unsupported",
    "unreadable",
    "corrupt",
    "malformed record",
    "missing content",
    "not a page",
    "no article text",
    "too little text",
    "failed",
]


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input item that was not ingested, with a reason a user can read and its typed kind."""

    id: str | None
    source: str
    reason: str
    kind: RejectionKind


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of page chrome removed during cleaning, kept so the user can inspect it."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """One page as collected: its metadata, raw content and clean text.

    `published` is None or a plausible time (see `storyline.clean.dates`), and `published_source` says
    where it came from. `notes` records in words what was repaired or refused on the way (a publication
    time that could not be right, say), so that nothing is changed silently.
    """

    id: str
    source: str
    format: Format
    raw: str
    text: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    published: datetime | None = None
    removed: tuple[Removal, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    published_source: PublishedSource | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage two articles share: half-open character offsets into each article's clean text.

    `quoted` marks a passage that is mostly inside quotation marks (shared speech or a statement).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    quoted: bool = False


LinkKind = Literal["copy", "reuse"]


@dataclass(frozen=True, slots=True)
class CopyLink:
    """Evidence that articles `a` and `b` share text, with its verdict.

    `kind` is ``copy`` when they derive from the same source text (copy links form copy groups) and
    ``reuse`` when one carries a passage of the other (a wire paragraph inside an article of its own),
    which does not make them copies. `probability` is the calibrated copy probability; `evidence`
    holds the measurements it was decided from (see :mod:`storyline.copies.evidence`).
    """

    a: str
    b: str
    kind: LinkKind
    probability: float
    passages: tuple[Passage, ...]
    evidence: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """All articles that derive from the same source text, with a canonical member."""

    id: str
    canonical: str
    members: tuple[str, ...]
