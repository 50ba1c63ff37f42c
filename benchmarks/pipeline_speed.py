"""The whole product path beside a composed peer pipeline, on the same data, in one run (issue 10).

Storyline: ``storyline run`` (ingest, clean with corpus line evidence, copies, stories, SQLite store),
with one cleaning process per core as the command has by default.
Peer: what an engineer would compose from the best parts at hand: cleaning by corpus line dedup for
flat text (a line that recurs on more than 1% of the documents and at least 5 of them is boilerplate,
as datatrove's line-dedup filters do) or ``trafilatura.extract`` for HTML; rensa MinHash LSH on word
5-grams (128 permutations, threshold 0.5, union-find) for copy groups; scikit-learn TF-IDF with online
single-pass centroid clustering (a 3-day window, threshold tuned on webnews-dev's events: the peer's
best case) for stories over one article per copy group. Also rensa copy-only, the issue's yardstick.

Each system runs in a fresh child process, so its peak resident memory is its own (the driver's, and
the largest of its worker processes). Accuracy where there are labels: webnews-dev (real pages, copy
groups and events; text and url only): copy pairwise F1 and story BCubed F1; Reuters-21578 with titles
and dates: the share of ticker-titled reports in stories that mix more than two companies (lower is
better); the article-extraction benchmark's HTML pages: extraction F1.

    .venv/bin/python benchmarks/pipeline_speed.py [--limit N] [--only reuters,bbc,webnews,aeb]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.evaluate.aeb import load_aeb, page_counts, score
from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import bcubed, pairwise_prf
from storyline.evaluate.webnews import feed_rows, load_webnews

Row = dict[str, Any]
PERM, THRESHOLD = 128, 0.5
PEER_COSINE = (0.2, 0.3, 0.4, 0.5, 0.6)


# ---- data: the same rows for every system --------------------------------------------------------


def _jsonl(path: Path) -> list[Row]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_rows(name: str, limit: int | None) -> list[Row]:
    """Input rows (id, text or html, and title/published where the set has them)."""
    data = default_data_dir()
    if name == "reuters":
        sys.path.insert(0, str(Path(__file__).parent))
        from stories_data import reuters_rows

        rows = reuters_rows(data)
    elif name == "bbc":
        rows = [{"id": f"bbc{n}", "text": r["text"]} for n, r in enumerate(_jsonl(data / "bbc/bbc.jsonl.gz"))]
    elif name == "webnews":
        rows = feed_rows(load_webnews(data), "plain")
    elif name == "aeb":
        rows = [{"id": f"aeb{p.id}", "html": p.html, "url": p.url} for p in load_aeb(data / "aeb")]
    else:
        raise SystemExit(f"unknown data set {name!r}")
    return rows[:limit] if limit else rows


# ---- the systems, each run in a child process ----------------------------------------------------


def run_storyline(rows: Sequence[Row]) -> tuple[float, dict[str, Any]]:
    from storyline.pipeline import run
    from storyline.settings import Settings
    from storyline.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "items.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        with Store(Path(tmp) / "bench.db") as store:
            start = time.perf_counter()
            outcomes = list(run([source], store, Settings(workers=os.cpu_count() or 1)))
            seconds = time.perf_counter() - start
            ok = [o.id for o in outcomes if o.status == "ok" and o.id]
            result = {
                "groups": store.groups_of(ok),
                "stories": store.stories_of(ok),
                "texts": store.texts(ok),
                "rejected": sum(o.status == "rejected" for o in outcomes),
            }
    return seconds, result


def line_dedup(texts: Sequence[str]) -> list[str]:
    """Drop the lines that recur on more than 1% of the documents (and at least 5): boilerplate."""
    docs = [[line.strip() for line in t.splitlines()] for t in texts]
    counts = Counter(line for lines in docs for line in set(lines) if line)
    most = max(5, len(docs) // 100)
    return ["\n".join(line for line in lines if line and counts[line] <= most) for lines in docs]


def word_5grams(text: str) -> list[str]:
    words = text.lower().split()
    return [" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))]


def rensa_groups(texts: Sequence[str]) -> list[int]:
    """Copy groups: rensa MinHash LSH candidates joined by union-find (as benchmarks/copies_speed.py)."""
    from rensa import RMinHash, RMinHashLSH

    hashes = RMinHash.from_token_sets([word_5grams(t) for t in texts], PERM, 42)
    lsh = RMinHashLSH(THRESHOLD, PERM, 16)
    lsh.insert_many(hashes)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, found in enumerate(lsh.query_all(hashes)):
        for j in found:
            a, b = find(i), find(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(len(texts))]


def run_peer(rows: Sequence[Row], cosine: Sequence[float]) -> tuple[float, dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).parent))
    from stories_realnews import online_tfidf

    start = time.perf_counter()
    if any("html" in r for r in rows):
        import trafilatura

        texts = [trafilatura.extract(r["html"]) or "" for r in rows]
    else:
        texts = line_dedup([r["text"] for r in rows])
    keep = [i for i, t in enumerate(texts) if len(t.split()) >= 20]
    groups = rensa_groups([texts[i] for i in keep])
    first: dict[int, int] = {}
    for pos, g in enumerate(groups):
        first.setdefault(g, pos)
    reps = sorted(first.values())
    items = [{**rows[keep[p]], "text": texts[keep[p]]} for p in reps]
    story_runs = {cosine[0]: online_tfidf(items, cosine[0])}
    seconds = time.perf_counter() - start  # the other thresholds are only for tuning, not timed
    for threshold in cosine[1:]:
        story_runs[threshold] = online_tfidf(items, threshold)
    ids = [rows[i]["id"] for i in keep]
    rep_index = {groups[p]: k for k, p in enumerate(reps)}
    result = {
        "groups": {ids[k]: str(groups[k]) for k in range(len(ids))},
        "stories": {
            str(th): {ids[k]: str(labels[rep_index[groups[k]]]) for k in range(len(ids))}
            for th, labels in story_runs.items()
        },
        "texts": {ids[k]: texts[keep[k]] for k in range(len(ids))},
        "rejected": len(rows) - len(keep),
    }
    return seconds, result


def run_rensa_only(rows: Sequence[Row]) -> tuple[float, dict[str, Any]]:
    texts = [r.get("text") or "" for r in rows]
    start = time.perf_counter()
    rensa_groups(texts)
    return time.perf_counter() - start, {}


def run_trafilatura(rows: Sequence[Row]) -> tuple[float, dict[str, Any]]:
    import trafilatura

    start = time.perf_counter()
    texts = {r["id"]: trafilatura.extract(r["html"]) or "" for r in rows}
    return time.perf_counter() - start, {"texts": texts}


def child(system: str, data: str, limit: int | None, cosine: Sequence[float]) -> None:
    rows = load_rows(data, limit)
    if system == "storyline":
        seconds, result = run_storyline(rows)
    elif system == "peer":
        seconds, result = run_peer(rows, cosine)
    elif system == "rensa":
        seconds, result = run_rensa_only(rows)
    else:
        seconds, result = run_trafilatura(rows)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    json.dump(
        {"seconds": seconds, "rss": own, "worker_rss": workers, "items": len(rows), **result}, sys.stdout
    )


def in_child(system: str, data: str, limit: int | None, cosine: Sequence[float] = (0.3,)) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", system, "--only", data, "--cosine"]
    command += [",".join(map(str, cosine))] + (["--limit", str(limit)] if limit else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{system} on {data} failed:\n{done.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(done.stdout)
    return out


# ---- accuracy and report -------------------------------------------------------------------------


def report(name: str, res: dict[str, Any], extra: str = "") -> None:
    rss = f"{res['rss']:.0f} MiB" + (f" (+ workers {res['worker_rss']:.0f})" if res["worker_rss"] > 1 else "")
    rate = res["items"] / res["seconds"]
    print(f"  {name:<34} {res['seconds']:7.1f} s {rate:8.0f} docs/s  peak {rss:<24} {extra}")


def webnews_accuracy(ours: dict[str, Any], peer: dict[str, Any]) -> float:
    """Copy F1 and story BCubed F1 of both on webnews-dev; returns the peer's best cosine threshold."""
    pages = {p.id: p for p in load_webnews()}
    ids = sorted(pages)

    def labels(values: dict[str, str], prefix: str) -> list[str]:
        return [values.get(i, f"{prefix}:{i}") for i in ids]

    copies = [pages[i].copy_group or f"own:{i}" for i in ids]
    events = [pages[i].event for i in ids]
    cp = pairwise_prf(copies, labels(ours["groups"], "g"))
    st = bcubed(events, labels(ours["stories"], "s"))
    print(
        f"  storyline: copies P {cp.precision:.3f} R {cp.recall:.3f} F1 {cp.f1:.3f};"
        f"  stories BCubed F1 {st.f1:.3f}"
    )
    pc = pairwise_prf(copies, labels(peer["groups"], "g"))
    scores = {th: bcubed(events, labels(s, "s")).f1 for th, s in peer["stories"].items()}
    best = max(scores, key=lambda th: scores[th])
    print(
        f"  peer:      copies P {pc.precision:.3f} R {pc.recall:.3f} F1 {pc.f1:.3f};  stories BCubed F1"
        f" {scores[best]:.3f} at cosine {best} (tuned on this set; others: "
        + ", ".join(f"{th} {f:.3f}" for th, f in sorted(scores.items()))
        + ")"
    )
    print(
        f"  ratio (storyline / peer): copies F1 {cp.f1 / max(pc.f1, 1e-9):.2f},"
        f" stories F1 {st.f1 / scores[best]:.2f}"
    )
    return float(best)


