"""Rebuild a store's copy index, links, groups and stories when what built them has changed.

The stored fingerprints and links depend on the copy configuration and the pair model (and a store of
an older schema has none). The store records what built them (``copy_index``); when a run starts with
another value, every stored article's copies are found again, in arrival order, as if the articles had
just arrived, and the stories rebuilt from the new groups. One transaction: a killed rebuild leaves the
store as it was, and the next run starts it again.
"""

from __future__ import annotations

from itertools import islice

from tqdm import tqdm

from storyline.copies import CopyIndex
from storyline.pipeline.linking import copy_index_version, regroup
from storyline.pipeline.storying import rebuild_stories
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["relink_if_stale"]


def _relink(store: Store, settings: Settings, progress: bool) -> None:
    ids = store.article_ids()
    store.forget_all_copies()
    index = CopyIndex(store, settings.copies)
    todo = iter(ids)
    with tqdm(total=len(ids), desc="relinking", unit=" articles", disable=not progress) as bar:
        while batch := list(islice(todo, settings.batch_size)):
            texts = store.texts(batch)
            store.add_links(index.add(batch, [texts[i] for i in batch]))
            bar.update(len(batch))
    regroup(ids, store, settings.copies)
    store.reset_story_reps()
    rebuild_stories(store, settings.stories)


def relink_if_stale(store: Store, settings: Settings, progress: bool = False) -> bool:
    """Rebuild the copy index, links, groups and stories if they were built by something else; True if
    it did. An empty store just records the current version."""
    version = copy_index_version(settings.copies)
    stored = store.copy_index_version()
    if stored == version:
        return False
    with store.transaction():
        rebuilt = store.last_seq() > 0
        if rebuilt:
            _relink(store, settings, progress)
        store.set_copy_index_version(version)
    return rebuilt
