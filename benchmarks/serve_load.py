"""Load on `storyline serve`: many clients posting at once, against one client posting in order.

Starts two servers (``python -m storyline.cli serve``, each over a fresh store), posts the same corpus
to one from a single client in order and to the other from `--clients` threads at once (batches shuffled),
waits until each has settled (writer idle, stories revised), then prints per-request latency (p50, p99),
throughput, the latency of story pages fetched one after another while the posts go on, read latency
on the settled store, and whether both stores hold the same copy groups and stories (compared as
partitions of the article ids, since ids of groups and stories may differ).

    .venv/bin/python benchmarks/serve_load.py [--articles 5000] [--clients 20] [--batch 10]
        [--format html|text] [--corpus synthetic|real] [--no-pages]

The synthetic corpus (tests/serve/corpus.py) has events reported by 1-4 independent articles with 0-3
noisy reposts each. `--corpus real` mixes BBC and ECB+ articles with noisy reposts of Reuters stories
from the shared data, as flat text. `--format text` posts flat text: it is first cleaned with the
corpus evidence seen so far and cleaned again with all of it when the server is idle (ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "serve"))

from corpus import as_html, make_corpus  # noqa: E402
from partitions import partitions, wait_settled  # noqa: E402

from storyline.evaluate.copysets import default_data_dir  # noqa: E402
from storyline.evaluate.noise import make_repost  # noqa: E402


def _real_corpus(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """BBC and ECB+ articles plus noisy reposts of Reuters stories, shuffled, as flat-text rows."""
    data, rng, rows = default_data_dir(), random.Random(seed), []
    if not data.is_dir():
        raise SystemExit(f"shared data not found at {data} (set STORYLINE_DATA)")
    for name in ("bbc/bbc.jsonl.gz", "ecbplus/ecbplus-dev.jsonl.gz"):
        with gzip.open(data / name, "rt", encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                row = json.loads(line)
                rows.append({"id": f"{name.split('/')[0]}-{k}", "text": row.get("text") or ""})
    with gzip.open(data / "reuters21578/reuters21578.jsonl.gz", "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if len(rows) >= n:
                break
            row = json.loads(line)
            body = row.get("body") or ""
            if len(body.split()) < 80:
                continue
            rows.append({"id": f"reuters-{k}", "text": body, "title": row.get("title")})
            for c in range(rng.choice((0, 1, 2))):
                rows.append({"id": f"reuters-{k}-c{c}", "text": make_repost(body, rng).text})
    rows = rows[:n]
    rng.shuffle(rows)
    return rows


def _start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "storyline.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=os.environ | {"STORYLINE_TOKEN": ""})
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/api/status", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def _post(url: str, batches: list[list[dict[str, Any]]], clients: int) -> tuple[list[float], float, float]:
    """Post every batch; returns request latencies, seconds until the last response, seconds until settled."""
    latencies: list[float] = []

    def one(batch: list[dict[str, Any]], client: httpx.Client) -> None:
        start = time.perf_counter()
        response = client.post("/api/articles", json={"articles": batch})
        latencies.append(time.perf_counter() - start)
        response.raise_for_status()

    def worker(mine: list[list[dict[str, Any]]]) -> None:
        with httpx.Client(base_url=url, timeout=600) as client:
            for batch in mine:
                one(batch, client)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, [batches[i::clients] for i in range(clients)]))
    posted = time.perf_counter() - start
    wait_settled(url, timeout=1800)
    return latencies, posted, time.perf_counter() - start


def _reads(url: str, n: int = 200) -> list[float]:
    """Latency of story-list searches and story pages on the loaded store."""
    out: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        stories = client.get("/api/stories", params={"limit": 100}).json()["stories"]
        words = ["storm", "council", "bank", "oil", "election", "fire", "strike", "market"]
        for k in range(n):
            start = time.perf_counter()
            if k % 2:
                client.get(f"/stories/{stories[k % len(stories)]['id']}").raise_for_status()
            else:
                client.get("/api/stories", params={"q": words[k % len(words)]}).raise_for_status()
            out.append(time.perf_counter() - start)
    return out


def _pages_while(url: str, stop: threading.Event, out: list[float], gone: list[str]) -> None:
    """Latency of story pages, one after another, until `stop` (run beside the posting clients). A story
    listed a moment ago can be gone when its page is asked for (merged into another while the writes go
    on; story ids are provisional until the store settles): its 404 is counted in `gone`, not timed."""
    with httpx.Client(base_url=url, timeout=60) as client:
        k = 0
        while not stop.is_set():
            stories = client.get("/api/stories", params={"limit": 50}).json()["stories"]
            if not stories:
                time.sleep(0.2)
                continue
            story = stories[k % len(stories)]["id"]
            k += 1
            start = time.perf_counter()
            response = client.get(f"/stories/{story}")
            if response.status_code == 404:
                gone.append(story)
                continue
            response.raise_for_status()
            out.append(time.perf_counter() - start)


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else values[0] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--batch", type=int, default=10, help="articles per request")
    parser.add_argument("--format", choices=("html", "text"), default="html")
    parser.add_argument("--corpus", choices=("synthetic", "real"), default="synthetic")
    parser.add_argument(
        "--no-pages", action="store_true", help="no reader fetching story pages while the posts go on"
    )
    args = parser.parse_args()
    rows = make_corpus(args.articles) if args.corpus == "synthetic" else _real_corpus(args.articles)
    if args.format == "html":
        rows = [as_html({"title": r.get("title") or "", "site": r.get("site") or "", **r}) for r in rows]
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    shuffled = random.Random(5).sample(batches, len(batches))
    print(f"{len(rows)} articles ({args.corpus}, {args.format}) in {len(batches)} requests of {args.batch}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, clients, order in (
            ("one client", 1, batches),
            (f"{args.clients} clients", args.clients, shuffled),
        ):
            proc, url = _start(Path(tmp) / f"{clients}.db")
            try:
                stop, during, gone = threading.Event(), list[float](), list[str]()
                pages = threading.Thread(target=_pages_while, args=(url, stop, during, gone))
                if not args.no_pages:
                    pages.start()
                try:
                    lat, posted, settled = _post(url, order, clients)
                finally:
                    stop.set()
                    if not args.no_pages:
                        pages.join()
                reads = _reads(url)
            finally:
                proc.terminate()
                proc.wait()
            print(
                f"{name:>11}: POST p50 {_pct(lat, 50):7.0f} ms  p99 {_pct(lat, 99):7.0f} ms"
                f"  throughput {len(rows) / posted:6.0f} articles/s"
                f" ({posted:5.1f} s; settled after {settled:5.1f} s)"
                f"  | reads p50 {_pct(reads, 50):5.1f} ms  p99 {_pct(reads, 99):6.1f} ms"
            )
            if during:
                print(
                    f"{'':>11}  story pages while posting: p50 {_pct(during, 50):5.1f} ms"
                    f"  p99 {_pct(during, 99):6.1f} ms ({len(during)} pages; {len(gone)} listed stories"
                    " merged away before their page was asked for)"
                )
        seq, con = partitions(Path(tmp) / "1.db"), partitions(Path(tmp) / f"{args.clients}.db")
    for what, a, b in (("copy groups", seq[0], con[0]), ("stories", seq[1], con[1])):
        verdict = "SAME" if a == b else f"DIFFERENT ({len(a - b)} vs {len(b - a)} blocks differ)"
        print(f"{what}: {len(a)} (one client) vs {len(b)} ({args.clients} clients): {verdict}")


if __name__ == "__main__":
    main()
