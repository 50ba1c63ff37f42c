"""Per-line cues: how much a single line of flat text looks like page chrome.

Rather than a hand-written list of phrases, the cue is a small logistic-regression model learned from real
pages (the article-extraction benchmark: every block of text on 181 pages labelled as article body or not
by overlap with the gold body; see `storyline.clean.line_model_train`). Its weights ship as
``line_model.json`` and are scored here with pure Python, so run time needs neither scikit-learn nor numpy.

Features of a line: its length and word count (log and bucketed), whether it ends like a sentence,
separator characters (``|``, ``•``, ``»``, ...), the share of capitalised, all-caps and numeric words,
``©``/URL/e-mail marks, its relative position in the document, and hashed lower-case words (digits folded
to ``0``), including the first and last word as their own features.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import xxhash

__all__ = ["LineModel", "document_features", "line_features", "load_line_model", "topic_words"]

HASH_BUCKETS = 1 << 14
_TOPIC_WORD = re.compile(r"[^\W\d_]{5,}")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")
_SEPARATORS = "|>/\u2022\u00b7\u00bb\u203a\u00ab\u2039\u2013\u2014"  # | > / and bullets, guillemets, dashes
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$|[.!?]\s*\(.*\)$")
_URL = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|net|co\.uk)\b", re.IGNORECASE)


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if n < edge:
            return i
    return len(edges)


def topic_words(line: str) -> set[str]:
    """Words of 5+ letters, lower-cased and cut to five letters (a crude stem: cable/cables)."""
    return {w[:5] for w in _TOPIC_WORD.findall(line.lower())}


def document_features(
    lines: list[str], topics: list[set[str]] | None = None
) -> list[tuple[dict[str, float], list[int]]]:
    """Return `line_features` for every line of a document (its non-blank lines, in order).

    Besides the line's own features this adds *topicality*: the share of the line's `topic_words` that
    also occur elsewhere in the document. Article sentences repeat the story's names and terms; a comment
    policy or a newsletter prompt shares almost none of them. `topics` may pass precomputed topic words.
    """
    words = topics if topics is not None else [topic_words(line) for line in lines]
    df: Counter[str] = Counter()
    for ws in words:
        df.update(ws)
    out = []
    for i, line in enumerate(lines):
        dense, hashed = line_features(line, i, len(lines))
        mine = words[i]
        shared = sum(1 for w in mine if df[w] > 1) / len(mine) if mine else 0.0
        dense["topical"] = shared
        dense["off_topic"] = 1.0 if mine and shared == 0.0 else 0.0
        out.append((dense, hashed))
    return out


def line_features(line: str, index: int, count: int) -> tuple[dict[str, float], list[int]]:
    """Return (dense features by name, hashed word-feature buckets) of `line` at `index` of `count` lines.

    The same function feeds training and scoring, so the two cannot drift apart.
    """
    words = _WORD.findall(line)
    n_words = len(words)
    n_chars = len(line)
    numeric = sum(1 for w in words if w[0].isdigit())
    lower = [_DIGITS.sub("0", w.lower()) if numeric else w.lower() for w in words]
    capitalised = sum(1 for w in words if w[0].isupper())
    all_caps = sum(1 for w in words if len(w) > 1 and w.isupper())
    denom = max(n_words, 1)
    pos = index / max(count - 1, 1)
    dense: dict[str, float] = {
        "log_chars": math.log1p(n_chars),
        "log_words": math.log1p(n_words),
        f"words_b{_bucket(n_words, (2, 4, 7, 11, 16, 25, 40, 80))}": 1.0,
        "sentence_end": 1.0 if _SENTENCE_END.search(line) else 0.0,
        "ends_colon": 1.0 if line.endswith(":") else 0.0,
        "question": 1.0 if line.endswith("?") else 0.0,
        "separators": math.log1p(sum(line.count(c) for c in _SEPARATORS)),
        "capitalised": capitalised / denom,
        "all_caps": all_caps / denom,
        "numeric": numeric / denom,
        "commas": line.count(",") / denom,
        "copyright": 1.0 if "©" in line or "(c)" in line.lower() else 0.0,
        "url_or_mail": 1.0 if _URL.search(line) or "@" in line else 0.0,
        "pos_head": 1.0 - pos,
        "pos_first": 1.0 if index == 0 else 0.0,
        "pos_last": 1.0 if index == count - 1 else 0.0,
        "pos_edge": 1.0 if min(index, count - 1 - index) < 3 else 0.0,
    }
    hashed = [xxhash.xxh32_intdigest(w.encode()) % HASH_BUCKETS for w in lower]
    if lower:
        hashed.append(xxhash.xxh32_intdigest(("^" + lower[0]).encode()) % HASH_BUCKETS)
        hashed.append(xxhash.xxh32_intdigest(("$" + lower[-1]).encode()) % HASH_BUCKETS)
    return dense, hashed


@dataclass(frozen=True, slots=True)
class LineModel:
    """Logistic-regression weights: P(chrome | line) = sigmoid(bias + dense·w + sum of word weights).

    Word features are binary (a word counts once per line), matching training.
    """

    bias: float
    dense: dict[str, float]
    hashed: tuple[float, ...]

    def chrome_probabilities(self, lines: list[str]) -> list[float]:
        """Probability that each line of a document (its non-blank lines, in order) is page chrome."""
        return [self.score(dense, hashed) for dense, hashed in document_features(lines)]

    def score(self, dense: dict[str, float], hashed: list[int]) -> float:
        """Probability of chrome for one line's features (from `document_features`)."""
        z = self.bias
        for name, value in dense.items():
            z += self.dense.get(name, 0.0) * value
        weights = self.hashed
        for bucket in set(hashed):
            z += weights[bucket]
        if z < -30.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@cache
def load_line_model() -> LineModel:
    """Load the shipped line model (cached: it is read once per process)."""
    raw = resources.files("storyline.clean").joinpath("line_model.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    hashed = [0.0] * HASH_BUCKETS
    for bucket, weight in data["hashed"].items():
        hashed[int(bucket)] = float(weight)
    return LineModel(
        bias=float(data["bias"]),
        dense={str(k): float(v) for k, v in data["dense"].items()},
        hashed=tuple(hashed),
    )
