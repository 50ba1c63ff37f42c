"""Forms filled in for another subject: two texts that agree word for word except for a name.

Wire services file the same form for many companies ("Credit National is issuing a 100 mln dlr
eurobond due ..."; "World Bank said it has loaned Portugal 50 mln dlrs ..."). Two filings share nearly
all their words, so passage evidence calls them copies; what tells them apart is the *slot*: where the
shared runs break, one text names one company or country and the other another. A copy can differ
there too, but by a correction ("Fieldcor" / "Fidelcor"), not by a different name.

A slot is the gap between two consecutive shared runs of a pair that is short in both texts (at most
``max_gap`` normalised characters; the text before the first run is no slot, since a copy often gets a
new headline); a *swap* is a slot where each text holds a capitalised word the other text never uses,
and the two are not spellings of one name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from storyline.copies.runs import Runs

__all__ = ["name_swaps"]

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_CAPITAL = re.compile(r"\b[A-Z][A-Za-z]{2,}")


def _close(a: str, b: str) -> bool:
    """Spellings of one name: at most two edits apart (a correction, a transliteration)."""
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def _slot_names(text: str, char_of: npt.NDArray[np.int32], start: int, end: int) -> set[str]:
    if end <= start or start >= len(char_of):
        return set()
    lo = int(char_of[start]) if start > 0 else 0
    hi = int(char_of[min(end, len(char_of)) - 1]) + 1
    return {w.lower() for w in _CAPITAL.findall(text, lo, hi)}


def _swapped(names_a: set[str], names_b: set[str], words_a: set[str], words_b: set[str]) -> bool:
    only_a = {n for n in names_a if n not in words_b}
    only_b = {n for n in names_b if n not in words_a}
    return bool(only_a and only_b) and not any(_close(x, y) for x in only_a for y in only_b)


def name_swaps(
    texts: Sequence[str],
    pairs: I64,
    runs: Runs,
    char_of: Callable[[int], npt.NDArray[np.int32]],
    which: I64,
    max_gap: int,
) -> B:
    """For the pairs ``which`` (indices into ``pairs``), whether some slot swaps one name for another."""
    out = np.zeros(len(pairs), dtype=bool)
    words: dict[int, set[str]] = {}
    for k in which.tolist():
        i, j = (int(x) for x in pairs[k])
        lo, hi = np.searchsorted(runs.pair, [k, k + 1])
        if hi - lo == 0:
            continue
        order = np.argsort(runs.a_start[lo:hi]) + lo
        for d in (i, j):
            if d not in words:
                words[d] = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", texts[d])}
        ends_a, ends_b = [0], [0]
        starts_a, starts_b = [], []
        for r in order.tolist():
            starts_a.append(int(runs.a_start[r]))
            starts_b.append(int(runs.b_start[r]))
            ends_a.append(int(runs.a_end[r]))
            ends_b.append(int(runs.b_end[r]))
        for gap in range(1, len(starts_a)):  # between runs: a new headline before the first is no slot
            a0, a1, b0, b1 = ends_a[gap], starts_a[gap], ends_b[gap], starts_b[gap]
            if not (0 <= a1 - a0 <= max_gap and 0 <= b1 - b0 <= max_gap):
                continue
            names_a = _slot_names(texts[i], char_of(i), a0, a1 + 1)
            names_b = _slot_names(texts[j], char_of(j), b0, b1 + 1)
            if _swapped(names_a, names_b, words[i], words[j]):
                out[k] = True
                break
    return out
