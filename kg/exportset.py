"""The exports of one build, replaced as a whole; one build at a time per folder.

Each file of a build is written into a staging folder inside ``--out``
(``.kg-build-<id>/``), with a manifest (``.kg-build.json``) naming the build
and its files. Nothing in ``--out`` changes until every file is written. Then
the staging folder is renamed ``.kg-ready`` — the commit point — and moved
into place: first the previous build's files (those its manifest names) and
the files about to be replaced are removed, then the new files are renamed
in, then the manifest. Other files in ``--out`` are never touched. A reader of ``--out`` therefore sees files of one build only, at
worst for an instant fewer of them; a build killed before the commit leaves
the old exports untouched; one killed after it is completed by the next build
(:func:`recover`). Signals are held back while the files move.

:func:`locked` holds an exclusive lock on ``--out/.kg-lock`` for a whole
build: a second build into the same folder waits for the first. Under the
lock, :func:`recover` also removes what killed builds left behind: staging
folders and ``.graph.ttl.*.tmp`` files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import TYPE_CHECKING

from rdflib import Graph

from .errors import KGError
from .worker import held_signals

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.connection import Connection

    from .assemble import Assembly, StoreLoader

MANIFEST = ".kg-build.json"
LOCK = ".kg-lock"
READY = ".kg-ready"
STAGING_PREFIX = ".kg-build-"
#: temporary files of an interrupted atomic write older than this are removed (seconds)
STALE_TMP_AGE = 3600


class OutputBusy(KGError):
    """Another build holds the output folder (raised only when not waiting)."""


@contextmanager
def locked(out_dir: Path, on_wait: Callable[[str], None] | None = None, wait: bool = True) -> Iterator[None]:
    """Hold the output folder's lock; call ``on_wait(holder)`` once if another build has it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            if not wait:
                raise OutputBusy(f"{out_dir}: another build (pid {holder}) is writing into this folder") from None
            if on_wait:
                on_wait(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def known_files() -> set[str]:
    """Every file name a kg exporter writes (their ``.NAME.*.tmp`` files are ours to clean up)."""
    from .export import exported_files

    return exported_files()


def recover(out_dir: Path) -> list[str]:
    """Finish a committed build that was killed while moving its files; remove what killed builds left.

    Call it holding :func:`locked`. Returns one line per thing it did.
    """
    done: list[str] = []
    if not out_dir.is_dir():
        return done
    if (out_dir / READY).is_dir():
        _move_into_place(out_dir)
        done.append(f"completed the interrupted build in {out_dir}")
    now = time.time()
    names = known_files() | {MANIFEST}
    for entry in out_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed {entry.name}/ of an interrupted build")
        elif entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
            base = entry.name[1:].rsplit(".", 2)[0]  # .graph.ttl.k3j2h1.tmp -> graph.ttl
            try:
                old = now - entry.stat().st_mtime > STALE_TMP_AGE
            except OSError:
                continue
            if base in names and old:
                entry.unlink(missing_ok=True)
                done.append(f"removed {entry.name} of an interrupted write")
    return done


def write_set(graph: "Graph | Assembly", fmts: list[str], out_dir: Path, *, view_limit: int | None = 5000,
              store: bool = False) -> list[Path]:
    """Write every format of one build, then swap the set into ``out_dir``; return the paths written.

    ``graph``: an rdflib graph or a streaming build's :class:`~kg.assemble.Assembly` (its Turtle
    and N-Triples and the view are written from its sorted stream, CSV and GraphML from its entities;
    JSON-LD parses it once).

    ``store``: also an Oxigraph store of the graph in ``out_dir/store/``, named by the manifest,
    which ``kg query``/``stats``/``explain`` then read instead of parsing the Turtle
    (:mod:`kg.readback`). It replaces the previous build's store with the rest of the set.
    """
    from .export import export
    from .readback import STORE_DIRNAME, file_stamp, mark_store

    out_dir.mkdir(parents=True, exist_ok=True)
    build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
    staging = out_dir / f"{STAGING_PREFIX}{build_id}"
    staging.mkdir()
    loader: StoreLoader | None = None
    side: _SideExport | None = None
    try:
        from .assemble import Assembly

        if isinstance(graph, Assembly) and any(_needs_graph(f) for f in fmts):
            parsed: Graph | None = graph.graph()  # once for every format that needs it
        else:
            parsed = None
        # a streaming build's view is drawn from its record runs in a process of its own while this one
        # writes the Turtle and the store (started first: the store loader's thread must not be forked)
        side = _SideExport.start(graph, fmts, staging, view_limit) if type(graph) is Assembly else None
        if isinstance(graph, Assembly) and store and any(_resolve(f) == "turtle" for f in fmts):
            loader = graph.store_loader(staging / STORE_DIRNAME)  # loaded as the Turtle is written
        for fmt in fmts:
            if side is not None and _resolve(fmt) == side.fmt:
                continue
            export(parsed if parsed is not None and _needs_graph(fmt) else graph, fmt, staging,
                   view_limit=view_limit)
        if side is not None:
            waited, side = side, None
            waited.join()
        files = sorted(p.name for p in staging.iterdir() if p.is_file() and not p.name.startswith("."))
        manifest: dict[str, object] = {"build": build_id, "files": files, "triples": len(graph),
                                       "stamps": {name: file_stamp(staging / name) for name in files}}
        if store:
            if loader is not None:
                loader.close()
                loader = None
            else:
                _write_store(graph, staging, build_id)
            mark_store(staging / STORE_DIRNAME, build_id, len(graph))
            manifest["store"] = STORE_DIRNAME
        _write_synced(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        _fsync_dir(staging)
        with held_signals():
            os.rename(staging, out_dir / READY)  # the commit point
            _move_into_place(out_dir)
    except BaseException:
        if side is not None:
            side.stop()
        if loader is not None:
            loader.abandon()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / name for name in files] + ([out_dir / STORE_DIRNAME] if store else [])


class _SideExport:
    """One format written by a forked process (the view of a streaming build: three passes over its
    sorted records, which only read the runs on disk), its error raised here as it was raised there."""

    fmt = "html"

    def __init__(self, proc: "multiprocessing.process.BaseProcess", conn: "Connection") -> None:
        self.proc, self.conn = proc, conn

    @classmethod
    def start(cls, graph: "Assembly", fmts: list[str], staging: Path, view_limit: int | None) -> "_SideExport | None":
        if cls.fmt not in {_resolve(f) for f in fmts} or len(fmts) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        if threading.active_count() > 1:
            return None  # forking a process with other threads (a Dask client's) could copy a held lock
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_side_export, args=(graph, cls.fmt, staging, view_limit, child), daemon=True)
        proc.start()
        child.close()
        return cls(proc, parent)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.join()
        self.conn.close()

    def join(self) -> None:
        try:
            error = self.conn.recv()
        except EOFError:
            error = RuntimeError(f"writing the {self.fmt} view stopped (exit code {self.proc.exitcode})")
        finally:
            self.proc.join()
            self.conn.close()
        if error is not None:
            raise error


