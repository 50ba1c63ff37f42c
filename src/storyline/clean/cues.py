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
from typing import ClassVar

import xxhash

__all__ = ["LineModel", "document_features", "line_features", "load_line_model", "topic_words"]

HASH_BUCKETS = 1 << 14
_TOPIC_WORD = re.compile(r"[^\W\d_]{5,}")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")
_SEPARATORS = "|>/\u2022\u00b7\u00bb\u203a\u00ab\u2039\u2013\u2014"  # | > / and bullets, guillemets, dashes
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$|[.!?]\s*\(.*\)$")
_WORD_EDGES = (2, 4, 7, 11, 16, 25, 40, 80)
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
        f"words_b{_bucket(n_words, _WORD_EDGES)}": 1.0,
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

    def chrome_probabilities(
        self, lines: list[str], topics: list[set[str]] | None = None, words: list[list[str]] | None = None
    ) -> list[float]:
        """Probability that each line of a document (its non-blank lines, in order) is page chrome.

        Equal, to the last bit, to `score` of every line's `document_features`, without building them:
        the cleaner scores every line of every page. `topics` and `words` may pass each line's
        `topic_words` and ``\\w+`` words when the caller has them.
        """
        topics = topics if topics is not None else [topic_words(line) for line in lines]
        words = words if words is not None else [_WORD.findall(line) for line in lines]
        return _Scorer.of(self).document(lines, topics, words)

    def score(self, dense: dict[str, float], hashed: list[int]) -> float:
        """Probability of chrome for one line's features (from `document_features`)."""
        z = self.bias
        for name, value in dense.items():
            z += self.dense.get(name, 0.0) * value
        weights = self.hashed
        for bucket in set(hashed):
            z += weights[bucket]
        return _sigmoid(z)


def _sigmoid(z: float) -> float:
    if z < -30.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


class _Buckets(dict[str, int]):
    """Hash bucket of a word feature by the word as found (a bounded cache): its lower-cased form,
    digits folded to ``0`` when `fold`, behind a ``^``/``$`` mark for a first/last word feature (a
    ``\\w+`` word holds neither mark)."""

    limit = 1 << 20

    def __init__(self, fold: bool) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, word: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        mark = word[0] if word[0] in "^$" else ""
        lower = word[len(mark) :].lower()
        if self.fold:
            lower = _DIGITS.sub("0", lower)
        bucket = self[word] = xxhash.xxh32_intdigest((mark + lower).encode()) % HASH_BUCKETS
        return bucket


_PLAIN_BUCKETS = _Buckets(fold=False)
_FOLDED_BUCKETS = _Buckets(fold=True)
_LOG1P = tuple(math.log1p(n) for n in range(4096))
#: The dense features in the order `line_features` + `document_features` add them (the order of a float sum).
_DENSE = (
    "log_chars",
    "log_words",
    "sentence_end",
    "ends_colon",
    "question",
    "separators",
    "capitalised",
    "all_caps",
    "numeric",
    "commas",
    "copyright",
    "url_or_mail",
    "pos_head",
    "pos_first",
    "pos_last",
    "pos_edge",
    "topical",
    "off_topic",
)


#: Word counts from which the word-count bucket is the last one.
_MAX_COUNT = _WORD_EDGES[-1]
#: A line ends like a sentence where `_SENTENCE_END` matches: told from its end (a stop, then closing
#: quotes or brackets), with the pattern itself asked only for a line ending in ")".
_STOPS = (".", "!", "?")


