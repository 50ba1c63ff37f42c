"""The story view: a story told once, with its sources.

`consolidate` turns one story's articles (clean texts with their copy groups) into a `StoryView`: a
headline chosen from the members' titles, the time span, the sources grouped by copy group, a cited
summary, key entities, a timeline, what each independent source adds and where sources disagree.
`copy_diff` shows what a reposting site changed in a copy. Everything here is pure and needs no model.
"""

from __future__ import annotations

from storyline.view.consolidate import consolidate, source_groups
from storyline.view.diff import copy_diff
from storyline.view.model import (
    Addition,
    Cited,
    DiffOp,
    Disagreement,
    Entity,
    EntityKind,
    SourceGroup,
    StoryView,
    TimelineEntry,
    ViewArticle,
    ViewConfig,
)

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
    "consolidate",
    "copy_diff",
    "source_groups",
]
