"""The story commands: `storyline stories`, `storyline story ID`, `storyline reclean`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from storyline.cli.common import DEFAULT_DB, UserError, add_wait_option, open_existing, plural, writing
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.browse import story_title

__all__ = ["add_story_commands", "print_stories"]


def _cmd_stories(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        rows = store.story_summaries()
        since, until = args.since, args.until
        shown = [
            r
            for r in rows
            if (since is None or (r[5] is not None and r[5] >= since))
            and (until is None or (r[4] is not None and r[4] <= until))
        ]
        shown.sort(key=lambda r: (r[5] or "", r[1]), reverse=True)
        print_stories(store, shown, sys.stdout)
        print(f"{len(shown)} of {len(rows)} stories", file=sys.stderr)
    return 0


def print_stories(
    store: Store, rows: Sequence[tuple[str, int, int, int, str | None, str | None]], stream: TextIO
) -> None:
    for story, n, groups, sites, first, last in rows:
        span = f"{(first or '?')[:16]} .. {(last or '?')[:16]}" if first else "undated"
        title = story_title(store, story)
        counts = f"{plural(n, 'article')}, {plural(groups, 'copy group')}, {plural(sites, 'site')}"
        print(f"{story}  {counts}  {span}  {title}", file=stream)


def _cmd_story(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        members = store.story_members(args.id)
        if not members:
            raise UserError(
                f"no story {args.id!r} in {args.db}; list them with: storyline stories --db {args.db}"
            )
        groups = store.groups_of(members)
        print(f"{args.id}: {story_title(store, args.id)}")
        print(f"{len(members)} articles in {len(set(groups.values()))} copy groups")
        for group_id in sorted(set(groups.values())):
            group = store.copy_group(group_id)
            if group is None:
                continue
            print(f"\n{group_id}  ({len(group.members)} {'copies' if len(group.members) > 1 else 'article'})")
            for member in group.members:
                article = store.article(member)
                if article is None:
                    continue
                when = article.published.isoformat()[:16] if article.published else "-"
                mark = "*" if member == group.canonical else " "
                print(f"  {mark} {member}  {when}  {article.site or '-'}  {article.title or '(untitled)'}")
    return 0


def _cmd_reclean(args: argparse.Namespace) -> int:
    from storyline.pipeline.reclean import reclean
    from storyline.pipeline.storying import StoryStage

    settings = Settings()
    with open_existing(args.db) as store, writing(store, "storyline reclean", args.wait):
        ids = store.flat_text_ids()
        changed = reclean(store, settings, ids)
        StoryStage(store, settings.stories).finish(everything=bool(changed))
        print(
            f"cleaned {plural(len(ids), 'flat-text article')} again: {len(changed)} changed", file=sys.stderr
        )
        for article_id in changed:
            print(article_id)
    return 0


def add_story_commands(sub: Any, db_help: str) -> None:
    """Add the story commands to the `storyline` parser's subcommands."""
    p = sub.add_parser(
        "reclean",
        help="clean stored flat-text pages again with all evidence",
        description="Clean every stored flat-text article again with the corpus evidence the store holds"
        " now (a page stored by an earlier run was cleaned with the evidence of its time), then re-link the"
        " changed ones to their copies and regroup. Prints the ids whose clean text changed.",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    add_wait_option(p)
    p.set_defaults(func=_cmd_reclean)

    p = sub.add_parser(
        "stories",
        help="list stories",
        description="List stories (articles about the same real-world event),"
        " newest first: articles, copy groups, sites, time span, title.",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.add_argument(
        "--since",
        metavar="DATE",
        help="only stories with an article published on or after DATE (ISO, e.g. 2019-04-24)",
    )
    p.add_argument("--until", metavar="DATE", help="only stories with an article published on or before DATE")
    p.set_defaults(func=_cmd_stories)

    p = sub.add_parser(
        "story",
        help="show one story",
        description="Show a story's articles grouped by copy group; * marks each group's canonical copy.",
    )
    p.add_argument("id", metavar="STORY")
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.set_defaults(func=_cmd_story)
