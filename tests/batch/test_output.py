"""The columnar link export against the row-by-row record it must equal."""

from __future__ import annotations

from pathlib import Path

from storyline.batch.output import link_table, story_schema, write_dataset
from storyline.batch.records import link_record
from storyline.model import CopyLink, Passage
from storyline.store import Store

LINKS = [
    CopyLink(
        "a",
        "b",
        "copy",
        0.912345678,
        (Passage(0, 120, 5, 125, False), Passage(300, 400, 310, 410, True)),
        {"longest": 120.0, "topic": 0.51234567, "lead": 1.0},
    ),
    CopyLink("c", "a", "reuse", 0.05, (Passage(7, 90, 0, 83, False),), {"longest": 83.0}),  # stored as (a, c)
    CopyLink("b", "c", "reuse", 0.2, (), {}),
]


def _expected(link: CopyLink) -> dict[str, object]:
    """The row a reader should get: the link's JSON record, passages as structs, evidence as pairs."""
    record = link_record(link)
    names = ("a_start", "a_end", "b_start", "b_end", "quoted")
    passages = [dict(zip(names, p, strict=True)) for p in record["passages"]]
    return {**record, "passages": passages, "evidence": sorted(record["evidence"].items())}


def test_link_table_equals_the_records_of_the_stored_links(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_links(LINKS)
        rows = store.stored_link_rows(["a", "b", "c"])
        stored = [store.link(a, b) for a, b, *_ in rows]
        table = link_table(rows)
    assert [(r["a"], r["b"]) for r in table.to_pylist()] == [("a", "b"), ("a", "c"), ("b", "c")]
    assert table.to_pylist() == [_expected(link) for link in stored if link is not None]
    assert link_table([]).num_rows == 0


def test_dataset_parts_keep_every_row_in_order(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    rows = [
        {
            "id": f"s{i}",
            "title": None,
            "first_published": None,
            "last_published": None,
            "articles": i,
            "copy_groups": 1,
            "sites": 1,
            "members": [f"a{i}"],
        }
        for i in range(7)
    ]
    assert write_dataset(tmp_path / "d", iter(rows), story_schema(), part_rows=3) == 7
    parts = sorted((tmp_path / "d").iterdir())
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert [r for p in parts for r in pq.read_table(p).to_pylist()] == rows
    assert write_dataset(tmp_path / "e", iter([]), story_schema(), part_rows=3) == 0
    assert [p.name for p in (tmp_path / "e").iterdir()] == ["part-00000.parquet"]
