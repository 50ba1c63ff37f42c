"""The service under faults: SIGKILL while clients post, and a bounded soak with memory watched.

`kill_serve` runs ``storyline serve`` as a child process, posts batches of articles to it and keeps
what the service acknowledged (a 200 with every result); it kills the service with SIGKILL at random
moments, starts it again on the same store, and posts the unacknowledged batch again, as a client
would. In the end every acknowledged article must be stored, once, and the store must pass the
integrity check once the service has revised its stories. `soak` posts and reads for a fixed time and
samples the service's resident memory, to show that it stays flat. Both need the ``serve`` extra and
httpx (the ``dev`` extra).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Service", "ServiceKills", "Soak", "free_port", "kill_serve", "soak", "soak_report"]


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """``storyline serve --db DB`` in a child process on a free loopback port."""

    def __init__(self, db: Path) -> None:
        self.db, self.port = db, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> Service:
        import httpx

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storyline.cli", "serve", "--db", str(self.db), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"storyline serve exited with status {self.proc.returncode}")
            try:
                httpx.get(self.url + "/api/status", timeout=1).raise_for_status()
                return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("storyline serve did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss_kib(self) -> int:
        """Resident memory of the service process (Linux), KiB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def wait_revised(self, timeout: float = 120) -> None:
        """Until the service has revised its stories (``revision_pending`` false)."""
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = httpx.get(self.url + "/api/status", timeout=30).json()
            if not status["revision_pending"] and not status["queued"]:
                return
            time.sleep(0.1)
        raise RuntimeError("the service did not revise its stories in time")


@dataclass(slots=True)
class ServiceKills:
    """`kill_serve`'s result."""

    kills: int = 0
    batches: int = 0
    retried: int = 0
    acknowledged: set[str] = field(default_factory=set)
    stored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> set[str]:
        return self.acknowledged - set(self.stored)

    @property
    def duplicated(self) -> int:
        return len(self.stored) - len(set(self.stored))


