"""Where independent sources disagree: the same quantity or time with different values, and one name
spelt two ways. Precision comes first (a wrong "disagreement" misleads a reader more than a missed one
costs), so every rule asks for several pieces of evidence that the two values answer the same question:

- **quantities**: a number with the unit noun after it ("61 people", "6:00 pm" local time, "0800 GMT");
  two differ when the units match, the values differ (a rounding is no difference), the words within six
  of each value share at least ``fact_context`` content words, the sentences share a name, the
  qualifiers match ("more than 100 mph" and "up to 120 mph" do not disagree), every source giving the
  unit gives it one value only (a source giving two is describing two things) and at most three values
  compete. Numbers glued to a name ("AK-47", "Route 52") are not quantities. Years without a unit,
  and weekdays, are left out: "in 2011" and "in 2002" are usually two events, and "Tuesday" depends on
  when each source was written.
- **spellings**: two capitalised words of at least ``name_min`` letters one edit apart (two from
  ``name_long``), not one the other plus a suffix ("Korea"/"Korean"), never in one sentence (that is two
  names, "Iran"/"Iraq"), sharing a neighbouring word, not always beside different names ("Reggie
  Wayne"/"Dwayne Bowe"), used by different sets of copy groups, neither
  an ordinary lowercase word of the story, nor two endings of one word ("Escaped"/"Escapes"), nor
  British and American spellings ("Organisation"/"Organization"). Hyphens and spaces split words
  first, so "Kim Jong-un"/"Kim Jong Un" never differ.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

from storyline.stories.features import MONTHS, STOPWORDS, WEEKDAYS
from storyline.view.model import Disagreement, ViewConfig
from storyline.view.text import Sentence, content_words, is_prose, word_set

__all__ = ["Quantity", "find_disagreements", "quantities"]

_NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_SPELLED = {w: i + 2 for i, w in enumerate(_NUMBER_WORDS)}
_MULTIPLIERS = frozenset({"million", "billion", "thousand", "trillion", "percent", "per"})
_SKIP = frozenset({"more", "than", "least", "about", "nearly", "almost", "some", "over", "of", "cent", "-"})
_TIME = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?(?:\s+(local|[A-Z]{2,4}))?"
    r"|\b([01]\d|2[0-3]):?([0-5]\d)\s*(GMT|UTC)\b"
)
_NUMBER = re.compile(r"(?<![\w.:$-])(\d+(?:[.,]\d+)*)(?![\w:])|\b(" + "|".join(_SPELLED) + r")\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")
_ANY_NUMBER = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_SPAN = 6
# Stems that name the same outcome, so "killing 61" and "62 died" compare.
_SYNONYMS = {
    w: "death" for w in ("kill", "killing", "died", "dead", "death", "deaths", "die", "dy", "fatal")
} | {w: "injury" for w in ("injur", "injuri", "wound", "hurt")}
_STRONG = frozenset({"death", "injury"})  # a toll's outcome word counts twice: it says what is counted
_NOT_NAMES = frozenset(STOPWORDS | WEEKDAYS.keys() | MONTHS.keys())
_RANGE = word_set("first last next past previous top final other")
_QUALIFIER_WORDS = word_set("least more than most less fewer nearly almost about around roughly some")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A value with its unit in one sentence; `context`: the sentence's other content words."""

    unit: str
    value: str
    sentence: int
    context: frozenset[str]
    qualifier: str = ""
    names: frozenset[str] = frozenset()
    phrase: str = ""
    noun: str = "time"


def _window(text: str, start: int, end: int) -> frozenset[str]:
    """Content words within ``_SPAN`` words of a value: what it is a value *of* (no numbers or dates)."""
    left = _WORD.findall(text[:start])[-_SPAN:]
    right = _WORD.findall(text[end:])[:_SPAN]
    found = content_words(" ".join(left + right))
    return frozenset(
        _SYNONYMS.get(w, w)
        for w in found
        if not w[0].isdigit() and w not in MONTHS and w not in WEEKDAYS and w not in _QUALIFIER_WORDS
    )


def quantities(text: str, sentence: int) -> list[Quantity]:
    """Times and counted nouns of one sentence (module docstring)."""
    return [replace(q, sentence=sentence) for q in _quantities(text)]


def _names(text: str) -> frozenset[str]:
    """Capitalised words after the first: the who and where of a sentence."""
    return frozenset(
        low for w in _WORD.findall(text)[1:] if w[0].isupper() and (low := w.lower()) not in _NOT_NAMES
    )


