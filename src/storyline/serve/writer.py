"""The service's single writer: posted items are queued, merged and run through the pipeline in turn.

SQLite takes one writer at a time, and the pipeline's stores (copy links, story index snapshot) assume
one run at a time, so every write goes through this one thread. Requests that arrive while a call is
running are merged into the next call (group commit), which keeps throughput up under many clients.

Why concurrent posting ends like sequential posting: each call regroups only the neighbourhood of its
articles and places them in stories online, both of which depend on order; once the writer has been idle
for `revise_after` seconds the copy groups of everything posted since are settled (average link over
their whole link components, a function of the stored links), flat-text pages are cleaned again with
all the corpus evidence, and the stories are rebuilt from the stored set (`rebuild_stories`). Until then
a copy group or story id returned by a POST is provisional; ``GET /api/status`` says whether a rebuild
is pending.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from storyline.model import RawItem, Rejection
from storyline.pipeline import Outcome, Pipeline
from storyline.pipeline.reclean import reclean
from storyline.pipeline.run import Started
from storyline.pipeline.storying import rebuild_stories
from storyline.settings import Settings
from storyline.store import Store, WriterLock
from storyline.store.browse import SearchIndex

__all__ = ["Posted", "StoreFailure", "Writer", "Writes", "fallback_id"]

log = logging.getLogger("storyline.serve")
#: After a failed story revision the next waits twice as long, up to this (seconds), so a revision
#: that keeps failing does not fill the log every half second.
_MAX_REVISE_WAIT = 300.0


class StoreFailure(Exception):
    """The store could not be written (disk full, I/O error); the request is refused as a whole."""


@dataclass(frozen=True, slots=True)
class Posted:
    """What became of one posted item: the pipeline outcome plus its copy group and (current) story."""

    outcome: Outcome
    copy_group: str | None
    story: str | None


@dataclass(slots=True)
class _Job:
    items: Sequence[RawItem | Rejection]
    future: Future[list[Posted]] = field(default_factory=Future)


@dataclass(slots=True)
class _Call:
    """Merged jobs run as one pipeline call; `revise` when one of them asks for a story revision."""

    jobs: list[_Job]
    items: list[RawItem | Rejection]
    revise: bool = False
    started: Started | None = None
    error: Exception | None = None


@contextmanager
def _writing() -> Iterator[None]:
    """What the store raises when it cannot be written (disk full, I/O error, store locked), as a
    StoreFailure: the request is refused as a whole, not retried item by item."""
    try:
        yield
    except (sqlite3.OperationalError, OSError) as exc:
        raise StoreFailure(f"the store cannot be written: {exc}") from exc


def fallback_id(content: str) -> str:
    """The id of a posted item that brings none: a hash of its content, so reposting it is idempotent."""
    return "post-" + hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class Writes(Protocol):
    """What the web process asks of the writer: :class:`Writer` in a thread, or in a process of its own
    (:class:`~storyline.serve.writer_process.WriterProcess`)."""

    def submit(self, items: Sequence[RawItem | Rejection]) -> Future[list[Posted]]: ...

    def pending(self) -> dict[str, int | bool]: ...

    def revise_now(self) -> Future[list[Posted]]: ...

    def close(self) -> None: ...


class Writer:
    """Owns the write connection; `submit` from any thread, `close` to drain and stop.

    `max_items` caps how many queued items one pipeline call takes; `revise_after` is the idle time
    (seconds) after which stories are fully revised (0 disables it).
    """

    def __init__(self, db: str, settings: Settings, max_items: int = 2000, revise_after: float = 0.5) -> None:
        self.settings, self.max_items, self.revise_after = settings, max_items, revise_after
        self._lock = WriterLock(db, "storyline serve").acquire(wait=0)
        try:
            self._store = Store(db)
        except BaseException:
            self._lock.release()
            raise
        self._pipeline = Pipeline(self._store, settings)
        self._search = SearchIndex(self._store)
        self._search.catch_up()
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._dirty = False
        self._revise_wait = revise_after
        self._busy = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="storyline-writer", daemon=True)
        self._thread.start()

    def submit(self, items: Sequence[RawItem | Rejection]) -> Future[list[Posted]]:
        job = _Job(items)
        self._busy.set()
        self._queue.put(job)
        return job.future

    def pending(self) -> dict[str, int | bool]:
        """Queued requests and whether stories still await their full revision."""
        return {"queued": self._queue.qsize(), "busy": self._busy.is_set(), "revision_pending": self._dirty}

    def revise_now(self) -> Future[list[Posted]]:
        """Queue a story rebuild; the future resolves once it is done (an empty job asks for it)."""
        return self.submit([])

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._pipeline.close()
        self._store.close()
        self._lock.release()

    def _loop(self) -> None:
        while True:
            timeout = self._revise_wait if self._dirty and self.revise_after > 0 else None
            try:
                first = self._queue.get(timeout=timeout)
            except queue.Empty:
                self._revise()
                continue
            if first is None:
                return
            self._serve(self._drain(first))
            if self._queue.empty() and not self._dirty:
                self._busy.clear()

    def _drain(self, first: _Job | None = None) -> list[_Job]:
        """`first` and the jobs queued behind it, up to `max_items` items (none without `first` when
        the queue is empty); a stop signal is left in the queue for the loop."""
        jobs, size = ([first], len(first.items)) if first is not None else ([], 0)
        while size < self.max_items:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._queue.put(None)
                break
            jobs.append(job)
            size += len(job.items)
        return jobs

    def _serve(self, jobs: list[_Job]) -> None:
        """Run merged jobs call after call while requests keep coming. Once a call is cleaned, the jobs
        queued meanwhile are started as the next call, so the workers clean it while this thread
        commits the one before (`Pipeline.start`); every future is resolved, whatever happens, and the
        writer thread lives on."""
        call: _Call | None = self._start(jobs)
        while call is not None:
            following: _Call | None = None
            if call.started is not None and not call.revise:
                try:
                    self._pipeline.cleaned(call.started)
                except Exception as exc:  # retried item by item in _finish
                    call.error = exc
                else:
                    more = self._drain()
                    following = self._start(more) if more else None
            call = self._finish(call, following)

    def _start(self, jobs: list[_Job]) -> _Call:
        items = [item for job in jobs for item in job.items]
        self._dirty = self._dirty or bool(items)
        call = _Call(jobs, items, revise=any(not job.items for job in jobs))
        if items:
            try:
                with _writing():
                    call.started = self._pipeline.start(items)
            except Exception as exc:  # answered in _finish
                call.error = exc
        return call

    def _finish(self, call: _Call, following: _Call | None) -> _Call | None:
        """Store `call` and answer its requests; return `following` (the call started after it), started
        again if `call` failed, since its triage took this one's items as stored."""
        posted: list[Posted] | None
        try:
            posted = self._complete(call)
        except Exception as exc:
            if following is not None and following.started is not None:
                self._pipeline.abandon(following.started)
                following = _Call(following.jobs, following.items, following.revise)
            posted = self._recover(call, exc)
            if following is not None:
                following = self._start(following.jobs)
        if posted is not None:
            if call.revise:  # an explicit revision request (POST /api/revise)
                self._revise()
            start = 0
            for job in call.jobs:
                job.future.set_result(posted[start : start + len(job.items)])
                start += len(job.items)
        return following

    def _complete(self, call: _Call) -> list[Posted]:
        if call.error is not None:
            if call.started is not None:
                self._pipeline.abandon(call.started)
            raise call.error
        if call.started is None:
            return []
        with _writing():
            outcomes = self._pipeline.complete(call.started)
            self._search.catch_up()
        return self._describe(outcomes)

    def _recover(self, call: _Call, exc: Exception) -> list[Posted] | None:
        """After a failed call: its items one by one, so that an item that breaks the pipeline fails
        alone; None when the store cannot be written (every request of the call gets the error)."""
        error = exc
        if not isinstance(error, StoreFailure):
            log.exception("a pipeline call of %d items failed; running them one by one", len(call.items))
            try:
                return self._isolated(call.items)
            except Exception as again:  # every future must be resolved
                if not isinstance(again, StoreFailure):
                    log.exception("running %d items one by one failed", len(call.items))
                error = again
        for job in call.jobs:
            job.future.set_exception(error)
        return None

    def _process(self, items: Sequence[RawItem | Rejection]) -> list[Posted]:
        """One call, started and completed at once."""
        call = _Call([], list(items))
        with _writing():
            call.started = self._pipeline.start(items)
        return self._complete(call)

    def _isolated(self, items: Sequence[RawItem | Rejection]) -> list[Posted]:
        """Each item through the pipeline on its own, so that an item that breaks it fails alone, as a
        rejection with a reference into the log, and the items posted beside it are not lost."""
        posted: list[Posted] = []
        for item in items:
            try:
                posted += self._process([item])
            except StoreFailure:
                raise
            except Exception:
                reference = secrets.token_hex(4)
                log.exception("item from %s failed (reference %s)", item.source, reference)
                reason = f"internal error while processing this item (server log reference {reference})"
                rejection = Rejection(item.id, item.source, reason, "failed")
                with self._store.transaction():
                    self._store.add_rejection(rejection)
                outcome = Outcome(rejection.id, rejection.source, "rejected", reason, kind="failed")
                posted.append(Posted(outcome, None, None))
        return posted

    def _describe(self, outcomes: list[Outcome]) -> list[Posted]:
        ids = [o.id for o in outcomes if o.status == "ok" and o.id is not None]
        groups, stories = self._store.groups_of(ids), self._store.stories_of(ids)
        for article in set(ids) - set(stories):
            # a new copy of a group that a rebuild placed: its story is the group's story
            known = self._store.stories_of(self._store.members([groups.get(article, "")]))
            if known:
                stories[article] = min(known.values())
        return [
            Posted(o, groups.get(o.id or ""), stories.get(o.id or ""))
            if o.status == "ok"
            else Posted(o, None, None)
            for o in outcomes
        ]

    def _revise(self) -> None:
        """Make the copy groups exact (each call regrouped only its neighbourhood), clean flat-text
        articles again with all stored evidence, then rebuild the stories from every stored article, so
        the result does not depend on posting order; a failure is logged and retried when next idle."""
        try:
            try:
                self._pipeline.settle_groups()
                reclean(self._store, self.settings, self._store.flat_text_ids())
                rebuild_stories(self._store, self.settings.stories)
            finally:
                self._pipeline.forget_stories()  # both rewrite what the open story index reflects
        except Exception as exc:
            if self._revise_wait <= self.revise_after:
                log.exception("story revision failed; it is retried when the writer is next idle")
            else:
                log.warning("story revision failed again (%s: %s)", type(exc).__name__, exc)
            self._revise_wait = min(_MAX_REVISE_WAIT, max(self._revise_wait, 0.5) * 2)
            return
        self._revise_wait = self.revise_after
        self._dirty = False
        if self._queue.empty():
            self._busy.clear()
