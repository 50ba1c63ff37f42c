"""Attach a batch of new articles to the copies already stored.

Candidates come from LSH band keys: pairs inside the batch that share a key, and stored articles that
share a key with a new one (an indexed SQL lookup, so the corpus is never recomputed). Each candidate pair
is verified; verified links are unioned into groups. Because every pair that shares a band key is verified
whichever of the two arrived first, the links, and so the groups, do not depend on arrival order or on
where batches start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from storyline.clean.article import parse_published
from storyline.copies import (
    CanonicalInfo,
    CopyConfig,
    Sketches,
    candidate_pairs,
    choose_canonical,
    group_members,
    scrape_damage,
    sketch_batch,
    verify_many,
)
from storyline.model import Article, CopyGroup, CopyLink
from storyline.store import Store

__all__ = ["attach", "group_id", "link_batch", "regroup"]


def group_id(members: Sequence[str]) -> str:
    """A copy group's id: stable for the same members, short enough to type."""
    return "cg-" + hashlib.blake2b(min(members).encode(), digest_size=5).hexdigest()


def _candidates(articles: Sequence[Article], sketches: Sketches, store: Store) -> set[tuple[str, str]]:
    pairs = {(articles[i].id, articles[j].id) for i, j in candidate_pairs(sketches.band_keys).tolist()}
    keys = sketches.band_keys
    stored = store.articles_sharing_keys(int(k) for k in keys.ravel())
    for row, article in enumerate(articles):
        for key in keys[row].tolist():
            pairs.update((other, article.id) for other in stored.get(key, ()))
    return {(a, b) if a < b else (b, a) for a, b in pairs if a != b}


def link_batch(
    articles: Sequence[Article], sketches: Sketches, store: Store, config: CopyConfig
) -> list[CopyLink]:
    """Verified copy links between the batch's articles and everything stored or in the batch."""
    pairs = sorted(_candidates(articles, sketches, store))
    texts = {a.id: a.text for a in articles}
    texts.update(store.texts(x for pair in pairs for x in pair if x not in texts))
    verdicts = verify_many([(texts[a], texts[b]) for a, b in pairs], config)
    return [
        CopyLink(a, b, v.containment, v.jaccard, v.passages)
        for (a, b), v in zip(pairs, verdicts, strict=True)
        if v.is_copy
    ]


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


def regroup(new_ids: Sequence[str], linked: Sequence[tuple[str, str]], store: Store) -> None:
    """Recompute the groups touched by new articles and new links, with their canonical members."""
    touched = set(new_ids) | {x for pair in linked for x in pair}
    old_groups = set(store.groups_of(touched).values())
    affected = sorted(touched | set(store.members(old_groups)))
    pairs = store.links_within(affected)
    links = [link for link in (store.link(a, b) for a, b in pairs) if link is not None]
    texts = store.texts(affected)
    shared = _shared_lengths(links, texts)
    published = {i: parse_published(p) for i, p in store.published_of(affected).items()}
    info = {i: CanonicalInfo(i, shared[i], published[i], scrape_damage(texts[i])) for i in affected}
    groups = [
        CopyGroup(group_id(members), choose_canonical([info[m] for m in members]), tuple(members))
        for members in group_members(affected, pairs)
    ]
    store.replace_groups(old_groups, groups)


def attach(articles: Sequence[Article], store: Store, config: CopyConfig) -> None:
    """Find the copies of stored `articles` (whose band keys and links are not stored yet), store their
    band keys and verified links, and recompute the groups they touch."""
    sketches = sketch_batch([a.text for a in articles], config)
    links = link_batch(articles, sketches, store, config)
    for row, article in enumerate(articles):
        store.add_band_keys(article.id, sketches.band_keys[row].tolist())
    for link in links:
        store.add_link(link)
    regroup([a.id for a in articles], [(x.a, x.b) for x in links], store)
