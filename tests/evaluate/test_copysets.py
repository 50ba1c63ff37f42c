"""Labelled copy-detection sets built from the shared data (skipped when the data is absent)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from storyline.evaluate.copysets import (
    CopySet,
    default_data_dir,
    exact_duplicate_set,
    hard_negative_set,
    load_reuters,
    noisy_set,
    seed_set,
)


@pytest.fixture(scope="module")
def data_dir() -> Path:
    path = default_data_dir()
    if not (path / "bbc").is_dir():
        pytest.skip(f"shared data not found at {path} (set STORYLINE_DATA, or place it beside the checkout)")
    return path


@pytest.fixture(scope="module")
def exact(data_dir: Path) -> CopySet:
    return exact_duplicate_set(data_dir, seed=0)


@pytest.fixture(scope="module")
def noisy(data_dir: Path) -> CopySet:
    return noisy_set(data_dir, seed=3, originals=60, singletons=40)


@pytest.fixture(scope="module")
def hard(data_dir: Path) -> CopySet:
    return hard_negative_set(data_dir, seed=3, insert_pairs=30)


def groups(copy_set: CopySet) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(copy_set.labels):
        out[label].append(i)
    return out


def grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_exact_groups_are_identical_texts_and_all_found(exact: CopySet) -> None:
    summary = exact.summary()
    assert summary["groups"] == 328  # 100 BBC + 228 Reuters groups of identical headline and body
    assert summary["grouped_items"] == 658
    for members in groups(exact).values():
        assert len({" ".join(exact.texts[i].split()) for i in members}) == 1
    counts = Counter(" ".join(t.split()) for t in exact.texts)
    assert sum(1 for n in counts.values() if n > 1) == summary["groups"]


def test_exact_set_leaves_out_bodies_repeated_under_other_headlines(exact: CopySet, data_dir: Path) -> None:
    body_of = {doc_id: " ".join(body.split()) for doc_id, _, body in load_reuters(data_dir)}
    headlines: dict[str, set[str]] = defaultdict(set)
    for doc_id, text in zip(exact.ids, exact.texts, strict=True):
        if doc_id in body_of:
            headlines[body_of[doc_id]].add(text.split("\n", 1)[0])
    assert all(len(h) == 1 for h in headlines.values())
    kept = sum(1 for doc_id in exact.ids if doc_id.startswith("reuters/"))
    assert 0 < len(body_of) - kept < 200  # about 48 bodies x 2 headlines are ambiguous


def test_exact_size_cap_keeps_every_group(data_dir: Path, exact: CopySet) -> None:
    small = exact_duplicate_set(data_dir, seed=1, size=1000)
    assert len(small.ids) == 1000
    assert small.summary()["groups"] == exact.summary()["groups"]


def test_noisy_set_shape(noisy: CopySet) -> None:
    summary = noisy.summary()
    assert summary["groups"] == 60
    assert summary["singletons"] == 40
    for members in groups(noisy).values():
        kinds = [noisy.kinds[i] for i in members]
        assert len(members) == 1 or (kinds.count("original") == 1 and 2 <= len(members) <= 7)
        assert all(k in ("original", "singleton") or k.startswith("repost:") for k in kinds)
    assert len(set(noisy.ids)) == len(noisy.ids)


def test_noisy_reposts_stay_close_to_their_original(noisy: CopySet) -> None:
    by_id = dict(zip(noisy.ids, noisy.texts, strict=True))
    for doc_id, text, kind in zip(noisy.ids, noisy.texts, noisy.kinds, strict=True):
        if kind.startswith("repost:"):
            original = grams(by_id[doc_id.split("#")[0]])
            assert original & grams(text), kind


def test_sets_are_deterministic_and_seeded(data_dir: Path, noisy: CopySet) -> None:
    assert noisy_set(data_dir, seed=3, originals=60, singletons=40) == noisy
    assert noisy_set(data_dir, seed=4, originals=60, singletons=40).texts != noisy.texts


def test_hard_negatives_keep_same_event_articles_apart(hard: CopySet) -> None:
    ecb = [i for i, kind in enumerate(hard.kinds) if kind.startswith("ecb:")]
    events = Counter(hard.kinds[i] for i in ecb)
    assert sum(n * (n - 1) // 2 for n in events.values()) > 1000  # many same-event pairs remain
    assert len({hard.labels[i] for i in ecb}) == len(ecb)
    by_event: dict[str, list[set[tuple[str, ...]]]] = defaultdict(list)
    for i in ecb:
        by_event[hard.kinds[i]].append(grams(hard.texts[i]))
    for shingle_sets in list(by_event.values())[:10]:
        for a in shingle_sets:
            for b in shingle_sets:
                if a is not b and a and b:
                    assert len(a & b) < 0.1 * min(len(a), len(b))


def test_insert_pairs_share_sentences_but_not_labels(hard: CopySet) -> None:
    pairs: dict[str, list[int]] = defaultdict(list)
    for i, kind in enumerate(hard.kinds):
        if kind.startswith("insert:"):
            pairs[kind].append(i)
    assert len(pairs) == 30
    for a, b in pairs.values():
        assert hard.labels[a] != hard.labels[b]
        shared = grams(hard.texts[a]) & grams(hard.texts[b])
        assert shared
        assert len(shared) < 0.5 * len(grams(hard.texts[a]))


def test_hard_negatives_include_reposts_so_recall_is_measured(hard: CopySet) -> None:
    sizes = Counter(hard.labels)
    assert 0 < sum(1 for n in sizes.values() if n > 1) < len(sizes)


def test_same_site_articles_share_chrome_but_not_labels(hard: CopySet) -> None:
    sites: dict[str, list[int]] = defaultdict(list)
    for i, kind in enumerate(hard.kinds):
        if kind.startswith("site:"):
            sites[kind].append(i)
    assert len(sites) == 50
    for members in sites.values():
        assert len({hard.labels[i] for i in members}) == len(members) == 3
        first_lines = {hard.texts[i].split("\n", 1)[0] for i in members}
        last_lines = {hard.texts[i].rsplit("\n", 1)[-1] for i in members}
        assert len(first_lines) == len(last_lines) == 1


def test_seed_set_labels_the_real_repost(data_dir: Path) -> None:
    ids, texts, labels = seed_set(data_dir)
    assert [i[-20:-17] for i in ids] == ["000", "001", "002", "003"]
    assert labels == (0, 0, 1, 2)
    assert "agenciesTuesday" in texts[1]
