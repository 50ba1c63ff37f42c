"""Run the stages over inputs, batch by batch, against a store.

Two passes over the inputs. The first records every new flat-text page's lines as corpus evidence, so
that the cleaner sees the whole corpus (what recurs across documents) before it cleans the first page.
The second cleans, finds copies and commits one batch at a time. Every result depends only on the set of
articles, never on where batches start, so a run killed anywhere and started again ends with the same
store as one that ran straight through.
"""

from __future__ import annotations

import hashlib
import io
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from tqdm import tqdm

from storyline.clean.lines import LineEvidence
from storyline.ingest import STDIN, iter_inputs
from storyline.ingest.documents import replayable
from storyline.ingest.validate import check_item
from storyline.model import Article, RawItem, Rejection, RejectionKind
from storyline.pipeline.linking import CopyFinder, attach, link, settle_groups
from storyline.pipeline.parallel import Executor, Pending, Workers
from storyline.pipeline.relink import relink_if_stale
from storyline.pipeline.steps import Cleaned, LineRow, clean_step, line_rows_step, terms_step
from storyline.pipeline.storying import StoryStage, choose_representatives, represent_groups
from storyline.settings import Settings
from storyline.store import Store, WriterLock
from storyline.stories.features import Terms

__all__ = ["Outcome", "Pipeline", "RunSummary", "Started", "pass_progress", "process", "run"]