@lru_cache(maxsize=1 << 14)
def _quantities(text: str) -> tuple[Quantity, ...]:
    if not _ANY_NUMBER.search(text):
        return ()
    sentence = -1
    out: list[Quantity] = []
    names = _names(text)
    masked = text
    for m in _TIME.finditer(text):
        if m.group(1):
            hour = int(m.group(1)) % 12 + (12 if m.group(3) == "p" else 0)
            value, zone = f"{hour:02d}:{m.group(2) or '00'}", (m.group(4) or "local").lower()
        else:
            value, zone = f"{m.group(5)}:{m.group(6)}", m.group(7).lower()
        window = _window(text, m.start(), m.end())
        q = Quantity(f"time ({zone})", value, sentence, window, _qualifier(text, m.start()), names)
        out.append(replace(q, phrase=_phrase(text, m.start(), m.end())))
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _NUMBER.finditer(masked):
        counted = _counted(masked, m, sentence, _window(masked, m.start(), m.end()))
        if counted is not None:
            phrase = _phrase(text, m.start(), m.end())
            out.append(replace(counted, qualifier=_qualifier(masked, m.start()), names=names, phrase=phrase))
    return tuple(out)


def _phrase(text: str, start: int, end: int) -> str:
    """The words around a value with the value blanked: what the value is of, for a reader."""
    left = text[:start].split()[-5:]
    right = text[end:].split()[:5]
    return " ".join([*left, "\u2026", *right]).strip(" ,;:.")


_QUALIFIER = re.compile(
    r"\b(more than|less than|fewer than|at least|at most|up to|over|under|about|nearly|almost|around|some|"
    r"roughly|approximately|just past|shortly after|after|before|by)\s*$",
    re.I,
)


def _qualifier(text: str, start: int) -> str:
    """ "more than", "at least", "shortly after": a value so qualified bounds rather than states."""
    m = _QUALIFIER.search(text[max(0, start - 20) : start])
    return m.group(1).lower() if m else ""


def _counted(text: str, m: re.Match[str], sentence: int, context: frozenset[str]) -> Quantity | None:
    raw = m.group(1) or str(_SPELLED[m.group(2).lower()])
    after = [w.lower() for w in _WORD.findall(text[m.end() : m.end() + 60])]
    before = [w.lower() for w in _WORD.findall(text[max(0, m.start() - 40) : m.start()])]
    if (after and after[0] in MONTHS) or (before and (before[-1] in MONTHS or before[-1] in _RANGE)):
        return None  # a date, or a range such as "their first two drives"
    glued = re.search(r"(\b[A-Z][\w-]*|\d\s*,)\s*$", text[max(0, m.start() - 30) : m.start()])
    if glued and glued.group(1).lower() not in STOPWORDS:
        return None  # a model or a name's number ("Boeing 737", "Route 66"), or "10 , 000" split
    value = raw.replace(",", "")
    while after and after[0] in _MULTIPLIERS:
        value += " " + ("percent" if after[0] == "per" else after[0])
        after.pop(0)
    while after and after[0] in _SKIP:
        after.pop(0)
    unit = next((w for w in after[:1] if w not in STOPWORDS and w not in WEEKDAYS and len(w) > 2), None)
    if unit is None or (re.fullmatch(r"(19|20)\d\d", value) and unit not in {"people", "dead"}):
        return None
    stem = next(iter(content_words(unit)), unit)
    return Quantity(stem, value, sentence, context - {stem} - content_words(raw), noun=unit)


def find_disagreements(
    sentences: Sequence[Sentence], group_of: Mapping[str, str], config: ViewConfig
) -> tuple[Disagreement, ...]:
    """Disagreements on quantities, then on spellings, each value with the articles that give it."""
    found = _quantity_conflicts(sentences, group_of, config) + _spelling_conflicts(
        sentences, group_of, config
    )
    seen: set[tuple[str, frozenset[str]]] = set()
    out = []
    for d in found:
        key = (d.fact.split(":")[0], frozenset(v for v, _ in d.values))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return tuple(out)


def _quantity_conflicts(
    sentences: Sequence[Sentence], group_of: Mapping[str, str], config: ViewConfig
) -> list[Disagreement]:
    """Pairs of one unit from two groups whose windows share ``fact_context`` words; every group that
    gives the unit at all must give it one value only, and at most three values may compete."""
    by_unit: dict[str, list[Quantity]] = defaultdict(list)
    for i, s in enumerate(sentences):
        if is_prose(s.text, config.prose_words):
            for q in quantities(s.text, i):
                by_unit[q.unit].append(q)
    out = []
    for unit in sorted(by_unit):
        facts = by_unit[unit]
        per_group: dict[str, set[str]] = defaultdict(set)
        for q in facts:
            per_group[group_of[sentences[q.sentence].article_id]].add(q.value)
        for a, b in combinations(facts, 2):
            shared = a.context & b.context
            ga, gb = (group_of[sentences[q.sentence].article_id] for q in (a, b))
            if _same_value(a.value, b.value) or ga == gb or a.qualifier != b.qualifier:
                continue
            if not a.names & b.names or len(shared) + len(shared & _STRONG) < config.fact_context:
                continue
            related = [
                q for q in facts if q.context & (a.context | b.context) and q.names & (a.names | b.names)
            ]
            values = _values(related, sentences)
            groups = {group_of[sentences[q.sentence].article_id] for q in related}
            if len(values) > 3 or any(len(per_group[g]) > 1 for g in groups):
                continue
            label = f"{a.noun}: {a.phrase}"
            out.append(Disagreement(label, tuple((v, values[v]) for v in sorted(values))))
    return out


