"""iter_inputs as a whole: path checks, folder walking, stdin, config, stats, and robustness."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_helpers import PAGE, only, read_all, reasons

import storyline.ingest
from storyline.ingest import IngestConfig, IngestError, IngestStats, iter_inputs, parse_columns
from storyline.model import RawItem, Rejection


def test_public_api_is_explicit() -> None:
    assert sorted(storyline.ingest.__all__) == sorted(
        ["FIELDS", "STDIN", "SUPPORTED_SUFFIXES", "IngestConfig", "IngestError", "IngestStats", "iter_inputs",
         "parse_columns"]
    )  # fmt: skip
    for name in storyline.ingest.__all__:
        assert hasattr(storyline.ingest, name)


def test_missing_paths_raise_before_anything_is_read(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("x", encoding="utf-8")
    with pytest.raises(IngestError, match=r"input not found: .*nope\.jsonl"):
        iter_inputs([good, tmp_path / "nope.jsonl"])  # raised at call time, not on iteration
    with pytest.raises(IngestError, match="no input given"):
        iter_inputs([])
    with pytest.raises(IngestError, match="only once"):
        iter_inputs(["-", "-"])


def test_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "c.html").write_bytes(PAGE)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("vcs", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    stats = IngestStats()
    items = read_all([tmp_path], stats=stats)
    assert [i.id for i in items] == ["a", "2", "c", "report"]
    assert reasons(items) == [
        "unsupported file type: '.pdf' is not a supported input; supported: .txt, .html, .htm, .jsonl, "
        ".ndjson, .csv, .parquet, .warc (+ .gz but .parquet)"
    ]
    assert (stats.files, stats.items, stats.rejected) == (3, 3, 1)
    assert stats.skipped == {"hidden file or folder": 2}
    everything = read_all([tmp_path], IngestConfig(include_hidden=True))
    assert [i.id for i in everything] == [".DS_Store", "x", "a", "2", "c", "report"]


def test_explicit_hidden_file_and_file_without_extension(tmp_path: Path) -> None:
    hidden = tmp_path / ".notes.txt"
    hidden.write_text("kept", encoding="utf-8")
    bare = tmp_path / "README"
    bare.write_text("x", encoding="utf-8")
    items = read_all([hidden, bare])
    assert isinstance(items[0], RawItem) and items[0].id == ".notes"
    assert isinstance(items[1], Rejection) and "a file without an extension" in items[1].reason


def test_paths_are_read_in_the_order_given(tmp_path: Path) -> None:
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    assert [i.id for i in read_all([tmp_path / "y.txt", tmp_path / "x.txt"])] == ["y", "x"]


def test_broken_symlink_is_rejected(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    assert reasons(read_all([tmp_path])) == ["not a regular file (device, pipe or broken link)"]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [i.id for i in read_all([tmp_path])] == ["a"]


def test_stdin_jsonl(tmp_path: Path) -> None:
    lines = [json.dumps({"id": 1, "text": "one"}), "", "not json", json.dumps({"text": "four"})]
    stream = io.BytesIO("\n".join(lines).encode())
    items = read_all(["-"], stdin=stream)
    assert [(i.id, i.source) for i in items] == [
        ("1", "<stdin>:1"), (None, "<stdin>:2"), (None, "<stdin>:3"), ("stdin:4", "<stdin>:4"),
    ]  # fmt: skip


def test_stdin_leading_blank_lines_then_jsonl() -> None:
    items = read_all(["-"], stdin=io.BytesIO(b"\n\n" + json.dumps({"id": "z", "text": "t"}).encode() + b"\n"))
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection", "RawItem"]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(b"Just a page of text.\n{not json}\n", "text"), (b"  <!DOCTYPE html><html><p>x</p></html>", "html")],
)
def test_stdin_document(data: bytes, fmt: str) -> None:
    item = only(read_all(["-"], stdin=io.BytesIO(data)))
    assert item == RawItem("stdin", "<stdin>", data.decode(), fmt)  # type: ignore[arg-type]


def test_stdin_empty_and_oversized() -> None:
    assert only(read_all(["-"], stdin=io.BytesIO(b""))) == Rejection(
        "stdin", "<stdin>", "empty (no bytes)", "empty"
    )
    big = only(read_all(["-"], IngestConfig(max_bytes=10), stdin=io.BytesIO(b"x" * 50)))
    assert big == Rejection("stdin", "<stdin>", "oversized (more bytes > limit 10)", "oversized")


def test_parse_columns() -> None:
    assert parse_columns(["text=body", " id = doc_id "]) == {"text": "body", "id": "doc_id"}
    assert parse_columns([]) == {}
    for bad, message in [
        (["text"], "expected FIELD=COLUMN"),
        (["text="], "expected FIELD=COLUMN"),
        (["=body"], "expected FIELD=COLUMN"),
        (["body=text"], "unknown field 'body'"),
        (["text=a", "text=b"], "mapped twice"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_columns(bad)


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        IngestConfig(columns={"bogus": "x"})
    with pytest.raises(ValueError, match="max_bytes"):
        IngestConfig(max_bytes=0)


def test_an_unexpected_error_in_one_file_does_not_stop_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def explode(path: Path, **kwargs: object) -> Iterator[RawItem]:
        yield RawItem("first", f"{path}:1", "ok", "text")
        raise RuntimeError("boom")

    monkeypatch.setattr("storyline.ingest.reader.csv_items", explode)
    (tmp_path / "a.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("fine", encoding="utf-8")
    items = read_all([tmp_path])
    assert [type(i).__name__ for i in items] == ["RawItem", "Rejection", "RawItem"]
    assert reasons(items) == ["unexpected error reading file (after 1 items): RuntimeError: boom"]


def test_jsonl_unreadable_is_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "locked.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "x"}\n'))

    def deny(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("gzip.open", deny)
    assert reasons(read_all([path])) == ["unreadable file (after 0 items): Permission denied"]


def test_seed_folder_when_available(shared_data: Path) -> None:
    items = read_all([shared_data / "seeds"])
    assert [i.id for i in items] == [
        "000_a4b373a4c859e7dc", "001_ad5dbbccd4509712", "002_e0efc4075075a759", "003_077c9179bdec90f8",
    ]  # fmt: skip
    assert all(isinstance(i, RawItem) and i.format == "text" for i in items)


def test_unreadable_folder_is_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def deny(path: str | Path) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("storyline.ingest.reader.os.scandir", deny)
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    items = read_all([tmp_path])
    assert items[1] == Rejection(None, str(locked), "unreadable folder: Permission denied", "unreadable")
