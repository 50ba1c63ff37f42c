"""The Ray engine of ``storyline batch``: the pipeline's parallel steps as a Ray Data plan, the rest
of the pipeline unchanged on the driver.

Plan, each stage checkpointed as Parquet under ``DIR/_stages/`` (a folder appears only once complete,
so a killed job resumes from the last finished stage):

1. **read** on the driver: the inputs through the same readers and item check as ``run``;
2. **lines** (``_stages/lines``): :func:`~storyline.pipeline.steps.line_rows_step` over the flat-text
   items with ``map_batches``: the corpus line evidence, one row per observation;
3. **evidence**: the observations aggregated on the driver into one
   :class:`~storyline.clean.lines.LineEvidence` (rows deduplicated and ordered as the store keys and
   returns them, so every line's counts equal what the local engine reads from its store), shipped to
   the workers once with ``ray.put``;
4. **clean** (``_stages/cleaned``): :func:`~storyline.pipeline.steps.clean_step` with that evidence as
   a side input, with ``map_batches``: articles or rejections, and each article's story terms;
5. **copies** (``_stages/copies-<digest>``): candidates by a band-key shuffle and their verification
   on the cluster (:mod:`storyline.batch.ray_copies`);
6. **driver**: the local engine's own :class:`~storyline.pipeline.run.Pipeline` into the embedded
   store, with an executor (:class:`Precomputed`) that answers its cleaning steps from the stage
   outputs and sends its one other parallel step, the story revision's scoring, to the cluster
   (:class:`~storyline.batch.ray_tasks.RayTasks`; a cluster this process started is shut down first,
   and the driver scores), and a copy finder
   (:class:`~storyline.batch.ray_copies.KnownCopies`) that gives each batch the links the copy stage
   found. Triage, average-link copy groups, representatives and the story index are thus the very
   code of the local engine, so the two engines give the same copy groups and stories; that stage is
   restart-safe as a local batch is.

No second implementation of any decision: Ray runs the same step functions the worker processes run.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from storyline.batch.inputs import Input, items_of
from storyline.batch.meter import StageMeter
from storyline.batch.output import OutputError, pyarrow
from storyline.batch.ray_copies import KnownCopies, copies_plan, stage_name
from storyline.batch.ray_tasks import RayTasks, side_value
from storyline.clean.lines import LineEvidence
from storyline.ingest.validate import check_item
from storyline.model import Article, RawItem, Rejection
from storyline.pipeline import Outcome
from storyline.pipeline.parallel import Executor, Pending
from storyline.pipeline.run import content_hash, pass_progress, process
from storyline.pipeline.steps import Cleaned, LineRow, clean_step, line_rows_step, terms_step
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["OBJECT_STORE_BYTES", "Precomputed", "arrival", "item_key", "run_ray"]

#: The object store of the in-process cluster started when no ``--address`` is given (Ray's minimum
#: is 75 MB; the side input and the batches in flight of a few hundred thousand pages fit).
OBJECT_STORE_BYTES = 300 * 1024 * 1024
#: Items per block of the plan's datasets.
_BLOCK_ITEMS = 256


def _ray() -> ModuleType:
    """Ray (with Ray Data), or an OutputError naming the extra to install."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise OutputError(f"--engine ray needs Ray: pip install 'storyline[ray]' ({exc})") from exc
    return ray


def item_key(item: RawItem) -> str:
    """Identity of an input item across the stages: its source, id and content (two inputs naming one
    file are one item; two items sharing an id but not content are not)."""
    return f"{item.source}\0{item.id}\0{content_hash(item)}"


class Precomputed:
    """An executor for :class:`~storyline.pipeline.run.Pipeline` that answers ``line_rows_step``,
    ``clean_step`` and ``terms_step`` from the Ray stages' outputs (by item key; terms by article id,
    which the clean stage read for every article); an item the stages did not see (none should) is
    computed inline, so an answer is never missing or different. Other steps (the story revision's
    scoring) go to `others` (:class:`~storyline.batch.ray_tasks.RayTasks`: the cluster), or run inline
    on the driver without one."""

    def __init__(
        self, lines: dict[str, list[LineRow]], cleaned: dict[str, Cleaned], others: Executor | None = None
    ) -> None:
        terms = {c[0].id: c[1] for c in cleaned.values() if isinstance(c[0], Article) and c[1] is not None}
        self._answers: dict[Callable[..., Any], tuple[Callable[[Any], str], dict[str, Any]]] = {
            line_rows_step: (item_key, lines),
            clean_step: (item_key, cleaned),
            terms_step: (_article_id, terms),
        }
        self._others = others

    def submit(self, step: Callable[..., list[Any]], items: Sequence[Any], *side: Any) -> Pending[Any]:
        known = self._answers.get(step)
        if known is None:
            if self._others is not None:
                return self._others.submit(step, items, *side)
            return Pending(inline=lambda: step(items, *side))
        key, answers = known

        def answer() -> list[Any]:
            found = [answers.get(key(item)) for item in items]
            return [
                r if r is not None else step([item], *side)[0] for item, r in zip(items, found, strict=True)
            ]

        return Pending(inline=answer)

    def close(self) -> None:
        """Nothing to release: the cluster is the engine's."""


