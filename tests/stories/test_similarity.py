from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import timedelta
from pathlib import Path

import numpy as np

from storyline.stories import DEFAULT_CONFIG, FEATURES, StoryRecord, extract_terms
from storyline.stories.similarity import (
    DocumentFrequencies,
    DocVector,
    decayed_probabilities,
    decayed_probabilities_many,
    feature_matrix,
    feature_rows,
    feature_rows_many,
    pair_features,
    rows_of,
    same_event_probability,
    vectorise,
)


def vectors(records: list[StoryRecord]) -> tuple[list[DocVector], DocumentFrequencies]:
    terms = [extract_terms(r) for r in records]
    df = DocumentFrequencies()
    for t in terms:
        df.add(t)
    return [vectorise(t, df, r.published) for t, r in zip(terms, records, strict=True)], df


def test_same_event_beats_look_alike(quakes: list[StoryRecord]) -> None:
    (a1, b, budget, a2), df = vectors(quakes)
    same = same_event_probability(a1, a2, df, DEFAULT_CONFIG)
    assert same >= DEFAULT_CONFIG.threshold
    assert same > same_event_probability(a1, b, df, DEFAULT_CONFIG)
    assert same_event_probability(a1, b, df, DEFAULT_CONFIG) > same_event_probability(
        a1, budget, df, DEFAULT_CONFIG
    )


def test_features_are_symmetric_and_batched_rows_match_pairs(quakes: list[StoryRecord]) -> None:
    """Pair features are symmetric; scored in a batch, only the ``local`` ones (which read the batch
    as the neighbourhood) differ from the pair on its own."""
    vs, df = vectors(quakes)
    plain = FEATURES.index("local")
    for a in vs:
        rows = feature_matrix(a, vs, df, DEFAULT_CONFIG)
        for b, row in zip(vs, rows, strict=True):
            assert np.allclose(
                pair_features(a, b, df, DEFAULT_CONFIG), pair_features(b, a, df, DEFAULT_CONFIG)
            )
            assert np.allclose(row[:plain], pair_features(a, b, df, DEFAULT_CONFIG)[:plain])
            assert 0.0 <= same_event_probability(a, b, df, DEFAULT_CONFIG) <= 1.0
        assert abs(pair_features(a, a, df, DEFAULT_CONFIG)[0] - 1.0) < 1e-6


def test_time_apart_damps_the_probability(quakes: list[StoryRecord]) -> None:
    a1 = quakes[0]
    later = dataclasses.replace(a1, id="later", published=a1.published + timedelta(days=90))  # type: ignore[operator]
    undated = dataclasses.replace(a1, id="undated", published=None)
    (va, vl, vu), df = vectors([a1, later, undated])
    assert same_event_probability(va, vl, df, DEFAULT_CONFIG) < 0.01
    assert same_event_probability(va, vu, df, DEFAULT_CONFIG) > 0.9


def test_different_companies_in_the_headline_clash() -> None:
    """Dividend reports from one template: the bodies agree, the headlines name other companies."""
    body = "{co} said its board declared a quarterly dividend of {cts} cts a share, payable {day} to holders."
    records = [
        StoryRecord(
            "a",
            "KNUTSON MORTGAGE <KNMC> SETS QUARTERLY",
            body.format(co="Knutson Mortgage Corp", cts=12, day="April 15"),
        ),
        StoryRecord(
            "b", "INSTRON CORP <ISN> SETS QUARTERLY", body.format(co="Instron Corp", cts=9, day="May 1")
        ),
        StoryRecord(
            "c",
            "KNUTSON MORTGAGE <KNMC> QUARTERLY DIVIDEND",
            body.format(co="Knutson Mortgage Corp", cts=12, day="April 15"),
        ),
    ]
    vs, df = vectors(records)
    rows = feature_matrix(vs[0], vs[1:], df, DEFAULT_CONFIG)
    clash, names = FEATURES.index("headline_clash"), FEATURES.index("headline_names")
    assert rows[0, clash] == 1.0 and rows[0, names] == 0.0
    assert rows[1, clash] == 0.0 and rows[1, names] > 0.99
    other = same_event_probability(vs[0], vs[1], df, DEFAULT_CONFIG)
    assert other < DEFAULT_CONFIG.threshold < same_event_probability(vs[0], vs[2], df, DEFAULT_CONFIG)


def test_terms_the_whole_neighbourhood_shares_weigh_less() -> None:
    """Two offers to one player by different clubs: among many candidates that all name the player,
    the player's name stops carrying the local cosine, the clubs decide."""
    player = "Mark Teixeira got an offer from the {club}. The {club} offer to Teixeira is large."
    records = [
        StoryRecord(str(i), None, player.format(club=c))
        for i, c in enumerate(["Angels"] * 2 + ["Boston Sox"] * 8)
    ]
    vs, df = vectors(records)
    col = FEATURES.index("local")
    alone = pair_features(vs[0], vs[2], df, DEFAULT_CONFIG)[col]
    crowd = feature_matrix(vs[0], vs[1:], df, DEFAULT_CONFIG)[:, col]
    assert crowd[1] < alone
    assert crowd[0] > crowd[1]


def test_many_queries_at_once_equal_one_by_one(ecb_path: Path) -> None:
    """A revision scores many articles in one call; features and P must be what one call per article
    gives, bit for bit (stories must not depend on how a revision batched them)."""
    with gzip.open(ecb_path, "rt", encoding="utf-8") as f:
        records = [StoryRecord(r["id"], None, r["text"]) for r in map(json.loads, f)][:120]
    vs, df = vectors(records)
    rng = np.random.default_rng(0)
    queries = vs[:60]
    picks = [rng.choice(len(vs), size=int(rng.integers(0, 30)), replace=False) for _ in queries]
    one: list[np.ndarray] = []
    probs: list[np.ndarray] = []
    for query, pick in zip(queries, picks, strict=True):
        rows = rows_of([vs[i] for i in pick])
        one.append(feature_rows(query, rows, df, DEFAULT_CONFIG))
        probs.append(decayed_probabilities(one[-1], query.when, rows.times, DEFAULT_CONFIG))
    counts = np.array([len(p) for p in picks], dtype=np.int64)
    together = rows_of([vs[i] for pick in picks for i in pick])
    many = feature_rows_many(rows_of(queries), counts, together, df, DEFAULT_CONFIG)
    assert np.array_equal(many, np.concatenate(one))
    when = np.array([q.when for q in queries])
    p = decayed_probabilities_many(many, when, counts, together.times, DEFAULT_CONFIG)
    assert np.array_equal(p, np.concatenate(probs))
