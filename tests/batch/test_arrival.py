"""The Ray engine numbers articles for its copy stage in the order the driver's pipeline will store
them (`ray_engine.arrival`); the pipeline's own triage decides that order. If the two rules drifted
apart, the driver would be handed links computed for another order: this test ties them, without Ray."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.batch.ray_engine import arrival, item_key
from storyline.evaluate.faults import write_news
from storyline.ingest import iter_inputs
from storyline.ingest.validate import check_item
from storyline.model import RawItem
from storyline.pipeline import run
from storyline.pipeline.steps import clean_step
from storyline.settings import Settings
from storyline.store import Store


def test_arrival_is_the_order_the_pipeline_stores_articles_in(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    write_news(corpus, 40, copy_every=4)
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    rows.insert(5, dict(rows[12]))  # an id seen again later with the same content: already taken
    rows.insert(20, {**rows[3], "text": rows[3]["text"] + " A different ending."})  # an id clash
    rows.insert(9, {"id": "blank", "text": "Too short."})  # cleaning rejects it
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    settings = Settings(batch_size=7, workers=1)

    with Store(tmp_path / "s.db") as store:
        outcomes = list(run([corpus], store, settings))
        stored = store.ids_after(0)
    assert {o.status for o in outcomes} == {"ok", "rejected"} and len(outcomes) == len(rows)

    items = [check_item(i) if isinstance(i, RawItem) else i for i in iter_inputs([corpus], settings.ingest)]
    raw = [i for i in items if isinstance(i, RawItem)]
    results = clean_step(raw, None, settings)
    cleaned = {item_key(item): result for item, result in zip(raw, results, strict=True)}
    assert [a.id for a in arrival(raw, cleaned)] == stored
    assert "blank" not in stored and len(stored) == 40
