"""The service's writer in a process of its own: :class:`~storyline.serve.writer.Writer`, unchanged,
run in a child process that the web process talks to over a pipe.

Why a process: every read the web process serves (story pages, searches, the API's JSON) holds the
interpreter lock, and the writer thread needs it for its Python work (triage, the copy index, the story
index), so a reader fetching pages back to back halved the write throughput when both shared one
interpreter (BENCHMARKS.md, the service). In a child the writer has an interpreter to itself; reads
still go straight to the SQLite store (WAL mode lets them read while the child commits).

The child holds the store's writer lock, so a run started while the service serves waits for it as
before. The pipe carries the posted items one way and the outcomes (or the error) back; what is
committed is the store's, so a child that dies (killed, out of memory) loses nothing stored: the
requests in flight are answered with a :class:`StoreFailure` (503), and the next request starts a new
child, whose triage treats what the dead one committed as stored.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

from storyline.model import RawItem, Rejection
from storyline.serve.writer import Posted, StoreFailure, Writer
from storyline.settings import Settings

__all__ = ["WriterProcess"]

log = logging.getLogger("storyline.serve")
#: Seconds to wait for the child's answer to a status question, and for it to open the store.
_ASK_TIMEOUT = 30.0
_START_TIMEOUT = 120.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _child(
    conn: Connection, db: str, settings: Settings, max_items: int, revise_after: float, level: int
) -> None:
    """The child's main: a Writer, fed from `conn` until the parent closes it or asks to stop."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    logging.basicConfig(level=level, format="%(message)s")
    sending = threading.Lock()

    def send(n: int, status: str, value: Any) -> None:
        """One answer to the parent; one that does not pickle goes as a StoreFailure saying what it
        was (the parent needs only an error's class, for the HTTP status, and its text, for the log)."""
        with sending, contextlib.suppress(OSError, ValueError):  # the parent gone: none to answer
            try:
                conn.send((n, status, value))
            except (OSError, ValueError):
                raise
            except Exception as exc:
                what = f"{type(value).__name__}: {value}" if status == "error" else f"an answer ({exc})"
                conn.send((n, "error", StoreFailure(f"the writer could not send {what}")))

    def answer(n: int, future: Future[list[Posted]]) -> None:
        error = future.exception()
        if error is not None:
            send(n, "error", error)
        else:
            send(n, "ok", future.result())

    try:
        writer = Writer(db, settings, max_items, revise_after)
    except Exception as exc:  # the store is busy or unreadable: the parent raises it
        send(0, "error", exc)
        return
    send(0, "ok", None)
    try:
        while True:
            try:
                n, kind, payload = conn.recv()
            except (EOFError, OSError):  # the parent died: finish what is queued, then stop
                break
            if kind == "stop":
                break
            if kind == "pending":
                send(n, "ok", writer.pending())
            else:
                future = writer.revise_now() if kind == "revise" else writer.submit(payload)
                future.add_done_callback(functools.partial(answer, n))
    finally:
        writer.close()  # drains the queue, so every request taken gets its answer
        send(-1, "ok", None)


