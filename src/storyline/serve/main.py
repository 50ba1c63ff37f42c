"""Start the service with uvicorn (what ``storyline serve`` calls)."""

from __future__ import annotations

import logging
import sys

from storyline.serve.app import ServeConfig, create_app

__all__ = ["serve"]


def serve(config: ServeConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve `config.db` on host:port until interrupted; says where the UI is and whether writes are open."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    writes = "need the bearer token" if config.token else "are OPEN (no --token or STORYLINE_TOKEN set)"
    shown = f"[{host}]" if ":" in host else host
    print(
        f"storyline: serving {config.db} at http://{shown}:{port}/ (API docs at /docs); writes {writes}",
        file=sys.stderr,
    )
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
