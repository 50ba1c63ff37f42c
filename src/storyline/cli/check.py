"""`storyline check`: whether a store is whole (SQLite's check and Storyline's own invariants)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from storyline.cli.common import DEFAULT_DB, open_existing, plural
from storyline.store.integrity import check_store

__all__ = ["add_check_command"]

_SHOWN = 20


def _cmd_check(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        problems = check_store(store, complete=not args.consistent_only)
        counts = store.counts()
    if not problems:
        what = "consistent" if args.consistent_only else "whole"
        articles, rejections = plural(counts["articles"], "article"), plural(counts["rejected"], "rejection")
        print(f"store {args.db} is {what}: {articles}, {rejections}")
        return 0
    print(f"store {args.db}: {plural(len(problems), 'problem')}", file=sys.stderr)
    for problem in problems[:_SHOWN]:
        print(f"  {problem}", file=sys.stderr)
    if len(problems) > _SHOWN:
        print(f"  ... and {len(problems) - _SHOWN} more", file=sys.stderr)
    return 1


def add_check_command(sub: Any, db_help: str) -> None:
    p = sub.add_parser(
        "check",
        help="check that a store is whole",
        description="Check a store: SQLite's integrity check and Storyline's invariants (every link, group"
        " member and story member refers to a stored article; a copy group's canonical is a member; every"
        " article is in one copy group and one story). Exit status 1 lists the problems.",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.add_argument(
        "--consistent-only",
        action="store_true",
        help="only what must hold even mid-run (after a crash, before the run is repeated)",
    )
    p.set_defaults(func=_cmd_check)
