"""A corpus of hostile inputs, written by the project's own generators, for the reliability suite.

Each entry is a file (or a link) that once broke, or could break, a run: publication times at the
ends of the calendar, ids that no URL or shell can carry, bytes that are not text, a NUL in a CSV, a
link to itself, HTML nested 100,000 deep, a gzip bomb, truncated archives. Article texts come from the
noise generator's templates, so nothing is copied from a data set and the corpus is generated at test
time (nothing large is kept in the repository). `HostileFile.items` is how many ``--out`` lines the
entry must give (one per input item: a line of a JSONL or CSV file, a document, a link), so a test can
check that every input item is accounted for exactly once.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from storyline.evaluate._templates import footer_lines, header_lines, invented_paragraph

__all__ = ["HostileFile", "hostile_corpus", "write_corpus"]


@dataclass(frozen=True, slots=True)
class HostileFile:
    """One entry: `path` inside the corpus folder, its bytes (or the target of a symbolic link), how
    many input items it holds (None: not fixed, such as a truncated archive), and what it tries."""

    path: str
    data: bytes
    items: int | None
    why: str
    link: str | None = None


def _article(rng: random.Random, n: int) -> str:
    lead = f"Case {n}: officials counted {rng.randint(2, 9000)} reports from the coast on the {n}th day."
    body = [invented_paragraph(rng) for _ in range(4)]
    return "\n\n".join([f"Hostile input report number {n}", lead, *body])


def _escaped(text: str) -> str:
    """`text` as the inside of a JSON string."""
    return json.dumps(text)[1:-1]


def _raw(fields: str) -> str:
    """A JSON object line written by hand, for what `json.dumps` will not write (NaN, lone surrogate
    escapes)."""
    return "{" + fields + "}"


def _jsonl(rows: Iterable[str]) -> bytes:
    return "".join(row + "\n" for row in rows).encode("utf-8")


def _dates(rng: random.Random) -> HostileFile:
    issue = (
        '{"id":"p","text":"The vote is on December 30. Officials said flooding forced thousands of residents'
        ' to leave their homes.","published":"9999-12-15"}'
    )
    values = [
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:30-01:00", "0001-01-01", "-1", "", "2019-02-30",
        "Tuesday", "March 2019", "2019-04-25T13:44:47Z", "1556150400", "x" * 300,
    ]  # fmt: skip
    rows = [issue]
    rows += [
        json.dumps({"id": f"date-{i}", "text": _article(rng, 100 + i), "published": v})
        for i, v in enumerate(values)
    ]
    rows += [
        json.dumps({"id": "date-number", "text": _article(rng, 150), "published": 1e300}),
        _raw('"id": "date-nan", "text": "' + _escaped(_article(rng, 151)) + '", "published": NaN'),
        json.dumps({"id": "date-list", "text": _article(rng, 152), "published": [2019, 4, 25]}),
    ]
    return HostileFile("dates.jsonl", _jsonl(rows), len(rows), "publication times out of range or not dates")


def _ids(rng: random.Random) -> HostileFile:
    ids: list[object] = [
        "..", ".", "a\nb", "a/b", "a\\b", "\u202eevil", "x" * 600, "tab\there", "ok?#% id", "ünïcödé",
        12345, 1.0, True, None, "", ["list"], {"obj": 1},
    ]  # fmt: skip
    rows = [json.dumps({"id": v, "text": _article(rng, 200 + i)}) for i, v in enumerate(ids)]
    rows.append(_raw('"id": "\\ud800lone", "text": "' + _escaped(_article(rng, 299)) + '"'))
    return HostileFile("ids.jsonl", _jsonl(rows), len(rows), "ids no URL, shell or SQLite can carry")


def _texts(rng: random.Random) -> HostileFile:
    text = _escaped(_article(rng, 300))
    rows = [
        _raw('"id": "ctl", "text": "' + text + '\\u0000\\u001b[31m"'),
        '{"id": "ctl-only", "text": "\\u0000\\u0001\\u0002"}',
        _raw('"id": "sur", "title": "\\udc80 title", "text": "' + text + ' \\ud83d"'),
        _raw('"id": "html-nul", "html": "<html><body><p>' + text + '\\u0000</p></body></html>"'),
        json.dumps({"id": "not-text", "text": 5}),
        json.dumps({"id": "no-content", "title": "a title only"}),
        "[" * 100_000,
        '{"id": "broken", "text": ',
        "",
        json.dumps({"id": "crlf", "text": _article(rng, 301)}) + "\r",
        "\ufeff" + json.dumps({"id": "bom-mid", "text": _article(rng, 302)}),
        json.dumps({"id": "xss", "title": "<script>alert(1)</script>", "url": "javascript:alert(1)",
                    "text": _article(rng, 303) + "\n\n<img src=x onerror=alert(1)>"}),
    ]  # fmt: skip
    return HostileFile("texts.jsonl", _jsonl(rows), len(rows), "control characters, surrogates, bad JSON")


def _csv(rng: random.Random) -> HostileFile:
    def row(i: str, text: str) -> bytes:
        return f'{i},"{text}"\n'.encode()

    data = b"id,text,published\n" + b"\x00bad,hello\n" + row("csv-ok", _article(rng, 400).replace('"', "'"))
    data += row("csv-nul", "before\x00after " + _article(rng, 401)) + b"csv-many,a,b,c,d\n\n"
    data += row("csv-wrapped", "line one\nline two " + _article(rng, 402)) + b'csv-open,"never closed\n'
    return HostileFile("nul.csv", data, 7, "a NUL early in a CSV, ragged rows, an unclosed quote")


def _documents(rng: random.Random) -> list[HostileFile]:
    zurich = "Die Abstimmung in Z\u00fcr".encode() + b"\xff" + f"ich. {_article(rng, 500)}".encode()
    deep = "<html><head><title>Deep page</title></head><body>" + "<div>" * 100_000
    deep += (
        "".join(f"<p>{p}</p>" for p in _article(rng, 501).split("\n\n"))
        + "</div>" * 100_000
        + "</body></html>"
    )
    chrome = "\n".join([*header_lines(rng), _article(rng, 502), *footer_lines(rng)])
    return [
        HostileFile("zurich.txt", zurich, 1, "an invalid byte inside UTF-8 text"),
        HostileFile("deep.html", deep.encode(), 1, "HTML nested 100,000 deep"),
        HostileFile("binary.txt", bytes(rng.randrange(256) for _ in range(4096)), 1, "random bytes"),
        HostileFile("empty.txt", b"", 1, "no bytes"),
        HostileFile("blank.txt", b" \n\t\n", 1, "whitespace only"),
        HostileFile("utf16.txt", _article(rng, 503).encode("utf-16"), 1, "UTF-16 with a byte-order mark"),
        HostileFile("chrome.txt", chrome.encode(), 1, "an article inside a site's chrome"),
        HostileFile("weird\nname.txt", _article(rng, 504).encode(), 1, "a newline in a file name (the id)"),
        HostileFile("..txt", _article(rng, 505).encode(), 0, "a hidden file (skipped, counted), id '.'"),
        HostileFile("doc.pdf", b"%PDF-1.4 not supported", 1, "an unsupported file type"),
    ]


def _archives(rng: random.Random) -> list[HostileFile]:
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", mtime=0) as out:  # no time stamp: same bytes every run
        out.write(b'{"id": "bomb", "text": "')
        for _ in range(20):
            out.write(b"a" * (1 << 20))
        out.write(b'"}\n')
    good = gzip.compress(
        _jsonl(json.dumps({"id": f"gz-{i}", "text": _article(rng, 600 + i)}) for i in range(5)), mtime=0
    )
    return [
        HostileFile("bomb.jsonl.gz", bomb.getvalue(), 1, "a gzip bomb: 20 MB in one line"),
        HostileFile("truncated.jsonl.gz", good[: len(good) * 2 // 3], None, "a gzip cut short"),
        HostileFile("garbage.jsonl.gz", b"\x1f\x8b" + bytes(range(200)), None, "gzip magic, then nonsense"),
    ]


def _links() -> list[HostileFile]:
    return [
        HostileFile("loop.txt", b"", 1, "a symbolic link to itself", link="loop.txt"),
        HostileFile("sub/up", b"", 0, "a link to the folder above (walked once)", link=".."),
        HostileFile("dangling.txt", b"", 1, "a link to nothing", link="missing.txt"),
    ]


def hostile_corpus(seed: int = 0) -> list[HostileFile]:
    """Every entry of the corpus; the same `seed` gives the same bytes."""
    rng = random.Random(seed)
    return [_dates(rng), _ids(rng), _texts(rng), _csv(rng), *_documents(rng), *_archives(rng), *_links()]


def write_corpus(folder: Path, seed: int = 0) -> list[HostileFile]:
    """Write the corpus under `folder` (created) and return its entries."""
    entries = hostile_corpus(seed)
    for entry in entries:
        path = folder / entry.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.link is not None:
            os.symlink(entry.link, path)
        else:
            path.write_bytes(entry.data)
    return entries
