"""Properties of every ingest parser and of the id and text normalisers, over generated hostile input.

For any bytes: a parser never raises, accounts for its input (a document is one item; a JSONL line is
one item), and every RawItem it makes has an id that passes the id rule and text that holds no
control characters or lone surrogates. These hold by construction of the readers (each one's own
errors become rejections), so no example can flake.
"""

from __future__ import annotations

import io
import json
import string
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.ingest import IngestConfig, iter_inputs
from storyline.ingest.decode import Decoded, decode_bytes, scrub
from storyline.ingest.ids import MAX_ID_CHARS, id_problem
from storyline.ingest.rows import row_to_item
from storyline.ingest.validate import check_item
from storyline.model import RawItem, Rejection

FIXTURE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
UNTEXT = {chr(c) for c in [*range(0, 9), 0x0B, *range(0x0E, 0x20), 0x7F]}
CONFIG = IngestConfig(max_bytes=4000)

_pieces = st.sampled_from(
    [b"id", b"text", b",", b'"', b"\n", b"\r\n", b"\x00", b"\xff", b"\xc3", "é".encode(), b"{", b"}", b":",
     b"[", b"]", b"\\u0000", b"\\ud800", b"a" * 50, b" ", b"\t", b"<html>", b"<p>", "\u202e".encode(),
     b"\xef\xbb\xbf", b"null", b"NaN", b"1e999"]
)  # fmt: skip
_bytes = st.one_of(st.binary(max_size=600), st.lists(_pieces, max_size=60).map(b"".join))


def _clean_item(item: RawItem) -> None:
    assert id_problem(item.id) is None, item.id
    for text in (item.content, item.title, item.url, item.site, item.published):
        if text is not None:
            assert not UNTEXT & set(text), repr(text)
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
            text.encode("utf-8")


def _read(path: Path) -> list[RawItem | Rejection]:
    items = list(iter_inputs([path], CONFIG))
    for item in items:
        if isinstance(item, RawItem):
            _clean_item(item)
        else:
            assert item.reason
    return items


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE)
@given(data=_bytes, suffix=st.sampled_from([".txt", ".html", ".txt.gz"]))
def test_a_document_of_any_bytes_is_one_item(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    assert len(_read(path)) == 1


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE)
@given(lines=st.lists(_bytes.filter(lambda b: b"\n" not in b and b"\r" not in b), max_size=8))
def test_every_jsonl_line_of_any_bytes_is_one_item(tmp_path: Path, lines: list[bytes]) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    assert len(_read(path)) == max(1, len(lines))


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE)
@given(body=_bytes)
def test_a_csv_of_any_bytes_never_raises(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"id,text,published\n" + body)
    assert len(_read(path)) >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE)
@given(data=_bytes, gz=st.booleans())
def test_a_warc_of_any_bytes_never_raises(tmp_path: Path, data: bytes, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    path.write_bytes(b"WARC/1.0\r\n" + data if not gz else data)
    assert len(_read(path)) >= 1


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE)
@given(payloads=st.lists(_bytes, min_size=1, max_size=4))
def test_every_warc_response_is_one_item(tmp_path: Path, payloads: list[bytes]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, payload in enumerate(payloads):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://example.com/{n}",
                "response",
                payload=io.BytesIO(payload),
                length=len(payload),
                http_headers=headers,
            )
            writer.write_record(record)
    assert len(_read(path)) == len(payloads)


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURE)
@given(
    ids=st.lists(
        st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none()), min_size=1, max_size=6
    ),
    texts=st.lists(
        st.one_of(st.text(max_size=80), st.binary(max_size=80), st.none()), min_size=6, max_size=6
    ),
)
def test_every_parquet_row_is_one_item(tmp_path: Path, ids: list[object], texts: list[object]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = len(ids)
    id_column = [str(i) if isinstance(i, str | int | float) else None for i in ids]
    text_column = [t if isinstance(t, str) else (t.decode("latin-1") if t else None) for t in texts[:rows]]
    table = pa.table({"id": id_column, "text": text_column})
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path)
    assert len(_read(path)) == rows


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_rows = st.dictionaries(
    st.sampled_from(["id", "text", "html", "url", "title", "published", "site", "extra"]), _json, max_size=7
)


