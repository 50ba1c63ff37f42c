"""Cleaning again once later pages show that a line of an earlier page is site chrome."""

from __future__ import annotations

import json
import random
from pathlib import Path

from fixtures_news import FERRY
from storyline.pipeline import run
from storyline.pipeline.reclean import reclean
from storyline.settings import Settings
from storyline.store import Store

WORDS = ["harbour", "council", "ferry", "storm", "minister", "budget", "police", "court", "river", "school"]
FOOTER = "Island news desk Port Alden"


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_later_evidence_removes_an_earlier_pages_chrome(tmp_path: Path) -> None:
    site = "courier.example"
    first = _write(tmp_path / "first.jsonl", [{"id": "ferry", "site": site, "text": f"{FERRY}\n\n{FOOTER}"}])
    rng = random.Random(5)
    bodies = [
        "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "." for _ in range(3))
        for _ in range(6)
    ]
    later = [
        {"id": f"later{n}", "site": site, "text": f"{body}\n\n{FOOTER}"} for n, body in enumerate(bodies)
    ]
    with Store(tmp_path / "s.db") as store:
        list(run([first], store))
        before = store.article("ferry")
        assert before is not None and FOOTER in before.text
        list(run([_write(tmp_path / "later.jsonl", later)], store))
        assert all(FOOTER not in store.texts([f"later{n}"])[f"later{n}"] for n in range(len(bodies)))
        changed = reclean(store, Settings(), store.flat_text_ids())
        assert changed == ["ferry"]
        ferry = store.article("ferry")
        assert ferry is not None and FOOTER not in ferry.text and FERRY.split("\n\n")[1] in ferry.text
        assert any(r.text == FOOTER for r in ferry.removed)
        assert reclean(store, Settings(), store.flat_text_ids()) == []
