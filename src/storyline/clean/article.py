"""Turn one ingested item into a clean `Article`, or a `Rejection` that says why not.

This is the whole clean stage for one item, as a pure function: HTML goes through main-text extraction,
flat text through chrome removal with the corpus evidence the caller passes in; both are normalised.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import urlsplit

from storyline.clean.dates import SOURCE_WORDS, DateConfig, body_date, read_published
from storyline.clean.html import HtmlConfig, extract_html
from storyline.clean.lines import LineEvidence
from storyline.clean.normalize import normalize
from storyline.clean.text import TextCleanConfig, clean_text
from storyline.ingest.config import summarise_error
from storyline.model import Article, PublishedSource, RawItem, Rejection, Removal

__all__ = ["choose_published", "clean_item", "parse_published", "site_of"]

_WORD = re.compile(r"\w+")


def site_of(url: str | None) -> str | None:
    """The host of `url` without a leading ``www.``, or None when there is no usable host."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_published(value: str | None, config: DateConfig | None = None) -> datetime | None:
    """A publication time in any common notation (zone-aware ones in UTC), or None when `value` is
    none, unreadable or implausible (see `dates.read_published`, which says why)."""
    if not value or not value.strip():
        return None
    read = read_published(value, config if config is not None else DateConfig())
    return read if isinstance(read, datetime) else None


def choose_published(
    candidates: list[tuple[str | None, PublishedSource]], text: str, config: DateConfig
) -> tuple[datetime | None, PublishedSource | None, tuple[str, ...]]:
    """(time, where it came from, notes on refused values): the first usable candidate in order of
    trust, else the one date the body gives for itself (`dates.body_date`)."""
    notes: list[str] = []
    for value, source in candidates:
        if value is None or not value.strip():
            continue
        read = read_published(value, config)
        if isinstance(read, datetime):
            return read, source, tuple(notes)
        shown = value if len(value) <= 60 else value[:59] + "…"
        notes.append(f"published {shown!r} from {SOURCE_WORDS[source]} ignored: {read}")
    found = body_date(text, config)
    return found, "body" if found is not None else None, tuple(notes)


def clean_item(
    item: RawItem,
    evidence: LineEvidence | None,
    html_config: HtmlConfig,
    text_config: TextCleanConfig,
    min_words: int,
    dates: DateConfig | None = None,
) -> Article | Rejection:
    """Clean `item`; reject it when no article text is left. Never raises: an unexpected error in
    cleaning one item rejects that item with the error named, so it cannot stop a batch."""
    try:
        return _clean(item, evidence, html_config, text_config, min_words, dates or DateConfig())
    except Exception as error:  # one broken item must not stop the others; the reason names the error
        logging.getLogger(__name__).exception("cleaning %s failed", item.source)
        reason = f"cleaning failed: {type(error).__name__}: {summarise_error(error)}"
        return Rejection(item.id, item.source, reason, "failed")


def _clean(
    item: RawItem,
    evidence: LineEvidence | None,
    html_config: HtmlConfig,
    text_config: TextCleanConfig,
    min_words: int,
    dates: DateConfig,
) -> Article | Rejection:
    removed: tuple[Removal, ...]
    meta: tuple[str | None, PublishedSource]
    if item.format == "html":
        page = extract_html(item.content, url=item.url, config=html_config, dates=dates)
        text, removed = normalize(page.text), page.removed
        title, meta, url = item.title or page.title, (page.published, "html-meta"), item.url or page.url
        site = item.site or site_of(url) or page.site
    else:
        site = item.site or site_of(item.url)
        flat = clean_text(item.content, evidence, site, text_config, dates=dates)
        text, removed = flat.text, flat.removed
        title, meta, url = item.title or flat.title, (flat.published, "dateline"), item.url
    words = len(_WORD.findall(text))
    if words < min_words:
        if words == 0:
            return Rejection(
                item.id, item.source, "no article text: nothing is left after cleaning", "no article text"
            )
        reason = f"too little article text: {words} word{'s' * (words > 1)} (need at least {min_words})"
        return Rejection(item.id, item.source, reason, "too little text")
    published, source, notes = choose_published([(item.published, "input"), meta], text, dates)
    return Article(
        id=item.id,
        source=item.source,
        format=item.format,
        raw=item.content,
        text=text,
        url=url,
        site=site,
        title=normalize(title).strip() if title else None,
        published=published,
        published_source=source,
        removed=removed,
        extra=item.extra,
        notes=(*item.notes, *notes),
    )
