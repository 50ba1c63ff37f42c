"""Event evidence from one article: words, named things, numbers and dates, as weighted terms.

What tells two look-alike events apart is rarely the vocabulary (both earthquakes have "magnitude",
"epicentre", "killed") but the particulars: who, where, how many, when. So besides lowercase content
words every article yields typed terms that the similarity weighs up:

- ``e:`` named things: capitalised tokens and runs of them ("e:tara_reid", "e:reid") that are not at the
  start of a sentence, or that are capitalised at least once elsewhere in the article. A heuristic, not a
  tagger: it needs no model, runs at tokeniser speed and works on any Latin-script text.
- ``n:`` numbers other than years (death tolls, scores, amounts, ages); ``y:`` years 1900-2099;
- ``d:`` calendar dates ("December 11", "11 Dec", "2013-05-02"); weekdays are resolved to a date when the
  article's publication time is known ("Thursday" = the last Thursday on or before publication).

Every function here is pure: text in, terms out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import compress

__all__ = [
    "StoryRecord",
    "TermCounts",
    "body_text",
    "extract_terms",
    "stem",
    "text_dates",
]

TermCounts = dict[str, float]


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """The part of an article that story clustering reads: one per article or one per copy group."""

    id: str
    title: str | None
    text: str
    published: datetime | None = None


_MONTH_NAMES = "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|" + (
    "september sep sept|october oct|november nov|december dec"
)
MONTHS = {name: i + 1 for i, names in enumerate(_MONTH_NAMES.split("|")) for name in names.split()}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS = {name: i for i, name in enumerate(_DAYS)}

# A word list reads and diffs better as text than as 200 quoted literals.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are around as at be because been before
    being below between both but by can could did do does doing down during each even ever every few for
    from further get got had has have having he her here hers herself him himself his how however i if in
    into is it its itself just last like made make many may me might more most much must my myself new
    news no nor not now of off on once one only or other our ours ourselves out over own per said same say
    says she should since so some still such than that the their theirs them themselves then there these
    they this those through to too two under until up upon us very via was we were what when where which
    while who whom whose why will with within without would year years yesterday today tomorrow you your
    yours yourself mr mrs ms dr st told according reported report reports week weeks day days time
    s t re ve ll d m""".split()  # noqa: SIM905
)
RIGHT_QUOTE = "\u2019"

_URL_LINE = re.compile(r"^\s*(https?|www)\b[^\n]*\n")
_TOKEN = re.compile("[^\\W\\d_][\\w'\u2019\\-]*|\\d+(?:[.,]\\d+)*")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_SENTENCE_CHARS = frozenset(".!?:;\"\u201c\u201d`'|")
_ISO_DATE = re.compile(r"\b(19\d\d|20\d\d)-(\d\d)-(\d\d)\b")


def body_text(text: str) -> str:
    """The text without a leading URL line (ECB+ and some crawls start with one; it would leak the event)."""
    return _URL_LINE.sub("", text, count=1)


def _split(text: str) -> tuple[list[str], list[bool]]:
    """Tokens, and per token whether it starts a sentence, from one C-level split of the text."""
    parts = _TOKEN_SPLIT.split(text)
    tokens = parts[1::2]
    flags = [_ends_sentence(gap) for gap in parts[0:-1:2]]
    if flags:
        flags[0] = True
    return tokens, flags


@lru_cache(maxsize=4096)
def _ends_sentence(gap: str) -> bool:
    """Whether the text between two tokens ends a sentence: a line break or closing punctuation."""
    end = gap.rstrip()[-1:]
    return (end != "" and end in _SENTENCE_CHARS) or "\n" in gap


@lru_cache(maxsize=1 << 16)
def _is_name(token: str) -> bool:
    low = token.lower()
    return token[0].isupper() and low not in STOPWORDS and low not in MONTHS and low not in WEEKDAYS


def _entity_runs(tokens: list[str], starts: list[bool], names: list[int]) -> Iterable[str]:
    """Named things: runs of adjacent name tokens (positions ``names``); a run breaks where a sentence
    starts, so a name opening a sentence begins a run of its own."""
    run: list[str] = []
    last = -2
    for i in names:
        if run and (i != last + 1 or starts[i]):
            yield from run
            if len(run) > 1:
                yield "_".join(run)
            run = []
        run.append(_possessive(tokens[i].lower()))
        last = i
    if run:
        yield from run
        if len(run) > 1:
            yield "_".join(run)


def _possessive(word: str) -> str:
    return word.replace(RIGHT_QUOTE, "'").split("'")[0]


def _month_day(tokens: list[str], i: int) -> tuple[int, int] | None:
    """A month name at ``i`` with a day next to it ("December 11" or "11 December")."""
    month = MONTHS[tokens[i].lower().rstrip(".")]
    for j in (i + 1, i - 1):
        if 0 <= j < len(tokens) and tokens[j].isdigit() and 1 <= int(tokens[j]) <= 31:
            return month, int(tokens[j])
    return None


