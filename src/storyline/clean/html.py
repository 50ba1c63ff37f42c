"""Main-text extraction from news HTML pages.

trafilatura does the heavy lifting. Each step below was kept because it raised F1 on the
article-extraction benchmark on both halves of the page ids (``benchmarks/extraction.py``), and each
rests on a general reason rather than on those pages:

1. comments are never article text, so they are left out;
2. trafilatura's precision mode drops more chrome, but on some pages it loses much of the story. We
   also run its balanced mode (unless the precision text holds ``recall_floor`` of an upper bound of
   what balanced mode could return, ``html_bound``); where the precision text holds less than
   ``recall_floor`` of the balanced text's words the two disagree, and a third opinion (readability,
   as vendored by trafilatura) decides: the one whose 4-word shingles agree more with readability's text wins;
3. ``html_restore`` puts back story text trafilatura misses for structural reasons: the rest of a
   story split into sibling containers of the same class, and embedded posts (tweets) quoted between
   the story's paragraphs;
4. post-filters (``html_filters``) drop blocks that are clearly chrome: the headline repeated as the
   first line, lists of links, short stock lines such as "Read more: ...". Every dropped block is
   returned as a `Removal` with its reason.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import _Element
from lxml.html import HtmlElement

from storyline.clean.dates import DateConfig
from storyline.clean.html_bound import balanced_word_bound
from storyline.clean.html_depth import PARSER_DEPTH, flatten_deep, reaches_depth
from storyline.clean.html_filters import FilterConfig, block_text, find_chrome
from storyline.clean.html_load import load_page
from storyline.clean.html_meta import PageMetadata, page_metadata
from storyline.clean.html_restore import RestoreConfig, restore
from storyline.model import Removal

__all__ = ["HtmlConfig", "HtmlExtraction", "extract_html"]

_WORD_RE = re.compile(r"\w+")
_MAX_REMOVAL_CHARS = 200
_NO_METADATA = PageMetadata(title=None, date=None, url=None, sitename=None, hostname=None)


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """Options for `extract_html`.

    `favor_precision`: start from trafilatura's precision mode (fewer chrome lines).
    `recall_floor`: the precision text is kept without question while it has at least this share of
    the words of trafilatura's balanced extraction (0 turns the second run off).
    `arbiter`: below that share, let readability pick between the two (else take the balanced one).
    `include_tables`: keep tables (stat boxes, schedules) as article text.
    `include_links`: ask trafilatura to keep links, which the link filters need (the rendered text
    never contains urls).
    `restore`: put back split-body paragraphs and embedded posts; `restoring` holds its thresholds.
    `filter_chrome`: run the post-filters; `filters` holds their thresholds.
    `max_removals`: cap on how many removed blocks are reported, to keep results compact.
    """

    favor_precision: bool = True
    recall_floor: float = 0.7
    include_tables: bool = True
    filter_chrome: bool = True
    include_links: bool = True
    arbiter: bool = True
    filters: FilterConfig = field(default_factory=FilterConfig)
    restore: bool = True
    restoring: RestoreConfig = field(default_factory=RestoreConfig)
    max_removals: int = 50


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    """The main text of one page and its metadata; `text` is empty when no article text was found."""

    text: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    removed: tuple[Removal, ...]


def extract_html(
    html: str, url: str | None = None, config: HtmlConfig = HtmlConfig(), dates: DateConfig | None = None
) -> HtmlExtraction:
    """Extract the article text and metadata of one HTML page; never raises on bad input.

    The publication time is the page's metadata only (htmldate without its search of the body text,
    and never after `dates`' latest time); the body's own dates are `dates.body_date`'s business.
    """
    try:
        return _extract(html, url, config, dates or DateConfig())
    except Exception as error:  # a broken page must not stop a batch; the caller rejects empty text
        logging.getLogger(__name__).debug("extraction failed for %s: %s", url, error)
        return HtmlExtraction(text="", title=None, published=None, url=url, site=None, removed=())


def _run(page: HtmlElement, config: HtmlConfig, precision: bool, fast: bool = False) -> Any:
    """trafilatura's extraction of `page`, without its metadata (`page_metadata` has what we keep).

    No deep copy: trafilatura copies a tree it is given before pruning it. No url: trafilatura would
    only resolve link targets against it, and the rendered text drops links.
    """
    import trafilatura  # lazy: a heavy import only needed for HTML input

    return trafilatura.bare_extraction(
        page,
        favor_precision=precision,
        include_comments=False,
        include_tables=config.include_tables,
        include_links=config.include_links,
        with_metadata=False,
        fast=fast,
    )


def _metadata(page: HtmlElement, url: str | None, dates: DateConfig) -> PageMetadata | None:
    """The page's metadata; None where trafilatura would have given up on the page because of it
    (its extraction turns a TypeError or ValueError into no document at all)."""
    try:
        return page_metadata(page, url, _date_params(dates))
    except (TypeError, ValueError):
        return None


def _date_params(dates: DateConfig) -> dict[str, Any]:
    """htmldate's options: the page's own metadata only, never after `dates`' latest time."""
    latest = dates.latest().date().isoformat()
    return {"original_date": True, "extensive_search": False, "max_date": latest}


