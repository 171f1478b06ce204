"""The SHACL shapes checked as SPARQL queries on Oxigraph: validation that keeps up with a build.

pySHACL walks an in-memory rdflib graph focus node by focus node: about 20 s
per 100,000 triples, more than extraction itself. Here each constraint of
``ontology/shapes.ttl`` is compiled once into SPARQL (:func:`compile_shapes`)
and the queries run on an Oxigraph store: the build's own on-disk store
(``OUT/store/``) or a store bulk-loaded from a Turtle / N-Triples file.
:func:`run_checks` makes one pass per shape target, a query that groups each
focus node's triples and flags the nodes with results; each flagged
constraint's own query (its rows are its validation results) then runs on
the flagged nodes only. Nothing is held as an rdflib graph but the shapes.

The results are pySHACL's (tests compare both on the seeds and on graphs
with injected violations): one result per focus node for ``sh:minCount`` /
``sh:maxCount``, one per focus node and value node for the value constraints,
one per focus node for a node shape's own constraints, one per pair of values
for ``sh:lessThan``, each with its shape's ``sh:message``, path and severity.
Two deliberate differences, both where pySHACL departs from the SHACL spec:
``sh:pattern`` is SPARQL ``regex`` (a match anywhere); pySHACL anchors it at
the start. ``sh:datatype`` wants a well-formed literal by XSD's lexical rules
(as Oxigraph does); pySHACL takes rdflib's word, which does not check
``xsd:gYear`` at all ("15"^^xsd:gYear passes) and reads decimals with Python's
``Decimal`` ("1e3", "NaN" pass).

The compiler knows the SHACL Core subset the shapes use (targets: class,
subjects-of, objects-of, node, SPARQL targets; constraints: class, datatype,
nodeKind, languageIn, pattern, in, minLength/maxLength, min/max
Inclusive/Exclusive, minCount/maxCount, lessThan, or/and/not/node) and refuses
any other (:class:`UnsupportedShape`), so no constraint is ever skipped silently.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import KGError
from .validate import (
    _SEVERITY_ORDER,
    GraphFileError,
    ValidationReport,
    Violation,
    _compact,
    _local_name,
    default_shapes_path,
)

__all__ = ["Checked", "UnsupportedShape", "compile_shapes", "load_graph_file", "run_checks", "validate_build",
           "validate_file", "validate_store"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: ``rdf:type`` with the subclasses of the data graph (SHACL instances); only ``rdf:type`` when the data
#: has no ``rdfs:subClassOf`` triple (a build's graph: each node carries its class), which is much faster
_TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"
_FOCUS = "#FOCUS#\n"  # a comment in the query; replaced by VALUES ?this {...} to restrict the focus nodes
_FOCUS_BATCH = 500
_HAS_SUBCLASSES = f"ASK {{ ?a <{RDFS}subClassOf> ?b }}"

#: a file above this size is loaded into a temporary on-disk store, not into memory
IN_MEMORY_MAX_BYTES = 64 * 1024 * 1024

#: lexical forms of the datatypes a literal must be well-formed in (else it is ill-typed, as in rdflib)
_LEXICAL = {
    XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD + "integer": r"^[+-]?[0-9]+$",
    XSD + "gYear": r"^-?([1-9][0-9]{3,}|0[0-9]{3})(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$",
    XSD + "boolean": r"^(true|false|1|0)$",
}

_NODE_KINDS = {
    SH + "IRI": "isIRI({v})",
    SH + "Literal": "isLiteral({v})",
    SH + "BlankNode": "isBlank({v})",
    SH + "BlankNodeOrIRI": "!isLiteral({v})",
    SH + "BlankNodeOrLiteral": "!isIRI({v})",
    SH + "IRIOrLiteral": "!isBlank({v})",
}

_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}

#: what a shape may carry besides its constraints
_NON_CONSTRAINTS = {
    RDF + "type", RDFS + "label", RDFS + "comment", SH + "message", SH + "severity", SH + "name",
    SH + "description", SH + "order", SH + "group", SH + "path", SH + "property", SH + "targetClass",
    SH + "targetSubjectsOf", SH + "targetObjectsOf", SH + "targetNode", SH + "target", SH + "flags",
    SH + "deactivated", SH + "declare", SH + "prefixes",
}
_VALUE_PARAMS = {"class", "datatype", "nodeKind", "languageIn", "pattern", "in", "minLength", "maxLength",
                 "or", "and", "not", "node", *_COMPARISONS}
_COUNT_PARAMS = {"minCount", "maxCount"}
_PAIR_PARAMS = {"lessThan"}


class UnsupportedShape(KGError):
    """The shapes use a SHACL feature this compiler does not translate (nothing is skipped silently)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SPARQL query: every row (``?this``) is one validation result."""

    shape: str
    component: str
    query: str  # all its results; ``#FOCUS#`` marks where a VALUES clause may restrict ?this
    path: str | None
    message: str
    severity: str
    target: str = ""  # the SPARQL pattern binding ?this to the shape's focus nodes
    flag: str | None = None  # true for a focus node with at least one result (None: run ``query``)
    per_focus: bool = False  # one result per flagged focus node: ``query`` need not run for them
    agg: str | None = None  # an aggregate over the focus node's triples (?_p ?_val), or None: use ``flag``
    agg_bad: tuple[str, int] = (">", 0)  # the node is flagged when ``agg`` compares so to the number


@dataclass(frozen=True)
class CompiledShapes:
    checks: tuple[Check, ...]
    shapes: int  # node shapes with a target
    prologue: str = ""  # PREFIX lines the SPARQL targets need


@dataclass(frozen=True)
class Checked:
    """A validation and what it covered: ``line()`` is what ``kg build`` and ``kg validate`` print."""

    report: ValidationReport
    triples: int
    shapes: int
    constraints: int
    seconds: float
    load_seconds: float = 0.0
    source: str = "file"  # "file": bulk-loaded from a graph file; "store": an Oxigraph store as it was

    def line(self) -> str:
        where = "the build's Oxigraph store" if self.source == "store" else "Oxigraph"
        return (f"{self.report.summary()} — checked {self.triples:,} triples against {self.shapes} shapes "
                f"({self.constraints} constraints, SPARQL on {where}) in {self.seconds:.1f} s")


# ------------------------------------------------------------------ compiling the shapes


@lru_cache(maxsize=8)
def _compile_cached(path: str, mtime_ns: int, size: int) -> CompiledShapes:
    return _Compiler(Path(path)).compile()


def compile_shapes(shapes: Path | str | None = None) -> CompiledShapes:
    """The checks of a shapes file (default: the package's ``shapes.ttl``), compiled once per file version."""
    path = Path(shapes) if shapes is not None else default_shapes_path()
    st = path.stat()
    return _compile_cached(str(path.resolve()), st.st_mtime_ns, st.st_size)


class _Compiler:
    def __init__(self, path: Path) -> None:
        from rdflib import Graph

        self.g = Graph().parse(path, format="turtle")
        self.vars = itertools.count()
        self.prefixes: dict[str, str] = {}

    # -- rdflib access helpers
    def _one(self, node, name: str):
        values = list(self.g.objects(node, _u(SH + name)))
        if len(values) > 1:
            raise UnsupportedShape(f"{node}: more than one sh:{name}")
        return values[0] if values else None

    def _list(self, node) -> list:
        from rdflib.collection import Collection

        return list(Collection(self.g, node))

    def compile(self) -> CompiledShapes:
        from rdflib import BNode

        checks: list[Check] = []
        targeted = sorted({s for p in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "target")
                           for s in self.g.subjects(_u(SH + p), None)}, key=str)
        shapes = 0
        for shape in targeted:
            if self._deactivated(shape):
                continue
            shapes += 1
            target = self._target(shape)
            checks += self._shape_checks(shape, target, path=None)
            for prop in sorted(self.g.objects(shape, _u(SH + "property")), key=lambda n: (isinstance(n, BNode), str(n))):
                if self._deactivated(prop):
                    continue
                path = self._one(prop, "path")
                if path is None or isinstance(path, BNode):
                    raise UnsupportedShape(f"{prop}: only a single predicate is supported as sh:path")
                checks += self._shape_checks(prop, target, path=str(path))
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))
        if prologue:
            checks = [replace(c, query=prologue + c.query) for c in checks]
        self.prologue = prologue
        return CompiledShapes(tuple(checks), shapes, prologue)

    def _deactivated(self, shape) -> bool:
        v = self._one(shape, "deactivated")
        return v is not None and str(v).lower() in ("true", "1")

    def _target(self, shape) -> str:
        parts: list[str] = []
        for c in sorted(self.g.objects(shape, _u(SH + "targetClass")), key=str):
            parts.append(f"?this {_TYPE_PATH} <{c}> .")
        for p in sorted(self.g.objects(shape, _u(SH + "targetSubjectsOf")), key=str):
            parts.append(f"?this <{p}> ?_o .")
        for p in sorted(self.g.objects(shape, _u(SH + "targetObjectsOf")), key=str):
            parts.append(f"?_s <{p}> ?this .")
        for n in sorted(self.g.objects(shape, _u(SH + "targetNode")), key=str):
            parts.append(f"VALUES ?this {{ {_term(n)} }}")
        for t in self.g.objects(shape, _u(SH + "target")):
            select = self._one(t, "select")
            if select is None or (t, _u(RDF + "type"), _u(SH + "SPARQLTarget")) not in self.g:
                raise UnsupportedShape(f"{shape}: only SPARQL targets (sh:SPARQLTarget with sh:select) are supported")
            for decl_graph in self.g.objects(t, _u(SH + "prefixes")):
                for decl in self.g.objects(decl_graph, _u(SH + "declare")):
                    self.prefixes[str(self._one(decl, "prefix"))] = str(self._one(decl, "namespace"))
            parts.append("{ " + str(select).strip() + " }")
        if not parts:  # pragma: no cover - only targeted shapes are compiled
            raise UnsupportedShape(f"{shape}: no target")
        return " UNION ".join("{ " + p + " }" for p in parts)

    def _message(self, shape) -> str:
        from rdflib import Literal

        messages = [m for m in self.g.objects(shape, _u(SH + "message")) if isinstance(m, Literal)]
        for m in messages:
            if m.language in (None, "en") or (m.language or "").startswith("en-"):
                return str(m)
        return str(messages[0]) if messages else ""

    def _shape_checks(self, shape, target: str, path: str | None) -> list[Check]:
        """The checks of one shape's own constraints (a node shape's on the focus, a property shape's on
        the values of its path)."""
        severity = self._one(shape, "severity")
        sev = _local_name(severity) if severity is not None else "Violation"
        message = self._message(shape)
        compact = _compact(_u(path)) if path is not None else None
        checks = []
        for name, value in self._constraints(shape):
            component = name[0].upper() + name[1:] + "ConstraintComponent"
            msg = message or component
            x, y = self._fresh(), self._fresh()
            per_focus = False
            agg: str | None = None
            agg_bad = (">", 0)
            if name in _VALUE_PARAMS:
                if path is None:
                    bad = f"!COALESCE({self._expr(name, value, '?this')}, false)"
                    q = f"SELECT DISTINCT ?this WHERE {{ {_FOCUS}{{ {target} }} FILTER({bad}) }}"
                    flag, per_focus = bad, True
                else:
                    bad = f"!COALESCE({self._expr(name, value, '?value')}, false)"
                    q = (f"SELECT DISTINCT ?this ?value WHERE {{ {_FOCUS}{{ {target} }} ?this <{path}> ?value . "
                         f"FILTER({bad}) }}")
                    flag = (f"EXISTS {{ ?this <{path}> {x} . "
                            f"FILTER(!COALESCE({self._expr(name, value, x)}, false)) }}")
                    agg = (f"MAX(COALESCE(IF(sameTerm(?_p, <{path}>), "
                           f"IF(COALESCE({self._expr(name, value, '?_val')}, false), 0, 1), 0), 0))")
            elif name in _COUNT_PARAMS:
                n = int(value)
                if path is None:
                    raise UnsupportedShape(f"{shape}: sh:{name} on a node shape")
                op = "<" if name == "minCount" else ">"
                where = "OPTIONAL" if name == "minCount" else ""
                q = (f"SELECT ?this WHERE {{ {_FOCUS}{{ SELECT DISTINCT ?this WHERE {{ {target} }} }} "
                     f"{where} {{ ?this <{path}> ?value }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {n})")
                flag, per_focus = None, True
                agg = f"SUM(COALESCE(IF(sameTerm(?_p, <{path}>), 1, 0), 0))"
                agg_bad = (op, n)
                if name == "minCount" and n == 1:
                    flag = f"NOT EXISTS {{ ?this <{path}> {x} }}"
                elif name == "minCount" and n == 0:
                    continue  # nothing to check
                elif name == "maxCount" and n == 0:
                    flag = f"EXISTS {{ ?this <{path}> {x} }}"
                elif name == "maxCount" and n == 1:
                    flag = f"EXISTS {{ ?this <{path}> {x} . ?this <{path}> {y} . FILTER(!sameTerm({x}, {y})) }}"
            elif name in _PAIR_PARAMS:
                if path is None:
                    raise UnsupportedShape(f"{shape}: sh:lessThan on a node shape")
                q = (f"SELECT DISTINCT ?this ?value ?other WHERE {{ {_FOCUS}{{ {target} }} ?this <{path}> ?value . "
                     f"?this <{value}> ?other . FILTER(!COALESCE(?value < ?other, false)) }}")
                flag = (f"EXISTS {{ ?this <{path}> {x} . ?this <{value}> {y} . "
                        f"FILTER(!COALESCE({x} < {y}, false)) }}")
            else:  # pragma: no cover - _constraints refuses the others
                raise UnsupportedShape(f"{shape}: sh:{name}")
            checks.append(Check(str(shape), component, q, compact, msg, sev, target, flag, per_focus, agg, agg_bad))
        return checks

    def _constraints(self, shape) -> list[tuple[str, Any]]:
        if (shape, _u(SH + "flags"), None) in self.g:
            raise UnsupportedShape(f"{shape}: sh:flags is not supported")
        out = []
        for p, o in sorted(self.g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            iri = str(p)
            if iri in _NON_CONSTRAINTS:
                continue
            name = iri[len(SH):] if iri.startswith(SH) else None
            if name not in _VALUE_PARAMS | _COUNT_PARAMS | _PAIR_PARAMS:
                raise UnsupportedShape(f"{shape}: {iri} is not supported")
            if len(list(self.g.objects(shape, p))) > 1:
                raise UnsupportedShape(f"{shape}: more than one sh:{name}")
            out.append((name, o))
        return out

    # -- value expressions: true when the value node conforms
    def _fresh(self) -> str:
        return f"?_v{next(self.vars)}"

    def _expr(self, name: str, value, v: str) -> str:
        if name == "class":
            return f"EXISTS {{ {v} {_TYPE_PATH} <{value}> }}"
        if name == "datatype":
            dt = str(value)
            if dt == RDF + "langString":
                return f'(isLiteral({v}) && lang({v}) != "")'
            if dt == RDFS + "Literal":
                return f"isLiteral({v})"
            expr = f"(isLiteral({v}) && sameTerm(datatype({v}), <{dt}>)"
            if dt in _LEXICAL:
                expr += f" && regex(str({v}), {_string(_LEXICAL[dt])})"
            return expr + ")"
        if name == "nodeKind":
            if str(value) not in _NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {value}")
            return _NODE_KINDS[str(value)].format(v=v)
        if name == "languageIn":
            langs = " || ".join(f"langMatches(lang({v}), {_string(str(t))})" for t in self._list(value))
            return f"(isLiteral({v}) && ({langs or 'false'}))"
        if name == "pattern":
            return f"(!isBlank({v}) && regex(str({v}), {_string(str(value))}))"
        if name == "in":
            members = " || ".join(f"sameTerm({v}, {_term(t)})" for t in self._list(value))
            return f"({members or 'false'})"
        if name in ("minLength", "maxLength"):
            op = ">=" if name == "minLength" else "<="
            return f"(!isBlank({v}) && strlen(str({v})) {op} {int(value)})"
        if name in _COMPARISONS:
            return f"({v} {_COMPARISONS[name]} {_term(value)})"
        if name == "or":
            return "(" + (" || ".join(self._conforms(s, v) for s in self._list(value)) or "false") + ")"
        if name == "and":
            return "(" + (" && ".join(self._conforms(s, v) for s in self._list(value)) or "true") + ")"
        if name == "not":
            return f"!{self._conforms(value, v)}"
        if name == "node":
            return self._conforms(value, v)
        raise UnsupportedShape(f"sh:{name}")  # pragma: no cover

    def _conforms(self, shape, v: str) -> str:
        """True when node ``v`` conforms to ``shape`` (its own constraints and its property shapes')."""
        parts = []
        for name, value in self._constraints(shape):
            if name in _COUNT_PARAMS | _PAIR_PARAMS:
                raise UnsupportedShape(f"{shape}: sh:{name} outside a property shape")
            parts.append(f"COALESCE({self._expr(name, value, v)}, false)")
        for prop in self.g.objects(shape, _u(SH + "property")):
            path = self._one(prop, "path")
            if path is None or not str(path).startswith(("http:", "https:", "urn:")):
                raise UnsupportedShape(f"{prop}: only a single predicate is supported as sh:path")
            for name, value in self._constraints(prop):
                w = self._fresh()
                if name in _VALUE_PARAMS:
                    parts.append(f"NOT EXISTS {{ {v} <{path}> {w} . "
                                 f"FILTER(!COALESCE({self._expr(name, value, w)}, false)) }}")
                elif name == "minCount" and int(value) <= 1:
                    parts.append(f"EXISTS {{ {v} <{path}> {w} }}" if int(value) == 1 else "true")
                elif name == "maxCount" and int(value) <= 1:
                    if int(value) == 0:
                        parts.append(f"NOT EXISTS {{ {v} <{path}> {w} }}")
                    else:
                        w2 = self._fresh()
                        parts.append(f"NOT EXISTS {{ {v} <{path}> {w} . {v} <{path}> {w2} . "
                                     f"FILTER(!sameTerm({w}, {w2})) }}")
                elif name == "lessThan":
                    w2 = self._fresh()
                    parts.append(f"NOT EXISTS {{ {v} <{path}> {w} . {v} <{value}> {w2} . "
                                 f"FILTER(!COALESCE({w} < {w2}, false)) }}")
                else:
                    raise UnsupportedShape(f"{prop}: sh:{name} {value} inside sh:or/sh:and/sh:not/sh:node")
        return "(" + (" && ".join(parts) or "true") + ")"


def _u(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def _string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{out}"'


def _term(node) -> str:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return f"{_string(str(node))}@{node.language}"
        if node.datatype is not None:
            return f"{_string(str(node))}^^<{node.datatype}>"
        return _string(str(node))
    if isinstance(node, BNode):
        raise UnsupportedShape("a blank node as a value in the shapes")
    raise UnsupportedShape(f"{node!r}")  # pragma: no cover


# ------------------------------------------------------------------ running the checks


def _value(term) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else str(term)


def run_checks(store: ox.Store, compiled: CompiledShapes, *, threads: int = 1) -> list[Violation]:
    """Every validation result of ``compiled`` on ``store`` (its default graph and named graphs).

    One pass per shape target: a query groups the triples of every focus node and computes,
    for each constraint on it, whether the node has a result (counts and failing values as
    aggregates; node-level and ``sh:lessThan`` constraints as ``EXISTS``); only the flagged
    nodes' results are then fetched, each constraint's own query restricted to them. A
    conforming graph costs one query per target. ``threads``: targets checked at once.
    """
    plain = not store.query(_HAS_SUBCLASSES, use_default_graph_as_union=True)

    def run(query: str):
        query = query.replace(_TYPE_PATH, f"<{RDF}type>") if plain else query
        return store.query(query, use_default_graph_as_union=True)

    def result(check: Check, focus) -> Violation:
        return Violation(focus=_value(focus), path=check.path, message=check.message, severity=check.severity)

    def alone(check: Check) -> list[Violation]:
        return [result(check, row["this"]) for row in run(check.query)]

    def flagged_group(target: str, checks: list[Check]) -> list[Violation]:
        aggs = [c for c in checks if c.agg is not None]
        flags = [c for c in checks if c.agg is None]
        select = " ".join(f"({c.agg} AS ?a{j})" for j, c in enumerate(aggs))
        binds = " ".join(f"BIND({c.flag} AS ?f{k})" for k, c in enumerate(flags))
        conds = [f"COALESCE(?a{j} {c.agg_bad[0]} {c.agg_bad[1]}, false)" for j, c in enumerate(aggs)]
        conds += [f"?f{k}" for k in range(len(flags))]
        cols = " ".join([f"?a{j}" for j in range(len(aggs))] + [f"?f{k}" for k in range(len(flags))])

        def query(focus: str) -> str:
            inner = f"SELECT ?this {select} WHERE {{ {focus} OPTIONAL {{ ?this ?_p ?_val }} }} GROUP BY ?this"
            return (f"{compiled.prologue}SELECT ?this {cols} WHERE {{ {{ {inner} }} {binds} "
                    f"FILTER({' || '.join(conds)}) }}")

        flagged: dict[int, list] = {}
        for row in _grouped_rows(run, compiled.prologue, target, query):
            for j, c in enumerate(aggs):
                term = row[f"a{j}"]
                n = int(term.value) if term is not None else 0
                if (n < c.agg_bad[1]) if c.agg_bad[0] == "<" else (n > c.agg_bad[1]):
                    flagged.setdefault(checks.index(c), []).append(row["this"])
            for k, c in enumerate(flags):
                if row[f"f{k}"] == _TRUE:
                    flagged.setdefault(checks.index(c), []).append(row["this"])
        out: list[Violation] = []
        for j, nodes in sorted(flagged.items()):
            check = checks[j]
            if check.per_focus:
                out += [result(check, node) for node in nodes]
            elif any(not isinstance(n, ox.NamedNode) for n in nodes):  # a blank node cannot be in VALUES
                wanted = set(nodes)
                out += [result(check, row["this"]) for row in run(check.query) if row["this"] in wanted]
            else:
                for k in range(0, len(nodes), _FOCUS_BATCH):
                    values = "VALUES ?this { " + " ".join(str(n) for n in nodes[k:k + _FOCUS_BATCH]) + " }\n"
                    out += [result(check, row["this"]) for row in run(check.query.replace(_FOCUS, values))]
        return out

    units: list[Callable[[], list[Violation]]] = []
    groups: dict[str, list[Check]] = {}
    for check in compiled.checks:
        if check.flag is None and check.agg is None:
            units.append(partial(alone, check))
        else:
            groups.setdefault(check.target, []).append(check)
    for target, checks in groups.items():
        units.append(partial(flagged_group, target, checks))
    if threads > 1 and len(units) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            parts = list(pool.map(lambda unit: unit(), units))
    else:
        parts = [unit() for unit in units]
    out = [v for part in parts for v in part]
    out.sort(key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), v.focus, v.path or "", v.message))
    return out


