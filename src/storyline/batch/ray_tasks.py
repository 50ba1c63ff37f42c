"""An executor of the pipeline's parallel steps on a Ray cluster: each chunk of a step is a Ray task.

The Ray engine answers the cleaning steps from its stage outputs (:class:`~storyline.batch.ray_engine.
Precomputed`), but the driver stage still has a parallel step of its own: the end-of-run story
revision scores every article against its candidates in chunks (``score_chunks``), over a side input
that holds the whole story index (its vectors and postings). Run inline, that is the largest piece of
the driver stage after the store's writes; on a cluster given by ``--address`` the chunks go to its
CPUs instead, the side inputs put in the object store once per step rather than pickled into every
chunk. A cluster the engine started in its own process is this machine: kept up, it held 1.6 GiB more
through the driver stage at 20k items (the stage's peak 1.4 → 3.0 GiB) for a step that took 4-6 s, so
it is shut down before that stage and the driver scores. The results are the step's own, in input
order, so they are the ones an inline run gives.

The stages' ``map_batches`` bodies take their large side input (the corpus line evidence, the texts
to verify) as an object ref and fetch it once per worker process with :func:`side_value`, which keeps
only the latest; a task of this executor lets it go first (the stages are done by then), so its
memory serves the step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from storyline.pipeline.parallel import Pending, Step

__all__ = ["RayTasks", "side_value"]

_SIDE: dict[str, Any] = {}


def side_value(ref: Any) -> Any:
    """The value of the object ref `ref`, fetched once per worker process; only the latest is kept."""
    import ray

    key = ref.hex()
    if key not in _SIDE:
        _SIDE.clear()
        _SIDE[key] = ray.get(ref)
    return _SIDE[key]


def _chunk(step: Step[Any], items: Sequence[Any], *side: Any) -> list[Any]:
    """A task of :class:`RayTasks`: the stages' side value let go (see the module docstring), then
    the step."""
    _SIDE.clear()
    return step(items, *side)


class RayTasks:
    """Runs ``step(chunk, *side)`` as Ray tasks, two chunks per CPU of the cluster, once a step has
    `min_items` items or more (one runs inline). The default suits the step the engine sends, whose
    item is the scoring of 256 articles (a tenth of a second or more) against the few milliseconds a
    task takes to start. `ray` is the connected Ray module; the cluster stays the engine's, so
    :meth:`close` releases nothing."""

    def __init__(self, ray: Any, min_items: int = 2) -> None:
        self._ray, self.min_items = ray, min_items
        self._remote: dict[Callable[..., Any], Any] = {}

    def _cpus(self) -> int:
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def submit(self, step: Step[Any], items: Sequence[Any], *side: Any) -> Pending[Any]:
        """The chunks submitted at once; `step` must be a module-level function (the workers import it)."""
        if len(items) < self.min_items:
            return Pending(inline=lambda: step(items, *side))
        remote = self._remote.get(step)
        if remote is None:
            remote = self._remote[step] = self._ray.remote(_chunk).options(name=step.__name__)
        refs = [self._ray.put(s) for s in side]  # a ref given as an argument reaches the task as its value
        size = -(-len(items) // (self._cpus() * 2))
        return Pending(
            [remote.remote(step, items[i : i + size], *refs).future() for i in range(0, len(items), size)]
        )

    def close(self) -> None:
        """Nothing to release: the cluster is the engine's."""
