"""The story view's typed data: what `consolidate` returns and what it needs, all frozen.

A story view is read by people (the web UI) and by programs (the HTTP API), so every statement in it
carries the ids of the articles it came from, and independence is explicit: articles of one copy group
are one source, however many sites reposted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = [
    "Addition",
    "Cited",
    "DiffOp",
    "Disagreement",
    "Entity",
    "EntityKind",
    "SourceGroup",
    "StoryView",
    "TimelineEntry",
    "ViewArticle",
    "ViewConfig",
]

EntityKind = Literal["person", "place", "organisation", "other"]


@dataclass(frozen=True, slots=True)
class ViewArticle:
    """One article of the story as the store holds it: clean text, metadata and its copy group.

    `source` is the independent report it belongs to: its copy group, or, when copy groups of the story
    reuse each other's passages (a wire paragraph inside an article of its own), one name for all of
    them, so that reuse is not counted as independent confirmation. Empty means its copy group.
    """

    id: str
    title: str | None
    text: str
    url: str | None
    site: str | None
    published: datetime | None
    copy_group: str
    canonical: bool
    source: str = ""

    @property
    def report(self) -> str:
        """The independent report this article belongs to (see `source`)."""
        return self.source or self.copy_group


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """One independent source: a copy group, its canonical member first among `members`."""

    copy_group: str
    canonical_id: str
    members: tuple[ViewArticle, ...]


@dataclass(frozen=True, slots=True)
class Cited:
    """A summary sentence with the articles that state it and how many independent reports (copy groups,
    those reusing each other's passages counted once) those span."""

    text: str
    article_ids: tuple[str, ...]
    independent_sources: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A named person, place or organisation; `count` counts each copy group's mentions once."""

    name: str
    kind: EntityKind
    count: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """What one source reported, and when (its earliest publication time)."""

    when: datetime | None
    article_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Addition:
    """Sentences of one independent source that no other copy group states."""

    article_id: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One fact reported differently: each value with the ids of the articles that give it."""

    fact: str
    values: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story told once: headline, time span, sources, cited summary, entities, timeline and conflicts.

    `outlets` counts sites (an article without one counts alone), `independent_reports` the copy groups
    once those that reuse each other's passages count as one, `reusing_groups` the copy groups that
    share a passage with another copy group of the story without being its copy.
    """

    story_id: str
    headline: str
    first: datetime | None
    last: datetime | None
    outlets: int
    independent_reports: int
    reusing_groups: int
    groups: tuple[SourceGroup, ...]
    summary: tuple[Cited, ...]
    entities: tuple[Entity, ...]
    timeline: tuple[TimelineEntry, ...]
    additions: tuple[Addition, ...]
    disagreements: tuple[Disagreement, ...]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a copy diff: text kept, changed, added by the second copy, or cut from the first."""

    op: Literal["same", "changed", "added", "cut"]
    a_text: str
    b_text: str


@dataclass(frozen=True, slots=True)
class ViewConfig:
    """Thresholds of the story view.

    Support: sentence *s* is stated by article *b* when some sentence of *b* holds at least
    ``support_share`` of the content words of *s* and at least ``support_min_words`` of them (content
    words: lowercase, lightly stemmed, stopwords out). The same rule with ``novel_share`` (lower, so
    stricter) decides that an addition is stated nowhere else.
    Summary: ``summary_min``..``summary_max`` sentences of ``prose_words`` words or more.
    Entities: at most ``max_entities``, each mentioned at least ``entity_min_mentions`` times.
    Additions: at most ``max_additions`` sentences per source, each with at least ``novel_words`` of its
    content words found in no other copy group.
    Disagreements: numbers and times are comparable when their sentences share ``fact_context``
    content words; names differ in spelling by at most one edit (two from ``name_long`` letters), the
    shorter having ``name_min`` letters or more.
    """

    support_share: float = 0.4
    support_min_words: int = 4
    novel_share: float = 0.34
    summary_min: int = 3
    summary_max: int = 5
    prose_words: int = 8
    max_entities: int = 15
    entity_min_mentions: int = 2
    max_additions: int = 5
    novel_words: float = 0.25
    fact_context: int = 2
    name_min: int = 5
    name_long: int = 8
