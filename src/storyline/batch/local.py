"""The local engine of ``storyline batch``: the pipeline of ``storyline run`` into the embedded store
inside the output directory.

The store is what makes a batch restart-safe: every committed pipeline batch is kept, so the same
command after a kill continues where it stopped (already stored items are triaged as such, not cleaned
again), and the export that follows reads the final copy groups and stories.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from storyline.batch.inputs import Input, items_of
from storyline.model import RawItem, Rejection
from storyline.pipeline import Outcome
from storyline.pipeline.run import pass_progress, process
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["run_local"]


def run_local(inputs: Sequence[Input], store: Store, settings: Settings, progress: bool) -> list[Outcome]:
    """One outcome per input item, in order, with everything committed to `store`."""

    def read(desc: str) -> Iterator[RawItem | Rejection]:
        return pass_progress(items_of(inputs, settings.ingest), desc, progress)

    return list(process(read, store, settings))
