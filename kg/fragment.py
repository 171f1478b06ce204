"""What a build keeps of a document once it is analysed: a :class:`Fragment`.

A :class:`~kg.model.Document` carries its original text, the normalized text,
an offset map with one entry per character, sections, sentences and
mentions — about 50 times the size of the text. Graph building needs none
of that: only the document's identity, its entities, relations and
observations with their evidence sentences, and the original offsets of
those sentences' ends. :func:`reduce` keeps exactly that, so that a build
holds what it will write, not the corpus (a worker returns a fragment, the
incremental cache stores one).

>>> from kg.pipeline import Pipeline
>>> doc = Pipeline().process_text("葫芦岛市教育局实施“全面改薄”工程。")
>>> frag = reduce(doc)
>>> hasattr(frag, "original"), sorted(frag.offsets) == sorted({i for e in evidence_of(frag) for i in (e.start, e.end)})
(False, True)
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document, Entity, Evidence, Observation, Relation


@dataclass
class Fragment:
    """One document reduced to what graph building and the build's messages need.

    Attribute names are those of :class:`~kg.model.Document`, so
    :func:`kg.graph.to_graph` takes either. ``offsets`` maps only the
    normalized offsets where an evidence sentence starts or ends to the original.
    """

    doc_id: str
    source: Path
    home_place: str | None = None
    year: int | None = None
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    offsets: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extraction_notes: tuple[str, ...] = ()
    #: the document's own triples, rendered where it was analysed (:func:`kg.assemble.render`):
    #: sorted Turtle records of what names no entity, and the links that wait for fused entities
    records: list[str] | None = None
    links: list[tuple] | None = None

    def __getstate__(self) -> dict:
        # the rendered triples repeat their IRIs: compressed, they cost a pipe or the cache a tenth
        state = self.__dict__.copy()
        if state.get("records") is not None:
            state["records"] = zlib.compress(pickle.dumps((state["records"], state["links"]),
                                                          protocol=pickle.HIGHEST_PROTOCOL))
            state["links"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        if isinstance(state.get("records"), bytes):
            state["records"], state["links"] = pickle.loads(zlib.decompress(state["records"]))
        self.__dict__.update(state)


def evidence_of(doc: Document | Fragment) -> Iterator[Evidence]:
    """Every evidence sentence a graph of ``doc`` writes (of relations and observations)."""
    for r in doc.relations:
        yield from r.evidence
    for o in doc.observations:
        yield o.evidence


def reduce(doc: Document) -> Fragment:
    """The :class:`Fragment` of an analysed document (its entities without their evidence lists,
    which the graph does not use)."""
    entities = {key: Entity(e.key, e.type, e.name, set(e.aliases), e.adcode, e.level, e.post, set(e.docs))
                for key, e in doc.entities.items()}
    offsets: dict[int, int] = {}
    if doc.offsets:
        for ev in evidence_of(doc):
            offsets[ev.start] = doc.offsets[ev.start]
            offsets[ev.end] = doc.offsets[ev.end]
    return Fragment(doc_id=doc.doc_id, source=doc.source, home_place=doc.home_place, year=doc.year,
                    entities=entities, relations=list(doc.relations), observations=list(doc.observations),
                    offsets=offsets, notes=list(doc.notes), extraction_notes=tuple(doc.extraction_notes))
