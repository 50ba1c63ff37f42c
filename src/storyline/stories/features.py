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

Where a term occurs matters as much as how often. An article about the second of two look-alike events
recaps the first at length, but its headline and first sentences tell its own event ("found dead" vs
"arrested", "second cut" vs "first cut"), so every term carries two flags: *lead* (it occurs in the
headline, the words of the url slug or the first :data:`LEAD_TOKENS` tokens of the body) and *head*
(it occurs in the headline or slug). A headline in capitals ("KNUTSON MORTGAGE <KNMC> SETS QUARTERLY")
is read in the case the body writes its words, so its company is a name and "SETS" is a word.

Every function here is pure: text in, terms out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import compress

__all__ = [
    "HEAD",
    "LEAD",
    "LEAD_TOKENS",
    "StoryRecord",
    "TermCounts",
    "Terms",
    "body_text",
    "extract_terms",
    "slug_words",
    "stem",
    "text_dates",
]

TermCounts = dict[str, float]

LEAD_TOKENS = 40
"""Body tokens that count as the lead (about the first two sentences of a news article)."""
LEAD, HEAD = 1, 2
"""Flag bits of a term: seen in the lead (headline, slug, first body tokens); seen in the headline or slug."""


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """The part of an article that story clustering reads: one per article or one per copy group.

    ``url`` is read for the words of its slug ("/2019/08/10/jeffrey-epstein-found-dead/"), which are
    headline words when a page comes without a usable title.
    """

    id: str
    title: str | None
    text: str
    published: datetime | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Terms:
    """An article's typed terms with their counts, and per term its :data:`LEAD` / :data:`HEAD` flags
    (absent: 0)."""

    counts: TermCounts
    flags: dict[str, int]


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


def _entity_runs(tokens: list[str], starts: list[bool], names: list[int]) -> Iterable[tuple[str, int]]:
    """Named things: runs of adjacent name tokens (positions ``names``), each word and the whole run,
    with the run's first position; a run breaks where a sentence starts, so a name opening a sentence
    begins a run of its own."""
    run: list[str] = []
    at = last = -2
    for i in names:
        if run and (i != last + 1 or starts[i]):
            yield from _run_terms(run, at)
            run = []
        if not run:
            at = i
        run.append(_possessive(tokens[i].lower()))
        last = i
    if run:
        yield from _run_terms(run, at)


def _run_terms(run: list[str], at: int) -> Iterable[tuple[str, int]]:
    for word in run:
        yield word, at
    if len(run) > 1:
        yield "_".join(run), at


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


def extract_terms(record: StoryRecord) -> Terms:
    """Typed terms (``w:``, ``e:``, ``n:``, ``y:``, ``d:``) of one article with their counts and flags;
    the url slug counts once and the title twice, both before the body.

    Whether a capitalised word is a name is read from the title and body as written: the slug is
    lowercase by convention and a title in capitals has no case of its own, so neither is evidence.
    Runs once per article on the online path, so it works on distinct tokens where it can (a C-level
    split and count first, then Python once per distinct token, with what each token is cached).
    """
    text = body_text(record.text)
    body_tokens, body_starts = _split(text)
    own_case = record.title is not None and any(map(str.islower, record.title))
    title = record.title if own_case or not record.title else _case_like(record.title, body_tokens)
    slug = _case_like(slug_words(record.url), body_tokens)
    head = "\n".join(x for x in (slug, title, title) if x)
    head_tokens, head_starts = _split(head) if head else ([], [])
    tokens, starts = head_tokens + body_tokens, head_starts + body_starts
    evidence = len(_split(slug)[0]) if own_case and slug else 0 if own_case else len(head_tokens)
    flag_of = _position_flags(len(head_tokens))
    first: dict[str, int] = {}
    for i, tok in enumerate(tokens[: len(head_tokens) + LEAD_TOKENS]):
        first.setdefault(tok, i)
    told = Counter(tokens[evidence:])
    seen = told.copy()  # every token: the body's first, in order, then those only in the head
    seen.update(tokens[:evidence])
    counts: dict[str, float] = {}
    flags: dict[str, int] = {}
    lower: set[str] = set()
    capitals: list[tuple[str, str]] = []
    calendar: set[str] = set()
    for tok, n in seen.items():
        low, term, shape = _token_info(tok)
        if term:
            counts[term] = counts.get(term, 0) + n
            at = first.get(tok)
            if at is not None:
                flags[term] = flags.get(term, 0) | flag_of(at)
        if shape == _CALENDAR:
            calendar.add(tok)
        elif tok not in told:
            continue
        elif shape == _LOWER:
            lower.add(tok)
        elif shape == _CAPITAL:
            capitals.append((tok, low))
    opening = Counter(compress(tokens[evidence:], starts[evidence:]))
    names = list(_names(tokens, starts, told, opening, lower, capitals))
    names += [("$" + t.lower(), at * len(head_tokens)) for at, t in _tickers(record.title or "", text)]
    for name, at in names:
        term = "e:" + name
        counts[term] = counts.get(term, 0) + 1
        flags[term] = flags.get(term, 0) | flag_of(at)
    named = _dates(tokens, f"{head}\n{text}", record.published, calendar)
    for term in ["d:" + d.strftime("%m-%d") for d in sorted(named)]:  # a set: its order follows the hash seed
        counts[term] = counts.get(term, 0) + 1
    return Terms(counts, {t: f for t, f in flags.items() if f})


