"""Many clients posting at once end with the same copy groups and stories as one client posting in order.

Both as HTML pages and as flat text: a flat-text page is first cleaned with the corpus evidence stored
before it, and cleaned again with all of it once the server is idle (`storyline.pipeline.reclean`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from storyline.serve import ServeConfig
from storyline.settings import Settings
from storyline.stories import StoryConfig

from .conftest import LiveServer
from .corpus import as_html, make_corpus
from .partitions import partitions, wait_settled


def _post_all(url: str, batches: list[list[dict[str, Any]]], clients: int) -> None:
    def post(batch: list[dict[str, Any]]) -> None:
        with httpx.Client(base_url=url, timeout=120) as c:
            response = c.post("/api/articles", json={"articles": batch})
            response.raise_for_status()
            assert all(r["status"] == "ok" for r in response.json()["results"]), response.text

    if clients == 1:
        for batch in batches:
            post(batch)
    else:
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(post, batches))
    wait_settled(url)


def _as_text(row: dict[str, Any]) -> dict[str, Any]:
    return row


@pytest.mark.parametrize("page", [as_html, _as_text], ids=["html", "flat-text"])
def test_twenty_clients_equal_one_client_in_order(
    tmp_path: Path, page: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    rows = [page(r) for r in make_corpus(240, seed=3)]
    batches = [rows[i : i + 4] for i in range(0, len(rows), 4)]
    results = {}
    for name, clients, order in (("sequential", 1, batches), ("concurrent", 20, batches[::-1])):
        # tiny posting lists, so that the story index's candidates would depend on arrival order
        stories = StoryConfig(max_postings=6)
        config = ServeConfig(
            db=str(tmp_path / f"{name}.db"), revise_after=0.1, settings=Settings(stories=stories)
        )
        with LiveServer(config) as server:
            _post_all(server.url, order, clients)
        results[name] = partitions(tmp_path / f"{name}.db")
    seq_groups, seq_stories = results["sequential"]
    con_groups, con_stories = results["concurrent"]
    assert sum(len(g) for g in seq_groups) == len(rows)
    assert any(len(g) > 1 for g in seq_groups), "the corpus has copies"
    assert len(seq_stories) < len(seq_groups), "the corpus has stories of several copy groups"
    assert con_groups == seq_groups
    assert con_stories == seq_stories
