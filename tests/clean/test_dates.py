"""Publication times: plausible or refused with a reason, and where each came from."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean.article import choose_published, clean_item, parse_published
from storyline.clean.dates import DateConfig, body_date, dateline_date, plausible, read_published
from storyline.clean.html import HtmlConfig
from storyline.clean.text import TextCleanConfig
from storyline.model import Article, RawItem

NOW = datetime(2026, 12, 4, 12, 0)
DATES = DateConfig(now=NOW)
BODY = "Officials said flooding forced thousands of residents to leave their homes on the coast."


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9999-12-15", "after the time of the run (2026-12-04)"),
        ("9999-12-31T23:30-01:00", "after the time of the run"),
        ("0001-01-01T00:00:00+01:00", "before 1800"),
        ("0001-01-01", "before 1800"),
        ("-1", "not a complete date (needs year, month and day)"),
        ("12", "not a complete date (needs year, month and day)"),
        ("March 2019", "not a complete date (needs year, month and day)"),
        ("Tuesday", "not a complete date (needs year, month and day)"),
        ("yesterday", "not a date"),
        ("0", "not a date"),
        ("2026-12-06", "after the time of the run (2026-12-04)"),
        ("x" * 500, "not a date (too long)"),
    ],
)
def test_implausible_or_incomplete_times_are_refused_with_a_reason(value: str, reason: str) -> None:
    assert read_published(value, DATES) == reason
    assert parse_published(value, DATES) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-04-25T13:44:47Z", datetime(2019, 4, 25, 13, 44, 47, tzinfo=UTC)),
        ("2019-04-25T15:44:47+02:00", datetime(2019, 4, 25, 13, 44, 47, tzinfo=UTC)),
        ("Thu, 25 Apr 2019 13:44:47 GMT", datetime(2019, 4, 25, 13, 44, 47, tzinfo=UTC)),
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000)),
        ("1556150400", datetime(2019, 4, 25, tzinfo=UTC)),
        ("1556150400000", datetime(2019, 4, 25, tzinfo=UTC)),
        ("1851-09-18", datetime(1851, 9, 18)),
        ("2026-12-05", datetime(2026, 12, 5)),  # a day of slack for time zones ahead of the clock
    ],
)
def test_common_notations_are_read(value: str, expected: datetime) -> None:
    assert read_published(value, DATES) == expected


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("| Updated: April 25, 2019 13:44:47", "2019-04-25T13:44:47"),
        ("Thursday, April 25, 2019 | 13:44 GMT", "2019-04-25"),
        ("25 April 2019", "2019-04-25"),
        ("Aug 13126", None),  # Reuters-21578 #13438, a sugar position, once year 3126
        ("June 19, 1987.", None),  # the tail of a hard-wrapped sentence
        ("Pay Aug 14, 1987", None),
        ("Year to December 31, 1986", None),
        ("Posted 2031-05-03 10:15", None),  # after the run
        ("Published: 3 May 1850", None),  # a dateline before 1900 is a typo
    ],
)
def test_datelines(line: str, iso: str | None) -> None:
    found = dateline_date(line, DateConfig(earliest=datetime(1900, 1, 1), now=NOW))
    assert (found.iso() if found else None) == iso


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2019-03-18 Mozambique's president says the toll may be 1,000. " + BODY, datetime(2019, 3, 18)),
        ("WASHINGTON, April 3, 2019 (Reuters) - " + BODY, datetime(2019, 4, 3)),
        ("Western Digital will redeem its debentures due April 15, 2011. " + BODY, None),
        ("Due April 15, 2011, the debentures will be redeemed. " + BODY, None),
        ("On the anniversary, March 11, 2011, people gathered. " + BODY, None),
        ("April 3, 2019 and April 9, 2019 were the two votes. " + BODY, None),  # ambiguous
        ("May 1, 2031: " + BODY, None),  # after the run
        ("March 3, 1899: " + BODY, None),  # before 1900: history, not a date stamp
        (BODY + " The company was founded on March 3, 1998.", None),  # not at the opening
    ],
)
def test_body_dates_only_where_the_text_opens_with_one(text: str, expected: datetime | None) -> None:
    assert body_date(text, DATES) == expected


def _clean(item: RawItem) -> Article:
    article = clean_item(item, None, HtmlConfig(), TextCleanConfig(), 5, DATES)
    assert isinstance(article, Article), article
    return article


def test_each_time_records_where_it_came_from() -> None:
    given = _clean(RawItem("a", "a", BODY, "text", published="2019-04-25"))
    assert (given.published, given.published_source, given.notes) == (datetime(2019, 4, 25), "input", ())
    dateline = _clean(RawItem("b", "b", f"Floods in the north\nUpdated: April 25, 2019\n\n{BODY}", "text"))
    assert (dateline.published, dateline.published_source) == (datetime(2019, 4, 25), "dateline")
    undated = _clean(RawItem("c", "c", BODY, "text"))
    assert (undated.published, undated.published_source) == (None, None)


def test_a_refused_input_time_falls_back_with_a_note() -> None:
    text = f"Floods in the north\nUpdated: April 25, 2019\n\n{BODY}"
    article = _clean(RawItem("d", "d", text, "text", published="9999-12-15"))
    assert (article.published, article.published_source) == (datetime(2019, 4, 25), "dateline")
    assert article.notes == (
        "published '9999-12-15' from the input ignored: after the time of the run (2026-12-04)",
    )


def test_html_metadata_is_the_page_source() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2019-04-25T08:00:00+00:00">'
        f"<title>Floods</title></head><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>"
    )
    article = _clean(RawItem("h", "h", page, "html"))
    assert article.published_source == "html-meta"
    assert article.published is not None and article.published.date().isoformat() == "2019-04-25"


def test_choose_published_takes_the_first_usable_candidate() -> None:
    chosen = choose_published([("-1", "input"), ("2019-04-25", "dateline")], BODY, DATES)
    assert chosen[:2] == (datetime(2019, 4, 25), "dateline")
    assert chosen[2] == (
        "published '-1' from the input ignored: not a complete date (needs year, month and day)",
    )


_ANY_TIME = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), _ANY_TIME.map(datetime.isoformat), st.integers().map(str)))
def test_read_published_never_raises_and_keeps_to_the_range(value: str) -> None:
    read = read_published(value, DATES)
    if isinstance(read, datetime):
        naive = read.astimezone(UTC).replace(tzinfo=None) if read.tzinfo else read
        assert DATES.earliest <= naive <= NOW + DATES.slack


@settings(max_examples=200, deadline=None)
@given(_ANY_TIME, st.integers(-14 * 60, 14 * 60))
def test_zoned_times_at_the_calendar_edges_are_refused_not_raised(when: datetime, minutes: int) -> None:
    from datetime import timezone

    zoned = when.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    problem = plausible(zoned, DATES)
    assert problem is None or problem.startswith(("before", "after"))
    assert isinstance(read_published(zoned.isoformat(), DATES), datetime | str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_dateline_and_body_dates_never_raise_and_stay_plausible(text: str) -> None:
    for found in (body_date(text, DATES), (dateline_date(text, DATES) or None)):
        when = getattr(found, "when", found)
        assert when is None or plausible(when, DATES) is None


def test_reuters_cases_of_the_issue(shared_data: Path) -> None:
    """Flat text "Aug 13126" once became 3126-08-01 and "debentures due 2011" 2011-04-15."""
    wanted = {5623, 7182, 13438, 19518}
    rows = {}
    with gzip.open(shared_data / "reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["newid"] in wanted:
                rows[row["newid"]] = row
    assert set(rows) == wanted
    for newid, row in rows.items():
        article = clean_item(
            RawItem(str(newid), str(newid), f"{row['title']}\n{row['body']}", "text"),
            None,
            HtmlConfig(),
            TextCleanConfig(),
            1,
            DATES,
        )
        assert isinstance(article, Article)
        assert article.published is None, (newid, article.published, article.published_source)