_TRUE = ox.Literal(True)
#: focus nodes grouped by one query: the store holds every group of a query at once (a target of
#: 200,000 observations took 1.1 GB in one query; in batches of this many, a few hundred MB)
GROUP_BATCH = 20_000


def _grouped_rows(run: Callable[[str], Any], prologue: str, target: str, query: Callable[[str], str]) -> Iterator[Any]:
    """The rows of ``query(focus)`` for every focus node of ``target``: one query when there are
    at most :data:`GROUP_BATCH` of them (or any is a blank node, which VALUES cannot name), else
    one query per batch of them (the same rows: each node's group is computed on its own)."""
    whole = f"{{ SELECT DISTINCT ?this WHERE {{ {target} }} }}"
    focus = [row["this"] for row in run(f"{prologue}SELECT DISTINCT ?this WHERE {{ {target} }}")]
    if len(focus) <= GROUP_BATCH or any(isinstance(n, ox.BlankNode) for n in focus):
        yield from run(query(whole))
        return
    for k in range(0, len(focus), GROUP_BATCH):
        yield from run(query("VALUES ?this { " + " ".join(str(n) for n in focus[k:k + GROUP_BATCH]) + " }"))


def _report(violations: list[Violation], problems: list[str]) -> ValidationReport:
    errors = any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=not errors and not problems, violations=violations,
                            text="", problems=problems)


