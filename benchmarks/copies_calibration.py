"""Fit the copy model on real pages, cross-validated across events, and write the shipped coefficients.

The model (:mod:`storyline.copies.decision`) is an additive logistic regression over hinge functions of
the pair evidence (:mod:`storyline.copies.evidence`). It is fitted on the candidate pairs the product
itself finds, in texts cleaned by ``storyline run`` exactly as a user's run cleans them:

- ``webnews-dev``: real pages of 244 sites with hand-labelled copy groups (the main source, weighted
  ``--web-weight`` times a synthetic pair: this is what users' data looks like);
- the synthetic noisy-repost, hard-negative and template-report sets (``storyline.evaluate``), so that
  heavy scraping noise, unrelated pages sharing a press-release sentence and this week's issue of a
  recurring report are covered too.

Pairs a rule decides (identical texts; template reports with other figures) are left out of the fit.

Held-out figures: ten folds, one per look-alike pair of events (``evaluate.webnews.event_folds``): the
model is fitted on the other nine folds plus the synthetic sets of seed 0, and the held-out fold's pages
are grouped (average link) and scored pairwise. The synthetic held-out figures fit on all of webnews-dev
plus seed 0 and score the sets of seed 1 (cleaned the same way).

    .venv/bin/python benchmarks/copies_calibration.py [--write] [--C 1.0] [--web-weight 20]

``--write`` refits on everything and writes ``src/storyline/copies/pair_model.json``. About 3 minutes.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.optimize

from storyline.copies import CopyConfig, CopyIndex, MemoryPostings, PairModel, average_groups, find_copies
from storyline.copies.evidence import Evidence, measure
from storyline.evaluate.copysets import CopySet, hard_negative_set, noisy_set
from storyline.evaluate.metrics import pairwise_prf
from storyline.evaluate.product import run_product
from storyline.evaluate.reports import template_set
from storyline.evaluate.webnews import event_folds, feed_rows, load_webnews

KNOTS: dict[str, tuple[float, ...]] = {
    "longest": (40, 80, 120, 200, 400),
    "second": (30, 60, 120),
    "narrative": (60, 120, 240, 480),
    "quoted": (50, 150, 300),
    "share_short": (0.1, 0.2, 0.4, 0.7),
    "share_long": (0.05, 0.1, 0.2, 0.4),
    "passages": (1, 2, 3),
    "lead": (),
    "topic": (0.1, 0.2),
    "names": (0.5, 0.8),
}
CLIP = {"topic": 0.3}
SIGN = {name: -1 if name == "quoted" else 1 for name in KNOTS}
SCALE = {name: float(max(k)) if k and max(k) > 1 else 1.0 for name, k in KNOTS.items()}
MODEL_PATH = Path(__file__).resolve().parents[1] / "src" / "storyline" / "copies" / "pair_model.json"
F64 = npt.NDArray[np.float64]


@dataclass
class Corpus:
    """Cleaned texts with gold copy groups (and cross-validation folds for webnews-dev)."""

    name: str
    ids: list[str]
    texts: list[str]
    labels: list[object]
    folds: dict[str, int] = field(default_factory=dict)


@dataclass
class PairSet:
    """Candidate pairs of one corpus with their evidence rows and gold labels."""

    pairs: list[tuple[str, str]]
    rows: list[dict[str, float]]
    gold: list[bool]

    def subset(self, keep: Sequence[int]) -> PairSet:
        return PairSet(
            [self.pairs[n] for n in keep], [self.rows[n] for n in keep], [self.gold[n] for n in keep]
        )


def cleaned(
    name: str, ids: Sequence[str], rows: Sequence[dict[str, object]], labels: Sequence[object]
) -> Corpus:
    """The corpus as ``storyline run`` cleans it; rejected items are left out."""
    result = run_product(rows)
    keep = [k for k, i in enumerate(ids) if i in result.texts]
    return Corpus(
        name, [ids[k] for k in keep], [result.texts[ids[k]] for k in keep], [labels[k] for k in keep]
    )


def webnews() -> Corpus:
    pages = load_webnews()
    ids = [p.id for p in pages]
    corpus = cleaned("webnews-dev", ids, feed_rows(pages, "plain"), [p.copy_group for p in pages])
    corpus.folds = event_folds(pages)
    return corpus


def synthetic(make: Callable[..., CopySet], seed: int, size: int) -> Corpus:
    s = make(seed=seed, originals=size, singletons=size) if make is noisy_set else make(seed=seed)
    rows = [{"id": i, "text": t} for i, t in zip(s.ids, s.texts, strict=True)]
    return cleaned(f"{s.name} (seed {seed})", list(s.ids), rows, list(s.labels))


def pair_set(corpus: Corpus, config: CopyConfig) -> PairSet:
    """The product's candidate pairs of a corpus (one batch), with evidence and gold labels."""
    found = CopyIndex(MemoryPostings(), config).candidates(corpus.ids, corpus.texts)
    if len(found.pairs) == 0:
        return PairSet([], [], [])
    label = dict(zip(corpus.ids, corpus.labels, strict=True))
    evidence = measure(found.texts, found.pairs, config)
    ruled = evidence.identical | evidence.template | evidence.other_subject
    keep = np.flatnonzero(~ruled).tolist()
    pairs = [(found.ids[int(found.pairs[k, 0])], found.ids[int(found.pairs[k, 1])]) for k in keep]
    vetoed = sum(
        label[found.ids[i]] == label[found.ids[j]] for i, j in found.pairs[evidence.template].tolist()
    )
    print(
        f"{corpus.name}: {len(corpus.ids)} items, {len(found.pairs)} candidate pairs, {len(keep)} for the"
        f" model ({vetoed} gold copies vetoed as template reports)"
    )
    return PairSet(pairs, [evidence.row(k) for k in keep], [label[a] == label[b] for a, b in pairs])