def _post(url: str, batch: Sequence[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The results of posting `batch`, or None when the service did not acknowledge it."""
    import httpx

    try:
        response = httpx.post(url + "/api/articles", json=batch, timeout=120)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def kill_serve(
    rows: Sequence[dict[str, Any]], db: Path, kills: int, batch: int = 20, seed: int = 0
) -> ServiceKills:
    """Post `rows` in batches while SIGKILLing the service `kills` times at random moments."""
    from storyline.evaluate.faults import store_problems

    rng = random.Random(seed)
    report = ServiceKills()
    batches = [list(rows[i : i + batch]) for i in range(0, len(rows), batch)]
    kill_at = sorted(rng.sample(range(len(batches)), min(kills, len(batches))))
    service = Service(db).start()
    try:
        for n, chunk in enumerate(batches):
            report.batches += 1
            if kill_at and n == kill_at[0]:
                kill_at.pop(0)
                # a post in flight: the kill lands at a random moment while the service works on it
                pending = _Concurrent(service.url, chunk)
                time.sleep(rng.uniform(0, 0.5))
                service.kill()
                report.kills += 1
                results = pending.result()
                service = Service(db).start()
                if results is None:
                    report.retried += 1
                    results = _post(service.url, chunk)
            else:
                results = _post(service.url, chunk)
            if results is None:
                raise RuntimeError("the service refused a batch after a restart")
            report.acknowledged.update(str(r["id"]) for r in results if r["status"] == "ok")
        service.wait_revised()
    finally:
        service.stop()
    with contextlib.closing(sqlite3.connect(db)) as con:
        report.stored = [r[0] for r in con.execute("SELECT id FROM articles")]
    report.problems = store_problems(db)
    return report


class _Concurrent:
    """A post made on a thread, so the service can be killed while it works on it."""

    def __init__(self, url: str, batch: Sequence[dict[str, Any]]) -> None:
        import threading

        self._result: list[dict[str, Any]] | None = None
        self._thread = threading.Thread(target=self._run, args=(url, batch), daemon=True)
        self._thread.start()

    def _run(self, url: str, batch: Sequence[dict[str, Any]]) -> None:
        self._result = _post(url, batch)

    def result(self) -> list[dict[str, Any]] | None:
        self._thread.join(timeout=180)
        return self._result


@dataclass(slots=True)
class Soak:
    """`soak`'s result: requests made and failed, and resident memory samples (KiB) over time."""

    seconds: float
    posts: int = 0
    reads: int = 0
    errors: int = 0
    rss: list[tuple[float, int]] = field(default_factory=list)
    full_at: float | None = None  # when every article had been posted once (the store stops growing)

    def growth_kib(self, warmup: float) -> int:
        """Resident memory at the end minus the least after `warmup` seconds."""
        after = [kib for t, kib in self.rss if t >= warmup]
        return after[-1] - min(after) if after else 0


class _Sampler:
    """Resident memory of a service every `every` seconds, on a thread of its own (so slow requests do
    not thin the samples)."""

    def __init__(self, service: Service, every: float) -> None:
        import threading

        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._service, self._every, self._start = service, every, time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((round(time.monotonic() - self._start, 1), self._service.rss_kib()))
            self._stop.wait(self._every)

    def stop(self) -> list[tuple[float, int]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def soak(db: Path, seconds: float, articles: Sequence[str], seed: int = 0, sample_every: float = 1.0) -> Soak:
    """Post and read against a fresh service for `seconds`: each round posts three articles (new ones
    until `articles` run out, then reposts of them, which the service must recognise while it still
    runs the whole pipeline and its idle revision), lists stories and reads two, and one round in ten
    also posts an article with a bad id and an impossible date; resident memory is sampled every
    `sample_every` seconds. Once the store stops growing, memory should stay flat."""
    import httpx

    rng = random.Random(seed)
    result = Soak(seconds)
    service = Service(db).start()
    sampler = _Sampler(service, sample_every)
    start = time.monotonic()
    n = 0
    try:
        with httpx.Client(base_url=service.url, timeout=120) as client:
            while time.monotonic() - start < seconds:
                picks = [(n + k) % len(articles) for k in range(3)]
                batch: list[dict[str, str]] = [{"id": f"soak{i}", "text": articles[i]} for i in picks]
                if rng.random() < 0.1:
                    batch.append({"id": "bad\nid", "text": "x", "published": "9999-12-15"})
                n += 3
                if result.full_at is None and n >= len(articles):
                    result.full_at = round(time.monotonic() - start, 1)
                ok = client.post("/api/articles", json=batch).status_code == 200
                result.posts += 1
                listing = client.get("/api/stories", params={"limit": 5})
                reads = [listing] + [
                    client.get(f"/api/stories/{s['id']}") for s in listing.json()["stories"][:2]
                ]
                result.reads += len(reads)
                result.errors += (not ok) + sum(r.status_code != 200 for r in reads)
    finally:
        result.rss = sampler.stop()
        service.stop()
    return result


def soak_report(result: Soak, warmup: float) -> str:
    """One line for the soak's figures."""
    first = next((kib for t, kib in result.rss if t >= warmup), 0)
    peak = max((kib for _, kib in result.rss), default=0)
    return json.dumps(
        {
            "seconds": result.seconds,
            "posts": result.posts,
            "reads": result.reads,
            "errors": result.errors,
            "rss_after_warmup_mib": round(first / 1024, 1),
            "rss_end_mib": round(result.rss[-1][1] / 1024, 1) if result.rss else 0,
            "rss_peak_mib": round(peak / 1024, 1),
            "growth_after_warmup_mib": round(result.growth_kib(warmup) / 1024, 1),
            "store_full_at_s": result.full_at,
            "growth_after_store_full_mib": round(result.growth_kib(result.full_at or warmup) / 1024, 1),
        }
    )