_TICKER = re.compile(
    r"<([A-Z][A-Z0-9./]{0,9})>|\((?:NYSE|NASDAQ|Nasdaq|AMEX|TSX|LSE|OTC)\s*:\s*([A-Z][A-Z0-9.]{0,9})\)"
)


def _tickers(title: str, text: str) -> list[tuple[int, str]]:
    """Stock tickers (``<DF>``, ``(NYSE: DF)``), each with 0 when in the title, 1 when in the body: a
    ticker names one company whatever the words around it, so it is a name (``e:$df``)."""
    return [
        (at, m.group(1) or m.group(2))
        for at, part in enumerate((title, text))
        for m in _TICKER.finditer(part)
    ]


def _position_flags(head_end: int) -> Callable[[int], int]:
    """The flags a token position earns: head tokens are also lead tokens."""
    lead_end = head_end + LEAD_TOKENS

    def flag_of(at: int) -> int:
        return (LEAD if at < lead_end else 0) | (HEAD if at < head_end else 0)

    return flag_of


def _names(
    tokens: list[str],
    starts: list[bool],
    seen: Counter[str],
    opening: Counter[str],
    lower: set[str],
    capitals: list[tuple[str, str]],
) -> Iterable[tuple[str, int]]:
    """Named things with the position of the run they come from.

    A capitalised token never written lowercase is a name when it also occurs away from a sentence
    start, or when it opens a sentence directly before such a name ("Knutson Mortgage Corp said ...":
    the first word of a company or a person is often the first word of the sentence).
    """
    never_lower = {tok for tok, low in capitals if low not in lower}
    away = {low for tok, low in capitals if tok in never_lower and seen[tok] > opening.get(tok, 0)}
    known = {tok for tok, low in capitals if low in away}
    if not known:
        return []
    positions = [i for i, t in enumerate(tokens) if t in known]
    openers = [
        i - 1 for i in positions if i and starts[i - 1] and not starts[i] and tokens[i - 1] in never_lower
    ]
    if openers:
        positions = sorted(set(positions).union(openers))
    return _entity_runs(tokens, starts, positions)


def _case_like(line: str, body: list[str]) -> str:
    """A line without case of its own (a title in capitals, a url slug), each word in the case the
    body's tokens first write it, else lowercase: the body tells names from words."""
    if not line:
        return line
    distinct = list(dict.fromkeys(body))
    forms = {tok.lower(): tok for tok in reversed(distinct)}  # the first form of a word is the last set
    return _TOKEN.sub(lambda m: forms.get(m.group(0).lower(), m.group(0).lower()), line)


_SLUG_SPLIT = re.compile(r"[-_+.]+")
_HEXISH = re.compile(r"[0-9a-f]{10,}|\d+")
_PAGE_SUFFIX = re.compile(r"\.(s?html?|php|aspx?|cms)$")


def slug_words(url: str | None) -> str:
    """The words of a url's slug: its longest path segment of three or more words ("" when none).

    News urls usually end in the headline ("/world/2019/aug/03/el-paso-shooting-what-we-know-so-far");
    numeric ids, hex hashes and "index.html" segments carry nothing and are skipped.
    """
    if not url:
        return ""
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    best: list[str] = []
    for segment in path.split("/")[1:]:
        words = [w for w in _SLUG_SPLIT.split(_PAGE_SUFFIX.sub("", segment)) if w]
        alpha = [w for w in words if not _HEXISH.fullmatch(w.lower())]
        if len(alpha) >= 3 and len(words) > len(best):
            best = words
    return " ".join(best)


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