def design(rows: Sequence[dict[str, float]]) -> F64:
    """The model's hinge columns for evidence rows, in the model's feature order."""
    model = _with_weights({name: (0.0,) * (len(k) + 1) for name, k in KNOTS.items()}, 0.0)
    cols = [model.design(name, np.array([r[name] for r in rows], dtype=np.float64)) for name in KNOTS]
    return np.concatenate(cols, axis=1)


def _with_weights(
    weights: dict[str, tuple[float, ...]], bias: float, reference: dict[str, float] | None = None
) -> PairModel:
    return PairModel(dict(KNOTS), dict(SCALE), weights, bias, dict(CLIP), reference or {})


def _segments(rows: Sequence[dict[str, float]]) -> F64:
    """Per feature, how far each value runs through each segment between knots (scaled): a model whose
    segment slopes share one sign is monotone in that feature."""
    cols = []
    for name, knots in KNOTS.items():
        x = np.array([r[name] for r in rows], dtype=np.float64)
        x = np.minimum(x, CLIP[name]) if name in CLIP else x
        edges = [0.0, *knots, np.inf]
        for lo, hi in itertools.pairwise(edges):
            cols.append(np.clip(x - lo, 0.0, hi - lo) / SCALE[name])
    return np.stack(cols, axis=1)


