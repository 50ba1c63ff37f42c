"""The command line as a user meets it: output file, listings, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.cli import main


def test_run_writes_one_line_per_item(
    news_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (news_dir / "empty.txt").write_text("   \n", encoding="utf-8")
    (news_dir / "notes.pdf").write_bytes(b"%PDF-1.4")
    out, db = tmp_path / "out.jsonl", tmp_path / "s.db"
    assert main(["run", str(news_dir), "--db", str(db), "--out", str(out), "-q"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 6
    by_id = {r["id"]: r for r in records if r["status"] == "ok"}
    assert by_id["ferry"]["copy_group"] == by_id["ferry-repost"]["copy_group"]
    assert by_id["ferry"]["copy_group"] != by_id["ferry-other"]["copy_group"]
    for record in records:
        assert {"id", "status", "reason", "url", "site", "title", "published", "text", "copy_group"} <= set(
            record
        )
        assert (record["status"] == "rejected") == bool(record["reason"])
    assert "Home | News" not in by_id["ferry-repost"]["text"]
    summary = capsys.readouterr().err
    assert "6 input items: 4 new articles" in summary


def test_listing_show_and_explain(news_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["run", str(news_dir), "--db", db, "-q"]) == 0
    capsys.readouterr()
    assert main(["copies", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "2 copies" in listing and "ferry-repost" in listing
    assert main(["copies", "--db", db, "--json"]) == 0
    (group,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert group["members"] == ["ferry", "ferry-repost"] and group["canonical"] == "ferry"
    (link,) = group["links"]
    assert link["kind"] == "copy" and link["probability"] > 0.9 and link["passages"]
    assert main(["show", "ferry-repost", "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "removed as page chrome" in shown
    assert main(["explain", "ferry", "ferry-repost", "--db", db]) == 0
    explained = capsys.readouterr().out
    assert "COPIES" in explained and "evidence (as stored" in explained and "characters" in explained
    assert main(["explain", "ferry", "ferry-other", "--db", db]) == 0
    assert "NOT COPIES" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "/no/such/path"], "/no/such/path"),
        (["copies", "--db", "/no/such.db"], "no store at"),
        (["run", "{news}", "--column", "nonsense"], "FIELD=COLUMN"),
    ],
)
def test_user_errors_are_one_line(
    argv: list[str], message: str, news_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("{news}", str(news_dir)) for a in argv] + ["--db", str(tmp_path / "x.db")] * (
        argv[0] == "run"
    )
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_not_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite " * 100, encoding="utf-8")
    assert main(["copies", "--db", str(bogus)]) == 2
    assert "not a usable Storyline store" in capsys.readouterr().err


def test_stories_listing_and_story(
    news_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, out = str(tmp_path / "s.db"), tmp_path / "out.jsonl"
    assert main(["run", str(news_dir), "--db", db, "--out", str(out), "-q"]) == 0
    story = {r["id"]: r["story"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert story["ferry"] == story["ferry-repost"] == story["ferry-other"] != story["budget"]
    capsys.readouterr()
    assert main(["stories", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "3 articles, 2 copy groups" in listing and "1 article, 1 copy group" in listing
    assert main(["story", story["ferry"], "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "3 articles in 2 copy groups" in shown and "* ferry " in shown
    assert main(["story", "st-nope", "--db", db]) == 2
