"""The local engine of ``storyline batch``: the pipeline of ``storyline run`` into the embedded store
inside the output directory.

The store is what makes a batch restart-safe: every committed pipeline batch is kept, so the same
command after a kill continues where it stopped (already stored items are triaged as such, not cleaned
again), and the export that follows reads the final copy groups and stories.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

from tqdm import tqdm

from storyline.batch.inputs import Input, items_of
from storyline.model import RawItem, Rejection
from storyline.pipeline import Outcome
from storyline.pipeline.run import process
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["run_local"]


def run_local(inputs: Sequence[Input], store: Store, settings: Settings, progress: bool) -> list[Outcome]:
    """One outcome per input item, in order, with everything committed to `store`."""
    show = progress and sys.stderr.isatty()

    def read(desc: str) -> Iterator[RawItem | Rejection]:
        items = items_of(inputs, settings.ingest)
        return iter(tqdm(items, desc=desc, unit=" items", disable=not show, leave=desc != "reading"))

    return list(process(read, store, settings))
