"""Authored fixtures and invariants: disagreements, additions, order independence, the copy diff."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline.view as view_pkg
from storyline.view import DiffOp, ViewArticle, ViewConfig, consolidate, copy_diff
from storyline.view.text import split_sentences, words


def test_public_api_is_explicit() -> None:
    assert set(view_pkg.__all__) >= {"consolidate", "copy_diff", "StoryView", "ViewArticle", "ViewConfig"}
    assert all(hasattr(view_pkg, name) for name in view_pkg.__all__)


def test_ferry_disagreements(ferry: list[ViewArticle]) -> None:
    found = {d.fact: dict(d.values) for d in consolidate("ferry", ferry).disagreements}
    assert found["time: the port of Mytilene at \u2026 and sank an hour later"] == {
        "18:00": ("a", "a2"),
        "19:30": ("b",),
    }
    assert found["spelling of Andreou/Andreu"] == {"Andreou": ("a", "a2"), "Andreu": ("b",)}
    assert found["people: on Monday, killing at least \u2026 people, the coast guard said"] == {
        "61": ("a", "a2"),
        "62": ("b",),
    }
    assert len(found) == 3


def test_ferry_summary_additions_timeline(ferry: list[ViewArticle]) -> None:
    v = consolidate("ferry", ferry)
    assert [g.canonical_id for g in v.groups] == ["a", "b", "c"]
    assert v.summary and all(c.independent_sources >= 2 for c in v.summary[:1])
    assert any(c.independent_sources == 3 for c in v.summary)
    adds = {a.article_id: a.sentences for a in v.additions}
    assert any("gale-force" in s for s in adds["c"])
    assert [e.article_id for e in v.timeline] == ["a", "b", "c"]
    assert v.first == ferry[0].published and v.last == ferry[1].published


def test_hyphen_and_space_are_one_name() -> None:
    texts = [
        "North Korean leader Kim Jong-un arrived in Vladivostok by armoured train on Wednesday evening.",
        "North Korean leader Kim Jong Un arrived in Vladivostok by armoured train on Wednesday evening.",
    ]
    arts = [ViewArticle(str(i), None, t, None, None, None, f"g{i}", True) for i, t in enumerate(texts)]
    assert consolidate("k", arts).disagreements == ()


def test_two_names_in_one_sentence_are_not_a_spelling() -> None:
    texts = [
        "Officials from Austria and Australia met in Geneva on Monday to discuss trade tariffs.",
        "Trade officials from Australia met their Austrian counterparts in Geneva on Monday.",
    ]
    arts = [ViewArticle(str(i), None, t, None, None, None, f"g{i}", True) for i, t in enumerate(texts)]
    assert consolidate("k", arts).disagreements == ()


def test_qualified_values_do_not_disagree() -> None:
    texts = [
        "Police in Genesee County chased the driver at speeds of more than 100 mph before he stopped.",
        "Genesee County deputies chased the driver at speeds up to 120 mph before he finally stopped.",
    ]
    arts = [ViewArticle(str(i), None, t, None, None, None, f"g{i}", True) for i, t in enumerate(texts)]
    assert consolidate("k", arts).disagreements == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(range(4)))
def test_consolidate_ignores_input_order(ferry: list[ViewArticle], order: list[int]) -> None:
    base = consolidate("ferry", ferry)
    assert consolidate("ferry", [ferry[i] for i in order]) == base
    assert consolidate("ferry", ferry) == base


def test_single_article_story(ferry: list[ViewArticle]) -> None:
    v = consolidate("one", ferry[:1], ViewConfig())
    assert v.headline == ferry[0].title
    assert v.additions == () and v.disagreements == ()
    assert all(c.article_ids == ("a",) for c in v.summary)


def test_untitled_story_takes_a_sentence(ferry: list[ViewArticle]) -> None:
    untitled = [replace(a, title=None) for a in ferry]
    assert consolidate("u", untitled).headline


_TEXT = st.lists(
    st.lists(
        st.sampled_from(["the", "ferry", "sank", "61", "Lesbos.", "Rescuers", "said."]), max_size=12
    ).map(" ".join),
    max_size=6,
).map("\n".join)


@given(_TEXT)
def test_diff_of_identical_texts_is_all_same(text: str) -> None:
    assert all(op.op == "same" for op in copy_diff(text, text))


@given(_TEXT, _TEXT)
def test_diff_covers_both_texts(a: str, b: str) -> None:
    ops = copy_diff(a, b)
    assert words(" ".join(op.a_text for op in ops)) == words(" ".join(split_sentences(a)))
    assert words(" ".join(op.b_text for op in ops)) == words(" ".join(split_sentences(b)))
    assert all(op.a_text for op in ops if op.op != "added")
    assert all(op.b_text for op in ops if op.op != "cut")


def test_empty_and_blank_stories() -> None:
    assert consolidate("e", []).groups == ()
    blank = [ViewArticle("a", None, "", None, None, None, "g", True)]
    view = consolidate("b", blank)
    assert view.summary == () and view.headline == "" and len(view.groups) == 1
    assert copy_diff("", "A b.") == (DiffOp("added", "", "A b."),)


def test_reports_that_reuse_each_other_count_once() -> None:
    texts = [
        "The council approved the new library budget after a long debate on Tuesday evening in the hall.",
        "Councillors voted for the library budget on Tuesday; the mayor said the vote was a relief to all.",
        "Residents had petitioned for months to keep the old library open, organisers said on Wednesday.",
    ]
    arts = [
        ViewArticle("0", None, texts[0], None, "a.example", None, "g0", True),
        ViewArticle("1", None, texts[1], None, "b.example", None, "g1", True, source="g0"),
        ViewArticle("2", None, texts[2], None, "b.example", None, "g2", True),
    ]
    view = consolidate("s", arts)
    assert (view.outlets, view.independent_reports, view.reusing_groups) == (2, 2, 2)
