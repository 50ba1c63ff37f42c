"""Orchestration: run the stages over inputs against a store, batch by batch."""

from storyline.pipeline.run import Outcome, Pipeline, RunSummary, process, run

__all__ = ["Outcome", "Pipeline", "RunSummary", "process", "run"]
