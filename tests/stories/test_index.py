from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from storyline.evaluate.metrics import bcubed
from storyline.stories import DEFAULT_CONFIG, StoryConfig, StoryIndex, StoryRecord, cluster_stories
from storyline.stories.features import extract_terms
from storyline.stories.similarity import DocumentFrequencies, weights, weights_of


def grouped(index: StoryIndex) -> set[frozenset[str]]:
    return {frozenset(m) for m in index.stories().values()}


EXPECTED = {frozenset({"a1", "a2"}), frozenset({"b"}), frozenset({"budget"})}


def batch_frequencies(records: list[StoryRecord]) -> DocumentFrequencies:
    """Online indexes learn idf as they go; a four-article corpus gives it too little, so fix it here."""
    df = DocumentFrequencies()
    for r in records:
        df.add(extract_terms(r))
    return df


def test_look_alike_quakes_stay_apart(quakes: list[StoryRecord]) -> None:
    assert grouped(cluster_stories(quakes)) == EXPECTED


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]])
def test_online_in_any_order(quakes: list[StoryRecord], order: list[int]) -> None:
    index = StoryIndex(frequencies=batch_frequencies(quakes))
    ids = [index.add(quakes[i]) for i in order]
    assert ids[0] == quakes[order[0]].id
    index.revise()
    assert grouped(index) == EXPECTED
    assert index.story_of("a1") == index.story_of("a2") and len(index) == 4


def test_query_ranks_without_adding(quakes: list[StoryRecord]) -> None:
    index = StoryIndex(frequencies=batch_frequencies(quakes))
    for r in quakes[:3]:
        index.add(r)
    matches = index.query(quakes[3])
    assert matches[0].story == "a1" and matches[0].score >= DEFAULT_CONFIG.threshold
    assert len(index) == 3


def test_same_text_months_apart_is_another_story(quakes: list[StoryRecord]) -> None:
    a1 = quakes[0]
    again = dataclasses.replace(a1, id="again", published=a1.published + timedelta(days=200))  # type: ignore[operator]
    assert len(grouped(cluster_stories([a1, again]))) == 2


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="coefficients"):
        StoryConfig(coefficients=(1.0,))
    with pytest.raises(ValueError, match="threshold"):
        StoryConfig(threshold=1.5)


def test_seed_copy_groups_are_one_story(seeds: list[StoryRecord]) -> None:
    """One representative per copy group (000 for 000+001, then 002, 003), as the pipeline passes them."""
    representatives = [seeds[0], seeds[2], seeds[3]]
    assert len(cluster_stories(representatives).stories()) == 1


def test_ecb_dev_floor(ecb_path: Path) -> None:
    """Quality floor with shipped defaults on ECB+ dev (the data they were calibrated on)."""
    with gzip.open(ecb_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    index = cluster_stories([StoryRecord(r["id"], None, r["text"]) for r in rows])
    score = bcubed([r["event"] for r in rows], [index.story_of(r["id"]) for r in rows])
    floors = json.loads((Path(__file__).parents[1] / "quality_floors.json").read_text(encoding="utf-8"))
    assert score.f1 >= floors["stories_ecb_batch_bcubed_f1"]


def test_online_then_revise_equals_batch(quakes: list[StoryRecord]) -> None:
    index = StoryIndex()
    for record in reversed(quakes):
        index.add(record)
    index.revise()
    assert grouped(index) == grouped(cluster_stories(quakes))


def test_adding_an_id_twice_is_refused(quakes: list[StoryRecord]) -> None:
    index = StoryIndex()
    index.add(quakes[0])
    with pytest.raises(ValueError, match="already"):
        index.add(quakes[0])


def test_local_revision_equals_revising_everything(ecb_path: Path) -> None:
    """Revising only the regions new articles touch gives the labels a whole-index revision gives
    (the revision at 120 rebuilds the index; the ones at 200 and 230 are local: under twice 120)."""
    with gzip.open(ecb_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:231]
    index = StoryIndex()
    for at, row in enumerate(rows):
        index.add(StoryRecord(row["id"], None, row["text"]))
        if at in (120, 200):
            index.revise()
    assert index._rebuilt_at == 121
    index.revise()
    assert index._rebuilt_at == 121
    assert index._story.values.tolist() == index._relabel(0)
    assert len(index.stories()) > 10


def test_a_revision_rebuilds_when_the_index_has_doubled(quakes: list[StoryRecord]) -> None:
    """The first revision of any order is the batch clustering; rebuilds then come at doubling sizes."""
    index = StoryIndex()
    for record in quakes[:2]:
        index.add(record)
    index.revise()
    index.add(quakes[2])
    index.revise()
    assert index._rebuilt_at == 2
    index.add(quakes[3])
    index.revise()
    assert index._rebuilt_at == 4
    assert grouped(index) == grouped(cluster_stories(quakes))


def test_a_revision_finds_the_candidates_one_by_one_would(ecb_path: Path) -> None:
    """A revision ranks the candidates of many articles at once; they must be the lists (and their
    order) that ranking each article on its own gives, publication window included."""
    with gzip.open(ecb_path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:300]
    start = datetime(2020, 1, 1)
    records = [
        StoryRecord(r["id"], None, r["text"], start + timedelta(days=(i * 7) % 150))
        for i, r in enumerate(rows)
    ]
    index = cluster_stories(records, dataclasses.replace(DEFAULT_CONFIG, max_candidates=8))
    docs = np.arange(len(index))
    queries = index._vectors.read(docs)
    w = weights_of(queries, index._df)
    found, counts = index.scoring().candidates_many(docs, queries, w)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for doc in docs.tolist():
        vector = index._vector(doc)
        one = index._candidates(vector, weights(vector, index._df), doc)
        assert found[bounds[doc] : bounds[doc + 1]].tolist() == one.tolist()
