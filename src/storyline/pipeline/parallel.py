"""Clean a batch on several processes (the same processes read story terms ahead of the index).

Cleaning is the slow stage (HTML extraction takes tens of milliseconds a page; flat text a few) and a
pure function of one item and the batch's evidence, so a batch is split into chunks that worker processes
clean while the parent waits; results come back in input order, identical to cleaning inline.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from storyline.clean.article import clean_item
from storyline.clean.html import HtmlConfig
from storyline.clean.lines import LineEvidence
from storyline.clean.text import TextCleanConfig
from storyline.model import Article, RawItem, Rejection

__all__ = ["CleanPool"]

Cleaned = Article | Rejection


def _clean_chunk(
    items: Sequence[RawItem],
    evidence: LineEvidence | None,
    html: HtmlConfig,
    text: TextCleanConfig,
    min_words: int,
) -> list[Cleaned]:
    return [clean_item(item, evidence, html, text, min_words) for item in items]


class CleanPool:
    """Cleans batches inline, or on `workers` processes once a batch has `min_items` items or more.

    The processes start on first use (forkserver, so no lock or thread of the parent is inherited) and
    live until :meth:`close`; use the pool as a context manager.
    """

    def __init__(self, workers: int, min_items: int = 32) -> None:
        self.workers, self.min_items = max(1, workers), min_items
        self._executor: Executor | None = None

    def __enter__(self) -> CleanPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def executor_for(self, count: int) -> Executor | None:
        """The worker processes, started if need be, when ``count`` items are worth sending to them."""
        if self.workers == 1 or count < self.min_items:
            return None
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor

    def clean(
        self,
        items: Sequence[RawItem],
        evidence: LineEvidence | None,
        html: HtmlConfig,
        text: TextCleanConfig,
        min_words: int,
    ) -> list[Cleaned]:
        """`clean_item` for every item, in order."""
        executor = self.executor_for(len(items))
        if executor is None:
            return _clean_chunk(items, evidence, html, text, min_words)
        size = -(-len(items) // (self.workers * 2))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [executor.submit(_clean_chunk, c, evidence, html, text, min_words) for c in chunks]
        return [result for future in futures for result in future.result()]
