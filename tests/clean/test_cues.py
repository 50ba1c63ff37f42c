"""Fast paths of the flat-text cleaner equal their reference definitions exactly: the fused line scorer,
line keys of a whole document, and the string tests that replace anchored sentence-end patterns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean import text, wrap
from storyline.clean.cues import document_features, load_line_model, topic_words
from storyline.clean.lines import line_key, line_keys

LINES = [
    "Home | News | Sport | Login",
    "Officials said the plan would be reviewed on Monday morning.",
    "Shr 16 cts vs 13 cts",
    "(c) 2024 Example Media. All rights reserved.",
    "Contact us at news@example.com or visit www.example.com",
    "WHAT HAPPENS NEXT?",
    "Related:",
    'The minister (who spoke to reporters) said it was "final." (Reuters)',
    "İstanbul \u00bb Dünya \u203a Ekonomi \u2013 Σοφία ΟΔΟΣ",
    "x",
    "1ST QTR NET 4TH",
]

_PIECES = [
    *"aZ09 ;]_.,:?!|>/()@©\"'İΣς\u00bb\u2013\u00b2\u2028\t",
    "www.",
    "(c)",
    ".com",
    "Shr",
    "said",
    "Quarterly",
    "abc12defgh_ijklmn",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


def _reference(lines: list[str]) -> list[float]:
    model = load_line_model()
    return [model.score(dense, hashed) for dense, hashed in document_features(lines)]


def test_fused_scores_equal_reference() -> None:
    assert load_line_model().chrome_probabilities(LINES) == _reference(LINES)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT.filter(bool), min_size=1, max_size=12))
def test_fused_scores_equal_reference_on_any_lines(lines: list[str]) -> None:
    assert load_line_model().chrome_probabilities(lines) == _reference(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=8))
def test_line_keys_equal_line_key(lines: list[str]) -> None:
    assert line_keys(lines) == [line_key(line) for line in lines]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_sentence_tests_equal_their_patterns(line: str) -> None:
    assert text._sentence_end(line) == bool(text._SENTENCE_END.search(line))
    assert text._ends_sentence(line) == bool(text._ENDS_SENTENCE.search(line))


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_topic_words_from_words_equal_topic_words(line: str) -> None:
    words = text._WORD.findall(line)
    assert text._topic_words(line, line.lower(), words) == topic_words(line)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_unwrap_sentence_test_equals_its_pattern(line: str) -> None:
    stripped = line.rstrip()
    assert stripped.rstrip(wrap._CLOSERS).endswith(wrap._STOPS) == bool(wrap._SENTENCE_END.search(stripped))
