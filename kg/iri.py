"""Deterministic IRIs for everything the graph holds: one function per kind.

The same real-world thing always gets the same IRI: a division by its adcode,
anything else by its class and canonical name. Non-ASCII characters are kept
as they are (IRIs allow them), ASCII characters outside the unreserved set
are percent-encoded, so an IRI is readable and safe in Turtle.
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from .namespace import KGR_NS

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

#: path segment per entity class
CLASS_SEGMENT = {
    "Agency": "agency",
    "School": "school",
    "Program": "program",
    "PolicyDocument": "document",
    "Place": "place",
    "Person": "person",
    "Indicator": "indicator",
}


def iri_segment(name: str) -> str:
    """Percent-encode what an IRI path segment may not hold; keep Chinese as is.

    >>> iri_segment("义务教育均衡发展县(市)区创建")
    '义务教育均衡发展县%28市%29区创建'
    """
    out = []
    for ch in name:
        if ord(ch) > 127:
            # Unicode white space and controls are not allowed in IRIs either.
            if ch.isspace() or not ch.isprintable():
                out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
            else:
                out.append(ch)
        elif ch in _UNRESERVED:
            out.append(ch)
        else:
            out.append(f"%{ord(ch):02X}")
    return "".join(out)


def digest(*parts: object, length: int = 16) -> str:
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return h[:length]


def entity_iri(type_: str, name: str, adcode: str | None = None) -> URIRef:
    if type_ == "Place" and adcode:
        return URIRef(f"{KGR_NS}place/{adcode}")
    return URIRef(f"{KGR_NS}{CLASS_SEGMENT[type_]}/{iri_segment(name)}")


def document_iri(doc_id: str) -> URIRef:
    return URIRef(f"{KGR_NS}doc/{iri_segment(doc_id)}")


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{KGR_NS}evidence/{iri_segment(doc_id)}/{start}-{end}")


def observation_iri(doc_id: str, start: int, *parts: object) -> URIRef:
    return URIRef(f"{KGR_NS}observation/{iri_segment(doc_id)}/{start}-{digest(*parts, length=10)}")


def statement_iri(s: str, p: str, o: str) -> URIRef:
    return URIRef(f"{KGR_NS}statement/{digest(s, p, o)}")
