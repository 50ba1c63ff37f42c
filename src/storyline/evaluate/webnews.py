"""The webnews-dev set: real news pages from 244 sites, labelled with copy groups and events.

Pages are the beginnings (up to ~2,000 characters) of real pages as collected, menus and captions
included. ``copy_group`` joins reposts of one wire story or press release; ``event`` joins pages about
one real-world event, in ten look-alike pairs (two cyclones hitting Mozambique six weeks apart, two
Super Bowls) plus one-article distractors. See the set's README for its conventions.

Feeds: a user's feed carries text and url at least (``plain``); a richer one titles and publication
times (``dated``). The set has no publication time, so the dated feed gives each page one a few hours
to two days after its event's date, drawn deterministically from the page id and a seed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from storyline.evaluate.copysets import default_data_dir

__all__ = ["Feed", "WebPage", "event_folds", "feed_rows", "load_webnews", "webnews_path"]

Feed = Literal["plain", "dated"]


@dataclass(frozen=True, slots=True)
class WebPage:
    """One labelled page of webnews-dev."""

    id: str
    url: str
    site: str
    title: str
    text: str
    event: str
    event_date: str
    copy_group: str
    hard_negative_of: str


def webnews_path(data_dir: Path | None = None) -> Path:
    """Where the set's JSONL file is."""
    return (data_dir or default_data_dir()) / "webnews-dev" / "webnews-dev.jsonl"


def load_webnews(data_dir: Path | None = None) -> list[WebPage]:
    """Every page of the set, in file order."""
    pages = []
    with webnews_path(data_dir).open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            pages.append(WebPage(**{name: row.get(name) or "" for name in WebPage.__slots__}))
    return pages


def event_folds(pages: Sequence[WebPage]) -> dict[str, int]:
    """Cross-validation fold of each page: one fold per look-alike pair of events, so a model is always
    judged on events (and their look-alikes) it never saw; distractor pages are spread over the folds."""
    pair_of = {p.id: "|".join(sorted((p.event, p.hard_negative_of))) for p in pages if p.hard_negative_of}
    names = sorted(set(pair_of.values()))
    folds = {}
    for page in pages:
        if page.id in pair_of:
            folds[page.id] = names.index(pair_of[page.id])
        else:
            digest = hashlib.blake2b(page.id.encode(), digest_size=4).digest()
            folds[page.id] = int.from_bytes(digest, "little") % len(names)
    return folds


def _published(page: WebPage, seed: int) -> str:
    digest = hashlib.blake2b(f"{seed}:{page.id}".encode(), digest_size=8).digest()
    hours = 3 + int.from_bytes(digest, "little") % (45 * 60) / 60
    day = datetime.fromisoformat(page.event_date).replace(tzinfo=UTC)
    return (day + timedelta(hours=hours)).isoformat()


def feed_rows(pages: Sequence[WebPage], feed: Feed, seed: int = 0) -> list[dict[str, Any]]:
    """Input rows for ``storyline run`` (JSONL fields): text and url, plus title and published if dated."""
    rows = []
    for page in pages:
        row: dict[str, Any] = {"id": page.id, "text": page.text, "url": page.url}
        if feed == "dated":
            row.update(title=page.title, published=_published(page, seed))
        rows.append(row)
    return rows
