"""Quality gate: copy detection on labelled sets must not fall below the pinned floors.

All built from the shared data and skipped without it:

- real web pages (webnews-dev) through ``storyline run``: partial reposts inside each site's page;
  the copy model is calibrated on these pages, so this floor guards against regressions, it does not
  measure generalisation (``benchmarks/copies_calibration.py`` prints the held-out figure);
- noisy reposts of real BBC/Reuters articles (are copies found?), with the copy stage alone;
- hard negatives through ``storyline run`` (is anything that merely looks alike left apart: ECB+
  articles written independently about the same event, unrelated articles sharing an inserted quote or
  template sentence, unrelated articles in one site's chrome, which cleaning removes).

The synthetic sets use seed 2; the model was fitted on seed 0. The floors live in quality_floors.json
beside this file. Raise floors when detection improves, and only lower them with a reason in the
commit that does it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.copies import find_copies
from storyline.evaluate.copysets import default_data_dir, hard_negative_set, noisy_set
from storyline.evaluate.metrics import pairwise_prf
from storyline.evaluate.product import run_product
from storyline.evaluate.webnews import feed_rows, load_webnews, webnews_path

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data_dir() -> Path:
    path = default_data_dir()
    if not all((path / name).is_dir() for name in ("bbc", "reuters21578", "ecbplus")):
        pytest.skip(f"shared data not found at {path} (set STORYLINE_DATA)")
    return path


def test_copies_on_noisy_reposts_meet_floors(data_dir: Path) -> None:
    copy_set = noisy_set(data_dir, seed=2, originals=55, singletons=55)
    scores = pairwise_prf(copy_set.labels, find_copies(list(copy_set.texts)))
    assert scores.f1 >= FLOORS["copies_noisy_f1"], scores
    assert scores.precision >= FLOORS["copies_noisy_precision"], scores


def test_copies_on_real_web_pages_meet_floors(data_dir: Path) -> None:
    if not webnews_path(data_dir).is_file():
        pytest.skip(f"webnews-dev not found at {webnews_path(data_dir)}")
    pages = load_webnews(data_dir)
    result = run_product(feed_rows(pages, "plain"))
    scores = pairwise_prf([p.copy_group for p in pages], result.group_labels([p.id for p in pages]))
    assert scores.f1 >= FLOORS["copies_webnews_f1"], scores
    assert scores.precision >= FLOORS["copies_webnews_precision"], scores


def test_copies_keep_hard_negatives_apart(data_dir: Path) -> None:
    copy_set = hard_negative_set(data_dir, seed=2)
    result = run_product([{"id": i, "text": t} for i, t in zip(copy_set.ids, copy_set.texts, strict=True)])
    scores = pairwise_prf(copy_set.labels, result.group_labels(list(copy_set.ids)))
    assert scores.precision >= FLOORS["copies_hard_negatives_precision"], scores
    assert scores.f1 >= FLOORS["copies_hard_negatives_f1"], scores
    # The floor must reject the typical mistake: a detector that groups same-event reports.
    kinds_and_labels = zip(copy_set.kinds, copy_set.labels, strict=True)
    by_event = [kind if kind.startswith("ecb:") else str(label) for kind, label in kinds_and_labels]
    assert pairwise_prf(copy_set.labels, by_event).precision < FLOORS["copies_hard_negatives_precision"]