def validate_store(store: ox.Store, shapes: Path | str | None = None, *, triples: int | None = None,
                   threads: int = 1) -> Checked:
    """Check the triples of an Oxigraph ``store`` (e.g. a build's ``OUT/store/``, opened read-only)."""
    t0 = time.perf_counter()
    compiled = compile_shapes(shapes)
    violations = run_checks(store, compiled, threads=threads)
    n = triples if triples is not None else len(store)
    return Checked(_report(violations, []), n, compiled.shapes, len(compiled.checks), time.perf_counter() - t0,
                   source="store")


@dataclass
class LoadedGraph:
    """A graph file loaded into an Oxigraph store (in memory, or a temporary folder removed by :meth:`close`)."""

    store: ox.Store
    triples: int
    problems: list[str] = field(default_factory=list)
    folder: Path | None = None

    def close(self) -> None:
        del self.store
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "LoadedGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_graph_file(path: Path, *, temp_dir: Path | None = None) -> LoadedGraph:
    """``path`` (Turtle, N-Triples, … by its suffix) bulk-loaded by Oxigraph's parser.

    A file Oxigraph rejects only for its IRIs is loaded leniently and each bad
    IRI becomes a problem (the graph then does not conform); an empty file, a
    file without triples or one that is not RDF is a :class:`GraphFileError`.
    """
    from .query import RDF_FORMATS

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size == 0:
        raise GraphFileError(f"{path}: empty file, not a graph")
    fmt = RDF_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    folder = Path(tempfile.mkdtemp(prefix="kg-validate-", dir=temp_dir)) if size > IN_MEMORY_MAX_BYTES else None
    store = ox.Store(str(folder)) if folder is not None else ox.Store()
    problems: list[str] = []
    try:
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError) as exc:
            parse_error = _first_line(exc)
            store.clear()
            try:
                store.bulk_load(path=str(path), format=fmt, lenient=True)
            except (SyntaxError, ValueError) as exc2:
                raise GraphFileError(f"{path}: not RDF ({type(exc2).__name__}: {_first_line(exc2)[:200]})") from None
            problems = [f"IRI {b}" for b in _bad_iris(store)] + [parse_error]
        except OSError as exc:
            raise GraphFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
        triples = len(store)
        if triples == 0:
            raise GraphFileError(f"{path}: no triples (empty or not RDF)")
    except BaseException:
        del store
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return LoadedGraph(store, triples, problems, folder)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def _bad_iris(store: ox.Store) -> list[str]:
    """The IRIs of a leniently loaded store that Oxigraph's strict parser rejects."""
    seen: set[str] = set()
    bad: list[str] = []
    for quad in store:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value not in seen:
                seen.add(term.value)
                try:
                    ox.NamedNode(term.value)
                except ValueError as exc:
                    bad.append(f"<{term.value}> ({exc})")
    return sorted(bad)


