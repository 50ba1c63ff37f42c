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
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from storyline.model import RawItem, Rejection
from storyline.pipeline import Outcome, Pipeline
from storyline.pipeline.reclean import reclean
from storyline.pipeline.storying import rebuild_stories
from storyline.settings import Settings
from storyline.store import Store, WriterLock
from storyline.store.browse import SearchIndex

__all__ = ["Posted", "StoreFailure", "Writer", "fallback_id"]

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


def fallback_id(content: str) -> str:
    """The id of a posted item that brings none: a hash of its content, so reposting it is idempotent."""
    return "post-" + hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


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
            jobs = self._drain(first)
            self._run(jobs)
            if self._queue.empty() and not self._dirty:
                self._busy.clear()

    def _drain(self, first: _Job) -> list[_Job]:
        jobs, size = [first], len(first.items)
        while size < self.max_items:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:  # keep the stop signal for the loop
                self._queue.put(None)
                break
            jobs.append(job)
            size += len(job.items)
        return jobs

    def _run(self, jobs: list[_Job]) -> None:
        """Run the merged jobs and resolve their futures; whatever happens, every future is resolved
        and the writer thread lives on."""
        items = [item for job in jobs for item in job.items]
        self._dirty = self._dirty or bool(items)
        try:
            posted = self._posted(items)
        except Exception as exc:  # the store cannot be written (or worse): nothing was acknowledged
            if not isinstance(exc, StoreFailure):
                log.exception("a pipeline call of %d items failed", len(items))
            for job in jobs:
                job.future.set_exception(exc)
            return
        if any(not job.items for job in jobs):  # an explicit revision request (POST /api/revise)
            self._revise()
        start = 0
        for job in jobs:
            job.future.set_result(posted[start : start + len(job.items)])
            start += len(job.items)

    def _posted(self, items: Sequence[RawItem | Rejection]) -> list[Posted]:
        try:
            return self._process(items)
        except StoreFailure:
            raise
        except Exception:
            log.exception("a pipeline call of %d items failed; running them one by one", len(items))
            return self._isolated(items)

    def _process(self, items: Sequence[RawItem | Rejection]) -> list[Posted]:
        try:
            outcomes = list(self._pipeline.process(lambda _pass: items, settle=False)) if items else []
            self._search.catch_up()
        except (sqlite3.OperationalError, OSError) as exc:  # disk full, I/O error, store locked
            raise StoreFailure(f"the store cannot be written: {exc}") from exc
        return self._describe(outcomes)

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
