"""What every `storyline` command shares: the default store, user errors, wording helpers."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from storyline.ingest import IngestConfig, parse_columns
from storyline.settings import Settings
from storyline.store import Store, WriterLock

__all__ = [
    "DEFAULT_DB",
    "UserError",
    "add_pipeline_options",
    "add_wait_option",
    "open_existing",
    "pipeline_settings",
    "plural",
    "writing",
]

DEFAULT_DB = "storyline.db"
DEFAULT_WAIT = 600.0


class UserError(Exception):
    """A mistake the user can fix; printed as one line."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``3 stories``."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def open_existing(db: str) -> Store:
    """The store at `db`, or a user error that says how to create one."""
    if not Path(db).exists():
        raise UserError(f"no store at {db}; create one with: storyline run PATH --db {db}")
    return Store(db)


def add_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help="when another run or the service is writing the store, wait this long for it"
        f" (default: {DEFAULT_WAIT:g}; 0: fail at once with exit status 75)",
    )


def writing(store: Store, label: str, wait: float) -> WriterLock:
    """The store's writer lock, taken: waits up to `wait` seconds for another writer, saying so once on
    stderr; raises StoreBusy (one line, exit status 75) when the wait runs out."""

    def say(message: str) -> None:
        print(f"storyline: {message}", file=sys.stderr, flush=True)

    return WriterLock(store.path, label).acquire(wait=wait, on_wait=say)


def add_pipeline_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that runs the pipeline over inputs (`run`, `batch`)."""
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="map a field (id, text, html, url, title, published, site) to a column name; repeatable",
    )
    parser.add_argument("--max-bytes", type=int, default=IngestConfig().max_bytes, help="reject larger items")
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size, help="articles per commit")
    parser.add_argument(
        "--workers", type=int, default=0, metavar="N", help="cleaning processes (default: one per core)"
    )
    add_wait_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no group listing")


def pipeline_settings(args: argparse.Namespace) -> Settings:
    """The settings the options of :func:`add_pipeline_options` ask for."""
    try:
        ingest = IngestConfig(columns=parse_columns(args.column), max_bytes=args.max_bytes)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    return Settings(ingest=ingest, batch_size=args.batch_size, workers=args.workers or os.cpu_count() or 1)