def validate_file(path: Path | str, shapes: Path | str | None = None, *, temp_dir: Path | None = None,
                  threads: int = 1) -> Checked:
    """Check a graph file (Turtle, N-Triples, …): bulk-loaded into Oxigraph, then :func:`validate_store`."""
    t0 = time.perf_counter()
    with load_graph_file(Path(path), temp_dir=temp_dir) as loaded:
        loaded_at = time.perf_counter()
        compiled = compile_shapes(shapes)
        violations = run_checks(loaded.store, compiled, threads=threads)
        report = _report(violations, loaded.problems)
        triples = loaded.triples
    return Checked(report, triples, compiled.shapes, len(compiled.checks), time.perf_counter() - t0,
                   load_seconds=loaded_at - t0)


def validate_build(out_dir: Path, shapes: Path | str | None = None, *, threads: int = 1) -> Checked | None:
    """Check the build in ``out_dir``: its own store when it kept one (nothing to parse), else its
    N-Triples or Turtle; None when the build wrote none of them."""
    from .exportset import read_manifest
    from .readback import open_read_only, store_build

    manifest = read_manifest(out_dir) or {}
    name = manifest.get("store")
    if isinstance(name, str) and name and "/" not in name and name not in (".", ".."):
        folder = out_dir / name
        if (folder / "CURRENT").is_file() and store_build(folder) == manifest.get("build"):
            triples = manifest.get("triples")
            store = open_read_only(folder)
            try:
                return validate_store(store, shapes, threads=threads,
                                      triples=triples if isinstance(triples, int) else None)
            finally:
                del store
    files = manifest.get("files")
    for candidate in ("graph.nt", "graph.ttl"):
        if isinstance(files, list) and candidate in files and (out_dir / candidate).is_file():
            return validate_file(out_dir / candidate, shapes, threads=threads)
    return None
