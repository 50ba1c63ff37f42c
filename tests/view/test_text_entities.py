"""Sentence splitting, the support rule and entity heuristics on authored text."""

from __future__ import annotations

import pytest

from storyline.view import ViewArticle
from storyline.view.entities import extract_entities
from storyline.view.text import Sentence, content_words, overlap_matrix, split_sentences, supported


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met Mr. Smith in St. Louis. Then he left.", ["He met Mr. Smith in St. Louis.", "Then he left."]),
        (
            "Talks with U.S. President Trump failed. Kim left.",
            ["Talks with U.S. President Trump failed.", "Kim left."],
        ),
        (
            "He left Pyongyangearly Wednesday.Russian agencies said so.",
            ["He left Pyongyangearly Wednesday.", "Russian agencies said so."],
        ),
        ("One line\nAnother line", ["One line", "Another line"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def _support(a: str, b: str) -> bool:
    sentences = [Sentence("a", 0, a, content_words(a)), Sentence("b", 0, b, content_words(b))]
    return bool(supported(overlap_matrix(sentences), 0.4, 4)[0, 1])


def test_support_needs_shared_particulars_and_numbers() -> None:
    stated = "Putin and Kim will meet in Vladivostok on Thursday to discuss the nuclear programme."
    paraphrase = "Kim Jong Un and Vladimir Putin will meet on Thursday in Vladivostok, the Kremlin said."
    assert _support(stated, paraphrase)
    assert not _support(
        "Putin met Kim Jong Il in Vladivostok in 2002.", "Putin will meet Kim in Vladivostok."
    )
    assert not _support("The budget cuts income tax for low earners.", paraphrase)


def test_entities_merge_surnames_and_drop_demonyms() -> None:
    text = (
        "President Vladimir Putin met officials in Moscow. Putin said Russia would help. "
        "Russian officials agreed, and Putin thanked them. The Kremlin said talks went well in Moscow."
    )
    art = ViewArticle("x", None, text, None, None, None, "g", True)
    found = {e.name: (e.kind, e.count) for e in extract_entities([art], 10, 2)}
    assert found["Vladimir Putin"] == ("person", 3)
    assert found["Moscow"][0] == "place"
    assert "Russian" not in found and "Putin" not in found
