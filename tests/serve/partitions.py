"""Read a store's copy groups and stories as partitions (sets of sets of article ids), to compare stores
whose group and story ids may differ."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from storyline.store import Store

Partition = frozenset[frozenset[str]]


def partitions(db: Path) -> tuple[Partition, Partition]:
    """(copy groups, stories) of the store at `db`, singletons included."""
    with Store(db) as store:
        ids = store.article_ids()
        groups, stories = store.groups_of(ids), store.stories_of(ids)
    return _partition(groups, ids), _partition(stories, ids)


def _partition(labels: dict[str, str], ids: list[str]) -> Partition:
    blocks: dict[str, set[str]] = {}
    for aid in ids:
        blocks.setdefault(labels.get(aid, "unassigned:" + aid), set()).add(aid)
    return frozenset(frozenset(b) for b in blocks.values())


def wait_settled(base_url: str, timeout: float = 120) -> None:
    """Wait until the server's writer is idle and its stories have had their full revision."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = httpx.get(base_url + "/api/status", timeout=30).json()
        if not state["busy"] and not state["revision_pending"] and not state["queued"]:
            return
        time.sleep(0.1)
    raise TimeoutError("the server did not settle")
