"""What was reported when: one entry per independent source, at its earliest publication time.

An entry per copy group rather than per article: forty reposts of one wire story are one report, and
the repost times say when sites copied it, not when the news broke. The entry's text is the source's
headline, or its lead sentence when it has none; sources without a time come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from storyline.view.model import SourceGroup, TimelineEntry
from storyline.view.text import split_sentences

__all__ = ["build_timeline", "sort_time"]


def sort_time(when: datetime | None) -> tuple[bool, datetime]:
    """A sort key that puts unknown times last and compares naive times as UTC."""
    if when is None:
        return True, datetime.min.replace(tzinfo=UTC)
    return False, when if when.tzinfo else when.replace(tzinfo=UTC)


def build_timeline(groups: Sequence[SourceGroup]) -> tuple[TimelineEntry, ...]:
    """One entry per source, earliest first."""
    out = []
    for g in groups:
        first = min(g.members, key=lambda a: (sort_time(a.published), a.id))
        lead = next(iter(split_sentences(first.text)), "")
        out.append(TimelineEntry(first.published, first.id, (first.title or lead).strip()))
    return tuple(sorted(out, key=lambda e: (sort_time(e.when), e.article_id)))
