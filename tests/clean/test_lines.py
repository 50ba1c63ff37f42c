"""observe_lines and LineEvidence: boilerplate recurs beside different text, wire copies do not."""

from __future__ import annotations

from storyline.clean.lines import LineEvidence, line_key, observe_lines
from storyline.clean.normalize import normalize

from .conftest import FOOTER, story


def _rows(docs: dict[str, str], site: str = "") -> list[tuple[int, str, int, str]]:
    return [(o.line, site, o.context, d) for d, t in docs.items() for o in observe_lines(normalize(t))]


def test_one_observation_per_distinct_line_in_int64() -> None:
    obs = observe_lines("A\n\nB\n\nA\n\nC")
    assert len(obs) == 3
    assert all(-(2**63) <= v < 2**63 for o in obs for v in o)
    assert len({o.context for o in obs}) == 1


def test_line_key_folds_case_space_digits() -> None:
    assert line_key("Saturday, November 23, 2024") == line_key("saturday,  november 24, 2025")
    assert line_key("abc") != line_key("abd")


def test_boilerplate_recurs_beside_different_text(site_docs: dict[str, str]) -> None:
    evidence = LineEvidence.from_rows(_rows(site_docs))
    glob, _ = evidence.recurrence(line_key(FOOTER[1]))
    assert glob.docs == len(site_docs)
    assert glob.contents >= 5


def test_wire_copies_share_content(wire_docs: dict[str, str]) -> None:
    evidence = LineEvidence.from_rows(_rows(wire_docs))
    glob, _ = evidence.recurrence(line_key(story("earthquake")[1]))
    assert glob.docs == len(wire_docs)
    assert glob.contents == 1


def test_site_scope_and_duplicate_rows(site_docs: dict[str, str]) -> None:
    rows = _rows(site_docs, site="example.com")
    evidence = LineEvidence.from_rows(rows + rows)
    glob, local = evidence.recurrence(line_key(FOOTER[0]), "example.com")
    assert glob == local
    assert local.docs == len(site_docs)
    assert evidence.recurrence(line_key(FOOTER[0]), "other.org")[1].docs == 0
