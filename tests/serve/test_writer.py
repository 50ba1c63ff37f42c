"""The writer's pipelined calls: the next call is started while the one before is committed, and a
failure of the one before neither loses nor misreports the next."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import Any

import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection
from storyline.serve.writer import Writer
from storyline.settings import Settings
from storyline.store import Store


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

    def breaking(self: Any, articles: list[Any]) -> Any:
        if any(a.id == "boom" for a in articles):
            events.append("boom")
            raise RuntimeError("breaks the batch")
        return commit(self, articles)

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
