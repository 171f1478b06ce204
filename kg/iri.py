"""Deterministic IRIs for everything the graph holds: one function per kind.

The same real-world thing always gets the same IRI: a division by its adcode,
anything else by its class and canonical name. Chinese and the other
characters RFC 3987 allows are kept as they are; everything else (ASCII
outside the unreserved set, controls, spaces, U+FFFD, private use…) is
percent-encoded, so every IRI is valid for any store and safe in Turtle.
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


def _ucschar(o: int) -> bool:
    """RFC 3987 ``ucschar``: the non-ASCII code points an IRI path may hold as they are."""
    if o < 0x10000:
        return 0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF
    # planes 1-14 without each plane's last two (noncharacters) and without the tag block
    return o <= 0xEFFFD and (o & 0xFFFF) <= 0xFFFD and not 0xE0000 <= o <= 0xE0FFF


def iri_segment(name: str) -> str:
    """Percent-encode what an IRI path segment may not hold (RFC 3987); keep Chinese as is.

    Kept: ASCII letters, digits, ``-._~`` and the printable ``ucschar`` code
    points. Encoded (UTF-8 bytes, ``%HH``): other ASCII, controls, white space,
    format characters (bidi marks), private use, noncharacters, specials
    (U+FFFC, U+FFFD), lone surrogates.

    >>> iri_segment("义务教育均衡发展县(市)区创建")
    '义务教育均衡发展县%28市%29区创建'
    >>> iri_segment("学\ufffd校 <1>")
    '学%EF%BF%BD校%20%3C1%3E'
    """
    out = []
    for ch in name:
        o = ord(ch)
        if ch in _UNRESERVED or (o > 127 and _ucschar(o) and ch.isprintable() and not ch.isspace()):
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
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
