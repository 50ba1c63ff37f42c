"""Terms read on worker processes are the terms read inline, and the index places the same stories."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

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
