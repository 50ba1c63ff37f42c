"""The HTTP service and web UI: ``storyline serve``.

Needs the ``serve`` extra (FastAPI, uvicorn, Jinja2): ``pip install 'storyline[serve]'``.
"""

from __future__ import annotations

from storyline.serve.app import ServeConfig, create_app
from storyline.serve.main import serve

__all__ = ["ServeConfig", "create_app", "serve"]
