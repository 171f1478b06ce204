"""The entity exports (CSV, GraphML) of a streaming build without an rdflib graph of the corpus.

:func:`kg.linkage.csv_tables` and :func:`kg.linkage.graphml_bytes` read only the
entities (their types, labels, altLabels, adcode, level, post, parent place and
that place's label) and the relations between them with the reified statements'
evidence sentences, never the observations, evidence of observations or the
documents that make up most of a big graph. :func:`entity_graph` collects just
those triples from a build's sorted stream (two passes) into a small rdflib
graph, on which the exporters write what they would write of the whole graph
(tests compare the bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .namespace import KG_NS, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

    from .assemble import Assembly

__all__ = ["entity_graph"]

_STATEMENT_PREDS = frozenset({"a", "rdf:subject", "rdf:predicate", "rdf:object", "kg:evidence"})
# what the exporters read of an entity: its types, names and attributes, its relations
_ENTITY_PREDS = frozenset({"a", "rdfs:label", "skos:altLabel", "kg:adcode", "kg:level", "kg:post", "kg:implements",
                           "kg:locatedIn", "kg:partOf", "kg:issues", "kg:memberOf", "kg:cooperatesWith"})


def entity_graph(asm: "Assembly") -> "Graph":
    """The part of ``asm``'s graph the entity exports read, as an rdflib graph."""
    from .linkage import ENTITY_CLASSES
    from .view_stream import _groups, _iri

    classes = frozenset(f"kg:{str(c)[len(KG_NS):]}" for c in ENTITY_CLASSES)
    kept: list[str] = []  # records, as in the assembly
    entities: set[str] = set()
    parents: set[str] = set()
    evidence: set[str] = set()
    for s, rows in _groups(asm.records()):
        if any(p == "a" and o in classes for p, o in rows):
            entities.add(s)
            kept.extend(_records(s, [(p, o) for p, o in rows if p in _ENTITY_PREDS]))
            parents.update(i for i in (_iri(o) for p, o in rows if p == "kg:partOf") if i is not None)
        elif any(p == "a" and o == "rdf:Statement" for p, o in rows):
            kept.extend(_records(s, [(p, o) for p, o in rows if p in _STATEMENT_PREDS]))
            evidence.update(i for i in (_iri(o) for p, o in rows if p == "kg:evidence") if i is not None)
    parents -= entities
    if parents or evidence:  # the labels of parents that are no entity; the statements' sentences
        for s, rows in _groups(asm.records()):
            if s in parents:
                kept.extend(_records(s, [(p, o) for p, o in rows if p == "rdfs:label"]))
            if s in evidence:
                kept.extend(_records(s, [(p, o) for p, o in rows if p == "kg:text"]))
    return _parse(kept)


def _records(s: str, rows: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{s}\0{'0a' if p == 'a' else '1' + p}\0{o}" for p, o in rows]


def _parse(records: list[str]) -> "Graph":
    """An rdflib graph of records, parsed as :meth:`kg.assemble.Assembly.graph` parses its Turtle."""
    import pyoxigraph as ox

    from .graph import new_graph
    from .readback import _term

    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    lines = []
    for r in records:
        s, fp, o = r.split("\0", 2)
        lines.append(f"<{s}> {'a' if fp == '0a' else fp[1:]} {o} .\n")
    g = new_graph()
    for t in ox.parse(input=(header + "".join(lines)).encode("utf-8"), format=ox.RdfFormat.TURTLE):
        g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    return g
