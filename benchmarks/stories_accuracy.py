"""Story-clustering accuracy on ECB+ dev and SemEval-2022 pairs, beside a TF-IDF + average-link baseline.

ECB+ (topics 1-35): every topic holds two look-alike events. Printed:
- ours with the shipped defaults: batch, and online (file order and 3 shuffled orders, before and
  after revision), BCubed P/R/F1 and ARI;
- the baseline: scikit-learn TF-IDF (sublinear, English stop words) + agglomerative average link on
  cosine distance, its threshold tuned ON THIS TEST DATA (an upper bound for it), with its time.
Held-out figures (cross-validation across ECB+ topics and webnews-dev events) are printed by
``stories_realnews.py``; ``--calibrate`` prints the defaults fitted on all calibration sets
(``stories_calibration.py``).
SemEval-2022 task 8 dev, English-English pairs: Spearman/Pearson between our P(same event) and
``Overall`` (1 = same ... 4 = different, so good correlations are negative), and accuracy of
"P >= threshold" against "Overall <= 2". Other language pairs are reported apart for information:
the features are lexical with English stop words, so only names and numbers carry across languages.

    .venv/bin/python benchmarks/stories_accuracy.py [--data DIR] [--calibrate]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from stories_calibration import calibrate, candidate_table
from stories_data import Labelled, load_ecb, load_webnews, load_wire_window
from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import adjusted_rand_index, bcubed
from storyline.stories import DEFAULT_CONFIG, StoryConfig, StoryIndex, StoryRecord, cluster_stories
from storyline.stories.features import body_text, extract_terms
from storyline.stories.similarity import DocumentFrequencies, same_event_probability, vectorise

DEFAULT_DATA = default_data_dir()


def line(name: str, gold: Sequence[Hashable], pred: Sequence[Hashable], extra: str = "") -> float:
    s = bcubed(gold, pred)
    ari = adjusted_rand_index(gold, pred)
    print(f"  {name:<34} P {s.precision:.4f}  R {s.recall:.4f}  F1 {s.f1:.4f}  ARI {ari:.4f}  {extra}")
    return s.f1


def online_labels(data: Labelled, order: Sequence[int], config: StoryConfig) -> tuple[list[str], list[str]]:
    """Story ids after adding in ``order``, before and after one revision."""
    index = StoryIndex(config)
    for i in order:
        index.add(data.records[i])
    before = [index.story_of(r.id) for r in data.records]
    index.revise()
    return before, [index.story_of(r.id) for r in data.records]


def ours(data: Labelled, config: StoryConfig) -> None:
    print(f"ECB+ dev, {len(data.records)} articles, {len(set(data.events))} events, shipped defaults")
    start = time.perf_counter()
    index = cluster_stories(data.records, config)
    labels = [index.story_of(r.id) for r in data.records]
    line("ours batch", data.events, labels, f"{time.perf_counter() - start:.2f}s")
    f1s = []
    orders = [("file order", list(range(len(data.records))))]
    for seed in (1, 2, 3):
        order = list(range(len(data.records)))
        random.Random(seed).shuffle(order)
        orders.append((f"shuffle seed {seed}", order))
    for name, order in orders:
        before, after = online_labels(data, order, config)
        line(f"ours online {name}, no revision", data.events, before)
        f1s.append(line(f"ours online {name}, revised", data.events, after))
    print(
        f"  order sensitivity (revised): max |F1 - file order F1| = {max(abs(f - f1s[0]) for f in f1s):.4f}"
    )


def baseline(data: Labelled) -> None:
    texts = [body_text(r.text) for r in data.records]
    start = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()
    fit_s = time.perf_counter() - start
    best: tuple[float, float, list[int], float] = (-1.0, 0.0, [], 0.0)
    for th in np.arange(0.50, 0.98, 0.02):
        t0 = time.perf_counter()
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=float(th)
        )
        labels = [int(v) for v in model.fit_predict(x)]
        f1 = bcubed(data.events, labels).f1
        if f1 > best[0]:
            best = (f1, float(th), labels, fit_s + time.perf_counter() - t0)
    print("Baseline: TF-IDF + agglomerative average link, threshold tuned on this test data")
    line(f"baseline (cosine distance {best[1]:.2f})", data.events, best[2], f"{best[3]:.2f}s")


def semeval(path: Path, config: StoryConfig) -> None:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    groups = {"English-English": [r for r in rows if r["lang1"] == r["lang2"] == "en"]}
    groups["other (information only)"] = [r for r in rows if not r["lang1"] == r["lang2"] == "en"]
    for name, pairs in groups.items():
        records = [
            (
                StoryRecord(f"{r['pair_id']}a", None, r["text1"]),
                StoryRecord(f"{r['pair_id']}b", None, r["text2"]),
            )
            for r in pairs
        ]
        terms = [(extract_terms(a), extract_terms(b)) for a, b in records]
        df = DocumentFrequencies()
        for ta, tb in terms:
            df.add(ta)
            df.add(tb)
        probs = [
            same_event_probability(vectorise(ta, df, None), vectorise(tb, df, None), df, config)
            for ta, tb in terms
        ]
        overall = [float(r["Overall"]) for r in pairs]
        same = [o <= 2.0 for o in overall]
        acc = sum((p >= config.threshold) == s for p, s in zip(probs, same, strict=True)) / len(pairs)
        print(
            f"SemEval {name}: {len(pairs)} pairs, Spearman {spearmanr(probs, overall)[0]:.3f}, "
            f"Pearson {pearsonr(probs, overall)[0]:.3f}, same-story accuracy (Overall <= 2) {acc:.3f} "
            f"(majority class {max(sum(same), len(same) - sum(same)) / len(same):.3f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--calibrate", action="store_true", help="print defaults fitted on all calibration sets"
    )
    args = parser.parse_args()
    data = load_ecb(args.data)
    if args.calibrate:
        sets = [
            data,
            load_webnews(args.data, False),
            load_webnews(args.data, True),
            load_wire_window(args.data),
        ]
        fitted, _ = calibrate([candidate_table(s, DEFAULT_CONFIG) for s in sets], DEFAULT_CONFIG)
        print(
            f"coefficients={fitted.coefficients} intercept={fitted.intercept} threshold={fitted.threshold} "
            f"attach_threshold={fitted.attach_threshold}"
        )
        return
    ours(data, DEFAULT_CONFIG)
    baseline(data)
    semeval(args.data / "semeval2022-task8" / "pairs-dev.csv", DEFAULT_CONFIG)


if __name__ == "__main__":
    main()
