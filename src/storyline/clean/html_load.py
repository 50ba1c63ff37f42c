"""Parse an HTML string as trafilatura's ``load_html`` does, without its slowest step where it is moot.

``load_html`` first deletes the control characters libxml2 rejects, with a regular expression run over
the whole page: about a third of its time on a news page, where there are almost never any. Here the
page is encoded to UTF-8 once and scanned for those bytes (each such character is one byte in UTF-8,
and no byte of a longer character looks like one); where none is found and trafilatura's other repairs
would change nothing either, the string is parsed as ``load_html`` parses it. Anything else (bytes,
control characters, a doctype or ``<html/>`` to repair, a parse that fails or comes back empty, a
trafilatura whose repair rules are not the ones checked here) goes to ``load_html`` itself, so the tree
is always the one it would give.
"""

from __future__ import annotations

import logging

from lxml.html import HtmlElement, fromstring

__all__ = ["load_page"]

# trafilatura's INVALID_XML_CHARS, as of 2.x; where its pattern differs, the fast path is not taken
_INVALID_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())


def load_page(html: str | bytes) -> HtmlElement | None:
    """The page as trafilatura's ``load_html`` parses it (None where it gives no tree); may raise
    where ``load_html`` raises."""
    from trafilatura.utils import load_html

    tree = _fast(html) if isinstance(html, str) else None
    return tree if tree is not None else load_html(html)


def _fast(html: str) -> HtmlElement | None:
    """The tree of a page that needs none of trafilatura's repairs, or None to leave it to them."""
    try:
        from trafilatura.utils import DOCTYPE_TAG, HTML_PARSER, INVALID_XML_CHARS
    except ImportError:
        return None
    if INVALID_XML_CHARS.pattern != _INVALID_PATTERN or _has_invalid_characters(html):
        return None
    beginning = html[:50].lower()
    if "doctype" in beginning:  # trafilatura rewrites the first line (and adds a newline to a one-liner)
        first, newline, _ = html.partition("\n")
        if not newline or DOCTYPE_TAG.search(first):
            return None
    if any("<html" in line and line.endswith("/>") for line in html[:4096].splitlines()[:4]):
        return None
    try:
        tree = fromstring(html, parser=HTML_PARSER)
    except Exception as error:  # load_html has its own ways for these: let it take them
        logging.getLogger(__name__).debug("fast parse failed, using load_html: %s", error)
        return None
    if tree is None or len(tree) < 1:
        return None
    if "html" not in beginning and len(tree) < 2:  # load_html's test for a page that is not HTML
        return None
    return tree


def _has_invalid_characters(html: str) -> bool:
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: load_html knows what to do with them
        return True
    return len(data.translate(None, _CONTROL_BYTES)) != len(data) or any(n in data for n in _NONCHARACTERS)
