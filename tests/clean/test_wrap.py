from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean.wrap import unwrap

PARAGRAPHS = [
    "BankAmerica Corp is not under pressure to act quickly on its proposed equity offering and would do "
    "well to delay it because of the stock's recent poor performance, banking analysts said.",
    "Some analysts said they have recommended BankAmerica delay its up to one-billion-dlr equity "
    "offering, which has yet to be approved by the Securities and Exchange Commission.",
    "The stock traded around 12, down 1/8, this afternoon, after falling to 11-1/2 earlier this week.",
]


def test_a_wrapped_wire_report_becomes_paragraphs_and_keeps_its_table() -> None:
    # paragraphs open indented, as wire feeds mark them
    wrapped = "\n".join(textwrap.fill(p, 65, initial_indent="    ") for p in PARAGRAPHS)
    table = "\n    Shr loss 51 cts vs loss three cts\n    Net loss 7,041,000 vs loss 467,000"
    out = unwrap(wrapped + table).split("\n")
    assert [line.strip() for line in out] == [*PARAGRAPHS, *(t.strip() for t in table.split("\n")[1:])]


def test_text_that_is_not_wrapped_is_left_alone() -> None:
    text = "\n\n".join(PARAGRAPHS)
    assert unwrap(text) == text
    short = "Home | News | Sport\nWeather\nLogin"
    assert unwrap(short) == short


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=6), st.integers(55, 80))
def test_unwrapping_twice_changes_nothing(paragraphs: list[str], width: int) -> None:
    once = unwrap("\n".join(textwrap.fill(p, width) for p in paragraphs))
    assert unwrap(once) == once
