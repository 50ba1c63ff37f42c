"""Copy detection on one in-memory list of texts: the copy index over memory, then the groups.

All texts go in as one batch, which the index handles exactly as if they came one by one.

Used by the benchmarks, the evaluation and library users with texts at hand; the pipeline runs the same
:class:`~storyline.copies.index.CopyIndex` over the store, so a batch link is exactly a pipeline link.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import PairModel
from storyline.copies.groups import average_groups
from storyline.copies.index import CopyIndex, MemoryPostings
from storyline.model import CopyLink

__all__ = ["find_copies", "find_links"]


def _key(i: int) -> str:
    return f"{i:010d}"


def find_links(
    texts: Sequence[str],
    config: CopyConfig = DEFAULT_CONFIG,
    model: PairModel | None = None,
    passages: bool = True,
) -> list[CopyLink]:
    """Every copy and reuse link among ``texts``; link ends are the texts' indices as strings."""
    ids = [_key(i) for i in range(len(texts))]
    links = CopyIndex(MemoryPostings(), config, model).add(ids, texts, record=False, passages=passages)
    return [
        CopyLink(str(int(x.a)), str(int(x.b)), x.kind, x.probability, x.passages, x.evidence) for x in links
    ]


def find_copies(
    texts: Sequence[str], config: CopyConfig = DEFAULT_CONFIG, model: PairModel | None = None
) -> list[int]:
    """Cluster label per text; copies share a label (the smallest index of their group)."""
    links = find_links(texts, config, model, passages=False)
    ids = [_key(i) for i in range(len(texts))]
    weighted = [(_key(int(x.a)), _key(int(x.b)), x.probability) for x in links]
    labels = [0] * len(texts)
    for members in average_groups(ids, weighted, config.group_threshold):
        first = int(members[0])
        for member in members:
            labels[int(member)] = first
    return labels
