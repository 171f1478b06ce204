"""SPARQL over a built graph with Oxigraph (not rdflib's evaluator).

::

    from kg.query import open_store, query
    store = open_store(Path("exports/graph.ttl"))      # or a store folder, or an rdflib.Graph
    res = query(store, "SELECT ?l WHERE { ?a a kg:Agency ; rdfs:label ?l }")
    print(res.to_table())
    res.to_csv(); res.to_tsv(); res.to_json()          # SPARQL 1.1 results formats

Every prefix of the contract (``kg:``, ``kgr:``, ``rdfs:``, ``skos:`` …) is
declared for the query unless the query declares it itself.

The documented query library lives in ``kg/queries/*.rq`` (package data, so an
installed wheel has it; each file declares its prefixes and runs at any
endpoint); :func:`find_query` resolves a bare name (``indicator_values``) to its file, and
:func:`bind_params` fills the query's ``VALUES ?name { … }`` parameter blocks.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import types
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox

from .errors import KGError
from .textsafe import neutralise_cell, safe_text
from .namespace import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator

    from rdflib import Graph

__all__ = [
    "QueryResult",
    "bind_params",
    "find_query",
    "neutralise_cell",
    "param_term",
    "safe_text",
    "stream",
    "library",
    "open_store",
    "query",
    "save_store",
]

XSD = PREFIXES["xsd"]
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


class QueryError(KGError):
    """A query that cannot be parsed or evaluated, or a graph that cannot be opened."""


# ------------------------------------------------------------------ stores


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return RDF_FORMATS[path.suffix.lower()]
    except KeyError:
        raise QueryError(
            f"{path}: unknown RDF file type {path.suffix!r} (known: {', '.join(sorted(RDF_FORMATS))})"
        ) from None


def _is_store_dir(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").exists()


def open_store(source: "Path | str | Graph | ox.Store", *, read_only: bool = True) -> ox.Store:
    """An Oxigraph store holding ``source``.

    - a ``pyoxigraph.Store``: returned as is;
    - an ``rdflib.Graph``: copied into an in-memory store;
    - an RDF file (``.ttl``, ``.nt``, ``.jsonld`` …): bulk-loaded by Oxigraph's own parser
      into an in-memory store;
    - a folder: an on-disk Oxigraph store, opened read-only (default; several processes
      may read it) or read-write (``read_only=False``; created when missing).
    """
    if isinstance(source, ox.Store):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir() or (not path.exists() and not path.suffix):
            if read_only:
                if not _is_store_dir(path):
                    raise QueryError(f"{path}: not an Oxigraph store folder")
                try:
                    return ox.Store.read_only(str(path))
                except OSError as exc:
                    raise QueryError(f"{path}: cannot open store ({_first_line(exc)})") from None
            try:
                return ox.Store(str(path))
            except OSError as exc:
                raise QueryError(f"{path}: cannot open store ({_first_line(exc)})") from None
        if not path.exists():
            raise QueryError(f"{path}: no such file or folder")
        fmt = rdf_format(path)
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"{path}: cannot read graph ({_first_line(exc)})") from None
        return store
    # an rdflib graph (duck-typed so rdflib is only imported by callers that have one)
    if hasattr(source, "serialize") and hasattr(source, "triples"):
        store = ox.Store()
        data = source.serialize(format="nt", encoding="utf-8")
        store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
        return store
    raise TypeError(f"cannot open a store from {type(source).__name__}")


def save_store(graph: "Graph | ox.Store | Path | str", store_dir: Path | str) -> Path:
    """Write ``graph`` into an on-disk Oxigraph store at ``store_dir`` (its content replaced).

    The folder can then be queried (``kg query --store``), served
    (``kg serve --store``) or opened by any Oxigraph 0.5 tool.
    """
    store_dir = Path(store_dir)
    if store_dir.exists() and any(store_dir.iterdir()) and not _is_store_dir(store_dir):
        raise QueryError(f"{store_dir}: exists and is not an Oxigraph store; refusing to overwrite")
    store_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_dir))
    try:
        store.clear()
        if isinstance(graph, ox.Store):
            store.bulk_extend(graph.quads_for_pattern(None, None, None, None))
        elif isinstance(graph, (str, Path)):
            store.bulk_load(path=str(graph), format=rdf_format(Path(graph)))
        else:
            data = graph.serialize(format="nt", encoding="utf-8")
            store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        store.optimize()
    finally:
        del store  # releases the folder's lock for other processes
    return store_dir


# ------------------------------------------------------------------ query text

_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:")


def with_prologue(sparql: str) -> str:
    """``sparql`` with ``PREFIX`` lines for every contract prefix it does not declare."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(_strip_comments(sparql))}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return lines + sparql


