"""Check a built graph against the SHACL shapes of the contract.

>>> report = validate(Path("exports/graph.ttl"))      # doctest: +SKIP
>>> report.conforms, report.summary()                  # doctest: +SKIP
(True, 'conforms')

The shapes are looked up, in order: the ``shapes`` argument; the copy shipped
as package data (``kg/data/shapes.ttl``); the repository's
``ontology/shapes.ttl``. The copies in ``kg/data/`` are kept byte-identical to
``ontology/`` (a test checks it).

Before the shapes, the data must be RDF the rest of the world accepts: an
empty or unreadable file is a :class:`GraphFileError`, and the file is also
parsed by Oxigraph (the engine of ``kg query``/``kg serve``); what Oxigraph
rejects — typically IRIs holding U+FFFD, spaces or control characters — is
reported in :attr:`ValidationReport.problems` and the graph does not conform.

Validation runs pySHACL without inference (every node carries its ``kg:``
class explicitly) and with SHACL-SPARQL constraints enabled. The ontology is
not mixed in by default: no shape needs its subclass axioms, and mixing it in
copies the data graph first (see :func:`validate`'s ``ontology`` argument).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import RDF, SH
from rdflib.util import guess_format

from .errors import KGError
from .namespace import PREFIXES

__all__ = [
    "GraphFileError",
    "ValidationReport",
    "Violation",
    "default_ontology_path",
    "default_shapes_path",
    "validate",
]

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
_REPO_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "edupolicy.ttl"

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One validation result.

    ``focus`` is the focus node's IRI (or blank-node id), ``path`` the result
    path in compact form (``kg:value``) when there is one, ``severity`` the
    local name of the SHACL severity (``Violation``, ``Warning``, ``Info``).
    """

    focus: str
    path: str | None
    message: str
    severity: str


class GraphFileError(KGError):
    """A file that is not a graph: empty, unreadable, or not RDF (the message names it)."""


MAX_PROBLEMS = 50  # IRIs listed by name; the count covers them all


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    problems: list[str] = field(default_factory=list)  # what Oxigraph rejects; the graph then does not conform

    def summary(self) -> str:
        """One line: ``conforms`` or ``3 violations: <first message> [<focus>]``."""
        if self.problems:
            line = f"Oxigraph rejects the graph: {self.problems[0]}"
            if len(self.problems) > 1:
                line += f" (+{len(self.problems) - 1} more)"
            return line
        if self.conforms and not self.violations:
            return "conforms"
        errors = [v for v in self.violations if v.severity == "Violation"]
        others = len(self.violations) - len(errors)
        if not errors:
            if self.conforms:
                return f"conforms ({others} {_plural(others, 'warning')})"
            first = self.violations[0]
            return f"{others} {_plural(others, 'warning')}: {first.message} [{first.focus}]"
        first = errors[0]
        line = f"{len(errors)} {_plural(len(errors), 'violation')}: {first.message} [{first.focus}]"
        if others:
            line += f" (+{others} {_plural(others, 'warning')})"
        return line


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def default_shapes_path() -> Path:
    """The shapes file used when none is given: package copy, else repository file."""
    return _find(SHAPES_FILE)


def default_ontology_path() -> Path:
    """The ontology file: package copy, else repository file."""
    return _find(ONTOLOGY_FILE)


