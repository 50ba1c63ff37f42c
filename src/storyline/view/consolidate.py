"""One story told once: `consolidate` turns a story's articles into a `StoryView`.

Pure and deterministic: the articles are sorted by id before anything else, every ranking ends on an id,
so the view does not depend on the order the articles come in. Independence is by copy group: articles
of one copy group are one source however many sites carry them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from storyline.view.entities import extract_entities
from storyline.view.facts import find_disagreements
from storyline.view.model import SourceGroup, StoryView, ViewArticle, ViewConfig
from storyline.view.summary import build_evidence, find_additions, summarize
from storyline.view.text import content_words, split_sentences, words
from storyline.view.timeline import build_timeline, sort_time

__all__ = ["consolidate", "source_groups"]

_DEFAULT = ViewConfig()


def source_groups(articles: Sequence[ViewArticle]) -> tuple[SourceGroup, ...]:
    """Copy groups, canonical member first (the flagged one; else the earliest, then smallest id);
    groups earliest first, then largest, then by id."""
    by_group: dict[str, list[ViewArticle]] = defaultdict(list)
    for a in articles:
        by_group[a.copy_group].append(a)
    out = []
    for gid, members in by_group.items():
        members.sort(key=lambda a: (not a.canonical, sort_time(a.published), a.id))
        out.append(SourceGroup(gid, members[0].id, tuple(members)))
    out.sort(key=lambda g: (min(sort_time(a.published) for a in g.members), -len(g.members), g.copy_group))
    return tuple(out)


def consolidate(story_id: str, articles: Sequence[ViewArticle], config: ViewConfig = _DEFAULT) -> StoryView:
    """The story view of `articles` (one story); see the package docstring for what each part means."""
    ordered = sorted(articles, key=lambda a: a.id)
    groups = source_groups(ordered)
    canonical = [g.canonical_id for g in groups]
    order = [a.id for g in groups for a in g.members]
    group_of = {a.id: a.copy_group for a in ordered}
    evidence = build_evidence(ordered, config)
    summary = summarize(evidence, canonical, order, config)
    known = {g.copy_group: frozenset(w.lower() for a in g.members for w in words(_full(a))) for g in groups}
    times = [a.published for a in ordered if a.published is not None]
    reports = {a.copy_group: a.report for a in ordered}
    return StoryView(
        story_id=story_id,
        headline=_headline(groups, summary[0].text if summary else ""),
        first=min(times, key=sort_time) if times else None,
        last=max(times, key=sort_time) if times else None,
        outlets=len({a.site or f"#{a.id}" for a in ordered}),
        independent_reports=len(set(reports.values())),
        reusing_groups=sum(1 for g in reports if sum(1 for r in reports.values() if r == reports[g]) > 1),
        groups=groups,
        summary=summary,
        entities=extract_entities(ordered, config.max_entities, config.entity_min_mentions),
        timeline=build_timeline(groups),
        additions=find_additions(evidence, canonical, known, config),
        disagreements=find_disagreements(evidence.sentences, group_of, config),
    )


def _full(a: ViewArticle) -> str:
    return f"{a.title}\n{a.text}" if a.title else a.text


def _headline(groups: Sequence[SourceGroup], fallback: str) -> str:
    """The member title that the most sources' texts bear out (half its content words in their text);
    ties go to the title most members use, then the shorter, then the alphabetically first."""
    users: Counter[str] = Counter(
        a.title.strip() for g in groups for a in g.members if a.title and a.title.strip()
    )
    if not users:
        return fallback or next((s for g in groups for s in split_sentences(g.members[0].text)), "")
    vocab = [frozenset().union(*(content_words(_full(a)) for a in g.members)) for g in groups]

    def score(title: str) -> tuple[int, int, int, str]:
        cw = content_words(title)
        backed = sum(1 for v in vocab if cw and len(cw & v) * 2 >= len(cw))
        return -backed, -users[title], len(title), title

    return min(users, key=score)