def _strip_comments(sparql: str) -> str:
    # good enough for detecting declarations: drop '#' to end of line outside IRIs/strings
    out = []
    for line in sparql.splitlines():
        in_str: str | None = None
        in_iri = False
        cut = len(line)
        for i, ch in enumerate(line):
            if in_str:
                if ch == in_str and line[i - 1] != "\\":
                    in_str = None
            elif in_iri:
                in_iri = ch != ">"
            elif ch in "\"'":
                in_str = ch
            elif ch == "<" and i + 1 < len(line) and not line[i + 1].isspace() and line[i + 1] != "=":
                in_iri = True
            elif ch == "#":
                cut = i
                break
        out.append(line[:cut])
    return "\n".join(out)


def packaged_queries() -> Path:
    """The folder of the library queries shipped inside the package (``kg/queries``)."""
    from importlib.resources import files

    return Path(str(files("kg").joinpath("queries")))


def queries_dirs() -> list[Path]:
    """Where library queries are looked up: ``./queries`` (your own) then the package's ``kg/queries``."""
    dirs = [Path.cwd() / "queries", packaged_queries()]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def library() -> dict[str, Path]:
    """Library queries by name (first folder of :func:`queries_dirs` wins)."""
    out: dict[str, Path] = {}
    for d in reversed(queries_dirs()):
        for f in d.glob("*.rq"):
            out[f.stem] = f
    return dict(sorted(out.items()))


def find_query(name: str) -> Path | None:
    """The ``.rq`` file for a library name (``indicator_values`` or ``indicator_values.rq``)."""
    stem = name[:-3] if name.endswith(".rq") else name
    if not re.fullmatch(r"[\w.-]+", stem):
        return None
    return library().get(stem)