class _Scorer:
    """`LineModel.score` of `document_features`, fused: the same terms added in the same order (a term
    whose feature is 0 adds exactly nothing, so it is skipped), with word buckets cached and each
    weight read once per model instead of once per line and feature name."""

    _held: ClassVar[dict[int, tuple[LineModel, _Scorer]]] = {}

    def __init__(self, model: LineModel) -> None:
        self.bias, self.hashed = model.bias, model.hashed
        sizes = [model.dense.get(f"words_b{k}", 0.0) for k in range(len(_WORD_EDGES) + 1)]
        self.by_count = tuple(sizes[_bucket(n, _WORD_EDGES)] for n in range(_MAX_COUNT + 1))
        self.dense = tuple(model.dense.get(name, 0.0) for name in _DENSE)

    @classmethod
    def of(cls, model: LineModel) -> _Scorer:
        held = cls._held.get(id(model))
        if held is None or held[0] is not model:
            held = cls._held[id(model)] = (model, cls(model))
        return held[1]

    def document(self, lines: list[str], topics: list[set[str]], words: list[list[str]]) -> list[float]:
        """Probabilities of every line; one loop with the weights in locals, since it runs per line."""
        (
            w_chars, w_words, w_sentence, w_colon, w_question, w_separators, w_capitalised, w_caps,
            w_numeric, w_commas, w_copyright, w_url, w_head, w_first, w_last, w_edge, w_topical, w_off,
        ) = self.dense  # fmt: skip
        bias, by_count, weights = self.bias, self.by_count, self.hashed
        table, top, log1p, exp = _LOG1P, len(_LOG1P), math.log1p, math.exp
        url, paren_end, isupper, isdigit = _URL.search, _SENTENCE_END.search, str.isupper, str.isdigit
        plain, folded = _PLAIN_BUCKETS, _FOLDED_BUCKETS
        df: Counter[str] = Counter()
        for topic in topics:
            df.update(topic)
        once = {w for w, n in df.items() if n == 1}
        last_index = len(lines) - 1
        spread = max(last_index, 1)
        out: list[float] = []
        for index, line in enumerate(lines):
            ws = words[index]
            n_words, n_chars = len(ws), len(line)
            z = bias
            z += w_chars * (table[n_chars] if n_chars < top else log1p(n_chars))
            z += w_words * (table[n_words] if n_words < top else log1p(n_words))
            z += by_count[n_words] if n_words < _MAX_COUNT else by_count[_MAX_COUNT]
            if line.rstrip("\"')]").endswith(_STOPS) or (line.endswith(")") and paren_end(line)):
                z += w_sentence
            if line.endswith(":"):
                z += w_colon
            elif line.endswith("?"):
                z += w_question
            if line.isascii():
                separators = line.count("|") + line.count(">") + line.count("/")
            else:
                separators = sum(line.count(c) for c in _SEPARATORS)
            if separators:
                z += w_separators * (table[separators] if separators < top else log1p(separators))
            numeric = 0
            if ws:
                initials = [w[0] for w in ws]
                capitalised = sum(map(isupper, initials))
                if capitalised:
                    z += w_capitalised * (capitalised / n_words)
                caps = list(filter(isupper, ws))  # "1ST" is all caps, its initial no capital
                if caps:
                    all_caps = len([w for w in caps if len(w) > 1])
                    if all_caps:
                        z += w_caps * (all_caps / n_words)
                numeric = sum(map(isdigit, initials))
                if numeric:
                    z += w_numeric * (numeric / n_words)
            commas = line.count(",")
            if commas:
                z += w_commas * (commas / (n_words or 1))
            if "©" in line or ("(" in line and "(c)" in line.lower()):
                z += w_copyright
            if "@" in line or url(line):
                z += w_url
            z += w_head * (1.0 - index / spread)
            if index == 0:
                z += w_first
            if index == last_index:
                z += w_last
            if index < 3 or last_index - index < 3:
                z += w_edge
            mine = topics[index]
            if mine:
                shared = len(mine) - len(mine & once)
                if shared:
                    z += w_topical * (shared / len(mine))
                else:
                    z += w_off
            if ws:
                buckets = folded if numeric else plain
                hashed = list(map(buckets.__getitem__, ws))  # the dict's own lookup, __missing__ on a miss
                hashed.append(buckets["^" + ws[0]])
                hashed.append(buckets["$" + ws[-1]])
                for bucket in set(hashed):
                    z += weights[bucket]
            out.append(0.0 if z < -30.0 else 1.0 / (1.0 + exp(-z)))
        return out


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