def ticker_mix(rows: Sequence[Row], stories: dict[str, str]) -> float:
    sys.path.insert(0, str(Path(__file__).parent))
    from stories_data import mixed_share, ticker

    ok = [r for r in rows if r["id"] in stories]
    return float(mixed_share([ticker(r["title"]) for r in ok], [stories[r["id"]] for r in ok]))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="items per data set (default: all)")
    parser.add_argument("--only", default="webnews,reuters,bbc,aeb", help="data sets, comma-separated")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cosine", default="0.3", help=argparse.SUPPRESS)
    args = parser.parse_args()
    cosine = [float(c) for c in args.cosine.split(",")]
    if args.child:
        child(args.child, args.only, args.limit, cosine)
        return 0
    sets = args.only.split(",")
    threshold = 0.3
    if "webnews" in sets:
        print("webnews-dev (real pages, text and url only; labelled copy groups and events)")
        ours = in_child("storyline", "webnews", args.limit)
        peer = in_child("peer", "webnews", args.limit, PEER_COSINE)
        report("storyline run", ours)
        report("peer (line dedup+rensa+TF-IDF)", peer)
        threshold = webnews_accuracy(ours, peer)
    for name in ("reuters", "bbc"):
        if name not in sets:
            continue
        print(f"{'Reuters-21578 (flat text, titles and dates)' if name == 'reuters' else 'BBC (flat text)'}")
        ours = in_child("storyline", name, args.limit)
        peer = in_child("peer", name, args.limit, (threshold,))
        rensa = in_child("rensa", name, args.limit)
        extra_ours = extra_peer = ""
        if name == "reuters":
            rows = load_rows(name, args.limit)
            extra_ours = f"ticker mix {ticker_mix(rows, ours['stories']):.3f}"
            extra_peer = f"ticker mix {ticker_mix(rows, peer['stories'][str(threshold)]):.3f}"
        report(f"storyline run ({ours['rejected']} rejected)", ours, extra_ours)
        report(f"peer ({peer['rejected']} rejected)", peer, extra_peer)
        report("rensa copy-only", rensa)
        rate = {k: v["items"] / v["seconds"] for k, v in (("ours", ours), ("peer", peer), ("rensa", rensa))}
        print(
            f"  ratio: storyline / peer {rate['ours'] / rate['peer']:.2f}x,"
            f" storyline / rensa copy-only {rate['ours'] / rate['rensa']:.3f}x (goal >= 0.2x)"
        )
    if "aeb" in sets:
        print("article-extraction benchmark (HTML pages)")
        gold = {f"aeb{p.id}": p.gold for p in load_aeb(default_data_dir() / "aeb")}
        ours = in_child("storyline", "aeb", args.limit)
        traf = in_child("trafilatura", "aeb", args.limit)
        peer = in_child("peer", "aeb", args.limit, (threshold,))

        def f1(texts: dict[str, str]) -> float:
            return score(
                page_counts(gold[i], texts.get(i, "")) for i in sorted(gold) if i in traf["texts"]
            ).f1

        report("storyline run", ours, f"extraction F1 {f1(ours['texts']):.3f} (goal >= 0.975)")
        report("trafilatura.extract alone", traf, f"extraction F1 {f1(traf['texts']):.3f}")
        report("peer (trafilatura+rensa+TF-IDF)", peer)
        ratio = (ours["items"] / ours["seconds"]) / (traf["items"] / traf["seconds"])
        print(f"  ratio: storyline run / trafilatura.extract pages/s {ratio:.2f}x (goal >= 1.0x)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark driver peak {peak:.0f} MiB; numpy {np.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
