"""An incremental run into a large store against the same run into an empty one (issue 10).

A user who keeps a store for months adds a day's crawl to it: that run should cost about what the day's
articles cost on their own, not grow with everything stored before. This script builds a store of
`--stored` items once (Reuters-21578 articles and noisy reposts of them, ``storyline.evaluate.mix``;
cached in `--cache`, since a large store takes long to build), then times ``storyline run`` of the same
`--new` items (the BBC articles and fresh reposts of stored Reuters originals, so part of the new work
links to stored articles) into an empty store and into a copy of the large one, alternating, each in a
fresh child process. Printed: wall seconds of each run, their ratio (the goal is <= 2), the peak memory
of each run's process tree (PSS of the run and its worker processes, sampled every 0.2 s) and what each
run stored.

    .venv/bin/python benchmarks/incremental.py [--stored 100000] [--new 10000] [--repeat 2]
        [--cache benchmarks/.cache]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from storyline.batch.meter import tree_memory
from storyline.evaluate.copysets import default_data_dir, load_reuters
from storyline.evaluate.mix import write_repost_mix
from storyline.evaluate.noise import make_repost
from storyline.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _new_items(data: Path, path: Path, n: int, seed: int = 99) -> None:
    """`n` JSONL rows: the BBC articles (up to n) and fresh reposts of Reuters originals for the rest."""
    rng, rows = random.Random(seed), []
    with gzip.open(data / "bbc" / "bbc.jsonl.gz", "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if len(rows) >= n:
                break
            rows.append({"id": f"bbc-{k}", "text": json.loads(line).get("text") or ""})
    pool = load_reuters(data)
    for k in range(n - len(rows)):
        original = rng.randrange(len(pool))
        rows.append({"id": f"r{original}-new{k}", "text": make_repost(pool[original][1], rng).text})
    rng.shuffle(rows)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")


def _run(inputs: Path, db: Path) -> tuple[float, int]:
    """``storyline run`` in a child process: wall seconds and the peak memory of its process tree."""
    argv = [sys.executable, "-m", "storyline.cli", "run", str(inputs), "--db", str(db), "-q"]
    peak, done = 0, threading.Event()
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, tree_memory(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode:
        sys.exit(f"storyline run {inputs} failed (exit {child.returncode}):\n{err}")
    return seconds, peak


def _counts(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        links = conn.execute("SELECT count(*) FROM copy_links").fetchone()[0]
    return f"{articles} articles, {links} copy links"


def _stored(cache: Path, n: int) -> Path:
    """The cached store of `n` items, built on first use."""
    db = cache / f"stored-{n}.db"
    if db.exists():
        Store(db).close()  # a store cached by an older Storyline gets the current schema's indexes once
        return db
    cache.mkdir(parents=True, exist_ok=True)
    originals = min(len(load_reuters(default_data_dir())), n * 3 // 4)
    inputs = cache / f"stored-{n}.jsonl"
    write_repost_mix(default_data_dir(), inputs, originals, n - originals)
    print(f"building the store of {n} items ({originals} Reuters articles and reposts)...", flush=True)
    partial = db.with_suffix(".building.db")
    seconds, peak = _run(inputs, partial)
    partial.rename(db)
    inputs.unlink()
    print(f"  built in {seconds:.0f} s, peak {peak / 2**20:.0f} MiB: {_counts(db)}", flush=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000, help="items in the large store")
    parser.add_argument("--new", type=int, default=10_000, help="items of the incremental run")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each kind, alternating")
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    args = parser.parse_args()
    data = default_data_dir()
    if not data.is_dir():
        sys.exit(f"shared data not found at {data} (set STORYLINE_DATA)")
    stored = _stored(args.cache, args.stored)
    print(f"large store: {_counts(stored)}; {stored.stat().st_size / 2**20:.0f} MiB on disk")
    times: dict[str, list[float]] = {"empty": [], "large": []}
    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp) / "new.jsonl"
        _new_items(data, new, args.new)
        for k in range(args.repeat):
            for kind in ("empty", "large"):
                db = Path(tmp) / f"{kind}{k}.db"
                if kind == "large":
                    shutil.copyfile(stored, db)
                seconds, peak = _run(new, db)
                times[kind].append(seconds)
                print(
                    f"  {args.new} new items into the {kind} store: {seconds:6.1f} s"
                    f" ({args.new / seconds:4.0f} items/s), peak {peak / 2**20:5.0f} MiB; now {_counts(db)}",
                    flush=True,
                )
                db.unlink()
    empty, large = min(times["empty"]), min(times["large"])
    print(
        f"best of {args.repeat}: empty {empty:.1f} s, large ({args.stored} stored) {large:.1f} s:"
        f" ratio {large / empty:.2f} (goal <= 2)"
    )


if __name__ == "__main__":
    main()
