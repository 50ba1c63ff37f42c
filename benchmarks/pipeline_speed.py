"""End-to-end throughput of `storyline run` (ingest, clean, copies, SQLite store) on real corpora.

Not a competitor comparison (no other tool does the whole path); it shows what a user waits for, and
where the time goes, beside the copy stage alone on the same texts.

    .venv/bin/python benchmarks/pipeline_speed.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from pathlib import Path

from storyline.copies import find_copies
from storyline.evaluate.copysets import default_data_dir
from storyline.ingest import IngestConfig
from storyline.pipeline import RunSummary, run
from storyline.settings import Settings
from storyline.store import Store


def _subset(source: Path, target: Path, limit: int | None) -> list[str]:
    """Copy the first `limit` rows of a JSONL.gz corpus; return their texts as `storyline run` sees them."""
    texts = []
    with gzip.open(source, "rt", encoding="utf-8") as fh, target.open("w", encoding="utf-8") as out:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            out.write(line)
            row = json.loads(line)
            texts.append(row.get("text") or row.get("body") or "")
    return texts


def measure(name: str, source: Path, columns: dict[str, str], limit: int | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        texts = _subset(source, corpus, limit)
        settings = Settings(ingest=IngestConfig(columns=columns))
        summary = RunSummary()
        start = time.perf_counter()
        with Store(Path(tmp) / "bench.db") as store:
            for outcome in run([corpus], store, settings):
                summary.add(outcome)
            groups = store.counts()["copy_groups"]
        seconds = time.perf_counter() - start
        copy_start = time.perf_counter()
        find_copies(texts)
        copy_seconds = time.perf_counter() - copy_start
    print(
        f"{name:<10} {summary.items:>6} items  storyline run {seconds:7.1f} s"
        f" = {summary.items / seconds:7.0f} docs/s"
        f"  ({groups} copy groups, {sum(summary.rejected.values())} rejected)"
        f"  | copy stage alone {copy_seconds:5.2f} s = {len(texts) / copy_seconds:7.0f} docs/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="items per corpus (default: all)")
    args = parser.parse_args()
    data = default_data_dir()
    measure("BBC", data / "bbc/bbc.jsonl.gz", {}, args.limit)
    measure("Reuters", data / "reuters21578/reuters21578.jsonl.gz", {"text": "body"}, args.limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole benchmark process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
