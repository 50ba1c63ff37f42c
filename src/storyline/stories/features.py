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

__all__ = [
    "StoryRecord",
    "TermCounts",
    "body_text",
    "extract_terms",
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
_SENTENCE_CHARS = frozenset(".!?:;\"\u201c\u201d`'|")
_ISO_DATE = re.compile(r"\b(19\d\d|20\d\d)-(\d\d)-(\d\d)\b")


def body_text(text: str) -> str:
    """The text without a leading URL line (ECB+ and some crawls start with one; it would leak the event)."""
    return _URL_LINE.sub("", text, count=1)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Tokens with a flag: True when the token starts a sentence (so its capital says nothing)."""
    out: list[tuple[str, bool]] = []
    last = 0
    for m in _TOKEN.finditer(text):
        start = m.start()
        if start == last:
            starts = not out
        else:
            gap = text[last:start]
            end = gap.rstrip()[-1:]
            starts = not out or (end != "" and end in _SENTENCE_CHARS) or "\n" in gap
        out.append((m.group(0), starts))
        last = m.end()
    return out


@lru_cache(maxsize=1 << 16)
def _is_name(token: str) -> bool:
    low = token.lower()
    return token[0].isupper() and low not in STOPWORDS and low not in MONTHS and low not in WEEKDAYS


def _entity_runs(tokens: list[tuple[str, bool]], known: set[str]) -> Iterable[str]:
    """Named things: runs of capitalised tokens; a sentence-initial one counts when known as a name."""
    run: list[str] = []
    for tok, starts in [*tokens, ("", True)]:
        name = bool(tok) and _is_name(tok) and tok.lower() in known
        if name and (not starts or not run):
            run.append(_possessive(tok.lower()))
            continue
        if run:
            yield from run
            if len(run) > 1:
                yield "_".join(run)
        run = [_possessive(tok.lower())] if name else []


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
    return _dates([t for t, _ in _tokens(text)], text, published)


def _dates(tokens: list[str], text: str, published: datetime | None) -> set[date]:
    out: set[date] = set()
    for y, mo, d in _ISO_DATE.findall(text):
        try:
            out.add(date(int(y), int(mo), int(d)))
        except ValueError:
            continue
    for i, tok in enumerate(tokens):
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
    """Counts of typed terms (``w:``, ``e:``, ``n:``, ``y:``, ``d:``) for one article; title counted twice."""
    text = body_text(record.text)
    full = f"{record.title}\n{record.title}\n{text}" if record.title else text
    tokens = _tokens(full)
    lower = {t for t, _ in tokens if t[0].islower()}
    known = {t.lower() for t, s in tokens if not s and _is_name(t) and t.lower() not in lower}
    counts: Counter[str] = Counter()
    for tok, _ in tokens:
        low = tok.lower()
        if low[0].isdigit():
            digits = low.replace(",", "")
            if len(digits) == 4 and digits.isdigit() and digits[:2] in ("19", "20"):
                counts["y:" + digits] += 1
            elif digits not in ("0", "1"):
                counts["n:" + digits] += 1
        elif len(low) > 2 and low not in STOPWORDS and low not in MONTHS and low not in WEEKDAYS:
            counts["w:" + _stem(low)] += 1
    counts.update("e:" + e for e in _entity_runs(tokens, known))
    dates = _dates([t for t, _ in tokens], full, record.published)
    counts.update("d:" + d.strftime("%m-%d") for d in dates)
    return dict(counts)


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light suffix strip so "killed"/"kills"/"killing" meet; no dictionary, no model."""
    word = word.replace(RIGHT_QUOTE, "'").split("'")[0]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
