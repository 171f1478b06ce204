"""Exporters, registered by format name with aliases; heavy libraries load inside them.

Generating the bytes is pure; writing is thin and atomic (a temporary file
in the target folder, then ``os.replace``), so an interrupted build never
leaves a half-written export behind.

Turtle output is deterministic: triples are sorted, prefixes fixed, no blank
nodes, so two builds of the same input are byte-identical.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .namespace import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from .assemble import Assembly

Exporter = Callable[[Graph, Path], Path]
_E = TypeVar("_E", bound=Exporter)  # keeps a decorated exporter's own signature (e.g. write_view's view_limit)
_REGISTRY: dict[str, tuple[str, Exporter]] = {}
_ALIASES: dict[str, str] = {}
_ALSO: dict[str, tuple[str, ...]] = {}  # files an exporter writes beside its main one


def register(name: str, filename: str, *aliases: str, also: tuple[str, ...] = ()) -> Callable[[_E], _E]:
    def deco(fn: _E) -> _E:
        _REGISTRY[name] = (filename, fn)
        _ALSO[name] = also
        for a in (name, *aliases):
            _ALIASES[a] = name
        return fn

    return deco


def exported_files() -> set[str]:
    """The names of every file the registered exporters write."""
    _load_plugins()
    return {f for name, (filename, _) in _REGISTRY.items() for f in (filename, *_ALSO[name])}


def _load_plugins() -> None:
    """Exporters defined in other modules register themselves on import."""
    from . import linkage  # noqa: F401  (jsonld, graphml, csv)


def formats() -> list[str]:
    _load_plugins()
    return sorted(_REGISTRY)


def resolve_format(name: str) -> str:
    _load_plugins()
    try:
        return _ALIASES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown export format {name!r} (known: {', '.join(formats())})") from None


def export(graph: "Graph | Assembly", fmt: str, out_dir: Path, *, view_limit: int | None = 5000) -> Path:
    """Write ``graph`` as ``fmt`` into ``out_dir``. An :class:`~kg.assemble.Assembly` (a streaming
    build) is written as Turtle, N-Triples or the HTML view straight from its sorted stream, CSV and
    GraphML from the small graph of its entities and their relations (:mod:`kg.export_stream`);
    JSON-LD reads it as an rdflib graph."""
    name = resolve_format(fmt)
    filename, fn = _REGISTRY[name]
    out_dir.mkdir(parents=True, exist_ok=True)
    from .assemble import Assembly

    if isinstance(graph, Assembly):
        if name == "turtle":
            return write_atomic_chunks(out_dir / filename, graph.turtle_chunks())
        if name == "ntriples":
            return write_atomic_chunks(out_dir / filename, graph.ntriples_chunks())
        if name == "html":  # from the sorted stream too: no graph of the corpus (kg.view_stream)
            return write_view(graph, out_dir / filename, view_limit=view_limit)
        if name in ("csv", "graphml"):  # they read the entities and their relations only
            from .export_stream import entity_graph

            return fn(entity_graph(graph), out_dir / filename)
        graph = graph.graph()
    if name == "html":
        return write_view(graph, out_dir / filename, view_limit=view_limit)
    return fn(graph, out_dir / filename)


def write_atomic(path: Path, data: bytes) -> Path:
    return write_atomic_chunks(path, [data])


def write_atomic_chunks(path: Path, chunks: Iterable[bytes | str]) -> Path:
    """:func:`write_atomic` of the concatenated ``chunks`` (``str`` as UTF-8), written as they come."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------- Turtle


def _term(t: object, prefixes: list[tuple[str, str]]) -> str:
    if isinstance(t, URIRef):
        s = str(t)
        for p, ns in prefixes:
            if s.startswith(ns):
                local = s[len(ns):]
                if _is_pn_local(local):
                    return f"{p}:{local}"
        return "<" + s.replace(">", "%3E") + ">"
    if isinstance(t, Literal):
        return t.n3()
    raise TypeError(f"blank nodes are not used in kg graphs: {t!r}")


_PN_EXTRA = set("-_.")


def _is_pn_local(local: str) -> bool:
    """Conservative check for a Turtle local name (ASCII letters, digits, CJK)."""
    if not local or local[-1] == "." or local[0] in "-.":
        return False
    for ch in local:
        if ch.isascii():
            if not (ch.isalnum() or ch in _PN_EXTRA):
                return False
        elif not ("\u4e00" <= ch <= "\u9fff"):
            return False
    return True


def turtle_bytes(graph: Graph) -> bytes:
    """Sorted Turtle: subjects in IRI order, ``a`` first, then predicates, then objects."""
    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    lines.append("")
    by_subject: dict[Node, list[tuple[str, str]]] = {}
    rdf_type = URIRef(PREFIXES["rdf"] + "type")
    for s, p, o in graph:
        pred = "a" if p == rdf_type else _term(p, prefixes)
        by_subject.setdefault(s, []).append((pred, _term(o, prefixes)))
    for s in sorted(by_subject, key=str):
        pos = sorted(by_subject[s], key=lambda po: (po[0] != "a", po[0], po[1]))
        lines.append(_term(s, prefixes))
        grouped: list[tuple[str, list[str]]] = []
        for p_text, o_text in pos:
            if grouped and grouped[-1][0] == p_text:
                grouped[-1][1].append(o_text)
            else:
                grouped.append((p_text, [o_text]))
        for i, (p_text, objs) in enumerate(grouped):
            end = " ." if i == len(grouped) - 1 else " ;"
            lines.append(f"    {p_text} " + ", ".join(objs) + end)
        lines.append("")
    return "\n".join(lines).encode("utf-8")


@register("turtle", "graph.ttl", "ttl")
def write_turtle(graph: Graph, path: Path) -> Path:
    return write_atomic(path, turtle_bytes(graph))


@register("html", "graph.html", "view")
def write_view(graph: "Graph | Assembly", path: Path, view_limit: int | None = 5000) -> Path:
    """The interactive page; with more than ``view_limit`` nodes it keeps the most
    connected ones and their neighbours and says on the page what it left out.
    A streaming build's page is drawn from its sorted stream (:mod:`kg.view_stream`)."""
    from .assemble import Assembly

    if isinstance(graph, Assembly):
        from .view_stream import write_html_stream

        write_html_stream(graph, path, view_limit=view_limit)
        return path
    from .view import write_html

    write_html(graph, path, view_limit=view_limit)
    return path


@register("ntriples", "graph.nt", "nt", "n-triples")
def write_ntriples(graph: Graph, path: Path) -> Path:
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
    return write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
