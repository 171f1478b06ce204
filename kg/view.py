"""One self-contained, offline HTML page that shows the knowledge graph.

:func:`render_html` turns an :class:`rdflib.Graph` that follows the contract
(``/work/shared/ONTOLOGY.md``) into a single HTML file: vis-network's code
and CSS (the copy bundled with pyvis) are inlined, the graph is embedded as
JSON in a ``<script type="application/json">`` block, and the page makes no
request of its own (a Content-Security-Policy forbids any).

pyvis builds the node and edge records and serialises the vis options; the
page itself comes from ``kg/data/view_template.html``. Everything taken from
documents reaches the DOM through ``textContent`` only (see the template), and
the JSON block is escaped so that no string can close the ``<script>``.

The page sets ``window.kgReady = true`` and ``<body data-state="stabilized">``
once the layout has settled, and exposes ``window.kgView`` (``nodeCount()``,
``search(q)``, ``select(id)``, ``panelText()``, ...) for tests and scripts.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pyvis
from pyvis.network import Network
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .namespace import KG, PREFIXES

__all__ = ["ViewInfo", "render_html", "write_html", "CLASS_STYLE", "RELATION_NAMES"]

#: Display name (zh), colour and vis shape per class, in legend order.
CLASS_STYLE: dict[str, tuple[str, str, str]] = {
    "Agency": ("机构", "#4e79a7", "dot"),
    "School": ("学校", "#f28e2b", "square"),
    "Program": ("项目", "#59a14f", "diamond"),
    "PolicyDocument": ("政策文件", "#b07aa1", "triangle"),
    "Place": ("地点", "#e15759", "hexagon"),
    "Person": ("人物", "#d4a017", "star"),
    "Indicator": ("指标", "#76b7b2", "triangleDown"),
    "Observation": ("观测值", "#9c9c9c", "dot"),
}

#: The six entity classes of the contract (Indicator and Observation come with observations).
ENTITY_CLASSES = ("Agency", "School", "Program", "PolicyDocument", "Place", "Person")

#: Chinese name of each relation (and of the observation links).
RELATION_NAMES: dict[str, str] = {
    "implements": "实施",
    "locatedIn": "位于",
    "partOf": "隶属",
    "issues": "发布",
    "memberOf": "任职",
    "cooperatesWith": "合作",
    "indicator": "指标",
    "about": "关于",
}
RELATIONS = ("implements", "locatedIn", "partOf", "issues", "memberOf", "cooperatesWith")

_GLYPH = {
    "dot": "●",
    "square": "■",
    "diamond": "◆",
    "triangle": "▲",
    "hexagon": "⬢",
    "star": "★",
    "triangleDown": "▼",
}

_TEMPLATE = Path(__file__).with_name("data") / "view_template.html"
_VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
_LARGE = 1000  # above this many nodes: cheaper drawing options
_SEED = 20240501


@dataclass(frozen=True)
class ViewInfo:
    """What a written page shows: drawn nodes and edges, and what was left out."""

    path: Path | None
    nodes: int
    edges: int
    omitted_nodes: int
    omitted_edges: int
    omitted_evidence: int = 0  # evidence sentences of undrawn nodes and edges, not embedded

    @property
    def omitted(self) -> int:
        """Nodes left out by ``view_limit``."""
        return self.omitted_nodes


# ---------------------------------------------------------------------------
# reading the graph


def _curie(term: Any) -> str:
    """A short, stable id: ``kgr:place/211481``; blank nodes as ``_:id``."""
    if isinstance(term, BNode):
        return f"_:{term}"
    s = str(term)
    for prefix, ns in (("kgr", PREFIXES["kgr"]), ("kg", PREFIXES["kg"])):
        if s.startswith(ns):
            return f"{prefix}:{s[len(ns):]}"
    return s


def _local(term: Any) -> str:
    s = str(term)
    return re.split(r"[/#]", s.rstrip("/#"))[-1] or s


def _label(g: Graph, node: Any) -> str:
    """The canonical label: rdfs:label@zh first, then untagged, then any."""
    labels = [o for o in g.objects(node, RDFS.label) if isinstance(o, Literal)]
    if not labels:
        fn = g.value(node, KG.fileName)
        return str(fn) if fn is not None else _local(node)

    def rank(lit: Literal) -> tuple[int, str]:
        lang = (lit.language or "").lower()
        return (0 if lang.startswith("zh") else 1 if not lang else 2, str(lit))

    return str(min(labels, key=rank))


def _one(g: Graph, node: Any, prop: Any) -> str | None:
    vals = sorted(str(o) for o in g.objects(node, prop))
    return vals[0] if vals else None


@dataclass
class _Model:
    nodes: dict[str, dict[str, Any]]  # id -> meta (class, label, ...)
    edges: list[tuple[str, str, str, list[int]]]  # (from, pred, to, evidence indexes)
    evidence: list[dict[str, Any]]
    docs: list[str]  # document labels, index = doc number


def _read(g: Graph, show_observations: bool) -> _Model:
    classes = ENTITY_CLASSES + (("Indicator",) if show_observations else ())
    cls_of: dict[Any, str] = {}
    for cls in classes:  # first class in legend order wins for multi-typed things
        for s in g.subjects(RDF.type, KG[cls]):
            cls_of.setdefault(s, cls)
    observations = sorted(set(g.subjects(RDF.type, KG.Observation)), key=str) if show_observations else []

    # source documents: typed ones, plus anything used as kg:source / kg:mentionedIn
    doc_terms = set(g.subjects(RDF.type, KG.SourceDocument))
    doc_terms.update(g.objects(None, KG.source))
    doc_terms.update(g.objects(None, KG.mentionedIn))
    doc_list = sorted(doc_terms, key=lambda d: (_label(g, d), str(d)))
    doc_index = {d: i for i, d in enumerate(doc_list)}
    docs = [_label(g, d) for d in doc_list]

    # evidence nodes, numbered in a stable order
    ev_terms = set(g.objects(None, KG.evidence))
    ev_rows = []
    for ev in ev_terms:
        src = g.value(ev, KG.source)
        text = _one(g, ev, KG.text) or ""
        # kg:start / kg:end are integer literals; rdflib types graph.value() as Node | None
        start = cast("Literal | None", g.value(ev, KG.start))
        end = cast("Literal | None", g.value(ev, KG.end))
        ev_rows.append(
            (
                docs[doc_index[src]] if src in doc_index else "",
                int(start) if start is not None else -1,
                int(end) if end is not None else -1,
                text,
                str(ev),
                ev,
                doc_index.get(src, -1) if src is not None else -1,
            )
        )
    ev_rows.sort(key=lambda r: r[:5])
    ev_index = {r[5]: i for i, r in enumerate(ev_rows)}
    evidence: list[dict[str, Any]] = [{"d": r[6], "t": r[3], "s": r[1], "e": r[2]} for r in ev_rows]

    def evs(node: Any) -> list[int]:
        return sorted(ev_index[e] for e in g.objects(node, KG.evidence) if e in ev_index)

    nodes: dict[str, dict[str, Any]] = {}
    for term, cls in cls_of.items():
        label = _label(g, term)
        alt = sorted({str(a) for a in g.objects(term, SKOS.altLabel)} - {label})
        meta: dict[str, Any] = {"c": cls, "l": label, "alt": alt}
        adcode, level, post = _one(g, term, KG.adcode), _one(g, term, KG.level), _one(g, term, KG.post)
        if adcode:
            meta["adcode"] = adcode
        if level:
            meta["level"] = level
        if post:
            meta["post"] = post
        if cls == "Place":
            parents = sorted(_curie(p) for p in g.objects(term, KG.partOf) if cls_of.get(p) == "Place")
            if parents:
                meta["parent"] = parents[0]
        meta["docs"] = sorted(doc_index[d] for d in g.objects(term, KG.mentionedIn) if d in doc_index)
        nodes[_curie(term)] = meta

    # relations: direct triples plus reified statements (evidence comes from the latter)
    rel_ev: dict[tuple[Any, str, Any], set[int]] = defaultdict(set)
    for rel in RELATIONS:
        for s, o in g.subject_objects(KG[rel]):
            if s in cls_of and o in cls_of:
                rel_ev[(s, rel, o)]
    for st in set(g.subjects(RDF.subject, None)):
        st_s, st_p, st_o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
        if st_p is None or not str(st_p).startswith(PREFIXES["kg"]):
            continue
        rel = str(st_p)[len(PREFIXES["kg"]) :]
        if rel in RELATIONS and st_s in cls_of and st_o in cls_of:
            rel_ev[(st_s, rel, st_o)].update(evs(st))
    edges = [(_curie(s), rel, _curie(o), sorted(e)) for (s, rel, o), e in rel_ev.items()]

    for obs in observations:
        oid = _curie(obs)
        meta = {"c": "Observation", "ev": evs(obs)}
        for key, prop in (("value", KG.value), ("unit", KG.unit), ("year", KG.year), ("status", KG.status),
                          ("qualifier", KG.qualifier), ("isChange", KG.isChange), ("baseYear", KG.baseYear),
                          ("nvalue", KG.normalizedValue), ("nunit", KG.normalizedUnit)):
            v = _one(g, obs, prop)
            if v is not None:
                meta[key] = v
        for key, prop, rel in (("ind", KG.indicator, "indicator"), ("place", KG.locatedIn, "locatedIn"),
                               ("about", KG.about, "about")):
            targets = sorted((t for t in g.objects(obs, prop) if t in cls_of), key=str)
            if targets:
                meta[key] = _curie(targets[0])
            for t in targets:
                edges.append((oid, rel, _curie(t), meta["ev"]))
        ind = nodes.get(meta.get("ind", ""), {}).get("l", "")
        meta["l"] = ind
        docs_of = sorted({evidence[i]["d"] for i in meta["ev"] if evidence[i]["d"] >= 0})
        meta["docs"] = docs_of
        nodes[oid] = meta

    # a node belongs to the documents its relations' and observations' evidence come from
    extra_docs: dict[str, set[int]] = defaultdict(set)
    for from_id, _rel, to_id, ev_ids in edges:
        for i in ev_ids:
            d = evidence[i]["d"]
            if d >= 0:
                extra_docs[from_id].add(d)
                extra_docs[to_id].add(d)
    for nid, ds in extra_docs.items():
        if nid in nodes:
            nodes[nid]["docs"] = sorted(set(nodes[nid]["docs"]) | ds)

    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    return _Model(nodes=nodes, edges=edges, evidence=evidence, docs=docs)


def _trim(model: _Model, limit: int | None) -> set[str]:
    """Ids kept: all, or the most connected nodes and their neighbours up to ``limit``."""
    ids = sorted(model.nodes)
    if limit is None or len(ids) <= limit:
        return set(ids)
    limit = max(int(limit), 0)
    neigh: dict[str, set[str]] = defaultdict(set)
    for f, _rel, t, _ev in model.edges:
        if f != t:
            neigh[f].add(t)
            neigh[t].add(f)
    deg = {n: len(neigh[n]) for n in ids}
    order = sorted(ids, key=lambda n: (-deg[n], n))
    kept: set[str] = set()
    for n in order:
        if len(kept) >= limit:
            break
        kept.add(n)
        for m in sorted(neigh[n], key=lambda m: (-deg[m], m)):
            if len(kept) >= limit:
                break
            kept.add(m)
    return kept


def _drawn_evidence(model: _Model, kept: set[str], edges: list[tuple[str, str, str, list[int]]]
                    ) -> tuple[list[dict[str, Any]], list[tuple[str, str, str, list[int]]], dict[str, dict[str, Any]]]:
    """Only the evidence of what is drawn: the sentences of drawn edges and drawn observations,
    renumbered; returns them with the edges and the kept nodes' records pointing at the new numbers.

    An undrawn node's sentences (and those of its edges to drawn nodes) stay out of the page.
    """
    used: set[int] = set()
    for _f, _rel, _t, ev in edges:
        used.update(ev)
    for nid in kept:
        used.update(model.nodes[nid].get("ev", ()))
    order = sorted(used)
    new = {old: i for i, old in enumerate(order)}
    evidence = [model.evidence[i] for i in order]
    edges = [(f, rel, t, [new[i] for i in ev]) for f, rel, t, ev in edges]
    meta: dict[str, dict[str, Any]] = {}
    for nid in kept:
        m = model.nodes[nid]
        meta[nid] = {**m, "ev": [new[i] for i in m["ev"]]} if "ev" in m else m
    return evidence, edges, meta


# ---------------------------------------------------------------------------
# the page


class _IdList(list[Any]):
    """pyvis keeps node ids in a list and tests membership per edge; make that O(1)."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set[Any] = set()

    def append(self, item: Any) -> None:
        self._set.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def _iterations(n_nodes: int) -> int:
    """Stabilisation budget: 300 iterations up to 1,000 nodes, then fewer so that a
    5,000-node page settles in seconds (one Barnes-Hut pass costs ~0.1 s there);
    the page's 继续布局 button runs more on demand."""
    if n_nodes <= _LARGE:
        return 300
    return max(60, int(300 * _LARGE / n_nodes))


