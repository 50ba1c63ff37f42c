"""Fixtures for the story view: the seed story as the store holds it, and an authored ferry story."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storyline.clean.article import parse_published
from storyline.clean.text import clean_text
from storyline.evaluate.copysets import default_data_dir
from storyline.view import ViewArticle

SEEDS = default_data_dir() / "seeds"

FERRY_A = (
    "A ferry carrying 300 passengers capsized off the island of Lesbos on Monday, killing at least 61 "
    "people, the coast guard said.\n"
    "Rescuers pulled 180 survivors from the water and searched through the night for the missing.\n"
    "The ferry left the port of Mytilene at 6:00 pm and sank an hour later in rough seas.\n"
    "Prime Minister Kostas Andreou declared three days of national mourning."
)
FERRY_B = (
    "At least 62 people died when a ferry capsized off Lesbos on Monday, the coast guard said.\n"
    "The ferry had left the port of Mytilene at 7:30 pm with about 300 passengers on board.\n"
    "Prime Minister Kostas Andreu said the government would investigate the shipping company.\n"
    "Rescuers pulled 180 survivors from the water and searched through the night for the missing."
)
FERRY_C = (
    "Greek rescuers searched through the night off Lesbos on Monday for the missing from a capsized ferry.\n"
    "The coast guard said at least 61 people had been killed and that 180 survivors were pulled from "
    "the water.\n"
    "Weather forecasters had warned of gale-force winds across the northern Aegean Sea on Monday."
)


def at(hour: int) -> datetime:
    return datetime(2024, 3, 4, hour, tzinfo=UTC)


@pytest.fixture
def ferry() -> list[ViewArticle]:
    """Three independent reports (B disagrees on toll, time and a spelling) and a repost of A."""
    repost = FERRY_A.replace("the coast guard said.", "the coast guard said.\nRead more: ferry news")
    return [
        ViewArticle(
            "a", "Ferry capsizes off Lesbos, killing 61", FERRY_A, None, "a.example", at(8), "ga", True
        ),
        ViewArticle("a2", "Ferry capsizes off Lesbos", repost, None, "b.example", at(10), "ga", False),
        ViewArticle(
            "b", "At least 62 dead as ferry sinks off Lesbos", FERRY_B, None, "c.example", at(9), "gb", True
        ),
        ViewArticle("c", None, FERRY_C, None, None, None, "gc", True),
    ]


@pytest.fixture
def seed_articles() -> list[ViewArticle]:
    """The four seeds cleaned as the store holds them; 000+001 one copy group with 000 canonical."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (set STORYLINE_DATA)")
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        aid = path.name[:3]
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        group = "g000" if aid in ("000", "001") else f"g{aid}"
        published = parse_published(cleaned.published)
        out.append(ViewArticle(aid, cleaned.title, cleaned.text, None, None, published, group, aid != "001"))
    return out
