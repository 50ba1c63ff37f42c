"""How the story-clustering defaults are fitted: a logistic model over pair features, then a threshold.

Used by ``stories_accuracy.py`` both for the shipped defaults (``--calibrate``, all of ECB+ dev) and for
topic-grouped cross-validation (fit on four folds of topics, score the fifth).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from storyline.evaluate.metrics import bcubed
from storyline.stories import StoryConfig, StoryRecord, cluster_stories
from storyline.stories.linkage import attach_small, average_link

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
# Not below 0.15: on SemEval English pairs rated different (Overall > 3), 5% score P >= 0.1 and 4%
# P >= 0.15, so a lower attach threshold would start folding unrelated singletons into stories.
ATTACH_THRESHOLDS = (0.15, 0.2, 0.25, 0.3)


@dataclass(frozen=True, slots=True)
class Labelled:
    """ECB+ articles as story records, with their gold event and topic."""

    records: list[StoryRecord]
    events: list[str]
    topics: list[int]

    def subset(self, keep: Sequence[int]) -> Labelled:
        return Labelled(
            [self.records[i] for i in keep], [self.events[i] for i in keep], [self.topics[i] for i in keep]
        )


def load_ecb(path: Path) -> Labelled:
    """ECB+ rows as records: no title, no publication time (ECB+ has neither)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return Labelled(
        [StoryRecord(r["id"], None, r["text"]) for r in rows],
        [r["event"] for r in rows],
        [int(r["topic"]) for r in rows],
    )


def candidate_table(data: Labelled, config: StoryConfig) -> tuple[np.ndarray, np.ndarray]:
    """Features and same-event labels of every article against its candidates, as batch clustering
    scores them (idf from these articles only). Not all pairs: the ``local`` features depend on
    the candidate set, and the candidates are the hard cases the model has to separate."""
    index = cluster_stories(data.records, config)
    gold = dict(zip((r.id for r in data.records), data.events, strict=True))
    events = [gold[i] for i in index.ids()]
    feats, labels = [], []
    for doc, event in enumerate(events):
        candidates, rows = index.candidate_features(doc)
        feats.append(rows)
        labels += [events[c] == event for c in candidates]
    return np.vstack(feats), np.array(labels, dtype=int)


def fit_model(data: Labelled, config: StoryConfig) -> StoryConfig:
    """The config with coefficients and intercept of a logistic regression on the candidate pairs."""
    x, y = candidate_table(data, config)
    model = LogisticRegression(C=10.0, max_iter=3000).fit(x, y)
    coef = tuple(round(float(c), 3) for c in model.coef_[0])
    return dataclasses.replace(config, coefficients=coef, intercept=round(float(model.intercept_[0]), 3))


def story_labels(data: Labelled, config: StoryConfig) -> list[Hashable]:
    """Batch story id of every article, in ``data`` order."""
    index = cluster_stories(data.records, config)
    return [index.story_of(r.id) for r in data.records]


def choose_thresholds(data: Labelled, config: StoryConfig, tolerance: float = 0.005) -> StoryConfig:
    """The config with the middle of the plateau of (threshold, attach_threshold) near the best F1.

    The pairs are scored once (scores do not depend on the thresholds); every grid point is then one
    average-link run. BCubed F1 is flat over a range; the middle of the grid points within
    ``tolerance`` of the best (ordered by threshold, then attach threshold) is less tied to this data
    than the exact argmax.
    """
    index = cluster_stories(data.records, config)
    edges, links = index.scored_pairs(), index.links()
    gold = dict(zip((r.id for r in data.records), data.events, strict=True))
    events = [gold[i] for i in index.ids()]
    f1 = {}
    for th in THRESHOLDS:
        merged = average_link(len(events), links, th)
        for at in ATTACH_THRESHOLDS:
            f1[(th, at)] = bcubed(events, attach_small(merged, edges, config.attach_size, at)).f1
    plateau = sorted(k for k, v in f1.items() if v >= max(f1.values()) - tolerance)
    th, at = plateau[len(plateau) // 2]
    return dataclasses.replace(config, threshold=th, attach_threshold=at)


def calibrate(data: Labelled, config: StoryConfig) -> StoryConfig:
    """Fit the pair model, then the threshold, on ``data`` alone."""
    return choose_thresholds(data, fit_model(data, config))


def topic_folds(topics: Sequence[int], k: int = 5) -> list[list[int]]:
    """Article indices of k folds, whole topics per fold (topic t goes to fold t mod k)."""
    ordered = sorted(set(topics))
    fold_of = {t: i % k for i, t in enumerate(ordered)}
    return [[i for i, t in enumerate(topics) if fold_of[t] == f] for f in range(k)]