def _options(n_nodes: int) -> dict[str, Any]:
    large = n_nodes > _LARGE
    face = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
    groups = {}
    for cls, (_name, color, shape) in CLASS_STYLE.items():
        groups[cls] = {
            "shape": shape,
            "color": {"background": color, "border": "#333333",
                      "highlight": {"background": color, "border": "#000000"},
                      "hover": {"background": color, "border": "#000000"}},
            "size": 6 if cls == "Observation" else 14,
            "font": {"size": 10 if cls == "Observation" else 14},
        }
    return {
        "autoResize": True,
        "groups": groups,
        "nodes": {"borderWidth": 1, "font": {"face": face, "size": 14, "color": "#222222",
                                             "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 6}}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#a8a8a8", "highlight": "#d62728", "hover": "#555555"},
            "font": {"face": face, "size": 10, "color": "#555555", "strokeWidth": 2,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": {"enabled": False} if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1,
            "selectionWidth": 2,
        },
        "layout": {"randomSeed": _SEED, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"theta": 1.0 if large else 0.5, "gravitationalConstant": -60,
                                 "centralGravity": 0.01, "springLength": 90, "springConstant": 0.08,
                                 "damping": 0.5, "avoidOverlap": 0 if large else 0.1},
            "maxVelocity": 50,
            "minVelocity": 1,
            "timestep": 0.5,
            "stabilization": {"enabled": True, "iterations": _iterations(n_nodes),
                              "updateInterval": 10, "fit": True},
        },
        "interaction": {"hover": not large, "hideEdgesOnDrag": True, "hideEdgesOnZoom": large,
                        "tooltipDelay": 300, "multiselect": False, "navigationButtons": False,
                        "keyboard": False},
    }


