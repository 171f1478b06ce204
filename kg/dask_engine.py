"""``kg build --engine dask``: documents analysed on Dask workers, beyond one machine.

The build's client hands each document to a Dask worker (:func:`analyse`) and
gets its :class:`~kg.fragment.Fragment` back; the rest of the build (the
cache, fusion, the exports, validation) is the local build's, so the graph is
byte for byte the one ``--jobs N`` writes.

* Each worker loads the pipeline (gazetteer, jieba, OpenCC, the lexicons)
  once: :class:`PipelinePlugin` warms it when the worker joins, before its
  first document, and every later document on that worker reuses it.
* Without a scheduler address the build starts a :class:`~distributed.LocalCluster`
  of worker processes on this machine (one thread each) and stops it after.
* Workers read the documents themselves when they see them at the same
  absolute path as the client (a shared or copied folder); a worker that does
  not gets the file's bytes from the client instead (:func:`analyse_bytes`).
  Either way the fragments name the paths as the build was given them.
* A document that fails is one line naming the file, as in a local build;
  a worker that dies on a document (Dask retries it on another, then gives
  up) fails that document alone. The per-file budgets of a local build
  (``--max-seconds-per-file``, ``--max-memory-per-file``) do not apply: Dask's
  own worker memory limit does.

Requires the ``dask`` extra: ``pip install 'edupolicy-kg[dask]'``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import KGError

if TYPE_CHECKING:  # pragma: no cover
    from .fragment import Fragment
    from .pipeline import Failure, Pipeline

PLUGIN_NAME = "kg-pipeline"

_lock = threading.Lock()
_pipeline: "Pipeline | None" = None
_warmups = 0  # how many times this process loaded the pipeline (1 on a warm worker)


class DaskUnavailable(KGError):
    """The ``dask`` extra is not installed, or the scheduler cannot be reached."""


def worker_pipeline() -> "Pipeline":
    """This worker process's pipeline, loaded and warmed on first use (once per process)."""
    global _pipeline, _warmups
    with _lock:
        if _pipeline is None:
            from .pipeline import Pipeline

            p = Pipeline()
            p.warm()
            _pipeline = p
            _warmups += 1
        return _pipeline


def warmups() -> int:
    """How many times this process loaded the pipeline (tests: 1 per worker)."""
    return _warmups


#: what :func:`analyse` returns when this worker does not see the file (the client then sends its bytes)
MISSING = "kg-dask: file not on this worker"


def analyse(path: str, doc_id: str) -> "Fragment | Failure | str":
    """One document on a Dask worker: its fragment, a :class:`~kg.pipeline.Failure`, or :data:`MISSING`."""
    if not Path(path).exists():
        return MISSING
    pipeline = worker_pipeline()
    with _lock:  # one document at a time per process (jieba and the caches are not thread-safe)
        return pipeline.fragment_safely(Path(path), doc_id)


def analyse_bytes(name: str, data: bytes, doc_id: str) -> "Fragment | Failure":
    """One document sent as its bytes: written under its own name in a temporary folder of the
    worker (the name's suffix tells its format) and analysed there."""
    import tempfile

    pipeline = worker_pipeline()
    with tempfile.TemporaryDirectory(prefix="kg-dask-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with _lock:
            return pipeline.fragment_safely(path, doc_id)


def _plugin_class() -> type:
    from distributed import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Loads the pipeline when a worker joins, so start-up is paid once per worker, before work."""

        name = PLUGIN_NAME

        def setup(self, worker: Any) -> None:
            worker_pipeline()

    return PipelinePlugin


@dataclass
class DaskEngine:
    """Where the documents go: ``scheduler`` (``tcp://host:8786``), else a local cluster of ``workers`` processes."""

    scheduler: str | None = None
    workers: int = 2
    ship: bool = False  # send every document's bytes (else only to workers that do not see the file)

    def run(self, tasks: list[tuple[int, tuple[Path, str]]],
            progress: Callable[[Path], None] | None = None) -> Iterator[tuple[int, "Fragment | Failure"]]:
        """``(i, fragment or failure)`` for every ``(i, (path, doc_id))`` of ``tasks``, as they finish."""
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise DaskUnavailable("--engine dask needs Dask: pip install 'edupolicy-kg[dask]'") from None
        from .pipeline import Failure

        cluster = None
        try:
            if self.scheduler is None:
                cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
                client = Client(cluster)
            else:
                try:
                    client = Client(self.scheduler, timeout=30)
                except (OSError, TimeoutError) as exc:
                    raise DaskUnavailable(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
        except BaseException:
            if cluster is not None:
                cluster.close()
            raise
        try:
            client.register_plugin(_plugin_class()(), name=PLUGIN_NAME)
            by_key: dict[Any, tuple[int, Path, str]] = {}
            running = as_completed()

            def ship(i: int, path: Path, doc_id: str) -> "Failure | None":
                try:
                    data = path.read_bytes()
                except OSError as exc:  # as kg.ingest.read_document says it
                    return Failure(path, "file not found" if isinstance(exc, FileNotFoundError)
                                   else f"cannot read file ({exc.strerror or exc})")
                future = client.submit(analyse_bytes, path.name, data, doc_id, pure=False)
                by_key[future.key] = (i, path, doc_id)
                running.add(future)
                return None

            early: list[tuple[int, Failure]] = []
            for i, (path, doc_id) in tasks:
                if self.ship:
                    failed = ship(i, path, doc_id)
                    if failed is not None:
                        early.append((i, failed))
                    continue
                future = client.submit(analyse, str(path.resolve()), doc_id, pure=False)
                by_key[future.key] = (i, path, doc_id)
                running.add(future)
            for i, failed in early:
                if progress:
                    progress(failed.path)
                yield i, failed
            for future in running:
                i, path, doc_id = by_key.pop(future.key)
                try:
                    out = future.result()
                except Exception as exc:  # the worker died on it (KilledWorker) or the task could not run
                    out = Failure(path, f"could not be processed on a Dask worker ({type(exc).__name__}: "
                                        f"{_one_line(exc)})")
                else:
                    if out == MISSING:  # this worker does not see the file: send it its bytes
                        future.release()
                        out = ship(i, path, doc_id)
                        if out is None:
                            continue
                    else:
                        out = _as_given(out, path)
                future.release()
                if progress:
                    progress(path)
                yield i, out
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _as_given(out: "Fragment | Failure", path: Path) -> "Fragment | Failure":
    """The worker read the absolute path; the build names the path as it was given."""
    from .pipeline import Failure

    if isinstance(out, Failure):
        return Failure(path, out.reason)
    out.source = path
    return out


def _one_line(exc: BaseException, limit: int = 160) -> str:
    msg = " ".join(str(exc).split()) or "no details"
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"
