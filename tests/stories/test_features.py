from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from storyline.stories import StoryRecord, extract_terms
from storyline.stories.features import HEAD, LEAD, LEAD_TOKENS, body_text, slug_words, text_dates


def terms(
    text: str, title: str | None = None, published: datetime | None = None, url: str | None = None
) -> dict[str, float]:
    return extract_terms(StoryRecord("x", title, text, published, url)).counts


def flags(text: str, title: str | None = None, url: str | None = None) -> dict[str, int]:
    return extract_terms(StoryRecord("x", title, text, None, url)).flags


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


def test_capitals_title_is_read_in_the_case_the_body_writes() -> None:
    """A wire title in capitals: its company is a name (the body writes it so), SETS is a word."""
    got = terms(
        "Knutson Mortgage Corp said its board declared a dividend.",
        title="KNUTSON MORTGAGE <KNMC> SETS DIVIDEND",
    )
    assert {"e:knutson_mortgage_corp", "e:$knmc", "w:set"} <= set(got)
    assert "e:sets" not in got and "e:dividend" not in got


def test_a_name_opening_a_sentence_joins_the_name_after_it() -> None:
    assert "e:knutson_mortgage_corp" in terms(
        "Knutson Mortgage Corp said its profit rose. It gave no outlook."
    )


def test_slug_words_are_headline_words() -> None:
    url = "https://www.theguardian.com/us-news/2019/aug/03/el-paso-shooting-what-we-know-so-far"
    assert slug_words(url) == "el paso shooting what we know so far"
    assert slug_words("http://www.globaltimes.cn/content/1142262.shtml") == ""
    got = flags("Police in El Paso said a gunman opened fire.", url=url)
    assert got["w:shoot"] & HEAD and got["e:el_paso"] & HEAD


def test_lead_flags_cover_title_and_first_body_tokens() -> None:
    body = "Rescuers reached Juchitan on Friday. " + "More words follow here today. " * 20 + "Oaxaca mourned."
    got = flags(body, title="Quake hits Chiapas")
    assert got["w:quake"] == LEAD | HEAD and got["e:juchitan"] == LEAD
    assert "e:oaxaca" not in got and len(body.split()) > LEAD_TOKENS


@given(st.text(max_size=300), st.sampled_from([None, "https://example.com/news/a-b-c-d", "x"]))
def test_any_text_gives_typed_positive_counts(text: str, url: str | None) -> None:
    found = extract_terms(StoryRecord("x", text[:20] or None, text, datetime(2020, 2, 29), url))
    for term, count in found.counts.items():
        assert term[:2] in {"w:", "e:", "n:", "y:", "d:"} and count > 0
    assert set(found.flags) <= set(found.counts) and all(0 < f <= LEAD | HEAD for f in found.flags.values())
