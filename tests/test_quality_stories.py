"""Quality gates for stories on the product path: `storyline run` over ECB+ dev and webnews-dev, BCubed
against gold events.

ECB+ pairs two look-alike events in every topic, webnews-dev ten pairs of look-alike real events among
one-article distractors, so merging them costs precision here. The defaults were calibrated on these
sets, so the floors guard against regressions; held-out figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storyline.evaluate.metrics import bcubed
from storyline.pipeline import run
from storyline.store import Store

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))


def test_stories_of_ecb_dev_through_the_pipeline(shared_data: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "ecb.jsonl"
    with gzip.open(shared_data / "ecbplus" / "ecbplus-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ok = [o.id for o in run([corpus], store) if o.status == "ok" and o.id]
        stories = store.stories_of(ok)
    gold = {r["id"]: r["event"] for r in rows}
    score = bcubed([gold[i] for i in ok], [stories[i] for i in ok])
    assert len(ok) >= len(rows) - 2
    assert score.f1 >= FLOORS["stories_ecb_pipeline_bcubed_f1"], score


def test_seeds_are_one_story_of_three_copy_groups(shared_data: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ids = [o.id for o in run([shared_data / "seeds"], store) if o.id]
        stories = store.stories_of(ids)
        groups = store.groups_of(ids)
    assert len(ids) == 4 and len(set(stories.values())) == 1 and len(set(groups.values())) == 3


def _webnews_feed(rows: list[dict[str, str]], dated: bool) -> list[dict[str, str]]:
    """Pages as a user feeds them: text and url; dated, also the title and a time 3-48 h after the event."""
    rnd = random.Random(0)
    out = []
    for r in rows:
        item = {"id": r["id"], "url": r["url"], "text": r["text"]}
        hours = rnd.uniform(3.0, 48.0)
        if dated:
            when = datetime.fromisoformat(r["event_date"]) + timedelta(hours=hours)
            item |= {"title": r["title"], "published": when.isoformat()}
        out.append(item)
    return out


@pytest.mark.parametrize(
    ("dated", "floor"),
    [(False, "stories_webnews_text_url_bcubed_f1"), (True, "stories_webnews_dated_bcubed_f1")],
)
def test_stories_of_webnews_dev_through_the_pipeline(
    shared_data: Path, tmp_path: Path, dated: bool, floor: str
) -> None:
    """Real pages of look-alike event pairs and one-article distractors (the calibration data: the floor
    guards regressions; held-out figures are in BENCHMARKS.md)."""
    path = shared_data / "webnews-dev" / "webnews-dev.jsonl"
    if not path.is_file():
        pytest.skip(f"webnews-dev not found at {path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = tmp_path / "webnews.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in _webnews_feed(rows, dated)), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ok = [o.id for o in run([corpus], store) if o.status == "ok" and o.id]
        stories = store.stories_of(ok)
    gold = {r["id"]: r["event"] for r in rows}
    score = bcubed([gold[i] for i in ok], [stories[i] for i in ok])
    assert len(ok) == len(rows)
    assert score.f1 >= FLOORS[floor], score
