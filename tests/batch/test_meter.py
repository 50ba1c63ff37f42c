"""The stage meter: seconds and the peak memory of the process tree, a child's memory included."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.batch.meter import StageMeter, descendants, tree_memory

linux = pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="reads the process tree from /proc (Linux)"
)


@linux
def test_the_tree_holds_a_child_and_its_memory() -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; b = bytearray(300 * 2**20); print(1, flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        alone = tree_memory(child.pid)
        assert child.stdout is not None and child.stdout.readline().strip() == b"1"
        assert child.pid in descendants(os.getpid())
        assert tree_memory() >= tree_memory(child.pid) >= alone + 250 * 2**20
    finally:
        child.kill()
        child.communicate()


@linux
def test_each_stage_gets_its_seconds_and_the_peak_while_it_ran() -> None:
    with StageMeter(interval=0.02) as meter:
        time.sleep(0.05)
        quiet = meter.lap("quiet")
        held = bytearray(200 * 2**20)
        held[::4096] = b"x" * len(held[::4096])  # touch every page so it is resident
        busy = meter.lap("busy")
        del held
        meter.lap("freeing")  # starts from what the stage before held
        time.sleep(0.05)
        after = meter.lap("after")
        meter.lap("quiet")
    assert quiet.seconds >= 0.05 and busy.peak_bytes >= quiet.peak_bytes + 150 * 2**20
    assert after.peak_bytes < busy.peak_bytes - 150 * 2**20
    assert list(meter.stages) == ["quiet", "busy", "freeing", "after"]
    assert meter.stages["quiet"].seconds > quiet.seconds - 1e-9
    assert meter.summary().startswith("quiet ")
