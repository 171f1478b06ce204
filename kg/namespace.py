"""The contract's vocabulary in one place (see ONTOLOGY.md); a misspelled term raises."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

KG_NS = "https://w3id.org/edupolicy-kg/def#"
KGR_NS = "https://w3id.org/edupolicy-kg/id/"

KGR = Namespace(KGR_NS)


class KG(DefinedNamespace):
    """Classes and properties of ``kg:``."""

    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Agency: URIRef
    School: URIRef
    Program: URIRef
    PolicyDocument: URIRef
    Place: URIRef
    Person: URIRef
    Indicator: URIRef
    Observation: URIRef
    SourceDocument: URIRef
    Evidence: URIRef
    # relations between entities
    implements: URIRef
    locatedIn: URIRef
    partOf: URIRef
    issues: URIRef
    memberOf: URIRef
    cooperatesWith: URIRef
    # observations
    indicator: URIRef
    value: URIRef
    unit: URIRef
    year: URIRef
    status: URIRef
    about: URIRef
    qualifier: URIRef
    isChange: URIRef
    baseYear: URIRef
    normalizedValue: URIRef
    normalizedUnit: URIRef
    # indicators (the vocabulary, ontology/indicators.ttl)
    unitFamily: URIRef
    # entity attributes
    adcode: URIRef
    level: URIRef
    post: URIRef
    mentionedIn: URIRef
    # provenance
    evidence: URIRef
    source: URIRef
    text: URIRef
    start: URIRef
    end: URIRef
    originalStart: URIRef
    originalEnd: URIRef
    # source documents
    fileName: URIRef
    homePlace: URIRef
    documentYear: URIRef


PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "kgr": KGR_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix of the contract, to prepend to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