log = logging.getLogger(__name__)
Status = Literal["ok", "rejected"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input item. `new` is False for an article a previous run already stored."""

    id: str | None
    source: str
    status: Status
    reason: str | None = None
    new: bool = True
    kind: RejectionKind | None = None


@dataclass(slots=True)
class RunSummary:
    """Counts for the end-of-run report."""

    items: int = 0
    new: int = 0
    already_stored: int = 0
    rejected: Counter[RejectionKind] = field(default_factory=Counter)
    copy_links: int = 0

    def add(self, outcome: Outcome) -> None:
        self.items += 1
        if outcome.status == "rejected":
            self.rejected[outcome.kind or "failed"] += 1
        elif outcome.new:
            self.new += 1
        else:
            self.already_stored += 1


def content_hash(item: RawItem) -> str:
    """Identity of an input item's content, to tell a re-run of the same item from an id clash."""
    return hashlib.blake2b(item.content.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _batched(
    items: Iterable[RawItem | Rejection], size: int, max_chars: int
) -> Iterator[list[RawItem | Rejection]]:
    """Batches of at most `size` items and, past the first item, at most `max_chars` characters of
    content, so that memory follows the bytes in flight rather than the item count (a thousand 1 MB
    rows are a gigabyte)."""
    batch: list[RawItem | Rejection] = []
    chars = 0
    for item in items:
        weight = len(item.content) if isinstance(item, RawItem) else 0
        if batch and (len(batch) >= size or chars + weight > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += weight
    if batch:
        yield batch


def _checked(items: Iterable[RawItem | Rejection]) -> Iterator[RawItem | Rejection]:
    """Each item as validation leaves it: repaired, or a rejection where it cannot be."""
    return (check_item(i) if isinstance(i, RawItem) else i for i in items)


def _record_evidence(
    items: Iterable[RawItem | Rejection], store: Store, settings: Settings, workers: Executor
) -> None:
    """First pass: store the lines of every new flat-text page as corpus evidence. The workers read the
    lines of batch k+1 while the driver writes those of batch k."""

    def write(pending: Pending[list[LineRow]]) -> None:
        rows = [row for rows in pending.result() for row in rows]
        with store.transaction():
            store.add_line_observations(rows)

    previous: Pending[list[LineRow]] | None = None
    for batch in _batched(items, settings.batch_size, settings.batch_chars):
        texts = [i for i in batch if isinstance(i, RawItem) and i.format == "text"]
        stored = store.content_hashes([i.id for i in texts])
        pending = workers.submit(line_rows_step, [i for i in texts if i.id not in stored])
        if previous is not None:
            write(previous)
        previous = pending
    if previous is not None:
        write(previous)


class _Batch:
    """One batch of the second pass: sort items into stored, rejected and to-clean, then commit.

    Triage and cleaning only read the store; everything the batch writes (rejections included) is
    written by `commit`, inside the batch's transaction, so the write lock is held for the commit alone
    and not for the slow cleaning. Outcomes are kept by the item's position so they come out in input
    order.
    """

    def __init__(
        self, store: Store, settings: Settings, seen: dict[str, str], finder: CopyFinder | None = None
    ) -> None:
        self.store, self.settings, self.seen, self.finder = store, settings, seen, finder
        self.outcomes: dict[int, Outcome] = {}
        self.rejections: list[Rejection] = []
        self.terms: dict[str, Terms] = {}
        self._fresh: list[tuple[int, RawItem]] = []
        self._cleaning: Pending[Cleaned] | None = None
        self._articles: list[Article] | None = None

    def triage(self, batch: list[RawItem | Rejection]) -> None:
        """Outcomes for rejections and already-stored items; the others are kept for cleaning.

        Reads only what earlier runs stored and what earlier batches of this run took (`seen`), so it
        can run before the batch before it is committed."""
        stored = self.store.content_hashes([i.id for i in batch if isinstance(i, RawItem)])
        for pos, item in enumerate(batch):
            if isinstance(item, Rejection):
                self._reject(pos, item)
                continue
            digest = content_hash(item)
            known = stored.get(item.id) or self.seen.get(item.id)
            if known is None:
                self.seen[item.id] = digest
                self._fresh.append((pos, item))
            elif known == digest:
                self.outcomes[pos] = Outcome(item.id, item.source, "ok", new=False)
            else:
                reason = (
                    f"duplicate id: {item.id!r} is already used by a different item;"
                    " give every item its own id"
                )
                self._reject(pos, Rejection(item.id, item.source, reason, "duplicate id"))

    def _reject(self, pos: int, rejection: Rejection) -> None:
        self.rejections.append(rejection)
        self.outcomes[pos] = Outcome(
            rejection.id, rejection.source, "rejected", rejection.reason, kind=rejection.kind
        )

    def start_cleaning(self, workers: Executor, terms: bool) -> None:
        """Send the fresh items to the workers (with story terms: `terms`); :meth:`cleaned` collects
        them."""
        raw = [item for _, item in self._fresh]
        self._cleaning = workers.submit(clean_step, raw, self._evidence(raw), self.settings, terms)

    def cleaned(self) -> list[Article]:
        """The batch's articles, once the workers are done; rejections and story terms kept aside."""
        if self._articles is not None:
            return self._articles
        results = self._cleaning.result() if self._cleaning is not None else []
        articles: list[Article] = []
        for (pos, item), (result, terms) in zip(self._fresh, results, strict=True):
            if isinstance(result, Rejection):
                self._reject(pos, result)
            else:
                articles.append(result)
                if terms is not None:
                    self.terms[result.id] = terms
                self.outcomes[pos] = Outcome(item.id, item.source, "ok")
        self._articles = articles
        return articles

    def _evidence(self, items: list[RawItem]) -> LineEvidence | None:
        lines = self.store.lines_of(item.id for item in items if item.format == "text")
        if not lines:
            return None
        return LineEvidence.from_rows(self.store.line_observations(lines), self.store.observed_documents())

    def commit(self, articles: list[Article], provisional: bool) -> tuple[list[Article], set[str]]:
        """Store the batch's rejections and `articles` and link the articles to their copies; with
        `provisional`, also regroup their neighbourhood and return the new copy groups' first articles,
        which the story index takes, and the groups the regrouping wrote (else a run's settling does
        both). Call inside the batch's transaction."""
        for rejection in self.rejections:
            self.store.add_rejection(rejection)
        if not articles:
            return [], set()
        for article in articles:
            self.store.add_article(article, self.seen[article.id])
        if not provisional:
            link(articles, self.store, self.settings.copies, self.finder)
            return [], set()
        touched = set(attach(articles, self.store, self.settings.copies, whole=False, finder=self.finder))
        return choose_representatives(articles, self.store, touched), touched

    def ordered(self) -> list[Outcome]:
        return [self.outcomes[pos] for pos in sorted(self.outcomes)]

    def cancel(self) -> None:
        """Give up the batch: its cleaning is cancelled where it has not begun, its results dropped."""
        if self._cleaning is not None:
            self._cleaning.cancel()


def pass_progress(
    items: Iterable[RawItem | Rejection], desc: str, progress: bool
) -> Iterator[RawItem | Rejection]:
    """`items` of one pass (``desc``: its name) with a progress bar on a terminal when `progress`; the
    bar of the reading pass is cleared when it ends."""
    show = progress and sys.stderr.isatty()
    return iter(tqdm(items, desc=desc, unit=" items", disable=not show, leave=desc != "reading"))


#: Story-index articles whose terms a settling run reads at once (on the workers), so that memory
#: follows the chunk, not the run.
_TERMS_CHUNK = 2048
#: What the worker processes run: the steps and the HTML extractor they import lazily.
_STEP_MODULES = ("storyline.pipeline.steps", "trafilatura")


class _Kept:
    """The items of a run's first pass, kept for its second while their content fits in `budget`
    characters: reading and parsing the inputs again costs a tenth of the driver's time on a run of
    HTML pages. Past the budget they are dropped, and the second pass reads the inputs again."""

    def __init__(self, budget: int) -> None:
        self.budget, self.complete = budget, False
        self._items: list[RawItem | Rejection] | None = []
        self._chars = 0

    def record(self, items: Iterable[RawItem | Rejection]) -> Iterator[RawItem | Rejection]:
        """`items`, kept as they pass; complete once they all passed within the budget."""
        for item in items:
            if self._items is not None:
                self._chars += len(item.content) if isinstance(item, RawItem) else 0
                if self._chars > self.budget:
                    self._items = None
                else:
                    self._items.append(item)
            yield item
        self.complete = self._items is not None

    def replay(self) -> Iterator[RawItem | Rejection]:
        """The kept items, once: each is let go as it is given."""
        items, self._items, self.complete = self._items or [], None, False
        items.reverse()
        while items:
            yield items.pop()


def run(
    paths: Sequence[str | Path],
    store: Store,
    settings: Settings | None = None,
    progress: bool = False,
    stdin: bytes | IO[bytes] | None = None,
) -> Iterator[Outcome]:
    """Ingest, clean and group everything under `paths`, yielding one outcome per input item in input
    order. Outcomes of a batch come once the batch is committed.

    `stdin` is what ``-`` reads (default: the process's standard input); a stream that cannot seek is
    spooled to a temporary file, since the run reads its inputs twice.
    """
    settings = settings or Settings()
    given: IO[bytes] | None = None
    if STDIN in [str(p) for p in paths]:
        raw = sys.stdin.buffer if stdin is None else stdin
        given = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    source = replayable(given) if given is not None else None
    start = source.tell() if source is not None else 0
    kept = _Kept(settings.replay_chars)

    def inputs(desc: str) -> Iterator[RawItem | Rejection]:
        if kept.complete:
            return pass_progress(kept.replay(), desc, progress)
        if source is not None:
            source.seek(start)
        return pass_progress(kept.record(iter_inputs(paths, settings.ingest, stdin=source)), desc, progress)

    try:
        yield from process(inputs, store, settings)
    finally:
        if source is not None and source is not given:
            source.close()


def process(
    inputs: Callable[[str], Iterable[RawItem | Rejection]],
    store: Store,
    settings: Settings | None = None,
    executor: Executor | None = None,
    finder: CopyFinder | None = None,
) -> Iterator[Outcome]:
    """Run the stages over the items `inputs(pass_name)` gives; it is called once per pass (``reading``,
    then ``processing``) and must give the same items each time. Holds the store's writer lock
    throughout (re-entrant: the CLI takes it first, with its own wait and message). One call of
    :meth:`Pipeline.process`, which also serves the HTTP service across calls. `executor` runs the
    parallel steps (default: :class:`Workers` on ``settings.workers`` processes); `finder` gives each
    batch's copy links (default: the store's copy index)."""
    with Pipeline(store, settings or Settings(), executor, finder) as pipeline:
        yield from pipeline.process(inputs)


@dataclass(frozen=True, slots=True)
class Started:
    """One call's batches, triaged and being cleaned on the workers (see :meth:`Pipeline.start`)."""

    batches: list[_Batch]


class Pipeline:
    """The stages over one store, kept open between calls: the worker processes and the loaded story
    index are reused, so a caller with many small calls (the service's writer) pays for them once.

    ``settle`` (default) revises the stories and saves the story index at the end of every call, as a
    run does; the service passes False for each posted batch and settles when it is idle.
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        executor: Executor | None = None,
        finder: CopyFinder | None = None,
    ) -> None:
        self.store, self.settings, self._finder = store, settings, finder
        self._workers: Executor = (
            executor if executor is not None else Workers(settings.workers, preload=_STEP_MODULES)
        )
        self._stories: StoryStage | None = None
        self._opened_at = store.last_seq()
        # ids (and content hashes) the started calls took, until the last of them is complete
        self._seen: dict[str, str] = {}
        self._started = 0

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._workers.close()

    def _map(self, step: Callable[..., list[Any]], items: Sequence[Any], *side: Any) -> list[Any]:
        """`step` over `items` on the executor, its results in order: how the story revision scores
        on the workers, idle by then."""
        return self._workers.submit(step, items, *side).result()

    def settle_groups(self) -> tuple[list[str], set[str]]:
        """Make the copy groups of everything stored since they were last settled exact (see
        `linking.settle_groups`); returns the ids of the articles the story index takes for the groups
        written, in arrival order, and those groups."""
        with self.store.transaction():
            touched = set(settle_groups(self.store, self.settings.copies, since=self._opened_at))
            return represent_groups(self.store, touched), touched

    def _settle_stories(self, stories: StoryStage) -> None:
        """Settle the copy groups and give the story index each new group's first article to arrive, in
        arrival order, their terms read on the workers a chunk at a time: what the run's batches left
        to its end, so that the index holds one article per settled group whatever the batches were."""
        chosen, touched = self.settle_groups()
        stories.add([], None, touched, place=False)
        for start in range(0, len(chosen), _TERMS_CHUNK):
            part = [a for a in map(self.store.article, chosen[start : start + _TERMS_CHUNK]) if a is not None]
            terms = self._map(terms_step, part)
            stories.add(part, {a.id: t for a, t in zip(part, terms, strict=True)}, place=False)

    def forget_stories(self) -> None:
        """Load the story index from the store on the next call (after something else rewrote it)."""
        self._stories = None

    def process(
        self, inputs: Callable[[str], Iterable[RawItem | Rejection]], settle: bool = True
    ) -> Iterator[Outcome]:
        """Outcomes of every item `inputs` gives, in input order (see :func:`process`)."""
        with WriterLock(self.store.path, "storyline pipeline").acquire(on_wait=log.warning):
            try:
                yield from self._process(inputs, settle)
                if self._stories is not None:
                    if settle:
                        self._settle_stories(self._stories)
                    self._stories.finish(revise=settle, snapshot=settle, mapper=self._map)
            except BaseException:
                self._stories = None  # it may hold part of a batch: load it again, with what was stored
                raise

    def _process(
        self, inputs: Callable[[str], Iterable[RawItem | Rejection]], settle: bool
    ) -> Iterator[Outcome]:
        store, settings, workers = self.store, self.settings, self._workers

        def checked(pass_name: str) -> Iterator[RawItem | Rejection]:
            return _checked(inputs(pass_name))

        if relink_if_stale(store, settings):
            self._stories = None
        if store.groups_settled() is None:  # from here on, a killed run leaves its groups to the next
            with store.transaction():
                store.set_groups_settled(self._opened_at)
        seen: dict[str, str] = {}
        _record_evidence(checked("reading"), store, settings, workers)
        if self._stories is None:  # also when nothing is new: a killed run's stories are settled here
            self._stories = StoryStage(store, settings.stories)
        # batch k+1 is triaged and cleaned on the workers while the driver commits batch k
        previous: _Batch | None = None
        for raw_batch in _batched(checked("processing"), settings.batch_size, settings.batch_chars):
            work = self._start_batch(raw_batch, seen, provisional=not settle)
            if previous is not None:
                yield from self._commit(previous, provisional=not settle)
            previous = work
        if previous is not None:
            yield from self._commit(previous, provisional=not settle)

    def _start_batch(self, raw: list[RawItem | Rejection], seen: dict[str, str], provisional: bool) -> _Batch:
        work = _Batch(self.store, self.settings, seen, self._finder)
        work.triage(raw)
        work.start_cleaning(self._workers, terms=provisional)
        return work

    def _commit(self, work: _Batch, provisional: bool) -> list[Outcome]:
        """Store a cleaned batch and link its copies; with `provisional` (a call that does not settle),
        also regroup them and place its new groups' articles in the stories at once."""
        if self._stories is None:  # loaded before the commit, which `add` then brings to it
            self._stories = StoryStage(self.store, self.settings.stories)
        articles = work.cleaned()
        with self.store.transaction():
            representatives, touched = work.commit(articles, provisional)
        if provisional:
            self._stories.add(representatives, work.terms, touched, place=True)
        return work.ordered()

    def start(self, items: Sequence[RawItem | Rejection]) -> Started:
        """Check and triage one call's `items` and start cleaning them on the workers; :meth:`complete`
        stores them. The service's writer starts call k+1 once call k is cleaned and before it completes
        call k, so the workers clean the one while the driver commits the other. Calls are completed
        in the order they were started (triage counts the items of started calls as taken); the caller
        holds the writer lock. After a failed call, :meth:`abandon` every call started after it."""
        if not self._started and relink_if_stale(self.store, self.settings):
            self._stories = None
        checked = list(_checked(items))
        _record_evidence(checked, self.store, self.settings, self._workers)
        batches = [
            self._start_batch(raw, self._seen, provisional=True)
            for raw in _batched(checked, self.settings.batch_size, self.settings.batch_chars)
        ]
        self._started += 1
        return Started(batches)

    def cleaned(self, started: Started) -> None:
        """Wait until the workers have cleaned `started`."""
        for work in started.batches:
            work.cleaned()

    def complete(self, started: Started) -> list[Outcome]:
        """Store a started call (see :meth:`start`) and place it in the stories, without settling them;
        its outcomes in input order."""
        try:
            outcomes = [o for work in started.batches for o in self._commit(work, provisional=True)]
            if self._stories is not None:
                self._stories.finish(revise=False, snapshot=False)
        except BaseException:
            self._stories = None  # it may hold part of a batch: load it again, with what was stored
            raise
        finally:
            self._done()
        return outcomes

    def abandon(self, started: Started) -> None:
        """Drop a started call unstored (a call before it failed, so its triage may be wrong); start
        its items again to store them."""
        for work in started.batches:
            work.cancel()
        self._done()

    def _done(self) -> None:
        self._started -= 1
        if not self._started:
            self._seen.clear()
