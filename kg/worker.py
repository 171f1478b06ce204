"""Each document in a worker process of its own, under a time and memory budget.

One hostile or enormous document must not hold a batch for hours nor take
the machine's memory: :func:`run_bounded` forks a child per task (the parent
has loaded the gazetteer, jieba and the lexicons once; the child shares them
copy-on-write), caps the child's address space (``RLIMIT_AS``) and kills it
when its time is up. The task's result comes back through a pipe; a task
that runs out of time or memory, or whose process dies, becomes a
:class:`Outcome` with a one-line reason and the batch goes on.

Up to ``jobs`` children run at once (the build runs one; a pool for many
cores only raises the number). Where ``fork`` is not available (Windows) the
tasks run in this process, without the budget.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: default budget of one document (``kg build --max-seconds-per-file`` / ``--max-memory-per-file``)
DEFAULT_SECONDS = 300.0
DEFAULT_MEMORY_MB = 4096


@dataclass(frozen=True)
class Budget:
    """Wall-clock seconds and memory (MB above what the worker starts with) for one task; None = no limit."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: int | None = DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """A task and either its result or why it has none (``error``: one line)."""

    task: T
    result: R | None = None
    error: str | None = None


def can_isolate() -> bool:
    """True where each task can run in a forked child (POSIX)."""
    return "fork" in multiprocessing.get_all_start_methods()


def run_bounded(fn: Callable[[T], R], tasks: Iterable[T], budget: Budget, *, jobs: int = 1,
                on_start: Callable[[T], None] | None = None) -> Iterator[Outcome[T, R]]:
    """``fn(task)`` for every task, each in its own child under ``budget``; outcomes in task order.

    ``fn`` must catch what it expects and return a picklable value; anything it
    raises becomes the outcome's error. Ctrl-C kills the children and propagates.
    """
    if not can_isolate():
        for task in tasks:
            if on_start:
                on_start(task)
            yield _in_process(fn, task)
        return
    ctx = multiprocessing.get_context("fork")
    pending = list(tasks)
    running: list[_Child[T]] = []
    done: dict[int, Outcome[T, R]] = {}
    next_out = 0
    try:
        index = 0
        while index < len(pending) or running:
            while index < len(pending) and len(running) < max(1, jobs):
                if on_start:
                    on_start(pending[index])
                running.append(_Child.start(ctx, fn, index, pending[index], budget))
                index += 1
            now = time.monotonic()
            timeout = min((c.deadline - now for c in running if c.deadline is not None), default=None)
            ready = wait([c.conn for c in running], timeout=max(0.0, timeout) if timeout is not None else None)
            for child in list(running):
                if child.conn in ready:
                    done[child.index] = child.collect(budget)
                    running.remove(child)
                elif child.deadline is not None and time.monotonic() >= child.deadline:
                    child.kill()
                    done[child.index] = Outcome(child.task, error=f"took longer than {budget.seconds:g} s "
                                                                  "(--max-seconds-per-file); stopped")
                    running.remove(child)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for child in running:
            child.kill()


def _in_process(fn: Callable[[T], R], task: T) -> Outcome[T, R]:
    try:
        return Outcome(task, result=fn(task))
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        return Outcome(task, error="ran out of memory")
    except Exception as exc:
        return Outcome(task, error=f"could not be processed ({type(exc).__name__}: {_one_line(exc)})")


def _one_line(exc: BaseException, limit: int = 160) -> str:
    msg = " ".join(str(exc).split()) or "no details"
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


class _Child(Generic[T]):
    def __init__(self, index: int, task: T, proc, conn: Connection, deadline: float | None) -> None:
        self.index, self.task, self.proc, self.conn, self.deadline = index, task, proc, conn, deadline

    @classmethod
    def start(cls, ctx, fn: Callable[[T], R], index: int, task: T, budget: Budget) -> "_Child[T]":
        parent_end, child_end = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child_main, args=(fn, task, child_end, budget.memory_mb, os.getpid()),
                           daemon=True)
        with held_signals():  # a Ctrl-C during fork would land in at-fork hooks and be lost
            proc.start()
        child_end.close()  # so that the child's death reads as end of file here
        deadline = time.monotonic() + budget.seconds if budget.seconds else None
        return cls(index, task, proc, parent_end, deadline)

    def collect(self, budget: Budget) -> Outcome:
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(5)
            code = self.proc.exitcode
            if code == -signal.SIGKILL:
                return Outcome(self.task, error="worker process was killed (SIGKILL: out of memory?)")
            if code is not None and code < 0:
                try:
                    name = signal.Signals(-code).name
                except ValueError:
                    name = f"signal {-code}"
                return Outcome(self.task, error=f"worker process crashed ({name})")
            return Outcome(self.task, error=f"worker process exited (status {code}) without a result")
        finally:
            self.conn.close()
        self.proc.join()
        if kind == "ok":
            return Outcome(self.task, result=value)
        if kind == "memory":
            return Outcome(self.task, error=f"ran out of memory (limit {budget.memory_mb:,} MB, --max-memory-per-file)")
        return Outcome(self.task, error=value)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def held_signals(signals: set[signal.Signals] | None = None) -> Iterator[None]:
    """Block ``signals`` (Ctrl-C and SIGTERM) for the duration: they are delivered after it.

    A no-op where unsupported (not POSIX, not the main thread).
    """
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, signals or _STOP_SIGNALS)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX, or not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _child_main(fn: Callable, task: object, conn: Connection, memory_mb: int | None, parent: int) -> None:
    # Ctrl-C: the parent reports it, the child just goes (it starts with the signals blocked)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    except (AttributeError, ValueError, OSError):  # pragma: no cover
        pass
    _die_with_parent(parent)
    if memory_mb:
        _limit_memory(memory_mb)
    try:
        message: tuple[str, object] = ("ok", fn(task))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:
        message = ("error", f"could not be processed ({type(exc).__name__}: {_one_line(exc)})")
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory", None))
    except Exception as exc:  # a result that cannot be pickled
        conn.send(("error", f"could not return its result ({type(exc).__name__}: {_one_line(exc)})"))
    conn.close()


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the build that started it dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the process holds now plus ``memory_mb``."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        current = 0
    limit = current + memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # pragma: no cover - a platform that refuses
        pass
