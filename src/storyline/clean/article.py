"""Turn one ingested item into a clean `Article`, or a `Rejection` that says why not.

This is the whole clean stage for one item, as a pure function: HTML goes through main-text extraction,
flat text through chrome removal with the corpus evidence the caller passes in; both are normalised.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from storyline.clean.html import HtmlConfig, extract_html
from storyline.clean.lines import LineEvidence
from storyline.clean.normalize import normalize
from storyline.clean.text import TextCleanConfig, clean_text
from storyline.model import Article, RawItem, Rejection, Removal

__all__ = ["clean_item", "parse_published", "site_of"]

_WORD = re.compile(r"\w+")


def site_of(url: str | None) -> str | None:
    """The host of `url` without a leading ``www.``, or None when there is no usable host."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_published(value: str | None) -> datetime | None:
    """Parse a publication time in any common notation; zone-aware results are converted to UTC."""
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            parsed = dateparser.parse(value, fuzzy=False)
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed


def clean_item(
    item: RawItem,
    evidence: LineEvidence | None,
    html_config: HtmlConfig,
    text_config: TextCleanConfig,
    min_words: int,
) -> Article | Rejection:
    """Clean `item`; reject it when no article text is left."""
    removed: tuple[Removal, ...]
    if item.format == "html":
        page = extract_html(item.content, url=item.url, config=html_config)
        text, removed = normalize(page.text), page.removed
        title, published, url = (
            item.title or page.title,
            item.published or page.published,
            item.url or page.url,
        )
        site = item.site or site_of(url) or page.site
    else:
        site = item.site or site_of(item.url)
        flat = clean_text(item.content, evidence, site, text_config)
        text, removed = flat.text, flat.removed
        title, published, url = item.title or flat.title, item.published or flat.published, item.url
    words = len(_WORD.findall(text))
    if words < min_words:
        if words == 0:
            return Rejection(item.id, item.source, "no article text: nothing is left after cleaning")
        reason = f"too little article text: {words} word{'s' * (words > 1)} (need at least {min_words})"
        return Rejection(item.id, item.source, reason)
    return Article(
        id=item.id,
        source=item.source,
        format=item.format,
        raw=item.content,
        text=text,
        url=url,
        site=site,
        title=normalize(title).strip() if title else None,
        published=parse_published(published),
        removed=removed,
        extra=item.extra,
    )
