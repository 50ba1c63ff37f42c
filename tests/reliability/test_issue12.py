"""Every case of issue 12, as a user meets it: the run finishes, every input item appears once in --out
with ok or a reason, and the store stays usable for later runs and passes its integrity check."""

from __future__ import annotations

import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fixtures_news import BUDGET, FERRY, FERRY_OTHER
from storyline.cli import BUSY, main
from storyline.evaluate.faults import hold_sqlite_lock, hold_writer_lock, out_lines, store_problems
from storyline.model import RawItem
from storyline.pipeline import run
from storyline.pipeline.run import _batched
from storyline.store import Store

POISON = (
    '{"id":"p","text":"The vote is on December 30. Officials said flooding forced thousands of residents to'
    ' leave their homes.","published":"9999-12-15"}'
)


def _run(tmp_path: Path, *paths: Path | str, extra: tuple[str, ...] = ()) -> list[dict[str, object]]:
    out, db = tmp_path / "out.jsonl", tmp_path / "s.db"
    assert main(["run", *map(str, paths), "--db", str(db), "--out", str(out), "-q", *extra]) == 0
    assert store_problems(db) == []
    return out_lines(out)


def _jsonl(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_time_in_year_9999_is_refused_and_the_store_keeps_working(tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "p.jsonl", [POISON])
    (record,) = _run(tmp_path, first)
    assert record["status"] == "ok" and record["published"] is None
    assert record["notes"] == [
        "published '9999-12-15' from the input ignored: after the time of the run"
        f" ({time.strftime('%Y-%m-%d', time.gmtime())})"
    ]
    later = _jsonl(tmp_path / "later.jsonl", [json.dumps({"id": "ferry", "text": FERRY})])
    assert [r["status"] for r in _run(tmp_path, later)] == ["ok"]
    assert main(["stories", "--db", str(tmp_path / "s.db")]) == 0


@pytest.mark.parametrize(
    "published", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30-01:00", "0001-01-01", "-1", "Tuesday"]
)
def test_calendar_edges_and_non_dates_never_abort_the_run(tmp_path: Path, published: str) -> None:
    rows = [
        json.dumps({"id": "bad", "text": FERRY_OTHER, "published": published}),
        json.dumps({"id": "good", "text": BUDGET, "published": "2023-03-08T20:00:00Z"}),
    ]
    records = _run(tmp_path, _jsonl(tmp_path / "d.jsonl", rows))
    assert [(r["id"], r["status"]) for r in records] == [("bad", "ok"), ("good", "ok")]
    assert records[0]["published"] is None and records[0]["notes"]  # "-1" no longer becomes today
    assert records[1]["published"] == "2023-03-08T20:00:00+00:00"
    assert records[1]["published_source"] == "input"


def test_a_store_poisoned_by_an_older_version_still_runs(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _run(tmp_path, _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "p", "text": FERRY})]))
    with sqlite3.connect(db) as con:  # as Storyline stored it before publication times were checked
        con.execute("UPDATE articles SET published = '9999-12-15T00:00:00' WHERE id = 'p'")
    assert store_problems(db) == ["article 'p' has an implausible publication time '9999-12-15T00:00:00'"]
    more = _jsonl(tmp_path / "b.jsonl", [json.dumps({"id": "q", "text": FERRY_OTHER})])
    assert main(["run", str(more), "--db", str(db), "-q"]) == 0
    assert main(["reclean", "--db", str(db)]) == 0


