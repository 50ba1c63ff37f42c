"""Regrouping: batches regroup their neighbourhood, settling makes the groups what average link over all
stored links gives, whatever the batches were."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.copies import CopyConfig, average_groups
from storyline.model import Article, CopyLink
from storyline.pipeline.linking import regroup, settle_groups
from storyline.store import Store

CONFIG = CopyConfig()
IDS = [f"a{i:02d}" for i in range(12)]


def _article(article_id: str) -> Article:
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        format="text",
        raw=article_id,
        text=f"text of {article_id}",
        published=datetime(2024, 1, 1, tzinfo=UTC),
    )


def _partition(groups: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for article, group in groups.items():
        by.setdefault(group, set()).add(article)
    return {frozenset(m) for m in by.values()}


links_strategy = st.dictionaries(
    st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]),
    st.sampled_from([0.05, 0.2, 0.35, 0.5, 0.7, 0.95]),
    max_size=30,
)


@given(links_strategy, st.integers(1, 6))
@settings(max_examples=40, deadline=None)
def test_settled_groups_are_average_link_over_every_link(
    links: dict[tuple[str, str], float], batch: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        stored: set[str] = set()
        for start in range(0, len(IDS), batch):
            new = IDS[start : start + batch]
            with store.transaction():
                for article_id in new:
                    store.add_article(_article(article_id), article_id)
                stored |= set(new)
                store.add_links(
                    CopyLink(a, b, "copy" if p >= CONFIG.copy_threshold else "reuse", p, (), {})
                    for (a, b), p in links.items()
                    if a in stored and b in stored and (a in new or b in new)
                )
                regroup(new, store, CONFIG, whole=False)
        with store.transaction():
            settle_groups(store, CONFIG, since=0)
        expected = average_groups(IDS, [(a, b, p) for (a, b), p in links.items()], CONFIG.group_threshold)
        assert _partition(store.groups_of(IDS)) == {frozenset(m) for m in expected}
        assert store.groups_settled() == store.last_seq()
        with store.transaction():
            assert settle_groups(store, CONFIG) == []  # nothing stored since: nothing to do
