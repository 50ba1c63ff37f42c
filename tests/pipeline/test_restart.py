"""A run killed with SIGKILL and started again ends with the same store as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.evaluate.faults import dump_store, stored_articles, write_news


def _cmd(corpus: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "storyline.cli",
        "run",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "40",
        "-q",
    ]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_then_restart_matches_uninterrupted_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    write_news(corpus, 1200)
    straight, killed = tmp_path / "straight.db", tmp_path / "killed.db"
    subprocess.run(_cmd(corpus, straight), check=True, capture_output=True)
    total = len(dump_store(straight)["articles"])

    proc = subprocess.Popen(_cmd(corpus, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_articles(killed) < 80 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored_articles(killed) < total

    subprocess.run(_cmd(corpus, killed), check=True, capture_output=True)
    assert dump_store(killed) == dump_store(straight)


def test_cleaning_on_several_processes_gives_the_same_store(tmp_path: Path) -> None:
    from storyline.pipeline import run
    from storyline.settings import Settings
    from storyline.store import Store

    corpus = tmp_path / "corpus.jsonl"
    write_news(corpus, 120)
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            outcomes = list(run([corpus], store, Settings(workers=workers, batch_size=60)))
        assert len(outcomes) == 120
    assert dump_store(tmp_path / "w1.db") == dump_store(tmp_path / "w2.db")


def test_runs_over_overlapping_parts_write_every_story_a_full_write_would(tmp_path: Path) -> None:
    """A run writes the stories of the groups that can have changed, not of the whole store; after
    runs over overlapping parts of a corpus, every article's story is the one a full write gives."""
    import json

    from storyline.evaluate.faults import store_problems
    from storyline.pipeline import run
    from storyline.pipeline.storying import StoryStage, story_id
    from storyline.settings import Settings
    from storyline.store import Store

    corpus = tmp_path / "corpus.jsonl"
    write_news(corpus, 300, copy_every=3)
    rows = corpus.read_text(encoding="utf-8").splitlines()
    db = tmp_path / "s.db"
    for k, (start, end) in enumerate(((0, 120), (100, 220), (0, 300))):
        part = tmp_path / f"part{k}.jsonl"
        part.write_text("\n".join(rows[start:end]) + "\n", encoding="utf-8")
        with Store(db) as store:
            assert all(o.status == "ok" for o in run([part], store, Settings(batch_size=25)))
    with Store(db) as store:
        stage = StoryStage(store, Settings().stories)
        full = {a: story_id(stage.index.story_of(r)) for a, r in store.members_with_first_rep()}
        assert store.stories_of(store.article_ids()) == full
        assert len(full) == len(rows) == len({json.loads(r)["id"] for r in rows})
    assert store_problems(db) == []
