"""Fill an rdflib graph that follows the contract (ONTOLOGY.md).

Entities of all documents are fused by key (a place by adcode, anything else
by class and canonical name); every relation is a direct triple plus a
reified ``rdf:Statement`` carrying one ``kg:Evidence`` per sentence that
states it; every observation has its evidence. Nothing here uses blank
nodes, so serializations are stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Union

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .display import file_name_text
from .fragment import Fragment
from .indicators import SCHEME_IRI, Scheme, normalize, unit_family
from .iri import KGR_NS, document_iri, entity_iri, evidence_iri, iri_segment, observation_iri, statement_iri
from .model import Document, Entity, Evidence, Observation, Relation
from .namespace import KG, PREFIXES

#: what graph building reads of a document: the whole :class:`Document` or its :class:`~kg.fragment.Fragment`
DocLike = Union[Document, Fragment]

CLASS = {
    "Agency": KG.Agency,
    "School": KG.School,
    "Program": KG.Program,
    "PolicyDocument": KG.PolicyDocument,
    "Place": KG.Place,
    "Person": KG.Person,
    "Indicator": KG.Indicator,
}
PREDICATE = {
    "implements": KG.implements,
    "locatedIn": KG.locatedIn,
    "partOf": KG.partOf,
    "issues": KG.issues,
    "memberOf": KG.memberOf,
    "cooperatesWith": KG.cooperatesWith,
}


def new_graph() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True, replace=True)
    return g


def fuse(docs: Iterable[DocLike]) -> dict[str, Entity]:
    """One entity per key across documents; surface forms kept as aliases."""
    out: dict[str, Entity] = {}
    names: dict[str, set[str]] = {}
    for doc in docs:
        for key, e in doc.entities.items():
            f = out.get(key)
            if f is None:
                f = out[key] = Entity(key, e.type, e.name, set(), e.adcode, e.level, e.post)
            names.setdefault(key, set()).add(e.name)
            f.aliases |= e.aliases
            f.docs |= e.docs
            f.post = f.post or e.post
    for key, f in out.items():
        # documents may name one program differently: keep the most complete name,
        # whatever the order of the documents, and the others as altLabels
        if len(names[key]) > 1 and f.type in ("Program", "PolicyDocument"):
            preferred = key.split(":", 1)[1]
            f.name = preferred if preferred in names[key] else max(names[key], key=lambda n: (len(n), n))
            f.aliases |= names[key]
        f.aliases.discard(f.name)
    return out


class GraphBuilder:
    def __init__(self) -> None:
        self.g = new_graph()
        self.iris: dict[str, URIRef] = {}
        self._evidence: set[URIRef] = set()  # evidence nodes written (a set: no rdflib look-up per sentence)

    def iri(self, key: str, ents: dict[str, Entity]) -> URIRef:
        if key not in self.iris:
            e = ents[key]
            if key.startswith("town:"):  # a town, under its county: kgr:place/130730/沙城镇
                county = key.split(":", 2)[1]
                self.iris[key] = URIRef(f"{KGR_NS}place/{county}/{iri_segment(e.name)}")
            else:
                self.iris[key] = entity_iri(e.type, e.name, e.adcode)
        return self.iris[key]

    def add_documents(self, docs: Sequence[DocLike]) -> Graph:
        g = self.g
        ents = fuse(docs)
        for doc in docs:
            d = document_iri(doc.doc_id)
            g.add((d, RDF.type, KG.SourceDocument))
            name = file_name_text(doc.source)
            g.add((d, RDFS.label, Literal(name)))
            g.add((d, KG.fileName, Literal(name)))
            if doc.home_place and doc.home_place in ents:
                g.add((d, KG.homePlace, self.iri(doc.home_place, ents)))
            if doc.year:
                g.add((d, KG.documentYear, Literal(str(doc.year), datatype=XSD.gYear)))
        for key in sorted(ents):
            self.add_entity(ents[key], ents)
        for doc in docs:
            for r in doc.relations:
                self.add_relation(doc, r, ents)
            for o in doc.observations:
                self.add_observation(doc, o, ents)
        return g

    def add_entity(self, e: Entity, ents: dict[str, Entity]) -> None:
        g = self.g
        s = self.iri(e.key, ents)
        g.add((s, RDF.type, CLASS[e.type]))
        g.add((s, RDFS.label, Literal(e.name, lang="zh")))
        for a in sorted(e.aliases):
            g.add((s, SKOS.altLabel, Literal(a, lang="zh")))
        if e.adcode:
            g.add((s, KG.adcode, Literal(e.adcode)))
        if e.level:
            g.add((s, KG.level, Literal(e.level)))
        if e.post:
            g.add((s, KG.post, Literal(e.post)))
        for doc_id in sorted(e.docs):
            g.add((s, KG.mentionedIn, document_iri(doc_id)))

    def evidence(self, doc: DocLike, ev: Evidence) -> URIRef:
        g = self.g
        node = evidence_iri(ev.doc_id, ev.start, ev.end)
        if node not in self._evidence:
            self._evidence.add(node)
            g.add((node, RDF.type, KG.Evidence))
            g.add((node, KG.source, document_iri(ev.doc_id)))
            g.add((node, KG.text, Literal(ev.text, lang="zh")))
            g.add((node, KG.start, Literal(ev.start)))
            g.add((node, KG.end, Literal(ev.end)))
            if doc.offsets:
                g.add((node, KG.originalStart, Literal(doc.offsets[ev.start])))
                g.add((node, KG.originalEnd, Literal(doc.offsets[ev.end])))
        return node

    def add_relation(self, doc: DocLike, r: Relation, ents: dict[str, Entity]) -> None:
        if not r.evidence or r.subject not in ents or r.object not in ents:
            return
        g = self.g
        s, p, o = self.iri(r.subject, ents), PREDICATE[r.predicate], self.iri(r.object, ents)
        g.add((s, p, o))
        st = statement_iri(str(s), str(p), str(o))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        for ev in r.evidence:
            g.add((st, KG.evidence, self.evidence(doc, ev)))

    def add_indicator(self, o: Observation) -> URIRef:
        """The observation's Indicator: a concept of the vocabulary (with its labels, broader
        concepts and unit family, and the document's own name as an altLabel) or one of its own."""
        g = self.g
        if o.concept is None:
            ind = entity_iri("Indicator", o.indicator)
            g.add((ind, RDF.type, KG.Indicator))
            g.set((ind, RDFS.label, Literal(o.indicator, lang="zh")))
            return ind
        ind = URIRef(o.concept)
        if o.surface:
            g.add((ind, SKOS.altLabel, Literal(o.surface, lang="zh")))
        if (ind, RDF.type, KG.Indicator) in g:
            return ind
        scheme = Scheme.load()
        self._add_concept(ind, scheme)
        g.add((ind, RDF.type, KG.Indicator))
        return ind

    def _add_concept(self, node: URIRef, scheme: Scheme) -> None:
        g = self.g
        if (node, SKOS.inScheme, URIRef(SCHEME_IRI)) in g:
            return
        label = Literal(scheme.label_of(str(node)), lang="zh")
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, URIRef(SCHEME_IRI)))
        g.set((node, RDFS.label, label))
        g.set((node, SKOS.prefLabel, label))
        c = scheme.concepts.get(str(node))
        if c is None:
            return
        for a in c.alt_labels:
            g.add((node, SKOS.altLabel, Literal(a, lang="zh")))
        g.set((node, KG.unitFamily, Literal(c.unit_family)))
        for b in c.broader:
            g.add((node, SKOS.broader, URIRef(b)))
            self._add_concept(URIRef(b), scheme)

    def add_observation(self, doc: DocLike, o: Observation, ents: dict[str, Entity]) -> None:
        g = self.g
        ind = self.add_indicator(o)
        node = observation_iri(doc.doc_id, o.evidence.start, o.indicator, o.value, o.unit, o.year)
        g.add((node, RDF.type, KG.Observation))
        g.add((node, KG.indicator, ind))
        g.add((node, KG.value, Literal(_decimal(o.value), datatype=XSD.decimal)))
        g.add((node, KG.unit, Literal(o.unit)))
        if unit_family(o.unit) is not None or o.unit[:1] in ("万", "亿"):
            nvalue, nunit = normalize(o.value, o.unit, rank=o.indicator.endswith("排名"))
            g.add((node, KG.normalizedValue, Literal(_decimal(nvalue), datatype=XSD.decimal)))
            g.add((node, KG.normalizedUnit, Literal(nunit)))
        if o.year:
            g.add((node, KG.year, Literal(str(o.year), datatype=XSD.gYear)))
        if o.status:
            g.add((node, KG.status, Literal(o.status)))
        if o.place and o.place in ents:
            g.add((node, KG.locatedIn, self.iri(o.place, ents)))
        if o.about and o.about in ents:
            g.add((node, KG.about, self.iri(o.about, ents)))
        if o.qualifier:
            g.add((node, KG.qualifier, Literal(o.qualifier)))
        if o.change:
            g.add((node, KG.isChange, Literal(True)))
        if o.base_year:
            g.add((node, KG.baseYear, Literal(str(o.base_year), datatype=XSD.gYear)))
        g.add((node, KG.evidence, self.evidence(doc, o.evidence)))


def _decimal(v: Decimal) -> str:
    s = format(v.normalize(), "f")
    return s if "." not in s else s.rstrip("0").rstrip(".") or "0"


def to_graph(docs: Sequence[DocLike]) -> Graph:
    return GraphBuilder().add_documents(docs)


@dataclass(frozen=True)
class Counts:
    """What a built graph holds, counted as ``kg stats`` counts it."""

    entities: dict[str, int]  # distinct nodes per entity class
    relations: int  # distinct relation statements
    observations: int


def summarize(graph: Graph) -> Counts:
    """Distinct entities by class, relations and observations of a graph (the build's summary line)."""
    from .model import ENTITY_TYPES

    entities = {t: n for t in ENTITY_TYPES if (n := len(set(graph.subjects(RDF.type, KG[t])))) }
    relations = len(set(graph.subjects(RDF.type, RDF.Statement)))
    observations = len(set(graph.subjects(RDF.type, KG.Observation)))
    return Counts(entities, relations, observations)
