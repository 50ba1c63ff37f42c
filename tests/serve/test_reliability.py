"""The service against issue 12: a poisoned article, concurrent innocents, hostile ids, bad requests."""

from __future__ import annotations

import importlib
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER, repost
from storyline.evaluate.faults import store_problems
from storyline.evaluate.hostile import hostile_corpus
from storyline.serve import ServeConfig

from .conftest import TOKEN, LiveServer

POISON = {
    "id": "p",
    "text": "The vote is on December 30. Officials said flooding forced thousands of residents to leave"
    " their homes.",
    "published": "9999-12-15",
}


def _config(db: Path, **kwargs: Any) -> ServeConfig:
    return ServeConfig(db=str(db), revise_after=0.05, **kwargs)


def _post(client: httpx.Client, body: Any) -> list[dict[str, Any]]:
    """Post `body` as JSON with non-ASCII escaped, as any client may (lone surrogates included)."""
    response = client.post(
        "/api/articles", content=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_poisoned_article_leaves_the_service_working_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with LiveServer(_config(db)) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        (result,) = _post(client, POISON)
        assert result["status"] == "ok"
        assert client.get("/api/articles/p").json()["published"] is None
        assert [r["status"] for r in _post(client, {"id": "ferry", "text": FERRY})] == ["ok"]
        assert client.post("/api/revise").status_code == 200
    with LiveServer(_config(db)) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        assert [r["status"] for r in _post(client, {"id": "budget", "text": BUDGET})] == ["ok"]
        assert client.post("/api/revise").status_code == 200
        assert client.get("/api/stories").json()["total"] >= 2
    assert store_problems(db) == []


def test_innocent_concurrent_posts_all_succeed_beside_a_poisoned_one(live_server: LiveServer) -> None:
    texts = [FERRY, FERRY_OTHER, BUDGET, repost(FERRY)]
    bodies: list[Any] = [{"id": f"n{i}", "text": texts[i % 4] + f"\n\nReport {i}."} for i in range(35)]
    bodies.insert(17, {**POISON, "published": "0001-01-01T00:00:00+01:00"})

    def post(body: Any) -> int:
        with httpx.Client(base_url=live_server.url, timeout=120) as c:
            response = c.post("/api/articles", json=body)
            ok = response.status_code == 200 and response.json()["results"][0]["status"] == "ok"
            return 200 if ok else response.status_code

    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(post, bodies))
    assert statuses == [200] * 36


def test_an_item_that_breaks_the_pipeline_fails_alone(
    thread_client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = thread_client
    pipeline_run = importlib.import_module("storyline.pipeline.run")
    commit = pipeline_run._Batch.commit

    def breaking(self: Any, articles: list[Any], provisional: bool) -> Any:
        if any(a.id == "boom" for a in articles):
            raise RuntimeError("secret internal detail /etc/storyline")
        return commit(self, articles, provisional)

    monkeypatch.setattr(pipeline_run._Batch, "commit", breaking)
    results = _post(
        client, [{"id": "a", "text": FERRY}, {"id": "boom", "text": BUDGET}, {"id": "c", "text": FERRY_OTHER}]
    )
    assert [r["status"] for r in results] == ["ok", "rejected", "ok"]
    assert "internal error while processing this item (server log reference" in results[1]["reason"]
    assert "secret" not in results[1]["reason"]
    assert client.get("/api/articles/c").status_code == 200


def test_the_500_page_names_a_log_reference_not_the_exception(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.serve import api

    def broken(*args: object) -> None:
        raise RuntimeError("secret internal detail /etc/storyline")

    monkeypatch.setattr(api, "story_detail", broken)
    response = client.get("/api/stories/st-anything")
    assert response.status_code == 500
    assert "secret" not in response.text and "RuntimeError" not in response.text
    assert response.json()["error"].startswith("internal error (server log reference ")


def test_every_rejection_is_kept_under_its_own_source(live_server: LiveServer, client: httpx.Client) -> None:
    results = _post(
        client, [{"id": "e1", "text": " "}, {"id": "e2", "text": "  "}, {"id": "a/b", "text": FERRY}]
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    with sqlite3.connect(live_server.db) as con:
        rows = con.execute("SELECT source, reason FROM rejections").fetchall()
    assert len(rows) == 3 and len({source for source, _ in rows}) == 3
    assert all(source.startswith("POST ") for source, _ in rows)


@pytest.mark.parametrize(
    "path", ["/api/stories?offset=" + str(10**24), "/?page=" + str(10**24), "/?page=" + str(10**8)]
)
def test_huge_offsets_are_a_clean_4xx(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text and "OverflowError" not in response.text


def test_the_token_is_checked_before_the_body_is_parsed(token_client: httpx.Client) -> None:
    bad = token_client.post(
        "/api/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 401 and bad.json() == {"error": "missing or wrong bearer token"}
    with_token = token_client.post(
        "/api/articles",
        content=b"{not json",
        headers={"content-type": "application/json", "authorization": f"Bearer {TOKEN}"},
    )
    assert with_token.status_code == 422
    assert token_client.get("/api/stories").status_code == 200


def test_hostile_rows_through_the_api_and_every_stored_article_is_linked(
    live_server: LiveServer, client: httpx.Client
) -> None:
    corpus = {e.path: e for e in hostile_corpus()}
    rows: list[dict[str, Any]] = []
    for name in ("dates.jsonl", "ids.jsonl", "texts.jsonl"):
        for line in corpus[name].data.decode("utf-8").splitlines():
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(value, dict) and not isinstance(value.get("text", ""), int):
                keep = {k: v for k, v in value.items() if isinstance(v, str | int) or v is None}
                rows.append(keep)  # what JSON can carry (no NaN, which the API's JSON refuses)
    results = _post(client, rows)
    assert len(results) == len(rows) and all(r["status"] in ("ok", "rejected") for r in results)
    assert all(r["reason"] for r in results if r["status"] == "rejected")
    assert client.post("/api/revise").status_code == 200
    for result in results:
        if result["status"] == "ok":
            assert client.get(f"/api/articles/{quote(result['id'], safe='')}").status_code == 200, result[
                "id"
            ]
    listing = client.get("/").text
    for href in [h.split('"')[0] for h in listing.split('href="/stories/')[1:]][:10]:
        story_page = client.get("/stories/" + href)
        assert story_page.status_code == 200
        for link in [h.split('"')[0] for h in story_page.text.split('href="/articles/')[1:]]:
            assert client.get("/articles/" + link).status_code == 200, link
    assert store_problems(live_server.db) == []


def test_a_failing_idle_revision_backs_off_instead_of_flooding_the_log(
    thread_client: httpx.Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = thread_client
    from storyline.serve import writer

    def failing(*args: object) -> None:
        raise RuntimeError("the rebuild keeps failing")

    monkeypatch.setattr(writer, "rebuild_stories", failing)
    _post(client, {"id": "a", "text": FERRY})
    time.sleep(2.5)  # at the fixture's 0.05 s, the old loop would have failed about 50 times
    failures = [r for r in caplog.records if "story revision failed" in r.getMessage()]
    assert 1 <= len(failures) <= 4
    assert sum(r.exc_info is not None for r in failures) == 1  # one traceback, then one line each
    assert client.get("/api/status").json()["revision_pending"] is True
