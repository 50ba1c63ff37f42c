"""Online story assignment speed with many articles stored, beside a scikit-learn batch baseline.

Stored corpus: Reuters-21578 bodies with their 1987 dates and BBC articles, topped up to ``--stored``
articles with synthetic ones (sentences drawn at random from both, each naming one new person, dates
spread over 1987) -- the point is index size and term statistics, not stories. Then ``--new`` further
articles are added one by one and timed, feature extraction included: in one process, then ``--new``
more with a second process reading their terms ahead of the index (``StoryIndex.add_many``, what
``storyline run`` does with several workers). Peak memory (ru_maxrss) is printed with an
estimate for 1M stored articles: the process at ``--stored`` plus the per-article growth measured over
the second half of the fill (caches and the interpreter do not grow with the index), and the cruder
linear-from-zero figure beside it. The baseline (TF-IDF + agglomerative average link, as in
stories_accuracy.py) needs the full distance matrix, so it is timed beside our batch clustering on
ECB+ dev (772 articles, F1 printed) and on ``--baseline-size`` Reuters articles.

    .venv/bin/python benchmarks/stories_speed.py [--stored 100000] [--new 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from stories_data import load_ecb
from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import bcubed
from storyline.stories import StoryIndex, StoryRecord, cluster_stories

DEFAULT_DATA = default_data_dir()


def reuters(path: Path) -> list[StoryRecord]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    for row in rows:
        if not row.get("body"):
            continue
        try:
            when: datetime | None = datetime.strptime(row["date"].split()[0], "%d-%b-%Y")
        except (ValueError, IndexError):
            when = None
        out.append(StoryRecord(f"r{row['newid']}", row.get("title"), row["body"], when))
    return out


def bbc(path: Path, seed: int = 5) -> list[StoryRecord]:
    """BBC news 2004-05: headline on the first line; no dates, so spread over 1987 at random like the
    synthetic articles (mixed in with Reuters, not a separate stretch of time)."""
    rnd = random.Random(seed)
    start = datetime(1987, 1, 1)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [
        StoryRecord(
            f"b{i}",
            row["text"].split("\n", 1)[0],
            row["text"].split("\n", 1)[-1],
            start + timedelta(minutes=rnd.randrange(365 * 24 * 60)),
        )
        for i, row in enumerate(rows)
    ]


def synthetic(base: list[StoryRecord], count: int, seed: int = 7) -> list[StoryRecord]:
    """Articles of 4-14 sentences drawn from ``base``, each naming one person no other article names.

    Sentences drawn from a fixed corpus bring no new words, while real news keeps naming new people,
    places and numbers; one invented surname per article (three new terms: the word, the name and
    the full name) keeps the vocabulary growing, so memory per article is not underestimated.
    """
    rnd = random.Random(seed)
    sentences = [s.strip() for r in base for s in r.text.replace("\n", " ").split(". ") if len(s) > 40]
    first = ("Anna", "Peter", "Maria", "John", "Li", "Omar", "Sofia", "David", "Yuki", "Carlos")
    syllables = ("ka", "lo", "mi", "ren", "sto", "vik", "za", "dor", "bel", "tun", "ash", "ori")
    start = datetime(1987, 1, 1)
    out = []
    for i in range(count):
        surname = "".join(rnd.choice(syllables) for _ in range(4)).capitalize() + str(i)
        body = [rnd.choice(sentences) for _ in range(rnd.randint(4, 14))]
        body.insert(rnd.randrange(len(body)), f"{rnd.choice(first)} {surname} said it was expected")
        out.append(
            StoryRecord(
                f"s{i}",
                rnd.choice(base).title,
                ". ".join(body),
                start + timedelta(minutes=rnd.randrange(365 * 24 * 60)),
            )
        )
    return out


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_time(texts: list[str]) -> tuple[float, list[int]]:
    start = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.8
    ).fit_predict(x)
    return time.perf_counter() - start, [int(v) for v in labels]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=2000, help="articles timed, each way")
    parser.add_argument("--baseline-size", type=int, default=2000)
    args = parser.parse_args()
    base = reuters(args.data / "reuters21578" / "reuters21578.jsonl.gz")
    base += bbc(args.data / "bbc" / "bbc.jsonl.gz")
    corpus = sorted(
        base + synthetic(base, args.stored + 2 * args.new - len(base)),
        key=lambda r: r.published or datetime(1987, 1, 1),
    )
    stored = corpus[: args.stored]
    serial, piped = corpus[args.stored : args.stored + args.new], corpus[args.stored + args.new :]
    before = rss_mib()
    index = StoryIndex()
    start = time.perf_counter()
    half = rss_mib()
    for i, r in enumerate(stored):
        index.add(r)
        if i + 1 == len(stored) // 2:
            half = rss_mib()
    fill_s = time.perf_counter() - start
    full = rss_mib()
    print(f"filled {len(stored)} articles in {fill_s:.1f}s ({len(stored) / fill_s:.0f}/s)")
    start = time.perf_counter()
    for r in serial:
        index.add(r)
    add_s = time.perf_counter() - start
    print(f"online add with {len(stored)} stored, 1 process: {len(serial) / add_s:.0f} articles/s")
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        executor.submit(sum, [1]).result()  # start the worker before the clock
        start = time.perf_counter()
        index.add_many(piped, executor)
        add_s = time.perf_counter() - start
    print(
        f"online add with {len(stored) + len(serial)} stored, 2 processes (terms read by a worker): "
        f"{len(piped) / add_s:.0f} articles/s"
    )
    grown = full - before
    slope = (full - half) / (len(stored) - len(stored) // 2)
    print(
        f"peak RSS {rss_mib():.0f} MiB; index growth {grown:.0f} MiB for {len(stored)} articles, "
        f"{slope * 1024:.2f} KiB per article over the second half -> at 1M stored about "
        f"{(full + slope * (1_000_000 - len(stored))) / 1024:.2f} GiB of process memory "
        f"(linear from zero: {grown * 1_000_000 / len(stored) / 1024:.2f} GiB)"
    )
    ecb = load_ecb(args.data)
    texts = [r.text for r in ecb.records]
    b_s, b_labels = baseline_time(texts)
    start = time.perf_counter()
    ours = cluster_stories(ecb.records)
    o_s = time.perf_counter() - start
    o_labels = [ours.story_of(r.id) for r in ecb.records]
    print(
        f"ECB+ dev {len(texts)}: baseline {b_s:.2f}s F1 {bcubed(ecb.events, b_labels).f1:.4f} "
        f"(distance 0.8) | ours batch {o_s:.2f}s F1 {bcubed(ecb.events, o_labels).f1:.4f}"
    )
    sample = base[: args.baseline_size]
    b_s, _ = baseline_time([r.text for r in sample])
    start = time.perf_counter()
    cluster_stories(sample)
    print(f"Reuters {len(sample)}: baseline {b_s:.2f}s | ours batch {time.perf_counter() - start:.2f}s")


if __name__ == "__main__":
    main()
