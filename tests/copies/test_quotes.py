from __future__ import annotations

import numpy as np
import pytest

from storyline.copies.quotes import quote_spans, quoted_positions


def _quoted(text: str) -> list[str]:
    return [text[s:e] for s, e in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'He said "we will rebuild this city together, stone by stone" on Monday.',
            ['"we will rebuild this city together, stone by stone"'],
        ),
        (
            "She said \u201cit is a matter of deep regret to me\u201d and left.",
            ["\u201cit is a matter of deep regret to me\u201d"],
        ),
        (
            "Epstein\u2019s lawyers said \u2018we will appeal this decision at once\u2019 today.",
            ["\u2018we will appeal this decision at once\u2019"],
        ),
        ('The dummy is named Ripley from the "Alien" movies.', []),  # a title is not speech
        (
            '"Everything is burning, nothing will remain from the frame\nThe fire spread.',
            ['"Everything is burning, nothing will remain from the frame'],
        ),  # open quote ends with its line
        ("The players\u2019 union said nothing at all about the strike.", []),
    ],
)
def test_quote_spans(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def test_quoted_positions() -> None:
    spans = [(2, 5), (9, 12)]
    chars = np.array([0, 2, 4, 5, 8, 9, 11, 12], dtype=np.int32)
    assert quoted_positions(spans, chars).tolist() == [False, True, True, False, False, True, True, False]
    assert not quoted_positions([], chars).any()
