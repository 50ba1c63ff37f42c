"""What every `storyline` command shares: the default store, user errors, wording helpers."""

from __future__ import annotations

from pathlib import Path

from storyline.store import Store

__all__ = ["DEFAULT_DB", "UserError", "open_existing", "plural"]

DEFAULT_DB = "storyline.db"


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