def describe(path: Path) -> str:
    """The leading ``#`` comment of a library query, without the ``#`` marks."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines).strip()


def param_term(value: str) -> str:
    """The SPARQL text of one ``--param`` value, as written by Oxigraph's own term serializer.

    ``UNDEF`` (no restriction) stays ``UNDEF``; ``<…>`` must be a valid absolute IRI
    and becomes that IRI; anything else becomes a plain string literal, every
    character escaped. A value is never pasted into the query as it was given:

    >>> param_term('葫芦岛市')
    '"葫芦岛市"'
    >>> param_term('<http://x>}SERVICE<http://evil/>{?s?p?o}}#>')
    Traceback (most recent call last):
    ...
    kg.query.QueryError: '<http://x>}SERVICE<http://evil/>{?s?p?o}}#>' is not a valid IRI (Invalid IRI code point '>')
    """
    v = value.strip()
    if v.upper() == "UNDEF":
        return "UNDEF"
    if v.startswith("<") and v.endswith(">"):
        try:
            return str(ox.NamedNode(v[1:-1]))
        except ValueError as exc:
            raise QueryError(f"{v!r} is not a valid IRI ({_first_line(exc)})") from None
    return str(ox.Literal(value))


def bind_params(sparql: str, params: dict[str, list[str]] | dict[str, str]) -> str:
    """Fill parameter blocks ``VALUES ?name { … }`` with the given value(s).

    Values become plain string literals (the library compares them with
    ``STR(?label)``), ``<…>`` IRIs (checked), or ``UNDEF`` (no restriction);
    see :func:`param_term`. Only the terms Oxigraph writes enter the query text.
    """
    for name, values in params.items():
        if not re.fullmatch(r"\w+", name):
            raise QueryError(f"{name!r} is not a parameter name (letters, digits, _)")
        vals = [values] if isinstance(values, str) else list(values)
        pat = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}", re.IGNORECASE)
        if not pat.search(sparql):
            raise QueryError(f"the query has no parameter ?{name} (a 'VALUES ?{name} {{ … }}' block)")
        repl = f"VALUES ?{name} {{ " + " ".join(param_term(v) for v in vals) + " }"
        sparql = pat.sub(lambda _m: repl, sparql, count=1)
    return sparql


def query_params(sparql: str) -> list[str]:
    """Names of the single-variable ``VALUES`` blocks (the parameters) of a query."""
    return re.findall(r"VALUES\s+\?(\w+)\s*\{", _strip_comments(sparql), re.IGNORECASE)


# ------------------------------------------------------------------ results


def to_python(term: Any) -> Any:
    """A Python value for an Oxigraph term: IRI → str, numbers → int/Decimal/float, gYear → int."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        v = term.value
        try:
            if dt == XSD + "decimal":
                return Decimal(v)
            if dt in (XSD + "double", XSD + "float"):
                return float(v)
            if dt == XSD + "boolean":
                return v in ("true", "1")
            if dt.startswith(XSD) and dt[len(XSD):] in _INTEGER_TYPES:
                return int(v)
            if dt == XSD + "gYear" and re.fullmatch(r"-?\d{4,}", v):
                return int(v)
        except (ValueError, InvalidOperation):
            return v
        return v
    if isinstance(term, ox.Triple):
        return (to_python(term.subject), to_python(term.predicate), to_python(term.object))
    return str(term)


_INTEGER_TYPES = {
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
}


