"""Noisy-repost generator: each noise does its one thing, deterministically, and keeps the article."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixtures_news import BUDGET, FERRY
from storyline.evaluate.noise import (
    NOISES,
    NoiseConfig,
    abridge,
    add_boilerplate,
    add_dateline,
    add_html_entities,
    add_paragraph,
    change_headline,
    curly_quotes,
    drop_paragraph,
    glue_words,
    hard_wrap,
    kept_share,
    make_repost,
    ocr_typos,
    update_wire,
    word_tokens,
)

CONFIG = NoiseConfig()
VOCAB = (
    "the",
    "minister",
    "said",
    "on",
    "Tuesday",
    "that",
    "talks",
    "would",
    "resume",
    "in",
    "Geneva",
    "after",
    "a",
    "long",
    "pause",
    "international",
    '"We',
    'agree,"',
    "it's",
    "3,000",
    "people",
    "-",
)

headline = st.lists(st.sampled_from(VOCAB), min_size=3, max_size=12).map(" ".join)
paragraph = st.lists(st.sampled_from(VOCAB), min_size=10, max_size=60).map(" ".join)
articles = (
    st.tuples(headline, st.lists(paragraph, min_size=2, max_size=12))
    .map(lambda a: "\n\n".join([a[0], *a[1]]))
    # what the noises promise holds for an article of some words with a headline of under half of them
    .filter(lambda text: 2 * len(word_tokens(text.split("\n\n")[0])) < len(word_tokens(text)))
    .filter(lambda text: len(word_tokens(text)) >= 10)
)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


@pytest.mark.parametrize("name", sorted(NOISES))
@given(text=st.one_of(articles, st.sampled_from((FERRY, BUDGET))), seed=st.integers(0, 10**6))
def test_every_noise_keeps_most_words(name: str, text: str, seed: int) -> None:
    # Holds by construction (see the noise module): the test measures words with the generator's own
    # `kept_share`, and each noise bounds its damage whatever the random draws.
    noisy = NOISES[name](text, random.Random(seed), CONFIG)
    assert kept_share(text, noisy) >= 0.5


@pytest.mark.parametrize("name", ["glue_words", "ocr_typos", "hard_wrap"])
@given(text=st.one_of(articles, st.sampled_from((FERRY, BUDGET))), seed=st.integers(0, 10**6))
def test_damage_budgets_hold_at_any_rate(name: str, text: str, seed: int) -> None:
    heavy = NoiseConfig(glue_rate=1.0, ocr_rate=1.0, hyphenate_share=1.0, wrap_width=10)
    noisy = NOISES[name](text, random.Random(seed), heavy)
    assert kept_share(text, noisy) >= 0.5


@pytest.mark.parametrize("name", sorted(NOISES))
def test_every_noise_is_deterministic_and_changes_a_real_article(name: str) -> None:
    first = NOISES[name](FERRY, random.Random(7), CONFIG)
    assert first == NOISES[name](FERRY, random.Random(7), CONFIG)
    assert first != FERRY


def test_glue_words_removes_gaps_including_after_full_stops() -> None:
    text = "Officials told news agencies Tuesday that talks ended. Russian media said so."
    glued = glue_words(text, random.Random(0), NoiseConfig(glue_rate=1.0, damage_keep=0.0))
    assert "agenciesTuesday" in glued
    assert "ended.Russian" in glued
    assert glued.replace(" ", "") == text.replace(" ", "")


def test_ocr_typos_rate_zero_is_identity_and_errors_scale_with_rate() -> None:
    assert ocr_typos(FERRY, random.Random(1), NoiseConfig(ocr_rate=0.0)) == FERRY
    light = ocr_typos(FERRY, random.Random(1), NoiseConfig(ocr_rate=0.01))
    heavy = ocr_typos(FERRY, random.Random(1), NoiseConfig(ocr_rate=0.1, damage_keep=0.0))
    assert kept_share(FERRY, heavy) < kept_share(FERRY, light) < 1.0


def test_ocr_typos_uses_look_alike_confusions() -> None:
    noisy = ocr_typos("modern corn " * 200, random.Random(2), NoiseConfig(ocr_rate=0.3, damage_keep=0.0))
    assert {"rn", "m"} & set(re.findall(r"rn|m", noisy))
    assert re.search(r"co(m|rn)\b", noisy.replace("corn", ""))


def test_hard_wrap_breaks_lines_near_the_width_and_hyphenates_some_words() -> None:
    config = NoiseConfig(wrap_width=70, hyphenate_share=1.0)
    wrapped = hard_wrap(FERRY, random.Random(3), config)
    lines = [line for line in wrapped.split("\n") if line]
    assert max(len(line) for line in lines) <= 78
    assert any(line.endswith("-") and line[-2].isalpha() for line in lines)
    assert len(paragraphs(wrapped)) == len(paragraphs(FERRY))


def test_curly_quotes_and_entities() -> None:
    text = 'He said "it\'s over" & left.'
    curly = curly_quotes(text, random.Random(0), CONFIG)
    assert "\u201cit\u2019s over\u201d" in curly
    escaped = add_html_entities(text, random.Random(0), CONFIG)
    assert "&amp;" in escaped
    assert "&quot;" in escaped
    assert re.search(r"it&(#8217|#39|rsquo);s", escaped)


def test_dateline_opens_the_first_body_paragraph() -> None:
    out = add_dateline(FERRY, random.Random(4), CONFIG)
    body = paragraphs(out)[1]
    assert re.match(r"[A-Z ,a-z]+ \((AP|Reuters|AFP|dpa)\) [\u2014-] Ferry service", body)
    assert paragraphs(out)[0] == paragraphs(FERRY)[0]


def test_headline_changes_and_body_stays() -> None:
    for seed in range(20):
        out = change_headline(FERRY, random.Random(seed), CONFIG)
        assert paragraphs(out)[0] != paragraphs(FERRY)[0]
        assert paragraphs(out)[1:] == paragraphs(FERRY)[1:]


def test_paragraph_dropped_and_added() -> None:
    n = len(paragraphs(FERRY))
    assert len(paragraphs(drop_paragraph(FERRY, random.Random(5), CONFIG))) == n - 1
    assert drop_paragraph("Headline\n\nLead.\n\nOnly body.", random.Random(5), CONFIG).count("\n\n") == 2
    assert len(paragraphs(add_paragraph(FERRY, random.Random(5), CONFIG))) == n + 1


@given(seed=st.integers(0, 10**6), keep=st.floats(0.2, 0.9))
def test_abridge_keeps_a_prefix_of_at_least_the_asked_share(seed: int, keep: float) -> None:
    out = abridge(FERRY, random.Random(seed), NoiseConfig(abridge_keep=keep))
    kept = paragraphs(out)
    assert kept == paragraphs(FERRY)[: len(kept)]
    assert len(word_tokens(out)) >= keep * len(word_tokens(FERRY)) or len(kept) == len(paragraphs(FERRY))


def test_update_wire_adds_paragraphs_and_changes_a_figure() -> None:
    out = update_wire(BUDGET, random.Random(6), CONFIG)
    assert len(paragraphs(out)) > len(paragraphs(BUDGET))
    original_numbers = Counter(re.findall(r"\b\d+\b", BUDGET))
    assert Counter(re.findall(r"\b\d+\b", out)) - original_numbers


def test_boilerplate_wraps_the_article() -> None:
    out = add_boilerplate(FERRY, random.Random(8), CONFIG)
    head, _, rest = out.partition(FERRY)
    assert head.strip()
    assert rest.strip()


@given(seed=st.integers(0, 10**6))
def test_make_repost_records_noises_in_pipeline_order(seed: int) -> None:
    config = NoiseConfig(min_noises=2, max_noises=4)
    repost = make_repost(FERRY, random.Random(seed), config)
    assert 2 <= len(repost.noises) <= 4
    order = list(NOISES)
    assert [order.index(n) for n in repost.noises] == sorted(order.index(n) for n in repost.noises)
    assert repost == make_repost(FERRY, random.Random(seed), config)
    assert kept_share(FERRY, repost.text) >= 0.4


def test_mixed_reposts_use_every_noise() -> None:
    rng = random.Random(9)
    seen = {name for _ in range(200) for name in make_repost(FERRY, rng).noises}
    assert seen == set(NOISES)
