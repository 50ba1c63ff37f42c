"""`page_metadata` gives trafilatura's own title, date, url and site name, without its other fields."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from lxml.html import HtmlElement, tostring
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from storyline.clean.html_meta import PageMetadata, page_metadata

PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False, "max_date": "2030-01-01"}
BODY = "<p>" + "The council met on Monday to discuss the new harbour wall and its cost. " * 6 + "</p>"
PAGES = {
    "opengraph": (
        "<html><head><title>Wall vote | The Gazette</title>"
        '<meta property="og:title" content="Harbour wall vote">'
        '<meta property="og:site_name" content="the gazette">'
        '<meta property="og:url" content="https://gazette.example.org/wall">'
        '<meta property="article:published_time" content="2024-03-14T08:00:00Z">'
        f"</head><body><h1>Harbour wall vote</h1>{BODY}</body></html>"
    ),
    "json-ld": (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Bridge reopens", "datePublished": "2023-11-02", '
        '"publisher": {"@type": "Organization", "name": "Valley News"}}</script>'
        f"</head><body>{BODY}</body></html>"
    ),
    "title tag only": (
        f"<html><head><title>Drought - news.example.com</title></head><body>{BODY}</body></html>"
    ),
    "canonical and twitter": (
        '<html><head><link rel="canonical" href="/2022/05/06/museum">'
        '<meta name="twitter:site" content="@citypaper">'
        '<meta name="twitter:url" content="https://city.example.net/2022/05/06/museum">'
        f"</head><body><h1>Museum</h1><h1>Second</h1>{BODY}</body></html>"
    ),
    "nothing": f"<html><body>{BODY}</body></html>",
}


def _old(tree: HtmlElement, url: str | None) -> PageMetadata:
    document = extract_metadata(tree, url, dict(PARAMS))
    return PageMetadata(document.title, document.date, document.url, document.sitename, document.hostname)


def _tree(html: str) -> HtmlElement:
    tree = load_html(html)
    assert isinstance(tree, HtmlElement)
    return tree


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("url", [None, "https://mirror.example.com/story"])
def test_same_as_trafilatura_metadata(name: str, url: str | None) -> None:
    assert page_metadata(_tree(PAGES[name]), url, PARAMS) == _old(_tree(PAGES[name]), url)


def test_finds_the_fields() -> None:
    found = page_metadata(_tree(PAGES["opengraph"]), None, PARAMS)
    assert found.title == "Harbour wall vote"
    assert found.date is not None and found.date.startswith("2024-03-14")
    assert found.url == "https://gazette.example.org/wall"
    assert found.sitename == "The Gazette"


def test_leaves_the_tree_untouched() -> None:
    tree = _tree(PAGES["json-ld"])
    before = tostring(tree)
    page_metadata(tree, None, PARAMS)
    assert tostring(tree) == before


def test_falls_back_to_the_full_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.clean import html_meta

    def missing(*args: object) -> PageMetadata:
        raise ImportError("cannot import name 'examine_meta'")

    monkeypatch.setattr(html_meta, "_fast", missing)
    tree = _tree(PAGES["opengraph"])
    assert page_metadata(tree, None, PARAMS) == _old(tree, None)


def test_same_as_trafilatura_on_the_benchmark_pages(shared_data: Any) -> None:
    folder = shared_data / "aeb" / "html"
    if not folder.is_dir():
        pytest.skip(f"article-extraction benchmark not found at {folder}")
    for path in sorted(folder.glob("*.html.gz"))[:40]:
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        tree = load_html(html)
        if isinstance(tree, HtmlElement):
            assert page_metadata(tree, None, PARAMS) == _old(tree, None), path.name