def _side_export(graph: "Assembly", fmt: str, staging: Path, view_limit: int | None, conn: "Connection") -> None:
    from .export import export

    try:
        export(graph, fmt, staging, view_limit=view_limit)
    except BaseException as exc:  # sent back whole: the build reports it as if it had raised here
        try:
            conn.send(exc)
        except Exception:
            conn.send(RuntimeError(f"writing the {fmt} view failed: {exc}"))
    else:
        conn.send(None)
    finally:
        conn.close()


def _resolve(fmt: str) -> str:
    from .export import resolve_format

    return resolve_format(fmt)


def _needs_graph(fmt: str) -> bool:
    """Whether a streaming build's format is written from an rdflib graph of the whole of it (Turtle,
    N-Triples and the view are written from its sorted stream, CSV and GraphML from its entities)."""
    return _resolve(fmt) not in ("turtle", "ntriples", "html", "csv", "graphml")


def _write_store(graph: "Graph | Assembly", staging: Path, build_id: str) -> None:
    """The build's store: a streaming build's in pieces, else bulk-loaded from the staged N-Triples
    or Turtle when there is one."""
    from .assemble import Assembly
    from .query import save_store
    from .readback import STORE_DIRNAME

    if isinstance(graph, Assembly):
        graph.save_store(staging / STORE_DIRNAME)  # in pieces, from its sorted stream
        return
    for name in ("graph.nt", "graph.ttl"):
        if (staging / name).is_file():
            save_store(staging / name, staging / STORE_DIRNAME)
            return
    save_store(graph, staging / STORE_DIRNAME)


def store_is_replaceable(out_dir: Path) -> bool:
    """May a build put its store in ``out_dir/store/``? Yes unless a folder that is no
    build's store (the user's own) is there."""
    from .readback import STORE_DIRNAME, store_build

    path = out_dir / STORE_DIRNAME
    return not path.exists() and not path.is_symlink() or (path.is_dir() and store_build(path) is not None)


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of the build whose files are in ``out_dir`` (None if none or unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _move_into_place(out_dir: Path) -> None:
    """Idempotent: removes the old set, renames the ready files in, then the manifest."""
    ready = out_dir / READY
    new = read_manifest(ready)
    if new is None:  # a ready folder without its manifest: not a build of ours to finish
        shutil.rmtree(ready, ignore_errors=True)
        return
    new_files = [str(n) for n in new.get("files", [])]
    old = read_manifest(out_dir) or {}
    ours = {str(n) for n in old.get("files", [])}  # only what a build wrote: never a file of the user's
    for name in sorted(ours | set(new_files)):
        if _plain(name) and (name not in new_files or (ready / name).exists()):
            (out_dir / name).unlink(missing_ok=True)  # old files go before any new one comes in
    for name in new_files:
        if _plain(name) and (ready / name).exists():
            _rename(ready / name, out_dir / name)
    _move_store(out_dir, ready, old, new)
    _rename(ready / MANIFEST, out_dir / MANIFEST)
    _fsync_dir(out_dir)
    shutil.rmtree(ready, ignore_errors=True)


def _move_store(out_dir: Path, ready: Path, old: dict, new: dict) -> None:
    """The previous build's store goes (only a folder marked as a build's store); the new one comes in."""
    from .readback import store_build

    build = new.get("build")
    names = {str(n) for n in (old.get("store"), new.get("store")) if isinstance(n, str) and _plain(n)}
    for name in sorted(names):
        dest = out_dir / name
        if dest.is_dir() and not dest.is_symlink() and store_build(dest) not in (None, build):
            shutil.rmtree(dest)
    store = new.get("store")
    if isinstance(store, str) and _plain(store) and (ready / store).is_dir() and not (out_dir / store).exists():
        _rename(ready / store, out_dir / store)


def _rename(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _plain(name: str) -> bool:
    """A file name of the folder itself (a manifest never points elsewhere)."""
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..", MANIFEST, LOCK)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
