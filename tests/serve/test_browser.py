"""The web UI in a real browser (headless Debian chromium driven by Playwright).

Opens the story list, searches, opens a story, follows a citation, opens a copy diff, and checks that
script payloads in an article's title, text and url render as inert text. Screenshots go to
$STORYLINE_SCREENSHOTS when set, else to a folder in pytest's tmp dir.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER, repost
from storyline.serve import ServeConfig

from .conftest import LiveServer
from .partitions import wait_settled

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

PAYLOAD_TITLE = (
    "Harbour <script>window.__xss='title'</script><img src=x onerror=\"window.__xss='title-img'\">"
)
PAYLOAD_TEXT = (
    "Harbour Island council met on Monday to discuss the ferry pier repairs and the storm damage.\n\n"
    "A reader wrote <script>window.__xss='text'</script> and <img src=x onerror=\"window.__xss='img'\">"
    " and <svg onload=\"window.__xss='svg'\"></svg> into the comment box of the island paper.\n\n"
    "Councillors said the repairs to the pier would be reviewed again at the next meeting in spring."
)
PAYLOAD_URL = "javascript:window.__xss='url'"
PAYLOAD_URL2 = "https://evil.example/\"><script>window.__xss='url2'</script>"


def _rows() -> list[dict[str, Any]]:
    title = FERRY.splitlines()[0]
    return [
        {
            "id": "ferry",
            "text": FERRY,
            "title": title,
            "published": "2023-03-13T09:00:00Z",
            "site": "herald.example",
            "url": "https://herald.example/ferry",
        },
        {
            "id": "ferry-repost",
            "text": repost(FERRY),
            "title": title,
            "published": "2023-03-13T11:00:00Z",
            "site": "aggregator.example",
            "url": "https://aggregator.example/ferry",
        },
        {
            "id": "ferry-other",
            "text": FERRY_OTHER,
            "title": FERRY_OTHER.splitlines()[0],
            "published": "2023-03-13T10:00:00Z",
            "site": "post.example",
        },
        {
            "id": "budget",
            "text": BUDGET,
            "title": BUDGET.splitlines()[0],
            "published": "2023-03-08T20:00:00Z",
            "site": "herald.example",
        },
        {
            "id": "evil",
            "text": PAYLOAD_TEXT,
            "title": PAYLOAD_TITLE,
            "url": PAYLOAD_URL,
            "site": "<b onmouseover=\"window.__xss='site'\">site</b>",
            "published": "2023-02-01T08:00:00Z",
        },
        {
            "id": "evil2",
            "text": PAYLOAD_TEXT.replace("Monday", "Tuesday") + " Second page.",
            "title": PAYLOAD_TITLE,
            "url": PAYLOAD_URL2,
            "site": "evil.example",
            "published": "2023-02-01T09:00:00Z",
        },
    ]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "ui.db"
    with LiveServer(ServeConfig(db=str(db), revise_after=0.05)) as server:
        response = httpx.post(server.url + "/api/articles", json=_rows(), timeout=120)
        assert response.status_code == 200 and all(r["status"] == "ok" for r in response.json()["results"])
        wait_settled(server.url)
        yield server.url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("STORYLINE_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield tab
    assert not dialogs, f"a script opened a dialog: {dialogs}"
    context.close()


def _no_script_ran(tab: Any) -> None:
    assert tab.evaluate("typeof window.__xss") == "undefined", tab.evaluate("window.__xss")


def test_list_search_story_citation_diff(page: Any, site: str, shots: Path) -> None:
    page.goto(site + "/")
    assert page.locator(".story-row").count() >= 3
    page.screenshot(path=str(shots / "1-story-list.png"), full_page=True)

    page.fill("#q", "ferry pier")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=ferry*")
    titles = page.locator(".story-link").all_inner_texts()
    assert titles and all("library" not in t.lower() for t in titles)
    page.screenshot(path=str(shots / "2-search.png"), full_page=True)

    page.locator(".story-link", has_text="Ferry service").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("#sources .group").count() >= 2
    page.screenshot(path=str(shots / "3-story.png"), full_page=True)

    cite = page.locator("#summary a.cite").first
    target = cite.get_attribute("data-article")
    cite.click()
    page.wait_for_url(f"**/articles/{target}")
    assert page.locator("#text").inner_text().strip()
    page.screenshot(path=str(shots / "4-cited-article.png"), full_page=True)

    page.goto(site + "/articles/ferry-repost")
    assert page.locator("#removed .removed").count() >= 1, "the scraped site header is shown as removed"
    page.screenshot(path=str(shots / "5-article-removed.png"), full_page=True)
    page.locator("a.diff-link").first.click()
    page.wait_for_url("**/diff?*")
    assert "Copies" in page.locator("#verdict").inner_text()
    assert page.locator("table.diff tr.op").count() >= 1
    page.screenshot(path=str(shots / "6-diff.png"), full_page=True)


@pytest.mark.parametrize(
    "path", ["/articles/evil", "/articles/evil2", "/", "/?q=harbour", "/diff?a=evil&b=evil2"]
)
def test_payloads_render_as_inert_text(page: Any, site: str, shots: Path, path: str) -> None:
    page.goto(site + path)
    page.wait_for_load_state("load")
    _no_script_ran(page)
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[onerror], [onload], [onmouseover]").count() == 0
    if path.startswith("/articles/"):
        assert "<script>window.__xss='title'</script>" in page.locator("#title").inner_text()
        assert page.locator("#url a[href^='javascript']").count() == 0
        assert "<script>" in page.locator("body").inner_text()
        page.screenshot(path=str(shots / f"7-inert{path.replace('/', '-')}.png"), full_page=True)


def test_story_page_of_the_payload_is_inert(page: Any, site: str) -> None:
    story = httpx.get(site + "/api/articles/evil", timeout=30).json()["story"]
    page.goto(f"{site}/stories/{story}")
    _no_script_ran(page)
    assert "<script>" in page.locator("body").inner_text()
