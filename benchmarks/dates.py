"""Publication times found in flat text: Storyline's clean stage vs htmldate, same pages, same run.

Usage::

    .venv/bin/python benchmarks/dates.py [--data ../shared/data] [--reuters N] [--show 20]

Two real sets whose true dates are known, given to both as flat text with no ``published`` field:

- Reuters-21578 (title + body; truth: the wire's own time stamp, ``date``): a date found is right when
  it is within one day of it;
- webnews-dev (real pages, truth: ``event_date``; publication follows the event by hours to days): right
  when 0 to 3 days after the event (a day before is allowed for time zones).

For each: how many pages get a date, how many of those are right, and how many wrong, by where the
date came from (``dateline``, ``body``). The competitor is htmldate's ``find_date`` with its extensive
search of the text (what trafilatura does by default), on the same text wrapped in ``<p>`` tags, with
the run's date as its latest date. The clock is pinned to the run's start (``DateConfig.now``); a wrong
date is worse than none, so "wrong" is the figure to keep near zero and "right" the one to raise.
``--show`` prints that many wrong dates of ours, with their context, to read.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from storyline.clean.article import clean_item
from storyline.clean.dates import DateConfig
from storyline.clean.html import HtmlConfig
from storyline.clean.text import TextCleanConfig
from storyline.evaluate.copysets import default_data_dir
from storyline.model import Article, RawItem


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    text: str
    truth: date
    window: tuple[int, int]  # days after the truth a found date may lie, inclusive


def reuters(data: Path, n: int, seed: int = 0) -> list[Page]:
    rows = []
    with gzip.open(data / "reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            body = (row.get("body") or "").strip()
            try:
                day = datetime.strptime((row.get("date") or "").split()[0], "%d-%b-%Y").date()
            except (ValueError, IndexError):
                continue
            if body:
                text = f"{row.get('title') or ''}\n{body}".strip()
                rows.append(Page(f"reuters-{row['newid']}", text, day, (-1, 1)))
    random.Random(seed).shuffle(rows)
    return rows[:n] if n else rows


def webnews(data: Path) -> list[Page]:
    pages = []
    with (data / "webnews-dev" / "webnews-dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            truth = date.fromisoformat(row["event_date"])
            pages.append(Page(row["id"], row["text"], truth, (-1, 3)))
    return pages


def ours(page: Page, dates: DateConfig) -> tuple[date | None, str | None, str]:
    item = RawItem(page.id, page.id, page.text, "text")
    article = clean_item(item, None, HtmlConfig(), TextCleanConfig(), 1, dates)
    if not isinstance(article, Article) or article.published is None:
        return None, None, ""
    return article.published.date(), article.published_source, article.text


def htmldate_on_text(page: Page, latest: str) -> date | None:
    from htmldate import find_date

    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in page.text.split("\n") if p.strip())
    found = find_date(
        f"<html><body>{paragraphs}</body></html>", extensive_search=True, original_date=True, max_date=latest
    )
    return date.fromisoformat(found) if found else None


def verdict(page: Page, found: date | None) -> str:
    if found is None:
        return "none"
    low, high = page.window
    return "right" if low <= (found - page.truth).days <= high else "wrong"


def measure(name: str, pages: list[Page], dates: DateConfig, show: int) -> Iterator[str]:
    latest = dates.latest().date().isoformat()
    mine: Counter[tuple[str, str]] = Counter()
    theirs: Counter[str] = Counter()
    wrong: list[tuple[Page, date, str, str]] = []
    spent = [0.0, 0.0]
    for page in pages:
        start = time.perf_counter()
        found, source, text = ours(page, dates)
        spent[0] += time.perf_counter() - start
        judged = verdict(page, found)
        mine[(judged, source or "-")] += 1
        if judged == "wrong" and found is not None:
            wrong.append((page, found, source or "-", text))
        start = time.perf_counter()
        theirs[verdict(page, htmldate_on_text(page, latest))] += 1
        spent[1] += time.perf_counter() - start
    n = len(pages)
    yield f"\n{name}: {n} pages"
    yield "| extractor | dated | right | wrong | ms/page |"
    yield "|---|---|---|---|---|"
    right, bad = (
        sum(v for (j, _), v in mine.items() if j == "right"),
        sum(v for (j, _), v in mine.items() if j == "wrong"),
    )
    yield f"| storyline | {right + bad} | {right} | {bad} | {1000 * spent[0] / n:.1f} |"
    for source in sorted({s for _, s in mine if s != "-"}):
        r, w = mine[("right", source)], mine[("wrong", source)]
        yield f"|   from {source} | {r + w} | {r} | {w} | |"
    r, w = theirs["right"], theirs["wrong"]
    yield f"| htmldate (extensive) | {r + w} | {r} | {w} | {1000 * spent[1] / n:.1f} |"
    for page, found, source, text in wrong[:show]:
        yield f"  WRONG {page.id}: {found} from {source}, truth {page.truth}: {text[:160]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--reuters", type=int, default=3000, help="Reuters pages to sample (0: all 21,578)")
    parser.add_argument("--show", type=int, default=10, help="wrong dates of ours to print per set")
    args = parser.parse_args()
    dates = DateConfig(now=datetime.now(UTC))
    for name, pages in (
        ("webnews-dev", webnews(args.data)),
        ("Reuters-21578", reuters(args.data, args.reuters)),
    ):
        for line in measure(name, pages, dates, args.show):
            print(line, flush=True)


if __name__ == "__main__":
    main()
