"""`storyline batch` with the local engine beside the Ray engine on the same input (issue 11).

The input is Reuters-21578 articles with noisy reposts of some of them (``storyline.evaluate.mix``).
Each engine runs as ``storyline batch`` in a fresh child process; the Ray engine starts its own
in-process cluster on 127.0.0.1 with ``--workers`` CPUs (its start-up is part of its time). Prints the
wall time of each run and the agreement of every Ray run with the local run: copy groups (pairwise F1
over the articles' copy-group labels), stories (BCubed F1), and whether the link tables are identical.

    .venv/bin/python benchmarks/batch_engines.py [--originals 2000] [--reposts 700] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import bcubed, pairwise_prf
from storyline.evaluate.mix import write_repost_mix


def _batch(inputs: Path, out: Path, engine: str, workers: int) -> float:
    argv = [sys.executable, "-m", "storyline.cli", "batch", str(inputs), "--out", str(out)]
    started = time.perf_counter()
    subprocess.run([*argv, "--engine", engine, "--workers", str(workers), "-q"], check=True)
    return time.perf_counter() - started


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in pq.read_table(out / "articles").to_pylist() if r["status"] == "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=2000)
    parser.add_argument("--reposts", type=int, default=700)
    parser.add_argument("--workers", default="1,2", help="Ray CPUs to try, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_repost_mix(default_data_dir(), root / "in" / "crawl.jsonl", args.originals, args.reposts)
        items = args.originals + args.reposts
        seconds = _batch(root / "in", root / "local", "local", 2)
        print(f"{items} items  local (2 workers): {seconds:.1f} s")
        local = _rows(root / "local")
        ids = sorted(local)
        local_links = pq.read_table(root / "local" / "copy_links.parquet").to_pylist()
        for workers in (int(w) for w in args.workers.split(",")):
            out = root / f"ray{workers}"
            seconds = _batch(root / "in", out, "ray", workers)
            ray = _rows(out)
            groups = pairwise_prf([local[i]["copy_group"] for i in ids], [ray[i]["copy_group"] for i in ids])
            stories = bcubed([local[i]["story"] for i in ids], [ray[i]["story"] for i in ids])
            same_links = pq.read_table(out / "copy_links.parquet").to_pylist() == local_links
            print(
                f"{items} items  ray ({workers} CPUs): {seconds:.1f} s; copy groups pairwise F1"
                f" {groups.f1:.3f}, stories BCubed F1 {stories.f1:.4f}, links identical: {same_links}"
            )


if __name__ == "__main__":
    main()
