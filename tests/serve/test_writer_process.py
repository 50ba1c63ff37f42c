"""The writer in a process of its own: the same answers as the writer thread, a busy store refused in
one line, a killed writer process replaced without losing what it committed, and a close that answers
every request it was given."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection
from storyline.serve.writer import StoreFailure
from storyline.serve.writer_process import WriterProcess
from storyline.settings import Settings
from storyline.store import Store, StoreBusy, WriterLock

SETTINGS = Settings(workers=1)


def _items(*rows: dict[str, str]) -> list[RawItem | Rejection]:
    return [row_to_item(r, fallback_id=r["id"], source="test", config=SETTINGS.ingest) for r in rows]


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
