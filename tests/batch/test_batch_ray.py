"""`storyline batch --engine ray` gives the local engine's answers: the same copy groups, the same
stories, on a few hundred Reuters articles with noisy reposts (the project's repost generator)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from storyline.cli import main
from storyline.evaluate.metrics import bcubed, pairwise_prf
from storyline.evaluate.mix import write_repost_mix

pq = pytest.importorskip("pyarrow.parquet", reason="batch output needs the parquet extra (pyarrow)")
pytest.importorskip("ray.data", reason="--engine ray needs the ray extra: pip install 'storyline[ray]'")

ORIGINALS, REPOSTS = 240, 80


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in pq.read_table(out / "articles").to_pylist()}


def test_ray_engine_gives_the_local_engines_copy_groups_and_stories(
    shared_data: Path, tmp_path: Path
) -> None:
    ids = write_repost_mix(shared_data, tmp_path / "in" / "crawl.jsonl", ORIGINALS, REPOSTS)
    timings = {}
    for engine in ("local", "ray"):
        started = time.perf_counter()
        argv = ["batch", str(tmp_path / "in"), "--out", str(tmp_path / engine), "--engine", engine]
        assert main([*argv, "--workers", "2", "-q"]) == 0
        timings[engine] = time.perf_counter() - started
    local, ray = _rows(tmp_path / "local"), _rows(tmp_path / "ray")
    assert list(local) == list(ray) == ids
    assert [r["text"] for r in local.values()] == [r["text"] for r in ray.values()]
    ok = [i for i in ids if local[i]["status"] == "ok"]
    assert len(ok) > 0.9 * len(ids)
    groups = pairwise_prf([local[i]["copy_group"] for i in ok], [ray[i]["copy_group"] for i in ok])
    assert groups.f1 == 1.0
    assert sum(1 for i in ok if local[i]["copy_group"] == local.get(f"{i}-repost", {}).get("copy_group")) > 40
    stories = bcubed([local[i]["story"] for i in ok], [ray[i]["story"] for i in ok])
    assert stories.f1 >= 0.99
    links = [pq.read_table(tmp_path / e / "copy_links.parquet").to_pylist() for e in ("local", "ray")]
    assert links[0] == links[1]

    # a job killed after its Ray stages resumes from their checkpoints: drop the store and run again
    stage_files = sorted(p.stat().st_mtime_ns for p in (tmp_path / "ray" / "_stages").rglob("*.parquet"))
    (tmp_path / "ray" / "storyline.db").unlink()
    assert main([*argv, "--workers", "2", "-q"]) == 0
    assert (
        sorted(p.stat().st_mtime_ns for p in (tmp_path / "ray" / "_stages").rglob("*.parquet")) == stage_files
    )
    assert _rows(tmp_path / "ray") == ray
    print(f"local {timings['local']:.1f} s, ray {timings['ray']:.1f} s; stories BCubed F1 {stories.f1:.4f}")