def display_width(s: str) -> int:
    """Terminal columns of ``s``: East Asian wide and fullwidth characters count 2."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _pad(s: str, width: int) -> str:
    return s + " " * (width - display_width(s))


def _clip(s: str, width: int) -> str:
    if display_width(s) <= width:
        return s
    out, w = [], 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if w + cw > width - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _compact(iri: str) -> str:
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (p, ns)
    if best is None:
        return f"<{iri}>"
    from urllib.parse import unquote

    return f"{best[0]}:{unquote(iri[len(best[1]):])}"


def _display(term: Any) -> str:
    return safe_text(_display_raw(term))


def _display_raw(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ").replace("\t", " ")
    if isinstance(term, ox.Triple):
        return " ".join(_display_raw(t) for t in (term.subject, term.predicate, term.object))
    return str(term)


def _csv_cell(term: Any) -> str:
    """SPARQL 1.1 CSV results: IRIs and literals by their value, blank nodes ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return neutralise_cell(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return neutralise_cell(str(term))


_ABBREVIATED = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+)"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_cell(term: Any) -> str:
    """SPARQL 1.1 TSV results: terms in SPARQL syntax, numbers and booleans abbreviated."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        pattern = _ABBREVIATED.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
        safe = neutralise_cell(term.value)
        if safe != term.value:  # the quotes are a text qualifier to a spreadsheet
            if term.language:
                return str(ox.Literal(safe, language=term.language))
            return str(ox.Literal(safe, datatype=term.datatype))
    return str(term)


def _delimited_rows(variables: list[str], rows: "Iterable[tuple[Any, ...]]", fmt: str,
                    out: "BinaryIO") -> int:
    """Write CSV (``,``, values) or TSV (tab, SPARQL terms) rows to ``out``; the row count."""
    n = 0
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in rows:
            w.writerow([_csv_cell(t) for t in row])
            n += 1
            if n % 1000 == 0:
                out.write(buf.getvalue().encode("utf-8"))
                buf.seek(0)
                buf.truncate()
        out.write(buf.getvalue().encode("utf-8"))
        return n
    out.write(("\t".join(f"?{v}" for v in variables) + "\n").encode("utf-8"))
    chunk: list[str] = []
    for row in rows:
        chunk.append("\t".join(_tsv_cell(t) for t in row) + "\n")
        n += 1
        if len(chunk) == 1000:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()
    out.write("".join(chunk).encode("utf-8"))
    return n


TABLE_SAMPLE = 1000  # rows read before the table's column widths are fixed


def _table_rows(variables: list[str], rows: "Iterable[tuple[Any, ...]]", out: "BinaryIO",
                max_width: int = 60) -> int:
    """A fixed-width table written as rows arrive: widths come from the first rows."""
    it = iter(rows)
    sample: list[list[str]] = []
    for row in it:
        sample.append([_clip(_display(t), max_width) for t in row])
        if len(sample) >= TABLE_SAMPLE:
            break
    header = [safe_text(v) for v in variables]
    widths = [display_width(h) for h in header]
    for cells in sample:
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], display_width(cell))
    sep = "  "

    def line(cells: list[str]) -> str:
        return sep.join(_pad(c, widths[i]) for i, c in enumerate(cells)).rstrip() + "\n"

    out.write((line(header) + sep.join("-" * w for w in widths) + "\n").encode("utf-8"))
    out.write("".join(line(c) for c in sample).encode("utf-8"))
    n = len(sample)
    chunk: list[str] = []
    for row in it:
        chunk.append(line([_clip(_display(t), widths[i]) for i, t in enumerate(row)]))
        n += 1
        if len(chunk) == 1000:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()
    out.write("".join(chunk).encode("utf-8"))
    out.write(f"({n} row{'s' if n != 1 else ''})\n".encode("utf-8"))
    return n


@dataclass
class QueryResult:
    """The answer to a query: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).

    ``variables`` and ``rows`` hold Python values (see :func:`to_python`); ``terms``
    the Oxigraph terms. For ASK, ``boolean`` holds the answer and ``rows`` is
    ``[(answer,)]``; for graphs, the variables are subject, predicate, object.
    """

    kind: str
    variables: list[str]
    terms: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    _payload: bytes = b""  # SPARQL JSON results (select/ask) or N-Triples (graph)

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        return [tuple(to_python(t) for t in row) for row in self.terms]

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts by variable name (unbound variables left out)."""
        return [{v: x for v, x in zip(self.variables, row) if x is not None} for row in self.rows]

    def column(self, name: str) -> list[Any]:
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else bool(self.terms)

    # ---- serializations

    def _results(self, fmt: ox.QueryResultsFormat) -> str:
        parsed = ox.parse_query_results(self._payload, format=ox.QueryResultsFormat.JSON)
        return (parsed.serialize(format=fmt) or b"").decode("utf-8")

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON (for CONSTRUCT: JSON-LD)."""
        if self.kind == "graph":
            return self.to_rdf(ox.RdfFormat.JSON_LD)
        return self._payload.decode("utf-8")

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV (for CONSTRUCT: subject,predicate,object rows).

        Cells a spreadsheet would run as a formula are neutralised (:func:`neutralise_cell`).
        """
        if self.kind == "ask":
            return self._results(ox.QueryResultsFormat.CSV)
        buf = io.BytesIO()
        _delimited_rows(self.variables, self.terms, "csv", buf)
        return buf.getvalue().decode("utf-8")

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV (terms in SPARQL/Turtle syntax), neutralised like CSV."""
        if self.kind == "ask":
            return self._results(ox.QueryResultsFormat.TSV)
        buf = io.BytesIO()
        _delimited_rows(self.variables, self.terms, "tsv", buf)
        return buf.getvalue().decode("utf-8")

    def to_xml(self) -> str:
        if self.kind == "graph":
            return self.to_rdf(ox.RdfFormat.RDF_XML)
        return self._results(ox.QueryResultsFormat.XML)

    def to_rdf(self, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> str:
        """A CONSTRUCT/DESCRIBE result in an RDF syntax (Turtle by default)."""
        if self.kind != "graph":
            raise QueryError("only CONSTRUCT and DESCRIBE results are graphs")
        triples = ox.parse(self._payload, format=ox.RdfFormat.N_TRIPLES)
        # kgr: local names hold '/', which Turtle would escape; instances are written as full IRIs
        prefixed = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)
        prefixes = {p: ns for p, ns in PREFIXES.items() if p != "kgr"} if prefixed else None
        return (ox.serialize(triples, format=fmt, prefixes=prefixes) or b"").decode("utf-8")

    def to_table(self, max_width: int = 60) -> str:
        """A fixed-width text table (CJK characters count as two columns; control
        characters shown as escapes)."""
        if self.kind == "ask":
            return "yes" if self.boolean else "no"
        buf = io.BytesIO()
        _table_rows(self.variables, self.terms, buf, max_width)
        return buf.getvalue().decode("utf-8").rstrip("\n")

    def format(self, fmt: str) -> str:
        fmt = fmt.lower()
        if fmt == "table":
            return self.to_table()
        if fmt == "csv":
            return self.to_csv()
        if fmt == "tsv":
            return self.to_tsv()
        if fmt == "json":
            return self.to_json()
        if fmt == "xml":
            return self.to_xml()
        if fmt in ("turtle", "ttl", "ntriples", "nt", "jsonld"):
            rf = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
            return self.to_rdf(rf)
        raise QueryError(f"unknown result format {fmt!r}")


def _first_line(exc: BaseException) -> str:
    s = str(exc).strip().splitlines()
    return s[0][:300] if s else type(exc).__name__


def _evaluate(store: ox.Store, sparql: str) -> "ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples":
    text = with_prologue(sparql)
    shift = text.count("\n") - sparql.count("\n")
    try:
        return store.query(text)
    except SyntaxError as exc:
        msg = re.sub(r"\bat (\d+):(\d+)", lambda m: f"at line {max(int(m.group(1)) - shift, 1)} column {m.group(2)}",
                     _first_line(exc), count=1)
        raise QueryError(f"SPARQL syntax error: {msg}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {_first_line(exc)}") from None


RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld")
_RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD, "json": ox.RdfFormat.JSON_LD,
                  "xml": ox.RdfFormat.RDF_XML}


def stream(store_or_graph: "ox.Store | Graph | Path | str", sparql: str, fmt: str, out: BinaryIO) -> int | None:
    """Run ``sparql`` and write its results to ``out`` as they come.

    Returns the number of rows written (``None`` for the formats Oxigraph writes itself).

    Nothing is held in memory beyond a chunk of rows (the table's first
    :data:`TABLE_SAMPLE` rows, which fix its column widths), so a result of
    millions of rows streams to a file or a pipe. ``fmt`` is one of
    :data:`RESULT_FORMATS`; CSV and TSV cells are neutralised, table cells escaped.
    """
    fmt = fmt.lower()
    store = open_store(store_or_graph) if not isinstance(store_or_graph, ox.Store) else store_or_graph
    res = _evaluate(store, sparql)
    try:
        if isinstance(res, ox.QueryBoolean):
            if fmt == "table":
                out.write(b"yes\n" if bool(res) else b"no\n")
            elif fmt in _RESULTS_FORMATS:
                res.serialize(out, format=_RESULTS_FORMATS[fmt])
            else:
                raise QueryError(f"an ASK result cannot be written as {fmt}")
            return 1
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = (tuple(sol[v] for v in variables) for sol in res)
            if fmt in ("csv", "tsv"):
                return _delimited_rows(variables, rows, fmt, out)
            if fmt == "table":
                return _table_rows(variables, rows, out)
            if fmt in ("json", "xml"):
                res.serialize(out, format=_RESULTS_FORMATS[fmt])
                return None
            raise QueryError(f"a SELECT result cannot be written as {fmt} (use table, csv, tsv, json, xml)")
        graph_vars = ["subject", "predicate", "object"]
        triples = ((t.subject, t.predicate, t.object) for t in res)
        if fmt in ("csv", "tsv"):
            return _delimited_rows(graph_vars, triples, fmt, out)
        if fmt == "table":
            return _table_rows(graph_vars, triples, out)
        if fmt in _GRAPH_FORMATS:
            rf = _GRAPH_FORMATS[fmt]
            prefixed = rf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)
            prefixes = {p: ns for p, ns in PREFIXES.items() if p != "kgr"} if prefixed else None
            ox.serialize(res, out, format=rf, prefixes=prefixes)
            return None
        raise QueryError(f"a CONSTRUCT result cannot be written as {fmt}")
    except (OSError, ValueError, RuntimeError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise QueryError(f"query failed: {_first_line(exc)}") from None


def query(store_or_graph: "ox.Store | Graph | Path | str", sparql: str) -> QueryResult:
    """Run a SPARQL 1.1 query with Oxigraph; the contract's prefixes are predeclared."""
    store = open_store(store_or_graph) if not isinstance(store_or_graph, ox.Store) else store_or_graph
    res = _evaluate(store, sparql)
    if isinstance(res, ox.QueryBoolean):
        payload = res.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return QueryResult("ask", ["boolean"], [(ox.Literal(str(bool(res)).lower(),
                                                            datatype=ox.NamedNode(XSD + "boolean")),)],
                           bool(res), payload)
    if isinstance(res, ox.QuerySolutions):
        payload = res.serialize(format=ox.QueryResultsFormat.JSON) or b""
        parsed = ox.parse_query_results(payload, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        variables = [v.value for v in parsed.variables]
        terms = [tuple(sol[v] for v in variables) for sol in parsed]
        return QueryResult("select", variables, terms, None, payload)
    # CONSTRUCT / DESCRIBE
    triples = list(res)
    payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    terms = [(t.subject, t.predicate, t.object) for t in triples]
    return QueryResult("graph", ["subject", "predicate", "object"], terms, None, payload)


def load_query_text(spec: str) -> tuple[str, str]:
    """``(label, text)`` for a query given as a .rq file, a library name or the text itself."""
    p = Path(spec)
    if spec.endswith((".rq", ".sparql")) or (len(spec) < 4096 and "\n" not in spec and p.is_file()):
        if not p.is_file():
            lib = find_query(p.name)
            if lib is None:
                raise QueryError(f"{spec}: no such query file")
            p = lib
        return str(p), p.read_text(encoding="utf-8")
    lib = find_query(spec)
    if lib is not None:
        return lib.stem, lib.read_text(encoding="utf-8")
    if re.fullmatch(r"[\w.-]+", spec):
        names = ", ".join(library()) or "none found"
        raise QueryError(f"{spec!r} is neither a query file nor a library query (library: {names})")
    return "query", spec


def result_json(res: QueryResult) -> Any:
    """The parsed SPARQL JSON results (a convenience for tests and scripts)."""
    return json.loads(res.to_json())


# ``kg.query`` is both this module and, as the package's API, the function:
# the module is callable so ``kg.query(graph, sparql)`` works whichever one
# the attribute holds (a submodule import sets ``kg.query`` to the module).
class _CallableModule(types.ModuleType):
    def __call__(self, store_or_graph: "ox.Store | Graph | Path | str", sparql: str) -> QueryResult:
        return query(store_or_graph, sparql)


sys.modules[__name__].__class__ = _CallableModule