def _parse_page(html: str) -> HtmlElement | None:
    """The page as an lxml tree (trafilatura's parser, which copes with broken markup), or None; a
    page as deep as the parser goes is parsed again flattened (see `html_depth`)."""
    tree = load_page(html)
    if isinstance(tree, HtmlElement) and reaches_depth(tree, PARSER_DEPTH):
        tree = load_page(flatten_deep(html))
    return tree if isinstance(tree, HtmlElement) else None


def _holds_floor(page: HtmlElement, body: _Element | None, config: HtmlConfig) -> bool:
    """Whether the precision `body` holds `recall_floor` of the words any balanced run could return,
    so that it holds that share of the balanced text too and the run would change nothing."""
    bound = balanced_word_bound(page)
    return bound is not None and _word_count(body) >= config.recall_floor * bound


def _word_count(body: _Element | None) -> int:
    return 0 if body is None else len(_WORD_RE.findall(" ".join(body.itertext())))


def _shingle_set(text: str) -> set[tuple[str, ...]]:
    words = _WORD_RE.findall(text)
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}


def _agreement(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _closer_to_readability(page: HtmlElement, first: _Element | None, second: _Element | None) -> bool:
    """Whether `first` agrees at least as well as `second` with readability's view of the page."""
    from trafilatura.external import try_readability

    reference = _shingle_set(" ".join(try_readability(deepcopy(page)).itertext()))
    texts = [" ".join(b.itertext()) if b is not None else "" for b in (first, second)]
    return _agreement(_shingle_set(texts[0]), reference) >= _agreement(_shingle_set(texts[1]), reference)


def _extract(html: str, url: str | None, config: HtmlConfig, dates: DateConfig) -> HtmlExtraction:
    page = _parse_page(html) if html and html.strip() else None
    if page is None:
        return HtmlExtraction(text="", title=None, published=None, url=url, site=None, removed=())
    document = _run(page, config, config.favor_precision)
    meta = _metadata(page, url, dates) if document is not None else None
    if meta is None:  # as when trafilatura extracted the metadata: no document, no metadata
        document, meta = None, _NO_METADATA
    body: _Element | None = getattr(document, "body", None)
    if config.favor_precision and config.recall_floor > 0 and not _holds_floor(page, body, config):
        # a second opinion only: its own fallbacks (readability, jusText) add time, not F1
        balanced = _run(page, config, precision=False, fast=True)
        balanced_body = getattr(balanced, "body", None)
        disagree = _word_count(body) < config.recall_floor * _word_count(balanced_body)
        if disagree and (not config.arbiter or _closer_to_readability(page, balanced_body, body)):
            body = balanced_body
    title = _clean(meta.title)
    if body is not None and config.restore:
        restore(page, body, config.restoring)
    removed: list[Removal] = []
    if body is not None and config.filter_chrome:
        removed = _drop_chrome(body, title, config.filters)
    return HtmlExtraction(
        text=_to_text(body),
        title=title,
        published=_clean(meta.date),
        url=_clean(meta.url) or url,
        site=_clean(meta.sitename) or _clean(meta.hostname),
        removed=tuple(removed[: config.max_removals]),
    )


def _drop_chrome(body: _Element, title: str | None, filters: FilterConfig) -> list[Removal]:
    found = list(find_chrome(body, title, filters))
    removed: list[Removal] = []
    for element, reason in found:
        parent = element.getparent()
        if parent is None:
            continue
        removed.append(Removal(text=block_text(element)[:_MAX_REMOVAL_CHARS], reason=reason))
        _remove_keep_tail(element)
    while len(body) and body[-1].tag == "head":  # a heading with no text after it introduces nothing
        removed.append(Removal(text=block_text(body[-1])[:_MAX_REMOVAL_CHARS], reason="trailing heading"))
        _remove_keep_tail(body[-1])
    return removed


def _remove_keep_tail(element: _Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _to_text(body: _Element | None) -> str:
    """Render the body as trafilatura's plain text, one block per paragraph, separated by blank lines."""
    if body is None:
        return ""
    from lxml.etree import strip_tags
    from trafilatura.xml import xmltotxt

    strip_tags(body, "ref")  # links were kept only for the filters; rendered they would add their urls
    lines = (line.strip() for line in xmltotxt(body, include_formatting=False).splitlines())
    return "\n\n".join(line for line in lines if line)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
