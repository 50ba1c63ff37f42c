"""The Ray executor of the driver stage's parallel steps: a step's own results, in input order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

ray = pytest.importorskip("ray", reason="the Ray executor needs the ray extra: pip install 'storyline[ray]'")

from storyline.batch.ray_engine import _start as start_cluster  # noqa: E402
from storyline.batch.ray_tasks import RayTasks  # noqa: E402
from storyline.model import RawItem  # noqa: E402
from storyline.pipeline.steps import clean_step  # noqa: E402
from storyline.settings import Settings  # noqa: E402

TEXT = (
    "Officials in {n} said on Monday that the new bridge over the river would open next spring, after"
    " two years of work and a budget that grew by a third. The mayor said traffic would ease at once."
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    assert start_cluster(ray, None, 2)  # the engine's loopback cluster
    yield ray
    ray.shutdown()


def test_chunks_on_the_cluster_give_the_steps_results_in_order(cluster: Any) -> None:
    """A real step with side inputs (put in the object store once): the same results as inline."""
    items = [RawItem(f"d{n}", f"in.jsonl:{n}", TEXT.format(n=f"town {n}"), "text") for n in range(9)]
    items.append(RawItem("short", "in.jsonl:9", "Too short.", "text"))  # a rejection keeps its place
    pending = RayTasks(cluster).submit(clean_step, items, None, Settings())
    assert pending.result() == clean_step(items, None, Settings())


def test_a_step_of_one_item_runs_inline(cluster: Any) -> None:
    executor = RayTasks(cluster)
    items = [RawItem("d0", "in.jsonl:0", TEXT.format(n="Ghent"), "text")]
    assert executor.submit(clean_step, items, None, Settings()).result() == clean_step(
        items, None, Settings()
    )
    assert executor._remote == {}  # no task was made for it
