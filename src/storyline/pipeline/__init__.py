"""Orchestration: run the stages over inputs against a store, batch by batch."""

from storyline.pipeline.run import Outcome, RunSummary, process, run

__all__ = ["Outcome", "RunSummary", "process", "run"]
