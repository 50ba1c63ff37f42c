"""Main-text extraction from HTML: article text kept, page chrome dropped with reasons, never raises."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from storyline.clean.html import HtmlConfig, HtmlExtraction, extract_html
from storyline.clean.html_filters import FilterConfig, block_text, find_chrome, link_density
from storyline.clean.html_restore import RestoreConfig, restore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def harbour() -> HtmlExtraction:
    html = (FIXTURES / "harbour_article.html").read_text(encoding="utf-8")
    return extract_html(html, url="https://mirror.example.com/harbour")


def test_keeps_every_story_paragraph(harbour: HtmlExtraction) -> None:
    for start in (
        "A passenger ferry",
        "The coastguard said",
        "The operator,",
        "Harbour master",
        "Investigators",
    ):
        assert start in harbour.text


def test_paragraphs_are_separated_by_blank_lines(harbour: HtmlExtraction) -> None:
    paragraphs = harbour.text.split("\n\n")
    assert len(paragraphs) == 5
    assert all(p.strip() == p and "\n" not in p for p in paragraphs)


@pytest.mark.parametrize(
    "chrome",
    ["Home", "Read more:", "Sign up", "Related stories", "Storm warnings", "I was on that ferry", "Privacy"],
)
def test_drops_page_chrome(harbour: HtmlExtraction, chrome: str) -> None:
    assert chrome not in harbour.text


def test_removed_blocks_carry_reasons(harbour: HtmlExtraction) -> None:
    assert harbour.removed
    assert all(r.text and r.reason for r in harbour.removed)
    assert any(r.text.startswith("Read more:") and r.reason == "boilerplate phrase" for r in harbour.removed)


def test_metadata_comes_from_the_page(harbour: HtmlExtraction) -> None:
    assert harbour.title == "Harbour ferry runs aground in thick fog"
    assert harbour.published is not None and harbour.published.startswith("2024-03-14")
    assert harbour.url == "https://gazette.example.org/news/harbour-ferry-aground"
    assert harbour.site == "The Coastal Gazette"


def test_url_passed_in_is_the_fallback() -> None:
    html = "<html><body><article>" + "<p>Plain words in a plain page about nothing much at all.</p>" * 8
    result = extract_html(html + "</article></body></html>", url="https://example.net/plain")
    assert result.url == "https://example.net/plain"


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<", "<html>", "<<<>>>&&&", "\x00\x01\x02", "<p>short</p>", "<div>" * 500],
)
def test_bad_html_gives_empty_text_not_an_error(html: str) -> None:
    result = extract_html(html)
    assert isinstance(result, HtmlExtraction)
    assert result.text == ""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_raises(html: str) -> None:
    result = extract_html(html)
    assert isinstance(result.text, str)


def test_configs_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        HtmlConfig().recall_floor = 0.1  # type: ignore[misc]


def test_filters_can_be_switched_off() -> None:
    html = (FIXTURES / "harbour_article.html").read_text(encoding="utf-8")
    result = extract_html(html, config=HtmlConfig(filter_chrome=False))
    assert "Read more:" in result.text
    assert result.removed == ()


def _body(xml: str) -> etree._Element:
    return etree.fromstring(f"<body>{xml}</body>")


def test_link_density_counts_characters_inside_links() -> None:
    assert link_density(_body("<p><ref>abcd</ref>abcd</p>")[0]) == pytest.approx(0.5)
    assert link_density(_body("<p></p>")[0]) == 0.0


def test_find_chrome_reasons() -> None:
    body = _body(
        "<head>Ferry aground</head>"
        "<p>The ferry ran aground in the fog on Thursday morning near the harbour.</p>"
        "<p>It was towed off the sandbank by the evening tide, the operator said.</p>"
        "<p>Elsewhere</p>"
        "<list><item><ref>One story</ref></item><item><ref>Another story</ref></item></list>"
        "<p><ref>Teaser one</ref></p><p><ref>Teaser two</ref></p>"
        "<p>A lone <ref>citation</ref> stays.</p>"
    )
    chrome = find_chrome(body, "Ferry aground", FilterConfig())
    found = {etree.tostring(e, method="text", encoding=str): r for e, r in chrome}
    assert found == {
        "Ferry aground": "title repeated in body",
        "Elsewhere": "label of a list of links",
        "One storyAnother story": "list of links",
        "Teaser one": "run of link paragraphs",
        "Teaser two": "run of link paragraphs",
    }


def test_a_single_link_paragraph_is_kept() -> None:
    body = _body("<p>Story text here.</p><p><ref>Full report (PDF)</ref></p><p>More story text.</p>")
    assert list(find_chrome(body, None, FilterConfig())) == []


def _sentence(topic: str, n: int = 20) -> str:
    return " ".join(f"{topic}{i}" for i in range(n)) + "."


def test_restore_adds_the_rest_of_a_split_body_in_place() -> None:
    first, second, third, fourth = (_sentence(t) for t in ("alpha", "bravo", "charlie", "delta"))
    raw = lxml_html.fromstring(
        f'<html><body><div class="story"><p>{first}</p><p>{second}</p></div>'
        '<div class="ad"><p>Advertisement</p></div>'
        f'<div class="story"><p>{third}</p><p>{fourth}</p></div>'
        '<div class="teaser"><p>Other story</p></div></body></html>'
    )
    body = _body(f"<p>{first}</p><p>{second}</p>")
    added = restore(raw, body, RestoreConfig())
    assert added == [third, fourth]
    assert [block_text(b) for b in body] == [first, second, third, fourth]


def test_restore_adds_embedded_posts_between_story_paragraphs() -> None:
    first, second = _sentence("alpha"), _sentence("bravo")
    raw = lxml_html.fromstring(
        f'<html><body><div class="story"><p>{first}</p>'
        '<blockquote class="twitter-tweet"><p>The ferry is stuck!</p>- Sailor (@sailor) March 14</blockquote>'
        f"<p>{second}</p></div></body></html>"
    )
    body = _body(f"<p>{first}</p><p>{second}</p>")
    restore(raw, body, RestoreConfig())
    assert [block_text(b) for b in body] == [
        first,
        "The ferry is stuck!",
        "- Sailor (@sailor) March 14",
        second,
    ]


def test_restore_leaves_a_complete_body_alone() -> None:
    first = _sentence("alpha")
    raw = lxml_html.fromstring(f'<html><body><div class="story"><p>{first}</p></div></body></html>')
    body = _body(f"<p>{first}</p>")
    assert restore(raw, body, RestoreConfig()) == []
    assert len(body) == 1


@pytest.mark.parametrize("levels", [1, 2, 30, 249, 250, 251, 400])
def test_reaches_depth_agrees_with_tree_depth(levels: int) -> None:
    from storyline.clean.html_depth import reaches_depth, tree_depth

    nested = "<div>" * levels + "x" + "</div>" * levels
    tree = lxml_html.fromstring(f"<html><body>{nested}</body></html>")
    depth = tree_depth(tree)
    for asked in (0, 1, depth - 1, depth, depth + 1, 250):
        assert reaches_depth(tree, asked) == (depth >= asked)
    assert reaches_depth(tree[-1], 2) == (tree_depth(tree[-1]) >= 2)
