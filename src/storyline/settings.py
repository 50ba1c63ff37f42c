"""One settings object composed of each stage's frozen configuration.

Defaults are the calibrated values shipped with Storyline; nothing is tuned at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.clean.dates import DateConfig
from storyline.clean.html import HtmlConfig
from storyline.clean.text import TextCleanConfig
from storyline.copies import CopyConfig
from storyline.ingest import IngestConfig
from storyline.stories import StoryConfig

__all__ = ["Settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be configured with.

    `batch_size` is how many new articles are cleaned, compared and committed together; a killed run
    loses at most one batch of work. `batch_chars` cuts a batch early once its items hold that many
    characters of content, so memory is bounded by bytes as well as by count. A run reads its inputs
    twice (the corpus line evidence first); it keeps the items of the first pass for the second while
    their content fits in `replay_chars` characters. `min_words` is the
    shortest clean text still taken as an article.
    `workers` is how many processes clean a batch (cleaning is the slow stage); results do not depend on it.
    It is 1 by default for library use, because worker processes re-import the calling script (guard it
    with ``if __name__ == "__main__":``); the `storyline` command uses one per core. `dates` is the
    plausible range of publication times (see `storyline.clean.dates`).
    """

    ingest: IngestConfig = field(default_factory=IngestConfig)
    html: HtmlConfig = field(default_factory=HtmlConfig)
    text: TextCleanConfig = field(default_factory=TextCleanConfig)
    copies: CopyConfig = field(default_factory=CopyConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    dates: DateConfig = field(default_factory=DateConfig)
    batch_size: int = 1000
    batch_chars: int = 16_000_000
    replay_chars: int = 256_000_000
    min_words: int = 5
    workers: int = 1
