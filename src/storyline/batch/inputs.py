"""Resolve ``storyline batch`` inputs (files, folders, globs, ``file://`` and fsspec URLs) to local
paths the ingest readers take, in the order given.

Every format ``run`` reads stays readable because remote objects are staged, with their names, into a
folder of the output directory and then read by the same readers (an item's id is its file name, so
staging keeps ids). An input that names nothing (a missing file, a glob without a match, a URL that is
not there) becomes one rejected row with the reason, so one bad name never stops a batch over many.
A URL scheme whose fsspec implementation is not installed is a mistake the user fixes before anything
runs, so it is one error line naming the package.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from storyline.batch.output import OutputError
from storyline.ingest import IngestConfig, iter_inputs
from storyline.model import RawItem, Rejection

__all__ = ["Input", "items_of", "resolve"]

#: A resolved input: a local path to read, or the rejection of an input that names nothing.
Input = str | Rejection

#: The package that gives fsspec each common scheme.
_PACKAGES = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "az": "adlfs", "abfs": "adlfs"}


def _magic(name: str) -> bool:
    return any(c in name for c in "*?[")


def _missing(spec: str, why: str) -> Rejection:
    return Rejection(None, spec, why, "unreadable")


def _local(spec: str, name: str) -> list[Input]:
    if _magic(name):
        matches = sorted(glob.glob(name, recursive=True))
        return list(matches) if matches else [_missing(spec, f"no file matches {name!r}")]
    if not os.path.lexists(name):
        return [_missing(spec, f"input not found: {name}")]
    return [name]


def _filesystem(scheme: str) -> Any:
    """The fsspec filesystem for `scheme`, or an OutputError naming what to install."""
    package = _PACKAGES.get(scheme, f"the fsspec implementation of {scheme}://")
    try:
        import fsspec
    except ImportError as exc:
        raise OutputError(f"reading {scheme}:// URLs needs fsspec: pip install fsspec {package}") from exc
    try:
        return fsspec.filesystem(scheme)
    except (ImportError, ValueError) as exc:
        raise OutputError(f"reading {scheme}:// URLs needs {package}: pip install {package} ({exc})") from exc


def _remote(spec: str, scheme: str, staging: Path) -> list[Input]:
    """Copy the objects `spec` names (a file, a folder, a glob) into `staging`, keeping their relative
    names, once: an object already staged with the same size is not fetched again (a resumed batch)."""
    fs = _filesystem(scheme)
    path = spec.split("://", 1)[1]
    try:
        if _magic(path):
            found = sorted(p for p in fs.glob(path) if fs.isfile(p))
            base = path[: min(path.find(c) for c in "*?[" if c in path)].rsplit("/", 1)[0]
        elif fs.isdir(path):
            found, base = sorted(fs.find(path)), path.rstrip("/")
        elif fs.exists(path):
            found, base = [path], path.rsplit("/", 1)[0]
        else:
            return [_missing(spec, f"input not found: {spec}")]
    except OSError as exc:
        return [_missing(spec, f"unreadable: {spec}: {exc}")]
    if not found:
        return [_missing(spec, f"no object matches {spec!r}")]
    home = staging / hashlib.blake2b(spec.encode(), digest_size=6).hexdigest()
    out: list[Input] = []
    for name in found:
        relative = name[len(base) :].lstrip("/") if name.startswith(base) else name.rsplit("/", 1)[-1]
        local = home / relative
        try:
            if not (local.exists() and local.stat().st_size == fs.size(name)):
                local.parent.mkdir(parents=True, exist_ok=True)
                fs.get_file(name, str(local))
        except OSError as exc:
            out.append(_missing(f"{scheme}://{name}", f"unreadable: {exc}"))
            continue
        out.append(str(local))
    return out


def resolve(specs: Sequence[str], staging: Path) -> list[Input]:
    """Local paths (and rejections) for `specs`, in order; remote objects are staged under `staging`."""
    resolved: list[Input] = []
    for spec in specs:
        scheme = urlparse(spec).scheme if "://" in spec else ""
        if scheme == "file":
            resolved += _local(spec, unquote(urlparse(spec).path))
        elif scheme:
            resolved += _remote(spec, scheme, staging)
        else:
            resolved += _local(spec, spec)
    return resolved


def items_of(inputs: Sequence[Input], config: IngestConfig) -> Iterator[RawItem | Rejection]:
    """Every item of the resolved inputs, in order, as ``run`` reads them."""
    for entry in inputs:
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from iter_inputs([entry], config)
