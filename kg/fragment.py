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

    # Pickled (through a worker's pipe, into the cache), the analysis (relations, observations,
    # offsets) and the rendered triples travel as two compressed blobs, the analysis unpacked only
    # when read: a streaming build reads the rendered triples and never the analysis, so it neither
    # pays to unpickle it nor to pickle it again for the cache. A fragment is not changed in place once
    # made (assigning an attribute drops its blob).

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        for blob, names in _PACKED.items():
            if all(n in state for n in names):
                if state.get(blob) is None:
                    state[blob] = self.__dict__[blob] = zlib.compress(
                        pickle.dumps(tuple(state[n] for n in names), protocol=pickle.HIGHEST_PROTOCOL))
                for n in names:
                    del state[n]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if state.get("_rendered") is not None:  # read by every build (and its attributes have class defaults)
            self.__dict__["records"], self.__dict__["links"] = pickle.loads(zlib.decompress(state["_rendered"]))

    def __getattr__(self, name: str) -> object:  # only for attributes not in __dict__: a packed one
        for blob, names in _PACKED.items():
            if name in names and self.__dict__.get(blob) is not None:
                values = pickle.loads(zlib.decompress(self.__dict__[blob]))
                for n, v in zip(names, values):
                    self.__dict__.setdefault(n, v)
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value: object) -> None:
        for blob, names in _PACKED.items():
            if name in names:
                self.__dict__.pop(blob, None)
        object.__setattr__(self, name, value)


#: the blobs a pickled fragment carries, and the attributes each holds
_PACKED = {"_analysis": ("relations", "observations", "offsets"), "_rendered": ("records", "links")}


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
