"""Publication times: read from metadata, held to a plausible range, taken from text only beyond doubt.

A wrong publication time is worse than none: the story list is sorted by it, the story model leans on
it, and one date in year 9999 or year 1 used to overflow the date arithmetic of later stages. So every
time that leaves this module lies between `DateConfig.earliest` and the time of the run (plus a day of
slack for time zones), and the order of trust is fixed:

1. the input's own ``published`` field (any common notation, with year, month and day; an epoch in
   seconds or milliseconds);
2. the page's metadata (``<meta>`` tags, ``<time>`` elements, the URL; via htmldate without its
   search of the body text) -- source ``html-meta``;
3. a dateline: a header line of a flat page that is only a date, or an "Updated:" / "Published:" line
   -- source ``dateline``;
4. a date the text opens with (source ``body``): a full date within its first few words, the only one
   in its lead, not in the future of the run nor before `DateConfig.body_earliest`, and not a
   maturity, deadline, period end or anniversary (``debentures due April 15, 2011``, ``year to
   December 31, 1986``). Dates further into a text are what it reports, not when it was written.

A value refused on the way is not dropped silently: the caller records why (see `read_published`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateparser

from storyline.model import PublishedSource

__all__ = [
    "SOURCE_WORDS",
    "DateConfig",
    "body_date",
    "dateline_date",
    "full_dates",
    "plausible",
    "read_published",
]

#: Where a publication time came from, in words ("published: ... (from the page's metadata)").
SOURCE_WORDS: dict[PublishedSource, str] = {
    "input": "the input",
    "html-meta": "the page's metadata",
    "dateline": "a dateline",
    "body": "the article text",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(?P<month>" + "|".join(m + r"[a-z]*\.?" for m in _MONTHS) + ")"
_TIME = r"(?:[\s,]+(?:at\s+)?(?P<time>\d{1,2}:\d{2}(?::\d{2})?))?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# Digits on either side are refused so that "Aug 13126" (a sugar position) is no date in year 3126.
_YEAR = r"(?:\s*,\s*|\s+)(?P<year>\d{4})(?!\d)"
_DATE_MDY = re.compile(r"(?<!\w)" + _MONTH + r"\s+" + _DAY + _YEAR + _TIME, re.IGNORECASE)
_DATE_DMY = re.compile(r"(?<!\w)" + _DAY + r"\s+" + _MONTH + _YEAR + _TIME, re.IGNORECASE)
_DATE_ISO = re.compile(
    r"(?<![\w.-])(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})(?![\d-])"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?))?"
)
_PATTERNS = (_DATE_MDY, _DATE_DMY, _DATE_ISO)
_DATELINE_WORD = re.compile(r"\b(updated|published|posted|last modified|first published)\b", re.IGNORECASE)
_MAX_DATELINE_WORDS = 14
#: What a line that is "only a date" may hold besides the date: weekdays, times, zones, separators.
_FILLER = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b(?:a\.?m|p\.?m)\b\.?|\b(?:at|on)\b"
    r"|\b(?:gmt|utc|bst|cet|cest|eet|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|jst|aest|aedt|et|pt)\b"
    r"|[\s|,;:\-\u2013\u2014\u00b7\u2022()\[\]/]",
    re.IGNORECASE,
)
#: Words just before a date that make it something other than the day of writing.
_NOT_WHEN_WRITTEN = re.compile(
    r"due|matur\w*|expir\w*|until|till|through|thru|by|before|after|since|from|to|end(?:s|ed|ing)?"
    r"|record|payable|pay|paid|dated|effective|between|and|or|than|born|founded|established|anniversary"
)
_ANNIVERSARY = re.compile(r"anniversary|years? ago|years? since|commemorat|\bborn\b|\bdied\b", re.I)
_LEAD_CHARS = 600
_OPENING_CHARS = 40
_DATEUTIL_MAX_CHARS = 100
_EPOCH = re.compile(r"\d{9,10}|\d{12,13}")


@dataclass(frozen=True, slots=True)
class DateConfig:
    """The plausible range of publication times.

    earliest: the earliest time accepted from metadata (archives of 19th-century papers exist).
    body_earliest: the earliest date taken from body text, where old dates are mostly history.
    slack: how far after `now` a time may lie (a page stamped in a time zone ahead of the clock).
    now: the time of the run; None reads the clock when a date is checked, the one impure input of
        the clean stage (tests and benchmarks pin it).
    """

    earliest: datetime = datetime(1800, 1, 1)
    body_earliest: datetime = datetime(1900, 1, 1)
    slack: timedelta = timedelta(days=1)
    now: datetime | None = None

    def latest(self) -> datetime:
        """The latest plausible time, naive UTC."""
        now = self.now if self.now is not None else datetime.now(UTC)
        if now.tzinfo is not None:
            now = now.astimezone(UTC).replace(tzinfo=None)
        return now + self.slack


def _naive_utc(value: datetime) -> datetime | None:
    """`value` as naive UTC, or None when the conversion leaves the calendar (0001-01-01+01:00)."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def plausible(value: datetime, config: DateConfig, earliest: datetime | None = None) -> str | None:
    """Why `value` is no plausible publication time (before `earliest`, after the run), or None."""
    low = earliest if earliest is not None else config.earliest
    naive = _naive_utc(value)
    latest = config.latest()
    if naive is None:
        return f"before {low.year}" if value.year < latest.year else "after the time of the run"
    if naive < low:
        return f"before {low.year}"
    if naive > latest:
        return f"after the time of the run ({(latest - config.slack).date().isoformat()})"
    return None


