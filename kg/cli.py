"""The ``kg`` command: a thin layer over the library.

Each command parses its arguments, calls one library function and turns the
library's errors into a one-line message and an exit status.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .display import shown
from .errors import KGError
from .worker import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable, Iterator

    import pyoxigraph
    from rdflib import Graph

    from .assemble import Assembly
    from .cache import FragmentCache
    from .fragment import Fragment
    from .pipeline import Pipeline

EXIT_PARTIAL = 3  # some documents failed, the rest were built
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


def _fail(msg: str, code: int = 1) -> None:
    click.echo(f"kg: {msg}", err=True)
    sys.exit(code)


class _Main(click.Group):
    """The ``kg`` group: Ctrl-C in any command is one line and status 130, not "Aborted!" and 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edupolicy-kg")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does.")
def main(verbose: bool) -> None:
    """Turn Chinese education-policy documents into a knowledge graph."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default=Path("exports"), type=click.Path(path_type=Path), show_default=True,
              help="Folder for graph.ttl and graph.html.")
@click.option("--format", "formats", multiple=True, default=("turtle", "html"), show_default=True,
              help="Export formats (repeat): turtle, html, ntriples, jsonld, graphml, csv.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also keep an on-disk Oxigraph store here, for kg query/serve --store.")
@click.option("--with-store/--no-store", "own_store", default=None,
              help="Keep OUT/store/, an Oxigraph store of this build that kg query, stats and explain read "
                   "instead of parsing graph.ttl  [default: from 100,000 triples]")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the built graph.")
@click.option("--view-limit", default=5000, show_default=True, type=click.IntRange(min=0),
              help="Most nodes drawn in graph.html (the most connected and their neighbours); 0 = all.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when writing to a terminal).")
@click.option("--max-seconds-per-file", "max_seconds", default=DEFAULT_SECONDS, show_default=True,
              type=click.FloatRange(min=0), help="Stop a document after this many seconds and go on; 0 = no limit.")
@click.option("--max-memory-per-file", "max_memory", default=DEFAULT_MEMORY_MB, show_default=True,
              type=click.IntRange(min=0), help="Memory (MB) one document may take; 0 = no limit.")
@click.option("--jobs", "-j", default=None, type=click.IntRange(min=1),
              help="Documents analysed at once, each in a worker process  [default: the machine's cores]")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the incremental cache (unchanged documents are not analysed again)  "
                   "[default: OUT/.kg-cache]")
@click.option("--no-cache", is_flag=True, help="Analyse every document; neither read nor write the cache.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are analysed: worker processes of this machine, or Dask workers "
                   "(pip install 'edupolicy-kg[dask]'; the per-file limits do not apply there).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786) for --engine dask  [default: a local cluster of --jobs "
                   "worker processes]")
def build(paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], store_dir: Path | None,
          own_store: bool | None, no_validate: bool, view_limit: int, progress: bool | None, max_seconds: float, max_memory: int,
          jobs: int | None, cache_dir: Path | None, no_cache: bool, engine: str, scheduler: str | None) -> None:
    """Build the knowledge graph of PATHS (files or folders) into --out.

    The exports of a build replace the previous build's as a whole; a second
    build into the same --out waits for the first. Ctrl-C stops with status 130
    and leaves the previous exports as they were.
    """
    from .exportset import locked, read_manifest, recover

    try:
        fmts = [_resolve_format(f) for f in formats]
    except ValueError as exc:
        _fail(str(exc), 2)
    if scheduler is not None and engine != "dask":
        _fail("--scheduler is for --engine dask", 2)
    # import what the build needs now: a Ctrl-C that lands in an import is not always a clean
    # KeyboardInterrupt (importlib's callbacks swallow it, class bodies wrap it in RuntimeError)
    import opencc  # noqa: F401

    from . import graph, pipeline  # noqa: F401
    from .tokenize import import_posseg

    import_posseg()
    if "html" in fmts:
        from . import view  # noqa: F401

    before = read_manifest(out_dir) if out_dir.is_dir() else None
    try:
        with locked(out_dir, on_wait=lambda pid: click.echo(
                f"kg: {shown(out_dir)}: another build (pid {pid}) is writing here; waiting for it", err=True)):
            for line in recover(out_dir):
                click.echo(f"kg: {shown(line)}", err=True)
            _build(paths, out_dir, fmts, store_dir, no_validate, view_limit, progress,
                   Budget(seconds=max_seconds or None, memory_mb=max_memory or None),
                   _Scale(jobs or _cores(), None if no_cache else (cache_dir or out_dir / DEFAULT_CACHE),
                          prune=cache_dir is None, own_store=own_store, engine=engine, scheduler=scheduler))
    except (KeyboardInterrupt, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) and not isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            raise  # a bug, not Ctrl-C (which Python wraps in RuntimeError inside a class definition)
        after = read_manifest(out_dir) if out_dir.is_dir() else None
        state = "left as they were" if after == before else "replaced by this build's"
        _fail(f"interrupted; the exports in {shown(out_dir)} were {state}", EXIT_INTERRUPTED)
    except OSError as exc:  # the lock or the folder itself
        _fail(f"{shown(exc.filename or out_dir)}: cannot write exports ({exc.strerror or exc})")


DEFAULT_CACHE = ".kg-cache"  # kg.cache.DEFAULT_DIRNAME (not imported: kg.cli loads fast)


@dataclass(frozen=True)
class _Scale:
    """How a build spreads and reuses its work (issue 12): workers, and the cache folder (None: off)."""

    jobs: int
    cache_dir: Path | None
    prune: bool  # the cache is the output folder's own: entries this build did not use go
    own_store: bool | None = None  # OUT/store/ (kg.readback); None: from STORE_MIN_TRIPLES triples
    engine: str = "local"  # or "dask" (kg.dask_engine): documents analysed on Dask workers
    scheduler: str | None = None  # the Dask scheduler's address; None: a local cluster of `jobs` workers


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _resolve_format(name: str) -> str:
    from .export import resolve_format

    return resolve_format(name)


def _build(paths: tuple[Path, ...], out_dir: Path, fmts: list[str], store_dir: Path | None, no_validate: bool,
           view_limit: int, progress: bool | None, budget: Budget, scale: _Scale) -> None:
    from .assemble import assemble
    from .ingest import iter_inputs
    from .pipeline import Failure, Pipeline, tasks_of

    t0 = time.perf_counter()
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        click.echo(f"kg: {shown(p)}: no such file or folder", err=True)
    inputs = iter_inputs([p for p in paths if p.exists()])
    if not inputs:
        _fail("no documents to build (supported: .txt .md .html .htm .docx .pdf)", 2)
    pipeline = Pipeline()
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and len(inputs) > 1:
        import tqdm as _tqdm
        from tqdm import tqdm

        _tqdm.tqdm.monitor_interval = 0  # no monitor thread in a process that forks workers
        bar = tqdm(total=len(inputs), unit="doc", file=sys.stderr, leave=False)

    def step(path: Path) -> None:
        if bar is not None:
            bar.set_postfix_str(shown(path.name)[:30])
            bar.update(1)

    cache = _open_cache(scale.cache_dir)
    failures: list = []
    noted: list[tuple[Path, list[str], tuple[str, ...]]] = []  # (source, notes, extraction notes)
    documents = 0
    tasks = tasks_of(inputs)
    keys = [cache.key(path, doc_id) for path, doc_id in tasks] if cache is not None else None
    state = None  # what the next build rebuilds from (kg.incremental): recorded, or updated by this rebuild
    graph = None
    if cache is not None and "turtle" in fmts:
        state, graph = _rebuild(out_dir, fmts, pipeline, tasks, keys or [], cache, step, budget, scale, failures,
                                noted)
    if graph is not None:
        documents = graph.documents

    def fragments() -> "Iterator[Fragment]":
        # one fragment at a time into the assembly: the build never holds the corpus
        nonlocal documents
        for out in pipeline.iter_fragments(inputs, progress=step, budget=budget, jobs=scale.jobs, cache=cache,
                                           dask=_dask_engine(scale), tasks=tasks, task_keys=keys):
            if isinstance(out, Failure):
                failures.append(out)
                continue
            documents += 1
            if out.notes or out.extraction_notes:
                noted.append((out.source, list(out.notes), tuple(out.extraction_notes)))
            yield out

    try:
        if graph is None:
            if cache is not None and "turtle" in fmts:
                from .incremental import Recorder, RecordingAssembler

                state = Recorder(out_dir, fmts, {d: k for (_, d), k in zip(tasks, keys or ()) if k is not None})
                asm = RecordingAssembler(state, workdir=out_dir)
                try:
                    for frag in fragments():
                        asm.add(frag)
                    graph = asm.finish()
                except BaseException:
                    asm.close()
                    raise
            else:
                graph = assemble(fragments(), workdir=out_dir)
    except KGError as exc:  # --engine dask: Dask missing, or its scheduler out of reach
        if state is not None:
            state.abandon()
        _fail(f"{shown(exc)}; the exports in {shown(out_dir)} were left as they were")
    except BaseException:
        if state is not None:
            state.abandon()
        raise
    finally:
        if bar is not None:
            bar.close()
    assert graph is not None
    try:
        _report_and_write(graph, failures, noted, documents, out_dir, fmts, store_dir, no_validate, view_limit,
                          scale, cache, t0, state)
    finally:
        graph.close()
    if failures or missing:
        sys.exit(EXIT_PARTIAL)


def _rebuild(out_dir: Path, fmts: list[str], pipeline: "Pipeline", tasks: list, keys: list, cache: "FragmentCache",
             step: Callable, budget: Budget, scale: _Scale, failures: list, noted: list) -> tuple:
    """An incremental rebuild from the previous build's state (kg.incremental): (its state, its graph), or
    (None, None) for a full build (saying why, when there was a state it could not use)."""
    from .incremental import Rebuild, RebuildError
    from .pipeline import Failure

    rb = Rebuild.open(out_dir, fmts)
    try:
        plan = rb.plan(tasks, keys) if isinstance(rb, Rebuild) else rb
    except Exception:  # a damaged state
        plan = "the incremental state is unreadable"
    if not isinstance(plan, (str, type(None))) and isinstance(rb, Rebuild):
        new = {}
        todo = [tasks[i] for i in plan.todo]
        hits = cache.hits
        try:
            for out in pipeline.iter_fragments([], progress=step, budget=budget, jobs=scale.jobs, cache=cache,
                                               dask=_dask_engine(scale) if todo else None, tasks=todo,
                                               task_keys=[keys[i] for i in plan.todo]):
                if isinstance(out, Failure):
                    failures.append(out)
                else:
                    new[out.doc_id] = out
            graph = rb.assemble(plan, new, cache, out_dir)
        except RebuildError as exc:
            graph = str(exc)
        except Exception as exc:  # a damaged state (whatever it breaks): built in full
            graph = f"the incremental state is damaged: {type(exc).__name__}: {exc}"
        except BaseException:
            rb.abandon()
            raise
        if not isinstance(graph, str):
            cache.hits += len(plan.unchanged)
            cache.used.update(keys[i] for i in plan.unchanged)
            noted.extend((Path(source), notes, extra) for source, notes, extra in rb.order_notes)
            return rb, graph
        plan = graph
        failures.clear()
        cache.hits = hits
    if isinstance(rb, Rebuild):
        rb.abandon()
    if isinstance(plan, str):
        click.echo(f"incremental: full build ({plan})")
    return None, None


def _report_and_write(graph: "Assembly", failures: list, noted: list, documents: int, out_dir: Path,
                      fmts: list[str], store_dir: Path | None, no_validate: bool, view_limit: int, scale: _Scale,
                      cache: "FragmentCache | None", t0: float, state: Any = None) -> None:
    from .exportset import read_manifest, write_set

    for f in failures:
        click.echo(f"kg: {shown(f.path)}: {shown(f.reason)}", err=True)
    for source, notes, extraction_notes in noted:
        if notes:
            click.echo(f"kg: {shown(source)}: partly unreadable, kept the rest: {shown('; '.join(notes))}", err=True)
        for note in extraction_notes:
            click.echo(f"kg: {shown(source)}: note: {shown(note)}", err=True)
    try:
        if not documents:
            _fail(f"no document could be built; the exports in {shown(out_dir)} were left as they were")
        keep_store = _keeps_store(scale.own_store, len(graph), out_dir)
        try:
            written = write_set(graph, fmts, out_dir, view_limit=view_limit or None, store=keep_store)
        except OSError as exc:
            _fail(f"{shown(exc.filename or out_dir)}: cannot write exports ({exc.strerror or exc}); "
                  "the previous exports were left as they were")
        if state is not None:
            state.commit(graph, str((read_manifest(out_dir) or {}).get("build")), keep_store)
            state = None
        else:  # a previous build's state no longer describes the folder
            from .incremental import STATE_DIRNAME

            shutil.rmtree(out_dir / STATE_DIRNAME, ignore_errors=True)
    finally:
        if state is not None:
            state.abandon()
    counts = graph.counts
    by_class = ", ".join(f"{k} {v}" for k, v in sorted(counts.entities.items()))
    click.echo(
        f"{documents} documents ({len(failures)} failed), {sum(counts.entities.values())} entities ({by_class}), "
        f"{counts.relations} relations, {counts.observations} observations, {len(graph)} triples "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    if store_dir is not None:
        try:
            graph.save_store(store_dir)
        except KGError as exc:
            _fail(shown(exc))
        written.append(store_dir)
    for path in written:
        click.echo(f"wrote {shown(path)}")
    if not no_validate:
        _check_shapes(out_dir, scale.jobs)
    if cache is not None:
        where = "on Dask workers" if scale.engine == "dask" else f"{scale.jobs} at once"
        click.echo(f"cache: {cache.hits} documents unchanged, {documents + len(failures) - cache.hits} analysed "
                   f"({where})")
        if scale.prune:
            cache.prune()


def _dask_engine(scale: _Scale):
    if scale.engine != "dask":
        return None
    from .dask_engine import DaskEngine

    return DaskEngine(scheduler=scale.scheduler, workers=scale.jobs)


def _check_shapes(out_dir: Path, threads: int) -> None:
    """The SHACL shapes, checked as SPARQL on the build's store or on its N-Triples/Turtle (never
    skipped silently: the line says what was checked, or why nothing was)."""
    from .shacl_sparql import validate_build

    try:
        checked = validate_build(out_dir, threads=threads)
    except (KGError, OSError) as exc:  # a graph Oxigraph cannot read, shapes it cannot compile, a store it cannot open
        click.echo(f"shapes: not checked ({shown(str(exc))})")
        return
    if checked is None:
        click.echo("shapes: not checked (this build wrote neither Turtle, N-Triples nor a store; "
                   "add --format turtle)")
        return
    click.echo(f"shapes: {checked.line()}")


def _keeps_store(asked: bool | None, triples: int, out_dir: Path) -> bool:
    """Whether this build keeps OUT/store/: when asked, or by default at scale; never over a
    folder of the user's."""
    from .exportset import store_is_replaceable
    from .readback import STORE_DIRNAME, STORE_MIN_TRIPLES

    wanted = asked if asked is not None else triples >= STORE_MIN_TRIPLES
    if wanted and not store_is_replaceable(out_dir):
        click.echo(f"kg: {shown(out_dir / STORE_DIRNAME)} exists and is not a build's store; "
                   "not keeping one (kg query/stats/explain will parse graph.ttl)", err=True)
        return False
    return wanted