def test_a_symbolic_link_to_itself_is_one_rejection(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    os.symlink("loop.txt", folder / "loop.txt")
    records = {r["source"]: r for r in _run(tmp_path, folder)}
    assert records[str(folder / "loop.txt")]["reason"] == "unreadable: a loop of symbolic links"
    assert records[str(folder / "ferry.txt")]["status"] == "ok"


def test_a_nul_byte_in_a_csv_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    text = FERRY.replace('"', "'")
    path.write_bytes(
        b'id,text\n\x00bad,hello\nok1,"' + text.encode() + b'"\nnul,"a\x00' + text.encode() + b'"\n'
    )
    records = _run(tmp_path, path)
    assert [r["status"] for r in records] == ["rejected", "ok", "ok"]
    assert str(records[0]["reason"]).startswith("invalid id: '\\x00bad' contains a control character")
    assert records[2]["notes"] == ["1 control character or lone surrogate removed"]


def test_an_invalid_byte_in_utf8_text_is_removed_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "z.txt"
    path.write_bytes("The vote in Zür".encode() + b"\xff" + f"ich is on Monday. {FERRY}".encode())
    (record,) = _run(tmp_path, path)
    assert "Zürich" in str(record["text"]) and "ÿ" not in str(record["text"])
    assert record["notes"] == ["1 invalid UTF-8 byte sequence removed"]


@pytest.mark.parametrize("bad", ["..", ".", "a\nb", "a/b", "a\\b", "\u202eevil", "x" * 513, "line\u2028sep"])
def test_ids_that_no_link_or_shell_can_carry_are_rejected_by_one_rule(tmp_path: Path, bad: str) -> None:
    rows = [json.dumps({"id": bad, "text": FERRY}), json.dumps({"id": "fine id?#%", "text": BUDGET})]
    records = _run(tmp_path, _jsonl(tmp_path / "ids.jsonl", rows))
    assert records[0]["status"] == "rejected" and str(records[0]["reason"]).startswith("invalid id: ")
    assert records[1]["status"] == "ok" and records[1]["id"] == "fine id?#%"


def test_html_nested_100000_deep_keeps_its_text(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in FERRY.split("\n\n")[1:])
    page = "<html><head><title>Ferry</title></head><body>" + "<div>" * 100_000 + body
    path = tmp_path / "deep.html"
    path.write_text(page + "</div>" * 100_000 + "</body></html>", encoding="utf-8")
    (record,) = _run(tmp_path, path)
    assert record["status"] == "ok" and "212 passengers" in str(record["text"])


def test_batches_are_cut_by_size_as_well_as_count() -> None:
    items = [RawItem(f"i{n}", "s", "x" * 400, "text") for n in range(10)]
    sizes = [len(b) for b in _batched(items, size=1000, max_chars=1000)]
    assert sizes == [2, 2, 2, 2, 2]
    assert [len(b) for b in _batched([RawItem("big", "s", "x" * 5000, "text")], 1000, 1000)] == [1]


def test_stdin_that_cannot_seek_is_spooled_not_read_whole(tmp_path: Path) -> None:
    read, write = os.pipe()
    rows = "".join(json.dumps({"id": f"s{n}", "text": t}) + "\n" for n, t in enumerate((FERRY, BUDGET)))
    os.write(write, rows.encode())
    os.close(write)
    with open(read, "rb") as pipe, Store(tmp_path / "s.db") as store:
        assert not pipe.seekable()
        outcomes = list(run(["-"], store, stdin=pipe))
    assert [(o.id, o.status) for o in outcomes] == [("s0", "ok"), ("s1", "ok")]


def test_run_over_stdin_bytes_still_works(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        outcomes = list(run(["-"], store, stdin=FERRY.encode()))
    assert [o.status for o in outcomes] == ["ok"]


def test_cleaning_happens_before_the_write_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a batch is cleaned, another program can still write the store."""
    pipeline_run = importlib.import_module("storyline.pipeline.run")

    db = tmp_path / "s.db"
    seen: list[bool] = []
    clean = pipeline_run.clean_step

    def probe(*args: Any) -> Any:
        with sqlite3.connect(db, timeout=0.1) as con:  # would fail with "database is locked" inside one
            con.execute("CREATE TABLE IF NOT EXISTS probe (x)")
            seen.append(True)
        return clean(*args)

    monkeypatch.setattr(pipeline_run, "clean_step", probe)
    with Store(db) as store:
        assert [
            o.status
            for o in run([_jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "a", "text": FERRY})])], store)
        ] == ["ok"]
    assert seen == [True]


def _storyline(*args: str, wait: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline.cli", *args], capture_output=True, text=True, timeout=wait
    )


def test_a_second_writer_fails_with_one_line_or_waits(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    news = _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "a", "text": FERRY})])
    with hold_writer_lock(db) as holder:
        busy = _storyline("run", str(news), "--db", str(db), "--wait", "0", "-q")
        assert busy.returncode == BUSY
        (line,) = busy.stderr.strip().splitlines()
        assert line.startswith(f"storyline: store {db} is being written by pid {holder.pid} (storyline test")
        waiting = subprocess.Popen(
            [sys.executable, "-m", "storyline.cli", "run", str(news), "--db", str(db), "-q"],
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting for the holder
    _, stderr = waiting.communicate(timeout=60)
    assert waiting.returncode == 0
    assert "waiting for it (up to 600 s)" in stderr
    assert store_problems(db) == []


def test_a_store_locked_by_another_program_is_waited_for(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    news = _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "a", "text": FERRY})])
    assert main(["run", str(news), "--db", str(db), "-q"]) == 0
    more = _jsonl(tmp_path / "b.jsonl", [json.dumps({"id": "b", "text": BUDGET})])
    with hold_sqlite_lock(db, seconds=2):
        done = _storyline("run", str(more), "--db", str(db), "-q")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert store_problems(db) == []


def test_a_full_disk_ends_in_one_line(tmp_path: Path) -> None:
    from storyline.evaluate.faults import cli, write_news

    news = tmp_path / "news.jsonl"
    write_news(news, 200)
    args = ["run", str(news), "--db", str(tmp_path / "s.db"), "--batch-size", "40", "-q"]
    failed = cli(args, fsize=1_000_000)  # a file-size limit fails writes as a full disk does
    assert failed.returncode == 1
    (line,) = failed.stderr.strip().splitlines()[-1:]
    assert "Traceback" not in failed.stderr and "run the same command again" in line
    assert store_problems(tmp_path / "s.db", complete=False) == []
    assert cli(args).returncode == 0
    assert store_problems(tmp_path / "s.db") == []


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(tmp_path, _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "a", "text": FERRY})]))
    capsys.readouterr()
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 0
    assert "is whole: 1 article" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "s.db") as con:
        con.execute("DELETE FROM articles")
    assert main(["check", "--db", str(tmp_path / "s.db")]) == 1
    assert "copy group member of a missing article: 'a'" in capsys.readouterr().err


def test_show_says_where_the_time_came_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = json.dumps({"id": "a", "text": FERRY, "published": "2023-03-13T09:00:00Z"})
    _run(tmp_path, _jsonl(tmp_path / "a.jsonl", [row]))
    capsys.readouterr()
    assert main(["show", "a", "--db", str(tmp_path / "s.db")]) == 0
    assert "published: 2023-03-13T09:00:00+00:00 (from the input)" in capsys.readouterr().out


def test_stdin_bytes_argument_accepts_streams(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        outcomes = list(run(["-"], store, stdin=io.BytesIO(BUDGET.encode())))
    assert [o.status for o in outcomes] == ["ok"]


def test_show_names_the_id_rule_for_an_id_that_cannot_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(tmp_path, _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "a", "text": FERRY})]))
    capsys.readouterr()
    assert main(["show", "../a", "--db", str(tmp_path / "s.db")]) == 2
    assert "invalid id: '../a' contains '/' or '\\'" in capsys.readouterr().err
