"""Incremental rebuilds whose cost follows what changed, not the corpus (issue 12).

A build with a cache records, beside its output (``OUT/.kg-incremental/state.sqlite``), what it
assembled, by *unit*: each document (its own triples and those of its links, rendered with the
fused entities), each fused entity, and the indicators (one unit: they depend on the order of
every document's observations). For every subject of the graph the state keeps which units wrote
which of its triples, and where its block is in ``graph.ttl`` and ``graph.nt`` (Turtle is sorted
by subject, N-Triples by line: a subject's lines are together in both).

A rebuild (:class:`Rebuild`) analyses only the documents whose cache key changed (bytes, path,
document id, extractor version), drops the removed ones, fuses again only the entities those
documents name (from every document naming them: a fused label may depend on all), renders again
the documents whose links name an entity whose IRI or presence changed, replays the indicators if
their events changed, and so recomputes only the subjects those units touch. ``graph.ttl`` and
``graph.nt`` are written by copying the unchanged byte ranges of the previous files around the new
blocks (still into the staging folder, swapped in by :mod:`kg.exportset`), and the store is a
hard-linked copy of the previous one (Oxigraph's backup) with only the changed triples removed and
added. The result is byte for byte what a full build of the same input writes.

What does not fit (no state, another extractor version or other formats, an output folder changed
since, a damaged state, most documents changed) is built in full, saying why. With
``KG_INCREMENTAL_DEBUG`` set, a rebuild prints what it recomputed (documents analysed and gone,
entities fused again, documents re-rendered, subjects touched, blocks written).
"""

from __future__ import annotations

import bisect
import itertools
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from .assemble import WORKDIR_PREFIX, _HEADER, _RDF_TYPE, _BATCH, CHUNK, Assembler, Assembly, StoreLoader, _terms, _read_run, _write_run, full_term, render
from .fragment import Fragment
from .graph import Counts, Fusion, GraphBuilder, _Triples
from .model import ENTITY_TYPES, Entity

STATE_DIRNAME = ".kg-incremental"
_DB = "state.sqlite"
_FORMAT = 1
_IND = "i"  # the indicators' unit
_CLASS_COUNTED = {f"kg:{t}": t for t in ENTITY_TYPES}
_HEADER_BYTES = len(_HEADER.encode("utf-8"))
#: a rebuild that would analyse more than this share of the documents is a full build
MAX_CHANGED = 0.5

_SCHEMA = """
CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE subj(s TEXT PRIMARY KEY, units BLOB);
CREATE TABLE docs(doc TEXT PRIMARY KEY, data BLOB);
CREATE TABLE contrib(key TEXT, doc TEXT, data BLOB, PRIMARY KEY(key, doc)) WITHOUT ROWID;
CREATE TABLE ents(key TEXT PRIMARY KEY, data BLOB);
CREATE TABLE refs(key TEXT, doc TEXT, PRIMARY KEY(key, doc)) WITHOUT ROWID;
"""


def _doc_unit(doc_id: str) -> str:
    return "d:" + doc_id


def _ent_unit(key: str) -> str:
    return "e:" + key


def _b(text: str) -> bytes:
    """A key as the state stores it (bytes: document ids made from file names may hold lone surrogates)."""
    return text.encode("utf-8", "surrogatepass")


def _s(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def _dumps(v: object) -> bytes:
    return pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)


def _ent_tuple(e: Entity) -> tuple:
    return (e.type, e.name, tuple(sorted(e.aliases)), e.adcode, e.level, e.post, tuple(sorted(e.docs)))


def _ent_of(key: str, t: tuple) -> Entity:
    return Entity(key, t[0], t[1], set(t[2]), t[3], t[4], t[5], set(t[6]))


def _group(records: Iterable[str]) -> dict[str, list[str]]:
    """Records by subject: ``{subject: [predicate\\0object, …]}`` (order kept)."""
    out: dict[str, list[str]] = {}
    for r in records:
        s, rest = r.split("\0", 1)
        out.setdefault(s, []).append(rest)
    return out


def _link_keys(links: Iterable[tuple]) -> set[str]:
    """The entity keys a document's links name (what its rendering depends on)."""
    keys: set[str] = set()
    for link in links:
        kind = link[0]
        if kind == "rel":
            keys.add(link[1])
            keys.add(link[3])
        elif kind == "obs":
            keys.add(link[3])
        elif kind == "home":
            keys.add(link[2])
    return keys


def _ind_events(links: Iterable[tuple]) -> tuple:
    return tuple(link[1:] for link in links if link[0] == "ind")


def _doc_records(frag: Fragment, ents: dict[str, Entity]) -> list[str]:
    """A document's unit: its own records and those of its links (not the indicators)."""
    builder = GraphBuilder(_Triples(), indicators=_Triples())
    builder.add_links([link for link in frag.links or () if link[0] != "ind"], ents)
    return list(frag.records or ()) + _terms().records(builder.g)


