"""Copy-detection accuracy: Storyline beside datasketch MinHash LSH, on the same sets.

`storyline` is the whole product path (`storyline run`: ingest, clean, copies, store); `copies stage
only` runs `find_copies` on the texts as given, without cleaning.

Sets (storyline.evaluate.copysets): exact duplicates in BBC + Reuters, synthetic noisy reposts of
real articles, and hard negatives (independent same-event ECB+ articles, unrelated articles sharing an
inserted quote). The baseline is the usual near-duplicate pipeline: lowercased word 5-grams, MinHash
with 128 permutations, MinHashLSH at a Jaccard threshold, groups = connected components of the
candidate pairs (no verification step).

    .venv/bin/python benchmarks/copies_accuracy.py [--seed N] [--size N]

`--size` is the approximate item count of the noisy set and the cap on the exact set.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from storyline.copies import find_copies
from storyline.evaluate.copysets import (
    CopySet,
    default_data_dir,
    exact_duplicate_set,
    hard_negative_set,
    noisy_set,
    seed_set,
)
from storyline.evaluate.metrics import ClusterScores, score_clustering
from storyline.pipeline import run
from storyline.store import Store

Method = Callable[[Sequence[str]], list[int]]

NOTES = {
    "exact": "gold = identical text only: Reuters corrections and templated reports (bond issues, Fed "
    "operations) count as false pairs; recall is the clean figure here",
    "hard_negatives": "false pairs = independent same-event ECB+ articles, shared-insert pairs or "
    "same-site-chrome articles grouped",
    "seeds": "the four real seed articles: 000+001 one CBC/AP story (scraped repost), 002 and 003 apart",
}


def _components(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def _minhashes(texts: Sequence[str], num_perm: int) -> list[MinHash]:
    shingle_sets = []
    for text in texts:
        words = re.findall(r"\w+", text.lower())
        grams = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        shingle_sets.append(list(grams))
    return list(MinHash.bulk(shingle_sets, num_perm=num_perm, seed=1))


def datasketch_lsh(threshold: float, num_perm: int = 128) -> Method:
    """The baseline at one LSH threshold, hashing included in its time."""

    def run(texts: Sequence[str]) -> list[int]:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        pairs: list[tuple[int, int]] = []
        for i, mh in enumerate(_minhashes(texts, num_perm)):
            pairs += [(i, int(j)) for j in lsh.query(mh)]
            lsh.insert(str(i), mh)
        return _components(len(texts), pairs)

    return run


def _ours(texts: Sequence[str]) -> list[int]:
    """The copies stage alone, on the texts as given."""
    return list(find_copies(texts))


def _pipeline(texts: Sequence[str]) -> list[int]:
    """What a user gets: `storyline run` end to end (ingest, clean with corpus evidence, copies, store)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "items.jsonl"
        rows = (json.dumps({"id": str(i), "text": t}) for i, t in enumerate(texts))
        source.write_text("\n".join(rows) + "\n", encoding="utf-8")
        with Store(Path(tmp) / "bench.db") as store:
            outcomes = list(run([source], store))
            groups = store.groups_of(o.id for o in outcomes if o.status == "ok" and o.id)
    # A rejected item counts as a group of its own.
    return [hash(groups.get(str(i), f"rejected-{i}")) for i in range(len(texts))]


def _row(name: str, s: ClusterScores, seconds: float) -> str:
    p = s.pairwise
    return (
        f"  {name:<18} P {p.precision:6.3f}  R {p.recall:6.3f}  F1 {p.f1:6.3f}  ARI {s.ari:6.3f}  "
        f"false pairs {s.pairs.fp:>6}  missed {s.pairs.fn:>6}  {seconds:6.1f}s"
    )


def evaluate(copy_set: CopySet, methods: dict[str, Method]) -> dict[str, ClusterScores]:
    summary = copy_set.summary()
    print(
        f"\n[{copy_set.name}] {summary['items']} items, {summary['groups']} gold groups "
        f"({summary['grouped_items']} items, {summary['gold_pairs']} pairs), "
        f"{summary['singletons']} singletons"
    )
    if copy_set.name in NOTES:
        print(f"  ({NOTES[copy_set.name]})")
    texts = list(copy_set.texts)
    results: dict[str, ClusterScores] = {}
    for name, method in methods.items():
        start = time.perf_counter()
        labels = method(texts)
        seconds = time.perf_counter() - start
        results[name] = score_clustering(copy_set.labels, labels)
        print(_row(name, results[name], seconds), flush=True)
    return results


def _ratios(results: dict[str, ClusterScores]) -> None:
    if "storyline" not in results:
        return
    ours = results["storyline"]
    for name, theirs in results.items():
        if name == "storyline":
            continue
        f1 = ours.pairwise.f1 / theirs.pairwise.f1 if theirs.pairwise.f1 else float("inf")
        ari = ours.ari / theirs.ari if theirs.ari > 0 else float("inf")
        print(f"  storyline / {name:<14} F1 x{f1:5.2f}  ARI x{ari:5.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy-detection accuracy: Storyline vs datasketch.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=3000, help="noisy-set items (approx.) and exact-set cap")
    args = parser.parse_args(argv)
    if not default_data_dir().is_dir():
        print(f"no data at {default_data_dir()} (set STORYLINE_DATA)", file=sys.stderr)
        return 2
    methods: dict[str, Method] = {"storyline": _pipeline, "copies stage only": _ours}
    methods["datasketch@0.5"] = datasketch_lsh(0.5)
    methods["datasketch@0.8"] = datasketch_lsh(0.8)
    originals = max(1, round(args.size / 5.5))
    sets: list[Callable[[], CopySet]] = [
        lambda: exact_duplicate_set(seed=args.seed, size=args.size),
        lambda: noisy_set(seed=args.seed, originals=originals, singletons=originals),
        lambda: hard_negative_set(seed=args.seed),
        seed_set,
    ]
    for build in sets:
        _ratios(evaluate(build(), methods))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
