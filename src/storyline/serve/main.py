"""Start the service with uvicorn (what ``storyline serve`` calls)."""

from __future__ import annotations

import logging
import sys
from typing import Any

from storyline.serve.app import ServeConfig, create_app

__all__ = ["serve"]


def serve(config: ServeConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve `config.db` on host:port until interrupted; says where the UI is and whether writes are open.

    The service is the store's one writer while it runs (see `storyline.store.lock`): it fails at once,
    with StoreBusy, when a run is writing the store, and a run started while it serves waits for it.
    """
    import uvicorn

    from storyline.store import Store, WriterLock

    with Store(config.db), WriterLock(config.db, "storyline serve").acquire(wait=0) as lock:
        if config.writer_process:  # checked, so a busy store fails here in one line: the writer takes it
            lock.release()
        _run(config, host, port, uvicorn)


def _run(config: ServeConfig, host: str, port: int, uvicorn: Any) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    writes = "need the bearer token" if config.token else "are OPEN (no --token or STORYLINE_TOKEN set)"
    shown = f"[{host}]" if ":" in host else host
    print(
        f"storyline: serving {config.db} at http://{shown}:{port}/ (API docs at /docs); writes {writes}",
        file=sys.stderr,
    )
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
