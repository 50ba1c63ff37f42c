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
from itertools import pairwise

__all__ = ["unwrap"]

_MIN_LINES = 4
_MAX_WIDTH = 100
_MIN_WIDTH = 40
_NEAR = 0.8
_WRAPPED_SHARE = 0.5
_CUT_SHARE = 0.5
_PARAGRAPH_MARK = re.compile(r"^(?:\s|&\\t|[-*\u2022>|])")
_SENTENCE_END = re.compile(r"[.!?:][\"')\]]*$")


def _width(lines: list[str]) -> int | None:
    """The wrap width of a wrapped text, or None when it is not wrapped (too few lines, or lines longer
    than any wrap width: paragraphs already on one line each)."""
    kept = [line.rstrip() for line in lines if len(line.strip()) >= _MIN_WIDTH // 2]
    long = sorted(len(line) for line in kept)
    if len(long) < _MIN_LINES or sum(1 for n in long if n > _MAX_WIDTH) > 0.1 * len(long):
        return None
    width = long[int(0.9 * (len(long) - 1))]
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        return None
    near = [line for line in kept if len(line) >= _NEAR * width]
    # wrapped lines mostly stop mid-sentence; a list of short paragraphs ends every line with a stop
    cut = sum(1 for line in near if not _SENTENCE_END.search(line))
    wrapped = len(near) >= _WRAPPED_SHARE * len(long) and cut >= _CUT_SHARE * len(near)
    return width if wrapped else None


def unwrap(text: str, fill: float = _NEAR) -> str:
    """``text`` with soft-wrapped lines joined into paragraphs (unchanged when it is not wrapped).

    An unwrapped text has its paragraphs on lines longer than any wrap width, so it is not unwrapped
    again.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = _width(lines)
    if width is None:
        return text
    out = [lines[0]]
    first = next((k for k, line in enumerate(lines) if line.strip() and not line.isupper()), 0)
    for at, (previous, line) in enumerate(pairwise(lines)):
        full = len(previous.rstrip()) >= fill * width
        unfinished = not _SENTENCE_END.search(previous.rstrip())
        # the first line under any headline, cut short (a dateline taken off it), still runs on
        opening = at == first and unfinished and len(line.rstrip()) >= fill * width
        continues = (line[:1].islower() and unfinished) or opening
        soft = (
            (full or continues)
            and line.strip() != ""
            and previous.strip() != ""
            and not _PARAGRAPH_MARK.match(line)
        )
        if soft:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)
