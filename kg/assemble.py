"""The graph of a build, assembled from per-document triples without one in-memory graph.

A worker that analyses a document also renders its triples (:func:`render`):
everything that names no entity (the source document, evidence sentences,
observations, indicators) as sorted *records*, and what names an entity
(relations, an observation's place, the document's home place) as *links*
by entity key, since an entity's IRI and its very presence depend on every
document (a program named differently by two documents gets one name). The
records and links travel with the :class:`~kg.fragment.Fragment` and are
cached with it.

The build (:class:`Assembler`) takes the fragments one at a time, in input
order: it fuses their entities as :func:`kg.graph.fuse` does, puts their
records into a buffer that is sorted and spilled to disk when full, and
spills their links. At the end it renders the links and the fused entities
(the only triples made here), and merges the sorted runs into one sorted,
de-duplicated stream (:class:`Assembly`) from which the Turtle
(:func:`kg.export.turtle_bytes`' order, byte for byte), the N-Triples and
the counts of the summary line are written. Memory is bounded by the buffer
and the fused entities, not by the corpus.

A record is one triple as the Turtle writer sorts and prints it:
``subject IRI \\0 0a|1predicate \\0 object`` (predicate and object as
written in Turtle), so that plain string order is the writer's order:
subjects by IRI, ``a`` first, then predicates, then objects.
"""

from __future__ import annotations

import heapq
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from .fragment import Fragment
from .graph import Counts, Fusion, GraphBuilder, _Triples
from .model import ENTITY_TYPES
from .namespace import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

_RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
#: the assembly's folder inside ``--out``: a staging folder's name, so that a killed build's is removed
WORKDIR_PREFIX = ".kg-build-assembly-"
#: records held in memory before a sorted run goes to disk (about 150 bytes each)
CHUNK = 400_000
_BATCH = 20_000  # records per pickle in a run file

_HEADER = "\n".join([f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())] + [""])
_CLASS_COUNTED = {f"kg:{t}": t for t in ENTITY_TYPES}


class _Terms:
    """Turtle text of terms, with the IRIs seen often (predicates, classes, entities) remembered."""

    def __init__(self) -> None:
        from .export import _term

        self._term = _term
        self.known: dict[str, str] = {}

    def text(self, t: object) -> str:
        if isinstance(t, URIRef):
            s = self.known.get(t)
            if s is None:
                s = self._term(t, _BY_LENGTH)
                if len(self.known) < 200_000:
                    self.known[t] = s
            return s
        return self._term(t, _BY_LENGTH)

    def records(self, triples: Iterable[tuple]) -> list[str]:
        text = self.text
        return [f"{s}\0{'0a' if p == _RDF_TYPE else '1' + text(p)}\0{text(o)}" for s, p, o in triples]


_TERMS: _Terms | None = None


def _terms() -> _Terms:
    global _TERMS
    if _TERMS is None:
        _TERMS = _Terms()
    return _TERMS


def full_term(text: str, expanded: dict[str, str]) -> str:
    """A record's Turtle term as N-Triples writes it: a prefixed name expanded (memoised in
    ``expanded``), an IRI or a literal as it is."""
    if text[0] in '"<':
        return text
    e = expanded.get(text)
    if e is None:
        prefix, local = text.split(":", 1)
        e = expanded[text] = f"<{PREFIXES[prefix]}{local}>"
    return e


def render(frag: Fragment) -> Fragment:
    """``frag`` with its own triples rendered (``records``, ``links``); returned for chaining."""
    sink = _Triples()
    links = GraphBuilder(sink).add_document(frag, frag.entities)
    frag.records = sorted(_terms().records(sink))
    frag.links = links
    return frag


def _write_run(path: Path, records: Iterable[str]) -> None:
    with open(path, "wb") as f:
        batch: list[str] = []
        for r in records:
            batch.append(r)
            if len(batch) >= _BATCH:
                pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)


def _read_run(path: Path) -> Iterator[str]:
    with open(path, "rb") as f:
        while True:
            try:
                batch = pickle.load(f)
            except EOFError:
                return
            yield from batch


