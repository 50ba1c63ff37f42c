"""Attach a batch of new articles to the copies already stored, and regroup what they touch.

The copy index (:class:`~storyline.copies.CopyIndex`) runs over the store: its fingerprints are the
store's ``fingerprints`` table, and stored texts are read only for candidate pairs. Its links (copy and
reuse) are stored with their evidence; then copy groups around the new articles are recomputed by
average link.

Average link merges two clusters only when the mean of their pair probabilities reaches the group
threshold, and a mean never exceeds the largest pair in it, so every group lies inside one *component*
of the links at or above the threshold; weaker links only weigh inside it. Exact groups therefore need
the whole components of the new articles. On a stream where shared template or wire sentences chain
most of the store into one component, that is most of the store, in every batch. So a run only links
its batches (:func:`link`), and :func:`settle_groups`, at its end, regroups the whole components of
every article stored since the last settling (an arrival number kept in the store, so a killed run is
settled by the next); the service, whose posts must be grouped at once, regroups each batch's
*neighbourhood* (the new articles' groups and the groups of the articles strongly linked to them:
provisional, bounded by the links of the batch) and settles when idle. Every pair that
shares enough fingerprints is verified whichever arrived first, and settled groups are a function of the
links, so they do not depend on arrival order or on where batches start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from storyline.clean.article import parse_published
from storyline.copies import (
    CanonicalInfo,
    CopyConfig,
    CopyIndex,
    Verdict,
    average_groups,
    choose_canonical,
    explain_link,
    load_pair_model,
    scrape_damage,
    verify,
)
from storyline.model import Article, CopyGroup, CopyLink
from storyline.store import Store

__all__ = [
    "CopyFinder",
    "attach",
    "copy_index_version",
    "explain_pair",
    "group_id",
    "link",
    "regroup",
    "settle_groups",
]


def group_id(members: Sequence[str]) -> str:
    """A copy group's id: stable for the same members, short enough to type."""
    return "cg-" + hashlib.blake2b(min(members).encode(), digest_size=5).hexdigest()


def copy_index_version(config: CopyConfig) -> str:
    """What the stored copy index and links depend on: the configuration and the pair model."""
    model = hashlib.blake2b(repr(load_pair_model().to_json()).encode(), digest_size=6).hexdigest()
    return f"{config!r} model={model}"


def _union_length(spans: list[tuple[int, int]]) -> int:
    total, reach = 0, 0
    for start, end in sorted(spans):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def _shared_lengths(links: Sequence[CopyLink], texts: dict[str, str]) -> dict[str, int]:
    """How much of each article's text it shares with its copies (the union of its passages).

    This is what "most complete" means for a canonical member: chrome a repost kept, or a paragraph only
    one site added, is not shared with the other copies and so does not count.
    """
    spans: dict[str, list[tuple[int, int]]] = {i: [] for i in texts}
    for link in links:
        for p in link.passages:
            spans[link.a].append((p.a_start, p.a_end))
            spans[link.b].append((p.b_start, p.b_end))
    return {i: _union_length(s) if s else len(texts[i]) for i, s in spans.items()}


def _region(seeds: set[str], store: Store, threshold: float, whole: bool) -> list[str]:
    """`seeds` and the articles linked to them at `threshold` or above: the whole components (`whole`)
    or one step, then completed to whole stored groups, so a regrouping replaces groups whole."""
    region, frontier = set(seeds), set(seeds)
    while frontier:
        frontier = store.linked_at(frontier, threshold) - region
        region |= frontier
        if not whole:
            break
    region |= set(store.members(set(store.groups_of(region).values())))
    return sorted(region)


