"""Labelled story sets for calibration and the story benchmarks, and the product path over them.

- ECB+ dev (topics 1-35; every topic two look-alike events; no titles, no times);
- webnews-dev: real pages of 20 events in 10 look-alike pairs and 40 one-article distractors, fed as a
  user would (text and url only; or with titles and publication times a few hours to two days after
  the event, drawn from a seed), cleaned by ``storyline run``; the index holds one article per gold
  copy group, so calibration does not depend on how well copies are found today;
- a dense wire window: Reuters-21578 reports of one month with their own dates, one per copy group
  (as ``storyline run`` places them); no gold events, but a report whose title names a ticker
  (``<DF>``) is about that company, and reports about different companies are different events.

Every set carries a CV unit per record: ECB+ topics, webnews look-alike pairs (both events together)
and distractors, so that cross-validation holds out whole confusable groups.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from storyline.pipeline import run
from storyline.pipeline.storying import story_record
from storyline.settings import Settings
from storyline.store import Store
from storyline.stories import StoryRecord

Row = dict[str, Any]
TICKER = re.compile(r"<([A-Z][A-Z0-9.]*)>")


@dataclass(frozen=True, slots=True)
class Labelled:
    """Records the story index holds, each with its gold event (None: unknown), CV unit, the number of
    articles it stands for (its copy group) and its subject (a wire report's ticker, else None)."""

    name: str
    records: list[StoryRecord]
    events: list[str | None]
    units: list[str]
    sizes: list[int]
    subjects: list[str | None]

    def expanded(self, labels: Sequence[object]) -> tuple[list[object], list[object], list[str]]:
        """Gold, predicted label and unit per *article* (each record repeated by its size)."""
        gold, pred, units = [], [], []
        for event, label, unit, size in zip(self.events, labels, self.units, self.sizes, strict=True):
            gold += [event] * size
            pred += [label] * size
            units += [unit] * size
        return gold, pred, units


def read_jsonl(path: Path) -> list[Row]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_ecb(data: Path) -> Labelled:
    """ECB+ dev rows as records: no title, no publication time (ECB+ has neither)."""
    rows = read_jsonl(data / "ecbplus" / "ecbplus-dev.jsonl.gz")
    return Labelled(
        "ECB+ dev",
        [StoryRecord(r["id"], None, r["text"]) for r in rows],
        [r["event"] for r in rows],
        [f"topic {r['topic']}" for r in rows],
        [1] * len(rows),
        [None] * len(rows),
    )


def webnews_rows(data: Path) -> list[Row]:
    return read_jsonl(data / "webnews-dev" / "webnews-dev.jsonl")


def publication_times(rows: Iterable[Row], seed: int = 0) -> dict[str, datetime]:
    """A realistic feed's publication time per page: 3 to 48 hours after its event's date."""
    rnd = random.Random(seed)
    return {
        r["id"]: datetime.fromisoformat(r["event_date"]) + timedelta(hours=rnd.uniform(3.0, 48.0))
        for r in rows
    }


def webnews_feed(rows: Sequence[Row], dated: bool, seed: int = 0) -> list[Row]:
    """What a user feeds ``storyline run``: id, url and text; with ``dated`` the title and a time too."""
    times = publication_times(rows, seed)
    out = []
    for r in rows:
        item = {"id": r["id"], "url": r["url"], "text": r["text"]}
        if dated:
            item |= {"title": r["title"], "published": times[r["id"]].isoformat()}
        out.append(item)
    return out


def webnews_unit(row: Row) -> str:
    """A look-alike pair is one unit (both events held out together); a distractor is its own."""
    return "+".join(sorted(filter(None, (row["event"], row["hard_negative_of"]))))


def run_pipeline(
    items: Sequence[Row], settings: Settings | None = None
) -> tuple[dict[str, StoryRecord], dict[str, str], dict[str, str]]:
    """``storyline run`` over ``items`` in a fresh store: the story record of every stored article,
    its copy group and its story."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
        with Store(Path(tmp) / "store.db") as store:
            ok = [o.id for o in run([path], store, settings) if o.status == "ok" and o.id]
            records = {}
            for i in ok:
                article = store.article(i)
                if article is not None:
                    records[i] = story_record(article)
            return records, store.groups_of(ok), store.stories_of(ok)


def load_webnews(data: Path, dated: bool, seed: int = 0) -> Labelled:
    """webnews-dev through the pipeline's cleaning, one record per gold copy group (its first page).

    Undated means text and url only: the publication time the cleaner may guess from the text is
    dropped too, so the set measures the content model alone.
    """
    rows = webnews_rows(data)
    records, _, _ = run_pipeline(webnews_feed(rows, dated, seed))
    first: dict[str, Row] = {}
    sizes: dict[str, int] = {}
    for r in rows:
        first.setdefault(r["copy_group"], r)
        sizes[r["copy_group"]] = sizes.get(r["copy_group"], 0) + 1
    reps = [r for r in first.values() if r["id"] in records]
    chosen = [records[r["id"]] for r in reps]
    if not dated:
        chosen = [StoryRecord(c.id, c.title, c.text, None, c.url) for c in chosen]
    return Labelled(
        f"webnews-dev {'titles+dates' if dated else 'text+url'}",
        chosen,
        [r["event"] for r in reps],
        [webnews_unit(r) for r in reps],
        [sizes[r["copy_group"]] for r in reps],
        [None] * len(reps),
    )


def reuters_rows(data: Path) -> list[Row]:
    """Reuters-21578 as a feed: title, body and the report's own date."""
    out = []
    for r in read_jsonl(data / "reuters21578" / "reuters21578.jsonl.gz"):
        try:
            when: str | None = datetime.strptime(r["date"].split()[0], "%d-%b-%Y").isoformat()
        except (ValueError, IndexError, KeyError):
            when = None
        out.append(
            {
                "id": f"r{r['newid']}",
                "title": r.get("title") or "",
                "text": r.get("body") or "",
                "published": when,
            }
        )
    return out


def ticker(title: str | None) -> str | None:
    """The company a wire title is about: its one ticker (``<DF>``); None for none or several."""
    found = TICKER.findall(title or "")
    return found[0] if len(found) == 1 else None


def load_wire_window(data: Path, month: str = "1987-06") -> Labelled:
    """Reuters-21578 reports of one month through the pipeline, one record per copy group."""
    rows = [r for r in reuters_rows(data) if (r["published"] or "").startswith(month)]
    records, groups, _ = run_pipeline(rows)
    title = {r["id"]: r["title"] for r in rows}
    first: dict[str, str] = {}
    for r in rows:
        if r["id"] in records:
            first.setdefault(groups[r["id"]], r["id"])
    reps = list(first.values())
    return Labelled(
        f"Reuters-21578 {month}",
        [records[i] for i in reps],
        [None] * len(reps),
        ["wire"] * len(reps),
        [1] * len(reps),
        [ticker(title[i]) for i in reps],
    )


def mixed_share(subjects: Sequence[str | None], stories: Sequence[object], most: int = 2) -> float:
    """Share of reports with a subject that sit in a story whose reports name more than ``most``
    different subjects (companies)."""
    names: dict[object, set[str]] = {}
    for subject, story in zip(subjects, stories, strict=True):
        if subject is not None:
            names.setdefault(story, set()).add(subject)
    counted = [story for subject, story in zip(subjects, stories, strict=True) if subject is not None]
    if not counted:
        return 0.0
    return sum(1 for story in counted if len(names[story]) > most) / len(counted)
