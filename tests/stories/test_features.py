from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from storyline.stories import StoryRecord, extract_terms
from storyline.stories.features import body_text, text_dates


def terms(text: str, title: str | None = None, published: datetime | None = None) -> dict[str, float]:
    return extract_terms(StoryRecord("x", title, text, published))


def test_url_line_is_dropped_so_it_cannot_leak_the_event() -> None:
    text = "http : / / example . com / 2013 / quake - kills - 61 /\nA strong quake hit Chiapas ."
    assert body_text(text) == "A strong quake hit Chiapas ."
    assert not any("example" in t or t == "n:61" for t in terms(text))


def test_names_are_capitalised_runs_not_sentence_starts() -> None:
    got = terms("Rescuers reached the town. The mayor met Enrique Pena Nieto in Juchitan on Friday.")
    assert {"e:enrique_pena_nieto", "e:enrique", "e:juchitan"} <= set(got)
    assert "e:rescuers" not in got and "e:the" not in got and "e:friday" not in got


def test_numbers_years_and_dates_are_typed() -> None:
    got = terms("At least 61 people died on September 8, 2017, the worst toll since 1985.")
    assert {"n:61", "y:2017", "y:1985", "d:09-08"} <= set(got)


def test_weekdays_resolve_against_publication_time() -> None:
    friday = datetime(2017, 9, 8, 12)
    assert text_dates("The quake struck on Thursday.", friday) == {date(2017, 9, 7)}
    assert text_dates("The quake struck on Thursday.", None) == set()


def test_month_day_after_publication_belongs_to_the_previous_year() -> None:
    assert text_dates("It began on December 30.", datetime(2018, 1, 3)) == {date(2017, 12, 30)}


def test_title_counts_twice() -> None:
    assert terms("body words here", title="Quake")["w:quake"] == 2


@given(st.text(max_size=300))
def test_any_text_gives_typed_positive_counts(text: str) -> None:
    for term, count in terms(text, title=text[:20] or None, published=datetime(2020, 2, 29)).items():
        assert term[:2] in {"w:", "e:", "n:", "y:", "d:"} and count > 0
