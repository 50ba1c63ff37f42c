"""Seconds and peak memory of each stage of a batch, as the summary line and the benchmark report them.

Memory is the whole job's, not only the driver's: the in-process Ray cluster (GCS, raylet, object
store, Ray Data workers) and the local engine's worker processes are children of this process, so a
sampling thread sums the proportional set size (PSS, which splits shared pages such as the object
store's among the processes mapping them, so the sum does not count them twice) over this process and
its descendants, every `interval` seconds, and keeps the peak since the last lap. Off Linux (no
``/proc``) the peak is the driver's own ``ru_maxrss`` high-water mark, which never goes down.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

__all__ = ["Stage", "StageMeter", "descendants", "tree_memory"]

_PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children() -> dict[int, list[int]]:
    """Parent pid → child pids, from /proc/*/stat (a process gone meanwhile is skipped)."""
    tree: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may hold spaces: fields after the last ')'
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _process_bytes(pid: int) -> int:
    """PSS of one process (``smaps_rollup``), else its RSS (``statm``), else 0 when it is gone."""
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except OSError:
        return 0


def descendants(root: int) -> list[int]:
    """Process `root` and every process below it (Linux; a process that exits meanwhile may be listed)."""
    tree, todo, found = _children(), [root], []
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def tree_memory(root: int | None = None) -> int:
    """Bytes of memory held by process `root` (default: this one) and all its descendants."""
    return sum(_process_bytes(pid) for pid in descendants(os.getpid() if root is None else root))


def _own_peak() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


@dataclass
class Stage:
    """One stage's wall seconds and the peak memory of the job while it ran."""

    seconds: float = 0.0
    peak_bytes: int = 0

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / 2**20


@dataclass
class StageMeter:
    """Records :class:`Stage` figures by name at each :meth:`lap`; use as a context manager, which
    runs the sampling thread. A stage lapped twice adds its seconds and keeps the higher peak."""

    interval: float = 0.25
    stages: dict[str, Stage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._linux = _PROC.is_dir() and (_PROC / str(os.getpid())).is_dir()
        self._lock = threading.Lock()
        self._peak = 0
        self._last = time.perf_counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _sample(self) -> None:
        now = tree_memory() if self._linux else _own_peak()
        with self._lock:
            self._peak = max(self._peak, now)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> StageMeter:
        self._sample()
        self._last = time.perf_counter()
        self._thread = threading.Thread(target=self._loop, name="storyline-meter", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def lap(self, name: str) -> Stage:
        """Close the stage `name`: the seconds and peak memory since the last lap (or the start)."""
        self._sample()
        now = time.perf_counter()
        with self._lock:
            peak, self._peak = self._peak, 0
        stage = self.stages.setdefault(name, Stage())
        stage.seconds += now - self._last
        stage.peak_bytes = max(stage.peak_bytes, peak)
        self._last = now
        self._sample()  # the next stage starts from what is held now
        return stage

    def summary(self) -> str:
        """``name 1.2 s (340 MiB), ...`` in stage order."""
        return ", ".join(f"{n} {s.seconds:.1f} s ({s.peak_mib:.0f} MiB)" for n, s in self.stages.items())