def _unique(records: Iterable[str]) -> Iterator[str]:
    last = None
    for r in records:
        if r != last:
            yield r
            last = r


class _Sorter:
    """An external sort: strings in, sorted unique strings out; at most ``chunk`` held in memory."""

    def __init__(self, workdir: Path, name: str, chunk: int = CHUNK) -> None:
        self.workdir, self.name, self.chunk = workdir, name, chunk
        self.buf: list[str] = []
        self.runs: list[Path] = []

    def extend(self, items: Iterable[str]) -> None:
        self.buf.extend(items)
        if len(self.buf) >= self.chunk:
            self.spill()

    def spill(self) -> None:
        if not self.buf:
            return
        self.buf.sort()
        path = self.workdir / f"{self.name}-{len(self.runs):05d}.run"
        _write_run(path, _unique(self.buf))
        self.runs.append(path)
        self.buf = []

    def sorted(self) -> Iterator[str]:
        """Everything added, sorted, each once (consumes the sorter)."""
        if not self.runs:
            self.buf.sort()
            buf, self.buf = self.buf, []
            yield from _unique(buf)
            return
        self.spill()
        runs, self.runs = self.runs, []
        try:
            yield from _unique(heapq.merge(*(_read_run(r) for r in runs)))
        finally:
            for r in runs:
                r.unlink(missing_ok=True)


class Assembler:
    """Fragments in (:meth:`add`, in input order), an :class:`Assembly` out (:meth:`finish`)."""

    def __init__(self, workdir: Path | None = None, chunk: int = CHUNK) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=workdir))
        self.fusion = Fusion()
        self.sorter = _Sorter(self.workdir, "records", chunk)
        self._links_path = self.workdir / "links"
        self._links = open(self._links_path, "wb")
        self.documents = 0

    def add(self, frag: Fragment) -> None:
        if frag.records is None or frag.links is None:
            render(frag)
        self.fusion.add(frag)
        self.sorter.extend(frag.records or ())
        pickle.dump(frag.links, self._links, protocol=pickle.HIGHEST_PROTOCOL)
        self.documents += 1

    def _linked(self) -> Iterator[list[str]]:
        """Records of the links and of the fused entities, a batch at a time."""
        ents = self.fusion.result()
        terms = _terms()
        builder = GraphBuilder(_Triples(), indicators=_Triples())  # indicators: kept to the end
        self._links.close()
        with open(self._links_path, "rb") as f:
            while True:
                try:
                    links = pickle.load(f)
                except EOFError:
                    break
                builder.add_links(links, ents)
                if len(builder.g) >= _BATCH:
                    yield terms.records(builder.g)
                    builder.g = _Triples()
        for key in sorted(ents):
            builder.add_entity(ents[key], ents)
            if len(builder.g) >= _BATCH:
                yield terms.records(builder.g)
                builder.g = _Triples()
        yield terms.records(builder.g)
        yield terms.records(builder.ind_g)
        self._links_path.unlink(missing_ok=True)

    def finish(self) -> "Assembly":
        """Merge everything into the build's sorted stream (written to disk, counted)."""
        for batch in self._linked():
            self.sorter.extend(batch)
        entities: dict[str, int] = {}
        relations = observations = triples = 0
        merged = self.workdir / "merged.run"

        def counted() -> Iterator[str]:
            nonlocal relations, observations, triples
            for r in self.sorter.sorted():
                triples += 1
                if "\x000a\x00" not in r:  # not a type (split only those: most records are not)
                    yield r
                    continue
                _, fp, o = r.split("\0", 2)
                if fp == "0a":
                    if o in _CLASS_COUNTED:
                        t = _CLASS_COUNTED[o]
                        entities[t] = entities.get(t, 0) + 1
                    elif o == "rdf:Statement":
                        relations += 1
                    elif o == "kg:Observation":
                        observations += 1
                yield r

        _write_run(merged, counted())
        counts = Counts({t: entities[t] for t in ENTITY_TYPES if entities.get(t)}, relations, observations)
        return Assembly(self.workdir, merged, triples, counts, self.documents)

    def close(self) -> None:
        if not self._links.closed:
            self._links.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def assemble(fragments: Iterable[Fragment], workdir: Path | None = None, chunk: int = CHUNK) -> "Assembly":
    """The :class:`Assembly` of ``fragments`` (in input order); close it when done."""
    asm = Assembler(workdir, chunk)
    try:
        for frag in fragments:
            asm.add(frag)
        return asm.finish()
    except BaseException:
        asm.close()
        raise


