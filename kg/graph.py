"""Fill an rdflib graph that follows the contract (ONTOLOGY.md).

Entities of all documents are fused by key (a place by adcode, anything else
by class and canonical name); every relation is a direct triple plus a
reified ``rdf:Statement`` carrying one ``kg:Evidence`` per sentence that
states it; every observation has its evidence. Nothing here uses blank
nodes, so serializations are stable.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .display import file_name_text
from .fragment import Fragment
from .indicators import SCHEME_IRI, Scheme, normalize, unit_family
from .iri import KGR_NS, document_iri, entity_iri, evidence_iri, iri_segment, observation_iri, statement_iri
from .model import Document, Entity, Evidence, Observation
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
    fusion = Fusion()
    for doc in docs:
        fusion.add(doc)
    return fusion.result()


class Fusion:
    """:func:`fuse`, one document at a time (a streaming build adds each as it comes and forgets it)."""

    def __init__(self) -> None:
        self.out: dict[str, Entity] = {}
        self.names: dict[str, set[str]] = {}

    def add(self, doc: DocLike) -> None:
        out, names = self.out, self.names
        for key, e in doc.entities.items():
            f = out.get(key)
            if f is None:
                f = out[key] = Entity(key, e.type, e.name, set(), e.adcode, e.level, e.post)
            names.setdefault(key, set()).add(e.name)
            f.aliases |= e.aliases
            f.docs |= e.docs
            f.post = f.post or e.post

    def result(self) -> dict[str, Entity]:
        """The fused entities (call once: names and aliases are settled in place)."""
        out, names = self.out, self.names
        for key, f in out.items():
            # documents may name one program differently: keep the most complete name,
            # whatever the order of the documents, and the others as altLabels
            if len(names[key]) > 1 and f.type in ("Program", "PolicyDocument"):
                preferred = key.split(":", 1)[1]
                f.name = preferred if preferred in names[key] else max(names[key], key=lambda n: (len(n), n))
                f.aliases |= names[key]
            f.aliases.discard(f.name)
        return out


#: what of a document's triples waits for the fused entities (their IRIs and whether they exist)
#: or for the indicators of the documents before it:
#: ("home", document IRI, key), ("rel", subject key, predicate name, object key, evidence IRIs,
#: evidence triples written only with the relation), ("obs", observation IRI, property IRI, key),
#: ("ind", concept IRI or None, indicator name, surface form) (see :meth:`GraphBuilder.add_indicator`)
Link = tuple


class GraphBuilder:
    def __init__(self, graph: "Graph | _Triples | None" = None, indicators: "Graph | _Triples | None" = None) -> None:
        # an rdflib graph, or any sink with add, set and ``in`` (a _Triples)
        self.g: Any = new_graph() if graph is None else graph
        self.ind_g: Any = self.g if indicators is None else indicators  # where indicators go (add_indicator)
        self.iris: dict[str, URIRef] = {}
        self._evidence: set[URIRef] = set()  # evidence nodes written (a set: no rdflib look-up per sentence)
        self._ind_events: dict[tuple, int] = {}  # add_indicator's events: concepts added when last applied
        self._ind_iris: dict[tuple, URIRef] = {}
        self._concepts_added = 0

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
        ents = fuse(docs)
        links: list[Link] = []
        for doc in docs:
            links += self.add_document(doc, ents)
        for key in sorted(ents):
            self.add_entity(ents[key], ents)
        self.add_links(links, ents)
        return self.g

    def add_document(self, doc: DocLike, known: Container[str]) -> list[Link]:
        """The triples of ``doc`` that do not name an entity; returns those that do, as links
        (:meth:`add_links` writes them once the entities are fused).

        ``known``: keys sure to be among the fused entities (a relation between two of them
        is written, so its evidence is written now; else the evidence waits in the link).
        """
        g = self.g
        links: list[Link] = []
        d = document_iri(doc.doc_id)
        g.add((d, RDF.type, KG.SourceDocument))
        name = file_name_text(doc.source)
        g.add((d, RDFS.label, Literal(name)))
        g.add((d, KG.fileName, Literal(name)))
        if doc.home_place:
            links.append(("home", str(d), doc.home_place))
        if doc.year:
            g.add((d, KG.documentYear, Literal(str(doc.year), datatype=XSD.gYear)))
        for r in doc.relations:
            if not r.evidence:
                continue
            if r.subject in known and r.object in known:
                links.append(("rel", r.subject, r.predicate, r.object,
                              tuple(str(self.evidence(doc, ev)) for ev in r.evidence), ()))
            else:
                held = GraphBuilder(_Triples())
                nodes = tuple(str(held.evidence(doc, ev)) for ev in r.evidence)
                links.append(("rel", r.subject, r.predicate, r.object, nodes, tuple(held.g)))
        for o in doc.observations:
            links += self.add_observation(doc, o)
        return links

    def add_links(self, links: Iterable[Link], ents: dict[str, Entity]) -> None:
        g = self.g
        for link in links:
            kind = link[0]
            if kind == "ind":
                self.add_indicator(*link[1:])
            elif kind == "obs":
                _, node, prop, key = link
                if key in ents:
                    g.add((URIRef(node), prop, self.iri(key, ents)))
            elif kind == "rel":
                _, subject, predicate, obj, nodes, held = link
                if subject not in ents or obj not in ents:
                    continue
                for t in held:
                    g.add(t)
                s, p, o = self.iri(subject, ents), PREDICATE[predicate], self.iri(obj, ents)
                g.add((s, p, o))
                st = statement_iri(str(s), str(p), str(o))
                g.add((st, RDF.type, RDF.Statement))
                g.add((st, RDF.subject, s))
                g.add((st, RDF.predicate, p))
                g.add((st, RDF.object, o))
                for node in nodes:
                    g.add((st, KG.evidence, URIRef(node)))
            elif kind == "home":
                _, d, key = link
                if key in ents:
                    g.add((URIRef(d), KG.homePlace, self.iri(key, ents)))

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

    def add_indicator(self, concept: str | None, indicator: str, surface: str | None) -> URIRef:
        """An observation's Indicator: a concept of the vocabulary (with its labels, broader
        concepts and unit family, and the document's own name as an altLabel) or one of its own.

        What it writes depends on the indicators written before it (a concept's IRI may be
        an indicator of its own too: the first to come is written), so builds call it in
        document order, observation by observation (the ``"ind"`` links)."""
        # an event seen before is a no-op (an altLabel again, or a label set again) unless a concept
        # was added since (its label replaces an indicator's own): skipped, it costs a look-up
        event = (concept, indicator, surface)
        seen = self._ind_events.get(event)
        if seen is not None and (concept is not None or seen == self._concepts_added):
            return self._ind_iris[event]
        ind = self._add_indicator(concept, indicator, surface)
        self._ind_events[event] = self._concepts_added
        self._ind_iris[event] = ind
        return ind

    def _add_indicator(self, concept: str | None, indicator: str, surface: str | None) -> URIRef:
        g = self.ind_g
        if concept is None:
            ind = entity_iri("Indicator", indicator)
            g.add((ind, RDF.type, KG.Indicator))
            g.set((ind, RDFS.label, Literal(indicator, lang="zh")))
            return ind
        ind = URIRef(concept)
        if surface:
            g.add((ind, SKOS.altLabel, Literal(surface, lang="zh")))
        if (ind, RDF.type, KG.Indicator) in g:
            return ind
        scheme = Scheme.load()
        self._add_concept(ind, scheme)
        g.add((ind, RDF.type, KG.Indicator))
        return ind

    def _add_concept(self, node: URIRef, scheme: Scheme) -> None:
        g = self.ind_g
        if (node, SKOS.inScheme, URIRef(SCHEME_IRI)) in g:
            return
        self._concepts_added += 1
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

    def add_observation(self, doc: DocLike, o: Observation) -> list[Link]:
        """The observation's triples; its place and what it is about come back as links."""
        g = self.g
        links: list[Link] = [("ind", o.concept, o.indicator, o.surface)]
        ind = URIRef(o.concept) if o.concept is not None else entity_iri("Indicator", o.indicator)
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
        if o.place:
            links.append(("obs", str(node), KG.locatedIn, o.place))
        if o.about:
            links.append(("obs", str(node), KG.about, o.about))
        if o.qualifier:
            g.add((node, KG.qualifier, Literal(o.qualifier)))
        if o.change:
            g.add((node, KG.isChange, Literal(True)))
        if o.base_year:
            g.add((node, KG.baseYear, Literal(str(o.base_year), datatype=XSD.gYear)))
        g.add((node, KG.evidence, self.evidence(doc, o.evidence)))
        return links


def _decimal(v: Decimal) -> str:
    s = format(v.normalize(), "f")
    return s if "." not in s else s.rstrip("0").rstrip(".") or "0"


class _Triples:
    """The part of :class:`rdflib.Graph` :class:`GraphBuilder` uses, as a plain set of triples
    (no indexes: a worker renders one document's triples with it, :mod:`kg.assemble`)."""

    def __init__(self) -> None:
        self.by_sp: dict[tuple, set] = {}
        self.n = 0

    def add(self, t: tuple) -> None:
        s, p, o = t
        objs = self.by_sp.setdefault((s, p), set())
        if o not in objs:
            objs.add(o)
            self.n += 1

    def set(self, t: tuple) -> None:
        s, p, o = t
        self.n += 1 - len(self.by_sp.get((s, p), ()))
        self.by_sp[(s, p)] = {o}

    def __contains__(self, t: tuple) -> bool:
        s, p, o = t
        return o in self.by_sp.get((s, p), ())

    def __iter__(self) -> Iterator[tuple]:
        for (s, p), objs in self.by_sp.items():
            for o in objs:
                yield (s, p, o)

    def __len__(self) -> int:
        return self.n


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