def regroup(new_ids: Sequence[str], store: Store, config: CopyConfig, whole: bool = True) -> list[str]:
    """Recompute the copy groups around `new_ids` (their whole components, or with ``whole=False``
    their neighbourhood: see the module docstring), with their canonical members; return the ids of the
    groups written (average link can split an old group as well as join two). A group that comes out
    with the same members and no article of `new_ids` is left as it was."""
    seeds = set(new_ids)
    affected = _region(
        seeds | set(store.members(set(store.groups_of(seeds).values()))), store, config.group_threshold, whole
    )
    weighted = store.link_weights(affected)
    old_of = store.groups_of(affected)
    old_members: dict[str, set[str]] = {}
    for article, group in old_of.items():
        old_members.setdefault(group, set()).add(article)
    clusters = [
        members
        for members in average_groups(affected, weighted, config.group_threshold)
        if seeds.intersection(members) or old_members.get(old_of.get(members[0], ""), set()) != set(members)
    ]
    old_groups = {old_of[m] for members in clusters for m in members if m in old_of}
    # a lone article is its own canonical member: only groups of two or more read texts and dates
    where = {m: n for n, members in enumerate(clusters) if len(members) > 1 for m in members}
    copies: dict[int, list[CopyLink]] = {}
    for x in store.links_within(where, evidence=False, copies=True):
        if where[x.a] == where[x.b]:
            copies.setdefault(where[x.a], []).append(x)
    texts = store.texts(where)
    published = {i: parse_published(p) for i, p in store.published_of(where).items()}
    groups = []
    for n, members in enumerate(clusters):
        canonical = members[0]
        if len(members) > 1:
            shared = _shared_lengths(copies.get(n, []), {m: texts[m] for m in members})
            info = [CanonicalInfo(m, shared[m], published[m], scrape_damage(texts[m])) for m in members]
            canonical = choose_canonical(info)
        groups.append(CopyGroup(group_id(members), canonical, tuple(members)))
    store.replace_groups(old_groups, groups)
    return [g.id for g in groups]


def settle_groups(store: Store, config: CopyConfig, since: int | None = None) -> list[str]:
    """Regroup the whole components of every article stored since the groups were last settled (or
    since arrival number `since` where the store records none), and record that they are; return the
    ids of the groups written. Call inside a transaction."""
    settled = store.groups_settled()
    start = settled if settled is not None else since
    written = regroup(store.ids_after(start), store, config) if start is not None else []
    store.set_groups_settled(store.last_seq())
    return written


class CopyFinder(Protocol):
    """What finds a batch's links and records its fingerprints: the store's :class:`CopyIndex`, or the
    links an engine found beforehand (:class:`storyline.batch.ray_copies.KnownCopies`)."""

    def add(self, ids: Sequence[str], texts: Sequence[str]) -> list[CopyLink]: ...


def link(
    articles: Sequence[Article], store: Store, config: CopyConfig, finder: CopyFinder | None = None
) -> None:
    """Find the copies of stored `articles` (not yet in the copy index), store their fingerprints and
    links; their groups are left to :func:`regroup` or :func:`settle_groups`. `finder`: where the links
    come from (default: the store's copy index)."""
    if articles:
        finder = finder if finder is not None else CopyIndex(store, config)
        store.add_links(finder.add([a.id for a in articles], [a.text for a in articles]))


def attach(
    articles: Sequence[Article],
    store: Store,
    config: CopyConfig,
    whole: bool = True,
    finder: CopyFinder | None = None,
) -> list[str]:
    """:func:`link` `articles` and recompute the groups they touch (see :func:`regroup` for `whole`);
    return the ids of the groups written."""
    if not articles:
        return []
    link(articles, store, config, finder)
    return regroup([a.id for a in articles], store, config, whole)


def explain_pair(store: Store, a: Article, b: Article, config: CopyConfig) -> tuple[Verdict, bool]:
    """The verdict on two stored articles and whether it is the stored link's own (else it is verified
    now: they were never candidates, or shared too little for a link)."""
    link = store.link(a.id, b.id)
    if link is not None:
        return explain_link(link, config), True
    return verify(a.text, b.text, config), False
