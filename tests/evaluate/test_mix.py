"""The repost mix of the engine comparisons: every original and every repost once, reposts beyond the
originals in further rounds."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from storyline.evaluate.mix import write_repost_mix


def test_reposts_beyond_the_originals_come_in_rounds_of_distinct_originals(
    shared_data: Path, tmp_path: Path
) -> None:
    ids = write_repost_mix(shared_data, tmp_path / "mix.jsonl", originals=30, reposts=70)
    rows = [json.loads(line) for line in (tmp_path / "mix.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ids and len(set(ids)) == 100
    rounds = Counter(i.split("-repost")[1] or "1" for i in ids if "-repost" in i)
    assert rounds == {"1": 30, "2": 30, "3": 10}
    originals = {r["id"]: r["text"] for r in rows if "-" not in r["id"]}
    assert len(originals) == 30
    reposts = [(r["id"].split("-")[0], r["text"]) for r in rows if "-repost" in r["id"]]
    assert all(of in originals for of, _ in reposts)
    assert sum(text != originals[of] for of, text in reposts) > 50  # noisy (an exact copy is one noise)
    assert write_repost_mix(shared_data, tmp_path / "again.jsonl", 30, 70) == ids
