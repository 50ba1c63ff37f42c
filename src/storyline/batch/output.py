"""Writers of the result rows (:mod:`storyline.batch.records`): JSON lines, a Parquet file, a Parquet
dataset of part files.

Parquet keeps the nested fields as Arrow types rather than JSON strings, so a reader (pandas, DuckDB,
Spark, Ray) can filter on them: ``removed`` is ``list<struct<text, reason>>``, ``reuses`` is
``list<struct<article, kind, probability, passages: list<struct<own_start, own_end, other_start,
other_end, quoted>>>>``, a link's ``passages`` ``list<struct<a_start, a_end, b_start, b_end, quoted>>``.
Files are written under a ``.partial`` name and renamed when complete, so a reader never sees half a
file and a killed export leaves the previous one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from storyline.batch.records import OUT_FIELDS

__all__ = [
    "OutputError",
    "arrow_article",
    "arrow_link",
    "article_schema",
    "link_schema",
    "pyarrow",
    "story_schema",
    "write_dataset",
    "write_parquet",
    "write_records",
]

#: Rows per Parquet row group: a few MB of text, so a reader's memory follows a group, not the file.
GROUP_ROWS = 1000


class OutputError(Exception):
    """An output that cannot be written as asked (a missing optional package); printed as one line."""


def pyarrow() -> ModuleType:
    """pyarrow, or an OutputError that names the extra to install."""
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise OutputError(f"Parquet output needs pyarrow: pip install 'storyline[parquet]' ({exc})") from exc
    return cast(ModuleType, pa)


def _passage_type(pa: ModuleType, names: tuple[str, str, str, str]) -> Any:
    ints = [pa.field(n, pa.int64()) for n in names]
    return pa.list_(pa.struct([*ints, pa.field("quoted", pa.bool_())]))


_OWN = ("own_start", "own_end", "other_start", "other_end")
_PAIR = ("a_start", "a_end", "b_start", "b_end")


def article_schema() -> Any:
    """The Arrow schema of an item's row (the columns of ``run --out``)."""
    pa = pyarrow()
    text = pa.string()
    reuse = pa.struct(
        [
            pa.field("article", text),
            pa.field("kind", text),
            pa.field("probability", pa.float64()),
            pa.field("passages", _passage_type(pa, _OWN)),
        ]
    )
    removal = pa.struct([pa.field("text", text), pa.field("reason", text)])
    fields = [pa.field(n, text) for n in OUT_FIELDS[: OUT_FIELDS.index("reuses")]]
    return pa.schema(
        [
            *fields,
            pa.field("reuses", pa.list_(reuse)),
            pa.field("story", text),
            pa.field("removed", pa.list_(removal)),
            pa.field("notes", pa.list_(text)),
            pa.field("new", pa.bool_()),
        ]
    )


def link_schema() -> Any:
    """The Arrow schema of ``copy_links.parquet``: one row per verified pair."""
    pa = pyarrow()
    return pa.schema(
        [
            pa.field("a", pa.string()),
            pa.field("b", pa.string()),
            pa.field("kind", pa.string()),
            pa.field("probability", pa.float64()),
            pa.field("passages", _passage_type(pa, _PAIR)),
            pa.field("evidence", pa.map_(pa.string(), pa.float64())),
        ]
    )


def story_schema() -> Any:
    """The Arrow schema of ``stories.parquet``: one row per story."""
    pa = pyarrow()
    count = pa.int64()
    return pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("title", pa.string()),
            pa.field("first_published", pa.string()),
            pa.field("last_published", pa.string()),
            pa.field("articles", count),
            pa.field("copy_groups", count),
            pa.field("sites", count),
            pa.field("members", pa.list_(pa.string())),
        ]
    )


def _structs(spans: list[list[Any]], names: tuple[str, str, str, str]) -> list[dict[str, Any]]:
    return [dict(zip((*names, "quoted"), span, strict=True)) for span in spans]


def arrow_article(record: Mapping[str, Any]) -> dict[str, Any]:
    """An item's row with its passage lists as structs (JSON keeps them as 5-element arrays)."""
    reuses = [{**r, "passages": _structs(r["passages"], _OWN)} for r in record["reuses"] or []]
    return {**record, "reuses": reuses}


def arrow_link(record: Mapping[str, Any]) -> dict[str, Any]:
    """A link's row (:func:`storyline.batch.records.link_record`) with its passages as structs."""
    evidence = sorted(record["evidence"].items())
    return {**record, "passages": _structs(record["passages"], _PAIR), "evidence": evidence}


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def write_parquet(path: Path, rows: Iterable[dict[str, Any]], schema: Any) -> int:
    """Write `rows` (already in Arrow shape) to the Parquet file `path`, one row group at a time;
    return the number of rows."""
    pa = pyarrow()
    import pyarrow.parquet as pq

    partial = path.with_name(path.name + ".partial")
    count = 0
    with pq.ParquetWriter(partial, schema) as writer:
        for chunk in _chunks(rows, GROUP_ROWS):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    partial.replace(path)
    return count


def write_dataset(folder: Path, rows: Iterable[dict[str, Any]], schema: Any, part_rows: int) -> int:
    """Write `rows` as ``folder/part-00000.parquet`` and on, `part_rows` rows a part; the folder is
    built beside and swapped in whole, so a reader sees the old dataset or the new one."""
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    count, part = 0, 0
    for chunk in _chunks(rows, part_rows):
        count += write_parquet(partial / f"part-{part:05d}.parquet", chunk, schema)
        part += 1
    if part == 0:
        write_parquet(partial / "part-00000.parquet", [], schema)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return count


def write_records(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Item rows to `path`: Parquet when it ends in ``.parquet``, else one JSON line each."""
    if path.suffix.lower() == ".parquet":
        return write_parquet(path, (arrow_article(r) for r in records), article_schema())
    partial = path.with_name(path.name + ".partial")
    count = 0
    with partial.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    partial.replace(path)
    return count
