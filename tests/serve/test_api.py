"""The JSON API: posting, reading, errors, limits and tokens."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER, repost

from .conftest import TOKEN


def _rows() -> list[dict[str, str]]:
    return [
        {
            "id": "ferry",
            "text": FERRY,
            "title": FERRY.splitlines()[0],
            "published": "2023-03-13T09:00:00Z",
            "site": "herald.example",
            "url": "https://herald.example/ferry",
        },
        {
            "id": "ferry-repost",
            "text": repost(FERRY),
            "title": FERRY.splitlines()[0],
            "published": "2023-03-13T11:00:00Z",
            "site": "aggregator.example",
        },
        {
            "id": "ferry-other",
            "text": FERRY_OTHER,
            "published": "2023-03-13T10:00:00Z",
            "site": "post.example",
        },
        {"id": "budget", "text": BUDGET, "published": "2023-03-08T20:00:00Z", "site": "herald.example"},
    ]


@pytest.fixture
def posted(client: httpx.Client) -> dict[str, dict[str, str]]:
    response = client.post("/api/articles", json={"articles": _rows()})
    assert response.status_code == 200, response.text
    client.post("/api/revise")
    return {r["id"]: r for r in response.json()["results"]}


def test_post_returns_id_copy_group_and_story(posted: dict[str, dict[str, str]]) -> None:
    assert list(posted) == ["ferry", "ferry-repost", "ferry-other", "budget"]
    assert all(r["status"] == "ok" and r["new"] for r in posted.values())
    assert posted["ferry"]["copy_group"] == posted["ferry-repost"]["copy_group"]
    assert posted["ferry-other"]["copy_group"] != posted["ferry"]["copy_group"]
    assert posted["budget"]["story"] != posted["ferry"]["story"]


def test_one_object_and_a_list_are_accepted_and_reposting_is_idempotent(client: httpx.Client) -> None:
    one = client.post("/api/articles", json=_rows()[0]).json()["results"]
    assert [r["id"] for r in one] == ["ferry"]
    again = client.post("/api/articles", json=_rows()[:2]).json()["results"]
    assert [(r["id"], r["new"]) for r in again] == [("ferry", False), ("ferry-repost", True)]
    clash = client.post("/api/articles", json={"id": "ferry", "text": BUDGET}).json()["results"][0]
    assert clash["status"] == "rejected" and "duplicate id" in clash["reason"]


def test_unusable_items_are_rejected_with_a_reason(client: httpx.Client) -> None:
    results = client.post("/api/articles", json=[{"id": "empty", "text": "   "}, {"title": "no text"}]).json()
    assert [r["status"] for r in results["results"]] == ["rejected", "rejected"]
    assert all(r["reason"] for r in results["results"])


def test_story_list_is_newest_first_searchable_and_windowed(
    client: httpx.Client, posted: dict[str, dict[str, str]]
) -> None:
    listing = client.get("/api/stories").json()
    ids = [s["id"] for s in listing["stories"]]
    assert ids.index(posted["ferry"]["story"]) < ids.index(posted["budget"]["story"])
    found = client.get("/api/stories", params={"q": "librar"}).json()
    assert [s["id"] for s in found["stories"]] == [posted["budget"]["story"]]
    assert client.get("/api/stories", params={"q": "zeppelin"}).json()["total"] == 0
    window = client.get("/api/stories", params={"since": "2023-03-10"}).json()
    assert posted["budget"]["story"] not in [s["id"] for s in window["stories"]]
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == listing["total"] and len(page["stories"]) == 1


def test_story_article_and_pair(client: httpx.Client, posted: dict[str, dict[str, str]]) -> None:
    story = client.get(f"/api/stories/{posted['ferry']['story']}").json()
    assert {"ferry", "ferry-repost"} <= set(story["articles"])
    assert {"summary", "timeline", "entities", "disagreements", "additions"} <= set(story["view"])
    article = client.get("/api/articles/ferry-repost").json()
    assert article["copies"] == ["ferry"] and article["removed"], "the site header is shown as removed"
    assert "Home | News" not in article["text"]
    pair = client.get("/api/pairs/ferry/ferry-repost", params={"diff": "true"}).json()
    assert pair["is_copy"] and pair["same_copy_group"] and pair["passages"] and pair["diff"]
    assert pair["stored_link"] is True and pair["kind"] == "copy" and pair["reasons"]
    assert client.get("/api/pairs/ferry/budget").json()["is_copy"] is False


@pytest.mark.parametrize(
    "path", ["/api/stories/st-nope", "/api/articles/nope", "/api/pairs/ferry/nope", "/api/nothing"]
)
def test_missing_things_are_json_404(client: httpx.Client, posted: object, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_invalid_body_and_oversized_body_are_json_errors(client: httpx.Client) -> None:
    bad = client.post("/api/articles", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and "error" in bad.json()
    wrong = client.post("/api/articles", json={"articles": "no"})
    assert wrong.status_code == 422 and wrong.json()["error"].startswith("invalid request")
    big = client.post("/api/articles", json={"id": "big", "text": "word " * 20_000})
    assert big.status_code == 413 and "limit" in big.json()["error"]


def test_oversized_chunked_body_is_stopped_while_streaming(client: httpx.Client) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"id": "big", "text": "'
        for _ in range(100):
            yield b"word " * 200
        yield b'"}'

    response = client.post("/api/articles", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and "error" in response.json()


def test_writes_need_the_token_when_one_is_set(token_client: httpx.Client) -> None:
    row = _rows()[0]
    assert token_client.post("/api/articles", json=row).status_code == 401
    wrong = token_client.post("/api/articles", json=row, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]
    ok = token_client.post("/api/articles", json=row, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert token_client.get("/api/stories").status_code == 200, "reads stay open"


def test_openapi_spec_lists_the_routes(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/stories", "/api/stories/{story}", "/api/pairs/{a}/{b}"} <= set(
        spec["paths"]
    )


def test_html_pages_escape_and_send_a_csp(client: httpx.Client, tmp_path: Path) -> None:
    evil = {
        "id": "evil",
        "title": "<script>alert(1)</script>",
        "url": "javascript:alert(2)",
        "text": "Breaking <img src=x onerror=alert(3)> news about the harbour and the ferry. " * 5,
    }
    client.post("/api/articles", json=evil)
    page = client.get("/articles/evil")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)" in page.text
    assert "<img src=x" not in page.text and 'href="javascript:' not in page.text
    assert client.get("/articles/nope").status_code == 404


def test_empty_store_pages_and_status(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "No stories" in page.text
    assert client.get("/api/status").json()["counts"]["articles"] == 0
    missing = client.get("/stories/<b>nope")
    assert missing.status_code == 404 and "&lt;b&gt;nope" in missing.text and "<b>nope" not in missing.text


def test_a_story_view_is_served_again_until_its_story_changes(
    client: httpx.Client, posted: dict[str, dict[str, str]]
) -> None:
    path = f"/api/stories/{posted['ferry']['story']}"
    first = client.get(path).json()
    assert client.get(path).json() == first
    more = {"id": "ferry-repost-2", "text": repost(FERRY) + "\n\nUpdated at noon.", "site": "third.example"}
    assert client.post("/api/articles", json=more).json()["results"][0]["status"] == "ok"
    client.post("/api/revise")
    story = client.get("/api/articles/ferry").json()["story"]
    changed = client.get(f"/api/stories/{story}").json()
    members = [m for g in changed["view"]["groups"] for m in g["members"]]
    assert "ferry-repost-2" in changed["articles"] and "ferry-repost-2" in members
    assert changed["view"]["outlets"] == first["view"]["outlets"] + 1
