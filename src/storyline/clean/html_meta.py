"""The page metadata that Storyline keeps (title, publication date, url, site), and nothing more.

trafilatura's ``extract_metadata`` also looks for authors (a deep copy of the page and a dozen XPath
searches), categories, tags and the licence, which cost about a sixth of the extraction time and are
all thrown away here. `page_metadata` runs the same steps as trafilatura for the four fields we keep,
in the same order and with the same final trimming, so its answers are trafilatura's own; the steps
only the dropped fields need are left out. The steps are trafilatura's module-level functions: where
an installed trafilatura no longer has them, the full ``extract_metadata`` is used instead (slower,
same answers).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

__all__ = ["PageMetadata", "page_metadata"]


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What trafilatura's metadata extraction says of a page, as raw (trimmed) strings or None."""

    title: str | None
    date: str | None
    url: str | None
    sitename: str | None
    hostname: str | None


def page_metadata(tree: HtmlElement, default_url: str | None, date_params: dict[str, Any]) -> PageMetadata:
    """Title, date, url, site name and host name of the parsed page `tree`, which is left untouched.

    `default_url` is the url known from outside, used when the page names none; `date_params` are
    htmldate's options, as trafilatura's ``date_extraction_params``.
    """
    try:
        return _fast(tree, default_url, date_params)
    except ImportError:  # an installed trafilatura without these steps: the full extraction
        return _full(tree, default_url, date_params)


def _fast(tree: HtmlElement, default_url: str | None, date_params: dict[str, Any]) -> PageMetadata:
    """trafilatura's ``extract_metadata`` without its author, category, tag and licence steps."""
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:  # as trafilatura: JSON-LD may fill it in
        metadata.author = None
    with suppress(Exception):  # trafilatura logs and ignores bugs of its JSON-LD reader too
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, default_url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    metadata.date = find_date(tree, **{**date_params, "url": metadata.url})
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    metadata.clean_and_trim()
    return _kept(metadata)


def _full(tree: HtmlElement, default_url: str | None, date_params: dict[str, Any]) -> PageMetadata:
    from trafilatura.metadata import extract_metadata

    return _kept(extract_metadata(tree, default_url, date_params))


def _kept(document: Any) -> PageMetadata:
    """The fields we keep of a trafilatura ``Document``."""
    return PageMetadata(**{name: getattr(document, name) for name in PageMetadata.__slots__})
