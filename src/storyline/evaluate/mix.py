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
    """Write `originals` Reuters articles and `reposts` reposts of distinct ones (id ``rN-repost`` for
    the repost of ``rN``) in shuffled order to the JSONL file `path`; return the ids in file order."""
    rng = random.Random(seed)
    pool = load_reuters(data_dir)[:originals]
    rows = [{"id": f"r{n}", "text": text} for n, (_, text, _) in enumerate(pool)]
    for n in rng.sample(range(len(pool)), min(reposts, len(pool))):
        rows.append({"id": f"r{n}-repost", "text": make_repost(pool[n][1], rng).text})
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    return [str(r["id"]) for r in rows]
