"""The hostile corpus (`storyline.evaluate.hostile`, written at test time) through `storyline run`,
twice: every input item accounted for once, the store whole, the second run recognising the first."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from storyline.cli import main
from storyline.evaluate.faults import out_lines, store_problems
from storyline.evaluate.hostile import HostileFile, write_corpus


def _entry(source: str, corpus: Path, entries: list[HostileFile]) -> str:
    """The corpus entry an --out line's source belongs to (``path``, ``path:LINE``, ``path#N``)."""
    paths = sorted((str(corpus / e.path) for e in entries), key=len, reverse=True)
    match = next(p for p in paths if source == p or source.startswith((p + ":", p + "#")))
    return str(Path(match).relative_to(corpus))


def test_every_hostile_input_is_accounted_for_once(tmp_path: Path) -> None:
    corpus, db, out = tmp_path / "corpus", tmp_path / "s.db", tmp_path / "out.jsonl"
    entries = write_corpus(corpus)
    assert main(["run", str(corpus), "--db", str(db), "--out", str(out), "-q"]) == 0
    records = out_lines(out)
    sources = [str(r["source"]) for r in records]
    assert len(sources) == len(set(sources)), "an input item was reported twice"
    per_entry = Counter(_entry(s, corpus, entries) for s in sources)
    for entry in entries:
        if entry.items is not None:
            assert per_entry[entry.path] == entry.items, (entry.path, entry.why)
        else:
            assert per_entry[entry.path] >= 1, (entry.path, entry.why)
    for record in records:
        assert record["status"] in ("ok", "rejected")
        assert (record["status"] == "rejected") == bool(record["reason"]), record
    assert store_problems(db) == []

    again = tmp_path / "again.jsonl"
    assert main(["run", str(corpus), "--db", str(db), "--out", str(again), "-q"]) == 0
    second = out_lines(again)
    assert [(r["source"], r["status"]) for r in second] == [(r["source"], r["status"]) for r in records]
    assert all(r.get("new") is False for r in second if r["status"] == "ok")
    assert store_problems(db) == []


def test_the_corpus_is_the_same_for_a_seed(tmp_path: Path) -> None:
    first = [(e.path, e.data) for e in write_corpus(tmp_path / "a", seed=3)]
    assert first == [(e.path, e.data) for e in write_corpus(tmp_path / "b", seed=3)]
