"""The long reliability runs behind RELIABILITY.md: hostile inputs, faults, memory, a soak.

Usage::

    .venv/bin/python benchmarks/reliability.py [--only hostile kill-run kill-serve disk locked memory soak]
        [--kills 20] [--soak-seconds 600] [--baseline-src /tmp/storyline-base/src]

Each section prints one JSON line of figures. Sections:

- ``hostile``: the hostile corpus (`storyline.evaluate.hostile`) through ``storyline run`` twice and its
  JSON rows through the service: input items, items seen in ``--out``, lost, duplicated, problems;
- ``kill-run``: SIGKILL at ``--kills`` random moments of ``storyline run`` (each on a fresh store, then
  finished) and a chain of 5 kills on one store; stores equal to an undisturbed run's, and whole;
- ``kill-serve``: SIGKILL of ``storyline serve`` ``--kills`` times while a client posts; acknowledged
  articles lost, stored twice, integrity problems;
- ``disk``: a disk that fills mid-run at three sizes (tmpfs when this process may mount, else
  RLIMIT_FSIZE), the failure's last stderr line, the store after it, and the run after space is freed;
- ``locked``: another program holding SQLite's write lock; another writer holding the store;
- ``memory``: peak RSS and time of 160 rows of 1 MB in a ``.jsonl.gz`` and of 1 GB on a pipe to stdin,
  against ``--baseline-src`` (an older ``src`` folder, e.g. ``git archive 03442cc src | tar -x -C
  /tmp/storyline-base``) when given;
- ``soak``: ``--soak-seconds`` of posting and reading on loopback, resident memory every second.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from storyline.evaluate._templates import invented_paragraph
from storyline.evaluate.faults import (
    cli,
    dump_store,
    fill_disk,
    hold_sqlite_lock,
    hold_writer_lock,
    kill_run,
    out_lines,
    store_problems,
    write_news,
)
from storyline.evaluate.hostile import write_corpus


def _say(section: str, figures: dict[str, object]) -> None:
    print(json.dumps({"section": section, **figures}), flush=True)


def hostile(work: Path, args: argparse.Namespace) -> None:
    corpus, db = work / "corpus", work / "hostile.db"
    entries = write_corpus(corpus)
    fixed = sum(e.items or 0 for e in entries)
    runs = []
    for n in (1, 2):
        out = work / f"hostile{n}.jsonl"
        done = cli(["run", str(corpus), "--db", str(db), "--out", str(out), "-q"])
        records = out_lines(out)
        sources = Counter(str(r["source"]) for r in records)
        runs.append(
            {
                "exit": done.returncode,
                "items_seen": len(records),
                "ok": sum(r["status"] == "ok" for r in records),
                "rejected": sum(r["status"] == "rejected" for r in records),
                "duplicated": sum(c - 1 for c in sources.values()),
                "tracebacks": done.stderr.count("Traceback"),
            }
        )
    _say(
        "hostile",
        {
            "entries": len(entries),
            "items_fixed_by_the_corpus": fixed,
            "runs": runs,
            "problems": store_problems(db),
        },
    )


def kill_runs(work: Path, args: argparse.Namespace) -> None:
    news = work / "news.jsonl"
    ids = write_news(news, args.articles)
    straight = work / "straight.db"
    start = time.monotonic()
    assert cli(["run", str(news), "--db", str(straight), "--batch-size", "50", "-q"]).returncode == 0
    span = time.monotonic() - start
    db, out = work / "killed.db", work / "killed.jsonl"
    run_args = ["run", str(news), "--db", str(db), "--batch-size", "50", "-q", "--out", str(out)]
    attempts = kill_run(run_args, db, args.kills, span, straight, seed=1, chain=5)
    finished = [a for a in attempts if a.final is not None]
    phases = Counter(
        "before the first commit"
        if a.stored == 0
        else "after the last batch"
        if a.stored == len(ids)
        else "mid-run"
        for a in attempts
    )
    _say(
        "kill-run",
        {
            "articles": len(ids),
            "undisturbed_seconds": round(span, 1),
            "kills": len(attempts),
            "kill_moments_s": [a.after for a in attempts],
            "stored_at_kill": [a.stored for a in attempts],
            "kills_by_phase": dict(phases),
            "problems_after_kills": sum(len(a.problems) for a in attempts),
            "restarts_equal_to_undisturbed": sum(a.equal for a in finished),
            "restarts": len(finished),
            "problems_after_restart": sum(len(a.final_problems) for a in finished),
            "out_lines_last_run": len(out_lines(out)),
        },
    )


def kill_serves(work: Path, args: argparse.Namespace) -> None:
    from storyline.evaluate.service_faults import kill_serve

    news = work / "served.jsonl"
    write_news(news, 600, seed=3)
    rows = [json.loads(line) for line in news.read_text(encoding="utf-8").splitlines()]
    start = time.monotonic()
    report = kill_serve(rows, work / "served.db", kills=args.kills, batch=20, seed=4)
    _say(
        "kill-serve",
        {
            "posted": len(rows),
            "kills": report.kills,
            "batches_retried": report.retried,
            "acknowledged": len(report.acknowledged),
            "lost": len(report.lost),
            "duplicated": report.duplicated,
            "problems": report.problems,
            "seconds": round(time.monotonic() - start, 1),
        },
    )


def disk(work: Path, args: argparse.Namespace) -> None:
    news = work / "disk.jsonl"
    write_news(news, 400, seed=5)
    straight = work / "disk-straight.db"
    assert cli(["run", str(news), "--db", str(straight), "--batch-size", "40", "-q"]).returncode == 0
    for size in (400_000, 1_500_000, 4_000_000):
        full = fill_disk(["run", str(news), "--batch-size", "40", "-q"], work / f"disk{size}", size)
        _say(
            "disk",
            {
                "how": full.how,
                "failed_exit": full.failed.returncode,
                "failed_last_line": (full.failed.stderr.strip().splitlines() or [""])[-1],
                "tracebacks": full.failed.stderr.count("Traceback"),
                "articles_committed_before_failure": full.stored_after_failure,
                "problems_after_failure": full.problems_after_failure,
                "final_exit": full.final.returncode,
                "final_equal_to_undisturbed": dump_store(full.db) == dump_store(straight),
                "final_problems": store_problems(full.db),
            },
        )


def locked(work: Path, args: argparse.Namespace) -> None:
    news = work / "locked.jsonl"
    write_news(news, 100, seed=6)
    db = work / "locked.db"
    assert cli(["run", str(news), "--db", str(db), "-q"]).returncode == 0
    more = work / "more.jsonl"
    write_news(more, 100, seed=7)
    with hold_sqlite_lock(db, seconds=5):
        start = time.monotonic()
        waited = cli(["run", str(more), "--db", str(db), "-q"])
        sqlite_wait = time.monotonic() - start
    with hold_writer_lock(db):
        busy = cli(["run", str(more), "--db", str(db), "--wait", "0", "-q"])
    _say(
        "locked",
        {
            "sqlite_lock_held_s": 5,
            "run_waited_s": round(sqlite_wait, 1),
            "run_exit": waited.returncode,
            "second_writer_exit": busy.returncode,
            "second_writer_stderr": busy.stderr.strip(),
            "problems": store_problems(db),
        },
    )


def _big_rows(path: Path, rows: int) -> None:
    rng = random.Random(9)
    words = [f"w{n}" for n in range(5000)]
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in range(rows):
            parts, size = [], 0
            while size < 1_000_000:
                part = invented_paragraph(rng) + " " + " ".join(rng.choice(words) for _ in range(30)) + "."
                parts.append(part)
                size += len(part) + 2
            out.write(json.dumps({"id": f"big{i}", "text": "\n\n".join(parts)}) + "\n")


def _measured(
    command: list[str], src: str | None, stdin: Callable[[], object] | None = None
) -> dict[str, object]:
    """Peak RSS and time of ``storyline COMMAND`` on a fresh store (its ``--db`` is removed first)."""
    db = command[command.index("--db") + 1]
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(db + suffix).unlink(missing_ok=True)
    env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
    timed = ["/usr/bin/time", "-f", "%M %e", sys.executable, "-m", "storyline.cli", *command]
    start = time.monotonic()
    if stdin is None:
        done = subprocess.run(timed, capture_output=True, text=True, env=env)
    else:
        proc = subprocess.Popen(
            timed, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        assert proc.stdin is not None
        stdin_feed = stdin()
        for chunk in stdin_feed:  # type: ignore[attr-defined]
            proc.stdin.write(chunk)
        proc.stdin.close()
        assert proc.stdout is not None and proc.stderr is not None
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.wait()
        done = subprocess.CompletedProcess(timed, proc.returncode, out.decode(), err.decode())
    peak_kib, _ = done.stderr.strip().splitlines()[-1].split()
    return {
        "exit": done.returncode,
        "peak_rss_mib": round(int(peak_kib) / 1024),
        "seconds": round(time.monotonic() - start, 1),
        "summary": next((line for line in done.stderr.splitlines() if "input items" in line), ""),
    }


def memory(work: Path, args: argparse.Namespace) -> None:
    big = work / "big.jsonl.gz"
    if not big.exists():
        _big_rows(big, 160)
    versions = [("storyline", None)] + ([("baseline", args.baseline_src)] if args.baseline_src else [])
    for name, src in versions if "rows" in args.memory else []:
        db = work / f"big-{name}.db"
        figures = _measured(["run", str(big), "--db", str(db), "-q"], src)
        _say(
            "memory",
            {
                "what": "160 rows of 1 MB, .jsonl.gz",
                "version": name,
                "file_mb": round(big.stat().st_size / 1e6, 1),
                **figures,
            },
        )

    def gigabyte() -> object:
        first = (
            json.dumps({"id": "first", "text": "A short first line makes the stream JSONL."}) + "\n"
        ).encode()
        line = (json.dumps({"id": "x", "text": "word " * 1_200_000}) + "\n").encode()  # 6 MB: oversized
        return itertools.chain([first], (line for _ in range(1_000_000_000 // len(line))))

    for name, src in versions if "stdin" in args.memory else []:
        db = work / f"stdin-{name}.db"
        figures = _measured(["run", "-", "--db", str(db), "-q"], src, stdin=gigabyte)
        _say("memory", {"what": "1 GB of JSONL on a pipe to stdin", "version": name, **figures})


def soaks(work: Path, args: argparse.Namespace) -> None:
    from storyline.evaluate.service_faults import soak, soak_report

    news = work / "soak.jsonl"
    write_news(news, 300, seed=8)
    texts = [json.loads(line)["text"] for line in news.read_text(encoding="utf-8").splitlines()]
    result = soak(work / "soak.db", args.soak_seconds, texts)
    report = json.loads(soak_report(result, warmup=min(60.0, args.soak_seconds / 4)))
    _say(
        "soak",
        {
            **report,
            "rss_each_minute_mib": [round(kib / 1024, 1) for t, kib in result.rss[::60]],
        },
    )


SECTIONS: dict[str, Callable[[Path, argparse.Namespace], None]] = {
    "hostile": hostile,
    "kill-run": kill_runs,
    "kill-serve": kill_serves,
    "disk": disk,
    "locked": locked,
    "memory": memory,
    "soak": soaks,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=3000, help="articles in the kill-run corpus")
    parser.add_argument("--soak-seconds", type=float, default=600)
    parser.add_argument("--memory", nargs="+", choices=["rows", "stdin"], default=["rows", "stdin"])
    parser.add_argument("--baseline-src", help="an older Storyline's src folder, for the memory section")
    parser.add_argument("--work", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="storyline-reliability-"))
    work.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        SECTIONS[name](work, args)


if __name__ == "__main__":
    main()