def _json_for_script(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element it sits in, nor open a comment."""
    s = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    js = (_VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (_VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    template = _TEMPLATE.read_text(encoding="utf-8")
    low_js, low_css = js.lower(), css.lower()
    if "</script" in low_js or "<!--" in low_js or "</style" in low_css:
        raise RuntimeError("vis-network bundle cannot be inlined safely")
    return js, css, template


#: evidence sentences shown in a node's tooltip (all of them are in the side panel)
TOOLTIP_SENTENCES = 2


def _build(graph: Graph, *, title: str, view_limit: int | None, show_observations: bool) -> tuple[str, ViewInfo]:
    model = _read(graph, show_observations)
    kept = _trim(model, view_limit)
    edges = [e for e in model.edges if e[0] in kept and e[2] in kept]
    evidence, edges, meta = _drawn_evidence(model, kept, edges)
    total = {"nodes": len(model.nodes), "edges": len(model.edges), "evidence": len(model.evidence)}
    return _page(title=title, view_limit=view_limit, show_observations=show_observations, docs=model.docs,
                 meta=meta, edges=edges, evidence=evidence, total=total)


def _page(*, title: str, view_limit: int | None, show_observations: bool, docs: list[str],
          meta: dict[str, dict[str, Any]], edges: list[tuple[str, str, str, list[int]]],
          evidence: list[dict[str, Any]], total: dict[str, int]) -> tuple[str, ViewInfo]:
    """The page of the drawn part of a graph: the kept nodes' records (``meta``), the edges among
    them and the evidence they point at (numbered as in :func:`_drawn_evidence`), the documents of
    the whole graph and its totals (what was left out is the difference)."""
    kept = set(meta)
    omitted_nodes = total["nodes"] - len(kept)
    omitted_edges = total["edges"] - len(edges)
    omitted_evidence = total["evidence"] - len(evidence)

    # evidence sentences of each node (from its drawn relations and observations), for tooltips
    node_ev: dict[str, set[int]] = defaultdict(set)
    for f, _rel, t, ev in edges:
        node_ev[f].update(ev)
        node_ev[t].update(ev)

    def sentences(nid: str) -> str:
        picked = sorted(node_ev.get(nid, ()))[:TOOLTIP_SENTENCES]
        lines = []
        for i in picked:
            text = evidence[i]["t"]
            lines.append("· " + (text if len(text) <= 60 else text[:59] + "…"))
        more = len(node_ev.get(nid, ())) - len(picked)
        if more > 0:
            lines.append(f"（另有 {more} 句证据，点击查看）")
        return ("\n" + "\n".join(lines)) if lines else ""

    net = Network(directed=True, heading="", cdn_resources="in_line")
    net.node_ids = _IdList()
    for nid in sorted(kept):
        m = meta[nid]
        cls = m["c"]
        if cls == "Observation":
            label = f"{m.get('value', '?')}{m.get('unit', '')}" + (f"·{m['year']}" if m.get("year") else "")
            tip = f"观测值：{m['l']} {label}" + sentences(nid)
        else:
            label = m["l"]
            tip = f"{CLASS_STYLE[cls][0]}：{label}" + sentences(nid)
        # title is plain text: vis-network 9 shows a string title with innerText
        net.add_node(nid, label=label, shape=CLASS_STYLE[cls][2], group=cls, title=tip)
    edge_meta = []
    for i, (f, rel, t, ev) in enumerate(edges):
        net.add_edge(f, t, id=f"e{i}", label=RELATION_NAMES[rel])
        ds = sorted({evidence[k]["d"] for k in ev if evidence[k]["d"] >= 0})
        edge_meta.append({"p": rel, "ev": ev, "docs": ds})
    net.options = _options(len(kept))
    vis_nodes, vis_edges, _heading, _h, _w, options_json = net.get_network_data()

    counts: dict[str, int] = defaultdict(int)
    for nid in kept:
        counts[meta[nid]["c"]] += 1
    classes = [
        {"key": cls, "name": name, "color": color, "shape": shape, "glyph": _GLYPH.get(shape, "●"),
         "count": counts.get(cls, 0)}
        for cls, (name, color, shape) in CLASS_STYLE.items()
        if cls in ENTITY_CLASSES or show_observations
    ]
    data = {
        "title": title,
        "classes": classes,
        "relations": RELATION_NAMES,
        "docs": docs,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "meta": {nid: meta[nid] for nid in sorted(kept)},
        "edgeMeta": edge_meta,
        "evidence": evidence,
        "options": json.loads(options_json),
        "showObservations": show_observations,
        "total": {"nodes": total["nodes"], "edges": total["edges"], "evidence": total["evidence"]},
        "omitted": {"nodes": omitted_nodes, "edges": omitted_edges, "evidence": omitted_evidence},
        "viewLimit": view_limit,
    }
    notice = ""
    if omitted_nodes or omitted_edges:
        notice = (
            f'<div id="kg-notice" role="status">图较大：共 {total["nodes"]} 个节点、{total["edges"]} 条边；'
            f"按连接数保留 {len(kept)} 个节点及其间 {len(edges)} 条边，"
            f"省略 <b id=\"kg-omitted-nodes\">{omitted_nodes}</b> 个节点、"
            f"<b id=\"kg-omitted-edges\">{omitted_edges}</b> 条边及其 "
            f"<b id=\"kg-omitted-evidence\">{omitted_evidence}</b> 句证据（view_limit = {int(view_limit or 0)}）。</div>"
        )

    js, css, template = _assets()
    parts = {
        "TITLE": html.escape(title, quote=True),
        "NOTICE": notice,
        "VIS_CSS": css,
        "VIS_JS": js,
        "KG_DATA": _json_for_script(data),
    }
    page = re.sub(r"\{\{(TITLE|NOTICE|VIS_CSS|VIS_JS|KG_DATA)\}\}", lambda m: parts[m.group(1)], template)
    info = ViewInfo(path=None, nodes=len(kept), edges=len(edges),
                    omitted_nodes=omitted_nodes, omitted_edges=omitted_edges, omitted_evidence=omitted_evidence)
    return page, info


def render_html(
    graph: Graph,
    *,
    title: str = "edupolicy-kg",
    view_limit: int | None = 5000,
    show_observations: bool = True,
) -> str:
    """The whole page for ``graph`` as a string (same graph → same string).

    ``view_limit``: at most this many nodes are drawn (entities, indicators
    and observations together); above it the most connected nodes and their
    neighbours are kept and the page says how many nodes and edges were left
    out. ``None`` draws everything. ``show_observations=False`` leaves
    indicators and observations out of the page.
    """
    return _build(graph, title=title, view_limit=view_limit, show_observations=show_observations)[0]


def write_html(graph: Graph, path: Path | str, **kw: Any) -> ViewInfo:
    """Write the page to ``path`` atomically; return what it shows."""
    path = Path(path)
    page, info = _build(
        graph,
        title=kw.pop("title", "edupolicy-kg"),
        view_limit=kw.pop("view_limit", 5000),
        show_observations=kw.pop("show_observations", True),
    )
    if kw:
        raise TypeError(f"write_html() got unexpected keyword arguments: {', '.join(sorted(kw))}")
    from .export import write_atomic

    write_atomic(path, page.encode("utf-8"))
    return dataclasses.replace(info, path=path)
