"""A pool of long-lived worker processes, each task still under its own time and memory budget.

:func:`kg.worker.run_bounded` forks a child per task: the parent's warm
state (jieba, OpenCC, the gazetteer) is shared, but every document starts
from the parent's caches again and pays the fork, about as much time as the
document's own analysis on the seeds. :func:`run_pooled` forks up to
``jobs`` workers once and sends each many tasks through a pipe; the budget
is the same, per task:

* time: a task past its deadline has its worker killed (the only way to stop
  it); the task gets the same one-line reason and a fresh worker takes the
  next task;
* memory: before each task the worker caps its address space at what it
  holds then plus the budget (``RLIMIT_AS``); a task that runs out gets the
  same reason, and its worker is not trusted with another.

A crash or a kill of a worker is one task's outcome too. Outcomes come in
task order. Where ``fork`` is not available the tasks run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from .worker import (
    _STOP_SIGNALS,
    Budget,
    Outcome,
    _die_with_parent,
    _in_process,
    _limit_memory,
    _one_line,
    can_isolate,
    held_signals,
)

T = TypeVar("T")
R = TypeVar("R")


def run_pooled(fn: Callable[[T], R], tasks: Iterable[T], budget: Budget, *, jobs: int = 1,
               on_start: Callable[[T], None] | None = None) -> Iterator[Outcome[T, R]]:
    """``fn(task)`` for every task on up to ``jobs`` worker processes, each task under ``budget``.

    As :func:`kg.worker.run_bounded`: ``fn`` returns a picklable value, what it
    raises becomes the outcome's error, outcomes come in task order, Ctrl-C
    kills the workers and propagates.
    """
    if not can_isolate():
        for task in tasks:
            if on_start:
                on_start(task)
            yield _in_process(fn, task)
        return
    ctx = multiprocessing.get_context("fork")
    pending = list(tasks)
    idle: list[_Worker] = []
    busy: list[_Worker] = []
    done: dict[int, Outcome[T, R]] = {}
    next_task = next_out = 0
    try:
        while next_task < len(pending) or busy:
            while next_task < len(pending) and len(busy) < max(1, jobs):
                fresh = not idle
                worker = idle.pop() if idle else _Worker.start(ctx, fn, budget)
                if worker.send(next_task, pending[next_task], budget):
                    if on_start:
                        on_start(pending[next_task])
                    busy.append(worker)
                    next_task += 1
                    continue
                worker.kill()  # it died: between tasks, the task goes to a fresh worker; at its start, it fails
                if fresh:
                    done[next_task] = Outcome(pending[next_task], error="worker process could not be started")
                    next_task += 1
            now = time.monotonic()
            timeout = min((w.deadline - now for w in busy if w.deadline is not None), default=None)
            ready = wait([w.conn for w in busy], timeout=max(0.0, timeout) if timeout is not None else None)
            for worker in list(busy):
                index = worker.index
                if worker.conn in ready:
                    outcome, reusable = worker.collect(pending[index], budget)
                    done[index] = outcome
                    busy.remove(worker)
                    if reusable:
                        idle.append(worker)
                    else:
                        worker.kill()
                elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                    worker.kill()
                    busy.remove(worker)
                    done[index] = Outcome(pending[index], error=f"took longer than {budget.seconds:g} s "
                                                                "(--max-seconds-per-file); stopped")
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for worker in busy:
            worker.kill()
        for worker in idle:
            worker.stop()


class _Worker:
    def __init__(self, proc: Any, conn: Connection) -> None:
        self.proc, self.conn = proc, conn
        self.index = -1
        self.deadline: float | None = None

    @classmethod
    def start(cls, ctx: Any, fn: Callable[[Any], Any], budget: Budget) -> "_Worker":
        parent_end, child_end = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_worker_main, args=(fn, child_end, budget.memory_mb, os.getpid()), daemon=True)
        with held_signals():  # a Ctrl-C during fork would land in at-fork hooks and be lost
            proc.start()
        child_end.close()  # so that the worker's death reads as end of file here
        return cls(proc, parent_end)

    def send(self, index: int, task: Any, budget: Budget) -> bool:
        try:
            self.conn.send((index, task))
        except (OSError, EOFError):
            return False
        self.index = index
        self.deadline = time.monotonic() + budget.seconds if budget.seconds else None
        return True

    def collect(self, task: Any, budget: Budget) -> tuple[Outcome, bool]:
        """The task's outcome, and whether this worker may take another task."""
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(5)
            code = self.proc.exitcode
            if code == -signal.SIGKILL:
                return Outcome(task, error="worker process was killed (SIGKILL: out of memory?)"), False
            if code is not None and code < 0:
                try:
                    name = signal.Signals(-code).name
                except ValueError:
                    name = f"signal {-code}"
                return Outcome(task, error=f"worker process crashed ({name})"), False
            return Outcome(task, error=f"worker process exited (status {code}) without a result"), False
        if kind == "ok":
            return Outcome(task, result=value), True
        if kind == "memory":
            return Outcome(task, error=f"ran out of memory (limit {budget.memory_mb:,} MB, "
                                       "--max-memory-per-file)"), False
        return Outcome(task, error=value), True

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, EOFError):
            pass
        self.proc.join(5)
        self.kill()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def _worker_main(fn: Callable, conn: Connection, memory_mb: int | None, parent: int) -> None:
    # Ctrl-C: the parent reports it, the worker just goes (it starts with the signals blocked)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    except (AttributeError, ValueError, OSError):  # pragma: no cover
        pass
    _die_with_parent(parent)
    while True:
        try:
            message_in = conn.recv()
        except (EOFError, OSError):
            return
        if message_in is None:
            return
        _, task = message_in
        if memory_mb:
            _limit_memory(memory_mb)  # this task's budget: above what the worker holds now
        try:
            message: tuple[str, object] = ("ok", fn(task))
        except MemoryError:
            message = ("memory", None)
        except Exception as exc:
            message = ("error", f"could not be processed ({type(exc).__name__}: {_one_line(exc)})")
        try:
            conn.send(message)
        except MemoryError:
            message = ("memory", None)
            conn.send(message)
        except Exception as exc:  # a result that cannot be pickled
            conn.send(("error", f"could not return its result ({type(exc).__name__}: {_one_line(exc)})"))
        if message[0] == "memory":
            return  # a worker that ran out of memory is not trusted with another task
