"""What a reposting site changed, added or cut: a diff of two copies' clean texts.

Sentences are aligned first (difflib on the sentences' whitespace-folded text), so a moved paragraph or
a glued header reads as sentences added or cut rather than as a word soup; a pair of unequal sentences
that still share most words (ratio >= 0.5, e.g. a scraped "agenciesTuesday") is refined to words, so
the reader sees exactly which words differ. Every word of `a` appears, in order, in the ``a_text`` of the
ops, and every word of `b` in their ``b_text``.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from storyline.view.model import DiffOp
from storyline.view.text import split_sentences

__all__ = ["copy_diff"]

_SIMILAR = 0.5


def copy_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """Sentence- then word-level diff of two copies: what `b` changed, added or cut relative to `a`."""
    sa, sb = split_sentences(a), split_sentences(b)
    ka, kb = [" ".join(s.split()) for s in sa], [" ".join(s.split()) for s in sb]
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.extend(DiffOp("same", x, y) for x, y in zip(sa[i1:i2], sb[j1:j2], strict=True))
        elif tag == "delete":
            ops.extend(DiffOp("cut", x, "") for x in sa[i1:i2])
        elif tag == "insert":
            ops.extend(DiffOp("added", "", y) for y in sb[j1:j2])
        else:
            ops.extend(_replace(sa[i1:i2], sb[j1:j2]))
    return tuple(_merge(ops))


def _replace(xs: list[str], ys: list[str]) -> list[DiffOp]:
    """Pair unequal sentences in order while they stay similar; the rest are cut or added."""
    out: list[DiffOp] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        wx, wy = xs[i].split(), ys[j].split()
        if SequenceMatcher(None, wx, wy, autojunk=False).ratio() >= _SIMILAR:
            out.extend(_words(wx, wy))
            i, j = i + 1, j + 1
        elif len(xs) - i >= len(ys) - j:
            out.append(DiffOp("cut", xs[i], ""))
            i += 1
        else:
            out.append(DiffOp("added", "", ys[j]))
            j += 1
    out.extend(DiffOp("cut", x, "") for x in xs[i:])
    out.extend(DiffOp("added", "", y) for y in ys[j:])
    return out


def _words(wx: list[str], wy: list[str]) -> list[DiffOp]:
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, wx, wy, autojunk=False).get_opcodes():
        x, y = " ".join(wx[i1:i2]), " ".join(wy[j1:j2])
        kind = {"equal": "same", "delete": "cut", "insert": "added"}.get(tag, "changed")
        out.append(DiffOp(kind, x, y))  # type: ignore[arg-type]
    return out


def _merge(ops: list[DiffOp]) -> list[DiffOp]:
    """Adjacent ops of one kind become one, so the reader sees runs, not single words."""
    out: list[DiffOp] = []
    for op in ops:
        if out and out[-1].op == op.op:
            last = out[-1]
            out[-1] = DiffOp(op.op, _join(last.a_text, op.a_text), _join(last.b_text, op.b_text))
        else:
            out.append(op)
    return out


def _join(x: str, y: str) -> str:
    return f"{x} {y}" if x and y else x or y
