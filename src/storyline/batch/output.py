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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from storyline.batch.records import OUT_FIELDS

__all__ = [
    "OutputError",
    "arrow_article",
    "article_schema",
    "link_schema",
    "link_table",
    "pyarrow",
    "story_schema",
    "write_dataset",
    "write_parquet",
    "write_records",
    "write_tables",
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


def _json_column(values: Sequence[str], kind: Any) -> Any:
    """JSON texts parsed by Arrow's reader into one array of type `kind` (a Python parse of each would
    be most of a large export's time)."""
    pa = pyarrow()
    import pyarrow.json as pj

    data = b"\n".join(b'{"v":' + v.encode() + b"}" for v in values)
    options = pj.ParseOptions(explicit_schema=pa.schema([pa.field("v", kind)]))
    return pj.read_json(pa.BufferReader(data), parse_options=options).column("v").combine_chunks()


def _passage_column(spans: Sequence[str], kind: Any) -> Any:
    """Stored passages (JSON ``[[a_start, a_end, b_start, b_end, quoted], ...]``) as `kind`, a list of
    passage structs."""
    pa = pyarrow()
    import numpy as np

    nested = _json_column(spans, pa.list_(pa.list_(pa.int64())))
    inner = nested.values
    if len(inner) and not np.all(inner.value_lengths().to_numpy() == 5):
        raise ValueError("a stored passage is not [a_start, a_end, b_start, b_end, quoted]")
    ints = inner.values.to_numpy().reshape(-1, 5)
    fields = list(kind.value_type)
    columns = [pa.array(ints[:, k]) for k in range(4)] + [pa.array(ints[:, 4] != 0)]
    return pa.ListArray.from_arrays(nested.offsets, pa.StructArray.from_arrays(columns, fields=fields))


def _evidence_column(evidence: Sequence[str]) -> Any:
    """Stored evidence (JSON objects of feature values) as ``map<string, float64>``, keys in order."""
    pa = pyarrow()
    import numpy as np
    import pyarrow.json as pj

    data = b"\n".join(v.encode() for v in evidence)
    table = pj.read_json(pa.BufferReader(data)) if evidence else pa.table({})
    names = sorted(table.column_names)
    columns = [table.column(name).combine_chunks().cast(pa.float64()) for name in names]
    values = np.stack([c.fill_null(0.0).to_numpy() for c in columns], axis=1) if columns else np.zeros((0, 0))
    if any(c.null_count for c in columns):  # a feature some links lack: their maps leave it out
        present = np.stack([c.is_valid().to_numpy(zero_copy_only=False) for c in columns], axis=1)
        counts, which, items = present.sum(axis=1), np.nonzero(present)[1], values[present]
    else:
        counts = np.full(len(evidence), len(names))
        which, items = np.tile(np.arange(len(names)), len(evidence)), values.ravel()
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    keys = pa.array(names, pa.string()).take(pa.array(which, pa.int64()))  # row by row, in order
    return pa.MapArray.from_arrays(pa.array(offsets, pa.int32()), keys, pa.array(items, pa.float64()))


def link_table(rows: Sequence[tuple[str, str, str, float, str, str]]) -> Any:
    """Stored link rows (``Store.stored_link_rows``) as a table of :func:`link_schema`, column by
    column: each link's :func:`~storyline.batch.records.link_record` with its passages as structs and
    its evidence as a map in key order, built without a Python object per passage or feature (an
    export writes millions of links)."""
    pa = pyarrow()
    schema = link_schema()
    if not rows:
        return schema.empty_table()
    return pa.Table.from_arrays(
        [
            pa.array([r[0] for r in rows], pa.string()),
            pa.array([r[1] for r in rows], pa.string()),
            pa.array([r[2] for r in rows], pa.string()),
            pa.array([round(r[3], 4) for r in rows], pa.float64()),
            _passage_column([r[4] for r in rows], schema.field("passages").type),
            _evidence_column([r[5] for r in rows]),
        ],
        schema=schema,
    )


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def write_parquet(path: Path, rows: Iterable[dict[str, Any]], schema: Any) -> int:
    """Write `rows` (already in Arrow shape) to the Parquet file `path`, one row group at a time;
    return the number of rows."""
    pa = pyarrow()
    tables = (pa.Table.from_pylist(chunk, schema=schema) for chunk in _chunks(rows, GROUP_ROWS))
    return write_tables(path, tables, schema)


def write_tables(path: Path, tables: Iterable[Any], schema: Any) -> int:
    """Write Arrow `tables` of `schema` to the Parquet file `path` in row groups of `GROUP_ROWS`;
    return the number of rows."""
    import pyarrow.parquet as pq

    partial = path.with_name(path.name + ".partial")
    count = 0
    with pq.ParquetWriter(partial, schema) as writer:
        for table in tables:
            writer.write_table(table, row_group_size=GROUP_ROWS)
            count += table.num_rows
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
    count, part, pending = 0, 0, iter(rows)
    for head in pending:  # each part streams its rows a row group at a time, never a part in memory
        rest = islice(pending, part_rows - 1)
        count += write_parquet(partial / f"part-{part:05d}.parquet", chain([head], rest), schema)
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
