"""The HTML view of a streaming build (:class:`~kg.assemble.Assembly`) without a graph of the corpus.

:func:`kg.view.render_html` reads a whole rdflib graph (about 1 KB per
triple). A streaming build has its triples as one sorted stream on disk
instead; this module draws the same page from three passes over that stream,
holding a few things per node (its class, its degree, its evidence's
document) and the triples of what it draws, never one object per triple:

1. the structure: each node's class, the documents, each evidence sentence's
   document, and every candidate edge (relations, reified statements,
   observations' links), which go through an external sort (on disk) to be
   de-duplicated and counted, and then to give each node its number of
   distinct neighbours;
2. the nodes to draw are chosen as :func:`kg.view._trim` chooses them (most
   connected first, then their neighbours, up to ``view_limit``); the second
   pass keeps the triples of the drawn nodes and of the documents, the edges
   among drawn nodes with their evidence, and the documents a drawn node's
   edges (drawn or not) come from;
3. the third pass reads the drawn evidence sentences and the labels of the
   indicators drawn observations name.

The records then go to :func:`kg.view._page`, the page writer of the
in-memory view: the page is the one :func:`kg.view.render_html` writes for the
same graph, byte for byte (tests), and says what it left out as that one does.
"""

from __future__ import annotations

import dataclasses
from sys import intern
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from .namespace import KG_NS, KGR_NS, PREFIXES
from .view import CLASS_STYLE, ENTITY_CLASSES, RELATIONS, ViewInfo, _curie, _label, _one, _page

if TYPE_CHECKING:  # pragma: no cover
    from .assemble import Assembly

__all__ = ["render_html_stream", "write_html_stream"]

#: candidate edges and neighbour pairs held in memory before a sorted run goes to disk
SORT_CHUNK = 200_000

_LEGEND = {cls: i for i, cls in enumerate(CLASS_STYLE)}
_OBS_LINKS = (("ind", "kg:indicator", "indicator"), ("place", "kg:locatedIn", "locatedIn"),
              ("about", "kg:about", "about"))
_OBS_VALUES = (("value", "value"), ("unit", "unit"), ("year", "year"), ("status", "status"),
               ("qualifier", "qualifier"), ("isChange", "isChange"), ("baseYear", "baseYear"),
               ("nvalue", "normalizedValue"), ("nunit", "normalizedUnit"))
_RELATION_PREDS = {f"kg:{r}": r for r in RELATIONS}
_RDF_PREDICATE_KG = f"<{KG_NS}"
# predicates whose objects the page reads, per kind of node (Turtle text as in the records)
_ENTITY_PREDS = frozenset({"rdfs:label", "skos:altLabel", "kg:fileName", "kg:adcode", "kg:level", "kg:post",
                           "kg:partOf", "kg:mentionedIn"})
_OBS_PREDS = frozenset({f"kg:{p}" for _k, p in _OBS_VALUES} | {"kg:evidence", "rdfs:label", "kg:fileName"})
_LABEL_PREDS = frozenset({"rdfs:label", "kg:fileName"})
_EVIDENCE_PREDS = frozenset({"kg:source", "kg:text", "kg:start", "kg:end"})


# ---------------------------------------------------------------------------
# the records of an assembly


