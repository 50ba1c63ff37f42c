"""The article-extraction benchmark metric: shingles, per-page counts, averaging rules, loader."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.evaluate.aeb import PageCounts, load_aeb, page_counts, score, shingles, tokenize


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert tokenize("Hello, wörld! it's 2024_a") == ["Hello", "wörld", "it", "s", "2024_a"]
    assert tokenize(None) == []


def test_short_texts_are_one_short_shingle() -> None:
    assert shingles("a b c") == {("a", "b", "c"): 1}
    assert shingles("") == {}
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}


def test_repeated_shingles_are_counted() -> None:
    assert shingles("x y z w x y z w")[("x", "y", "z", "w")] == 2


def test_page_counts_are_normalised() -> None:
    # gold: 3 shingles (a b c d, b c d e, c d e f); predicted: 2 (b c d e, c d e f) + 1 extra (d e f g)
    counts = page_counts("a b c d e f", "b c d e f g")
    assert (counts.tp, counts.fp, counts.fn) == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)


def test_perfect_and_empty_pages() -> None:
    perfect = page_counts("one two three four five", "one two three four five")
    assert (perfect.precision, perfect.recall) == (1.0, 1.0)
    nothing_predicted = page_counts("one two three four five", "")
    assert nothing_predicted.precision is None and nothing_predicted.recall == 0.0
    empty_gold = page_counts("", "one two three four")
    assert empty_gold.recall is None and empty_gold.precision == 0.0
    both_empty = page_counts("", "")
    assert both_empty.precision is None and both_empty.recall is None


def test_f1_is_the_harmonic_mean_of_averaged_precision_and_recall() -> None:
    pages = [PageCounts(0.5, 0.5, 0.0), PageCounts(0.5, 0.0, 0.5), PageCounts(0.0, 0.0, 1.0)]
    result = score(pages)
    # precision: pages 1 and 2 count (0.5, 1.0); page 3 predicted nothing. recall: all three (1.0, 0.5, 0.0)
    assert result.precision == pytest.approx(0.75)
    assert result.recall == pytest.approx(0.5)
    assert result.f1 == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert result.pages == 3


@given(st.text(max_size=200), st.text(max_size=200))
def test_page_counts_are_a_distribution(gold: str, predicted: str) -> None:
    counts = page_counts(gold, predicted)
    total = counts.tp + counts.fp + counts.fn
    assert total == pytest.approx(1.0) or total == 0.0
    assert min(counts.tp, counts.fp, counts.fn) >= 0


@given(st.text(min_size=1, max_size=200).filter(lambda t: bool(tokenize(t))))
def test_identical_text_scores_one(text: str) -> None:
    assert score([page_counts(text, text)]).f1 == 1.0


def test_load_aeb_reads_sorted_pages(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    truth = {"b": {"articleBody": "Body B", "url": "https://b.example"}, "a": {"articleBody": "Body A"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    for key in truth:
        with gzip.open(tmp_path / "html" / f"{key}.html.gz", "wt", encoding="utf-8") as handle:
            handle.write(f"<p>page {key}</p>")
    pages = list(load_aeb(tmp_path))
    assert [p.id for p in pages] == ["a", "b"]
    assert pages[0].html == "<p>page a</p>" and pages[0].gold == "Body A" and pages[0].url is None
    assert pages[1].url == "https://b.example"
    assert [p.id for p in load_aeb(tmp_path, ids=["b"])] == ["b"]