def _dateutil(text: str) -> datetime | str:
    """dateutil's reading of `text`, only when it names year, month and day (dateutil fills missing
    parts from today, which turned ``-1`` into today's date)."""
    if len(text) > _DATEUTIL_MAX_CHARS:
        return "not a date (too long)"
    readings = []
    for default in (datetime(2000, 1, 1), datetime(2004, 12, 28)):
        try:
            reading: datetime = dateparser.parse(text, default=default, fuzzy=False)
        except Exception:  # dateutil on untrusted text raises assorted errors; each means "no date"
            return "not a date"
        readings.append(reading)
    first, second = readings
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return "not a complete date (needs year, month and day)"
    return first


def read_published(value: str, config: DateConfig) -> datetime | str:
    """The publication time `value` names, zone-aware ones in UTC, or why it is refused.

    ISO 8601 first, then an epoch (9-10 digits: seconds, 12-13: milliseconds), then any notation
    dateutil reads with year, month and day all given; the result must be `plausible`.
    """
    text = value.strip()
    if not text:
        return "empty"
    parsed: datetime | str
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        if _EPOCH.fullmatch(text):
            seconds = int(text) / (1000 if len(text) > 10 else 1)
            parsed = datetime.fromtimestamp(seconds, UTC)
        else:
            parsed = _dateutil(text)
    if isinstance(parsed, str):
        return parsed
    problem = plausible(parsed, config)
    if problem is not None:
        return problem
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    when: datetime
    timed: bool

    def iso(self) -> str:
        """ISO 8601, a date alone when the text gave no time."""
        return self.when.isoformat() if self.timed else self.when.date().isoformat()


def _stamp(match: re.Match[str]) -> tuple[datetime, bool] | None:
    groups = match.groupdict()
    month = groups.get("month")
    try:
        month_no = _MONTHS.index(month.lower()[:3]) + 1 if month else int(groups["m"])
        stamp = datetime(int(groups["year"]), month_no, int(groups["day"]))
    except (ValueError, TypeError):
        return None
    when = groups.get("time")
    if when:
        parts = [int(p) for p in when.split(":")] + [0]
        try:
            return stamp.replace(hour=parts[0], minute=parts[1], second=parts[2]), True
        except ValueError:
            pass
    return stamp, False


def full_dates(text: str) -> Iterator[_Found]:
    """Every full calendar date (day, month and a four-digit year) in `text`, with its span."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            stamp = _stamp(match)
            if stamp is not None:
                yield _Found(match.start(), match.end(), *stamp)


def _only_a_date(line: str, found: _Found) -> bool:
    rest = line[: found.start] + " " + line[found.end :]
    return not _FILLER.sub("", rest)


def dateline_date(line: str, config: DateConfig) -> _Found | None:
    """The date of a header line that is a dateline: an "Updated:"/"Published:" line of a few words,
    or a line that is only a date (with weekday, time or zone).

    A date-only line ending in a full stop is the tail of a hard-wrapped sentence ("... the stock split
    is" / "June 19, 1987."), not a dateline.
    """
    if len(line.split()) > _MAX_DATELINE_WORDS:
        return None
    worded = _DATELINE_WORD.search(line) is not None
    if not worded and line.rstrip().endswith("."):
        return None
    for found in full_dates(line):
        if (worded or _only_a_date(line, found)) and plausible(found.when, config) is None:
            return found
    return None


def _written_then(text: str, found: _Found) -> bool:
    """Whether the words around a date let it be the day of writing (no "due", "year to", ...)."""
    before = re.findall(r"[a-z]+", text[max(0, found.start - 40) : found.start].lower())[-3:]
    if any(_NOT_WHEN_WRITTEN.fullmatch(word) for word in before):
        return False
    around = text[max(0, found.start - 80) : found.end + 80]
    return _ANNIVERSARY.search(around) is None


def body_date(text: str, config: DateConfig) -> datetime | None:
    """The date a text opens with, or None when it opens with none or its lead is ambiguous.

    Only a full date that starts within the first `_OPENING_CHARS` characters qualifies (a date stamp
    or dateline at the head of the page: "date 2019-03-18 ...", "WASHINGTON, April 3, 2019 -"), when
    no other full date appears in the lead, it is plausible (from `DateConfig.body_earliest` to the
    run, no slack) and no word before it makes it a maturity, deadline, period end or anniversary.
    A full date further into the text is what the story is about or history, not when it was written:
    on 3,000 Reuters reports the one full date of the body was never their date (0 of 22).
    """
    found = [f for f in full_dates(text[:_LEAD_CHARS]) if f.start < _LEAD_CHARS]
    if not found or len({f.when.date() for f in found}) != 1:
        return None
    first = min(found, key=lambda f: f.start)
    if first.start > _OPENING_CHARS or not _written_then(text, first):
        return None
    strict = DateConfig(config.earliest, config.body_earliest, timedelta(0), config.now)
    return first.when if plausible(first.when, strict, config.body_earliest) is None else None
