"""Fixtures for the cleaning tests: a small synthetic corpus and the seed files (skipped when absent)."""

from __future__ import annotations

import pytest

from storyline.evaluate.copysets import default_data_dir

SEEDS = default_data_dir() / "seeds"

FOOTER = [
    "To encourage thoughtful and respectful conversations, full names appear with each submission to our "
    "online communities and pseudonyms are no longer permitted on this website.",
    "By submitting a comment, you accept that the publisher may reproduce that comment in whole or in part, "
    "in any manner it chooses, and that moderators review everything.",
]
TOPICS = ["harbour", "vaccine", "election", "bridge", "festival", "drought", "museum", "tariff"]


def story(topic: str) -> list[str]:
    """Three article sentences about `topic`, different for every topic."""
    return [
        f"Officials said the {topic} plan would be reviewed by the regional council on Monday morning.",
        f"Residents near the {topic} told reporters they had waited for an answer for more than a year.",
        f"The council expects to publish its decision about the {topic} before the end of the month.",
    ]


@pytest.fixture
def site_docs() -> dict[str, str]:
    """Eight articles of one site, each followed by the same two-line comment policy."""
    return {f"site-{t}": "\n\n".join([f"News about the {t}", *story(t), *FOOTER]) for t in TOPICS}


@pytest.fixture
def wire_docs() -> dict[str, str]:
    """One wire story reposted by eight sites, each with its own one-line header."""
    return {f"wire-{i}": "\n\n".join([f"Site number {i} home page", *story("earthquake")]) for i in range(8)}


@pytest.fixture
def seeds() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed data not found at {SEEDS}")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
