"""Quality gate: copy detection on a small seeded noisy set must not fall below the pinned floors.

The floors live in quality_floors.json beside this file; raise them when detection improves, and only
lower them with a reason in the commit that does it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.copies import find_copies
from storyline.evaluate.copysets import default_data_dir, noisy_set
from storyline.evaluate.metrics import score_clustering

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))


def test_copies_on_noisy_reposts_meet_floors() -> None:
    data_dir = default_data_dir()
    if not (data_dir / "bbc").is_dir():
        pytest.skip(f"shared data not found at {data_dir} (set STORYLINE_DATA)")
    copy_set = noisy_set(data_dir, seed=0, originals=55, singletons=55)
    labels = find_copies(list(copy_set.texts))
    scores = score_clustering(copy_set.labels, labels).pairwise
    assert scores.f1 >= FLOORS["copies_noisy_f1"], scores
    assert scores.precision >= FLOORS["copies_noisy_precision"], scores