def _die_with_parent() -> None:
    """Have the kernel kill this process when the parent dies (Linux): a service killed with SIGKILL
    then leaves no writer behind holding the store's lock, so it can be started again at once; what
    was committed is stored, as when the writer was a thread. Elsewhere the closed pipe stops us."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl to be had: the closed pipe still stops us
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it died before the request took effect
        os._exit(0)


class WriterProcess:
    """What :class:`~storyline.serve.writer.Writer` offers (`submit`, `pending`, `revise_now`,
    `close`), with the writer in a child process (see the module docstring). Raises what the writer
    raises on opening the store (StoreBusy when a run holds it)."""

    def __init__(self, db: str, settings: Settings, max_items: int = 2000, revise_after: float = 0.5) -> None:
        self._args = (db, settings, max_items, revise_after)
        self._numbers = itertools.count(1)
        self._guard = threading.Lock()  # sends, and the table of requests awaiting an answer
        self._waiting: dict[int, tuple[Connection, Future[Any]]] = {}  # by request: its child's pipe
        self._starting = threading.Lock()  # one child started at a time
        self._closed = False
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._start()

    def _start(self) -> None:
        # spawn, not fork: the web process runs threads (uvicorn, the read pool), which fork would copy
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_child,
            args=(theirs, *self._args, logging.getLogger().getEffectiveLevel()),
            name="storyline-writer",
        )
        process.start()
        theirs.close()
        if not ours.poll(_START_TIMEOUT):
            process.kill()
            raise StoreFailure(f"the writer process did not open the store within {_START_TIMEOUT:g} s")
        try:
            _, status, value = ours.recv()
        except EOFError:
            process.join()
            code = process.exitcode
            raise StoreFailure(f"the writer process stopped on start (exit code {code})") from None
        if status == "error":
            process.join()
            raise value
        self._conn, self._process = ours, process
        listener = threading.Thread(target=self._listen, args=(ours, process), name="storyline-writer-pipe")
        listener.daemon = True
        listener.start()

    def _listen(self, conn: Connection, process: multiprocessing.process.BaseProcess) -> None:
        """Hand each answer to the request awaiting it; when the child is gone, fail those left."""
        while True:
            try:
                n, status, value = conn.recv()
            except (EOFError, OSError):
                break
            if n == -1:
                break
            with self._guard:
                waiting = self._waiting.pop(n, None)
            if waiting is not None and status == "error":
                waiting[1].set_exception(value)
            elif waiting is not None:
                waiting[1].set_result(value)
        process.join()
        with self._guard:
            if self._conn is conn:
                self._conn = None
            gone = [n for n, (pipe, _) in self._waiting.items() if pipe is conn]
            orphans = [self._waiting.pop(n)[1] for n in gone]
        if orphans:
            code, left = process.exitcode, len(orphans)
            log.error("the writer process stopped (exit code %s) with %d requests unanswered", code, left)
        for future in orphans:
            future.set_exception(
                StoreFailure(
                    f"the writer process stopped (exit code {process.exitcode}); what it committed is stored,"
                    " post the rest again"
                )
            )

    def _ask(self, kind: str, payload: Any = None) -> Future[Any]:
        """Send one request; its answer resolves the future. A request the pipe did not take was never
        delivered, so it goes to a new child once."""
        future: Future[Any] = Future()
        error: object = "it stopped"
        for _attempt in range(2):
            try:
                conn = self._connection()
            except Exception as exc:  # a new child could not open the store
                future.set_exception(exc if isinstance(exc, StoreFailure) else StoreFailure(str(exc)))
                return future
            with self._guard:
                if self._conn is not conn:  # it stopped meanwhile, and its requests were failed
                    continue
                n = next(self._numbers)
                self._waiting[n] = (conn, future)
                try:
                    conn.send((n, kind, payload))
                    return future
                except (OSError, ValueError) as exc:
                    self._waiting.pop(n, None)
                    self._conn = None  # the child is gone: the next try starts another
                    error = exc
        future.set_exception(StoreFailure(f"the writer process cannot be reached ({error})"))
        return future

    def _connection(self) -> Connection:
        """The pipe to the child, starting a new child when the last one stopped."""
        with self._starting:
            if self._closed:
                raise StoreFailure("the service is shutting down")
            if self._conn is None:
                log.warning("starting a new writer process")
                self._start()
            assert self._conn is not None
            return self._conn

    def submit(self, items: Sequence[RawItem | Rejection]) -> Future[list[Posted]]:
        return self._ask("submit", list(items))

    def revise_now(self) -> Future[list[Posted]]:
        return self._ask("revise")

    def pending(self) -> dict[str, int | bool]:
        answer: dict[str, int | bool] = self._ask("pending").result(timeout=_ASK_TIMEOUT)
        return answer

    def close(self) -> None:
        """Let the child finish what it was given, then stop it."""
        with self._starting, self._guard:
            self._closed = True
            conn, process = self._conn, self._process
            if conn is not None:
                with contextlib.suppress(OSError, ValueError):
                    conn.send((0, "stop", None))
        if process is not None:
            process.join()
