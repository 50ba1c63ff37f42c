"""Faults injected into real processes (short versions; `benchmarks/reliability.py` runs the long ones):
SIGKILL at random moments of `storyline run` and of `storyline serve` under posts, a full disk, and a
soak of the service with its memory watched. Each ends with nothing acknowledged lost, nothing stored
twice and the store passing its integrity check."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from storyline.evaluate.faults import cli, fill_disk, kill_run, out_lines, write_news

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def test_sigkill_at_random_moments_of_a_run(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    ids = write_news(news, 300)
    straight = tmp_path / "straight.db"
    start = time.monotonic()
    assert cli(["run", str(news), "--db", str(straight), "--batch-size", "40", "-q"]).returncode == 0
    span = time.monotonic() - start
    db, out = tmp_path / "killed.db", tmp_path / "out.jsonl"
    args = ["run", str(news), "--db", str(db), "--batch-size", "40", "-q", "--out", str(out)]
    attempts = kill_run(args, db, points=3, span=span, expected=straight, seed=12, chain=2)
    assert len(attempts) == 5
    for attempt in attempts:
        assert attempt.problems == [], attempt  # consistent right after the kill
        if attempt.final is not None:
            assert attempt.final.returncode == 0, attempt.final.stderr
            assert attempt.equal and attempt.final_problems == []
    assert sorted(str(r["id"]) for r in out_lines(out)) == ids  # the last run's --out: each item once


def test_sigkill_of_the_service_under_posts(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from storyline.evaluate.service_faults import kill_serve

    news = tmp_path / "news.jsonl"
    write_news(news, 160)
    rows = [json.loads(line) for line in news.read_text(encoding="utf-8").splitlines()]
    report = kill_serve(rows, tmp_path / "served.db", kills=2, batch=20, seed=5)
    assert report.kills == 2
    assert report.acknowledged == {r["id"] for r in rows}
    assert report.lost == set() and report.duplicated == 0
    assert report.problems == []


def test_a_disk_that_fills_mid_run(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    write_news(news, 200)
    # a file-size limit, which needs no root (benchmarks/reliability.py fills a real tmpfs)
    full = fill_disk(
        ["run", str(news), "--batch-size", "40", "-q"], tmp_path / "disk", 1_000_000, mount=False
    )
    assert full.failed.returncode == 1 and "Traceback" not in full.failed.stderr, full.failed.stderr
    assert full.stored_after_failure > 0 and full.problems_after_failure == []
    assert full.final.returncode == 0, full.final.stderr


def test_a_short_soak_keeps_memory_flat(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    from storyline.evaluate.service_faults import soak

    news = tmp_path / "news.jsonl"
    write_news(news, 60)
    texts = [json.loads(line)["text"] for line in news.read_text(encoding="utf-8").splitlines()]
    result = soak(tmp_path / "soak.db", seconds=15, articles=texts)
    assert result.errors == 0 and result.posts > 10
    assert result.growth_kib(warmup=5) < 16 * 1024
