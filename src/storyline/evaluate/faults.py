"""Faults injected into `storyline run`, for the reliability suite (tests) and benchmark (long runs).

Every fault ends the same way: the run is repeated once the fault is gone, and then nothing an earlier
attempt committed is lost, nothing is stored twice, the store passes `store.integrity.check_store`,
and it equals the store of a run that was never disturbed (`dump_store`). The faults:

- `kill_run`: SIGKILL at random moments of a run (evidence pass, cleaning, commits, the story stage),
  several times in a row, each attempt continuing the last;
- `fill_disk`: the store on a file system that fills up mid-run (a small tmpfs when this process may
  mount one, else a file-size limit, RLIMIT_FSIZE, which fails writes the same way, with EFBIG);
- `hold_sqlite_lock` and `hold_writer_lock`: another program holding the store's SQLite write lock, or
  another Storyline writer holding the store.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.evaluate._templates import invented_paragraph

__all__ = [
    "Attempt",
    "DiskFull",
    "cli",
    "dump_store",
    "fill_disk",
    "hold_sqlite_lock",
    "hold_writer_lock",
    "kill_run",
    "out_lines",
    "store_problems",
    "stored_articles",
    "write_news",
]

_WORDS = re.findall(
    r"\w+",
    "harbour council ferry storm minister budget police court river station school hospital market"
    " company shares profit vote election team match goal injury village bridge road fire rescue",
)


def write_news(path: Path, n: int, seed: int = 7, copy_every: int = 5) -> list[str]:
    """`n` JSONL articles at `path` (ids ``doc00000``...); every `copy_every`-th is a repost of the one
    before with a paragraph added, so runs have copy groups to find. Returns the ids."""
    rng = random.Random(seed)
    rows, ids, previous = [], [], ""
    for i in range(n):
        if copy_every and i % copy_every == copy_every - 1:
            text = previous + "\n\nThis paragraph was added by the reposting site for its readers."
        else:
            paragraphs = [" ".join(rng.choice(_WORDS) for _ in range(40)) + "." for _ in range(3)]
            text = "\n\n".join([invented_paragraph(rng), *paragraphs])
        previous = text
        ids.append(f"doc{i:05d}")
        rows.append(json.dumps({"id": ids[-1], "text": text, "site": f"site{i % 7}.example"}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ids


def cli(
    args: Sequence[str], *, timeout: float = 600, fsize: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``storyline ARGS`` in a child process; `fsize` caps the size of any file it writes (bytes)."""

    def limit() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        env={**os.environ, **(env or {})},
    )


def out_lines(path: Path) -> list[dict[str, object]]:
    """The records of a ``--out`` file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def dump_store(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a store holds, in a canonical order (arrival numbers left out), to compare two stores."""
    queries = {
        "articles": "SELECT id, text, title, site, published, published_source, notes FROM articles"
        " ORDER BY id",
        "removals": "SELECT * FROM removals ORDER BY article, idx",
        "fingerprints": "SELECT * FROM fingerprints ORDER BY key, article",
        "line_obs": "SELECT * FROM line_obs ORDER BY line, site, context, article",
        "links": "SELECT a, b, kind, probability FROM copy_links ORDER BY a, b",
        "members": "SELECT * FROM copy_members ORDER BY article",
        "groups": "SELECT * FROM copy_groups ORDER BY id",
        "stories": "SELECT * FROM story_members ORDER BY article",
        "rejections": "SELECT * FROM rejections ORDER BY source",
    }
    with contextlib.closing(sqlite3.connect(db)) as con:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}


def store_problems(db: Path, complete: bool = True) -> list[str]:
    """`check_store` of the store at `db`."""
    from storyline.store import Store
    from storyline.store.integrity import check_store

    with Store(db) as store:
        return check_store(store, complete=complete)


