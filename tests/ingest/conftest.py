"""Fixtures for ingest tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from ingest_helpers import WarcSpec, warc_bytes

from storyline.ingest import IngestStats


@pytest.fixture
def stats() -> IngestStats:
    return IngestStats()


@pytest.fixture
def write_warc(tmp_path: Path) -> Callable[..., Path]:
    """Write a WARC file under tmp_path; see `warc_bytes` for the specs."""

    def write(name: str, specs: Sequence[WarcSpec], gzip: bool = True) -> Path:
        path = tmp_path / name
        path.write_bytes(warc_bytes(name, specs, gzip))
        return path

    return write
