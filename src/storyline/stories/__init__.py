"""Stories: group articles (or copy-group representatives) that report the same real-world event.

Look-alike events (the next earthquake, the sentencing after the conviction) are kept apart by the
particulars of each event: names, numbers, dates, publication times. See :class:`StoryConfig` for the
model and how its defaults were chosen, :class:`StoryIndex` for the online clusterer and
:func:`cluster_stories` for the batch one.
"""

from __future__ import annotations

from storyline.stories.config import DEFAULT_CONFIG, FEATURES, StoryConfig
from storyline.stories.features import StoryRecord, Terms, extract_terms
from storyline.stories.index import StoryIndex, StoryMatch, cluster_stories

__all__ = [
    "DEFAULT_CONFIG",
    "FEATURES",
    "StoryConfig",
    "StoryIndex",
    "StoryMatch",
    "StoryRecord",
    "Terms",
    "cluster_stories",
    "extract_terms",
]