def stored_articles(db: Path) -> int:
    """How many articles the store at `db` holds (0 while it cannot be read), read-only."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@dataclass(slots=True)
class Attempt:
    """One killed attempt: when it was killed (seconds after start), what the store held then, what
    the integrity check found then (mid-run: consistency only), and how the run then finished."""

    after: float
    stored: int
    problems: list[str]
    final: subprocess.CompletedProcess[str] | None = None
    equal: bool = False
    final_problems: list[str] = field(default_factory=list)


def _kill_after(args: Sequence[str], seconds: float) -> bool:
    """Start ``storyline ARGS`` and SIGKILL it after `seconds`; whether it was still running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return running


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def kill_run(
    args: Sequence[str], db: Path, points: int, span: float, expected: Path, seed: int = 0, chain: int = 0
) -> list[Attempt]:
    """SIGKILL ``storyline run ARGS`` (whose store is `db`) at `points` random moments of a run of
    `span` seconds, each on a fresh store and then repeated to the end; with `chain`, also one store
    killed `chain` times in a row before it is finished. Each finished store is compared with the store
    at `expected` (an undisturbed run) and checked."""
    rng = random.Random(seed)
    plans = [[rng.uniform(0.02, span)] for _ in range(points)]
    if chain:
        plans.append(sorted(rng.uniform(0.02, span * 0.7) for _ in range(chain)))
    attempts = []
    for plan in plans:
        _fresh(db)
        for after in plan:
            _kill_after(args, after)
            problems = store_problems(db, complete=False) if db.exists() else []
            attempts.append(Attempt(round(after, 3), stored_articles(db), problems))
        last = attempts[-1]
        last.final = cli(args)
        last.equal = last.final.returncode == 0 and dump_store(db) == dump_store(expected)
        last.final_problems = store_problems(db)
    return attempts


@contextlib.contextmanager
def _holding(code: str) -> Iterator[subprocess.Popen[bytes]]:
    """A child process running `code`, which prints a line once it holds what it holds."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def hold_sqlite_lock(db: Path, seconds: float) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """Another program holding the store's SQLite write lock (BEGIN IMMEDIATE) for `seconds`."""
    return _holding(
        "import sqlite3, time\n"
        f"con = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "con.execute('BEGIN IMMEDIATE')\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
        "con.execute('ROLLBACK')\n"
    )


def hold_writer_lock(db: Path) -> contextlib.AbstractContextManager[subprocess.Popen[bytes]]:
    """Another Storyline writer holding the store (its `WriterLock`) until the block ends."""
    return _holding(
        "import time\n"
        "from storyline.store import WriterLock\n"
        f"WriterLock({str(db)!r}, 'storyline test holder').acquire(wait=0)\n"
        "print('held', flush=True)\n"
        "time.sleep(3600)\n"
    )


def _mount_tmpfs(folder: Path, size: int) -> bool:
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
        )
    except OSError:
        return False
    return done.returncode == 0


@dataclass(slots=True)
class DiskFull:
    """`fill_disk`'s result: how the disk was filled, the failed run, and the run after space was freed."""

    how: str
    failed: subprocess.CompletedProcess[str]
    stored_after_failure: int
    problems_after_failure: list[str]
    final: subprocess.CompletedProcess[str]
    db: Path


def fill_disk(args: Sequence[str], folder: Path, size: int, mount: bool = True) -> DiskFull:
    """Run ``storyline run ARGS --db folder/store.db`` with `size` bytes of space, then again with
    plenty (the store is moved to an ordinary folder), and report both.

    On a small tmpfs mounted at `folder` when `mount` and this process may mount one (root), else with
    every file the run writes capped at `size` bytes (RLIMIT_FSIZE).
    """
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "store.db"
    if mount and _mount_tmpfs(folder, size):
        try:
            failed = cli([*args, "--db", str(db)])
            stored = stored_articles(db)
            problems = store_problems(db, complete=False) if db.exists() else []
            rescue = Path(tempfile.mkdtemp(prefix="storyline-disk-"))
            for part in folder.iterdir():
                shutil.copy2(part, rescue / part.name)
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True)
        moved = rescue / "store.db"
        final = cli([*args, "--db", str(moved)])
        return DiskFull(f"tmpfs of {size} bytes", failed, stored, problems, final, moved)
    failed = cli([*args, "--db", str(db)], fsize=size)
    stored = stored_articles(db)
    problems = store_problems(db, complete=False) if db.exists() else []
    final = cli([*args, "--db", str(db)])
    how = f"RLIMIT_FSIZE of {size} bytes (no tmpfs: mounting needs root)"
    return DiskFull(how, failed, stored, problems, final, db)
