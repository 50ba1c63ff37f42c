"""`load_page` gives the tree trafilatura's ``load_html`` gives, taking its short way only where it may."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml.html import HtmlElement, tostring
from trafilatura.utils import load_html

from storyline.clean import html_load
from storyline.clean.html_load import load_page

PAGE = "<html><head><title>Ferry</title></head><body><p>A ferry ran aground in fog.</p></body></html>"
CASES = {
    "plain page": PAGE,
    "control characters": PAGE.replace("ferry", "fer\x00ry\x0b\x1f"),
    "noncharacters": PAGE.replace("fog", "fog\ufffe\uffff"),
    "lone surrogate": PAGE.replace("fog", "f\udce9og"),
    "doctype on its own line": "<!DOCTYPE html>\n" + PAGE,
    "doctype on a one-line page": "<!DOCTYPE html>" + PAGE,
    "self-closing doctype": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"/>\n' + PAGE,
    "self-closing html": "<html/>\n<body><p>A ferry ran aground.</p></body>",
    "xml declaration": "<?xml version='1.0' encoding='utf-8'?>" + PAGE,
    "fragment": "<p>one</p><p>two</p>",
    "not html": "plain words and no tags",
    "broken": "<<<>>>&&&",
    "empty": "",
    "bytes": PAGE.encode("utf-8"),
    "latin-1 bytes": PAGE.replace("fog", "brouillard épais").encode("latin-1"),
    "deep": "<div>" * 500,
}


def _outcome(load: Callable[[str | bytes], HtmlElement | None], html: str | bytes) -> bytes | str | None:
    """The parsed tree serialised, or the error raised, so that outcomes can be compared."""
    try:
        tree = load(html)
    except Exception as error:
        return repr(error)
    return tostring(tree) if isinstance(tree, HtmlElement) else None


def _tree(html: str | bytes) -> bytes | str | None:
    return _outcome(load_page, html)


def _expected(html: str | bytes) -> bytes | str | None:
    return _outcome(load_html, html)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_tree_as_load_html(name: str) -> None:
    assert _tree(CASES[name]) == _expected(CASES[name])


@pytest.mark.parametrize(
    "name", ["control characters", "noncharacters", "lone surrogate", "self-closing html"]
)
def test_pages_that_need_repair_take_the_long_way(name: str) -> None:
    html = CASES[name]
    assert isinstance(html, str)
    assert html_load._fast(html) is None


def test_a_clean_page_takes_the_short_way() -> None:
    assert html_load._fast(PAGE) is not None


def test_control_characters_are_gone() -> None:
    tree = load_page(CASES["control characters"])
    assert tree is not None
    assert "\x00" not in tree.text_content() and "ferry" in tree.text_content()


def test_unknown_repair_rules_take_the_long_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_load, "_INVALID_PATTERN", "[\\x00]")
    assert html_load._fast(PAGE) is None
    assert _tree(PAGE) == _expected(PAGE)
