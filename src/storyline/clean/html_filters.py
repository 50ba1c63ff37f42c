"""Post-filters over trafilatura's XML body that drop blocks which are page chrome, not article text.

trafilatura keeps some blocks that sit inside the article container but are not part of the story: the
headline repeated as the first line, lists of links to other stories ("Related", "Don't miss"), and
short stock lines ("Read more: ...", "Follow us on Twitter", "Sign up for our newsletter"). Each filter
here looks at one block (a top-level ``p``/``head``/``list``/``quote``/``table`` of the body, or an item
of a list) and says why it should go; the caller removes it and records the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.etree import _Element

__all__ = ["FilterConfig", "block_text", "find_chrome", "link_density"]

_WORD_RE = re.compile(r"\w+")

# Stock phrases that open a short block of page chrome on news sites. Matched case-insensitively at the
# start of a block of at most `FilterConfig.max_boilerplate_words` words, so a story sentence that merely
# contains such words is never dropped.
_BOILERPLATE_START = re.compile(
    r"""^\W*(?:
        related(?:\s+(?:articles?|stories|content|coverage|links?|reading|videos?))?\s*(?:[:|\-\u2013\u2014]|$)
      | (?:read|see|watch)\s+(?:more|also|next)\b
      | more\s+(?:on|from|about)\s+(?:this|the\s+bbc|us)\b
      | also\s+(?:read|see|on)\b
      | don'?t\s+miss\b
      | (?:most\s+)?(?:popular|recommended|trending)(?:\s+(?:now|stories|articles))?\s*$
      | (?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\b[^.!?]{0,40}\bnewsletters?\b
      | subscribe\s+(?:now|today|here)\b
      | (?:follow|like)\s+(?:us|him|her|me|them)\s+on\b
      | like\s+this\s+story\b
      | advertisement\s*$
      | sponsored\s+content\b
      | copyright\b | ©
      | all\s+rights\s+reserved\b
      | have\s+a\s+(?:news\s+)?tip\b
      | get\s+the\s+latest\b
      | this\s+copy\s+is\s+for\s+your\s+personal\b
      | (?:email|contact)\s+\w+(?:\s+\w+)?\s+at\s+\S+@
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class FilterConfig:
    """Thresholds for the chrome filters.

    `link_density`: share of a block's characters inside links above which a short block counts as a
    link (navigation, teaser); `max_link_words`: only blocks up to this many words can be dropped for
    links, so a long paragraph with many inline citations stays; `max_boilerplate_words`: only blocks
    up to this many words can be dropped for a stock phrase.
    """

    link_density: float = 0.8
    max_link_words: int = 30
    max_boilerplate_words: int = 40


def block_text(element: _Element) -> str:
    """All text of an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def link_density(element: _Element) -> float:
    """Share of the element's non-space characters that sit inside ``ref`` (link) elements."""
    total = len("".join("".join(element.itertext()).split()))
    if total == 0:
        return 0.0
    linked = sum(len("".join("".join(ref.itertext()).split())) for ref in element.iter("ref"))
    return min(1.0, linked / total)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD_RE.findall(text)]


def _is_link_block(element: _Element, config: FilterConfig) -> bool:
    text = block_text(element)
    return (
        bool(text)
        and len(_words(text)) <= config.max_link_words
        and (link_density(element) >= config.link_density)
    )


def _is_link_list(element: _Element, config: FilterConfig) -> bool:
    items = [item for item in element.iter("item") if block_text(item)]
    if len(items) < 2:
        return False
    linked = sum(1 for item in items if _is_link_block(item, config))
    return linked >= 0.8 * len(items)


def _chrome_reason(element: _Element, config: FilterConfig) -> str | None:
    text = block_text(element)
    if not text:
        return None
    if element.tag == "list" and _is_link_list(element, config):
        return "list of links"
    if len(_words(text)) <= config.max_boilerplate_words and _BOILERPLATE_START.match(text):
        return "boilerplate phrase"
    return None


def _is_title(text: str, title_words: list[str]) -> bool:
    return bool(title_words) and _words(text) == title_words


def find_chrome(body: _Element, title: str | None, config: FilterConfig) -> Iterator[tuple[_Element, str]]:
    """Yield (block, reason) for every block of `body` that looks like page chrome.

    The headline is dropped only where it repeats the page title word for word and sits among the first
    blocks, where extractors put it. A single paragraph that is one link may be a real citation, so
    link paragraphs go only in runs of two or more (teaser and navigation lists). A short heading or
    line right before a dropped list of links (its "Related" label) goes with it.
    """
    title_words = _words(title or "")
    blocks = [child for child in body if isinstance(child.tag, str)]
    reasons: list[str | None] = []
    for index, block in enumerate(blocks):
        if index < 3 and _is_title(block_text(block), title_words):
            reasons.append("title repeated in body")
        else:
            reasons.append(_chrome_reason(block, config))
    _mark_link_runs(blocks, reasons, config)
    for index, (block, reason) in enumerate(zip(blocks, reasons, strict=True)):
        if reason is None:
            if block.tag == "list":
                yield from ((item, r) for item in block.iter("item") if (r := _chrome_reason(item, config)))
            continue
        label = blocks[index - 1] if index > 0 and reasons[index - 1] is None else None
        if reason == "list of links" and label is not None and _is_label(label):
            yield label, "label of a list of links"
        yield block, reason


def _mark_link_runs(blocks: list[_Element], reasons: list[str | None], config: FilterConfig) -> None:
    """Set the reason of every paragraph in a run of at least two consecutive link paragraphs."""
    flags = [
        reason is None and block.tag in ("p", "head") and _is_link_block(block, config)
        for block, reason in zip(blocks, reasons, strict=True)
    ]
    for index, flag in enumerate(flags):
        neighbour = (index > 0 and flags[index - 1]) or (index + 1 < len(flags) and flags[index + 1])
        if flag and neighbour:
            reasons[index] = "run of link paragraphs"


def _is_label(element: _Element) -> bool:
    words = _words(block_text(element))
    return element.tag in ("head", "p") and 0 < len(words) <= 5
