"""`storyline copies` and `storyline explain`: copy groups with their evidence, and why a pair is (not) one.

Links come in two kinds. A ``copy`` link says two pages derive from the same source text; copy groups are
built from them. A ``reuse`` link says one page carries a passage of the other (a wire paragraph inside
an article of its own) without being a copy of it. Both keep the shared passages as character offsets
into the two clean texts, and the evidence they were decided from.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any, TextIO

from storyline.batch.records import link_record, reuses_of
from storyline.cli.common import DEFAULT_DB, UserError, open_existing
from storyline.copies import Verdict
from storyline.ingest.ids import id_problem
from storyline.model import CopyGroup
from storyline.pipeline.linking import explain_pair
from storyline.settings import Settings
from storyline.store import Store

__all__ = ["add_copy_commands", "link_record", "print_groups", "reuses_of"]


def _group_record(store: Store, group: CopyGroup) -> dict[str, Any]:
    """A copy group with the evidence for every link among its members."""
    return {
        "id": group.id,
        "canonical": group.canonical,
        "members": list(group.members),
        "links": [link_record(x) for x in store.links_within(group.members)],
    }


def print_groups(store: Store, limit: int | None, stream: TextIO, min_size: int = 2) -> None:
    """Copy groups, largest first, each with its members (``*`` marks the canonical copy)."""
    groups = store.copy_groups(min_size=min_size)
    for group in groups[:limit]:
        canonical = store.article(group.canonical)
        title = canonical.title if canonical and canonical.title else "(untitled)"
        size = f"{len(group.members)} copies" if len(group.members) > 1 else "no other copy"
        print(f"{group.id}  {size}  {title}", file=stream)
        for member in group.members:
            mark = "*" if member == group.canonical else " "
            article = store.article(member)
            where = (article.site or article.source) if article else ""
            print(f"  {mark} {member}  {where}", file=stream)
    if limit is not None and len(groups) > limit:
        print(f"... and {len(groups) - limit} more groups (storyline copies --db {store.path})", file=stream)


def _cmd_copies(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        if args.json:
            for group in store.copy_groups(min_size=args.min_size):
                print(json.dumps(_group_record(store, group), ensure_ascii=False))
        else:
            print_groups(store, limit=None, stream=sys.stdout, min_size=args.min_size)
    return 0


_HEADS = {
    "copy": "COPIES: they derive from the same source text",
    "reuse": "NOT COPIES, but they share a passage: one reuses text of the other",
    None: "NOT COPIES",
}


def _print_verdict(a: str, b: str, verdict: Verdict, stored: bool, same_group: str | None) -> None:
    print(f"{a} and {b}: {_HEADS[verdict.kind]} (copy probability {verdict.probability:.2f})")
    if same_group and verdict.kind != "copy":
        print(f"  they are in one copy group, {same_group}, through the copies they share with others")
    elif not same_group and verdict.kind == "copy":
        print("  they are in different copy groups: their groups are not copies of each other on average")
    source = "as stored when the later one arrived" if stored else "verified now: no link was stored"
    print(f"evidence ({source}); each weight says how far it moves the verdict towards 'copy':")
    for text, weight in verdict.reasons:
        print(f"  {weight:+6.2f}  {text}")


def _cmd_explain(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        a, b = store.article(args.a), store.article(args.b)
        for wanted, found in ((args.a, a), (args.b, b)):
            if found is None:
                raise UserError(id_problem(wanted) or f"no article {wanted!r} in {args.db}")
        assert a is not None and b is not None
        verdict, stored = explain_pair(store, a, b, Settings().copies)
        groups = store.groups_of([a.id, b.id])
        same = groups[a.id] if a.id in groups and groups.get(a.id) == groups.get(b.id) else None
        _print_verdict(a.id, b.id, verdict, stored, same)
        for n, p in enumerate(verdict.passages, 1):
            tag = " (quoted speech)" if p.quoted else ""
            print(f"\n[{n}] {a.id}[{p.a_start}:{p.a_end}] = {b.id}[{p.b_start}:{p.b_end}]{tag}")
            print(textwrap.indent(textwrap.fill(a.text[p.a_start : p.a_end], 100), "    "))
    return 0


def add_copy_commands(sub: Any, db_help: str) -> None:
    """Register `copies` and `explain`."""
    p = sub.add_parser(
        "copies",
        help="list copy groups",
        description="List stored copy groups, largest first; * marks the canonical copy.",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.add_argument("--min-size", type=int, default=2, help="smallest group to list (1 lists singletons too)")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per group, with every link among its members: kind (copy or reuse),"
        " probability, passages as [a_start, a_end, b_start, b_end, quoted] offsets into the clean texts,"
        " and the evidence",
    )
    p.set_defaults(func=_cmd_copies)

    p = sub.add_parser(
        "explain",
        help="why two articles are (not) copies",
        description="Show the evidence that decided whether two articles are copies, in words and weights,"
        " and the passages they share (with offsets).",
    )
    p.add_argument("a", metavar="ID1")
    p.add_argument("b", metavar="ID2")
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.set_defaults(func=_cmd_explain)
