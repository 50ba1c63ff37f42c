"""What every `storyline` command shares: the default store, user errors, wording helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storyline.store import Store, WriterLock

__all__ = ["DEFAULT_DB", "UserError", "add_wait_option", "open_existing", "plural", "writing"]

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
