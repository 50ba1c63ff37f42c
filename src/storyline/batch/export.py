"""Export a finished store as the Parquet dataset of ``storyline batch``.

Both engines end with their results in the embedded store inside the output directory (the local
engine writes it batch by batch, the Ray engine once from its stage outputs), and this one exporter
reads it back through the store's own read methods, so the two engines' files have one format:

- ``articles/part-NNNNN.parquet``: one row per input item, in input order, with the columns of
  ``run --out``;
- ``copy_links.parquet``: every verified pair (copy or reuse) with its passages and evidence;
- ``stories.parquet``: every story with its title, first and last publication time, counts and members.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from storyline.batch.output import (
    arrow_article,
    article_schema,
    link_schema,
    link_table,
    story_schema,
    write_dataset,
    write_parquet,
    write_tables,
)
from storyline.batch.records import article_records
from storyline.pipeline import Outcome
from storyline.store import Store
from storyline.store.browse import story_title

__all__ = ["PART_ROWS", "Exported", "export"]

#: Item rows per part file of the articles dataset (tens of MB of text: one task each for a reader).
PART_ROWS = 20_000
#: Articles whose links are read at once.
_LINK_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class Exported:
    """How many rows each file of the dataset got."""

    articles: int
    links: int
    stories: int


def _links(store: Store) -> Iterator[Any]:
    """Every stored link once, as Arrow tables: a link is stored with its ends in order, so it is read
    with the chunk of article ids that holds its first end."""
    ids = sorted(store.article_ids())
    for start in range(0, len(ids), _LINK_CHUNK):
        yield link_table(store.stored_link_rows(ids[start : start + _LINK_CHUNK]))


def _stories(store: Store) -> Iterator[dict[str, Any]]:
    for story, articles, groups, sites, first, last in sorted(store.story_summaries()):
        yield {
            "id": story,
            "title": story_title(store, story),
            "first_published": first,
            "last_published": last,
            "articles": articles,
            "copy_groups": groups,
            "sites": sites,
            "members": sorted(store.story_members(story)),
        }


def export(store: Store, outcomes: Sequence[Outcome], out: Path, progress: bool = False) -> Exported:
    """Write the dataset of `store` into the folder `out` (outcomes: one per input item, in order)."""
    out.mkdir(parents=True, exist_ok=True)
    show = progress and sys.stderr.isatty()
    items = tqdm(outcomes, desc="writing", unit=" rows", disable=not show)
    rows = (arrow_article(record) for record in article_records(store, items))
    articles = write_dataset(out / "articles", rows, article_schema(), PART_ROWS)
    links = write_tables(out / "copy_links.parquet", _links(store), link_schema())
    stories = write_parquet(out / "stories.parquet", _stories(store), story_schema())
    return Exported(articles, links, stories)
