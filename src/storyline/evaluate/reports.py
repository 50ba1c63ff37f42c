"""Recurring template reports: the same wording with this week's figures, which are not copies.

Wire services file the same short report every day or quarter ("The Bank of England said it forecast
a shortage of around 350 mln stg in the money market today..."): the words stay, the numbers change.
Two issues of such a report are different reports. This set takes real Reuters-21578 reports that
carry several figures and adds the next issues of each (every number replaced by another of its size),
each its own gold group, plus a true repost of some issues (same figures, noisy), which is a copy.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from storyline.evaluate.copysets import CopySet, default_data_dir, load_reuters
from storyline.evaluate.noise import NoiseConfig, glue_words, hard_wrap

__all__ = ["next_issue", "template_set"]

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def next_issue(text: str, rng: random.Random) -> str:
    """The report with every figure replaced by another of the same number of digits."""

    def other(m: re.Match[str]) -> str:
        whole, _, frac = m.group().partition(".")
        value = str(rng.randrange(10 ** (len(whole) - 1) if len(whole) > 1 else 0, 10 ** len(whole)))
        while value == whole and len(whole) > 0:
            value = str(rng.randrange(10 ** (len(whole) - 1) if len(whole) > 1 else 0, 10 ** len(whole)))
        return value + ("." + "".join(rng.choice("0123456789") for _ in frac) if frac else "")

    return _NUMBER.sub(other, text)


def template_set(
    data_dir: Path | None = None,
    seed: int = 0,
    reports: int = 200,
    max_chars: int = 1200,
    min_numbers: int = 4,
    repost_share: float = 0.3,
) -> CopySet:
    """`reports` real Reuters reports with 1-3 later issues each (other figures: not copies), and a noisy
    repost (same figures: a copy) of a `repost_share` of all items."""
    rng = random.Random(seed)
    pool = [
        (doc_id, text)
        for doc_id, text, _ in load_reuters(data_dir or default_data_dir())
        if len(text) <= max_chars and len(set(_NUMBER.findall(text))) >= min_numbers
    ]
    chosen = rng.sample(pool, min(reports, len(pool)))
    items: list[tuple[str, str, int, str]] = []
    noise = NoiseConfig()
    label = 0
    for doc_id, text in chosen:
        later = [
            (f"{doc_id}#issue{k + 1}", next_issue(text, rng), "next_issue") for k in range(rng.randint(1, 3))
        ]
        for item_id, body, kind in [(doc_id, text, "report"), *later]:
            items.append((item_id, body, label, kind))
            if rng.random() < repost_share:
                repost = hard_wrap(glue_words(body, rng, noise), rng, noise)
                items.append((f"{item_id}#repost", repost, label, "repost"))
            label += 1
    rng.shuffle(items)
    ids, texts, labels, kinds = zip(*items, strict=True) if items else ((), (), (), ())
    return CopySet("templates", tuple(ids), tuple(texts), tuple(labels), tuple(kinds))
