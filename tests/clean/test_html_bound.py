"""`balanced_word_bound` is never below what trafilatura's balanced mode returns, and says so when unsure."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from storyline.clean.html_bound import balanced_word_bound

FIXTURES = Path(__file__).parent / "fixtures"
STORY = "<p>" + "The ferry ran aground in thick fog on Thursday and all passengers were safe. " * 5 + "</p>"
NAV = "<nav>" + "<a href='/a'>World news</a> <a href='/b'>Local sport</a> " * 20 + "</nav>"
PAGES = {
    "article": f"<html><body>{NAV}<article>{STORY * 4}</article><footer>Contact us</footer></body></html>",
    "short body, long JSON-LD": (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "'
        + "Officials said the harbour plan would be reviewed by the council. " * 30
        + '"}</script></head><body><p>Loading the story</p></body></html>'
    ),
    "chrome only": f"<html><body>{NAV}<div><p>Subscribe</p></div><script>var a = 1;</script></body></html>",
    "script text": f"<html><body>{STORY}<script>{'words in a script ' * 200}</script></body></html>",
}


def _page(html: str) -> HtmlElement:
    tree = load_html(html)
    assert isinstance(tree, HtmlElement)
    return tree


def _balanced_words(page: HtmlElement) -> int:
    document = trafilatura.bare_extraction(page, include_comments=False, include_links=True, fast=True)
    body = getattr(document, "body", None)
    return 0 if body is None else len(re.findall(r"\w+", " ".join(body.itertext())))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_bound_holds(name: str) -> None:
    page = _page(PAGES[name])
    bound = balanced_word_bound(page)
    assert bound is not None
    assert _balanced_words(page) <= bound


def test_bound_holds_on_the_fixture_page() -> None:
    page = _page((FIXTURES / "harbour_article.html").read_text(encoding="utf-8"))
    bound = balanced_word_bound(page)
    assert bound is not None and 0 < _balanced_words(page) <= bound


def test_script_and_style_text_do_not_count() -> None:
    with_script = balanced_word_bound(_page(PAGES["script text"]))
    without = balanced_word_bound(_page(f"<html><body>{STORY}</body></html>"))
    assert with_script == without


@pytest.mark.parametrize(
    "html",
    [
        f"<html><body>{STORY}<math alttext='x + y'><mi>x</mi></math></body></html>",
        f"<html><body><div id='data-preloaded' data-preloaded='{{}}'></div>{STORY}</body></html>",
        f"<html><body><aside>{STORY}</aside></body></html>",
        f"<html><body><div class='comments-area'>{STORY}</div></body></html>",
        "<html><body><div>no paragraph at all</div></body></html>",
    ],
    ids=["math", "discourse", "paragraphs only in aside", "paragraphs only in comments", "no paragraph"],
)
def test_no_bound_where_unsure(html: str) -> None:
    assert balanced_word_bound(_page(html)) is None


def test_bound_holds_on_the_benchmark_pages(shared_data: Path) -> None:
    folder = shared_data / "aeb" / "html"
    if not folder.is_dir():
        pytest.skip(f"article-extraction benchmark not found at {folder}")
    for path in sorted(folder.glob("*.html.gz"))[:30]:
        page = load_html(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
        if isinstance(page, HtmlElement) and (bound := balanced_word_bound(page)) is not None:
            assert _balanced_words(page) <= bound, path.name
