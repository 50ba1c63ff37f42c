"""`storyline batch`: the pipeline over files, folders, globs or URLs into a Parquet dataset."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from storyline.batch.export import export
from storyline.batch.inputs import resolve
from storyline.batch.local import run_local
from storyline.batch.meter import StageMeter
from storyline.batch.output import pyarrow
from storyline.cli.common import UserError, add_pipeline_options, pipeline_settings, plural, writing
from storyline.pipeline import RunSummary
from storyline.store import Store

__all__ = ["REPORT_NAME", "STORE_NAME", "add_batch_command"]

#: The embedded store inside the output folder: the local engine's state, and what makes a killed
#: batch resume; readable with every other command (``storyline copies --db DIR/storyline.db``).
STORE_NAME = "storyline.db"
#: The last run's figures in the output folder: counts, and seconds and peak memory per stage.
REPORT_NAME = "batch.json"


def _cmd_batch(args: argparse.Namespace) -> int:
    settings = pipeline_settings(args)
    pyarrow()  # the output is Parquet: a missing extra is one line before anything runs
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; name a folder for the dataset")
    out.mkdir(parents=True, exist_ok=True)
    inputs = resolve(args.inputs, out / "_inputs")
    db = str(out / STORE_NAME)
    started = time.perf_counter()
    with Store(db) as store, writing(store, "storyline batch", args.wait), StageMeter() as meter:
        if args.engine == "ray":
            from storyline.batch.ray_engine import run_ray

            outcomes = run_ray(inputs, store, settings, out / "_stages", args.address, not args.quiet, meter)
        else:
            outcomes = run_local(inputs, store, settings, progress=not args.quiet)
            meter.lap("pipeline")
        written = export(store, outcomes, out, progress=not args.quiet)
        meter.lap("export")
    summary = RunSummary()
    for outcome in outcomes:
        summary.add(outcome)
    rejected = sum(summary.rejected.values())
    seconds = time.perf_counter() - started
    report = {
        "engine": args.engine,
        "workers": settings.workers,
        "items": summary.items,
        "new": summary.new,
        "already_stored": summary.already_stored,
        "rejected": rejected,
        "seconds": round(seconds, 3),
        "stages": {
            n: {"seconds": round(s.seconds, 3), "peak_mib": round(s.peak_mib, 1)}
            for n, s in meter.stages.items()
        },
    }
    (out / REPORT_NAME).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"{summary.items} input items: {summary.new} new articles, {summary.already_stored} already"
        f" stored, {rejected} rejected ({seconds:.1f} s, engine {args.engine},"
        f" seconds and peak memory per stage: {meter.summary()})\n"
        f"wrote {out}/articles ({plural(written.articles, 'row')}), copy_links.parquet"
        f" ({plural(written.links, 'link')}),"
        f" stories.parquet ({plural(written.stories, 'story', 'stories')}), {REPORT_NAME}; store {db}",
        file=sys.stderr,
    )
    return 0


def add_batch_command(sub: Any) -> None:
    """Register `batch`."""
    p = sub.add_parser(
        "batch",
        help="run the pipeline into a Parquet dataset",
        description="Clean, find copies and stories in files, folders, globs or URLs (file://, and s3:// or"
        " gs:// with fsspec and its s3fs/gcsfs installed) in every format run reads, and write a Parquet"
        " dataset in DIR: articles/ (one row per input item, the columns of run --out),"
        " copy_links.parquet and stories.parquet. DIR keeps the engine's state: the same command after"
        " a kill continues where it stopped.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--out", required=True, metavar="DIR", help="folder of the output dataset")
    p.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="where the stages run: this machine's processes (default), or Ray (needs the ray extra)",
    )
    p.add_argument(
        "--address",
        metavar="ADDR",
        help="the Ray cluster to join (e.g. ray://head:10001, or auto); default: start one in this process"
        " on 127.0.0.1 with --workers CPUs",
    )
    add_pipeline_options(p)
    p.set_defaults(func=_cmd_batch)
