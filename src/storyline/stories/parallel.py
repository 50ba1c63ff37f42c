"""Term extraction ahead of the index, on other processes.

Adding an article to the index is sequential (each placement depends on the ones before), but reading
its event evidence (:func:`extract_terms`) is a pure function of the article and about 40% of the cost
of an addition. Streaming it from worker processes lets the index place article *n* while a worker
reads articles *n+1...*: on 2 cores that is the difference between about 700 and over 1,000 articles a
second with 100k stored (``benchmarks/stories_speed.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Executor

from storyline.stories.features import StoryRecord, Terms, extract_terms

__all__ = ["stream_terms"]


def _terms_of(records: Sequence[StoryRecord]) -> list[Terms]:
    return [extract_terms(r) for r in records]


def stream_terms(
    records: Sequence[StoryRecord], executor: Executor | None = None, chunk: int = 64
) -> Iterator[Terms]:
    """:func:`extract_terms` of every record, in order; with ``executor`` (processes) the chunks are
    all submitted at once and read back in order, so extraction runs ahead of the caller."""
    if executor is None:
        yield from map(extract_terms, records)
        return
    futures = [executor.submit(_terms_of, records[i : i + chunk]) for i in range(0, len(records), chunk)]
    try:
        for future in futures:
            yield from future.result()
    finally:
        for future in futures:
            future.cancel()
