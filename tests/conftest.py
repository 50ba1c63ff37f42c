"""Shared fixtures: a small corpus of authored news pages, and where the shared data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER, repost
from storyline.evaluate.copysets import default_data_dir

SHARED_DATA = default_data_dir()


@pytest.fixture
def shared_data() -> Path:
    """The shared labelled data; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"shared data not found at {SHARED_DATA} (set STORYLINE_DATA, or place it beside the checkout)"
        )
    return SHARED_DATA


@pytest.fixture
def news_dir(tmp_path: Path) -> Path:
    """Four flat-text pages: an article, its scraped repost, a second article on the same event, another."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY + "\n", encoding="utf-8")
    (folder / "ferry-repost.txt").write_text(repost(FERRY), encoding="utf-8")
    (folder / "ferry-other.txt").write_text(FERRY_OTHER + "\n", encoding="utf-8")
    (folder / "budget.txt").write_text(BUDGET + "\n", encoding="utf-8")
    return folder
