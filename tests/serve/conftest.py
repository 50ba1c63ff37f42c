"""Fixtures for the service: an app over a fresh store (in-process client), and a live server on loopback."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra (fastapi, uvicorn, jinja2) is not installed")

import httpx
import uvicorn

from storyline.evaluate.service_faults import free_port
from storyline.serve import ServeConfig, create_app

sys.path.insert(0, str(Path(__file__).parent))

TOKEN = "s3cret-token"


class LiveServer:
    """uvicorn in a thread on 127.0.0.1, over its own store file."""

    def __init__(self, config: ServeConfig) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = Path(config.db)
        app = create_app(config)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server over an empty store: open writes, a 64 KiB body limit, quick story revision."""
    config = ServeConfig(db=str(tmp_path / "live.db"), max_body=64 * 1024, revise_after=0.05)
    with LiveServer(config) as server:
        yield server


@pytest.fixture
def thread_client(tmp_path: Path) -> Iterator[httpx.Client]:
    """A client of a server like `live_server`'s whose writer is a thread of the test process (not a
    process of its own, as by default), so that a test can patch the pipeline the writer runs."""
    config = ServeConfig(
        db=str(tmp_path / "thread.db"), max_body=64 * 1024, revise_after=0.05, writer_process=False
    )
    with LiveServer(config) as server, httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as c:
        yield c


@pytest.fixture
def token_client(tmp_path: Path) -> Iterator[httpx.Client]:
    with (
        LiveServer(ServeConfig(db=str(tmp_path / "token.db"), token=TOKEN)) as server,
        httpx.Client(base_url=server.url, timeout=60) as c,
    ):
        yield c
