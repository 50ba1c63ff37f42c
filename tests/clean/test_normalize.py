"""normalize: encoding repair, entities, quotes, whitespace, idempotence."""

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.clean.normalize import normalize


def test_repairs_mojibake() -> None:
    assert normalize("profits of \u00c2\u00a3600m") == "profits of £600m"
    assert normalize("Pyongyang\u00e2\u20ac\u2122s programme") == "Pyongyang's programme"


def test_unescapes_entities_fully() -> None:
    assert normalize("AT&amp;T &lt;b&gt; &amp;lt;") == "AT&T <b> <"


def test_quotes_straight_dashes_kept() -> None:
    assert (
        normalize("\u201cHi\u201d \u2018x\u2019 a\u2013b \u2014 c\u2212d") == "\"Hi\" 'x' a\u2013b \u2014 c-d"
    )


def test_whitespace() -> None:
    raw = "  Title \r\n\n\n\nPara\u00a0one  with   spaces. \nline two\u200b\n\n\n"
    assert normalize(raw) == "Title\n\nPara one with spaces.\nline two"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Â£", "â€™", "&amp;", "&lt;", " ", "\n", "\n\n\n", "x", "é", "\u00a0", "“"]),
        max_size=30,
    )
)
def test_idempotent_on_damage(parts: list[str]) -> None:
    once = normalize("".join(parts))
    assert normalize(once) == once