def _open_cache(cache_dir: Path | None) -> "FragmentCache | None":
    from .cache import FragmentCache

    return FragmentCache(cache_dir) if cache_dir is not None else None


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder holding the documents the gold files name.")
@click.option("--misses", is_flag=True, help="List what was missed or wrong, per document.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_(gold_dir: Path, docs_dir: Path, misses: bool, as_json: bool) -> None:
    """Score extraction against gold annotations (precision, recall, F1)."""
    from .evaluate import evaluate
    from .graph import to_graph
    from .pipeline import Pipeline

    pipeline = Pipeline()
    try:
        show = sys.stderr.isatty()
        report = evaluate(gold_dir, docs_dir, lambda p: to_graph([pipeline.process(p)]),
                          progress=(lambda name: click.echo(f"building {name}…", err=True)) if show else None)
    except KGError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(json.dumps(report.as_dict(misses=misses), ensure_ascii=False, indent=2))
    else:
        click.echo(report.format(misses=misses))


@main.command()
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL and run on Oxigraph (fast at any size); "
                   "pyshacl: pySHACL on an rdflib graph (slow; the reference the first is tested against).")
@click.option("--jobs", "-j", default=None, type=click.IntRange(min=1),
              help="Queries run at once (--engine sparql)  [default: the machine's cores]")
