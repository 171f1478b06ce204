"""Plain typed objects passed from stage to stage.

One :class:`Document` travels through the pipeline
(ingest → normalize → segment → extract → link → graph). Spans are character
offsets into ``Document.text`` (the normalized text); ``Document.offsets``
maps each normalized offset back to the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

#: Entity classes of the contract (``kg:`` names without the prefix).
ENTITY_TYPES = ("Agency", "School", "Program", "PolicyDocument", "Place", "Person")

#: Relation predicates of the contract.
PREDICATES = ("implements", "locatedIn", "partOf", "issues", "memberOf", "cooperatesWith")


@dataclass(frozen=True)
class RawDocument:
    """A file as read from disk: decoded text plus how it was read."""

    path: Path
    text: str
    encoding: str
    format: str  # "txt", "md", "html", "docx", "pdf"
    notes: tuple[str, ...] = ()  # what reading had to drop or guess (NUL bytes, lines in another encoding)
    extraction_notes: tuple[str, ...] = ()  # how a web page's text was found, when a person should know


@dataclass(frozen=True)
class Normalized:
    """Normalized text with ``offsets[i]`` = index in the original of normalized char ``i``.

    ``len(offsets) == len(text) + 1``; the last entry is the original length,
    so a span ``[s, e)`` maps to ``[offsets[s], offsets[e])`` in the original.
    """

    text: str
    offsets: list[int]


@dataclass
class Section:
    """A heading and the text under it (a node of the section tree)."""

    index: int
    title: str
    level: int  # 0 = document root, 1 = 一、, 2 = (一), 3 = 1., 4 = 一是
    start: int  # offset of the heading's first char
    end: int  # offset after the section's last char
    parent: int | None
    kind: str | None = None  # "review" | "plan" | None (inherits from parent)
    year: int | None = None  # year the heading speaks of, if it says one


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    section: int  # index into Document.sections


@dataclass
class Mention:
    """A surface form found in the text, before linking."""

    start: int
    end: int
    text: str
    type: str  # one of ENTITY_TYPES
    sentence: int
    canonical: str | None = None  # filled by linking
    key: str | None = None  # entity key, filled by linking
    source: str = ""  # which rule found it


class SpanIndex:
    """Mentions looked up by position: which overlap a span, which lie inside one.

    Answers come in the order of the list the index was made from, so a rule
    that scanned the whole list gives the same result looking only here;
    each look-up costs a binary search, not a pass over the document's mentions.
    """

    def __init__(self, mentions: list[Mention]) -> None:
        self._items = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
        self._mentions = mentions
        self._starts = [mentions[i].start for i in self._items]
        self._longest = max((m.end - m.start for m in mentions), default=0)

    def _between(self, lo: int, hi: int) -> list[int]:
        """Indices (in list order) of the mentions starting in ``[lo, hi]``."""
        from bisect import bisect_left, bisect_right

        return sorted(self._items[bisect_left(self._starts, lo):bisect_right(self._starts, hi)])

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """Mentions sharing at least one character with ``[start, end)``."""
        ms = self._mentions
        found = self._between(start - self._longest, end - 1)
        return [ms[i] for i in found if ms[i].start < end and start < ms[i].end]

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside ``[start, end]``: ``start <= m.start`` and ``m.end <= end``."""
        ms = self._mentions
        return [ms[i] for i in self._between(start, end) if ms[i].end <= end]


@dataclass
class Evidence:
    doc_id: str
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One real-world thing, named once.

    ``key`` identifies it across documents: ``place:<adcode>`` for divisions,
    ``<Type>:<canonical name>`` for everything else.
    """

    key: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    adcode: str | None = None
    level: str | None = None  # province | city | county
    post: str | None = None  # for persons: 局长, 党委书记…
    docs: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Relation:
    subject: str  # entity key
    predicate: str  # one of PREDICATES
    object: str  # entity key
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Observation:
    indicator: str
    value: Decimal
    unit: str
    year: int | None
    status: str | None  # "achieved" | "target" | None
    place: str | None  # entity key
    about: str | None  # entity key
    evidence: Evidence
    qualifier: str | None = None  # approx | atLeast | atMost | None
    change: bool = False  # a change (增加, 提高了) rather than a level
    base_year: int | None = None
    concept: str | None = None  # IRI of the indicator scheme's concept, when the indicator is one (kg.indicators)
    surface: str | None = None  # the document's own name for it, when the concept's label differs


@dataclass
class Document:
    """Everything known about one input document."""

    doc_id: str
    source: Path
    original: str
    text: str
    offsets: list[int]
    encoding: str = "utf-8"
    format: str = "txt"
    title: str = ""
    extraction_notes: tuple[str, ...] = ()  # how a web page's text was found (see RawDocument)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    home_place: str | None = None  # entity key of the place 我市/全市 refers to
    home_province: str | None = None
    year: int | None = None  # the year the document speaks in (its 今年)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading the file had to drop (see RawDocument)

    def evidence(self, sentence: Sentence) -> Evidence:
        return Evidence(self.doc_id, sentence.start, sentence.end, sentence.text)

    def line_start(self, offset: int) -> int:
        """Offset of the first character of the line holding ``offset`` (binary search)."""
        from bisect import bisect_left

        breaks = self.__dict__.get("_breaks")
        if breaks is None or self.__dict__.get("_breaks_of") is not self.text:
            breaks = []
            i = self.text.find("\n")
            while i >= 0:
                breaks.append(i)
                i = self.text.find("\n", i + 1)
            self.__dict__["_breaks"] = breaks
            self.__dict__["_breaks_of"] = self.text
        i = bisect_left(breaks, offset)  # newlines before offset
        return breaks[i - 1] + 1 if i else 0

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding ``offset`` (binary search over sentence starts)."""
        from bisect import bisect_right

        starts = self.__dict__.get("_starts")
        if starts is None or len(starts) != len(self.sentences):
            starts = self.__dict__["_starts"] = [s.start for s in self.sentences]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None
