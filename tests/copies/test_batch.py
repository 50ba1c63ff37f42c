from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import find_copies, find_links
from storyline.evaluate.noise import make_repost


def _texts(article: str) -> list[str]:
    rng = random.Random(7)
    other = " ".join(reversed(article.split()))
    return [article, make_repost(article, rng).text, other, make_repost(article, rng).text, "", "short text"]


def test_find_copies_seeds(seeds: list[str]) -> None:
    labels = find_copies(seeds)
    assert labels[0] == labels[1]
    assert len({labels[0], labels[2], labels[3]}) == 3


def test_find_copies_groups_noisy_copies(article: str) -> None:
    labels = find_copies(_texts(article))
    assert labels[0] == labels[1] == labels[3]
    assert len({labels[0], labels[2], labels[4], labels[5]}) == 4


def test_exact_duplicates_of_short_texts() -> None:
    labels = find_copies(["Oil prices rise.", "oil  PRICES rise", "Gold falls", "", ""])
    assert labels[0] == labels[1] and labels[2] != labels[0] and labels[3] != labels[4]


def test_a_brief_inside_a_longer_report_is_a_copy(article: str) -> None:
    brief = article.split("\n\n")[1][:190].rsplit(" ", 1)[0] + "."
    assert len(brief) < 200
    labels = find_copies([article, brief, "An unrelated note about the weather in the hills this week."])
    assert labels[0] == labels[1] != labels[2]


def test_a_shared_paragraph_inside_an_own_article_is_reuse_not_copy(article: str) -> None:
    wire = article.split("\n\n")[3].split(". ")[1]  # one wire sentence inside an article of its own
    own = "\n\n".join(
        [
            "Local traders in the port city said on Thursday that the decision would hit importers hardest, "
            "and several small firms were already renegotiating contracts with their suppliers.",
            "A furniture maker on the industrial estate said his overdraft had doubled in cost since the "
            "spring, and that he had postponed hiring two apprentices until the new year at the earliest.",
            wire,
            "The chamber of commerce will publish its own survey of members next month, its director told "
            "this newspaper, adding that confidence had fallen for the fourth quarter running.",
            "Estate agents in the old town reported fewer viewings, while a car dealer said buyers were "
            "asking about longer loans and cheaper models than they had a year ago.",
        ]
    )
    links = find_links([article, own])
    assert [x.kind for x in links] == ["reuse"]
    assert find_copies([article, own]) == [0, 1]
    assert links[0].passages and not links[0].passages[0].quoted


@settings(max_examples=20, deadline=None)
@given(st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_order(article: str, rnd: random.Random) -> None:
    texts = _texts(article)
    order = list(range(len(texts)))
    rnd.shuffle(order)
    base = find_copies(texts)
    shuffled = find_copies([texts[i] for i in order])
    as_sets = {frozenset(i for i in range(len(texts)) if base[i] == base[j]) for j in range(len(texts))}
    n = len(texts)
    again = {frozenset(order[i] for i in range(n) if shuffled[i] == shuffled[j]) for j in range(n)}
    assert as_sets == again
