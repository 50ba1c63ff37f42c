"""Copy groups from verified links, and the choice of each group's canonical member."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

__all__ = ["CanonicalInfo", "choose_canonical", "component_labels", "group_members", "scrape_damage"]

I64 = npt.NDArray[np.int64]


def component_labels(n: int, pairs: I64) -> I64:
    """Connected-component label of each of ``n`` nodes: the smallest node index in its component.

    Vectorised min-label propagation with pointer jumping; labels do not depend on the order of pairs.
    """
    labels = np.arange(n, dtype=np.int64)
    if len(pairs) == 0:
        return labels
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        before = labels.copy()
        low = np.minimum(labels[a], labels[b])
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        while not np.array_equal(labels, labels[labels]):
            labels = labels[labels]
        if np.array_equal(before, labels):
            return labels


def group_members(ids: Sequence[str], links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of ``ids`` under ``links``, singletons included.

    Members are sorted, groups are sorted by their first member, so the result does not depend on the
    order of ``ids`` or ``links``. Links naming unknown ids are ignored.
    """
    ordered = sorted(set(ids))
    index = {item: i for i, item in enumerate(ordered)}
    edges = [(index[x], index[y]) for x, y in links if x in index and y in index]
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    labels = component_labels(len(ordered), pairs)
    groups: dict[int, list[str]] = {}
    for item, label in zip(ordered, labels.tolist(), strict=True):
        groups.setdefault(label, []).append(item)
    return sorted(groups.values(), key=lambda members: members[0])


@dataclass(frozen=True, slots=True)
class CanonicalInfo:
    """What choosing a canonical member needs to know about an article.

    `text_length` measures how much of the source text the article carries: its clean text's length, or
    better, as the pipeline passes it, the length of the text it shares with its copies. `damage` counts
    signs of scraping damage in its text (see :func:`scrape_damage`).
    """

    id: str
    text_length: int
    published: datetime | None = None
    damage: int = 0


# A lower-case letter run straight into a capitalised word ("agenciesTuesday") or a sentence end glued to
# the next sentence ("Wednesday.Russian"): what scrapers do to text, and what an original never has.
_GLUED = re.compile(r"[a-z]{2}(?:[.,;:!?])?[A-Z][a-z]")


def scrape_damage(text: str) -> int:
    """How many places in `text` look like words glued together by a scraper."""
    return len(_GLUED.findall(text))


def choose_canonical(members: Sequence[CanonicalInfo], complete_share: float = 0.98) -> str:
    """The most complete member, preferring among near-complete ones the earliest, then the least damaged.

    Members whose text is at least `complete_share` of the longest count as complete: abridged copies are
    contained in the longest text, so it carries the most of the source, but a repost that only gained a
    section label or lost a few spaces to gluing is not more complete than its original. Among complete
    members, the earliest published (undated last) wins, then the one with the least scraping damage, then
    the longer, then the smallest id, so the choice is deterministic. Naive datetimes compare as local time.
    """
    if not members:
        raise ValueError("a copy group has at least one member")
    longest = max(m.text_length for m in members)
    complete = [m for m in members if m.text_length >= complete_share * longest]

    def rank(info: CanonicalInfo) -> tuple[int, float, int, int, str]:
        when = info.published.timestamp() if info.published else 0.0
        return (info.published is None, when, info.damage, -info.text_length, info.id)

    return min(complete, key=rank).id
