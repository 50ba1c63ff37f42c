"""One writer per store: an exclusive lock that a run or the service holds for as long as it writes.

SQLite serialises transactions, but a run is more than its transactions: it loads the story index
when it starts and saves it when it ends, so two runs interleaving their batches would each save an
index that lacks the other's articles. So every writer (``storyline run``, ``storyline reclean``, the
service, the library's `pipeline.process`) first takes this lock: ``flock`` on a companion file
``STORE.lock``, which the kernel releases when the holder dies, SIGKILL included, so a killed run never
leaves a stale lock. The file holds the holder's pid, label and start time, so whoever waits can say
for whom. Within one process the lock is re-entrant (the service holds it for its lifetime and its
writer thread runs the pipeline under it); threads of one process must serialise their writes
themselves, as the service's single writer thread does.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from storyline.store.sqlite import StoreError

__all__ = ["StoreBusy", "WriterLock"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking is all there is
    fcntl = None  # type: ignore[assignment]

_POLL = 0.2
_held: dict[str, tuple[int, int]] = {}  # lock file -> (fd, holders in this process)
_guard = threading.Lock()


class StoreBusy(StoreError):
    """Another process is writing the store and did not finish within the time we would wait."""


def _lock_path(db: str) -> str | None:
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return os.path.realpath(db) + ".lock"


class WriterLock:
    """The writer lock of the store file `db`; `label` says who holds it (``storyline run``)."""

    def __init__(self, db: str | Path, label: str) -> None:
        self.db, self.label = str(db), label
        self._path = _lock_path(self.db)
        self._mine = False

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it (``pid 123 (storyline run, since ...)``)."""
        try:
            text = Path(self._path or "").read_text(encoding="utf-8").strip()
        except OSError:
            return "another process"
        return text or "another process"

    def acquire(self, wait: float | None = None, on_wait: Callable[[str], None] | None = None) -> WriterLock:
        """Take the lock, waiting at most `wait` seconds (None: as long as it takes; 0: not at all).

        `on_wait` is told once, in words, whom we are waiting for. Raises StoreBusy when the wait runs
        out, with a message fit for a user.
        """
        if self._path is None or fcntl is None:
            return self
        with _guard:
            held = _held.get(self._path)
            if held is not None:
                _held[self._path] = (held[0], held[1] + 1)
                self._mine = True
                return self
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._take(fd, wait, on_wait)
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        os.write(fd, f"pid {os.getpid()} ({self.label}, since {stamp})\n".encode())
        with _guard:
            _held[self._path] = (fd, 1)
        self._mine = True
        return self

    def _take(self, fd: int, wait: float | None, on_wait: Callable[[str], None] | None) -> None:
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                waited = f"waited {wait:g} s; " if wait else ""
                raise StoreBusy(
                    f"store {self.db} is being written by {self.holder()}; {waited}a store takes one"
                    " writer at a time: try again when it is done (or post to the service if it is one)"
                )
            if not told and on_wait is not None:
                limit = "" if wait is None else f" (up to {wait:g} s)"
                on_wait(f"store {self.db} is being written by {self.holder()}; waiting for it{limit}")
                told = True
            time.sleep(_POLL)

    def release(self) -> None:
        if not self._mine or self._path is None:
            return
        self._mine = False
        with _guard:
            fd, count = _held[self._path]
            if count > 1:
                _held[self._path] = (fd, count - 1)
                return
            del _held[self._path]
        os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> WriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