def _same_value(a: str, b: str) -> bool:
    """Equal, or one a rounding of the other ("1 million" and "1.52 million" do not disagree)."""
    x, y = sorted((a, b), key=len)
    head, _, rest = y.partition(".")
    return x == y or (x.split(" ")[0] == head and x.split(" ")[1:] == rest.split(" ")[1:])


def _values(facts: Sequence[Quantity], sentences: Sequence[Sentence]) -> dict[str, tuple[str, ...]]:
    ids: dict[str, set[str]] = defaultdict(set)
    for q in facts:
        ids[q.value].add(sentences[q.sentence].article_id)
    return {v: tuple(sorted(a)) for v, a in ids.items()}


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


@dataclass(slots=True)
class _Spelling:
    surface: str
    articles: set[str]
    sentences: set[int]
    neighbours: set[str]
    partners: set[str]


def _spellings(sentences: Sequence[Sentence]) -> dict[str, _Spelling]:
    out: dict[str, _Spelling] = {}
    for i, s in enumerate(sentences):
        for folded, tok, neighbours, partners in _names_in(s.text):
            entry = out.setdefault(folded, _Spelling(tok, set(), set(), set(), set()))
            entry.articles.add(s.article_id)
            entry.sentences.add(i)
            entry.neighbours.update(neighbours)
            entry.partners.update(partners)
    return out


@lru_cache(maxsize=1 << 14)
def _names_in(text: str) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """Capitalised words of a sentence: (folded, as written, neighbouring words within three, the
    capitalised words right beside it: the rest of a full name)."""
    tokens = _WORD.findall(text)
    out = []
    for k, tok in enumerate(tokens):
        low = tok.lower()
        if not tok[0].isupper() or low in STOPWORDS or low in MONTHS or low in WEEKDAYS or tok.isupper():
            continue
        near = tuple(
            t.lower() for t in tokens[max(0, k - 3) : k + 4] if t.lower() not in STOPWORDS and t != tok
        )
        beside = tuple(
            _fold(t)
            for t in tokens[max(0, k - 1) : k + 2]
            if t != tok and t[0].isupper() and t.lower() not in _NOT_NAMES
        )
        out.append((_fold(tok), tok, near, beside))
    return tuple(out)


def _spelling_conflicts(
    sentences: Sequence[Sentence], group_of: Mapping[str, str], config: ViewConfig
) -> list[Disagreement]:
    names = {k: v for k, v in _spellings(sentences).items() if len(k) >= config.name_min}
    lower = {_fold(w) for w in {w for s in sentences for w in _WORD.findall(s.text) if w[0].islower()}}
    buckets: dict[str, set[str]] = defaultdict(set)
    for k in names:
        for variant in _deletions(k, 2 if len(k) >= config.name_long else 1):
            buckets[variant].add(k)
    pairs = {tuple(sorted(p)) for b in buckets.values() for p in combinations(sorted(b), 2)}
    out = []
    for a, b in sorted(pairs):
        x, y = names[a], names[b]
        limit = 2 if min(len(a), len(b)) >= config.name_long else 1
        if a.startswith(b) or b.startswith(a) or _edits(a, b) > limit:
            continue
        if x.sentences & y.sentences or not x.neighbours & y.neighbours or a in lower or b in lower:
            continue
        if x.partners and y.partners and not x.partners & y.partners:
            continue  # "Reggie Wayne" and "Dwayne Bowe": two people, not two spellings
        if _inflections(a, b):
            continue
        gx, gy = ({group_of[i] for i in s.articles} for s in (x, y))
        if gx == gy:
            continue
        values = ((x.surface, tuple(sorted(x.articles))), (y.surface, tuple(sorted(y.articles))))
        out.append(Disagreement(f"spelling of {x.surface}/{y.surface}", tuple(sorted(values))))
    return out


_SUFFIXES = ("ence", "ance", "ing", "ers", "ors", "ent", "ant", "ed", "es", "er", "ee", "or", "s", "e")


def _british(word: str) -> str:
    """British and American spellings folded together ("Organisation"/"Organization", "-our"/"-or")."""
    return re.sub(r"re\b", "er", word.replace("our", "or").replace("is", "iz").replace("ys", "yz"))


def _inflections(a: str, b: str) -> bool:
    """ "Escaped"/"Escapes", "Advisers"/"Advisors", "Somalia"/"Somalis": one word with two endings, not
    two spellings (a different last letter alone counts as an ending)."""
    if len(a) == len(b) and a[:-1] == b[:-1]:
        return True
    if _british(a) == _british(b):
        return True

    def stem(w: str) -> str:
        return next((w[: -len(x)] for x in _SUFFIXES if w.endswith(x) and len(w) - len(x) >= 3), w)

    return stem(a) == stem(b)


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (two short words; a plain dynamic programme)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
