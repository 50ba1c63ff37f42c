"""JSON Lines: fields, ids, extra, column mapping, every per-line rejection, and accounting."""

from __future__ import annotations

import gzip
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import only, read_all, reasons

from storyline.ingest import IngestConfig
from storyline.model import RawItem, Rejection


def _write(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def test_object_fields_become_item_fields_and_the_rest_extra(tmp_path: Path) -> None:
    row = {"id": 7, "text": "Body", "url": "https://x.org/a", "title": "T", "published": "2019-04-25",
           "site": "x.org", "category": "world", "tags": ["a"]}  # fmt: skip
    path = _write(tmp_path / "news.jsonl", [json.dumps(row)])
    item = only(read_all([path]))
    assert item == RawItem(
        id="7", source=f"{path}:1", content="Body", format="text", url="https://x.org/a", title="T",
        published="2019-04-25", site="x.org", extra={"category": "world", "tags": ["a"]},
    )  # fmt: skip


def test_html_wins_over_text_which_is_kept_in_extra(tmp_path: Path) -> None:
    path = _write(tmp_path / "n.jsonl", [json.dumps({"id": "a", "html": "<p>x</p>", "text": "x"})])
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert (item.format, item.content, item.extra) == ("html", "<p>x</p>", {"text": "x"})


def test_rows_without_id_get_stem_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "feed.jsonl.gz", ['{"text": "a"}', '{"text": "b", "id": ""}', '{"text": "c", "id": null}']
    )
    assert [i.id for i in read_all([path])] == ["feed:1", "feed:2", "feed:3"]
    assert [i.source for i in read_all([path])] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_column_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "m.jsonl", [json.dumps({"doc": "d1", "body": "Text", "link": "u", "text": "other"})]
    )
    config = IngestConfig(columns={"id": "doc", "text": "body", "url": "link"})
    item = only(read_all([path], config))
    assert isinstance(item, RawItem)
    assert (item.id, item.content, item.url, item.extra) == ("d1", "Text", "u", {"text": "other"})


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "empty (blank line)"),
        ("   ", "empty (blank line)"),
        ('{"id": 1, "text": ', "invalid JSON on line 1: Expecting value (column 19)"),
        ("[1, 2]", "JSON on line 1 is not an object (got an array)"),
        ('"just a string"', "JSON on line 1 is not an object (got a string)"),
        ("42", "JSON on line 1 is not an object (got a number)"),
        (
            '{"id": 1, "title": "no body"}',
            "missing 'text' or 'html' field (fields present: id, title; map one with e.g. text=COLUMN)",
        ),
        ('{"id": 1, "text": "  \\n "}', "empty (whitespace only) 'text'"),
        ('{"id": 1, "text": 5}', "field 'text' is not text (got int)"),
        ('{"id": 1, "text": "\\u0000\\u0001\\u0002\\u0003"}', "empty (only control characters) 'text'"),
        ('{"id": 1, "text": "Text\\u0000 with a NUL"}', None),
    ],
)
def test_bad_lines_are_rejected_with_a_reason(tmp_path: Path, line: str, reason: str | None) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    item = only(read_all([path]))
    if reason is None:  # a control character inside a JSON string is removed with a note, not binary
        assert isinstance(item, RawItem)
        assert item.content == "Text with a NUL"
        assert item.notes == ("1 control character or lone surrogate removed",)
    else:
        assert isinstance(item, Rejection)
        assert item.reason == reason
        assert item.source == f"{path}:1"


def test_oversized_line_is_rejected_and_reading_continues(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "text": "x" * 500})
    path = _write(tmp_path / "s.jsonl", ['{"id": "a", "text": "ok"}', big, '{"id": "c", "text": "ok"}'])
    items = read_all([path], IngestConfig(max_bytes=100))
    assert [type(i).__name__ for i in items] == ["RawItem", "Rejection", "RawItem"]
    assert reasons(items) == [f"oversized ({len(big)} bytes > limit 100)"]


def test_undecodable_line_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9 cr\xe8me"}\n\x00\x01\n')
    items = read_all([path])
    assert isinstance(items[0], RawItem)
    assert (
        isinstance(items[1], RawItem) and items[1].content == "café crème" and "decoded_as" in items[1].extra
    )
    assert items[2] == Rejection(None, f"{path}:3", "binary (contains NUL bytes) on line 3", "undecodable")


def test_corrupt_gzip_keeps_lines_read_before_the_damage(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(n), "text": f"article {n} " * 50}) for n in range(400)]
    data = gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=1)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read_all([path])
    assert isinstance(items[-1], Rejection) and items[-1].reason.startswith("corrupt gzip (after ")
    kept = [i for i in items if isinstance(i, RawItem)]
    assert 0 < len(kept) < 400
    assert [i.id for i in kept] == [str(n) for n in range(len(kept))]


_field = st.text(string.ascii_letters + " é\u201c", max_size=8)
_objects = st.fixed_dictionaries(
    {},
    optional={"id": st.one_of(st.integers(), _field, st.none()), "text": _field, "html": _field, "x": _field},
).map(json.dumps)
_junk = st.text(max_size=12).filter(lambda s: "\n" not in s and "\r" not in s)
_line = st.one_of(_objects, _junk, st.just(""), st.just("[]"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=12))
def test_every_line_yields_exactly_one_item_or_rejection(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "gen.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    items = read_all([path])
    if not lines:
        assert reasons(items) == ["empty (no items in file)"]
        return
    assert [i.source for i in items] == [f"{path}:{n}" for n in range(1, len(lines) + 1)]
