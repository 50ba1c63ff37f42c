"""Terms read and revisions scored on worker processes are those of inline runs: the same stories."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from storyline.pipeline.parallel import Workers
from storyline.stories import StoryIndex, StoryRecord, extract_terms
from storyline.stories.parallel import stream_terms


def test_worker_terms_and_stories_equal_inline(quakes: list[StoryRecord]) -> None:
    records = quakes * 3  # more records than one chunk of 4, so order across chunks is checked
    records = [StoryRecord(f"{r.id}-{i}", r.title, r.text, r.published) for i, r in enumerate(records)]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as executor:
        streamed = list(stream_terms(records, executor, chunk=4))
        parallel = StoryIndex()
        placed = parallel.add_many(records, executor)
    assert streamed == [extract_terms(r) for r in records]
    inline = StoryIndex()
    assert placed == [inline.add(r) for r in records]
    assert parallel.stories() == inline.stories()


def test_a_revision_scored_on_the_workers_equals_one_scored_inline(ecb_path: Path) -> None:
    with gzip.open(ecb_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:600]
    start = datetime(2020, 1, 1)
    index = StoryIndex()
    for i, r in enumerate(rows):  # three chunks of scoring, spread over the processes
        index.add(StoryRecord(r["id"], None, r["text"], start + timedelta(days=(i * 7) % 150)), place=False)
    twin = pickle.loads(pickle.dumps(index))
    with Workers(2, min_items=1) as workers:
        index.revise(mapper=lambda step, items, *side: workers.submit(step, items, *side).result())
    twin.revise()
    assert index.scored_pairs() == twin.scored_pairs()
    assert index.stories() == twin.stories()
    assert len(index.stories()) < len(rows)