def _groups(records: Iterable[str]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(subject IRI, [(predicate, object)]) per subject: ``a`` for rdf:type, else the predicate's
    Turtle text; objects as Turtle text (records are sorted by subject)."""
    subject = None
    rows: list[tuple[str, str]] = []
    for r in records:
        s, fp, o = r.split("\0", 2)
        if s != subject:
            if subject is not None:
                yield subject, rows
            subject, rows = s, []
        rows.append(("a" if fp == "0a" else fp[1:], o))
    if subject is not None:
        yield subject, rows


def _iri(text: str) -> str | None:
    """The IRI a Turtle term names (``<...>`` or a prefixed name); None for a literal."""
    if text[0] == "<":
        return text[1:-1]
    if text[0] == '"':
        return None
    prefix, local = text.split(":", 1)
    return PREFIXES[prefix] + local


def _cid(iri: str) -> str:
    """:func:`kg.view._curie` of an IRI (the node ids of the page)."""
    for prefix, ns in (("kgr", KGR_NS), ("kg", KG_NS)):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _objects(rows: list[tuple[str, str]], pred: str) -> list[str]:
    return [o for p, o in rows if p == pred]


def _first(rows: list[tuple[str, str]], pred: str) -> str | None:
    for p, o in rows:
        if p == pred:
            return o
    return None


class _Mini:
    """The few triples the page reads, parsed into rdflib terms, with the two methods of
    :class:`rdflib.Graph` that :func:`kg.view._label` and :func:`kg.view._one` call."""

    def __init__(self) -> None:
        self.raw: dict[str, list[tuple[str, str]]] = {}
        self.data: dict[Node, dict[Node, list[Node]]] = {}

    def keep(self, subject: str, rows: list[tuple[str, str]], preds: frozenset[str]) -> None:
        kept = [(p, o) for p, o in rows if p in preds]
        if kept:
            self.raw.setdefault(subject, []).extend(kept)

    def parse(self) -> None:
        """Turn what was kept into rdflib terms as :meth:`kg.assemble.Assembly.graph` parses them."""
        import pyoxigraph as ox

        from .readback import _term

        literals: list[str] = []
        for rows in self.raw.values():
            literals.extend(o for _p, o in rows if o[0] == '"')
        parsed: dict[str, Node] = {}
        if literals:
            header = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items()))
            doc = header + "\n" + "".join(f"<urn:x:{i}> <urn:p> {t} .\n" for i, t in enumerate(literals))
            for t in ox.parse(input=doc.encode("utf-8"), format=ox.RdfFormat.TURTLE):
                parsed[literals[int(t.subject.value[6:])]] = _term(t.object)
        for s, rows in self.raw.items():
            by_pred: dict[Node, list[Node]] = self.data.setdefault(URIRef(s), {})
            for p, o in rows:
                term = parsed[o] if o[0] == '"' else URIRef(_iri(o) or "")
                by_pred.setdefault(URIRef(_iri(p) or ""), []).append(term)
        for preds in self.data.values():
            for pred, objs in preds.items():
                preds[pred] = list(dict.fromkeys(objs))  # one each, as in a graph
        self.raw = {}

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        yield from self.data.get(subject, {}).get(predicate, ())

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)


# ---------------------------------------------------------------------------
# the three passes


@dataclasses.dataclass
class _Structure:
    """What the first pass learns: a few things per node, none per triple."""

    node_cls: dict[str, str]  # node id -> class (entities, indicators; "Observation")
    doc_ids: dict[str, int]  # document IRI -> number (in order of appearance)
    ev_doc: dict[str, int]  # evidence IRI -> its document's number (kg:source)
    evidence: int  # distinct objects of kg:evidence
    edges: int  # edges of the page's model (relations between nodes, observations' links)
    degree: dict[str, int]  # node id -> distinct neighbours (nodes with any)
    pairs: Path  # sorted distinct (node, neighbour) pairs, "a\0b"


def _structure(asm: "Assembly", show_observations: bool) -> _Structure:
    from .assemble import _Sorter, _write_run

    classes = set(ENTITY_CLASSES) | ({"Indicator"} if show_observations else set())
    node_cls: dict[str, str] = {}
    doc_ids: dict[str, int] = {}
    ev_doc: dict[str, int] = {}
    ev_sorter = _Sorter(asm.workdir, "view-ev", SORT_CHUNK)
    cand = _Sorter(asm.workdir, "view-edges", SORT_CHUNK)

    def doc(iri: str) -> int:
        n = doc_ids.get(iri)
        if n is None:
            n = doc_ids[iri] = len(doc_ids)
        return n

    batch: list[str] = []
    evs: list[str] = []
    for s, rows in _groups(asm.records()):
        types = [o[3:] for p, o in rows if p == "a" and o.startswith("kg:")]
        cls = min((t for t in types if t in classes), key=_LEGEND.__getitem__, default=None)
        sid = _cid(s)
        if cls is not None:
            node_cls[intern(sid)] = cls
        elif show_observations and "Observation" in types:
            node_cls[intern(sid)] = "Observation"
        if "SourceDocument" in types:
            doc(s)
        for p, o in rows:
            if p == "kg:mentionedIn" or p == "kg:source":
                iri = _iri(o)
                if iri is not None:
                    n = doc(iri)
                    if p == "kg:source" and s not in ev_doc:
                        ev_doc[s] = n
            elif p == "kg:evidence":
                iri = _iri(o)
                if iri is not None:
                    evs.append(iri)
            elif p in _RELATION_PREDS:
                iri = _iri(o)
                if iri is not None:
                    batch.append(f"{sid}\0{_RELATION_PREDS[p]}\0{_cid(iri)}\0r")
        subj = _first(rows, "rdf:subject")
        if subj is not None:  # a reified statement (rdflib's value(): the first object)
            pred, obj = _first(rows, "rdf:predicate"), _first(rows, "rdf:object")
            st_s, st_p = _iri(subj), _iri(pred) if pred is not None else None
            st_o = _iri(obj) if obj is not None else None
            if st_s and st_o and st_p and st_p.startswith(KG_NS) and st_p[len(KG_NS):] in RELATIONS:
                batch.append(f"{_cid(st_s)}\0{st_p[len(KG_NS):]}\0{_cid(st_o)}\0r")
        if node_cls.get(sid) == "Observation":
            for _key, pred, rel in _OBS_LINKS:
                for o in _objects(rows, pred):
                    iri = _iri(o)
                    if iri is not None:
                        batch.append(f"{sid}\0{rel}\0{_cid(iri)}\0o")
        if len(batch) >= 10_000:
            cand.extend(batch)
            batch = []
        if len(evs) >= 10_000:
            ev_sorter.extend(evs)
            evs = []
    cand.extend(batch)
    ev_sorter.extend(evs)
    evidence = sum(1 for _ in ev_sorter.sorted())

    # the page's edges: relations between two nodes of an entity class, observations' links to one
    pairs = _Sorter(asm.workdir, "view-pairs", SORT_CHUNK)
    edges = 0
    out: list[str] = []
    for key in cand.sorted():
        f, _rel, t, kind = key.split("\0")
        cf, ct = node_cls.get(f), node_cls.get(t)
        if ct is None or ct == "Observation" or (kind == "r" and (cf is None or cf == "Observation")):
            continue
        edges += 1
        if f != t:
            out.append(f"{f}\0{t}")
            out.append(f"{t}\0{f}")
            if len(out) >= 10_000:
                pairs.extend(out)
                out = []
    pairs.extend(out)
    degree: dict[str, int] = {}
    path = asm.workdir / "view-pairs.run"

    def counted() -> Iterator[str]:
        for pair in pairs.sorted():
            f = intern(pair.split("\0", 1)[0])  # the same string as node_cls's key
            degree[f] = degree.get(f, 0) + 1
            yield pair

    _write_run(path, counted())
    return _Structure(node_cls, doc_ids, ev_doc, evidence, edges, degree, path)


def _choose(st: _Structure, limit: int | None) -> set[str]:
    """:func:`kg.view._trim` on the streamed structure: the neighbours of only the nodes it visits."""
    from .assemble import _read_run

    if limit is None or len(st.node_cls) <= limit:
        return set(st.node_cls)
    limit = max(int(limit), 0)
    deg = st.degree
    order = sorted(st.node_cls, key=lambda n: (-deg.get(n, 0), n))
    reach = max(limit, 1)
    while True:
        top = set(order[:reach])
        neigh: dict[str, list[str]] = {n: [] for n in top}
        for pair in _read_run(st.pairs):
            f, t = pair.split("\0", 1)
            if f in top:
                neigh[f].append(t)
        kept: set[str] = set()
        short = False
        for i, n in enumerate(order):
            if len(kept) >= limit:
                break
            if i >= reach:
                short = True
                break
            kept.add(n)
            for m in sorted(neigh[n], key=lambda m: (-deg.get(m, 0), m)):
                if len(kept) >= limit:
                    break
                kept.add(m)
        if not short:
            return kept
        reach *= 4


def _build(asm: "Assembly", *, title: str, view_limit: int | None, show_observations: bool) -> tuple[str, ViewInfo]:
    st = _structure(asm, show_observations)
    kept = _choose(st, view_limit)
    cls = st.node_cls

    # second pass: the drawn nodes' triples, the documents', the edges among drawn nodes, and the
    # documents every edge of a drawn node comes from
    mini = _Mini()
    drawn_ev: dict[tuple[str, str, str], set[str]] = {}
    obs_ev: dict[str, list[str]] = {}  # drawn observation -> its evidence
    obs_links: dict[str, list[tuple[str, str, list[str]]]] = {}  # drawn observation -> (key, rel, [targets])
    extra: dict[str, set[int]] = defaultdict(set)  # drawn node -> documents of its edges' evidence
    for s, rows in _groups(asm.records()):
        sid = _cid(s)
        if s in st.doc_ids:
            mini.keep(s, rows, _LABEL_PREDS)
        c = cls.get(sid)
        if sid in kept:
            mini.keep(s, rows, _OBS_PREDS if c == "Observation" else _ENTITY_PREDS)
        if c is not None and c != "Observation" and sid in kept:
            for p, o in rows:
                rel = _RELATION_PREDS.get(p)
                if rel is not None:
                    t = _iri(o)
                    if t is not None and _cid(t) in kept and cls.get(_cid(t), "Observation") != "Observation":
                        drawn_ev.setdefault((sid, rel, _cid(t)), set())
        subj = _first(rows, "rdf:subject")
        if subj is not None:
            pred, obj = _first(rows, "rdf:predicate"), _first(rows, "rdf:object")
            st_s, st_p = _iri(subj), _iri(pred) if pred is not None else None
            st_o = _iri(obj) if obj is not None else None
            if st_s and st_o and st_p and st_p.startswith(KG_NS) and st_p[len(KG_NS):] in RELATIONS:
                f, t, rel = _cid(st_s), _cid(st_o), st_p[len(KG_NS):]
                if cls.get(f, "Observation") != "Observation" and cls.get(t, "Observation") != "Observation" \
                        and (f in kept or t in kept):
                    evs = [e for e in (_iri(o) for o in _objects(rows, "kg:evidence")) if e is not None]
                    ds = {st.ev_doc[e] for e in evs if e in st.ev_doc}
                    for n in (f, t):
                        if n in kept:
                            extra[n].update(ds)
                    if f in kept and t in kept:
                        drawn_ev.setdefault((f, rel, t), set()).update(evs)
        if c == "Observation":
            links = []
            for key, pred, rel in _OBS_LINKS:
                targets = sorted(i for i in (_iri(o) for o in _objects(rows, pred)) if i is not None
                                 and cls.get(_cid(i), "Observation") != "Observation")
                if targets:
                    links.append((key, rel, [_cid(i) for i in targets]))
            if sid in kept or any(t in kept for _k, _r, ts in links for t in ts):
                evs = [e for e in (_iri(o) for o in _objects(rows, "kg:evidence")) if e is not None]
                ds = {st.ev_doc[e] for e in evs if e in st.ev_doc}
                for _k, _r, ts in links:
                    for t in ts:
                        if t in kept:
                            extra[t].update(ds)
                if sid in kept:
                    obs_ev[sid] = evs
                    obs_links[sid] = links

    # third pass: the drawn evidence sentences and the labels of the indicators drawn observations name
    used: set[str] = set()
    for evs_set in drawn_ev.values():
        used.update(evs_set)
    for evs_list in obs_ev.values():
        used.update(evs_list)
    indicators = {ts[0] for links in obs_links.values() for key, _r, ts in links if key == "ind"}
    for s, rows in _groups(asm.records()):
        if s in used:
            mini.keep(s, rows, _EVIDENCE_PREDS)
        elif _cid(s) in indicators and _cid(s) not in kept:
            mini.keep(s, rows, _LABEL_PREDS)
    mini.parse()

    from rdflib.namespace import SKOS

    from .namespace import KG

    def term(nid: str) -> URIRef:
        if nid.startswith("kgr:"):
            return URIRef(KGR_NS + nid[4:])
        if nid.startswith("kg:"):
            return URIRef(KG_NS + nid[3:])
        return URIRef(nid)

    # the documents, as kg.view._read numbers them
    doc_list = sorted(st.doc_ids, key=lambda d: (_label(mini, URIRef(d)), d))  # type: ignore[arg-type]
    renumber = {st.doc_ids[d]: i for i, d in enumerate(doc_list)}
    docs = [_label(mini, URIRef(d)) for d in doc_list]  # type: ignore[arg-type]

    # the drawn evidence, in kg.view's order
    rows_ev = []
    for ev in used:
        e = URIRef(ev)
        src = mini.value(e, KG.source)
        d = renumber[st.doc_ids[str(src)]] if src is not None and str(src) in st.doc_ids else -1
        start, end = mini.value(e, KG.start), mini.value(e, KG.end)
        rows_ev.append((docs[d] if d >= 0 else "", int(start) if start is not None else -1,  # type: ignore[call-overload]
                        int(end) if end is not None else -1, _one(mini, e, KG.text) or "", ev, d))  # type: ignore[arg-type,call-overload]
    rows_ev.sort(key=lambda r: r[:5])
    ev_index = {r[4]: i for i, r in enumerate(rows_ev)}
    evidence: list[dict[str, Any]] = [{"d": r[5], "t": r[3], "s": r[1], "e": r[2]} for r in rows_ev]

    meta: dict[str, dict[str, Any]] = {}
    for nid in sorted(kept):
        c = cls[nid]
        if c == "Observation":
            continue
        t = term(nid)
        label = _label(mini, t)  # type: ignore[arg-type]
        alt = sorted({str(a) for a in mini.objects(t, SKOS.altLabel)} - {label})
        m: dict[str, Any] = {"c": c, "l": label, "alt": alt}
        for key, prop in (("adcode", KG.adcode), ("level", KG.level), ("post", KG.post)):
            v = _one(mini, t, prop)  # type: ignore[arg-type]
            if v:
                m[key] = v
        if c == "Place":
            parents = sorted(_curie(p) for p in mini.objects(t, KG.partOf) if cls.get(_cid(str(p))) == "Place")
            if parents:
                m["parent"] = parents[0]
        mentioned = {renumber[st.doc_ids[str(d)]] for d in mini.objects(t, KG.mentionedIn)
                     if str(d) in st.doc_ids}
        m["docs"] = sorted(mentioned | {renumber[d] for d in extra.get(nid, ())})
        meta[nid] = m
    edges: list[tuple[str, str, str, list[int]]] = [
        (f, rel, t, sorted(ev_index[e] for e in evs)) for (f, rel, t), evs in drawn_ev.items()]
    labels = {nid: m["l"] for nid, m in meta.items()}
    for nid in sorted(kept):
        if cls[nid] != "Observation":
            continue
        obs = term(nid)
        ev_ids = sorted(ev_index[e] for e in obs_ev.get(nid, ()))
        om: dict[str, Any] = {"c": "Observation", "ev": ev_ids}
        for key, local in _OBS_VALUES:
            v = _one(mini, obs, KG[local])  # type: ignore[arg-type]
            if v is not None:
                om[key] = v
        for key, rel, targets in obs_links.get(nid, ()):
            om[key] = targets[0]
            for target in targets:
                if target in kept:
                    edges.append((nid, rel, target, ev_ids))
        ind = om.get("ind", "")
        om["l"] = labels[ind] if ind in labels else (_label(mini, term(ind)) if ind else "")  # type: ignore[arg-type]
        om["docs"] = sorted({evidence[i]["d"] for i in ev_ids if evidence[i]["d"] >= 0})
        meta[nid] = om
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    total = {"nodes": len(cls), "edges": st.edges, "evidence": st.evidence}
    return _page(title=title, view_limit=view_limit, show_observations=show_observations, docs=docs,
                 meta=meta, edges=edges, evidence=evidence, total=total)


def render_html_stream(asm: "Assembly", *, title: str = "edupolicy-kg", view_limit: int | None = 5000,
                       show_observations: bool = True) -> str:
    """:func:`kg.view.render_html` of the graph of ``asm``, read from its sorted stream."""
    return _build(asm, title=title, view_limit=view_limit, show_observations=show_observations)[0]


def write_html_stream(asm: "Assembly", path: Path | str, *, title: str = "edupolicy-kg",
                      view_limit: int | None = 5000, show_observations: bool = True) -> ViewInfo:
    """:func:`kg.view.write_html` of the graph of ``asm``, read from its sorted stream."""
    from .export import write_atomic

    path = Path(path)
    page, info = _build(asm, title=title, view_limit=view_limit, show_observations=show_observations)
    write_atomic(path, page.encode("utf-8"))
    return dataclasses.replace(info, path=path)
