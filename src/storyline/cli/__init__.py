"""The `storyline` command line: run, batch, copies, show, explain.

User mistakes (a missing path, a bad option, a store that is not one) end with one clear line on stderr
and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from storyline.batch.output import OutputError, pyarrow, write_records
from storyline.batch.records import article_records, reuses_of
from storyline.clean.dates import SOURCE_WORDS
from storyline.cli.batch import add_batch_command
from storyline.cli.check import add_check_command
from storyline.cli.common import (
    DEFAULT_DB,
    UserError,
    add_pipeline_options,
    open_existing,
    pipeline_settings,
    plural,
    writing,
)
from storyline.cli.copies import add_copy_commands, print_groups
from storyline.cli.stories import add_story_commands, print_stories
from storyline.ingest import IngestError
from storyline.ingest.ids import id_problem
from storyline.model import Article
from storyline.pipeline import Outcome, RunSummary, run
from storyline.settings import Settings
from storyline.store import Store, StoreBusy, StoreError

__all__ = ["BUSY", "main"]

#: Exit status when the store has another writer (EX_TEMPFAIL: try again later).
BUSY = 75


def _cmd_run(args: argparse.Namespace) -> int:
    settings = pipeline_settings(args)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() == ".parquet":
        pyarrow()  # before the run, not after it: a missing extra is one line at once
    summary = RunSummary()
    outcomes: list[Outcome] = []
    with Store(args.db) as store, writing(store, "storyline run", args.wait):
        for outcome in run(args.paths, store, settings, progress=not args.quiet):
            summary.add(outcome)
            outcomes.append(outcome)
        if out is not None:
            # written after the run, so every row carries its final copy group and story
            write_records(out, article_records(store, outcomes))
        print_summary(summary, store, args.db, args.out, args)
    return 0


def print_summary(
    summary: RunSummary, store: Store, db: str, out: str | None, args: argparse.Namespace
) -> None:
    """The end-of-run report on stderr and, unless quiet, the copy groups and stories on stdout."""
    counts = store.counts()
    lines = [
        f"{summary.items} input items: {summary.new} new articles, {summary.already_stored} already stored,"
        f" {sum(summary.rejected.values())} rejected",
    ]
    lines += [f"  rejected, {kind}: {n}" for kind, n in summary.rejected.most_common()]
    links, stories = (
        plural(counts["copy_links"], "verified link"),
        plural(counts["stories"], "story", "stories"),
    )
    articles, groups = plural(counts["articles"], "article"), plural(counts["copy_groups"], "copy group")
    lines.append(f"store {db}: {articles}, {groups} of 2 or more ({links}), {stories}")
    if out:
        lines.append(f"wrote {out}")
    print("\n".join(lines), file=sys.stderr)
    if not args.quiet:
        # A small store is listed whole, singletons included; a large one by its groups of copies.
        small = counts["groups"] <= args.show_groups
        print_groups(store, limit=args.show_groups, stream=sys.stdout, min_size=1 if small else 2)
        if counts["stories"] <= args.show_groups:
            print("\nstories:", file=sys.stdout)
            print_stories(store, store.story_summaries(), sys.stdout)


def _cmd_show(args: argparse.Namespace) -> int:
    with open_existing(args.db) as store:
        article = store.article(args.id)
        if article is None:
            raise UserError(id_problem(args.id) or f"no article {args.id!r} in {args.db}")
        group_id = store.groups_of([article.id]).get(article.id)
        group = store.copy_group(group_id) if group_id else None
        print(f"id:        {article.id}\nsource:    {article.source}\nurl:       {article.url or '-'}")
        print(f"site:      {article.site or '-'}\ntitle:     {article.title or '-'}")
        print(f"published: {_published_line(article)}")
        if group:
            others = ", ".join(m for m in group.members if m != article.id) or "none"
            print(f"copy group {group.id}: canonical {group.canonical}; other copies: {others}")
        for reuse in reuses_of(store, article.id):
            spans = ", ".join(f"[{p[0]}:{p[1]}]" for p in reuse["passages"]) or "short passages"
            print(f"shares text with {reuse['article']} (not a copy): {spans}")
        for note in article.notes:
            print(f"note:      {note}")
        print("\n" + article.text)
        if article.removed:
            print(f"\n--- removed as page chrome ({len(article.removed)}) ---")
            for removal in article.removed:
                print(f"[{removal.reason}] {textwrap.shorten(removal.text, 160)}")
    return 0


def _published_line(article: Article) -> str:
    if article.published is None:
        return "-"
    source = article.published_source
    where = f"from {SOURCE_WORDS[source]}" if source is not None else "source not recorded"
    return f"{article.published.isoformat()} ({where})"


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        from storyline.serve import ServeConfig, serve
    except ImportError as exc:
        needs = "storyline serve needs the serve extra: pip install 'storyline[serve]'"
        raise UserError(f"{needs} ({exc})") from exc
    token = args.token or os.environ.get("STORYLINE_TOKEN") or None
    settings = Settings(workers=args.workers or os.cpu_count() or 1)
    config = ServeConfig(db=args.db, token=token, max_body=args.max_body, settings=settings)
    serve(config, host=args.host, port=args.port)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storyline",
        description="Turn scraped news into clean articles, groups of copies of one article, and stories.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_help = f"the SQLite store (default: {DEFAULT_DB})"

    p = sub.add_parser(
        "run",
        help="ingest files, clean them, find copies and stories",
        description="Ingest files or folders (.txt .html .jsonl[.gz] .csv .parquet .warc[.gz], or - for"
        " stdin), clean them, find copies, store everything. Re-running adds only what is new.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.add_argument(
        "--out",
        metavar="FILE.jsonl",
        help="write one row per input item: JSON lines, or Parquet when FILE ends in .parquet",
    )
    p.add_argument("--show-groups", type=int, default=20, metavar="N", help="print at most N copy groups")
    add_pipeline_options(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "show",
        help="show one article",
        description="Show an article's metadata, clean text, copy group and what cleaning removed.",
    )
    p.add_argument("id")
    p.add_argument("--db", default=DEFAULT_DB, help=db_help)
    p.set_defaults(func=_cmd_show)

    add_copy_commands(sub, db_help)
    add_story_commands(sub, db_help)
    add_check_command(sub, db_help)
    add_batch_command(sub)

    p = sub.add_parser(
        "serve",
        help="HTTP API and web UI",
        description="Serve the store over HTTP: a JSON API (post articles, read stories, articles, evidence;"
        " OpenAPI spec at /openapi.json) and a web UI at /. Needs the serve extra.",
    )
    p.add_argument("--db", default=DEFAULT_DB, help=db_help + "; created when missing")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--token", help="bearer token required to post (default: $STORYLINE_TOKEN; none: open)")
    p.add_argument(
        "--max-body", type=int, default=10 * 1024 * 1024, metavar="BYTES", help="request size limit (bytes)"
    )
    p.add_argument(
        "--workers", type=int, default=0, metavar="N", help="cleaning processes (default: one per core)"
    )
    p.set_defaults(func=_cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `storyline` command."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StoreBusy as exc:
        print(f"storyline: {exc}", file=sys.stderr)
        return BUSY
    except (UserError, IngestError, StoreError, OutputError) as exc:
        print(f"storyline: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("storyline: interrupted; run the same command again to continue", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (sqlite3.DatabaseError, OSError) as exc:  # disk full, I/O error, a store locked by another program
        print(f"storyline: error: {_environment_error(exc)}", file=sys.stderr)
        return 1


def _environment_error(exc: sqlite3.DatabaseError | OSError) -> str:
    """One line for a failure of the machine rather than of the input: what failed, and that every
    committed batch is kept, so the same command continues once the cause is gone."""
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        what = f"{exc.strerror or exc}{where}"
    else:
        what = f"the store could not be written: {exc}"
    return f"{what}; what was committed is kept: fix that and run the same command again"


if __name__ == "__main__":
    raise SystemExit(main())