@settings(max_examples=300, deadline=None)
@given(row=_rows)
def test_any_row_becomes_a_clean_item_or_a_rejection(row: dict[str, object]) -> None:
    item = row_to_item(row, fallback_id="rows:1", source="rows:1", config=CONFIG)
    if isinstance(item, RawItem):
        _clean_item(item)
        json.dumps(dict(item.extra))
    else:
        assert item.reason


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80), content=st.text(max_size=200))
def test_check_item_leaves_only_valid_ids_and_text(text: str, content: str) -> None:
    checked = check_item(RawItem(text, "s", content, "text", title=text, url=content))
    if isinstance(checked, RawItem):
        _clean_item(checked)
        assert checked.id == text  # an id is never changed, only accepted or refused
    else:
        assert checked.reason


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=MAX_ID_CHARS + 5))
def test_an_accepted_id_is_one_url_path_segment_and_survives_the_round_trip(item_id: str) -> None:
    from jinja2.filters import do_urlencode

    if id_problem(item_id) is not None:
        return
    assert 0 < len(item_id) <= MAX_ID_CHARS and item_id not in (".", "..")
    for encoded in (quote(item_id, safe=""), do_urlencode(item_id)):  # the API's clients, the UI's links
        assert "/" not in encoded and unquote(encoded) == item_id
        assert encoded not in (".", "..", "%2E", "%2e", "%2E%2E", "%2e%2e")


@pytest.mark.parametrize(
    "bad", ["", ".", "..", "a/b", "a\\b", "a\nb", "a\x00b", "\u202e", "\ud800", " x", "x" * 513]
)
def test_the_id_rule_names_what_is_wrong(bad: str) -> None:
    reason = id_problem(bad)
    assert reason is not None and reason.startswith("invalid id: ")


_EDGES = ["\t", "\n", "\x0c", "\r", "\ud800", "\udfff", "\u00e9", "\U0001f600"]
#: Text mixing controls, lone surrogates, wide characters and prose, which the fast check must tell apart.
_mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from([*sorted(UNTEXT), *_EDGES]),
        st.characters(),
    ),
    max_size=200,
)


@settings(max_examples=500, deadline=None)
@given(_mixed_text)
def test_scrub_is_idempotent_and_removes_exactly_the_untext(text: str) -> None:
    has_untext = any(c in UNTEXT or 0xD800 <= ord(c) <= 0xDFFF for c in text)
    clean, note = scrub(text)
    assert scrub(clean) == (clean, None)
    assert (note is None) == (clean == text)
    assert (note is not None) == has_untext
    assert [c for c in text if c not in UNTEXT and not 0xD800 <= ord(c) <= 0xDFFF] == list(clean)


@settings(max_examples=300, deadline=None)
@given(_bytes)
def test_decode_bytes_gives_text_or_a_reason(data: bytes) -> None:
    decoded = decode_bytes(data)
    if isinstance(decoded, Decoded):
        decoded.text.encode("utf-8")  # no lone surrogates
    else:
        assert decoded.startswith(("binary", "undecodable"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters + "äöüé ", max_size=40), st.integers(0x80, 0xFF), st.integers(0, 40)
)
def test_utf8_with_a_stray_byte_is_repaired_to_the_text_without_it(word: str, stray: int, at: int) -> None:
    # At a character boundary, a byte of 0x80-0xFF is one invalid sequence on its own (the byte after it
    # is ASCII or a lead byte, never its continuation), and "ü" stays a valid one: so the repair rule
    # (valid multi-byte characters at least as many as invalid sequences) applies by construction.
    text = "Zürich " + word
    cut = min(len(text), 7 + at)
    data = text[:cut].encode() + bytes([stray]) + text[cut:].encode()
    decoded = decode_bytes(data)
    assert isinstance(decoded, Decoded)
    assert (decoded.text, decoded.note, decoded.repair) == (
        text,
        None,
        "1 invalid UTF-8 byte sequence removed",
    )