def _entity_records(e: Entity) -> list[str]:
    builder = GraphBuilder(_Triples())
    builder.add_entity(e, {e.key: e})
    return _terms().records(builder.g)


def _entity_iri(e: Entity) -> str:
    return str(GraphBuilder(_Triples()).iri(e.key, {e.key: e}))


def _indicator_records(events: Iterable[tuple]) -> list[str]:
    builder = GraphBuilder(_Triples(), indicators=_Triples())
    for ev in events:
        builder.add_indicator(*ev)
    return _terms().records(builder.ind_g)


def turtle_block(subject: str, rests: list[str]) -> str:
    """The Turtle of one subject (its sorted ``predicate\\0object`` records), as the build writes it."""
    block = [_terms().text(URIRef(subject))]
    pred = None
    objs: list[str] = []
    for rest in rests:
        fp, o = rest.split("\0", 1)
        p = fp[1:]
        if p != pred:
            if pred is not None:
                block.append(f"    {pred} " + ", ".join(objs))
            pred, objs = p, [o]
        else:
            objs.append(o)
    block.append(f"    {pred} " + ", ".join(objs))
    lines = [block[0]] + [ln + (" ." if i == len(block) - 2 else " ;") for i, ln in enumerate(block[1:])]
    return "\n" + "\n".join(lines) + "\n"


def nt_block(subject: str, rests: list[str]) -> str:
    """The N-Triples lines of one subject, sorted, as the build writes them."""
    rdf_type = f"<{_RDF_TYPE}>"
    expanded: dict[str, str] = {}
    lines = set()
    for rest in rests:
        fp, o = rest.split("\0", 1)
        p = rdf_type if fp == "0a" else full_term(fp[1:], expanded)
        lines.add(f"<{subject}> {p} {full_term(o, expanded)} .")
    return "".join(line + "\n" for line in sorted(lines))


def _nt_key(subject: str) -> str:
    return subject + ">"  # N-Triples lines sort by "<subject> …"


def _count(rests: Iterable[str], sign: int, entities: dict[str, int], tally: list[int]) -> None:
    """Add (``sign`` 1) or take away (-1) what ``rests`` of one subject count: triples, entities
    by class, relations, observations (``tally``: [triples, relations, observations])."""
    for rest in rests:
        tally[0] += sign
        if rest.startswith("0a\0"):
            o = rest[3:]
            if o in _CLASS_COUNTED:
                t = _CLASS_COUNTED[o]
                entities[t] = entities.get(t, 0) + sign
            elif o == "rdf:Statement":
                tally[1] += sign
            elif o == "kg:Observation":
                tally[2] += sign


# ------------------------------------------------------------------ the full build records