def _find(name: str) -> Path:
    for candidate in (_PACKAGE_DATA / name, _REPO_ONTOLOGY / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{name}: found neither in {_PACKAGE_DATA} nor in {_REPO_ONTOLOGY}")


def _load(path: Path) -> Graph:
    fmt = guess_format(str(path)) or "turtle"
    return Graph().parse(path, format=fmt)


def read_data(path: Path) -> Graph:
    """The graph in ``path``; a :class:`GraphFileError` if it is empty, unreadable or not RDF."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size == 0:
        raise GraphFileError(f"{path}: empty file, not a graph")
    try:
        graph = _load(path)
    except Exception as exc:  # rdflib raises many kinds on a non-RDF file
        first = str(exc).strip().splitlines()
        raise GraphFileError(f"{path}: not RDF ({type(exc).__name__}: {first[0][:200] if first else ''})") from None
    if len(graph) == 0:
        raise GraphFileError(f"{path}: no triples (empty or not RDF)")
    return graph


def oxigraph_problems(data: Graph, path: Path | None = None) -> list[str]:
    """What Oxigraph would reject: IRIs it does not accept, and (for a file) its own parse error."""
    import pyoxigraph as ox

    problems: list[str] = []
    parse_error: list[str] = []
    if path is not None:
        from .query import RDF_FORMATS

        fmt = RDF_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
        try:
            for _ in ox.parse(path=str(path), format=fmt):
                pass
        except (SyntaxError, ValueError) as exc:
            first = str(exc).strip().splitlines()
            parse_error.append(first[0][:300] if first else type(exc).__name__)
    seen: set[str] = set()
    bad: list[str] = []
    for triple in data:
        for term in triple:
            if isinstance(term, URIRef) and str(term) not in seen:
                seen.add(str(term))
                try:
                    ox.NamedNode(str(term))
                except ValueError as exc:
                    bad.append(f"<{str(term)}> ({exc})")
    problems += [f"IRI {b}" for b in sorted(bad)]
    return problems + parse_error


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Graph:
    # Keyed by modification time and size, so an edited file is read again.
    return _load(Path(path))


def _load_static(path: Path) -> Graph:
    """Shapes and ontology files: parsed once per file version."""
    st = path.stat()
    return _load_cached(str(path.resolve()), st.st_mtime_ns, st.st_size)


def validate(
    data: Graph | Path | str,
    shapes: Path | str | None = None,
    *,
    ontology: Path | str | bool | None = None,
) -> ValidationReport:
    """Validate ``data`` (a graph, or a path to an RDF file) against the shapes.

    ``ontology``: ``None``/``False`` (default) validates the data as it is;
    ``True`` mixes in the default ontology file, a path mixes in that file
    (pySHACL's ``ont_graph``). With inference off this only adds the
    ontology's triples, and costs a copy of the data graph.
    """
    # Imported here: pySHACL takes about a second to import.
    from pyshacl import validate as shacl_validate

    data_graph = data if isinstance(data, Graph) else read_data(Path(data))
    problems = oxigraph_problems(data_graph, None if isinstance(data, Graph) else Path(data))
    shapes_graph = _load_static(Path(shapes) if shapes is not None else default_shapes_path())
    ont_graph: Graph | None = None
    if ontology is True:
        ont_graph = _load_static(default_ontology_path())
    elif ontology:
        ont_graph = _load_static(Path(ontology))

    conforms, results, text = shacl_validate(
        data_graph,
        shacl_graph=shapes_graph,
        ont_graph=ont_graph,
        inference="none",
        advanced=True,
        # In advanced mode pySHACL copies the data graph in case sh:rule
        # adds triples; the shapes have no rules, so without an ontology to
        # mix in the data graph is only read and the copy can be skipped.
        inplace=ont_graph is None,
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
        debug=False,
    )
    assert isinstance(results, Graph)
    return ValidationReport(
        conforms=bool(conforms) and not problems,
        violations=_violations(results),
        text=str(text),
        problems=problems,
    )


def _violations(results: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus=str(focus) if focus is not None else "",
                path=_compact(path) if path is not None else None,
                message=_message(results, result),
                severity=_local_name(severity) if severity is not None else "Violation",
            )
        )
    out.sort(key=lambda v: (_SEVERITY_ORDER.get(v.severity, 9), v.focus, v.path or "", v.message))
    return out


def _message(results: Graph, result: Node) -> str:
    """The English message if there is one, else any message, else the constraint."""
    messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    for m in messages:
        if m.language in (None, "en") or (m.language or "").startswith("en-"):
            return str(m)
    if messages:
        return str(messages[0])
    component = results.value(result, SH.sourceConstraintComponent)
    return _local_name(component) if component is not None else "constraint violated"


def _compact(term: object) -> str:
    """``kg:value`` for a known namespace; the full IRI or term text otherwise."""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri
    return str(term)


def _local_name(term: object) -> str:
    iri = str(term)
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
