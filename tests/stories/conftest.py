"""Authored look-alike news: two earthquakes in one month, two reports of the first, a budget story."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.stories import StoryRecord

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

QUAKE_A1 = (
    "A magnitude 8.1 earthquake struck off the coast of Chiapas state late on Thursday, killing at least 61 "
    "people, Mexican authorities said. President Enrique Pena Nieto said the quake was the strongest to hit "
    "the country in a century. Its epicentre lay 87 km southwest of Pijijiapan, the US Geological Survey "
    "said. In Juchitan, in neighbouring Oaxaca, the town hall collapsed and rescuers searched the rubble "
    "through the night. Governor Manuel Velasco said schools across Chiapas would stay closed on Friday."
)
QUAKE_A2 = (
    "Rescuers in Juchitan dug through collapsed homes on Friday after the 8.1-magnitude quake off Chiapas "
    "killed at least 61 people. Enrique Pena Nieto declared three days of national mourning and said "
    "Oaxaca had suffered most of the deaths. The US Geological Survey placed the epicentre near "
    "Pijijiapan, and Governor Manuel Velasco said aftershocks kept families sleeping in the streets."
)
QUAKE_B = (
    "A magnitude 7.1 earthquake shook central Mexico on Tuesday, toppling buildings in Mexico City and "
    "Puebla and killing at least 225 people. Mayor Miguel Angel Mancera said rescuers were searching for "
    "survivors in 44 collapsed buildings, among them the Enrique Rebsamen school in Coapa. The quake "
    "struck on the anniversary of the 1985 disaster, hours after a national earthquake drill. The US "
    "Geological Survey put the epicentre near Raboso in Puebla state."
)
BUDGET = (
    "The finance minister unveiled a budget on Wednesday that cuts income tax for low earners and raises "
    "duty on tobacco and alcohol. Opposition leaders called the plan a giveaway before the election, while "
    "business groups welcomed a lower rate of corporation tax. Parliament will vote on the measures next "
    "month, and economists expect borrowing to fall to 2.1 percent of output."
)


def at(day: int, month: int = 9) -> datetime:
    return datetime(2017, month, day, 12, tzinfo=UTC)


@pytest.fixture
def quakes() -> list[StoryRecord]:
    """Two reports of the Chiapas quake, the Puebla quake twelve days later, and a budget story."""
    return [
        StoryRecord("a1", "Magnitude 8.1 earthquake hits Chiapas, killing 61", QUAKE_A1, at(8)),
        StoryRecord("b", "Earthquake topples buildings in Mexico City and Puebla", QUAKE_B, at(19)),
        StoryRecord("budget", "Budget cuts income tax for low earners", BUDGET, at(8)),
        StoryRecord("a2", "Juchitan digs out after Chiapas quake", QUAKE_A2, at(9)),
    ]


@pytest.fixture
def seeds() -> list[StoryRecord]:
    folder = DATA / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles not found at {folder} (shared data sits beside the checkout)")
    return [StoryRecord(p.stem, None, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


@pytest.fixture
def ecb_path() -> Path:
    path = DATA / "ecbplus" / "ecbplus-dev.jsonl.gz"
    if not path.is_file():
        pytest.skip(f"ECB+ dev not found at {path} (shared data sits beside the checkout)")
    return path
