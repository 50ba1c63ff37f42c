"""Acceptance on the seed story: 4 articles, 3 copy groups, a cited summary, a real disagreement."""

from __future__ import annotations

import time

from storyline.view import ViewArticle, consolidate, copy_diff


def test_seed_story_groups(seed_articles: list[ViewArticle]) -> None:
    view = consolidate("kim-putin", seed_articles)
    assert sum(len(g.members) for g in view.groups) == 4
    assert len(view.groups) == 3
    ap = next(g for g in view.groups if g.copy_group == "g000")
    assert ap.canonical_id == "000"
    assert [m.id for m in ap.members] == ["000", "001"]
    assert "Kim" in view.headline and "Putin" in view.headline


def test_seed_summary_cites_independent_sources(seed_articles: list[ViewArticle]) -> None:
    view = consolidate("kim-putin", seed_articles)
    assert 3 <= len(view.summary) <= 6
    assert all(c.independent_sources >= 2 for c in view.summary)
    groups = {a.id: a.copy_group for a in seed_articles}
    for cited in view.summary:
        assert len({groups[i] for i in cited.article_ids}) == cited.independent_sources


def test_seed_disagreement_and_additions(seed_articles: list[ViewArticle]) -> None:
    view = consolidate("kim-putin", seed_articles)
    spelling = {d.fact: dict(d.values) for d in view.disagreements}
    assert "spelling of Hasan/Khasan" in spelling
    assert set(spelling["spelling of Hasan/Khasan"]["Khasan"]) >= {"002", "003"}
    assert not any("Jong" in d.fact for d in view.disagreements)
    afp = next(a for a in view.additions if a.article_id == "002")
    assert any("6:00 pm" in s for s in afp.sentences)
    assert {a.article_id for a in view.additions} == {"000", "002", "003"}


def test_seed_entities(seed_articles: list[ViewArticle]) -> None:
    view = consolidate("kim-putin", seed_articles)
    kinds = {e.name: e.kind for e in view.entities}
    assert kinds.get("Vladimir Putin") == "person"
    assert kinds.get("Vladivostok") == "place"
    assert "Russian" not in kinds


def test_seed_copy_diff(seed_articles: list[ViewArticle]) -> None:
    a, b = seed_articles[0].text, seed_articles[1].text
    changed = [(op.a_text, op.b_text) for op in copy_diff(a, b) if op.op == "changed"]
    assert ("agencies Tuesday", "agenciesTuesday") in changed


def test_fifty_articles_under_half_a_second(seed_articles: list[ViewArticle]) -> None:
    many = [
        ViewArticle(f"{a.id}-{k}", a.title, a.text, None, None, a.published, f"{a.copy_group}-{k % 9}", False)
        for k in range(13)
        for a in seed_articles
    ][:50]
    consolidate("warm", many[:4])
    start = time.process_time()
    consolidate("big", many)
    assert time.process_time() - start < 1.0  # target 0.5 s; margin for a slow or loaded machine