class Recorder:
    """What a full build records for the next rebuild (fed by :class:`RecordingAssembler`)."""

    def __init__(self, out_dir: Path, fmts: list[str], keys: dict[str, str]) -> None:
        self.dir = out_dir / STATE_DIRNAME
        shutil.rmtree(self.dir, ignore_errors=True)  # the previous build's: stale once this build writes
        self.dir.mkdir(mode=0o700, parents=True)
        self.tmp = self.dir / f"{_DB}.tmp"
        self.db = sqlite3.connect(self.tmp, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self.fmts = sorted(fmts)
        self.keys = keys  # document id -> cache key
        self.order: list[str] = []
        self.subjects: dict[str, set[str]] = {}
        self.doc_keys: dict[str, tuple[dict[str, tuple], tuple[str, ...]]] = {}
        self.ind: dict[str, tuple] = {}
        self.notes: dict[str, tuple] = {}
        self.irec: dict[str, list[str]] = {}
        self._rows: list[tuple[bytes, bytes]] = []

    def doc(self, frag: Fragment) -> None:
        d = frag.doc_id
        self.order.append(d)
        self.db.executemany("INSERT INTO contrib VALUES (?, ?, ?)",
                            [(_b(k), _b(d), _dumps(_ent_tuple(e))) for k, e in frag.entities.items()])
        refs = _link_keys(frag.links or ())
        self.db.executemany("INSERT INTO refs VALUES (?, ?)", [(_b(k), _b(d)) for k in refs])
        self.doc_keys[d] = ({k: _ent_tuple(e) for k, e in frag.entities.items()}, tuple(sorted(refs)))
        self.ind[d] = _ind_events(frag.links or ())
        if frag.notes or frag.extraction_notes:
            self.notes[d] = (str(frag.source), list(frag.notes), tuple(frag.extraction_notes))
        subjects = self.subjects[d] = set()
        last = None
        for r in frag.records or ():
            s = r[:r.index("\0")]
            if s != last:
                subjects.add(s)
                last = s

    def linked(self, doc_id: str, records: list[str]) -> None:
        subjects = self.subjects[doc_id]
        for r in records:
            subjects.add(r[:r.index("\0")])
        keys = self.doc_keys.pop(doc_id)
        self.db.execute("INSERT INTO docs VALUES (?, ?)",
                        (_b(doc_id), _dumps((tuple(sorted(self.subjects.pop(doc_id))), keys[0], keys[1]))))

    def entities(self, ents: dict[str, Entity]) -> None:
        self.db.executemany("INSERT INTO ents VALUES (?, ?)",
                            [(_b(k), _dumps(_ent_tuple(e))) for k, e in ents.items()])

    def indicators(self, records: list[str]) -> None:
        self.irec = _group(sorted(records))

    def subject(self, s: str, units: dict[str, list[str]]) -> None:
        self._rows.append((_b(s), _dumps(units)))
        if len(self._rows) >= 5000:
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO subj VALUES (?, ?)", self._rows)
        self._rows = []

    def commit(self, graph: Assembly, build_id: str, store: bool) -> None:
        """The build is in place as ``build_id``: the state describes it from now on."""
        self.flush()
        meta = {"format": _FORMAT, "version": _version(), "fmts": self.fmts, "build": build_id,
                "docs": [(d, self.keys[d]) for d in self.order], "notes": self.notes,
                "triples": graph.triples, "entities": dict(graph.counts.entities),
                "relations": graph.counts.relations, "observations": graph.counts.observations, "store": store}
        rows = [("meta", _dumps(meta)), ("ind", _dumps(self.ind)), ("irec", _dumps(self.irec)),
                ("ttl", _dumps(graph.ttl_index)), ("nt", _dumps(graph.nt_index))]
        self.db.executemany("INSERT INTO kv VALUES (?, ?)", rows)
        self.db.execute("COMMIT")
        self.db.close()
        os.replace(self.tmp, self.dir / _DB)

    def abandon(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:  # pragma: no cover
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class RecordingAssembler(Assembler):
    """:class:`kg.assemble.Assembler` that also tells a :class:`Recorder` which unit wrote which
    triple (each record carries its unit through the sort) and renders each document's links apart."""

    def __init__(self, recorder: Recorder, workdir: Path | None = None, chunk: int = CHUNK) -> None:
        super().__init__(workdir, chunk)
        self.rec = recorder

    def add(self, frag: Fragment) -> None:
        if frag.records is None or frag.links is None:
            render(frag)
        self.fusion.add(frag)
        tag = "\0" + _doc_unit(frag.doc_id)
        self.sorter.extend([r + tag for r in frag.records or ()])
        pickle.dump((frag.doc_id, frag.links), self._links, protocol=pickle.HIGHEST_PROTOCOL)
        self.rec.doc(frag)
        self.documents += 1

    def _linked(self) -> Iterator[list[str]]:
        ents = self.fusion.result()
        self.rec.entities(ents)
        terms = _terms()
        builder = GraphBuilder(_Triples(), indicators=_Triples())
        self._links.close()
        out: list[str] = []
        with open(self._links_path, "rb") as f:
            while True:
                try:
                    doc_id, links = pickle.load(f)
                except EOFError:
                    break
                builder.g = _Triples()
                builder.add_links(links, ents)
                records = terms.records(builder.g)
                self.rec.linked(doc_id, records)
                tag = "\0" + _doc_unit(doc_id)
                out.extend(r + tag for r in records)
                if len(out) >= _BATCH:
                    yield out
                    out = []
        for key in sorted(ents):
            builder.g = _Triples()
            builder.add_entity(ents[key], ents)
            tag = "\0" + _ent_unit(key)
            out.extend(r + tag for r in terms.records(builder.g))
            if len(out) >= _BATCH:
                yield out
                out = []
        records = terms.records(builder.ind_g)
        self.rec.indicators(records)
        out.extend(r + "\0" + _IND for r in records)
        yield out
        self._links_path.unlink(missing_ok=True)

    def finish(self) -> Assembly:
        for batch in self._linked():
            self.sorter.extend(batch)
        entities: dict[str, int] = {}
        tally = [0, 0, 0]
        merged = self.workdir / "merged.run"
        rec = self.rec

        def untagged() -> Iterator[str]:
            last = None
            subject = None
            units: dict[str, list[str]] = {}
            for t in self.sorter.sorted():
                r, unit = t.rsplit("\0", 1)
                s, rest = r.split("\0", 1)
                if s != subject:
                    if subject is not None:
                        rec.subject(subject, units)
                    subject, units = s, {}
                units.setdefault(unit, []).append(rest)
                if r != last:
                    last = r
                    _count((rest,), 1, entities, tally)
                    yield r
            if subject is not None:
                rec.subject(subject, units)

        _write_run(merged, untagged())
        rec.flush()
        counts = Counts({t: entities[t] for t in ENTITY_TYPES if entities.get(t)}, tally[1], tally[2])
        graph = Assembly(self.workdir, merged, tally[0], counts, self.documents)
        graph.track = True
        return graph


def _version() -> str:
    from .cache import extractor_version

    return extractor_version()


# ------------------------------------------------------------------ the rebuild


class _Doc:
    """What fusion reads of a document (:meth:`kg.graph.Fusion.add`)."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        self.entities = entities


@dataclass
class Plan:
    """What a rebuild has to do, found before any document is analysed."""

    tasks: list[tuple[Path, str]]  # every input, in order
    keys: list[str | None]  # their cache keys
    todo: list[int]  # the inputs to analyse (changed, added, or failed last time)
    gone: set[str]  # document ids whose previous version leaves the graph
    unchanged: list[int] = field(default_factory=list)


class Rebuild:
    """An incremental rebuild of the build recorded in ``OUT/.kg-incremental`` (see the module)."""

    def __init__(self, out_dir: Path, db: sqlite3.Connection, meta: dict) -> None:
        self.out_dir = out_dir
        self.db = db
        self.meta = meta
        self.reason: str | None = None
        self._fds: list[int] = []

    # -- opening

    @classmethod
    def open(cls, out_dir: Path, fmts: list[str]) -> "Rebuild | str | None":
        """The rebuild of ``out_dir``'s recorded build; None when there is no state, or the reason
        why the state cannot be used (then the build is a full one)."""
        from .exportset import read_manifest
        from .readback import file_stamp

        path = out_dir / STATE_DIRNAME / _DB
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            row = db.execute("SELECT v FROM kv WHERE k = 'meta'").fetchone()
            meta = pickle.loads(row[0]) if row else None
        except Exception:
            return "the incremental state is unreadable"
        reason = None
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            reason = "the incremental state is unreadable"
        elif meta.get("version") != _version():
            reason = "the extractor changed since the last build"
        elif meta.get("fmts") != sorted(fmts):
            reason = "the formats changed since the last build"
        elif "turtle" not in fmts:
            reason = "an incremental rebuild needs the turtle format"
        else:
            manifest = read_manifest(out_dir) or {}
            stamps = manifest.get("stamps") or {}
            names = ["graph.ttl"] + (["graph.nt"] if "ntriples" in fmts else [])
            try:
                same = all(stamps.get(n) == file_stamp(out_dir / n) for n in names)
            except OSError:
                same = False
            if manifest.get("build") != meta.get("build") or not same:
                reason = "the output folder changed since the last build"
        if reason is not None:
            db.close()
            return reason
        assert isinstance(meta, dict)
        return cls(out_dir, db, meta)

    def plan(self, tasks: list[tuple[Path, str]], keys: list[str | None]) -> Plan | str:
        """Which inputs to analyse, or why this is not a rebuild."""
        old = dict(self.meta["docs"])
        todo, unchanged = [], []
        for i, ((_, doc_id), key) in enumerate(zip(tasks, keys)):
            if key is not None and old.get(doc_id) == key:
                unchanged.append(i)
            else:
                todo.append(i)
        kept = {tasks[i][1] for i in unchanged}
        gone = {d for d in old if d not in kept}
        # fusion and the indicators follow the documents' order: the documents kept must keep theirs
        if [tasks[i][1] for i in unchanged] != [d for d, _ in self.meta["docs"] if d in kept]:
            return "the order of the documents changed"
        if max(len(todo), len(gone)) > MAX_CHANGED * max(1, len(tasks)):
            return f"{len(todo)} of {len(tasks)} documents to analyse"
        return Plan(tasks, keys, todo, gone, unchanged)

    # -- the work

    def _kv(self, k: str) -> Any:
        row = self.db.execute("SELECT v FROM kv WHERE k = ?", (k,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def _select(self, table: str, column: str, keys: Iterable[str], what: str = "*") -> list[tuple]:
        """The rows whose ``column`` is one of ``keys``, their key columns as text."""
        encoded = [_b(k) for k in keys]
        out: list[tuple] = []
        for i in range(0, len(encoded), 500):
            part = encoded[i:i + 500]
            rows = self.db.execute(f"SELECT {what} FROM {table} WHERE {column} IN ({','.join('?' * len(part))})",
                                   part).fetchall()
            out += [(_s(r[0]), *(_s(v) if table in ("contrib", "refs") and j == 0 else v
                                 for j, v in enumerate(r[1:]))) for r in rows]
        return out

    def assemble(self, plan: Plan, new: dict[str, Fragment], cache: Any, workdir: Path) -> "SplicedAssembly | str":
        """The graph of the new input: ``new`` holds the fragments analysed for ``plan.todo`` (those
        that failed are not in it); unchanged documents re-rendered come from ``cache``."""
        meta = self.meta
        old_keys = dict(meta["docs"])
        kept = set(plan.unchanged)
        order = [plan.tasks[i][1] for i in range(len(plan.tasks)) if i in kept or plan.tasks[i][1] in new]
        pos = {d: i for i, d in enumerate(order)}
        gone = plan.gone
        self.db.execute("BEGIN")
        old_docs = {d: pickle.loads(b) for d, b in self._select("docs", "doc", gone)}

        # fusion of the entities whose contributions changed, from every document naming them (a
        # document changed that names an entity as before, at the same place in the order, changes nothing)
        touched: set[str] = set()
        new_tuples = {d: {k: _ent_tuple(e) for k, e in frag.entities.items()} for d, frag in new.items()}
        both = gone & set(new)  # documents changed in place: do they keep their places?
        in_place = [d for d, _ in meta["docs"] if d in both or d not in gone] == \
            [d for d in order if d in both or d not in new]
        for d in gone | set(new):
            was: dict[str, tuple] = old_docs[d][1] if d in old_docs else {}
            now = new_tuples.get(d, {})
            touched.update(k for k in was.keys() | now.keys() if was.get(k) != now.get(k) or not in_place)
        contrib: dict[str, list[tuple[int, str, tuple]]] = {k: [] for k in touched}
        for key, doc, data in self._select("contrib", "key", touched):
            if doc not in gone:
                contrib[key].append((pos[doc], doc, pickle.loads(data)))
        for d, tuples in new_tuples.items():
            for k, t in tuples.items():
                if k in touched:
                    contrib[k].append((pos[d], d, t))
        old_ents = {k: _ent_of(k, pickle.loads(b)) for k, b in self._select("ents", "key", touched)}
        new_ents: dict[str, Entity | None] = {}
        for k in touched:
            fusion = Fusion()
            for _, _, t in sorted(contrib[k]):
                fusion.add(_Doc({k: _ent_of(k, t)}))  # type: ignore[arg-type]
            new_ents[k] = fusion.result().get(k)
        def tuple_of(e: Entity | None) -> tuple | None:
            return None if e is None else _ent_tuple(e)

        def iri_of(e: Entity | None) -> str | None:
            return None if e is None else _entity_iri(e)

        changed_ents = {k for k in touched if tuple_of(old_ents.get(k)) != tuple_of(new_ents[k])}
        moved = {k for k in changed_ents if iri_of(old_ents.get(k)) != iri_of(new_ents[k])}  # IRI or presence

        # documents kept whose links name an entity that moved: rendered again (from the cache)
        rerender: dict[str, Fragment] = {}
        for _, doc in self._select("refs", "key", moved, "key, doc"):
            if doc in gone or doc in new or doc in rerender:
                continue
            hits = cache.hits
            frag = cache.get(old_keys[doc]) if cache is not None else None
            if cache is not None:
                cache.hits = hits
            if frag is None:
                self.db.execute("ROLLBACK")
                return "a document's cache entry is missing"
            rerender[doc] = frag
        old_docs.update({d: pickle.loads(b) for d, b in self._select("docs", "doc", rerender)})

        # the units that change, by subject: {subject: {unit: records or None (gone)}}
        updates: dict[str, dict[str, list[str] | None]] = {}
        for d in itertools.chain(gone, rerender):
            for s in old_docs[d][0]:
                updates.setdefault(s, {})[_doc_unit(d)] = None
        rendered = {**new, **rerender}
        needed = set().union(*(_link_keys(f.links or ()) for f in rendered.values())) if rendered else set()
        lookup = {k: e for k, e in new_ents.items() if e is not None and k in needed}
        rest = needed - touched
        lookup.update({k: _ent_of(k, pickle.loads(b)) for k, b in self._select("ents", "key", rest)})
        doc_rows: dict[str, tuple] = {}
        for d, frag in rendered.items():
            by_subject = _group(sorted(set(_doc_records(frag, lookup))))
            for s, rests in by_subject.items():
                updates.setdefault(s, {})[_doc_unit(d)] = rests
            doc_rows[d] = (tuple(sorted(by_subject)), new_tuples[d] if d in new_tuples else old_docs[d][1],
                           tuple(sorted(_link_keys(frag.links or ()))))
        for k in changed_ents:
            if old_ents.get(k) is not None:
                updates.setdefault(_entity_iri(old_ents[k]), {})[_ent_unit(k)] = None
        for k in changed_ents:
            e = new_ents[k]
            if e is not None:
                for s, rests in _group(sorted(set(_entity_records(e)))).items():
                    updates.setdefault(s, {})[_ent_unit(k)] = rests

        # the indicators: replayed in document order if their events changed
        ind = self._kv("ind")
        new_ind = {d: _ind_events(f.links or ()) for d, f in new.items()}
        irec = None
        if not in_place or any(ind.get(d, ()) != new_ind.get(d, ()) for d in gone | set(new)):
            for d in gone:
                ind.pop(d, None)
            ind.update(new_ind)
            old_irec = self._kv("irec")
            irec = _group(sorted(set(_indicator_records(ev for d in order for ev in ind.get(d, ())))))
            for s in set(old_irec) | set(irec):
                if old_irec.get(s) != irec.get(s):
                    updates.setdefault(s, {})[_IND] = irec.get(s)
        else:
            for d in gone:
                ind.pop(d, None)
            ind.update(new_ind)

        # each subject touched: its records from the units that write it now
        entities = dict(meta["entities"])
        tally = [meta["triples"], meta["relations"], meta["observations"]]
        blocks: dict[str, list[str] | None] = {}  # subjects whose triples changed: their records (None: gone)
        old_units: dict[str, dict[str, list[str]]] = {
            s: pickle.loads(b) for s, b in self._select("subj", "s", updates)}
        rows_put: list[tuple[str, bytes]] = []
        rows_del: list[tuple[str]] = []
        for s, change in updates.items():
            before: dict[str, list[str]] = old_units.get(s, {})
            after: dict[str, list[str]] = dict(before)
            for unit, change_rests in change.items():
                if change_rests is None:
                    after.pop(unit, None)
                else:
                    after[unit] = change_rests
            if after == before:
                continue
            old_set = set().union(*before.values()) if before else set()
            new_set = set().union(*after.values()) if after else set()
            if after:
                rows_put.append((s, _dumps(after)))
            else:
                rows_del.append((s,))
            if old_set != new_set:
                _count(old_set, -1, entities, tally)
                _count(new_set, 1, entities, tally)
                blocks[s] = sorted(new_set) if new_set else None
        self._changes = (old_units, blocks)
        self.stats = {"analysed": len(new), "gone": len(gone), "entities": len(touched), "changed": len(changed_ents),
                      "moved": len(moved), "rerendered": len(rerender), "subjects": len(updates), "blocks": len(blocks),
                      "indicators": irec is not None}
        if os.environ.get("KG_INCREMENTAL_DEBUG"):
            print(f"incremental: {self.stats}")

        # the state, updated in this transaction (committed once the output is in place)
        db = self.db
        db.executemany("DELETE FROM subj WHERE s = ?", [(_b(r[0]),) for r in rows_del])
        db.executemany("INSERT OR REPLACE INTO subj VALUES (?, ?)", [(_b(k), v) for k, v in rows_put])
        for d in gone:
            if d in old_docs:
                db.executemany("DELETE FROM contrib WHERE key = ? AND doc = ?",
                               [(_b(k), _b(d)) for k in old_docs[d][1]])
                db.executemany("DELETE FROM refs WHERE key = ? AND doc = ?", [(_b(k), _b(d)) for k in old_docs[d][2]])
        db.executemany("DELETE FROM docs WHERE doc = ?", [(_b(d),) for d in gone])
        for d, frag in new.items():
            db.executemany("INSERT OR REPLACE INTO contrib VALUES (?, ?, ?)",
                           [(_b(k), _b(d), _dumps(t)) for k, t in new_tuples[d].items()])
            db.executemany("INSERT OR REPLACE INTO refs VALUES (?, ?)", [(_b(k), _b(d)) for k in doc_rows[d][2]])
        db.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?)", [(_b(d), _dumps(r)) for d, r in doc_rows.items()])
        for k in changed_ents:
            fused = new_ents[k]
            if fused is None:
                db.execute("DELETE FROM ents WHERE key = ?", (_b(k),))
            else:
                db.execute("INSERT OR REPLACE INTO ents VALUES (?, ?)", (_b(k), _dumps(_ent_tuple(fused))))
        if irec is not None:
            db.execute("INSERT OR REPLACE INTO kv VALUES ('irec', ?)", (_dumps(irec),))
        db.execute("INSERT OR REPLACE INTO kv VALUES ('ind', ?)", (_dumps(ind),))

        notes = {d: n for d, n in meta["notes"].items() if d not in gone}
        for d, frag in new.items():
            if frag.notes or frag.extraction_notes:
                notes[d] = (str(frag.source), list(frag.notes), tuple(frag.extraction_notes))
        new_keys = dict(zip((t[1] for t in plan.tasks), plan.keys))
        self.meta = {**meta, "docs": [(d, new_keys[d]) for d in order], "notes": notes, "triples": tally[0],
                     "entities": {t: n for t, n in entities.items() if n}, "relations": tally[1],
                     "observations": tally[2]}
        counts = Counts({t: entities[t] for t in ENTITY_TYPES if entities.get(t)}, tally[1], tally[2])
        tmp = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=workdir))
        graph = SplicedAssembly(tmp, tmp / "none", tally[0], counts, len(order))
        graph.rebuild = self
        graph.blocks = blocks
        graph.removed = {s: sorted(set().union(*old_units[s].values())) for s in blocks if s in old_units}
        self.order_notes = [notes[d] for d in order if d in notes]
        self.splice_plan()
        return graph

    def splice_plan(self) -> None:
        """Where the changed blocks go in the previous Turtle and N-Triples, and the new indexes."""
        _, blocks = self._changes
        self.ttl = _splice(self._kv("ttl"), blocks, lambda s: s, turtle_block)
        try:
            size = (self.out_dir / "graph.ttl").stat().st_size
        except OSError:
            size = -1
        if self.ttl is not None and size != self.ttl[2] + _HEADER_BYTES:
            raise RebuildError("graph.ttl is not the file the incremental state describes")
        self.nt = _splice(self._kv("nt"), blocks, _nt_key, nt_block) if "ntriples" in self.meta["fmts"] else None
        if self.ttl is None or ("ntriples" in self.meta["fmts"] and self.nt is None):
            raise RebuildError("the incremental state has no index of the output")

    def commit(self, graph: Assembly, build_id: str, store: bool) -> None:
        meta = {**self.meta, "build": build_id, "store": store}
        rows = [("meta", _dumps(meta)), ("ttl", _dumps(self.ttl[0]))]
        if self.nt is not None:
            rows.append(("nt", _dumps(self.nt[0])))
        self.db.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?)", rows)
        self.db.execute("COMMIT")
        self.db.close()

    def abandon(self) -> None:
        try:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            self.db.close()
        except sqlite3.Error:  # pragma: no cover
            pass


class RebuildError(Exception):
    """The state does not fit the output folder: the build is a full one."""


def _splice(index: tuple[list[str], list[int]] | None, blocks: dict[str, list[str] | None],
            key: Callable[[str], str], render_block: Callable[[str, list[str]], str]):
    """The new index and the pieces of the new file: ``(start, end)`` byte ranges of the previous
    file (after its header) and ``bytes`` of new blocks, in order."""
    if index is None:
        return None
    subjects, lens = index
    keys = subjects if key(" ") == " " else [key(s) for s in subjects]
    offsets = [0, *itertools.accumulate(lens)]
    new_subjects: list[str] = []
    new_lens: list[int] = []
    pieces: list[tuple[int, int] | bytes] = []
    i = 0
    for s in sorted(blocks, key=key):
        k = key(s)
        j = bisect.bisect_left(keys, k, lo=i)
        if j > i:
            pieces.append((offsets[i], offsets[j]))
            new_subjects += subjects[i:j]
            new_lens += lens[i:j]
        i = j + 1 if j < len(keys) and keys[j] == k else j
        rests = blocks[s]
        if rests:
            b = render_block(s, rests).encode("utf-8")
            pieces.append(b)
            new_subjects.append(s)
            new_lens.append(len(b))
    if i < len(subjects):
        pieces.append((offsets[i], offsets[-1]))
        new_subjects += subjects[i:]
        new_lens += lens[i:]
    return (new_subjects, new_lens), pieces, offsets[-1], offsets


def _read(fd: int, start: int, end: int, name: str) -> bytes:
    parts = []
    while start < end:
        data = os.pread(fd, end - start, start)
        if not data:
            raise RebuildError(f"{name} is shorter than the incremental state says")
        parts.append(data)
        start += len(data)
    return b"".join(parts)


class SplicedAssembly(Assembly):
    """The graph of a rebuild: the previous files' unchanged byte ranges around the new blocks."""

    rebuild: Rebuild
    blocks: dict[str, list[str] | None]
    removed: dict[str, list[str]]

    def _open(self, name: str, spliced: Any, header: str) -> int:
        """The previous file, opened once: it stays readable after the new set replaced it (--store
        reads the Turtle again once the set is in place)."""
        fds = self.__dict__.setdefault("_fds", {})
        if name not in fds:
            fd = os.open(self.rebuild.out_dir / name, os.O_RDONLY)
            if os.fstat(fd).st_size != spliced[2] + len(header.encode("utf-8")):
                os.close(fd)
                raise RebuildError(f"{name} is not the file the incremental state describes")
            fds[name] = fd
        return fds[name]

    def close(self) -> None:
        for fd in self.__dict__.pop("_fds", {}).values():
            os.close(fd)
        super().close()

    def _pieces(self, name: str, spliced: Any, header: str, cuts: list[int] | None = None) -> Iterator[bytes]:
        """The new file's bytes: ranges of the previous one, read about 4 MB at a time (cut at
        ``cuts``, the subjects' ends, when given), and new blocks."""
        fd = self._open(name, spliced, header)
        base = len(header.encode("utf-8"))
        if header:
            yield header.encode("utf-8")
        for piece in spliced[1]:
            if isinstance(piece, bytes):
                yield piece
                continue
            start, end = piece
            while start < end:
                stop = min(end, start + (4 << 20))
                if cuts is not None and stop < end:  # the last subject's end before stop (or the first after start)
                    j = bisect.bisect_right(cuts, stop) - 1
                    stop = cuts[j] if cuts[j] > start else cuts[bisect.bisect_right(cuts, start)]
                yield _read(fd, base + start, base + stop, name)
                start = stop

    def turtle_chunks(self, subjects: int = 512, headed: bool = False) -> Iterator[str | bytes]:  # type: ignore[override]
        """Bytes for the file; text in pieces that end at a subject's end when the store loader
        reads it too (``tee``) or when each piece must be a Turtle document (``headed``)."""
        tee, self.tee = self.tee, None
        if tee is None and not headed:
            yield from self._pieces("graph.ttl", self.rebuild.ttl, _HEADER)
            return
        buf: list[str] = []
        size = 0
        for part in self._pieces("graph.ttl", self.rebuild.ttl, _HEADER, cuts=self.rebuild.ttl[3]):
            buf.append(part.decode("utf-8"))
            size += len(part)
            if size >= (4 << 20):
                text = "".join(buf)
                if tee is not None:
                    tee(text)
                yield text
                buf, size = [_HEADER] if headed else [], 0
        text = "".join(buf)
        if tee is not None:
            tee(text)
        yield text

    def graph(self) -> "Any":
        import pyoxigraph as ox

        from .graph import new_graph
        from .readback import _term

        g = new_graph()
        data = b"".join(self._pieces("graph.ttl", self.rebuild.ttl, _HEADER))
        for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE):
            g.add((_term(t.subject), _term(t.predicate), _term(t.object)))
        return g

    def ntriples_chunks(self) -> Iterator[bytes]:  # type: ignore[override]
        yield from self._pieces("graph.nt", self.rebuild.nt, "")

    def records(self) -> Iterator[str]:
        """The rebuilt graph's records in order (what the view, CSV and GraphML read, the view three
        times): read once from the state into a run on disk, as a full build's are."""
        if not self.path.is_file():
            _write_run(self.path, self._state_records())
        return _read_run(self.path)

    def _state_records(self) -> Iterator[str]:
        """From the state's subjects, as this rebuild has updated them (its transaction, not yet
        committed); SQLite orders the UTF-8 keys as Python orders the strings."""
        for key, blob in self.rebuild.db.execute("SELECT s, units FROM subj ORDER BY s"):
            units: dict[str, list[str]] = pickle.loads(blob)
            subject = _s(key)
            for rest in sorted(set().union(*units.values())):
                yield f"{subject}\0{rest}"

    def store_loader(self, store_dir: Path) -> "StoreLoader":  # or a _StoreUpdate, which quacks like one
        from .exportset import read_manifest
        from .readback import store_build

        manifest = read_manifest(self.rebuild.out_dir) or {}
        name = manifest.get("store")
        old = self.rebuild.out_dir / name if isinstance(name, str) and name and "/" not in name else None
        if old is not None and old.is_dir() and store_build(old) == self.rebuild.meta.get("build"):
            return _StoreUpdate(old, store_dir, self.removed, self.blocks)  # type: ignore[return-value]
        return super().store_loader(store_dir)

    def save_store(self, store_dir: Path) -> Path:
        loader = StoreLoader(store_dir)
        try:
            for piece in self.turtle_chunks(headed=True):
                loader.feed(piece if isinstance(piece, str) else piece.decode("utf-8"))
        except BaseException:
            loader.abandon()
            raise
        return loader.close()


class _StoreUpdate:
    """The previous build's store, copied (hard links: Oxigraph's backup), with the triples of the
    changed subjects taken away and added."""

    def __init__(self, old: Path, new: Path, removed: dict[str, list[str]], blocks: dict[str, list[str] | None]) -> None:
        self.old, self.path, self.removed, self.blocks = old, new, removed, blocks

    def feed(self, piece: str) -> None:
        pass

    @staticmethod
    def _triples(ox: Any, by_subject: dict[str, set[str]]) -> list:
        lines = []
        terms = _terms()
        for s, rests in by_subject.items():
            st = terms.text(URIRef(s))
            for rest in rests:
                fp, o = rest.split("\0", 1)
                lines.append(f"{st} {'a' if fp == '0a' else fp[1:]} {o} .\n")
        if not lines:
            return []
        data = (_HEADER + "".join(lines)).encode("utf-8")
        return [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(input=data, format=ox.RdfFormat.TURTLE)]

    def close(self) -> Path:
        import pyoxigraph as ox

        if self.path.exists():
            shutil.rmtree(self.path)
        ox.Store.read_only(str(self.old)).backup(str(self.path))
        take: dict[str, set[str]] = {}
        put: dict[str, set[str]] = {}
        for s, rests in self.blocks.items():
            before = set(self.removed.get(s, ()))
            after = set(rests or ())
            if before - after:
                take[s] = before - after
            if after - before:
                put[s] = after - before
        store = ox.Store(str(self.path))
        try:
            for q in self._triples(ox, take):
                store.remove(q)
            store.extend(self._triples(ox, put))
            store.flush()
        finally:
            del store
        return self.path

    def abandon(self) -> None:
        pass


__all__ = ["Recorder", "RecordingAssembler", "Rebuild", "Plan", "SplicedAssembly", "STATE_DIRNAME",
           "turtle_block", "nt_block"]
