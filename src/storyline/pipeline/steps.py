"""The pipeline's parallel steps: pure functions of a chunk of items and the batch's side inputs.

Each returns one result per item, in order, and reads nothing but its arguments, so `Workers` (or any
other executor) can run it anywhere; the driver alone reads and writes the store.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.clean.article import clean_item
from storyline.clean.lines import LineEvidence, observe_lines
from storyline.clean.text import prepare
from storyline.model import Article, RawItem, Rejection
from storyline.pipeline.storying import story_record
from storyline.settings import Settings
from storyline.stories.features import Terms, extract_terms

__all__ = ["Cleaned", "LineRow", "clean_step", "line_rows_step", "terms_step"]

#: A cleaned item, and for an article its story terms when asked for (read here, off the driver,
#: because the story index places articles one at a time and term extraction is most of the cost of a
#: placement).
Cleaned = tuple[Article | Rejection, Terms | None]
#: One line observation of the corpus evidence: line hash, site, context hash, article id.
LineRow = tuple[int, str, int, str]


def line_rows_step(items: Sequence[RawItem]) -> list[list[LineRow]]:
    """The lines of every flat-text item, as the corpus evidence records them."""
    return [
        [(o.line, item.site or "", o.context, item.id) for o in observe_lines(prepare(item.content))]
        for item in items
    ]


def clean_step(
    items: Sequence[RawItem], evidence: LineEvidence | None, settings: Settings, terms: bool = True
) -> list[Cleaned]:
    """`clean_item` for every item, with the story terms of each article it keeps when `terms` (a run
    that settles its stories chooses their articles at its end, and reads only theirs: :func:`terms_step`)."""
    cleaned: list[Cleaned] = []
    for item in items:
        result = clean_item(item, evidence, settings.html, settings.text, settings.min_words, settings.dates)
        found = extract_terms(story_record(result)) if terms and isinstance(result, Article) else None
        cleaned.append((result, found))
    return cleaned


def terms_step(articles: Sequence[Article]) -> list[Terms]:
    """The story terms of every article (the articles a settling run's story index takes)."""
    return [extract_terms(story_record(article)) for article in articles]
