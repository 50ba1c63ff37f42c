"""`storyline run --out FILE.parquet` and `storyline batch` with the local engine, as a user meets them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from storyline.batch import records
from storyline.batch.output import write_records
from storyline.cli import main

pq = pytest.importorskip("pyarrow.parquet", reason="Parquet output needs the parquet extra (pyarrow)")


def _as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row read back in the JSON shape: passage structs as 5-element lists."""
    reuses = [{**r, "passages": [list(p.values()) for p in r["passages"]]} for r in row["reuses"] or []]
    return {**row, "reuses": reuses}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_parquet_out_has_the_jsonl_columns_and_values(news_dir: Path, tmp_path: Path) -> None:
    (news_dir / "empty.txt").write_text("  \n", encoding="utf-8")
    jsonl, parquet = tmp_path / "out.jsonl", tmp_path / "out.parquet"
    assert main(["run", str(news_dir), "--db", str(tmp_path / "a.db"), "--out", str(jsonl), "-q"]) == 0
    assert main(["run", str(news_dir), "--db", str(tmp_path / "b.db"), "--out", str(parquet), "-q"]) == 0
    lines = _jsonl(jsonl)
    table = pq.read_table(parquet)
    assert table.column_names == list(lines[0])
    assert [_as_json(row) for row in table.to_pylist()] == lines
    assert table.schema.field("removed").type.value_type.names == ["text", "reason"]


def test_rows_read_in_chunks_name_no_copy_as_a_reuse(
    news_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are read from the store a chunk of items at a time; a copy in another chunk is still a
    member of the article's group, not a reuse."""
    whole, split = tmp_path / "whole.jsonl", tmp_path / "split.jsonl"
    assert main(["run", str(news_dir), "--db", str(tmp_path / "s.db"), "--out", str(whole), "-q"]) == 0
    monkeypatch.setattr(records, "_CHUNK", 1)
    assert main(["run", str(news_dir), "--db", str(tmp_path / "s.db"), "--out", str(split), "-q"]) == 0
    rows = _jsonl(split)
    assert [{**r, "new": True} for r in rows] == [{**r, "new": True} for r in _jsonl(whole)]
    group = {r["id"]: r["copy_group"] for r in rows}
    assert any(g is not None and list(group.values()).count(g) > 1 for g in group.values())  # a copy
    for row in rows:
        assert all(group[x["article"]] != row["copy_group"] for x in row["reuses"])


def test_nested_reuses_round_trip_as_structs(tmp_path: Path) -> None:
    reuse = {"article": "b", "kind": "reuse", "probability": 0.25, "passages": [[0, 10, 5, 15, True]]}
    record = {"id": "a", "source": "a.txt", "status": "ok", "reuses": [reuse], "removed": [], "new": True}
    write_records(tmp_path / "one.parquet", [record])
    (row,) = pq.read_table(tmp_path / "one.parquet").to_pylist()
    assert row["reuses"][0]["passages"] == [
        {"own_start": 0, "own_end": 10, "other_start": 5, "other_end": 15, "quoted": True}
    ]
    assert _as_json(row)["reuses"] == [reuse] and row["text"] is None


def _batch(tmp_path: Path, *inputs: str, name: str = "out") -> tuple[int, Path]:
    out = tmp_path / name
    return main(["batch", *inputs, "--out", str(out), "-q", "--workers", "1"]), out


def test_batch_writes_every_input_item_once(news_dir: Path, tmp_path: Path) -> None:
    code, out = _batch(tmp_path, str(news_dir))
    assert code == 0
    articles = pq.read_table(out / "articles").to_pylist()
    assert [r["id"] for r in articles] == [
        "budget",
        "ferry-other",
        "ferry-repost",
        "ferry",
    ]  # file names sorted
    assert all(r["status"] == "ok" and r["story"] for r in articles)
    group = {r["id"]: r["copy_group"] for r in articles}
    assert group["ferry"] == group["ferry-repost"] != group["ferry-other"]
    links = pq.read_table(out / "copy_links.parquet").to_pylist()
    copies = {(x["a"], x["b"]) for x in links if x["kind"] == "copy"}
    assert copies == {("ferry", "ferry-repost")}
    assert links[0]["passages"] and set(links[0]["passages"][0]) == {
        "a_start",
        "a_end",
        "b_start",
        "b_end",
        "quoted",
    }
    stories = pq.read_table(out / "stories.parquet").to_pylist()
    assert sorted(m for s in stories for m in s["members"]) == sorted(group)
    assert {s["id"] for s in stories} == {r["story"] for r in articles}
    assert all(s["first_published"] is None or s["first_published"] <= s["last_published"] for s in stories)

    again, _ = _batch(tmp_path, str(news_dir))  # the same command again: everything is already stored
    assert again == 0
    rerun = pq.read_table(out / "articles").to_pylist()
    assert [{**r, "new": True} for r in rerun] == articles


def test_globs_file_urls_and_bad_inputs(news_dir: Path, tmp_path: Path) -> None:
    (news_dir / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    url = (news_dir / "budget.txt").resolve().as_uri()
    code, out = _batch(
        tmp_path, str(news_dir / "ferry*.txt"), url, str(news_dir / "binary.txt"), "nowhere.txt", "none-*.txt"
    )
    assert code == 0
    rows = pq.read_table(out / "articles").to_pylist()
    assert [r["id"] for r in rows[:4]] == ["ferry-other", "ferry-repost", "ferry", "budget"]
    assert [r["status"] for r in rows] == ["ok"] * 4 + ["rejected"] * 3
    reasons = [r["reason"] for r in rows[4:]]
    assert "nowhere.txt" in reasons[1] and "none-*.txt" in reasons[2]
    assert all(reasons)


def test_fsspec_urls_are_staged_and_read(news_dir: Path, tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec", reason="fsspec URLs need fsspec")
    memory = fsspec.filesystem("memory")
    for name in ("ferry.txt", "ferry-repost.txt"):
        memory.pipe(f"/crawl/{name}", (news_dir / name).read_bytes())
    code, out = _batch(tmp_path, "memory://crawl/")
    assert code == 0
    rows = pq.read_table(out / "articles").to_pylist()
    assert [r["id"] for r in rows] == ["ferry-repost", "ferry"]
    assert rows[0]["copy_group"] == rows[1]["copy_group"]


def test_an_uninstalled_url_scheme_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _batch(tmp_path, "nosuchscheme://bucket/crawl/")
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install" in err


def test_engine_ray_without_ray_is_one_line(
    news_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails, as without the extra
    code = main(["batch", str(news_dir), "--out", str(tmp_path / "out"), "--engine", "ray", "-q"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'storyline[ray]'" in err