def fit(sets: Sequence[PairSet], weights: Sequence[float], C: float) -> PairModel:
    """Weighted logistic regression with each feature's slopes held to its sign (``SIGN``): more shared
    narrative never argues against a copy, more shared quotation never for one."""
    x = np.concatenate([_segments(s.rows) for s in sets])
    y = np.concatenate([np.array(s.gold, dtype=np.float64) for s in sets])
    w = np.concatenate([np.full(len(s.rows), wt) for s, wt in zip(sets, weights, strict=True)])
    w = w / w.mean()
    bounds = [(None, None)] + [
        (0.0, None) if SIGN[name] > 0 else (None, 0.0)
        for name, knots in KNOTS.items()
        for _ in range(len(knots) + 1)
    ]

    def loss(theta: F64) -> tuple[float, F64]:
        z = theta[0] + x @ theta[1:]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        ll = w * (np.logaddexp(0.0, z) - y * z)
        grad_z = w * (p - y)
        grad = np.concatenate(([grad_z.sum()], x.T @ grad_z + theta[1:] / C))
        return float(ll.sum() + 0.5 * theta[1:] @ theta[1:] / C), grad

    start = np.zeros(x.shape[1] + 1)
    theta = scipy.optimize.minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
    out, at = {}, 1
    for name, knots in KNOTS.items():
        slopes = theta[at : at + len(knots) + 1]
        out[name] = tuple(float(v) for v in np.concatenate(([slopes[0]], np.diff(slopes))))
        at += len(knots) + 1
    # Explanations weigh each feature against a typical real candidate pair (the medians of the first set).
    reference = {name: float(np.median([r[name] for r in sets[0].rows])) for name in KNOTS}
    return _with_weights(out, float(theta[0]), reference)


def held_out_webnews(
    corpus: Corpus,
    web: PairSet,
    synthetic_sets: Sequence[PairSet],
    args: argparse.Namespace,
    config: CopyConfig,
) -> tuple[int, int, int]:
    """Pairwise tp, fp, fn over the ten event folds, each scored by a model that never saw it."""
    folds, label = corpus.folds, dict(zip(corpus.ids, corpus.labels, strict=True))
    totals = np.zeros(3, dtype=np.int64)
    for k in sorted(set(folds.values())):
        train = web.subset([n for n, (a, b) in enumerate(web.pairs) if folds[a] != k and folds[b] != k])
        model = fit([train, *synthetic_sets], [args.web_weight, *(1.0 for _ in synthetic_sets)], args.C)
        test = [n for n, (a, b) in enumerate(web.pairs) if folds[a] == k and folds[b] == k]
        prob = model.probability(Evidence.from_rows([web.rows[n] for n in test]))
        members = [i for i in corpus.ids if folds[i] == k]
        edges = [(*web.pairs[n], float(p)) for n, p in zip(test, prob, strict=True)]
        groups = average_groups(members, edges, config.group_threshold)
        group = {m: g for g, ms in enumerate(groups) for m in ms}
        for a, b in combinations(members, 2):
            same_gold, same_pred = label[a] == label[b], group[a] == group[b]
            totals += (same_gold and same_pred, same_pred and not same_gold, same_gold and not same_pred)
    return int(totals[0]), int(totals[1]), int(totals[2])


def _prf(tp: int, fp: int, fn: int) -> str:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"P {p:.3f} R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f} (tp {tp}, fp {fp}, fn {fn})"


def _config(text: str) -> CopyConfig:
    base = CopyConfig()
    overrides = dict(kv.split("=") for kv in text.split(",") if kv)
    return CopyConfig(**{k: type(getattr(base, k))(v) for k, v in overrides.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="refit on everything and write pair_model.json")
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 strength of the logistic fit")
    parser.add_argument("--web-weight", type=float, default=20.0, help="weight of a webnews pair")
    parser.add_argument("--size", type=int, default=300, help="originals in the noisy set")
    parser.add_argument("--config", default="", help="CopyConfig overrides, e.g. share_run_chars=60")
    args = parser.parse_args()
    config = _config(args.config)
    corpus = webnews()
    web = pair_set(corpus, config)
    makers = (noisy_set, hard_negative_set, template_set)
    train_sets = [pair_set(synthetic(make, 0, args.size), config) for make in makers]
    print(
        "held-out webnews-dev (10 event folds):",
        _prf(*held_out_webnews(corpus, web, train_sets, args, config)),
    )
    model = fit([web, *train_sets], [args.web_weight, *(1.0 for _ in train_sets)], args.C)
    for make in makers:
        test = synthetic(make, 1, args.size)
        scores = pairwise_prf(test.labels, find_copies(test.texts, config, model))
        print(f"held-out {test.name}: P {scores.precision:.3f} R {scores.recall:.3f} F1 {scores.f1:.3f}")
    if args.write:
        MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