def validate(graph_file: Path, engine: str, jobs: int | None) -> None:
    """Check a graph: Oxigraph must accept it (IRIs, syntax), then the SHACL shapes of the contract.

    An empty or non-RDF file is an error (exit 1), as is a graph Oxigraph rejects. A graph.ttl
    whose build kept its store (OUT/store/) is checked there, without parsing it.
    """
    from .query import safe_text
    from .validate import MAX_PROBLEMS, validate as run

    line = None
    try:
        if engine == "sparql":
            from .shacl_sparql import validate_file, validate_store

            store = _build_store(graph_file)  # the build's own store of this very file: nothing to parse
            checked = (validate_store(store, threads=jobs or _cores()) if store is not None
                       else validate_file(graph_file, threads=jobs or _cores()))
            report, line = checked.report, checked.line()
        else:
            report = run(graph_file)
    except KGError as exc:
        _fail(safe_text(str(exc)))
    except Exception as exc:  # a parse error in a user's file
        _fail(safe_text(f"{graph_file}: cannot read graph ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"))
    click.echo(safe_text(line or report.summary()))
    for p in report.problems[:MAX_PROBLEMS]:
        click.echo(f"  Oxigraph: {safe_text(p)}")
    for v in report.violations[:50]:
        click.echo(safe_text(f"  {v.severity}: {v.focus} {v.path or ''}: {v.message}"))
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stats(graph_file: Path) -> None:
    """Counts of entities by class, relations by property, observations.

    A graph.ttl whose build kept its store (OUT/store/) is counted there, without parsing it.
    """
    from .readback import counts_of_graph, counts_of_store

    store = _build_store(graph_file)
    if store is not None:
        click.echo(counts_of_store(store).format())
        return
    click.echo(counts_of_graph(_parse(graph_file)).format())


