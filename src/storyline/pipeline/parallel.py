"""The executor of the pipeline's parallel steps: inline, or a pool of worker processes.

A parallel step is a pure function of a chunk of items and the batch's side inputs (the corpus line
evidence, the stage configurations) that returns one result per item. :meth:`Workers.submit` splits a
batch into chunks, sends them to the worker processes and returns at once; the driver commits the
batch before while they work, and :meth:`Pending.result` gives the results back in input order,
identical to running the step inline. Nothing a step does touches the store, so any executor (this pool
today, Ray later) can run it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import forkserver
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Executor", "Pending", "Workers"]

T = TypeVar("T")
R = TypeVar("R")
Step = Callable[..., list[R]]


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


class Pending(Generic[R]):
    """The results of one submitted step, in input order; run inline on first :meth:`result` when the
    batch was too small for the pool."""

    def __init__(
        self, futures: Sequence[Future[list[R]]] = (), inline: Callable[[], list[R]] | None = None
    ) -> None:
        self._futures, self._inline = futures, inline

    def result(self) -> list[R]:
        if self._inline is not None:
            return self._inline()
        try:
            return [result for future in self._futures for result in future.result()]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Cancel the chunks not yet begun (the results are no longer wanted)."""
        for future in self._futures:
            future.cancel()


class Executor(Protocol):
    """What the pipeline needs of an executor: :class:`Workers`, or one that answers the steps from
    results computed elsewhere (the Ray engine's stage outputs, :mod:`storyline.batch.ray_engine`)."""

    def submit(self, step: Step[R], items: Sequence[Any], *side: Any) -> Pending[R]: ...

    def close(self) -> None: ...


class Workers:
    """Runs steps inline, or on `workers` processes once a batch has `min_items` items or more.

    The processes start on first use (forkserver, so no lock or thread of the parent is inherited) and
    live until :meth:`close`; use the pool as a context manager. `preload` names the modules the fork
    server imports once, before it forks the workers; it starts at once, so it imports them while the
    driver reads its inputs (else every worker imports them on its first chunk: half a second each, a
    tenth of a run of a few hundred pages).
    """

    def __init__(self, workers: int, min_items: int = 32, preload: Sequence[str] = ()) -> None:
        self.workers, self.min_items, self.preload = max(1, workers), min_items, tuple(preload)
        if self.workers > 1 and self.preload:  # the fork server imports them while the driver reads
            multiprocessing.get_context("forkserver").set_forkserver_preload(list(self.preload))
            forkserver.ensure_running()
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_exit_with,
                initargs=(os.getpid(),),
            )
        return self._executor

    def submit(self, step: Step[R], items: Sequence[Any], *side: Any) -> Pending[R]:
        """``step(chunk, *side)`` over chunks of `items` (two per worker, so that a slow chunk does not
        leave a worker idle); `step` must be a module-level function, as the processes import it."""
        if self.workers == 1 or len(items) < self.min_items:
            return Pending(inline=lambda: step(items, *side))
        size = -(-len(items) // (self.workers * 2))
        pool = self._pool()
        return Pending([pool.submit(step, items[i : i + size], *side) for i in range(0, len(items), size)])
