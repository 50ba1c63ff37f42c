"""`storyline batch` with the local engine beside the Ray engine on the same input, at growing sizes
(issue 11): time and peak memory per stage, how they grow, and the agreement of the engines' answers.

The input at each size is Reuters-21578 articles (up to the 19,043 it has; 3/4 of the items below
that) and noisy reposts of them (``storyline.evaluate.mix``; beyond 19,043 reposts an original gets
several). Each engine runs as ``storyline batch`` in a fresh child process; the Ray engine starts its
own in-process cluster on 127.0.0.1 with N CPUs (its start-up is part of its time). The figures per
stage are the ``batch.json`` each run writes: wall seconds, and the peak memory (PSS) of the job's
whole process tree while the stage ran (driver, Ray's GCS, raylet, object store and workers, or the
local engine's worker processes). Agreement of each Ray run with the local run: copy groups (pairwise
F1 over the articles' copy-group labels), stories (BCubed F1), and whether the link tables are equal.

    .venv/bin/python benchmarks/batch_engines.py [--sizes 10000,30000,100000] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from storyline.evaluate.copysets import default_data_dir, load_reuters
from storyline.evaluate.metrics import bcubed, pairwise_prf
from storyline.evaluate.mix import write_repost_mix


def _batch(inputs: Path, out: Path, engine: str, workers: int) -> dict[str, Any]:
    argv = [sys.executable, "-m", "storyline.cli", "batch", str(inputs), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(
        [*argv, "--engine", engine, "--workers", str(workers), "-q"], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"storyline batch --engine {engine} failed (exit {done.returncode}):\n{done.stderr}")
    report: dict[str, Any] = json.loads((out / "batch.json").read_text())
    report["wall"] = time.perf_counter() - started  # with the child's own start
    return report


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    columns = ["id", "status", "copy_group", "story"]
    return {
        r["id"]: r
        for r in pq.read_table(out / "articles", columns=columns).to_pylist()
        if r["status"] == "ok"
    }


def _stages(report: dict[str, Any]) -> str:
    return ", ".join(
        f"{n} {s['seconds']:.1f} s / {s['peak_mib']:.0f} MiB" for n, s in report["stages"].items()
    )


def _peak(report: dict[str, Any]) -> float:
    return max(s["peak_mib"] for s in report["stages"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="input items, comma-separated")
    parser.add_argument(
        "--workers", default="1,2", help="Ray CPUs to try, comma-separated (empty: the local engine alone)"
    )
    parser.add_argument("--local-workers", type=int, default=2, help="worker processes of the local engine")
    args = parser.parse_args()
    engines = [("local", args.local_workers)] + [("ray", int(w)) for w in args.workers.split(",") if w]
    results: dict[tuple[str, int], list[tuple[int, dict[str, Any]]]] = {e: [] for e in engines}
    available = len(load_reuters(default_data_dir()))
    for size in (int(s) for s in args.sizes.split(",")):
        originals = min(available, size * 3 // 4)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write_repost_mix(default_data_dir(), root / "in" / "crawl.jsonl", originals, size - originals)
            print(f"\n{size} items ({originals} Reuters articles, {size - originals} reposts)", flush=True)
            local: dict[str, dict[str, Any]] = {}
            local_links: list[dict[str, Any]] = []
            for engine, workers in engines:
                out = root / f"{engine}{workers}"
                report = _batch(root / "in", out, engine, workers)
                results[engine, workers].append((size, report))
                kind = "CPUs" if engine == "ray" else "worker processes"
                line = (
                    f"  {engine} ({workers} {kind}): {report['wall']:.1f} s, {size / report['wall']:.0f}"
                    f" items/s, peak {_peak(report):.0f} MiB; {_stages(report)}"
                )
                links = pq.read_table(out / "copy_links.parquet").to_pylist()
                report["links"] = len(links)
                copies = sum(x["kind"] == "copy" for x in links)
                line += f"\n    verified links {len(links)} ({copies} copy, {len(links) - copies} reuse)"
                line += f", {report['wall'] * 1e3 / max(len(links), 1):.2f} ms per link"
                if engine == "local":
                    local, local_links = _rows(out), links
                else:
                    ray, ids = _rows(out), sorted(local)
                    groups = pairwise_prf(
                        [local[i]["copy_group"] for i in ids], [ray[i]["copy_group"] for i in ids]
                    )
                    stories = bcubed([local[i]["story"] for i in ids], [ray[i]["story"] for i in ids])
                    line += (
                        f"\n    agreement with local: copy groups pairwise F1 {groups.f1:.3f},"
                        f" stories BCubed F1 {stories.f1:.4f},"
                        f" links identical: {links == local_links} ({len(links)})"
                    )
                print(line, flush=True)
    print("\ngrowth from one size to the next (time and peak memory ratios against the size ratio)")
    for (engine, workers), runs in results.items():
        for (small, a), (big, b) in itertools.pairwise(runs):
            per_stage = ", ".join(
                f"{n} x{b['stages'][n]['seconds'] / max(a['stages'][n]['seconds'], 1e-3):.1f}"
                for n in b["stages"]
            )
            print(
                f"  {engine} {workers}: {small} -> {big} items (x{big / small:.1f}):"
                f" time x{b['wall'] / a['wall']:.2f}, verified links x{b['links'] / max(a['links'], 1):.1f},"
                f" peak memory x{_peak(b) / _peak(a):.2f};"
                f" per stage {per_stage}"
            )
    print("\nseconds per million items at the largest size, per stage (a linear extrapolation)")
    for (engine, workers), runs in results.items():
        size, report = runs[-1]
        per_million = ", ".join(f"{n} {s['seconds'] * 1e6 / size:.0f}" for n, s in report["stages"].items())
        print(f"  {engine} {workers}: {per_million}")


if __name__ == "__main__":
    main()