def _article_id(article: Article) -> str:
    return article.id


def _lines_batch(batch: dict[str, Any]) -> dict[str, Any]:
    """``map_batches`` body of the lines stage: observation rows as columns."""
    items = [pickle.loads(b) for b in batch["item"]]
    columns: dict[str, list[Any]] = {"key": [], "line": [], "site": [], "context": [], "article": []}
    for key, rows in zip(batch["key"], line_rows_step(items), strict=True):
        for line, site, context, article in rows:
            for name, value in zip(columns, (key, line, site, context, article), strict=True):
                columns[name].append(value)
    return {
        "key": np.array(columns["key"], dtype=object),
        "line": np.array(columns["line"], dtype=np.int64),
        "site": np.array(columns["site"], dtype=object),
        "context": np.array(columns["context"], dtype=np.int64),
        "article": np.array(columns["article"], dtype=object),
    }


def _clean_batch(batch: dict[str, Any], evidence: list[Any], settings: Settings) -> dict[str, Any]:
    """``map_batches`` body of the clean stage; `evidence` holds the side input's object ref (in a
    list, so Ray hands the ref over rather than its value), fetched once per worker process."""
    items = [pickle.loads(b) for b in batch["item"]]
    cleaned = clean_step(items, side_value(evidence[0]), settings)
    payload = np.array([pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL) for c in cleaned], dtype=object)
    return {"key": batch["key"], "payload": payload}


