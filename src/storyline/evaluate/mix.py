"""A corpus with known copies for engine comparisons: Reuters-21578 articles and noisy reposts of some
of them (the repost generator of :mod:`storyline.evaluate.noise`), shuffled, as JSONL rows."""

from __future__ import annotations

import json
import random
from pathlib import Path

from storyline.evaluate.copysets import load_reuters
from storyline.evaluate.noise import make_repost

__all__ = ["write_repost_mix"]


def write_repost_mix(data_dir: Path, path: Path, originals: int, reposts: int, seed: int = 11) -> list[str]:
    """Write `originals` Reuters articles (at most the 19,043 there are) and `reposts` reposts of them
    in shuffled order to the JSONL file `path`; return the ids in file order. The first repost of
    ``rN`` is ``rN-repost``; while `reposts` exceeds the originals, each further round of distinct
    originals gets ``rN-repost2``, ``rN-repost3``, ... (each a fresh draw of the noise)."""
    rng = random.Random(seed)
    pool = load_reuters(data_dir)[:originals]
    rows = [{"id": f"r{n}", "text": text} for n, (_, text, _) in enumerate(pool)]
    left, round_ = reposts if pool else 0, 1
    while left > 0:
        suffix = "" if round_ == 1 else str(round_)
        for n in rng.sample(range(len(pool)), min(left, len(pool))):
            rows.append({"id": f"r{n}-repost{suffix}", "text": make_repost(pool[n][1], rng).text})
        left, round_ = left - len(pool), round_ + 1
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    return [str(r["id"]) for r in rows]
