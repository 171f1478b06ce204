"""Why the graph believes what it says: the evidence behind a node or a fact.

``explain(graph, "葫芦岛市教育局")`` (a label, altLabel or IRI) lists the node's
relations and observations, each with the sentences and source documents
that state it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from .errors import KGError
from .namespace import KG, KG_NS


@dataclass
class Fact:
    text: str  # "葫芦岛市教育局 —implements→ 全面改薄"
    evidence: list[tuple[str, int, int, str]] = field(default_factory=list)  # (document, start, end, sentence)


@dataclass
class Explanation:
    iri: str
    label: str
    classes: list[str]
    alt_labels: list[str]
    facts: list[Fact]

    def format(self) -> str:
        lines = [f"{self.label}  <{self.iri}>", f"  class: {', '.join(self.classes) or '-'}"]
        if self.alt_labels:
            lines.append(f"  also: {', '.join(self.alt_labels)}")
        for f in self.facts:
            lines.append(f"- {f.text}")
            for doc, start, end, sentence in f.evidence:
                lines.append(f"    [{doc} {start}-{end}] {sentence}")
        if not self.facts:
            lines.append("  (no relation or observation names it)")
        return "\n".join(lines)


def _label(g: Graph, node: Node | None) -> str:
    lab = g.value(node, RDFS.label)
    return str(lab) if lab is not None else str(node).rsplit("/", 1)[-1]


def _local(term: object) -> str:
    s = str(term)
    return s[len(KG_NS):] if s.startswith(KG_NS) else s


def resolve_node(g: Graph, ref: str) -> URIRef:
    """An IRI, or an entity's label or altLabel."""
    if ref.startswith(("http://", "https://")):
        node = URIRef(ref)
        if (node, None, None) not in g:
            raise KGError(f"{ref}: not in the graph")
        return node
    for prop in (RDFS.label, SKOS.altLabel):
        hits = sorted({s for s in g.subjects(prop, Literal(ref, lang="zh"))} | {s for s in g.subjects(prop, Literal(ref))}, key=str)
        hits = [h for h in hits if (h, RDF.type, KG.Evidence) not in g]
        if hits:
            return cast(URIRef, hits[0])  # kg graphs have no blank nodes; subjects are IRIs
    raise KGError(f"{ref}: no node with that IRI, label or altLabel")


def _evidence(g: Graph, node: Node) -> list[tuple[str, int, int, str]]:
    out = []
    for ev in g.objects(node, KG.evidence):
        doc = g.value(ev, KG.source)
        # kg:start / kg:end are integer literals; rdflib types graph.value() as Node | None
        start = cast("Literal | None", g.value(ev, KG.start))
        end = cast("Literal | None", g.value(ev, KG.end))
        out.append((_label(g, doc) if doc is not None else "?", int(start or 0),
                    int(end or 0), str(g.value(ev, KG.text) or "")))
    return sorted(out)


def explain(g: Graph, ref: str) -> Explanation:
    node = resolve_node(g, ref)
    facts: list[Fact] = []
    if (node, RDF.type, KG.Observation) in g:
        facts.append(_observation_fact(g, node))
    else:
        for st in sorted(set(g.subjects(RDF.subject, node)) | set(g.subjects(RDF.object, node)), key=str):
            s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
            facts.append(Fact(f"{_label(g, s)} —{_local(p)}→ {_label(g, o)}", _evidence(g, st)))
        observations = set(g.subjects(KG.about, node)) | set(g.subjects(KG.locatedIn, node))
        observations |= {o for ind in [node] for o in g.subjects(KG.indicator, ind)}
        for obs in sorted(observations, key=str):
            if (obs, RDF.type, KG.Observation) in g:
                facts.append(_observation_fact(g, obs))
    return Explanation(
        iri=str(node), label=_label(g, node),
        classes=sorted(_local(c) for c in g.objects(node, RDF.type)),
        alt_labels=sorted(str(a) for a in g.objects(node, SKOS.altLabel)),
        facts=facts,
    )


def _observation_fact(g: Graph, obs: Node) -> Fact:
    ind = _label(g, g.value(obs, KG.indicator))
    parts = [f"{ind} = {g.value(obs, KG.value)} {g.value(obs, KG.unit) or ''}".rstrip()]
    for prop, name in ((KG.year, "year"), (KG.status, "status")):
        v = g.value(obs, prop)
        if v is not None:
            parts.append(f"{name} {v}")
    place = g.value(obs, KG.locatedIn)
    if place is not None:
        parts.append(f"in {_label(g, place)}")
    return Fact(", ".join(parts), _evidence(g, obs))
