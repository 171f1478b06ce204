"""kg/pool.py: long-lived workers, each task under its own budget (the budgets of kg/worker.py)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kg.pool import run_pooled
from kg.worker import Budget, can_isolate

needs_fork = pytest.mark.skipif(not can_isolate(), reason="needs fork")
BUDGET = 2.0


def _slow(task: str) -> str:
    if task == "slow":
        while True:
            time.sleep(0.05)
    return task.upper()


def _hog(task: str) -> int:
    if task.startswith("hog"):
        blocks = []
        while True:
            blocks.append(bytearray(50 * 1024 * 1024))
    return 1


def _crash(task: str) -> str:
    if task == "die":
        os.kill(os.getpid(), signal.SIGTERM)
    if task == "raise":
        raise RuntimeError("a bug, not bad input")
    return task


def _pid(task: int) -> int:
    return os.getpid()


@needs_fork
def test_workers_live_on_across_tasks() -> None:
    for jobs in (1, 2):
        outcomes = list(run_pooled(_pid, list(range(12)), Budget(), jobs=jobs))
        pids = {o.result for o in outcomes}
        assert [o.task for o in outcomes] == list(range(12))
        assert 1 <= len(pids) <= jobs and os.getpid() not in pids


@needs_fork
def test_a_task_out_of_time_is_stopped_and_the_rest_go_on() -> None:
    for jobs in (1, 2):
        started: list[str] = []
        outcomes = list(run_pooled(_slow, ["a", "slow", "b", "c"], Budget(seconds=BUDGET, memory_mb=None), jobs=jobs,
                                   on_start=started.append))
        assert [(o.task, o.result) for o in outcomes] == [("a", "A"), ("slow", None), ("b", "B"), ("c", "C")]
        assert outcomes[1].error == f"took longer than {BUDGET:g} s (--max-seconds-per-file); stopped"
        assert started == ["a", "slow", "b", "c"]


@needs_fork
def test_the_memory_budget_is_per_task_in_a_long_lived_worker() -> None:
    # 150 MB per task: ten small tasks would not fit in one budget if it were the worker's
    outcomes = list(run_pooled(_hog, ["ok"] * 3 + ["hog1", "ok", "hog2", "ok"], Budget(seconds=None, memory_mb=150)))
    assert [o.result for o in outcomes] == [1, 1, 1, None, 1, None, 1]
    for o in (outcomes[3], outcomes[5]):
        assert o.error is not None and o.error.startswith("ran out of memory (limit 150 MB")


@needs_fork
def test_a_crash_or_an_exception_is_one_line_and_the_pool_goes_on() -> None:
    outcomes = list(run_pooled(_crash, ["die", "raise", "fine", "die", "fine2"], Budget(), jobs=2))
    assert outcomes[0].error == "worker process crashed (SIGTERM)"
    assert outcomes[1].error == "could not be processed (RuntimeError: a bug, not bad input)"
    assert [outcomes[2].result, outcomes[4].result] == ["fine", "fine2"]
    assert outcomes[3].error == "worker process crashed (SIGTERM)"