def _build_store(graph_file: Path) -> "pyoxigraph.Store | None":
    """The build's own store of ``graph_file``, opened read-only, or None (kg.readback)."""
    from .readback import build_store_for, open_read_only

    path = build_store_for(graph_file)
    if path is None:
        return None
    try:
        store = open_read_only(path)
    except KGError as exc:  # unreadable: parse the file instead
        logging.getLogger(__name__).info("%s; parsing %s", exc, graph_file)
        return None
    logging.getLogger(__name__).info("reading %s instead of parsing %s", path, graph_file)
    return store


def _parse(graph_file: Path) -> "Graph":
    from rdflib import Graph

    g = Graph()
    try:
        g.parse(graph_file)
    except Exception as exc:
        _fail(f"{graph_file}: cannot read graph ({type(exc).__name__})")
    return g


@main.command()
@click.argument("ref")
@click.option("--graph", "graph_file", default=Path("exports/graph.ttl"), show_default=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A built graph.")
def explain(ref: str, graph_file: Path) -> None:
    """Print the evidence for a node or fact: REF is an IRI, a label or an altLabel.

    A graph.ttl whose build kept its store (OUT/store/) is read there, without parsing it.
    """
    from .explain import explain as run
    from .readback import explain_store

    store = _build_store(graph_file)
    try:
        explanation = explain_store(store, ref) if store is not None else run(_parse(graph_file), ref)
    except KGError as exc:
        _fail(str(exc))
    click.echo(explanation.format())


def _attach_sparql_commands() -> None:
    """``kg query``, ``kg serve``, ``kg load``, ``kg export`` live in :mod:`kg.cli_sparql`."""
    from . import cli_sparql

    cli_sparql.register(main)


_attach_sparql_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
