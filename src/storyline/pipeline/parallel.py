"""Clean a batch on several processes (the same processes read story terms ahead of the index).

Cleaning is the slow stage (HTML extraction takes tens of milliseconds a page; flat text a few) and a
pure function of one item and the batch's evidence, so a batch is split into chunks that worker processes
clean while the parent waits; results come back in input order, identical to cleaning inline.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from storyline.clean.article import clean_item
from storyline.clean.dates import DateConfig
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
    dates: DateConfig,
) -> list[Cleaned]:
    return [clean_item(item, evidence, html, text, min_words, dates) for item in items]


def _exit_with(parent: int) -> None:
    """Worker initializer: end the worker once the process that started the pool is gone.

    A run killed with SIGKILL cannot shut its pool down, and the workers (with the forkserver, which
    exits after them) would otherwise wait for work forever.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                continue

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


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
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_exit_with,
                initargs=(os.getpid(),),
            )
        return self._executor

    def clean(
        self,
        items: Sequence[RawItem],
        evidence: LineEvidence | None,
        html: HtmlConfig,
        text: TextCleanConfig,
        min_words: int,
        dates: DateConfig | None = None,
    ) -> list[Cleaned]:
        """`clean_item` for every item, in order."""
        dates = dates or DateConfig()
        executor = self.executor_for(len(items))
        if executor is None:
            return _clean_chunk(items, evidence, html, text, min_words, dates)
        size = -(-len(items) // (self.workers * 2))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [executor.submit(_clean_chunk, c, evidence, html, text, min_words, dates) for c in chunks]
        return [result for future in futures for result in future.result()]
