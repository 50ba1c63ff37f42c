"""Expand the user's paths into input files and route each file to the reader for its format.

Decisions that shape what a user sees:

- paths are read in the order given; a folder is walked recursively in sorted name order (files and
  sub-folders interleaved by name), so two runs over the same tree yield the same sequence;
- hidden entries (name starting with ``.``) inside folders are skipped and counted unless
  ``IngestConfig.include_hidden``; unsupported files inside folders are rejected, not ignored, so a
  ``.pdf`` in the pile is visible;
- a file that yields nothing at all (zero-byte JSONL, header-only CSV, WARC without pages) gets one
  Rejection ``empty (no items in file)``, so no named input vanishes without a trace;
- any unexpected exception while reading one file becomes a Rejection for that file: one bad file
  never stops a run over a million.
"""

from __future__ import annotations

import errno
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from storyline.ingest.config import IngestConfig, IngestError, IngestStats, summarise_error
from storyline.ingest.csvfile import csv_items
from storyline.ingest.documents import read_document, stdin_items
from storyline.ingest.jsonl import bounded_lines, jsonl_items
from storyline.ingest.parquet import parquet_items
from storyline.ingest.warc import warc_items
from storyline.model import RawItem, Rejection, RejectionKind

__all__ = ["STDIN", "SUPPORTED_SUFFIXES", "iter_inputs"]

STDIN = "-"
Item = RawItem | Rejection
_Reader = Callable[[Path, str, IngestConfig, IngestStats], Iterator[Item]]


def _document(fmt: str) -> _Reader:
    def read(path: Path, stem: str, config: IngestConfig, stats: IngestStats) -> Iterator[Item]:
        yield read_document(path, item_id=stem, fmt="html" if fmt == "html" else "text", config=config)

    return read


def _jsonl(path: Path, stem: str, config: IngestConfig, stats: IngestStats) -> Iterator[Item]:
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as stream:
        lines = bounded_lines(stream, config.max_bytes)
        yield from jsonl_items(lines, name=str(path), stem=stem, config=config)


_READERS: dict[str, _Reader] = {
    ".txt": _document("text"),
    ".html": _document("html"),
    ".htm": _document("html"),
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
    ".csv": lambda path, stem, config, stats: csv_items(path, stem=stem, config=config),
    ".parquet": lambda path, stem, config, stats: parquet_items(path, stem=stem, config=config),
    ".warc": lambda path, stem, config, stats: warc_items(path, stem=stem, config=config, stats=stats),
}
#: Every file name ending read, longest first so ``.jsonl.gz`` wins over ``.gz``.
SUPPORTED_SUFFIXES = tuple(
    sorted([*_READERS, *(s + ".gz" for s in _READERS if s != ".parquet")], key=len, reverse=True)
)


def _match(path: Path) -> tuple[str, str] | None:
    """(suffix, stem) of a supported file name, or None."""
    lower = path.name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix, path.name[: -len(suffix)]
    return None


def _unsupported(path: Path) -> Rejection:
    suffixes = path.suffixes[-2:] if path.suffix.lower() == ".gz" else path.suffixes[-1:]
    kind = repr("".join(suffixes)) if suffixes else "a file without an extension"
    shown = ", ".join(_READERS)
    reason = (
        f"unsupported file type: {kind} is not a supported input; supported: {shown} (+ .gz but .parquet)"
    )
    return Rejection(path.stem or path.name, str(path), reason, "unsupported")


def _read_file(path: Path, config: IngestConfig, stats: IngestStats) -> Iterator[Item]:
    matched = _match(path)
    if matched is None:
        yield _unsupported(path)
        return
    suffix, stem = matched
    reader = _READERS[suffix.removesuffix(".gz")]
    stats.files += 1
    count = 0
    try:
        for item in reader(path, stem, config, stats):
            count += 1
            yield item
    except (EOFError, zlib.error) as error:
        reason = f"corrupt gzip (after {count} items): {summarise_error(error)}"
        yield Rejection(None, str(path), reason, "corrupt")
        return
    except OSError as error:
        gzipped = "gzip" in str(error).lower()
        what = "corrupt gzip" if gzipped else "unreadable file"
        kind: RejectionKind = "corrupt" if gzipped else "unreadable"
        detail = summarise_error(error) if gzipped else error.strerror or summarise_error(error)
        yield Rejection(None, str(path), f"{what} (after {count} items): {detail}", kind)
        return
    except Exception as error:  # one broken file must not end the run; the reason names the error
        name = type(error).__name__
        reason = f"unexpected error reading file (after {count} items): {name}: {summarise_error(error)}"
        yield Rejection(None, str(path), reason, "failed")
        return
    if count == 0:
        yield Rejection(stem, str(path), "empty (no items in file)", "empty")


