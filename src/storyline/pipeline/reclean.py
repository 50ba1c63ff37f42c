"""Clean stored flat-text articles again once the corpus evidence about their lines has grown.

A flat page is cleaned with the evidence stored when it arrives; pages that arrive later can show that
one of its lines is site chrome. Re-cleaning with the evidence the store holds now makes every clean
text a function of the stored set, whatever the arrival order; articles whose clean text changed are
re-linked to their copies and their groups recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from storyline.clean.article import clean_item
from storyline.clean.lines import LineEvidence
from storyline.model import Article, RawItem, Rejection
from storyline.pipeline.linking import attach
from storyline.pipeline.storying import choose_representatives
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["reclean"]


def _cleaned_again(article: Article, store: Store, settings: Settings) -> Article | None:
    """The article cleaned with today's evidence, or None when nothing changes (or it would be rejected)."""
    lines = store.lines_of([article.id])
    rows = store.line_observations(lines) if lines else []
    evidence = LineEvidence.from_rows(rows, store.observed_documents()) if lines else None
    published = article.published.isoformat() if article.published else None
    item = RawItem(
        article.id,
        article.source,
        article.raw,
        "text",
        article.url,
        article.title,
        published,
        article.site,
        article.extra,
    )
    result = clean_item(item, evidence, settings.html, settings.text, settings.min_words, settings.dates)
    if isinstance(result, Rejection) or (result.text, result.removed) == (article.text, article.removed):
        return None
    return replace(article, text=result.text, removed=result.removed)


def reclean(store: Store, settings: Settings, ids: Iterable[str]) -> list[str]:
    """Re-clean the stored flat-text articles among `ids`; re-link and regroup those that changed.

    Returns the ids whose clean text changed. One transaction.
    """
    changed = []
    for article_id in sorted(set(ids)):
        article = store.article(article_id)
        if article is not None and article.format == "text":
            again = _cleaned_again(article, store, settings)
            if again is not None:
                changed.append(again)
    if not changed:
        return []
    with store.transaction():
        store.forget_copies([a.id for a in changed])
        for article in changed:
            store.update_clean_text(article)
        choose_representatives([], store, attach(changed, store, settings.copies))
    return [a.id for a in changed]
