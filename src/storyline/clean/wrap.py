"""Undo hard line wrapping in flat text, so that a line is a paragraph, a heading or a table row.

Wire feeds, e-mail and text dumps arrive hard-wrapped: every paragraph is cut into lines of at most
some 60-80 characters (Reuters-21578 at 65-70). A wrapped line is not a sentence, and the flat-text
cleaner judges lines, so wrapped articles lose their fragments as "header lines" and their figures as
recurring chrome. A text counts as wrapped when most of its longer lines end near one width, most of
those mid-sentence. Then a line break is a soft wrap, and is joined, when the line before it reaches
``fill`` of that width (the next word did not fit), or the next line goes on in lower case after an
unfinished sentence, or the text's first line (not a headline) stops short of a full line that
follows; and the next line neither starts indented nor with a paragraph mark. Short lines, indented
rows (tables, figures) and blank lines keep their breaks, so tables stay tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right

__all__ = ["unwrap"]

_MIN_LINES = 4
_MAX_WIDTH = 100
_MIN_WIDTH = 40
_NEAR = 0.8
_WRAPPED_SHARE = 0.5
_CUT_SHARE = 0.5
_PARAGRAPH_MARK = re.compile(r"^(?:\s|&\\t|[-*\u2022>|])")
#: Where a right-stripped line ends a sentence; tested as ``line.rstrip(_CLOSERS).endswith(_STOPS)``.
_SENTENCE_END = re.compile(r"[.!?:][\"')\]]*$")
_CLOSERS = "\"')]"
_STOPS = (".", "!", "?", ":")


def _width(lines: list[str], stripped: list[str]) -> int | None:
    """The wrap width of a wrapped text, or None when it is not wrapped (too few lines, or lines longer
    than any wrap width: paragraphs already on one line each). `stripped`: the lines right-stripped."""
    kept = [line for line in stripped if len(line.lstrip()) >= _MIN_WIDTH // 2]
    long = sorted(len(line) for line in kept)
    if len(long) < _MIN_LINES or len(long) - bisect_right(long, _MAX_WIDTH) > 0.1 * len(long):
        return None
    width = long[int(0.9 * (len(long) - 1))]
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return None
    near = [line for line in kept if len(line) >= _NEAR * width]
    # wrapped lines mostly stop mid-sentence; a list of short paragraphs ends every line with a stop
    cut = len(near) - sum([line.rstrip(_CLOSERS).endswith(_STOPS) for line in near])
    wrapped = len(near) >= _WRAPPED_SHARE * len(long) and cut >= _CUT_SHARE * len(near)
    return width if wrapped else None


def unwrap(text: str, fill: float = _NEAR) -> str:
    """``text`` with soft-wrapped lines joined into paragraphs (unchanged when it is not wrapped).

    An unwrapped text has its paragraphs on lines longer than any wrap width, so it is not unwrapped
    again.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stripped = [line.rstrip() for line in lines]
    width = _width(lines, stripped)
    if width is None:
        return text
    out: list[str] = []
    paragraph = [lines[0]]  # pieces of the line being built; all but the first are stripped
    first = next((k for k, line in enumerate(lines) if line.strip() and not line.isupper()), 0)
    least = fill * width
    for at in range(len(lines) - 1):
        previous, line = stripped[at], lines[at + 1]
        # a blank line on either side keeps its break (a stripped line is blank when right-stripped)
        soft = bool(previous) and bool(stripped[at + 1])
        if soft and len(previous) < least:
            unfinished = not previous.rstrip(_CLOSERS).endswith(_STOPS)
            # the first line under any headline, cut short (a dateline taken off it), still runs on
            opening = at == first and unfinished and len(stripped[at + 1]) >= least
            soft = (line[:1].islower() and unfinished) or opening
        if soft and not _PARAGRAPH_MARK.match(line):
            if len(paragraph) == 1:
                paragraph[0] = paragraph[0].rstrip()
            paragraph.append(line.strip())
        else:
            out.append(" ".join(paragraph))
            paragraph = [line]
    out.append(" ".join(paragraph))
    return "\n".join(out)