def _dataset(ray: ModuleType, items: Sequence[RawItem], workers: int) -> Any:
    rows = [{"key": item_key(i), "item": pickle.dumps(i, protocol=pickle.HIGHEST_PROTOCOL)} for i in items]
    blocks = max(1, min(len(rows) // _BLOCK_ITEMS + 1, workers * 8))
    return ray.data.from_items(rows, override_num_blocks=blocks)


def _checkpoint(folder: Path, build: Callable[[], Any]) -> Any:
    """The stage's output table: read from `folder` when a run before finished the stage, else
    computed by `build` (a Ray dataset), written beside and renamed into place once complete."""
    import pyarrow.parquet as pq

    if not folder.is_dir():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        build().write_parquet(str(partial))
        partial.mkdir(exist_ok=True)  # an empty stage writes no file
        partial.rename(folder)
    files = sorted(folder.glob("*.parquet"))
    return pq.read_table(files) if files else None


def _evidence(table: Any) -> tuple[dict[str, list[LineRow]], LineEvidence | None]:
    """The lines of each item, and the corpus evidence they make, as the store would hold it."""
    lines: dict[str, list[LineRow]] = {}
    if table is None:
        return lines, None
    columns = [table.column(n).to_pylist() for n in ("key", "line", "site", "context", "article")]
    for key, line, site, context, article in zip(*columns, strict=True):
        lines.setdefault(key, []).append((line, site, context, article))
    stored = sorted({row for rows in lines.values() for row in rows})  # the key order of `line_obs`
    documents = len({row[3] for row in stored})
    return lines, LineEvidence.from_rows(stored, documents) if stored else None


def _stage_folder(stages: Path, items: Sequence[RawItem], settings: Settings, store: Store) -> Path:
    """The checkpoints of this input set and cleaning configuration (another set has its own folder, so
    a stale checkpoint is never read). A store holding articles without checkpoints of these inputs was
    filled by other inputs, whose evidence the stages would not see: refused in one line."""
    digest = hashlib.blake2b(digest_size=8)
    for part in (settings.ingest, settings.html, settings.text, settings.min_words):
        digest.update(repr(part).encode())
    for item in items:
        digest.update(item_key(item).encode("utf-8", "surrogatepass") + b"\n")
    folder = stages / digest.hexdigest()
    if not folder.is_dir() and store.counts()["articles"]:
        raise OutputError(
            f"{store.path} already holds articles of other inputs; give --engine ray a new --out folder,"
            " or add to this one with --engine local"
        )
    return folder


def _start(ray: ModuleType, address: str | None, workers: int) -> bool:
    """Connect to the cluster at `address`, or start one in this process on loopback; True when this
    call started it (and so must shut it down)."""
    if ray.is_initialized():
        return False
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": "ERROR", "configure_logging": True}
    if address:
        ray.init(address=address, **quiet)
        return True
    ray.init(
        num_cpus=workers,
        object_store_memory=OBJECT_STORE_BYTES,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        **quiet,
    )
    return True


def run_ray(
    inputs: Sequence[Input],
    store: Store,
    settings: Settings,
    stages: Path,
    address: str | None = None,
    progress: bool = False,
    meter: StageMeter | None = None,
) -> list[Outcome]:
    """One outcome per input item, in order, with everything committed to `store`; the parallel steps
    run on Ray (the cluster at `address`, or a local one) and are checkpointed under `stages`.
    `meter` gets the seconds and peak memory of each stage (``read``, ``start``, ``lines``, ``clean``,
    ``driver``)."""
    ray = _ray()
    pyarrow()
    show = progress and sys.stderr.isatty()
    clock = meter if meter is not None else StageMeter()
    items = [i for i in items_of(inputs, settings.ingest) if isinstance(i, RawItem)]
    raw = [r for r in (check_item(i) for i in items) if isinstance(r, RawItem)]
    folder = _stage_folder(stages, raw, settings, store)
    clock.lap("read")
    started = _start(ray, address, settings.workers)
    clock.lap("start")
    try:
        ray.data.DataContext.get_current().enable_progress_bars = show
        logging.getLogger("ray.data").setLevel(logging.INFO if show else logging.ERROR)
        folder.mkdir(parents=True, exist_ok=True)
        texts = [i for i in raw if i.format == "text"]
        table = _checkpoint(
            folder / "lines",
            lambda: _dataset(ray, texts, settings.workers).map_batches(_lines_batch, batch_format="numpy"),
        )
        lines, evidence = _evidence(table)
        side = [ray.put(evidence)]
        clock.lap("lines")
        cleaned_table = _checkpoint(
            folder / "cleaned",
            lambda: _dataset(ray, raw, settings.workers).map_batches(
                _clean_batch, batch_format="numpy", fn_kwargs={"evidence": side, "settings": settings}
            ),
        )
        cleaned: dict[str, Cleaned] = {}
        if cleaned_table is not None:
            keys, payloads = (
                cleaned_table.column("key").to_pylist(),
                cleaned_table.column("payload").to_pylist(),
            )
            cleaned = {k: pickle.loads(p) for k, p in zip(keys, payloads, strict=True)}
        articles = arrival(raw, cleaned)
        clock.lap("clean")
        plan = copies_plan(ray, articles, settings.copies, settings.workers)
        copies = _checkpoint(folder / stage_name(settings.copies), plan) if articles else None
        clock.lap("copies")
        finder = KnownCopies(store, settings.copies, articles, copies)

        def drive(others: Executor | None) -> list[Outcome]:
            def read(desc: str) -> Iterator[RawItem | Rejection]:
                return pass_progress(items_of(inputs, settings.ingest), desc, progress)

            return list(process(read, store, settings, Precomputed(lines, cleaned, others), finder))

        # a cluster this process started is this machine, and its idle workers hold more memory than
        # the driver stage's one step gains from them: it goes first, and the step runs inline; any
        # other cluster stays up and runs it
        here = started and not address
        if not here:
            outcomes = drive(RayTasks(ray))
    finally:
        if started:
            ray.shutdown()
    if here:
        outcomes = drive(None)
    clock.lap("driver")
    return outcomes


def arrival(raw: Sequence[RawItem], cleaned: dict[str, Cleaned]) -> list[Article]:
    """The articles in the order the driver's pipeline will store them: input order, the first item
    of each id (a later one is already stored, or a duplicate id), those that cleaning kept."""
    seen: set[str] = set()
    out: list[Article] = []
    for item in raw:
        if item.id in seen:
            continue
        seen.add(item.id)
        found = cleaned.get(item_key(item))
        if found is not None and isinstance(found[0], Article):
            out.append(found[0])
    return out
