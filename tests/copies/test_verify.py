from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyConfig, verify
from storyline.evaluate.noise import NOISES, NoiseConfig, abridge, glue_words, make_repost, ocr_typos

QUOTE = (
    '"We will not rest until every family affected by this tragedy has the support it needs," the '
    "minister said in a statement released on Friday evening after the meeting."
)


def test_seed_copies_and_independent_reports(seeds: list[str]) -> None:
    assert verify(seeds[0], seeds[1]).is_copy
    for i, j in [(0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]:
        verdict = verify(seeds[i], seeds[j])
        assert not verdict.is_copy, verdict.summary
        assert verdict.summary.startswith("not copies")


def test_passages_point_at_the_same_text(seeds: list[str]) -> None:
    verdict = verify(seeds[0], seeds[1])
    assert verdict.passages and verdict.evidence["share_short"] > 0.6
    assert any("characters" in text for text, _ in verdict.reasons)
    for p in verdict.passages:
        a = "".join(ch for ch in seeds[0][p.a_start : p.a_end].lower() if ch.isalnum())
        b = "".join(ch for ch in seeds[1][p.b_start : p.b_end].lower() if ch.isalnum())
        assert a == b


# Each noise alone at its usual strength, word gluing ten times stronger, and a random mix of them.
MANGLES: dict[str, Callable[[str, random.Random], str]] = {
    **{name: lambda t, r, noise=noise: noise(t, r, NoiseConfig()) for name, noise in NOISES.items()},
    "heavy_glue_words": lambda t, r: glue_words(t, r, NoiseConfig(glue_rate=0.2)),
    "make_repost": lambda t, r: make_repost(t, r).text,
}


@pytest.mark.parametrize("name", sorted(MANGLES))
def test_noisy_copies_are_copies(article: str, name: str) -> None:
    original = article + "\n\n" + QUOTE  # quotes, for the noises that change them
    copy = MANGLES[name](original, random.Random(3))
    assert copy != original
    verdict = verify(original, copy)
    assert verdict.is_copy, verdict.summary


def test_shared_quote_is_not_a_copy(article: str) -> None:
    other = (
        "Relief groups arrived in the flooded valley on Saturday as water levels began to fall. "
        + QUOTE
        + " Volunteers distributed blankets and food at three schools turned into shelters, and engineers "
        "inspected two bridges that had been closed since Wednesday."
    )
    first = article + "\n\n" + QUOTE
    verdict = verify(first, other)
    assert not verdict.is_copy and verdict.probability < 0.1
    assert verdict.evidence["quoted"] > 50


def test_empty_texts_are_not_copies() -> None:
    assert not verify("", "").is_copy
    assert not verify("...", "!!!").is_copy


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 0.05))
def test_verify_decision_is_symmetric(article: str, seed: int, rate: float) -> None:
    rng = random.Random(seed)
    config = NoiseConfig(ocr_rate=rate, abridge_keep=rng.uniform(0.3, 1.0))
    copy = ocr_typos(glue_words(abridge(article, rng, config), rng, config), rng, config)
    assert verify(article, copy).is_copy == verify(copy, article).is_copy


def test_config_validates() -> None:
    with pytest.raises(ValueError):
        CopyConfig(shingle_chars=10)
    with pytest.raises(ValueError):
        CopyConfig(window=4)


def _report(amount: str, drain: str, factor: str) -> str:
    return (
        f"U.K. MONEY MARKET DEFICIT FORECAST AT {amount} MLN STG\n"
        f"The Bank of England said it forecast a shortage of around {amount} mln stg in the money market "
        "today. Among the main factors affecting liquidity, bills maturing in official hands and the take-up "
        f"of treasury bills will drain some {drain} mln stg while below target bankers' balances will take "
        f"out around {factor} mln stg. Partly offsetting these outflows, exchequer transactions will add "
        f"some 1{factor} mln stg to the system today, the bank said."
    )


def test_template_report_with_other_figures_is_not_a_copy() -> None:
    verdict = verify(_report("350", "525", "140"), _report("800", "664", "95"))
    assert not verdict.is_copy and verdict.evidence["template"] == 1.0
    assert any("figures" in text for text, _ in verdict.reasons)
    assert verify(_report("350", "525", "140"), _report("350", "525", "140") + " More soon.").is_copy


def _form(issuer: str, amount: str) -> str:
    return (
        "Lead manager Nomura International Ltd said on Monday that the Japanese company "
        f"{issuer} is issuing a {amount} mln dlr eurobond due April 27, 1992 paying an indicated coupon of "
        "2-1/4 pct and priced at par, lead manager Nomura International Ltd said. The non-callable bond "
        "is available in denominations of 5,000 dlrs and will be listed in Luxembourg. Fees total 2-1/2 "
        "pct, with 1-1/2 for selling and one pct for management and underwriting combined."
    )


def test_one_form_filed_for_two_companies_is_not_a_copy() -> None:
    verdict = verify(_form("Tokyo Optical Co Ltd", "40"), _form("Keihanshin Real Estate Co", "40"))
    assert not verdict.is_copy and verdict.evidence["other_subject"] == 1.0
    assert verify(_form("Tokyo Optical Co Ltd", "40"), _form("Tokyo Optikal Co Ltd", "40")).is_copy
