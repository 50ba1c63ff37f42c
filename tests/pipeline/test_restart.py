"""A run killed with SIGKILL and started again ends with the same store as an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORDS = [
    "harbour",
    "council",
    "ferry",
    "storm",
    "minister",
    "budget",
    "police",
    "court",
    "river",
    "station",
    "school",
    "hospital",
    "market",
    "company",
    "shares",
    "profit",
    "vote",
    "election",
    "team",
    "match",
    "goal",
    "injury",
    "village",
    "bridge",
    "road",
    "fire",
    "rescue",
]


def _corpus(path: Path, n: int, seed: int = 7) -> None:
    """`n` JSONL articles; every fifth one is a lightly edited copy of the one before."""
    rng = random.Random(seed)
    rows, previous = [], ""
    for i in range(n):
        if i % 5 == 4:
            text = previous + "\n\nThis paragraph was added by the reposting site for its readers."
        else:
            paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(3)]
            text = "\n\n".join(paragraphs)
        previous = text
        rows.append(json.dumps({"id": f"doc{i:05d}", "text": text, "site": f"site{i % 7}.example"}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        queries = {
            "articles": "SELECT id, text, title, site FROM articles ORDER BY id",
            "removals": "SELECT * FROM removals ORDER BY article, idx",
            "fingerprints": "SELECT * FROM fingerprints ORDER BY key, article",
            "line_obs": "SELECT * FROM line_obs ORDER BY line, site, context, article",
            "links": "SELECT a, b, kind, probability FROM copy_links ORDER BY a, b",
            "members": "SELECT * FROM copy_members ORDER BY article",
            "groups": "SELECT * FROM copy_groups ORDER BY id",
            "stories": "SELECT * FROM story_members ORDER BY article",
        }
        return {name: con.execute(q).fetchall() for name, q in queries.items()}
    finally:
        con.close()


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


def _stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_then_restart_matches_uninterrupted_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 1200)
    straight, killed = tmp_path / "straight.db", tmp_path / "killed.db"
    subprocess.run(_cmd(corpus, straight), check=True, capture_output=True)
    total = len(_dump(straight)["articles"])

    proc = subprocess.Popen(_cmd(corpus, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _stored(killed) < 80 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < _stored(killed) < total

    subprocess.run(_cmd(corpus, killed), check=True, capture_output=True)
    assert _dump(killed) == _dump(straight)


def test_cleaning_on_several_processes_gives_the_same_store(tmp_path: Path) -> None:
    from storyline.pipeline import run
    from storyline.settings import Settings
    from storyline.store import Store

    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 120)
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            outcomes = list(run([corpus], store, Settings(workers=workers, batch_size=60)))
        assert len(outcomes) == 120
    assert _dump(tmp_path / "w1.db") == _dump(tmp_path / "w2.db")
