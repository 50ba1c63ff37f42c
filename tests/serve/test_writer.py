"""The writer's pipelined calls: the next call is started while the one before is committed, and a
failure of the one before neither loses nor misreports the next. The writer in a process of its own
(`WriterProcess`): the same answers, a busy store refused in one line, a killed writer process replaced
without losing what it committed, and a close that answers every request it was given."""

from __future__ import annotations

import importlib
import os
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection
from storyline.serve.writer import StoreFailure, Writer
from storyline.serve.writer_process import WriterProcess
from storyline.settings import Settings
from storyline.store import Store, StoreBusy, WriterLock


def _items(*rows: dict[str, str]) -> list[RawItem | Rejection]:
    return [row_to_item(r, fallback_id=r["id"], source="test", config=Settings().ingest) for r in rows]


def test_the_next_call_starts_before_a_failing_call_completes_and_is_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline_run = importlib.import_module("storyline.pipeline.run")
    events: list[str] = []
    cleaned_once, queued = threading.Event(), threading.Event()
    cleaned, start, commit = (
        pipeline_run.Pipeline.cleaned,
        pipeline_run.Pipeline.start,
        pipeline_run._Batch.commit,
    )

    def slow_cleaned(self: Any, started: Any) -> None:
        cleaned(self, started)
        if not cleaned_once.is_set():  # hold the first call until the second is queued behind it
            cleaned_once.set()
            assert queued.wait(20)

    def logged_start(self: Any, items: Any) -> Any:
        events.append("start " + ",".join(i.id for i in items))
        return start(self, items)

    def breaking(self: Any, articles: list[Any], provisional: bool) -> Any:
        if any(a.id == "boom" for a in articles):
            events.append("boom")
            raise RuntimeError("breaks the batch")
        return commit(self, articles, provisional)

    monkeypatch.setattr(pipeline_run.Pipeline, "cleaned", slow_cleaned)
    monkeypatch.setattr(pipeline_run.Pipeline, "start", logged_start)
    monkeypatch.setattr(pipeline_run._Batch, "commit", breaking)
    writer = Writer(str(tmp_path / "w.db"), Settings(), revise_after=0)
    try:
        first = writer.submit(_items({"id": "ferry", "text": FERRY}, {"id": "boom", "text": BUDGET}))
        assert cleaned_once.wait(20)
        second = writer.submit(_items({"id": "ferry", "text": FERRY}, {"id": "other", "text": FERRY_OTHER}))
        queued.set()
        one, two = first.result(60), second.result(60)
    finally:
        writer.close()
    # the second call was started while the first was not yet committed, then again after it failed
    assert events[:3] == ["start ferry,boom", "start ferry,other", "boom"]
    assert events[-1] == "start ferry,other"
    assert [(p.outcome.status, p.outcome.new) for p in one] == [("ok", True), ("rejected", True)]
    assert "internal error" in (one[1].outcome.reason or "")
    assert [(p.outcome.status, p.outcome.new) for p in two] == [("ok", False), ("ok", True)]
    with Store(str(tmp_path / "w.db")) as store:
        assert store.counts()["articles"] == 2


# -- the writer in a process of its own -----------------------------------------------------------

SETTINGS = Settings(workers=1)


def test_posts_come_back_with_outcomes_groups_and_stories(tmp_path: Path) -> None:
    writer = WriterProcess(str(tmp_path / "s.db"), SETTINGS, revise_after=0)
    try:
        posted = writer.submit(_items({"id": "a", "text": FERRY}, {"id": "b", "text": FERRY})).result(60)
        assert [p.outcome.status for p in posted] == ["ok", "ok"]
        assert posted[0].copy_group == posted[1].copy_group is not None  # the repost joins the original
        assert posted[0].story is not None
        assert writer.pending()["queued"] == 0
        writer.revise_now().result(60)
    finally:
        writer.close()
    with Store(tmp_path / "s.db") as store:
        assert store.counts()["articles"] == 2


def test_a_store_another_process_writes_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    with WriterLock(db, "storyline run").acquire(wait=0), pytest.raises(StoreBusy, match="storyline run"):
        WriterProcess(db, SETTINGS)


def test_a_killed_writer_process_is_replaced_and_loses_nothing_it_committed(tmp_path: Path) -> None:
    writer = WriterProcess(str(tmp_path / "s.db"), SETTINGS, revise_after=0)
    try:
        first = writer.submit(_items({"id": "a", "text": FERRY})).result(60)
        assert first[0].outcome.new
        process = writer._process
        assert process is not None and process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        process.join(30)
        # sent to the dead child's pipe or after the listener saw it go: either way a new child answers
        again = writer.submit(_items({"id": "a", "text": FERRY}, {"id": "c", "text": FERRY_OTHER}))
        results = again.result(60)
        assert [(p.outcome.status, p.outcome.new) for p in results] == [("ok", False), ("ok", True)]
        assert writer._process is not process
    finally:
        writer.close()


def test_close_answers_every_request_it_was_given(tmp_path: Path) -> None:
    writer = WriterProcess(str(tmp_path / "s.db"), SETTINGS, revise_after=0)
    futures = [writer.submit(_items({"id": f"x{n}", "text": text})) for n, text in enumerate((FERRY, BUDGET))]
    writer.close()
    assert [f.result(0)[0].outcome.status for f in futures] == ["ok", "ok"]
    refused = writer.submit(_items({"id": "late", "text": FERRY}))
    with pytest.raises(StoreFailure, match="shutting down"):
        refused.result(0)
