"""Templates render every part of a story view, escaped, and URLs become links only when http(s)."""

from __future__ import annotations

import pytest

pytest.importorskip("jinja2", reason="the serve extra is not installed")

from storyline.serve.ui import render, safe_url

EVIL = "<script>window.x=1</script>"


def _detail() -> dict[str, object]:
    a = {
        "id": "a",
        "title": EVIL,
        "url": None,
        "site": "s",
        "published": "2024-01-02T03:04:00",
        "copy_group": "g",
        "canonical": True,
    }
    b = dict(a, id="b", canonical=False)
    view = {
        "headline": EVIL,
        "first": "2024-01-02T03:04:00",
        "last": None,
        "outlets": 2,
        "independent_reports": 1,
        "reusing_groups": 0,
        "groups": [],
        "summary": [{"text": EVIL, "article_ids": ["a", "b"], "independent_sources": 2}],
        "entities": [{"name": EVIL, "kind": "person", "count": 2, "article_ids": ["a"]}],
        "timeline": [{"when": "2024-01-02T03:04:00", "article_id": "a", "text": EVIL}],
        "additions": [{"article_id": "b", "sentences": [EVIL]}],
        "disagreements": [{"fact": EVIL, "values": [["12", ["a"]], [EVIL, ["b"]]]}],
    }
    return {
        "id": "st",
        "title": "t",
        "articles": {"a": a, "b": b},
        "groups": [{"id": "g", "members": [a, b]}],
        "view": view,
    }


def test_story_page_renders_every_section_escaped() -> None:
    d = _detail()
    html = render("story.html", s=d, view=d["view"], articles=d["articles"], number={"a": 1, "b": 2}).body
    text = bytes(html).decode()
    for section in ("summary", "disagreements", "sources", "additions", "timeline", "entities"):
        assert f'id="{section}"' in text
    assert "<script>window" not in text and text.count("&lt;script&gt;") >= 6
    assert 'href="/diff?a=a&amp;b=b"' in text


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.example/a", True),
        ("http://x", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe
