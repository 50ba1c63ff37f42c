"""The copy decision: a calibrated probability that two pages derive from the same source text.

An additive logistic model over the evidence of :mod:`storyline.copies.evidence`: each feature passes
through a few hinge functions (piecewise linear, so "a 100-character shared passage" and "a
400-character one" can weigh differently without a black box), and the log-odds is the sum of the
features' contributions. Because it is a sum, the explanation of a decision is exact: each feature's
share of the log-odds, in words (see :func:`explain`).

Rules override the sum: identical texts are copies; a *template* pair (the same words, but mostly
different figures: this week's issue of a recurring report) and a pair filed for another subject (other
stock tickers, or another name where the shared runs break: one form, two companies) never are.

The coefficients are fitted by ``benchmarks/copies_calibration.py`` on real pages with their copy
groups labelled by hand (``webnews-dev``), cross-validated across events, and shipped in
``pair_model.json``; nothing is fitted at run time.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.copies.evidence import FEATURES, Evidence

__all__ = ["PairModel", "describe", "load_pair_model"]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PairModel:
    """Hinge knots, weights and bias of the additive logistic copy model.

    Feature ``f`` with value ``x`` (at most ``clip[f]``) contributes ``sum(w * h)`` where
    ``h = [x, max(0, x - k1), ...]`` (scaled by ``scale[f]``) and ``w = weights[f]``; the probability is
    ``sigmoid(bias + sum)``.
    """

    knots: dict[str, tuple[float, ...]]
    scale: dict[str, float]
    weights: dict[str, tuple[float, ...]]
    bias: float
    clip: dict[str, float] = field(default_factory=dict)
    reference: dict[str, float] = field(default_factory=dict)

    def design(self, name: str, values: F64) -> F64:
        """The hinge columns of one feature, scaled: shape (n, 1 + len(knots)). A feature with a ``clip``
        stops counting above it (a topic shared beyond a point says no more about copying)."""
        if name in self.clip:
            values = np.minimum(values, self.clip[name])
        s = self.scale[name]
        cols = [values / s] + [np.maximum(values - k, 0.0) / s for k in self.knots[name]]
        return np.stack(cols, axis=1)

    def _part(self, name: str, values: F64) -> F64:
        out: F64 = self.design(name, values) @ np.asarray(self.weights[name], dtype=np.float64)
        return out

    def contributions(self, evidence: Evidence) -> dict[str, F64]:
        """Each feature's share of the log-odds per pair, relative to a typical candidate pair (the
        ``reference`` values): what this evidence adds for or against "copy"."""
        out: dict[str, F64] = {}
        for name in self.weights:
            values = np.asarray(getattr(evidence, name), dtype=np.float64)
            ref = self._part(name, np.array([self.reference.get(name, 0.0)]))[0]
            out[name] = self._part(name, values) - ref
        return out

    def probability(self, evidence: Evidence) -> F64:
        """The probability that each pair is a copy."""
        logit = np.full(len(evidence), self.bias)
        for name in self.weights:
            logit += self._part(name, np.asarray(getattr(evidence, name), dtype=np.float64))
        logit = np.where(evidence.template, -50.0, logit)  # other figures in the same wording: a new report
        logit = np.where(evidence.other_subject, -50.0, logit)  # the same form filed for another company
        logit = np.where(evidence.identical, 50.0, logit)
        prob: F64 = 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))
        return prob

    def to_json(self) -> dict[str, Any]:
        return {
            "knots": self.knots,
            "scale": self.scale,
            "weights": self.weights,
            "bias": self.bias,
            "clip": self.clip,
            "reference": self.reference,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PairModel:
        unknown = set(data["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"pair model names unknown features: {sorted(unknown)}")
        return cls(
            knots={k: tuple(float(x) for x in v) for k, v in data["knots"].items()},
            scale={k: float(v) for k, v in data["scale"].items()},
            weights={k: tuple(float(x) for x in v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            clip={k: float(v) for k, v in data.get("clip", {}).items()},
            reference={k: float(v) for k, v in data.get("reference", {}).items()},
        )


@functools.cache
def load_pair_model() -> PairModel:
    """The shipped model (``pair_model.json`` beside this module)."""
    text = resources.files("storyline.copies").joinpath("pair_model.json").read_text(encoding="utf-8")
    return PairModel.from_json(json.loads(text))


_WORDS = {
    "longest": "longest shared passage outside quotes: {value:.0f} characters",
    "second": "second shared passage outside quotes: {value:.0f} characters",
    "narrative": "shared text outside quotes: {value:.0f} characters",
    "quoted": "shared text inside quotation marks (speech, statements): {value:.0f} characters",
    "share_short": "{value:.0%} of the shorter article is shared narrative",
    "share_long": "{value:.0%} of the longer article is shared narrative",
    "passages": "{value:.0f} separate shared passages",
    "lead": "both open with the same passage",
    "topic": "{value:.0%} of their content words in common",
    "names": "{value:.0%} of the names at the top of the shorter one appear in the other",
    "template": "same wording with mostly different figures (a recurring template report)",
    "other_subject": "one form filed for two subjects: other tickers, or another name in the same place",
    "identical": "identical text once spacing, case and punctuation are ignored",
}


_NONE = {
    "longest": "no shared passage outside quotes",
    "narrative": "no shared text outside quotes",
    "topic": "no content words in common",
    "names": "none of the names at the top of the shorter one appears in the other",
}


def describe(name: str, value: float) -> str:
    """A feature's value in words a journalist reads."""
    if value == 0.0 and name in _NONE:
        return _NONE[name]
    return _WORDS[name].format(value=value)
