"""`storyline batch --engine ray` gives the local engine's answers (the same copy groups, links and
stories) on a few thousand Reuters articles with noisy reposts (the project's repost generator), and a
job killed with SIGKILL, a Ray worker or the driver itself, ends with the output of an undisturbed run.

The undisturbed runs are made once per module. The undisturbed Ray job joins a cluster the test
started, as a job given ``--address`` does, so the story revision's scoring of its driver stage runs
on the cluster (``RayTasks``); each kill runs ``storyline batch`` as a child process (as a user or a
scheduler runs it) that starts its own cluster, and kills a process of that job only (found among its
descendants).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storyline.batch.meter import descendants
from storyline.cli import main
from storyline.evaluate.copysets import default_data_dir
from storyline.evaluate.metrics import bcubed, pairwise_prf
from storyline.evaluate.mix import write_repost_mix

pq = pytest.importorskip("pyarrow.parquet", reason="batch output needs the parquet extra (pyarrow)")
pytest.importorskip("ray.data", reason="--engine ray needs the ray extra: pip install 'storyline[ray]'")
import ray  # noqa: E402

from storyline.batch.ray_engine import _start as start_cluster  # noqa: E402

ORIGINALS, REPOSTS = 2000, 700
#: What a resumed run may say otherwise: which items it, rather than the killed run, added.
RUN_ONLY = ("new",)


@dataclass
class Runs:
    inputs: Path
    ids: list[str]
    local: Path
    ray: Path
    seconds: dict[str, float]


def _argv(inputs: Path, out: Path, engine: str = "ray") -> list[str]:
    return ["batch", str(inputs), "--out", str(out), "--engine", engine, "--workers", "2", "-q"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    data = default_data_dir()
    if not data.is_dir():
        pytest.skip(f"shared data not found at {data} (set STORYLINE_DATA, or place it beside the checkout)")
    root = tmp_path_factory.mktemp("batch-ray")
    ids = write_repost_mix(data, root / "in" / "crawl.jsonl", ORIGINALS, REPOSTS)
    seconds = {}
    started = time.perf_counter()
    assert main(_argv(root / "in", root / "local", "local")) == 0
    seconds["local"] = time.perf_counter() - started
    started = time.perf_counter()
    assert start_cluster(ray, None, 2)  # the loopback cluster the engine starts, here started apart
    try:
        assert main(_argv(root / "in", root / "ray", "ray")) == 0
    finally:
        ray.shutdown()
    seconds["ray"] = time.perf_counter() - started
    return Runs(root / "in", ids, root / "local", root / "ray", seconds)


def _rows(out: Path, drop: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    rows = pq.read_table(out / "articles").to_pylist()
    return {r["id"]: {k: v for k, v in r.items() if k not in drop} for r in rows}


def _links(out: Path) -> list[dict[str, Any]]:
    return pq.read_table(out / "copy_links.parquet").to_pylist()


def _postings(out: Path) -> list[tuple[int, str, int]]:
    with sqlite3.connect(f"file:{out / 'storyline.db'}?mode=ro", uri=True) as db:
        return db.execute("SELECT key, article, pos FROM fingerprints ORDER BY key, article").fetchall()


def _stage_files(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in (out / "_stages").rglob("*.parquet")}


def test_ray_engine_gives_the_local_engines_copy_groups_and_stories(runs: Runs) -> None:
    local, ray = _rows(runs.local), _rows(runs.ray)
    assert list(local) == list(ray) == runs.ids
    assert [r["text"] for r in local.values()] == [r["text"] for r in ray.values()]
    ok = [i for i in runs.ids if local[i]["status"] == "ok"]
    assert len(ok) > 0.9 * len(runs.ids)
    groups = pairwise_prf([local[i]["copy_group"] for i in ok], [ray[i]["copy_group"] for i in ok])
    assert groups.f1 == 1.0
    copied = sum(1 for i in ok if local[i]["copy_group"] == local.get(f"{i}-repost", {}).get("copy_group"))
    assert copied > 0.6 * REPOSTS
    stories = bcubed([local[i]["story"] for i in ok], [ray[i]["story"] for i in ok])
    assert stories.f1 >= 0.99
    assert _links(runs.local) == _links(runs.ray)
    # the copy stage's postings are the local copy index's, so a local run can add to a Ray job's store
    assert _postings(runs.local) == _postings(runs.ray)
    print(f"local {runs.seconds['local']:.1f} s, ray {runs.seconds['ray']:.1f} s; BCubed {stories.f1:.4f}")


def test_a_job_whose_store_is_lost_after_the_ray_stages_resumes_from_their_checkpoints(
    runs: Runs, tmp_path: Path
) -> None:
    out = tmp_path / "ray"
    subprocess.run(["cp", "-r", str(runs.ray), str(out)], check=True)
    before = _stage_files(out)
    (out / "storyline.db").unlink()
    assert main(_argv(runs.inputs, out)) == 0
    assert _stage_files(out) == before
    assert _rows(out) == _rows(runs.ray)


def _worker(job: int, steps: tuple[bytes, ...]) -> int | None:
    """A Ray worker of `job` running one of `steps` (the functions of a stage), if one runs now."""
    for pid in descendants(job):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if command.startswith(b"ray::") and any(step in command for step in steps):
            return pid
    return None


def _clean_worker(job: int) -> int | None:
    return _worker(job, (b"_clean_batch",))


def _stored(out: Path) -> int:
    try:
        with sqlite3.connect(f"file:{out / 'storyline.db'}?mode=ro", uri=True, timeout=0.1) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _kill_when(argv: list[str], victim: Callable[[int], int | None], timeout: float = 240.0) -> int:
    """Run ``storyline batch`` (`argv`) as a child process and SIGKILL the process `victim` names as soon
    as it names one (given the job's pid); the job's exit status (negative when the driver was killed)."""
    job = subprocess.Popen([sys.executable, "-m", "storyline.cli", *argv], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while job.poll() is None:
            pid = victim(job.pid)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "the moment to kill never came"
            time.sleep(0.02)
        else:
            pytest.fail(f"the job ended (exit {job.returncode}) before anything was killed")
        return job.wait(timeout=timeout)
    finally:
        if job.poll() is None:  # pragma: no cover - only when an assertion above failed
            job.kill()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="finds the job's processes in /proc (Linux)")
def test_a_ray_worker_killed_in_the_clean_stage_is_replaced_and_the_job_ends_with_the_same_output(
    runs: Runs, tmp_path: Path
) -> None:
    out = tmp_path / "ray"
    assert _kill_when(_argv(runs.inputs, out), _clean_worker) == 0
    assert _rows(out) == _rows(runs.ray)
    assert _links(out) == _links(runs.ray)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="finds the job's processes in /proc (Linux)")
def test_a_driver_killed_in_the_clean_stage_resumes_from_the_lines_checkpoint(
    runs: Runs, tmp_path: Path
) -> None:
    out = tmp_path / "ray"

    def driver_while_cleaning(job: int) -> int | None:
        return job if _clean_worker(job) is not None and any(out.glob("_stages/*/lines")) else None

    assert _kill_when(_argv(runs.inputs, out), driver_while_cleaning) == -signal.SIGKILL
    lines = {k: v for k, v in _stage_files(out).items() if "/lines/" in k}
    assert lines and not any(out.glob("_stages/*/cleaned"))
    assert main(_argv(runs.inputs, out)) == 0
    assert {k: v for k, v in _stage_files(out).items() if "/lines/" in k} == lines
    assert not any(out.glob("_stages/*/*.partial"))
    assert _rows(out) == _rows(runs.ray)
    assert _links(out) == _links(runs.ray)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="finds the job's processes in /proc (Linux)")
def test_a_driver_killed_in_the_copy_stage_resumes_from_the_clean_checkpoint(
    runs: Runs, tmp_path: Path
) -> None:
    out = tmp_path / "ray"
    copy_steps = (b"_sketch_row", b"_match_group", b"_anchor_group", b"_verify_batch")

    def driver_while_copying(job: int) -> int | None:
        return job if _worker(job, copy_steps) is not None else None

    assert _kill_when(_argv(runs.inputs, out), driver_while_copying) == -signal.SIGKILL
    done = _stage_files(out)
    assert any("/cleaned/" in k for k in done) and not any("/copies-" in k for k in done)
    assert main(_argv(runs.inputs, out)) == 0
    assert {k: v for k, v in _stage_files(out).items() if k in done} == done
    assert not any(out.glob("_stages/*/*.partial"))
    assert _rows(out) == _rows(runs.ray)
    assert _links(out) == _links(runs.ray)


def test_a_driver_killed_while_storing_resumes_from_its_last_committed_batch(
    runs: Runs, tmp_path: Path
) -> None:
    out = tmp_path / "ray"

    def driver_while_storing(job: int) -> int | None:
        return job if any(out.glob("_stages/*/copies-*")) and _stored(out) > 0 else None

    assert _kill_when(_argv(runs.inputs, out), driver_while_storing) == -signal.SIGKILL
    killed_at, stages = _stored(out), _stage_files(out)
    assert 0 < killed_at < len(runs.ids)
    assert main(_argv(runs.inputs, out)) == 0
    assert _stage_files(out) == stages
    assert _rows(out, RUN_ONLY) == _rows(runs.ray, RUN_ONLY)
    assert _links(out) == _links(runs.ray)
    resumed = _rows(out)
    assert sum(1 for r in resumed.values() if r["new"] is False) >= killed_at