@dataclass
class Assembly:
    """A built graph as one sorted stream of records on disk; what the exporters write from.

    ``len()`` is its number of triples; :meth:`graph` parses it into an rdflib
    graph for the exporters that need one (view, JSON-LD, GraphML, CSV, SHACL).
    """

    workdir: Path
    path: Path
    triples: int
    counts: Counts
    documents: int
    #: called with each piece of the next Turtle written (:meth:`store_loader`)
    tee: Callable[[str], None] | None = None
    #: when true, writing the Turtle (N-Triples) also records each subject and the length in bytes of
    #: its block, in file order, in ``ttl_index`` (``nt_index``): what an incremental rebuild splices
    track: bool = False
    ttl_index: tuple[list[str], list[int]] | None = None
    nt_index: tuple[list[str], list[int]] | None = None

    def __len__(self) -> int:
        return self.triples

    def records(self) -> Iterator[str]:
        return _read_run(self.path)

    def turtle_chunks(self, subjects: int = 512, headed: bool = False) -> Iterator[str]:
        """The Turtle of :func:`kg.export.turtle_bytes`, in pieces of ``subjects`` subjects
        (``headed``: each piece a Turtle document of its own, with the prefixes)."""
        terms = _terms()
        header = _HEADER
        tee, self.tee = self.tee, None  # one pass feeds it
        out: list[str] = [header]
        subject = None
        block: list[str] = []
        pred = None
        objs: list[str] = []

        def flush_subject() -> str:
            block.append(f"    {pred} " + ", ".join(objs))
            last = len(block) - 1
            return "\n" + block[0] + "\n" + " ;\n".join(block[1:last + 1]) + " .\n"

        track: tuple[list[str], list[int]] | None = ([], []) if self.track else None
        text = terms.text
        for r in self.records():
            s, fp, o = r.split("\0", 2)
            if s != subject:
                if subject is not None:
                    out.append(flush_subject())
                    if track is not None:
                        track[0].append(subject)
                        track[1].append(len(out[-1].encode("utf-8")))
                    if len(out) >= subjects:
                        piece = "".join(out)
                        if tee is not None:
                            tee(piece)
                        yield piece
                        out = [header] if headed else []
                subject, pred, objs = s, fp[1:], [o]
                block = [text(URIRef(s))]
                continue
            p = fp[1:]
            if p != pred:
                block.append(f"    {pred} " + ", ".join(objs))
                pred, objs = p, [o]
            else:
                objs.append(o)
        if subject is not None:
            out.append(flush_subject())
            if track is not None:
                track[0].append(subject)
                track[1].append(len(out[-1].encode("utf-8")))
        piece = "".join(out)
        if tee is not None:
            tee(piece)
        if track is not None:
            self.ttl_index = track
        yield piece

    def ntriples_chunks(self) -> Iterator[str]:
        """The N-Triples of :func:`kg.export.write_ntriples`: lines sorted, in pieces."""
        sorter = _Sorter(self.workdir, "nt")
        rdf_type = f"<{_RDF_TYPE}>"
        expanded: dict[str, str] = {}
        batch: list[str] = []
        for r in self.records():
            s, fp, o = r.split("\0", 2)
            p = rdf_type if fp == "0a" else full_term(fp[1:], expanded)
            batch.append(f"<{s}> {p} {full_term(o, expanded)} .")
            if len(batch) >= _BATCH:
                sorter.extend(batch)
                batch = []
        sorter.extend(batch)
        out: list[str] = []
        track: tuple[list[str], list[int]] | None = ([], []) if self.track else None
        subject, size = None, 0
        for line in sorter.sorted():
            out.append(line + "\n")
            if track is not None:  # a subject's lines are together: they all begin with "<subject> "
                s = line[1:line.index(">")]
                if s != subject:
                    if subject is not None:
                        track[0].append(subject)
                        track[1].append(size)
                    subject, size = s, 0
                size += len(line.encode("utf-8")) + 1
            if len(out) >= 4096:
                yield "".join(out)
                out = []
        if track is not None:
            if subject is not None:
                track[0].append(subject)
                track[1].append(size)
            self.nt_index = track
        if not out and self.triples == 0:
            out.append("\n")
        yield "".join(out)

    def graph(self) -> "Graph":
        """The graph as an rdflib graph (parsed from its Turtle by Oxigraph; memory grows with it)."""
        import pyoxigraph as ox

        from .graph import new_graph
        from .readback import _term

        g = new_graph()
        data = "".join(self.turtle_chunks()).encode("utf-8")
        for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE):
            g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
        return g

    def save_store(self, store_dir: Path) -> Path:
        """An on-disk Oxigraph store of the graph in ``store_dir`` (its content replaced), as
        :func:`kg.query.save_store` writes it, bulk-loaded a few megabytes of Turtle at a time: one
        bulk load of a big graph takes memory with it (620 MB for 733,000 triples), pieces do not."""
        loader = StoreLoader(store_dir)
        try:
            for piece in self.turtle_chunks():
                loader.feed(piece)
        except BaseException:
            loader.abandon()
            raise
        return loader.close()

    def store_loader(self, store_dir: Path) -> "StoreLoader":
        """A :class:`StoreLoader` fed by the next Turtle written of this graph (one pass for both)."""
        loader = StoreLoader(store_dir)
        self.tee = loader.feed
        return loader

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