def _entries(folder: Path, seen: set[str]) -> Iterator[os.DirEntry[str]] | Rejection | None:
    """The entries of `folder` in name order; None when it was walked already (a link to a folder
    above it), a Rejection when it cannot be listed."""
    real = os.path.realpath(folder)
    if real in seen:
        return None
    seen.add(real)
    try:
        with os.scandir(folder) as listing:
            return iter(sorted(listing, key=lambda entry: entry.name))
    except OSError as error:
        return Rejection(None, str(folder), f"unreadable folder: {error.strerror or error}", "unreadable")


def _walk(folder: Path, config: IngestConfig, stats: IngestStats) -> Iterator[Path | Rejection]:
    """Files under `folder`, depth first in name order; a stack rather than recursion, so no depth of
    folders can exhaust Python's recursion limit."""
    seen: set[str] = set()
    first = _entries(folder, seen)
    if isinstance(first, Rejection):
        yield first
    stack = [first] if first is not None and not isinstance(first, Rejection) else []
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith(".") and not config.include_hidden:
            stats.skipped["hidden file or folder"] += 1
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as error:  # a symbolic link to itself (ELOOP), a vanished entry
            yield Rejection(Path(entry.name).stem or entry.name, entry.path, _unusable(error), "unreadable")
            continue
        if not is_dir:
            yield Path(entry.path)
            continue
        inner = _entries(Path(entry.path), seen)
        if isinstance(inner, Rejection):
            yield inner
        elif inner is not None:
            stack.append(inner)


def _unusable(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "unreadable: a loop of symbolic links"
    return f"unreadable: {error.strerror or summarise_error(error)}"


def _not_a_file(path: Path) -> str:
    """Why `path`, which is no regular file, cannot be read."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return _unusable(error)
    return "not a regular file (device, pipe or broken link)"


def _items(
    paths: list[str], config: IngestConfig, stdin: IO[bytes] | None, stats: IngestStats
) -> Iterator[Item]:
    for name in paths:
        if name == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from stdin_items(stream, config)
            continue
        path = Path(name)
        targets = _walk(path, config, stats) if path.is_dir() else iter([path])
        for target in targets:
            if isinstance(target, Rejection):
                yield target
            elif not target.is_file():
                yield Rejection(target.name, str(target), _not_a_file(target), "unreadable")
            else:
                yield from _read_file(target, config, stats)


def _counted(items: Iterator[Item], stats: IngestStats) -> Iterator[Item]:
    for item in items:
        if isinstance(item, RawItem):
            stats.items += 1
        else:
            stats.rejected += 1
        yield item


def iter_inputs(
    paths: Sequence[str | Path],
    config: IngestConfig | None = None,
    stdin: IO[bytes] | None = None,
    *,
    stats: IngestStats | None = None,
) -> Iterator[RawItem | Rejection]:
    """Every item of every input, as a RawItem or a Rejection that says why it is not one.

    `paths` are files, folders or ``"-"`` for `stdin` (default: the process's standard input). They are
    checked before anything is read: a path that does not exist, ``"-"`` twice or no path at all raises
    IngestError at call time, not on first iteration, so a CLI can report it before any output.
    `stats` (optional) is filled with counts as the iterator is consumed.
    """
    names = [str(p) for p in paths]
    if not names:
        raise IngestError("no input given: name files, folders or - for standard input")
    if names.count(STDIN) > 1:
        raise IngestError("standard input (-) can be read only once")
    missing = [n for n in names if n != STDIN and not os.path.lexists(n)]
    if missing:
        raise IngestError(f"input not found: {', '.join(missing)}")
    config = config if config is not None else IngestConfig()
    stats = stats if stats is not None else IngestStats()
    return _counted(_items(names, config, stdin, stats), stats)
