"""Whole-file inputs: .txt, .html, their .gz, and every reason a document is rejected."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from ingest_helpers import PAGE, only, read_all

from storyline.ingest import IngestConfig
from storyline.model import RawItem, Rejection


def test_txt_file_is_one_text_item_named_by_its_stem(tmp_path: Path) -> None:
    path = tmp_path / "000_a4b373a4c859e7dc.txt"
    path.write_text("The ferry sank.\n", encoding="utf-8")
    item = only(read_all([path]))
    assert item == RawItem(
        id="000_a4b373a4c859e7dc", source=str(path), content="The ferry sank.\n", format="text"
    )


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.HTML", "page.html.gz", "page.htm.gz"])
def test_html_files_and_their_gz_are_html_items(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(PAGE) if name.endswith(".gz") else PAGE)
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert (item.id, item.format, item.content) == ("page", "html", PAGE.decode())


def test_txt_gz_is_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "a.b.txt.gz"
    path.write_bytes(gzip.compress(b"Hello news"))
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert (item.id, item.content, item.format) == ("a.b", "Hello news", "text")


@pytest.mark.parametrize(
    ("data", "reason", "kind"),
    [
        (b"", "empty (no bytes)", "empty"),
        (b" \n\t\r\n ", "empty (whitespace only)", "empty"),
        (b"\xef\xbb\xbf  \n", "empty (whitespace only)", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary (contains NUL bytes)", "undecodable"),
        (bytes(range(1, 32)) * 20, "binary (not text: too many control characters)", "undecodable"),
        (
            b"\xff\xfe\x00\xd8",
            "undecodable: starts with a utf-16 byte-order mark but is not valid utf-16",
            "undecodable",
        ),
    ],
)
def test_rejected_documents_say_why(tmp_path: Path, data: bytes, reason: str, kind: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    assert only(read_all([path])) == Rejection("doc", str(path), reason, kind)


def test_oversized_document_names_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 30)
    item = only(read_all([path], IngestConfig(max_bytes=100)))
    assert item == Rejection("big", str(path), "oversized (150 bytes > limit 100)", "oversized")


def test_oversized_gz_document_is_not_decompressed_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 10_000))
    item = only(read_all([path], IngestConfig(max_bytes=100)))
    assert isinstance(item, Rejection)
    assert item.reason == "oversized (more bytes > limit 100)"


def test_utf8_bom_is_dropped_and_utf16_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9")
    (tmp_path / "b.txt").write_bytes("Café society".encode("utf-16"))
    first, second = read_all([tmp_path])
    assert isinstance(first, RawItem) and isinstance(second, RawItem)
    assert (first.content, first.extra) == ("Café", {})
    assert (second.content, second.extra) == ("Café society", {"decoded_as": "utf-16"})


@pytest.mark.parametrize(
    ("sentence", "encoding"),
    [
        ("Der Bürgermeister sagte: \u201eWir müssen handeln\u201c \u2013 über Brücken. ", "cp1252"),
        ("Президент заявил, что экономика страны в хорошем состоянии, несмотря на кризис. ", "cp1251"),
    ],
)
def test_long_non_utf8_text_is_guessed_and_the_decoding_recorded(
    tmp_path: Path, sentence: str, encoding: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes((sentence * 6).encode(encoding))
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert item.content == sentence * 6
    assert str(item.extra["decoded_as"]).endswith("(guessed)")


def test_declared_html_charset_is_used(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-7"></head><body>Αθήνα</body></html>'
    path = tmp_path / "gr.html"
    path.write_bytes(page.encode("iso-8859-7"))
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert item.content == page
    assert item.extra == {"decoded_as": "iso-8859-7 (declared)"}


def test_cp1252_is_the_last_resort(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("storyline.ingest.decode._guess", lambda data: None)
    path = tmp_path / "old.txt"
    path.write_bytes("“Smart quotes” cost €5".encode("cp1252"))
    item = only(read_all([path]))
    assert isinstance(item, RawItem)
    assert (item.content, item.extra) == ("“Smart quotes” cost €5", {"decoded_as": "cp1252"})


def test_undecodable_when_nothing_fits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("storyline.ingest.decode._guess", lambda data: None)
    path = tmp_path / "odd.txt"
    path.write_bytes(b"abc \x81\x8d\x8f\x90\x9d def")  # bytes cp1252 leaves undefined
    item = only(read_all([path]))
    assert isinstance(item, Rejection)
    assert item.reason.startswith("undecodable")


def test_corrupt_gzip_document_is_rejected(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.html.gz"
    truncated.write_bytes(gzip.compress(PAGE * 50)[:60])
    not_gzip = tmp_path / "fake.txt.gz"
    not_gzip.write_bytes(b"plain text pretending")
    items = read_all([truncated, not_gzip])
    assert [type(i) for i in items] == [Rejection, Rejection]
    assert all(isinstance(i, Rejection) and i.reason.startswith("corrupt gzip") for i in items)


def test_unreadable_file_is_rejected(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hidden", encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    assert only(read_all([path])) == Rejection(
        "secret", str(path), "unreadable file: Permission denied", "unreadable"
    )
