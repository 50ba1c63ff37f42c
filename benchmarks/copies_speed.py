"""Copy detection speed on Reuters-21578: Storyline's find_copies beside datasketch and rensa, one run.

Every pipeline goes from raw text (title + newline + body) to copy groups. Baselines use lowercase word
5-grams (``\\w+`` tokens) and 128 permutations with LSH at threshold 0.5, and group LSH candidates by
connected components without verification (what those libraries offer). Throughput is measured on a
run without tracing (best of ``--repeat``, same for every pipeline); peak memory is the tracemalloc peak
of one more, traced run (numpy buffers are traced; Rust-side allocations of rensa are not).

    .venv/bin/python benchmarks/copies_speed.py [--limit N] [--skip-datasketch] [--stages]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
import tracemalloc
from collections.abc import Callable, Sequence

import numpy as np

from storyline.copies import CopyConfig, component_labels, find_copies
from storyline.evaluate.copysets import default_data_dir

DATA = default_data_dir() / "reuters21578/reuters21578.jsonl.gz"
WORD = re.compile(r"\w+")
PERM = 128
THRESHOLD = 0.5


def load(limit: int | None) -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    texts = [(r.get("title") or "") + "\n" + (r.get("body") or "") for r in rows]
    return texts[:limit] if limit else texts


def word_5grams(text: str) -> list[str]:
    words = WORD.findall(text.lower())
    return [" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))] if words else [""]


def labels_from_candidates(n: int, candidates: Sequence[Sequence[int]]) -> list[int]:
    pairs = [(i, int(j)) for i, found in enumerate(candidates) for j in found if int(j) != i]
    result: list[int] = component_labels(n, np.array(pairs, dtype=np.int64).reshape(-1, 2)).tolist()
    return result


def run_datasketch(texts: Sequence[str]) -> list[int]:
    from datasketch import MinHash, MinHashLSH

    shingles = [[s.encode("utf-8") for s in word_5grams(t)] for t in texts]
    hashes = MinHash.bulk(shingles, num_perm=PERM)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERM)
    with lsh.insertion_session() as session:
        for i, mh in enumerate(hashes):
            session.insert(i, mh)
    return labels_from_candidates(len(texts), [lsh.query(mh) for mh in hashes])


def run_rensa(texts: Sequence[str]) -> list[int]:
    from rensa import RMinHash, RMinHashLSH

    hashes = RMinHash.from_token_sets([word_5grams(t) for t in texts], PERM, 42)
    lsh = RMinHashLSH(THRESHOLD, PERM, 16)
    lsh.insert_many(hashes)
    return labels_from_candidates(len(texts), lsh.query_all(hashes))


def run_storyline(texts: Sequence[str]) -> list[int]:
    return find_copies(texts, CopyConfig())


def measure(
    fn: Callable[[Sequence[str]], list[int]], texts: Sequence[str], repeat: int
) -> tuple[float, float, int]:
    seconds = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        labels = fn(texts)
        seconds = min(seconds, time.perf_counter() - start)
    tracemalloc.start()
    fn(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    _, counts = np.unique(labels, return_counts=True)
    return seconds, peak / 2**20, int((counts > 1).sum())


def stages(texts: Sequence[str]) -> None:
    """Where storyline's time goes, stage by stage, on one run (``--stages``)."""
    from storyline.copies import CopyIndex, MemoryPostings, average_groups, load_pair_model
    from storyline.copies.evidence import measure as evidence
    from storyline.copies.fingerprints import winnow
    from storyline.copies.links import make_links
    from storyline.copies.shingles import shingle_batch

    cfg, seconds = CopyConfig(), {}

    def timed(name: str, fn: Callable[[], object]) -> object:
        start = time.perf_counter()
        out = fn()
        seconds[name] = time.perf_counter() - start
        return out

    ids = [str(i) for i in range(len(texts))]
    timed("shingles", lambda: shingle_batch(texts, cfg.shingle_chars, cfg.sample_bits, cfg.seed))
    batch = shingle_batch(texts, cfg.shingle_chars, cfg.sample_bits, cfg.seed)
    timed("winnowing", lambda: winnow(batch, cfg.window))
    found = CopyIndex(MemoryPostings(), cfg).candidates(ids, texts, record=False)
    seconds["candidates (incl. the two above)"] = 0.0
    timed(
        "candidates (incl. the two above)",
        lambda: CopyIndex(MemoryPostings(), cfg).candidates(ids, texts, False),
    )
    ev = timed("evidence", lambda: evidence(found.texts, found.pairs, cfg, found.batch))
    model = load_pair_model()
    prob = timed("model", lambda: model.probability(ev))  # type: ignore[arg-type]
    links = timed(
        "links",
        lambda: make_links(found.ids, found.texts, found.pairs, ev, prob, cfg, False),  # type: ignore[arg-type]
    )
    weighted = [(x.a, x.b, x.probability) for x in links]  # type: ignore[attr-defined]
    timed("groups", lambda: average_groups(ids, weighted, cfg.group_threshold))
    print(f"{len(found.pairs)} candidate pairs, {len(links)} links")  # type: ignore[arg-type]
    for name, value in seconds.items():
        print(f"  {name:34} {value:6.2f} s")


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per pipeline; the best is shown")
    parser.add_argument("--stages", action="store_true", help="also time storyline's stages, one run")
    args = parser.parse_args()
    texts = load(args.limit)
    if args.stages:
        stages(texts)
    Pipeline = Callable[[Sequence[str]], list[int]]
    runs: list[tuple[str, Pipeline]] = [("storyline find_copies", run_storyline)]
    runs.append(("rensa 0.5 RMinHash+LSH (t=0.5)", run_rensa))
    if not args.skip_datasketch:
        runs.append(("datasketch MinHash+LSH (t=0.5)", run_datasketch))
    run_storyline(texts[:200])  # warm up imports
    print(f"{len(texts)} Reuters-21578 texts (title + body), {sum(map(len, texts)) / 1e6:.1f} M chars")
    print(f"{'pipeline':34} {'seconds':>8} {'docs/s':>9} {'peak MiB':>9} {'groups':>7} {'speed x':>8}")
    results = {name: measure(fn, texts, args.repeat) for name, fn in runs}
    ours = results["storyline find_copies"][0]
    for name, (seconds, peak, groups) in results.items():
        rate = len(texts) / seconds
        print(f"{name:34} {seconds:8.2f} {rate:9.0f} {peak:9.1f} {groups:7d} {seconds / ours:8.2f}")
    print("groups = copy groups with 2+ members; speed x = that pipeline's time / storyline's time;")
    print(f"seconds = best of {args.repeat} runs; peak MiB = tracemalloc peak during one more, traced run.")


if __name__ == "__main__":
    main()
