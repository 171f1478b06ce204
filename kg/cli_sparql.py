"""``kg query``, ``kg serve``, ``kg load`` and ``kg export``: SPARQL and linkage commands.

:func:`register` adds them to the ``kg`` click group (kg/cli.py calls it).
Library code lives in :mod:`kg.query`, :mod:`kg.serve` and :mod:`kg.linkage`;
here arguments are parsed and errors become one line on stderr.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from .errors import KGError

DEFAULT_GRAPH = Path("exports/graph.ttl")
DEFAULT_TIMEOUT = 60.0
EXIT_TIMEOUT = 124  # as timeout(1)
EXIT_INTERRUPTED = 130  # 128 + SIGINT

log = logging.getLogger(__name__)


def _safe(msg: str) -> str:
    from .query import safe_text

    return safe_text(msg)


def _fail(msg: str, code: int = 1) -> NoReturn:
    click.echo(f"kg: {_safe(msg)}", err=True)
    sys.exit(code)


def _exit_now(msg: str | None, code: int) -> NoReturn:
    """One line on stderr, then end the process at once: Oxigraph's evaluation in
    another thread cannot be cancelled, only ended with the process."""
    if msg:
        try:
            sys.stderr.write(f"kg: {_safe(msg)}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def run_bounded(work: Callable[[], None], timeout: float) -> None:
    """Run ``work`` in a thread and wait for it; Ctrl-C (exit 130) and ``timeout``
    seconds (exit 124; 0 = no limit) end the process with one line on stderr.

    The waiting thread is the main one, so a signal is handled at once even while
    Oxigraph evaluates (it releases the GIL and checks for no signal itself).
    """
    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the calling thread
            failure.append(exc)

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    deadline = time.monotonic() + timeout if timeout > 0 else None
    try:
        worker.start()
        while worker.is_alive():
            left = 0.25 if deadline is None else min(0.25, deadline - time.monotonic())
            if left <= 0:
                _exit_now(f"query stopped after {timeout:g} s (--timeout {timeout:g}; 0 = no limit)", EXIT_TIMEOUT)
            worker.join(left)
    except KeyboardInterrupt:
        _exit_now("interrupted", EXIT_INTERRUPTED)
    if failure:
        raise failure[0]


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def _parse_params(items: tuple[str, ...]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not name:
            _fail(f"--param {item!r}: expected NAME=VALUE", 2)
        params.setdefault(name, []).append(value)
    return params


@click.command(name="query")
@click.argument("query_spec", metavar="QUERY", required=False)
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Graph file to query (.ttl, .nt, .jsonld …) [default: {DEFAULT_GRAPH}].")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              help="On-disk Oxigraph store folder to query (from save_store / kg build --store).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld"],
                                case_sensitive=False),
              help="Output: a text table or SPARQL 1.1 results CSV/TSV/JSON/XML; "
                   "turtle/ntriples/jsonld for CONSTRUCT queries. Rows are written as they come; "
                   "CSV/TSV cells that a spreadsheet would run as a formula get a leading ' "
                   "(json keeps every value exact).")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Fill the query's 'VALUES ?NAME { … }' parameter (repeatable): a string, "
                   "<IRI>, or UNDEF (any). Values are bound as RDF terms, never pasted as query text.")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Stop the query after this many seconds (exit 124); 0 = no limit.")
@click.option("--list", "list_queries", is_flag=True, help="List the library queries and exit.")
def query_cmd(query_spec: str | None, graph_file: Path | None, store_dir: Path | None, fmt: str,
              params: tuple[str, ...], timeout: float, list_queries: bool) -> None:
    """Run a SPARQL query on a built graph with Oxigraph.

    QUERY is a .rq file, the name of a library query (see --list, e.g.
    indicator_values) or the query text. The prefixes kg:, kgr:, rdf:, rdfs:,
    skos:, xsd: and owl: are declared for you. Ctrl-C stops it (exit 130).
    """
    from . import query as q

    if list_queries:
        lib = q.library()
        if not lib:
            _fail("no library queries found (looked in ./queries and the installed kg/queries)")
        for name, path in lib.items():
            first = q.describe(path).splitlines()
            click.echo(f"{name:<30} {first[0] if first else ''}")
        return
    if not query_spec:
        _fail("missing QUERY (a .rq file, a library name, or the query text; --list shows the library)", 2)
    if graph_file and store_dir:
        _fail("give either --graph or --store, not both", 2)
    try:
        label, text = q.load_query_text(query_spec)
        if params:
            text = q.bind_params(text, _parse_params(params))
    except (KGError, OSError) as exc:
        _fail(_first_line(exc))
    if store_dir is not None:
        source: Path = store_dir
    else:
        source = graph_file or DEFAULT_GRAPH
        if not source.exists():
            _fail(f"{source}: no such file (build one with 'kg build', or give --graph / --store)")
        from .readback import build_store_for

        own = build_store_for(source)  # the build's store of this very file: no parsing
        if own is not None:
            log.info("reading %s instead of parsing %s", own, source)
            graph_file, source = source, own
    out = sys.stdout.buffer

    def work() -> None:
        try:
            store = q.open_store(source)
        except KGError:
            if store_dir is not None or source.is_file() or graph_file is None:
                raise
            store = q.open_store(graph_file)  # the build's store cannot be opened: parse its file
        log.info("%s: evaluating on %s", label, source)
        q.stream(store, text, fmt, out)
        out.flush()

    try:
        run_bounded(work, timeout)
    except BrokenPipeError:  # the reader went away (kg query … | head)
        _exit_now(None, 0)
    except (KGError, OSError) as exc:
        _fail(_first_line(exc))


@click.command(name="serve")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Oxigraph store folder to serve.")
@click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Graph file to serve (loaded into a temporary store) [default: {DEFAULT_GRAPH}].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes, with a token (a --graph's temporary store "
                   "is discarded on exit).")
@click.option("--token", envvar="KG_SERVE_TOKEN", metavar="TEXT",
              help="The token a writable server requires as 'Authorization: Bearer TEXT' on every request "
                   "but GET/HEAD [default: generated and printed; env KG_SERVE_TOKEN].")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
              help="Stop a query or update after this many seconds (503); 0 = no limit.")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE (and LOAD in updates) make outbound requests; off by default.")
def serve_cmd(store_dir: Path | None, graph_file: Path | None, host: str, port: int, writable: bool,
              token: str | None, timeout: float, allow_service: bool) -> None:
    """Serve a graph over the SPARQL 1.1 Protocol (Ctrl-C stops it).

    Cross-site requests (a foreign Origin, Sec-Fetch-Site, or Host) are refused;
    a writable server also requires its token on every request but GET/HEAD.
    """
    from .serve import Server

    if store_dir and graph_file:
        _fail("give either --store or --graph, not both", 2)
    if token is not None and not token.strip():
        _fail("--token: give a non-empty token", 2)
    if store_dir is None and graph_file is None:
        if DEFAULT_GRAPH.exists():
            graph_file = DEFAULT_GRAPH
        elif not writable:
            _fail(f"nothing to serve: {DEFAULT_GRAPH} does not exist; give --store DIR or --graph FILE", 2)
    server = Server(store=store_dir, graph=graph_file, host=host, port=port, writable=writable,
                    timeout=timeout, token=token, allow_service=allow_service)

    def _terminate(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    def _restarted(reason: str) -> None:
        click.echo(f"kg: {_safe(reason)}; the engine was restarted", err=True)

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        try:
            server.start()
        except KGError as exc:
            _fail(_first_line(exc))
        urls = server.urls
        what = _safe(str(store_dir or graph_file or "an empty store"))
        limit = f"queries stopped after {timeout:g} s" if timeout else "no time limit"
        remote = "SERVICE allowed" if allow_service else "SERVICE off"
        click.echo(f"Serving {what} ({'read-write' if writable else 'read-only'}; {limit}; {remote})")
        click.echo(f"SPARQL endpoint: {urls['query']}")
        if writable:
            click.echo(f"SPARQL update:   {urls['update']}")
        click.echo(f"Graph store:     {urls['store']}")
        click.echo("Try: curl -H 'Accept: application/sparql-results+json' "
                   f"--data-urlencode 'query=SELECT * WHERE {{ ?s ?p ?o }} LIMIT 5' {urls['query']}")
        if writable:
            shown = "given by --token" if token else server.token
            click.echo(f"Token:           {shown} (send 'Authorization: Bearer TOKEN' with every write; "
                       "kg load --token)")
        click.echo("Press Ctrl-C to stop.")
        sys.stdout.flush()
        code = server.wait(on_restart=_restarted)
        if code != 0:
            _fail(f"the SPARQL engine exited with status {code} ({_first_line(Exception(server._server_output()))})")
    except KeyboardInterrupt:
        click.echo("stopping the server", err=True)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)


@click.command(name="load")
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL 1.1 Graph Store endpoint, e.g. http://127.0.0.1:7878/store (a bare server "
                   "address means its /store).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to write [default: the default graph].")
@click.option("--file", "graph_file", default=DEFAULT_GRAPH, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Graph file to send.")
@click.option("--replace", is_flag=True, help="Replace the graph's content (HTTP PUT) instead of adding (POST).")
@click.option("--token", envvar="KG_SERVE_TOKEN", metavar="TEXT",
              help="Sent as 'Authorization: Bearer TEXT' (the token of a writable kg serve; env KG_SERVE_TOKEN).")
def load_cmd(endpoint: str, graph_iri: str | None, graph_file: Path, replace: bool, token: str | None) -> None:
    """Push a built graph into a SPARQL 1.1 Graph Store Protocol endpoint."""
    from .serve import push_graph

    try:
        url, status = push_graph(endpoint, graph_file, graph_iri, replace=replace, token=token)
    except KGError as exc:
        _fail(_first_line(exc))
    click.echo(f"{'replaced' if replace else 'added'} {_safe(str(graph_file))} into {_safe(url)} (HTTP {status})")


@click.command(name="export")
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "formats", multiple=True, required=True,
              help="Format (repeatable): turtle, ntriples, jsonld, graphml, csv, html.")
@click.option("--out", "out_dir", default=Path("exports"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
def export_cmd(graph_file: Path, formats: tuple[str, ...], out_dir: Path) -> None:
    """Convert a built graph (GRAPH_FILE) into other formats."""
    from . import linkage  # noqa: F401  (registers jsonld, graphml, csv)
    from .export import export, resolve_format

    try:
        fmts = [resolve_format(f) for f in formats]
    except ValueError as exc:
        _fail(str(exc), 2)
    try:
        graph = linkage.read_graph(graph_file)
    except KGError as exc:
        _fail(_first_line(exc))
    for f in fmts:
        try:
            path = export(graph, f, out_dir)
        except (KGError, OSError) as exc:
            _fail(f"{f}: {_first_line(exc)}")
        click.echo(f"wrote {path}")
        if f == "csv":
            click.echo(f"wrote {path.parent / linkage.EDGES_FILE}")


def register(group: click.Group) -> None:
    """Add ``query``, ``serve``, ``load`` and ``export`` to the ``kg`` group."""
    for cmd in (query_cmd, serve_cmd, load_cmd, export_cmd):
        if cmd.name not in group.commands:
            group.add_command(cmd)
