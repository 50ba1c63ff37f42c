"""The verdict on one pair of texts, with the evidence that decided it in words.

This is what ``storyline explain`` and the service's pair page show: the same evidence and model the
copy index applies to every candidate pair, for two texts given directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import PairModel, describe, load_pair_model
from storyline.copies.evidence import Evidence, measure
from storyline.copies.links import passages_of
from storyline.copies.shingles import char_offsets
from storyline.model import CopyLink, LinkKind, Passage

__all__ = ["Verdict", "explain_link", "verify"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Decision on one pair, readable by a user.

    ``kind`` is ``copy``, ``reuse`` or None (nothing worth a link); ``reasons`` lists the evidence in
    words, strongest first, each with its weight in the decision (log-odds; positive for "copy").
    """

    kind: LinkKind | None
    probability: float
    reasons: tuple[tuple[str, float], ...]
    evidence: dict[str, float]
    passages: tuple[Passage, ...]

    @property
    def is_copy(self) -> bool:
        return self.kind == "copy"

    @property
    def summary(self) -> str:
        """One line: the verdict and the two strongest reasons."""
        head = {"copy": "copies", "reuse": "not copies, but one reuses text of the other", None: "not copies"}
        top = "; ".join(text for text, _ in self.reasons[:2])
        return f"{head[self.kind]} (copy probability {self.probability:.2f}): {top}"


def _verdict(
    evidence: Evidence, passages: tuple[Passage, ...], config: CopyConfig, model: PairModel
) -> Verdict:
    probability = float(model.probability(evidence)[0])
    row = evidence.row(0)
    if row["identical"]:
        reasons: tuple[tuple[str, float], ...] = ((describe("identical", 1.0), 50.0),)
    elif row["template"] or row["other_subject"]:
        rule = "template" if row["template"] else "other_subject"
        reasons = ((describe(rule, 1.0), -50.0),)
    else:
        parts = {name: float(values[0]) for name, values in model.contributions(evidence).items()}
        said = [name for name in parts if _worth_saying(name, row[name]) and abs(parts[name]) >= 0.01]
        shown = [(describe(name, row[name]), parts[name]) for name in said]
        reasons = tuple(sorted(shown, key=lambda r: -abs(r[1])))
    if probability >= config.copy_threshold:
        kind: LinkKind | None = "copy"
    elif row["longest"] >= config.reuse_chars:
        kind = "reuse"
    else:
        kind = None
    return Verdict(kind, probability, reasons, row, passages)


def verify(
    a: str,
    b: str,
    config: CopyConfig = DEFAULT_CONFIG,
    model: PairModel | None = None,
) -> Verdict:
    """Decide whether clean texts ``a`` and ``b`` are copies, with passages (char offsets) and reasons."""
    evidence = measure([a, b], np.array([[0, 1]], dtype=np.int64), config)
    offsets = char_offsets([a, b])
    passages = passages_of(evidence.runs, 0, (a, offsets.of(0)), (b, offsets.of(1)), config.min_passage_chars)
    return _verdict(evidence, passages, config, model or load_pair_model())


def explain_link(
    link: CopyLink, config: CopyConfig = DEFAULT_CONFIG, model: PairModel | None = None
) -> Verdict:
    """The verdict a stored link was decided with, from its stored evidence and passages."""
    return _verdict(Evidence.from_rows([link.evidence]), link.passages, config, model or load_pair_model())


def _worth_saying(name: str, value: float) -> bool:
    """Leave out features that are zero where zero says nothing (no second passage, no lead)."""
    return value != 0.0 or name in ("longest", "narrative", "topic")
