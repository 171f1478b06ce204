"""Linkage exports: JSON-LD with a published context, GraphML, CSV node and edge tables.

Importing this module registers the formats ``jsonld``, ``graphml`` and ``csv``
in :mod:`kg.export`'s registry, so ``kg export`` / ``kg build --format`` and
:func:`kg.export.export` know them. All outputs are deterministic (sorted).

- ``jsonld`` → ``graph.jsonld``: rdflib's JSON-LD serializer with the context in
  ``kg/data/context.jsonld`` (short names for the contract's terms).
- ``graphml`` → ``graph.graphml``: a directed graph for Gephi, Cytoscape, yEd:
  nodes are the entities (label, class, adcode …), edges the relations
  between them (predicate, evidence count).
- ``csv`` → ``nodes.csv`` and ``edges.csv`` beside it (UTF-8).

:func:`to_networkx` gives the same entities and relations as a
``networkx.MultiDiGraph`` for analysis in Python.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import KGError
from .export import register, write_atomic
from .namespace import KG, KG_NS, PREFIXES
from .textsafe import neutralise_cell

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx  # type: ignore[import-untyped]

__all__ = ["ENTITY_CLASSES", "RELATIONS", "context", "jsonld_bytes", "graphml_bytes", "csv_tables",
           "to_networkx", "read_graph"]

CONTEXT_FILE = Path(__file__).parent / "data" / "context.jsonld"
EDGES_FILE = "edges.csv"
NODES_HEADER = ["iri", "class", "label", "altLabels", "adcode", "parent"]
EDGES_HEADER = ["subject", "predicate", "object", "evidence"]

ENTITY_CLASSES = (KG.Agency, KG.School, KG.Program, KG.PolicyDocument, KG.Place, KG.Person, KG.Indicator)
RELATIONS = (KG.implements, KG.locatedIn, KG.partOf, KG.issues, KG.memberOf, KG.cooperatesWith)


def read_graph(path: Path) -> Graph:
    """Parse a graph file (format from its extension) into an rdflib graph."""
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml",
           ".xml": "xml", ".owl": "xml", ".n3": "n3", ".trig": "trig", ".nq": "nquads"}.get(path.suffix.lower())
    if fmt is None:
        raise KGError(f"{path}: unknown RDF file type {path.suffix!r}")
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True, replace=True)
    try:
        g.parse(path, format=fmt)
    except Exception as exc:  # a parse error in a user's file
        msg = str(exc).strip().splitlines()
        raise KGError(f"{path}: cannot read graph ({type(exc).__name__}: {msg[0][:200] if msg else ''})") from None
    return g


# ------------------------------------------------------------------ JSON-LD


@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The published JSON-LD context (the value of ``@context``)."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _sort_json(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _sort_json(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sort_json(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return node


def jsonld_bytes(graph: Graph) -> bytes:
    """JSON-LD compacted with the published context; nodes sorted by ``@id``, values sorted."""
    ctx = context()
    data = json.loads(graph.serialize(format="json-ld", context=ctx, auto_compact=True))
    if isinstance(data, dict) and "@graph" not in data:  # a single node comes uncompacted into @graph
        data = {"@context": data.pop("@context", ctx), "@graph": [data] if data else []}
    nodes = data.get("@graph", [])
    nodes = sorted((_sort_json(n) for n in nodes), key=lambda n: str(n.get("@id", "")))
    out = {"@context": ctx, "@graph": nodes}
    return (json.dumps(out, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


@register("jsonld", "graph.jsonld", "json-ld")
def write_jsonld(graph: Graph, path: Path) -> Path:
    return write_atomic(path, jsonld_bytes(graph))


# ------------------------------------------------------------------ entities and relations


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s[len(KG_NS):] if s.startswith(KG_NS) else s


def _label(graph: Graph, node: Node) -> str:
    labels = sorted(str(o) for o in graph.objects(node, RDFS.label))
    return labels[0] if labels else ""


def entities(graph: Graph) -> dict[URIRef, dict[str, Any]]:
    """Entities (instances of the contract's entity classes) with their attributes, by IRI."""
    out: dict[URIRef, dict[str, Any]] = {}
    for cls in ENTITY_CLASSES:
        for s in graph.subjects(RDF.type, cls):
            if not isinstance(s, URIRef) or s in out:
                continue
            attrs: dict[str, Any] = {"class": _local(cls), "label": _label(graph, s)}
            alts = sorted({str(o) for o in graph.objects(s, SKOS.altLabel)})
            attrs["altLabels"] = alts
            for key, prop in (("adcode", KG.adcode), ("level", KG.level), ("post", KG.post)):
                vals = sorted(str(o) for o in graph.objects(s, prop) if isinstance(o, Literal))
                if vals:
                    attrs[key] = vals[0]
            parents = sorted(graph.objects(s, KG.partOf), key=str)
            if cls == KG.Place and parents:
                attrs["parent"] = _label(graph, parents[0])
            out[s] = attrs
    return dict(sorted(out.items(), key=lambda kv: str(kv[0])))


def relations(graph: Graph) -> list[tuple[Any, URIRef, Any, list[str]]]:
    """``(subject, predicate, object, evidence sentences)`` for every relation between entities."""
    ents = entities(graph)
    evidence: dict[tuple[Any, Any, Any], list[str]] = defaultdict(list)
    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        for ev in graph.objects(st, KG.evidence):
            evidence[(s, p, o)].append(str(graph.value(ev, KG.text) or ""))
    out = []
    for p in RELATIONS:
        for s, o in graph.subject_objects(p):
            if s in ents and o in ents:
                out.append((s, p, o, sorted(evidence.get((s, p, o), []))))
    out.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    return out


def to_networkx(graph: Graph) -> "nx.MultiDiGraph":
    """The entities and their relations as a ``networkx.MultiDiGraph``.

    Nodes are entity IRIs with ``label``, ``class``, ``altLabels`` (a list) and,
    when known, ``adcode``, ``level``, ``post``, ``parent`` (a place's parent's
    label); edges are keyed by predicate (``implements`` …) and carry
    ``predicate``, ``evidence`` (count) and ``sentences`` (the evidence texts).
    """
    import networkx as nx  # type: ignore[import-untyped]

    g = nx.MultiDiGraph()
    for iri, attrs in entities(graph).items():
        g.add_node(str(iri), **attrs)
    for s, p, o, sentences in relations(graph):
        name = _local(p)
        g.add_edge(str(s), str(o), key=name, predicate=name, evidence=len(sentences), sentences=sentences)
    return g


# ------------------------------------------------------------------ GraphML


def graphml_bytes(graph: Graph) -> bytes:
    """GraphML of a ``networkx.DiGraph``: parallel relations between two entities share an edge
    whose ``predicate`` lists them (space-separated) and whose ``evidence`` sums their counts."""
    import networkx as nx  # type: ignore[import-untyped]

    multi = to_networkx(graph)
    g = nx.DiGraph()
    for n, attrs in multi.nodes(data=True):
        flat = {k: ("|".join(v) if isinstance(v, list) else v) for k, v in attrs.items()}
        g.add_node(n, **{k: v for k, v in flat.items() if v not in (None, "")})
    for s, o, attrs in multi.edges(data=True):
        if g.has_edge(s, o):
            e = g.edges[s, o]
            e["predicate"] = " ".join(sorted(set(e["predicate"].split()) | {attrs["predicate"]}))
            e["evidence"] += attrs["evidence"]
        else:
            g.add_edge(s, o, predicate=attrs["predicate"], evidence=attrs["evidence"])
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


@register("graphml", "graph.graphml")
def write_graphml(graph: Graph, path: Path) -> Path:
    return write_atomic(path, graphml_bytes(graph))


# ------------------------------------------------------------------ CSV


def _compact(iri: URIRef) -> str:
    s = str(iri)
    return "kg:" + s[len(KG_NS):] if s.startswith(KG_NS) else s


def csv_tables(graph: Graph) -> tuple[bytes, bytes]:
    """``(nodes.csv, edges.csv)`` as UTF-8 bytes.

    A cell a spreadsheet would run as a formula (a label starting with ``=``,
    ``+``, ``-``, ``@``…) gets a leading ``'`` (:func:`kg.textsafe.neutralise_cell`).

    nodes: iri, class, label, altLabels (``|``-joined), adcode, parent (the label
    of a place's kg:partOf target); edges: subject, predicate, object, evidence (count).
    """
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(NODES_HEADER)
    for iri, a in entities(graph).items():
        row = [str(iri), a["class"], a["label"], "|".join(a["altLabels"]), a.get("adcode", ""), a.get("parent", "")]
        w.writerow([neutralise_cell(str(c)) for c in row])
    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(EDGES_HEADER)
    for s, p, o, sentences in relations(graph):
        w.writerow([neutralise_cell(str(s)), _compact(p), neutralise_cell(str(o)), len(sentences)])
    return nodes.getvalue().encode("utf-8"), edges.getvalue().encode("utf-8")


@register("csv", "nodes.csv", also=(EDGES_FILE,))
def write_csv(graph: Graph, path: Path) -> Path:
    nodes, edges = csv_tables(graph)
    write_atomic(path.parent / EDGES_FILE, edges)
    return write_atomic(path, nodes)
