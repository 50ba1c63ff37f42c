"""What a user gets: ``storyline run`` end to end on a list of input rows, for benchmarks and calibration.

Rows are written to a JSONL file (the format a user brings) and run through the whole pipeline into a
temporary store (ingest, clean with corpus evidence, copies, stories), exactly as the command does.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.pipeline import run
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["ProductResult", "run_product"]


@dataclass(frozen=True, slots=True)
class ProductResult:
    """Per input id: its clean text, copy group and story (absent for rejected items), and why rejected."""

    texts: dict[str, str]
    copy_group: dict[str, str]
    story: dict[str, str]
    rejected: dict[str, str]

    def group_labels(self, ids: Sequence[str]) -> list[str]:
        """A copy-group label per id; a rejected item is a group of its own."""
        return [self.copy_group.get(i, f"rejected:{i}") for i in ids]

    def story_labels(self, ids: Sequence[str]) -> list[str]:
        """A story label per id; an item without a story is a story of its own."""
        return [self.story.get(i, f"alone:{i}") for i in ids]


def run_product(rows: Sequence[Mapping[str, Any]], settings: Settings | None = None) -> ProductResult:
    """Run ``storyline run`` on ``rows`` (each with an ``id``) in a fresh temporary store.

    Labelled sets name items by path ("bbc/tech/368.txt"), which the id rule refuses, so items go in as
    ``item<n>`` and come back under their own ids.
    """
    own = {f"item{n}": str(r["id"]) for n, r in enumerate(rows)}
    inner = [{**dict(r), "id": f"item{n}"} for n, r in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "items.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in inner), encoding="utf-8")
        with Store(Path(tmp) / "bench.db") as store:
            outcomes = list(run([source], store, settings))
            ok = [o.id for o in outcomes if o.status == "ok" and o.id]
            rejected = {
                own.get(o.id or "", o.source): o.reason or "" for o in outcomes if o.status == "rejected"
            }

            def named(values: Mapping[str, str]) -> dict[str, str]:
                return {own[k]: v for k, v in values.items()}

            texts, groups, stories = store.texts(ok), store.groups_of(ok), store.stories_of(ok)
            return ProductResult(named(texts), named(groups), named(stories), rejected)