class StoreLoader:
    """Pieces of one Turtle document (:meth:`Assembly.turtle_chunks`) into an on-disk Oxigraph store,
    bulk-loaded ``batch`` characters at a time; :meth:`close` finishes the store as
    :func:`kg.query.save_store` does.

    Each batch is loaded by a thread of its own (Oxigraph releases the interpreter's lock while it
    loads) while the build goes on writing the Turtle; one batch at a time, so memory stays bounded."""

    def __init__(self, store_dir: Path, batch: int = 4_000_000) -> None:
        import pyoxigraph as ox

        from .query import QueryError, _is_store_dir

        self.path = store_dir = Path(store_dir)
        if store_dir.exists() and any(store_dir.iterdir()) and not _is_store_dir(store_dir):
            raise QueryError(f"{store_dir}: exists and is not an Oxigraph store; refusing to overwrite")
        store_dir.mkdir(parents=True, exist_ok=True)
        self._ox = ox
        self.store: Any = ox.Store(str(store_dir))
        self.store.clear()
        self.batch = batch
        self.pending: list[str] = []
        self.size = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def feed(self, piece: str) -> None:
        self.pending.append(piece)
        self.size += len(piece)
        if self.size >= self.batch:
            self._load()

    def _bulk_load(self, data: bytes) -> None:
        try:
            self.store.bulk_load(input=data, format=self._ox.RdfFormat.TURTLE)
        except BaseException as exc:  # raised in the build's thread by the next _load or close
            self._error = exc

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _load(self) -> None:
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending, self.size = [], 0
        if not text.startswith(_HEADER):  # every piece after the first: the prefixes again
            text = _HEADER + text
        data = text.encode("utf-8")
        self._wait()
        self._thread = threading.Thread(target=self._bulk_load, args=(data,), name="kg-store-load", daemon=True)
        self._thread.start()

    def close(self) -> Path:
        try:
            self._load()
            self._wait()
            self.store.flush()
            self.store.optimize()
        finally:
            self.store = None  # releases the folder's lock for other processes
        return self.path

    def abandon(self) -> None:
        self.pending = []
        try:
            self._wait()
        except BaseException:
            pass
        self.store = None


__all__ = ["Assembler", "Assembly", "StoreLoader", "assemble", "render", "CHUNK"]
