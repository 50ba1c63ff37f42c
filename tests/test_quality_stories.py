"""Quality gate for stories on the product path: `storyline run` over ECB+ dev, BCubed against gold events.

ECB+ pairs two look-alike events in every topic, so merging them costs precision here. The defaults were
calibrated on this set, so the floor guards against regressions; held-out figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

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
