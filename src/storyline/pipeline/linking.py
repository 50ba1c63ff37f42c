"""Attach a batch of new articles to the copies already stored, and regroup what they touch.

The copy index (:class:`~storyline.copies.CopyIndex`) runs over the store: its fingerprints are the
store's ``fingerprints`` table, and stored texts are read only for candidate pairs. Its links (copy and
reuse) are stored with their evidence; then the copy groups of the *region* the batch touched (the
articles connected to a new article by any chain of stored links) are recomputed by average link. Every
pair that shares enough fingerprints is verified whichever arrived first, and the groups are a function
of the links, so they do not depend on arrival order or on where batches start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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

__all__ = ["attach", "copy_index_version", "explain_pair", "group_id", "regroup"]


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


def _region(seeds: set[str], store: Store) -> tuple[list[str], list[CopyLink]]:
    """The articles reachable from `seeds` by stored links, with the links among them."""
    region, frontier, links = set(seeds), set(seeds), {}
    while frontier:
        found = store.links_touching(frontier, evidence=False)
        for link in found:
            links[(link.a, link.b)] = link
        frontier = {x for link in found for x in (link.a, link.b)} - region
        region |= frontier
    return sorted(region), [links[k] for k in sorted(links)]


def regroup(new_ids: Sequence[str], store: Store, config: CopyConfig) -> list[str]:
    """Recompute the copy groups of the region around `new_ids`, with their canonical members; return
    the ids of the groups written (average link can split an old group as well as join two)."""
    old_groups = set(store.groups_of(new_ids).values())
    seeds = set(new_ids) | set(store.members(old_groups))
    affected, links = _region(seeds, store)
    old_groups |= set(store.groups_of(affected).values())
    weighted = [(x.a, x.b, x.probability) for x in links]
    clusters = average_groups(affected, weighted, config.group_threshold)
    # a lone article is its own canonical member: only groups of two or more read texts and dates
    where = {m: n for n, members in enumerate(clusters) if len(members) > 1 for m in members}
    copies: dict[int, list[CopyLink]] = {}
    for x in links:
        if x.kind == "copy" and x.a in where and where[x.a] == where.get(x.b):
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


def attach(articles: Sequence[Article], store: Store, config: CopyConfig) -> list[str]:
    """Find the copies of stored `articles` (not yet in the copy index), store their fingerprints and
    links, and recompute the groups they touch. Returns the ids of the groups written."""
    if not articles:
        return []
    links = CopyIndex(store, config).add([a.id for a in articles], [a.text for a in articles])
    store.add_links(links)
    return regroup([a.id for a in articles], store, config)


def explain_pair(store: Store, a: Article, b: Article, config: CopyConfig) -> tuple[Verdict, bool]:
    """The verdict on two stored articles and whether it is the stored link's own (else it is verified
    now: they were never candidates, or shared too little for a link)."""
    link = store.link(a.id, b.id)
    if link is not None:
        return explain_link(link, config), True
    return verify(a.text, b.text, config), False
