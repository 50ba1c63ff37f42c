"""End-to-end runs of the pipeline against a real store."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from storyline.pipeline import run
from storyline.settings import Settings
from storyline.store import Store


def _groups(store: Store) -> set[frozenset[str]]:
    return {frozenset(g.members) for g in store.copy_groups(min_size=1)}


def test_repost_grouped_independent_articles_apart(news_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        outcomes = list(run([news_dir], store))
        assert [o.status for o in outcomes] == ["ok"] * 4
        assert _groups(store) == {
            frozenset({"ferry", "ferry-repost"}),
            frozenset({"ferry-other"}),
            frozenset({"budget"}),
        }
        group = store.copy_groups()[0]
        assert group.canonical in {"ferry", "ferry-repost"}
        link = store.link("ferry", "ferry-repost")
        assert link is not None and link.passages
        ferry = store.article("ferry")
        assert ferry is not None
        for p in link.passages:
            assert ferry.text[p.a_start : p.a_end].strip()


def test_rerun_adds_nothing_and_new_files_join_existing_groups(news_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    later = news_dir / "later"
    later.mkdir()
    ferry = (news_dir / "ferry.txt").read_text(encoding="utf-8")
    moved = news_dir / "ferry.txt"
    (tmp_path / "ferry.txt").write_text(ferry, encoding="utf-8")
    moved.unlink()
    with Store(db) as store:
        list(run([news_dir], store))
        before = store.counts()
        again = list(run([news_dir], store))
        assert all(o.status == "ok" and not o.new for o in again)
        assert store.counts() == before
        outcomes = list(run([tmp_path / "ferry.txt"], store))
        assert [(o.id, o.new) for o in outcomes] == [("ferry", True)]
        assert frozenset({"ferry", "ferry-repost"}) in _groups(store)


def test_every_item_accounted_for(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "x " * 3},
        {"id": "b", "text": ""},
        {
            "id": "c",
            "html": "<html><body><p>" + "Words of a real sentence here. " * 20 + "</p></body></html>",
        },
        {"id": "c", "text": "a different item that reuses the id c " * 5},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        outcomes = list(run([path], store))
    assert len(outcomes) == 5
    status = [(o.id, o.status) for o in outcomes]
    assert status[:3] == [("a", "rejected"), ("b", "rejected"), ("c", "ok")]
    assert status[3] == ("c", "rejected") and "duplicate id" in (outcomes[3].reason or "")
    assert outcomes[4].status == "rejected" and outcomes[4].reason


def _tables(store: Store, ids: list[str]) -> tuple[object, ...]:
    return (_groups(store), store.stories_of(ids), store.texts(ids), store.counts())


def test_second_pass_replays_the_first_within_its_budget(
    news_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_module = importlib.import_module("storyline.pipeline.run")  # the package exports its function
    reads: list[int] = []
    real = run_module.iter_inputs

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "iter_inputs", counted)
    results = []
    for budget, expected_reads in ((10**9, 1), (10, 2)):  # within the budget, then past it
        reads.clear()
        with Store(tmp_path / f"s{budget}.db") as store:
            outcomes = list(run([news_dir], store, Settings(replay_chars=budget)))
            ids = sorted(o.id for o in outcomes if o.id)
            results.append(([(o.id, o.status) for o in outcomes], _tables(store, ids)))
        assert len(reads) == expected_reads
    assert results[0] == results[1]
    assert [status for _, status in results[0][0]] == ["ok"] * 4


def test_stories_and_their_articles_do_not_depend_on_the_batch_size(news_dir: Path, tmp_path: Path) -> None:
    results = []
    for size in (1, 2, 100):
        with Store(tmp_path / f"b{size}.db") as store:
            ids = sorted(o.id for o in run([news_dir], store, Settings(batch_size=size)) if o.id)
            groups = store.groups_of(ids)
            reps = store.groups_with_reps(set(groups.values()))
            assert reps == set(groups.values())  # every settled group has its article in the index
            results.append((_tables(store, ids), store.first_members(set(groups.values()))))
    assert results[0] == results[1] == results[2]
