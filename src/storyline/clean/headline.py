"""Headline and publication date of a flat page.

A flat page usually starts with its headline, often as the HTML ``<title>`` with the site's name glued on
(``"... - Action News"``), and scraped pages often repeat the headline a few lines below. The headline
is the first head line that is repeated in the head, else the first line when it reads like a headline
(short, not ending like a sentence). A ``" - Site"`` / ``" | Site"`` suffix is cut when the document holds
the headline without it, or the suffix matches the site's name.
"""

from __future__ import annotations

import re

from storyline.clean.dates import DateConfig, dateline_date

__all__ = ["find_published", "find_title", "split_site_suffix"]

_SEP = "-|\u2013\u2014:\u00bb"  # hyphen, bar, en and em dash, colon, guillemet: title/site separators
_SUFFIX = re.compile(rf"^(?P<head>.{{12,}}?)\s+[{_SEP}]\s+(?P<site>[^{_SEP}]{{2,40}})$")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_ALNUM = re.compile(r"[^a-z0-9]")
_MAX_TITLE_WORDS = 30


def _headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= _MAX_TITLE_WORDS and not _SENTENCE_END.search(line)


def split_site_suffix(line: str, others: set[str], site: str | None) -> tuple[str, str | None]:
    """Return (headline, removed suffix or None): cut ``" - Site"`` only when evidence supports it."""
    match = _SUFFIX.match(line)
    if not match:
        return line, None
    head, name = match.group("head"), match.group("site")
    squashed = _ALNUM.sub("", name.lower())
    if head in others or (site and squashed and squashed in _ALNUM.sub("", site.lower())):
        return head, line[len(head) :]
    return line, None


def find_title(head: list[str]) -> int | None:
    """Index in `head` (the lines before the article body) of the headline, or None."""
    seen: dict[str, int] = {}
    for i, line in enumerate(head):
        if line in seen and _headline_like(line):
            return seen[line]
        seen.setdefault(line, i)
    for i, line in enumerate(head):
        for j in range(i + 1, len(head)):
            if head[j] and line.startswith(head[j]) and _SUFFIX.match(line) and _headline_like(head[j]):
                return i
    first = next((i for i, line in enumerate(head) if line), None)
    if first is not None and _headline_like(head[first]):
        return first
    return None


def find_published(line: str, config: DateConfig | None = None) -> str | None:
    """ISO date (with time when given) of a dateline such as ``"| Updated: April 25, 2019 13:44"``
    (see `dates.dateline_date`); None for any other line or an implausible date."""
    found = dateline_date(line, config if config is not None else DateConfig())
    return found.iso() if found is not None else None