def text_dates(text: str, published: datetime | None) -> set[date]:
    """Calendar dates the text names, resolved against publication time where the year is missing.

    A month-day without a year takes the publication year (or the year before when that would put it
    more than a month after publication); without a publication time it gets year 1 (the day still
    matches another article's "December 11"). Weekdays resolve only against a publication time.
    """
    return _dates(_split(text)[0], text, published)


def _dates(
    tokens: list[str], text: str, published: datetime | None, calendar: set[str] | None = None
) -> set[date]:
    """See :func:`text_dates`; ``calendar`` (the distinct tokens that name a month or weekday) spares a
    pass when the caller already knows them."""
    out: set[date] = set()
    for y, mo, d in _ISO_DATE.findall(text):
        try:
            out.add(date(int(y), int(mo), int(d)))
        except ValueError:
            continue
    if calendar is None:
        calendar = {t for t in set(tokens) if t.lower() in MONTHS or t.lower() in WEEKDAYS}
    for i in [i for i, tok in enumerate(tokens) if tok in calendar] if calendar else []:
        tok = tokens[i]
        low = tok.lower()
        if low in MONTHS and (tok[0].isupper() or len(low) > 3):
            md = _month_day(tokens, i)
            if md is not None:
                out.add(_resolve(md, published))
        elif low in WEEKDAYS and published is not None and tok[0].isupper():
            back = (published.weekday() - WEEKDAYS[low]) % 7
            out.add(published.date() - timedelta(days=back))
    return out


def _resolve(md: tuple[int, int], published: datetime | None) -> date:
    month, day = md
    year = 1 if published is None else published.year
    try:
        when = date(year, month, day)
    except ValueError:
        return date(1, 1, 1)
    if published is not None and when > published.date() + timedelta(days=31):
        try:
            when = date(year - 1, month, day)
        except ValueError:
            return when
    return when


def extract_terms(record: StoryRecord) -> TermCounts:
    """Counts of typed terms (``w:``, ``e:``, ``n:``, ``y:``, ``d:``) for one article; title counted twice.

    Runs once per article on the online path, so it works on distinct tokens where it can (a C-level
    split and count first, then Python once per distinct token, with what each token is cached).
    """
    text = body_text(record.text)
    full = f"{record.title}\n{record.title}\n{text}" if record.title else text
    tokens, starts = _split(full)
    seen = Counter(tokens)
    opening = Counter(compress(tokens, starts))
    counts: dict[str, float] = {}
    lower: set[str] = set()
    capitals: list[tuple[str, str]] = []
    calendar: set[str] = set()
    for tok, n in seen.items():
        low, term, shape = _token_info(tok)
        if term:
            counts[term] = counts.get(term, 0) + n
        if shape == _LOWER:
            lower.add(tok)
        elif shape == _CAPITAL:
            capitals.append((tok, low))
        elif shape == _CALENDAR:
            calendar.add(tok)
    known = {low for tok, low in capitals if low not in lower and seen[tok] > opening.get(tok, 0)}
    if known:
        name = {tok for tok, low in capitals if low in known}
        positions = [i for i, t in enumerate(tokens) if t in name]
        for term in ["e:" + e for e in _entity_runs(tokens, starts, positions)]:
            counts[term] = counts.get(term, 0) + 1
    for term in ["d:" + d.strftime("%m-%d") for d in _dates(tokens, full, record.published, calendar)]:
        counts[term] = counts.get(term, 0) + 1
    return counts


_OTHER, _LOWER, _CAPITAL, _CALENDAR = range(4)


@lru_cache(maxsize=1 << 14)
def _token_info(tok: str) -> tuple[str, str, int]:
    """A token's lowercase form, its word/number/year term ("" when none: stop word, 0, 1, ...) and
    its shape: lowercase initial, a capitalised possible name, a month or weekday name, or other."""
    low = tok.lower()
    if low in MONTHS or low in WEEKDAYS:
        shape = _CALENDAR
    elif tok[0].islower():
        shape = _LOWER
    else:
        shape = _CAPITAL if _is_name(tok) else _OTHER
    if low[0].isdigit():
        digits = low.replace(",", "")
        if len(digits) == 4 and digits.isdigit() and digits[:2] in ("19", "20"):
            return low, "y:" + digits, shape
        return low, "" if digits in ("0", "1") else "n:" + digits, shape
    if len(low) > 2 and low not in STOPWORDS and shape != _CALENDAR:
        return low, "w:" + stem(low), shape
    return low, "", shape


@lru_cache(maxsize=1 << 16)
def stem(word: str, suffixes: tuple[str, ...] = ("ing", "ed", "es", "s")) -> str:
    """A light suffix strip so "killed"/"kills"/"killing" meet; no dictionary, no model. The first of
    ``suffixes`` that leaves at least three letters goes (the story view also strips a final "e")."""
    word = word.replace(RIGHT_QUOTE, "'").split("'")[0]
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
