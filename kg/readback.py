"""Reading a build back from its on-disk Oxigraph store instead of re-parsing its Turtle.

A build into ``OUT`` may keep an Oxigraph store of the same triples in
``OUT/store/`` (``kg build --with-store``; by default above
:data:`STORE_MIN_TRIPLES` triples). The export manifest (``OUT/.kg-build.json``)
names it, with the build's id and the size and modification time of each file
it wrote; the store holds the same id in ``store/kg-build.json``.
:func:`build_store_for` returns the store of a graph file only when all of
that agrees — the file is the one the build wrote, untouched, and the store is
that build's — so ``kg query``, ``kg stats`` and ``kg explain`` read the
store, and otherwise parse the file as before.

The answers are the same either way: :func:`counts_of_store` counts what
:func:`counts_of_graph` counts, and :func:`explain_store` hands
:func:`kg.explain.explain` the part of the store that it reads.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import KGError
from .namespace import KG_NS, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

    from .explain import Explanation

#: folder of a build's own store inside ``--out``
STORE_DIRNAME = "store"
#: the file inside that store naming the build it belongs to
STORE_MARKER = "kg-build.json"
#: ``kg build`` keeps a store of its own by default from this many triples (about 150 documents)
STORE_MIN_TRIPLES = 100_000

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_XSD_STRING = PREFIXES["xsd"] + "string"


# ------------------------------------------------------------------ which store belongs to a file


def file_stamp(path: Path) -> list[int]:
    """What the manifest records of a file: its size and modification time (ns)."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def store_build(store_dir: Path) -> str | None:
    """The build id a kg build store was written by (None: not a kg build store)."""
    try:
        data = json.loads((store_dir / STORE_MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    build = data.get("build") if isinstance(data, dict) else None
    return build if isinstance(build, str) else None


def mark_store(store_dir: Path, build_id: str, triples: int) -> None:
    """Name the build a store belongs to (Oxigraph ignores the extra file)."""
    (store_dir / STORE_MARKER).write_text(json.dumps({"build": build_id, "triples": triples}), "utf-8")


def build_store_for(graph_file: Path) -> Path | None:
    """The on-disk store of the build that wrote ``graph_file``, or None.

    None when the folder has no manifest, the manifest names no store, the file
    is not one the build wrote or was changed since (size or mtime differ), or
    the store was written by another build.
    """
    from .exportset import read_manifest

    out_dir = graph_file.parent
    manifest = read_manifest(out_dir)
    if not manifest:
        return None
    name, build = manifest.get("store"), manifest.get("build")
    if not isinstance(name, str) or not name or "/" in name or name in (".", "..") or not isinstance(build, str):
        return None
    stamps = manifest.get("stamps")
    if not isinstance(stamps, dict) or graph_file.name not in manifest.get("files", []):
        return None
    try:
        if stamps.get(graph_file.name) != file_stamp(graph_file):
            return None
    except OSError:
        return None
    store = out_dir / name
    if not (store / "CURRENT").is_file() or store_build(store) != build:
        return None
    return store


# ------------------------------------------------------------------ kg stats


@dataclass(frozen=True)
class Counts:
    """What ``kg stats`` prints: triples, ``rdf:type`` objects and predicates in the kg namespace."""

    triples: int
    classes: dict[str, int]
    properties: dict[str, int]

    def format(self) -> str:
        lines = [f"{self.triples} triples", "classes:"]
        lines += [f"  {k:<16} {v}" for k, v in sorted(self.classes.items())]
        lines.append("properties:")
        lines += [f"  {k:<16} {v}" for k, v in sorted(self.properties.items())]
        return "\n".join(lines)


def counts_of_graph(g: "Graph") -> Counts:
    from rdflib.namespace import RDF

    classes = Counter(str(o)[len(KG_NS):] for o in g.objects(None, RDF.type) if str(o).startswith(KG_NS))
    preds = Counter(str(p)[len(KG_NS):] for _, p, _ in g if str(p).startswith(KG_NS))
    return Counts(len(g), dict(classes), dict(preds))


def counts_of_store(store: ox.Store) -> Counts:
    """The same counts with two grouped SPARQL queries on Oxigraph."""

    def grouped(sparql: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in store.query(sparql):  # type: ignore[union-attr]
            key, n = row[0], row[1]
            if isinstance(key, ox.NamedNode) and key.value.startswith(KG_NS) and n is not None:
                out[key.value[len(KG_NS):]] = int(n.value)
        return out

    classes = grouped(f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s <{_RDF}type> ?o }} GROUP BY ?o")
    preds = grouped("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    return Counts(len(store), classes, preds)


# ------------------------------------------------------------------ kg explain

#: links from a statement or an observation to the node it is about (what explain follows back)
_BACK_LINKS = (_RDF + "subject", _RDF + "object", KG_NS + "about", KG_NS + "locatedIn", KG_NS + "indicator")


def resolve_in_store(store: ox.Store, ref: str) -> ox.NamedNode:
    """:func:`kg.explain.resolve_node` on a store: an IRI, or a label or altLabel (not an Evidence's)."""
    if ref.startswith(("http://", "https://")):
        try:
            node = ox.NamedNode(ref)
        except ValueError:
            raise KGError(f"{ref}: not in the graph") from None
        if next(iter(store.quads_for_pattern(node, None, None)), None) is None:
            raise KGError(f"{ref}: not in the graph")
        return node
    evidence_type = ox.NamedNode(KG_NS + "Evidence")
    rdf_type = ox.NamedNode(_RDF + "type")
    for prop in (_RDFS + "label", _SKOS + "altLabel"):
        hits: set[ox.NamedNode] = set()
        for lit in (ox.Literal(ref, language="zh"), ox.Literal(ref)):
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), lit):
                if isinstance(q.subject, ox.NamedNode):
                    hits.add(q.subject)
        found = sorted((h for h in hits if ox.Quad(h, rdf_type, evidence_type) not in store), key=lambda n: n.value)
        if found:
            return found[0]
    raise KGError(f"{ref}: no node with that IRI, label or altLabel")


def _about(store: ox.Store, node: ox.NamedNode) -> "Graph":
    """The triples :func:`kg.explain.explain` reads for ``node``, as an rdflib graph.

    The node's own triples; those of the statements and observations that point
    at it, of their evidence, and the labels of everything they name.
    """
    from rdflib import Graph

    described: set[ox.NamedNode | ox.BlankNode] = {node}
    for pred in _BACK_LINKS:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), node):
            if isinstance(q.subject, (ox.NamedNode, ox.BlankNode)):
                described.add(q.subject)
    ev_pred = ox.NamedNode(KG_NS + "evidence")
    for s in list(described):
        for q in store.quads_for_pattern(s, ev_pred, None):
            if isinstance(q.object, (ox.NamedNode, ox.BlankNode)):
                described.add(q.object)
    quads = [q for s in sorted(described, key=str) for q in store.quads_for_pattern(s, None, None)]
    named = {q.object for q in quads if isinstance(q.object, ox.NamedNode)} - described
    label = ox.NamedNode(_RDFS + "label")
    quads += [q for o in sorted(named, key=str) for q in store.quads_for_pattern(o, label, None)]
    g = Graph()
    for q in quads:
        g.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return g


def _term(t: object) -> "Node":
    """An Oxigraph term as rdflib parses it from Turtle (a plain string has no datatype)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise TypeError(f"not an RDF term: {t!r}")


def explain_store(store: ox.Store, ref: str) -> "Explanation":
    """:func:`kg.explain.explain` of ``ref`` on an on-disk store, reading only the node's part."""
    from .explain import explain

    node = resolve_in_store(store, ref)
    return explain(_about(store, node), node.value)


def open_read_only(store_dir: Path) -> ox.Store:
    from .query import open_store

    return open_store(store_dir, read_only=True)
