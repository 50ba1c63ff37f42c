"""What the API and the web pages show, loaded from the store as plain JSON-able dicts.

One loader per resource (story, article, pair), shared by the JSON API and the HTML pages, so both
always say the same thing.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from storyline.copies import CopyConfig
from storyline.model import Article
from storyline.pipeline.linking import explain_pair
from storyline.store import Store
from storyline.store.browse import story_title
from storyline.view import ViewArticle, consolidate, copy_diff

__all__ = ["NotFound", "article_detail", "pair_detail", "story_detail"]


class NotFound(LookupError):
    """The asked-for story, article or pair is not in the store (the message says which)."""


def _iso(article: Article) -> str | None:
    return article.published.isoformat() if article.published else None


def _brief(article: Article, group: str | None, canonical: bool) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "site": article.site,
        "published": _iso(article),
        "published_source": article.published_source,
        "copy_group": group,
        "canonical": canonical,
    }


def _jsonable(value: Any) -> Any:
    """A view dataclass as JSON-able data (tuples become lists, datetimes ISO strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _reports(store: Store, members: list[str], groups: dict[str, str]) -> dict[str, str]:
    """Each copy group's independent report: copy groups joined by links between their members (one
    reuses a passage of the other) are one report, named by its smallest group id."""
    parent = {g: g for g in set(groups.values())}

    def root(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for link in store.links_within(members):
        a, b = groups.get(link.a), groups.get(link.b)
        if a is not None and b is not None and a != b:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {g: root(g) for g in parent}


def story_detail(store: Store, story: str) -> dict[str, Any]:
    """A story: its articles by copy group (canonical first) and its consolidated view."""
    members = sorted(store.story_members(story))
    if not members:
        raise NotFound(f"no story {story!r}")
    groups = store.groups_of(members)
    canonical = store.canonical_of(set(groups.values()))
    articles = [a for a in (store.article(m) for m in members) if a is not None]
    report = _reports(store, members, groups)
    views = [
        ViewArticle(
            id=a.id,
            title=a.title,
            text=a.text,
            url=a.url,
            site=a.site,
            published=a.published,
            copy_group=groups.get(a.id, a.id),
            canonical=canonical.get(groups.get(a.id, ""), a.id) == a.id,
            source=report.get(groups.get(a.id, a.id), ""),
        )
        for a in articles
    ]
    briefs = {v.id: _brief(a, v.copy_group, v.canonical) for v, a in zip(views, articles, strict=True)}
    by_group: dict[str, list[dict[str, Any]]] = {}
    for brief in sorted(briefs.values(), key=lambda b: (not b["canonical"], b["published"] or "", b["id"])):
        by_group.setdefault(brief["copy_group"], []).append(brief)
    return {
        "id": story,
        "title": story_title(store, story),
        "articles": briefs,
        "groups": [{"id": g, "members": m} for g, m in sorted(by_group.items(), key=lambda kv: -len(kv[1]))],
        "view": _summary(story, tuple(sorted(views, key=lambda v: v.id))),
    }


@functools.lru_cache(maxsize=128)
def _summary(story: str, views: tuple[ViewArticle, ...]) -> dict[str, Any]:
    """A story's consolidated view, cached (the last 128) by everything a view is made of: the
    story id and its articles as the store holds them now (text, metadata, copy group, report; sorted
    by id, as `consolidate` reads them). A story page asked for again costs only its store reads until
    the story changes (a new member, another copy group, a text cleaned again); consolidating is 95% of
    a page (30 ms for a story of 20 articles). Shared by the request threads, so never changed by its
    readers."""
    view = consolidate(story, views)
    summary: dict[str, Any] = _jsonable(dataclasses.replace(view, groups=()))
    summary["groups"] = [  # ids only: the articles themselves are in "articles"
        {"copy_group": g.copy_group, "canonical_id": g.canonical_id, "members": [m.id for m in g.members]}
        for g in view.groups
    ]
    return summary


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """An article: metadata, clean text, what cleaning removed (and why), its copy group and story."""
    article = store.article(article_id)
    if article is None:
        raise NotFound(f"no article {article_id!r}")
    group_id = store.groups_of([article_id]).get(article_id)
    group = store.copy_group(group_id) if group_id else None
    detail = _brief(article, group_id, group is None or group.canonical == article_id)
    detail.update(
        source=article.source,
        format=article.format,
        text=article.text,
        removed=[{"text": r.text, "reason": r.reason} for r in article.removed],
        notes=list(article.notes),
        story=store.stories_of([article_id]).get(article_id),
        copies=[m for m in group.members if m != article_id] if group else [],
        canonical_id=group.canonical if group else article_id,
    )
    return detail


def pair_detail(store: Store, a_id: str, b_id: str, config: CopyConfig, diff: bool = False) -> dict[str, Any]:
    """The evidence for a pair: the stored link's verdict when the pipeline linked them (else one
    verified now), its reasons in words with their weights, and the shared passages quoted; with `diff`,
    the copy diff of the two texts."""
    a, b = store.article(a_id), store.article(b_id)
    for wanted, found in ((a_id, a), (b_id, b)):
        if found is None:
            raise NotFound(f"no article {wanted!r}")
    assert a is not None and b is not None
    verdict, stored = explain_pair(store, a, b, config)
    groups = store.groups_of([a_id, b_id])
    detail: dict[str, Any] = {
        "a": _brief(a, groups.get(a_id), False),
        "b": _brief(b, groups.get(b_id), False),
        "same_copy_group": a_id in groups and groups.get(a_id) == groups.get(b_id),
        "stored_link": stored,
        "kind": verdict.kind,
        "is_copy": verdict.is_copy,
        "probability": round(verdict.probability, 4),
        "reason": verdict.summary,
        "reasons": [{"text": text, "weight": round(weight, 3)} for text, weight in verdict.reasons],
        "passages": [
            {
                "a": [p.a_start, p.a_end],
                "b": [p.b_start, p.b_end],
                "quoted": p.quoted,
                "text": a.text[p.a_start : p.a_end],
            }
            for p in verdict.passages
        ],
    }
    if diff:
        detail["diff"] = _jsonable(copy_diff(a.text, b.text))
    return detail
