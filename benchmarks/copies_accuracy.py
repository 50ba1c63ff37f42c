"""Copy-detection accuracy: Storyline beside datasketch MinHash LSH and a containment baseline.

`storyline` is the whole product path (`storyline run`: ingest, clean, copies, store) on the items as a
user would feed them; `copies stage only` runs `find_copies` on the texts as given, without cleaning.
Competitors, on the same texts:

- datasketch MinHash (lowercased word 5-grams, 128 permutations) + MinHashLSH at a Jaccard threshold,
  groups = connected components of the LSH candidates (what the library offers);
- word-5-gram containment (shared 5-grams / the shorter text's) + union-find, its threshold chosen ON
  THE TEST DATA from 0.05-0.95 (an upper bound for that method; the figure shows the threshold).

Sets: webnews-dev (real pages of 244 sites, hand-labelled copy groups: partial reposts inside each
site's page), fed with text and url only, then with titles and publication times; synthetic sets from
`storyline.evaluate` (noisy reposts, hard negatives, template reports, exact duplicates) and the seeds.
The copy model was fitted on webnews-dev and the synthetic sets of seed 0 (`copies_calibration.py`
prints the held-out webnews figure): the webnews rows here are in-sample, the synthetic ones (seed 1 by
default) are not.

    .venv/bin/python benchmarks/copies_accuracy.py [--seed 1] [--size 3000] [--skip SET,...]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from itertools import combinations

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
from storyline.evaluate.product import run_product
from storyline.evaluate.reports import template_set
from storyline.evaluate.webnews import Feed, feed_rows, load_webnews

Method = Callable[[Sequence[str]], list[int]]
WORD = re.compile(r"\w+")

NOTES = {
    "exact": "gold = identical text only: Reuters corrections and templated reports (bond issues, Fed "
    "operations) count as false pairs; recall is the clean figure here",
    "hard_negatives": "false pairs = independent same-event ECB+ articles, shared-insert pairs or "
    "same-site-chrome articles grouped",
    "templates": "false pairs = issues of one report with other figures grouped",
    "seeds": "the four real seed articles: 000+001 one CBC/AP story (scraped repost), 002 and 003 apart",
}


def _components(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
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


def _grams(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def datasketch_lsh(threshold: float, num_perm: int = 128) -> Method:
    """The baseline at one LSH threshold, hashing included in its time."""

    def run(texts: Sequence[str]) -> list[int]:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        hashes = MinHash.bulk([[g.encode() for g in _grams(t)] for t in texts], num_perm=num_perm, seed=1)
        pairs: list[tuple[int, int]] = []
        for i, mh in enumerate(hashes):
            pairs += [(i, int(j)) for j in lsh.query(mh)]
            lsh.insert(str(i), mh)
        return _components(len(texts), pairs)

    return run


def containment_tuned(gold: Sequence[object]) -> tuple[Method, list[str]]:
    """Word-5-gram containment with union-find, at the threshold that scores best against `gold`."""
    note: list[str] = []

    def run(texts: Sequence[str]) -> list[int]:
        sets = [_grams(t) for t in texts]
        index: dict[str, list[int]] = {}
        for i, s in enumerate(sets):
            for g in s:
                index.setdefault(g, []).append(i)
        shared: dict[tuple[int, int], int] = {}
        for holders in index.values():
            if 1 < len(holders) <= 200:
                for pair in combinations(holders, 2):
                    shared[pair] = shared.get(pair, 0) + 1
        scored = [(a, b, n / max(1, min(len(sets[a]), len(sets[b])))) for (a, b), n in shared.items()]
        best: tuple[float, float, list[int]] = (-1.0, 0.0, list(range(len(texts))))
        for step in range(1, 20):
            t = step * 0.05
            labels = _components(len(texts), [(a, b) for a, b, c in scored if c >= t])
            f1 = score_clustering(gold, labels).pairwise.f1
            if f1 > best[0]:
                best = (f1, t, labels)
        note.append(f"threshold {best[1]:.2f}")
        return best[2]

    return run, note


def _ours(texts: Sequence[str]) -> list[int]:
    """The copies stage alone, on the texts as given."""
    return list(find_copies(texts))


def _product(rows: Sequence[dict[str, object]]) -> Method:
    def run(texts: Sequence[str]) -> list[int]:
        del texts  # the product path reads the rows, metadata included
        result = run_product(rows)
        labels = result.group_labels([str(r["id"]) for r in rows])
        names: dict[str, int] = {}
        return [names.setdefault(label, len(names)) for label in labels]

    return run


def _row(name: str, s: ClusterScores, seconds: float, note: str = "") -> str:
    p = s.pairwise
    return (
        f"  {name:<22} P {p.precision:6.3f}  R {p.recall:6.3f}  F1 {p.f1:6.3f}  ARI {s.ari:6.3f}  "
        f"false pairs {s.pairs.fp:>6}  missed {s.pairs.fn:>6}  {seconds:6.1f}s {note}"
    )


def evaluate(
    copy_set: CopySet, methods: dict[str, Method], rows: Sequence[dict[str, object]] | None = None
) -> None:
    summary = copy_set.summary()
    print(
        f"\n[{copy_set.name}] {summary['items']} items, {summary['groups']} gold groups "
        f"({summary['grouped_items']} items, {summary['gold_pairs']} pairs), "
        f"{summary['singletons']} singletons"
    )
    if copy_set.name in NOTES:
        print(f"  ({NOTES[copy_set.name]})")
    texts = list(copy_set.texts)
    rows = rows or [{"id": i, "text": t} for i, t in zip(copy_set.ids, texts, strict=True)]
    tuned, note = containment_tuned(copy_set.labels)
    every = {"storyline": _product(rows), **methods, "containment (tuned on test)": tuned}
    results: dict[str, ClusterScores] = {}
    for name, method in every.items():
        start = time.perf_counter()
        labels = method(texts)
        seconds = time.perf_counter() - start
        results[name] = score_clustering(copy_set.labels, labels)
        extra = note[-1] if name.startswith("containment") and note else ""
        print(_row(name, results[name], seconds, extra), flush=True)
    ours = results["storyline"].pairwise.f1
    for name, theirs in results.items():
        if name != "storyline":
            ratio = ours / theirs.pairwise.f1 if theirs.pairwise.f1 else float("inf")
            print(f"  storyline / {name:<26} F1 x{ratio:5.2f}")


def webnews_set(feed: Feed) -> tuple[CopySet, list[dict[str, object]]]:
    pages = load_webnews()
    labels: dict[str, int] = {}
    gold = tuple(labels.setdefault(p.copy_group, len(labels)) for p in pages)
    copy_set = CopySet(
        f"webnews-dev ({'text and url' if feed == 'plain' else 'titles and dates'})",
        tuple(p.id for p in pages),
        tuple(p.text for p in pages),
        gold,
        tuple("real" for _ in pages),
    )
    return copy_set, feed_rows(pages, feed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copy-detection accuracy beside datasketch and containment.")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic sets (0 was fitted on)")
    parser.add_argument("--size", type=int, default=3000, help="noisy-set items (approx.) and exact-set cap")
    parser.add_argument("--skip", default="", help="comma-separated set names to skip (e.g. exact)")
    args = parser.parse_args(argv)
    if not default_data_dir().is_dir():
        print(f"no data at {default_data_dir()} (set STORYLINE_DATA)", file=sys.stderr)
        return 2
    skip = set(filter(None, args.skip.split(",")))
    methods: dict[str, Method] = {
        "copies stage only": _ours,
        "datasketch@0.5": datasketch_lsh(0.5),
        "datasketch@0.8": datasketch_lsh(0.8),
    }
    for feed in ("plain", "dated"):
        if f"webnews-{feed}" not in skip:
            copy_set, rows = webnews_set(feed)  # type: ignore[arg-type]
            evaluate(copy_set, methods, rows)
    originals = max(1, round(args.size / 5.5))
    sets: dict[str, Callable[[], CopySet]] = {
        "noisy": lambda: noisy_set(seed=args.seed, originals=originals, singletons=originals),
        "hard_negatives": lambda: hard_negative_set(seed=args.seed),
        "templates": lambda: template_set(seed=args.seed),
        "exact": lambda: exact_duplicate_set(seed=args.seed, size=args.size),
        "seeds": seed_set,
    }
    for name, build in sets.items():
        if name not in skip:
            evaluate(build(), methods)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
