"""Quoted speech: the spans of a text inside quotation marks.

Independent reports of one event quote the same speech, statement or press release word for word; an
editor does not call them copies. So shared text inside quotation marks counts little as evidence of
copying (see :mod:`storyline.copies.evidence`). Titles and scare quotes ("Alien", "massive flooding")
are narrative, not speech: only quotations of at least ``min_words`` words count.

Quotes are read per paragraph (a line): straight double quotes toggle, typographic ones open and close
(“ ” „ « »), typographic single quotes open after a non-letter and close before one (so the apostrophe
in "Epstein\u2019s" never closes a quote). A quotation left open runs to the end of its paragraph, as news
style leaves a multi-paragraph quote open.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

__all__ = ["quote_spans", "quoted_positions"]

_MARK = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019]')
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
_OPEN_DOUBLE = "\u201c\u201e\u00ab"
_CLOSE_DOUBLE = "\u201d\u00bb"


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for m in _MARK.finditer(text, start, end):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if ch in "\u2018\u2019":
            if opened is None and ch == "\u2018" and not before.isalnum():
                opened = (i, "single")
            elif opened is not None and opened[1] == "single" and ch == "\u2019" and not after.isalnum():
                spans.append((opened[0], i + 1))
                opened = None
            continue
        if opened is None:
            if ch not in _CLOSE_DOUBLE:
                opened = (i, "double")
        elif opened[1] == "double" and ch not in _OPEN_DOUBLE:
            spans.append((opened[0], i + 1))
            opened = None
    if opened is not None:
        spans.append((opened[0], end))
    return spans


def quote_spans(text: str, min_words: int = 5) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the quotations in ``text`` of at least ``min_words`` words."""
    spans = []
    for line in _LINE.finditer(text):
        for start, end in _line_spans(text, line.start(), line.end()):
            if len(_WORD.findall(text, start, end)) >= min_words:
                spans.append((start, end))
    return spans


def quoted_positions(spans: list[tuple[int, int]], char_of: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """Whether each character offset in ``char_of`` lies inside one of ``spans`` (sorted, disjoint)."""
    if not spans:
        return np.zeros(len(char_of), dtype=bool)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    at = np.searchsorted(starts, char_of, side="right") - 1
    inside: npt.NDArray[np.bool_] = (at >= 0) & (char_of < ends[np.maximum(at, 0)])
    return inside
