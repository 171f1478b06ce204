"""The ontology and the SHACL shapes: declarations, labels, and what the shapes accept."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespace import KG, KG_NS, KGR
from kg.validate import ValidationReport, Violation, default_shapes_path, validate

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "edupolicy.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CONTRACT = ROOT.parent / "shared" / "ONTOLOGY.md"

# A plain Namespace: pytest's collection probes module attributes, and
# rdflib's XSD DefinedNamespace warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

#: every term of the KG namespace class (the code's vocabulary)
KG_TERMS = sorted(KG.__annotations__)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _contract_terms() -> set[str]:
    """``kg:`` names in the contract's class and property tables."""
    if not CONTRACT.is_file():
        return set()
    names = set()
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`kg:(\w+)`\s*\|", line)
        if m:
            names.add(m.group(1))
    return names


# ---------------------------------------------------------------------------
# the ontology file
# ---------------------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    o = URIRef("https://w3id.org/edupolicy-kg/def")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, URIRef("http://purl.org/dc/terms/license")) is not None
    assert onto.value(o, URIRef("http://purl.org/dc/terms/title")) is not None


def test_contract_terms_are_all_in_the_namespace() -> None:
    contract = _contract_terms()
    if not contract:
        pytest.skip(f"{CONTRACT} not available")
    assert contract <= set(KG_TERMS)


@pytest.mark.parametrize("name", sorted(set(KG_TERMS) | _contract_terms()))
def test_term_declared_with_labels(onto: Graph, name: str) -> None:
    term = URIRef(KG_NS + name)
    kinds = set(onto.objects(term, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, f"kg:{name} not declared"
    if name[0].isupper():
        assert OWL.Class in kinds
    else:
        assert len(kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}) == 1
    langs = {lit.language for lit in onto.objects(term, RDFS.label)}
    assert {"zh", "en"} <= langs, f"kg:{name} lacks a zh or en label"
    definitions = set(onto.objects(term, SKOS.definition)) | set(onto.objects(term, RDFS.comment))
    assert any(d.language == "en" for d in definitions), f"kg:{name} lacks an English definition"


@pytest.mark.parametrize("name", [n for n in KG_TERMS if n[0].islower()])
def test_property_has_domain_and_range(onto: Graph, name: str) -> None:
    term = URIRef(KG_NS + name)
    assert onto.value(term, RDFS.domain) is not None, f"kg:{name} has no domain"
    rng = onto.value(term, RDFS.range)
    assert rng is not None, f"kg:{name} has no range"
    datatype = (term, RDF.type, OWL.DatatypeProperty) in onto
    if isinstance(rng, URIRef):
        is_datatype_range = str(rng).startswith(str(XSD)) or rng == RDFS.Literal
        assert is_datatype_range == datatype, f"kg:{name}: range {rng} does not fit its kind"


def test_multi_class_domains_use_union(onto: Graph) -> None:
    dom = onto.value(KG.locatedIn, RDFS.domain)
    assert isinstance(dom, BNode)
    members = set(onto.items(onto.value(dom, OWL.unionOf)))
    assert members == {KG.Program, KG.School, KG.Agency, KG.Observation}


def test_package_copies_are_identical() -> None:
    data = ROOT / "kg" / "data"
    for name in ("edupolicy.ttl", "shapes.ttl"):
        assert (data / name).read_bytes() == (ROOT / "ontology" / name).read_bytes(), (
            f"kg/data/{name} differs from ontology/{name}: copy it again"
        )


def test_default_shapes_path_is_found() -> None:
    assert default_shapes_path().read_bytes() == SHAPES.read_bytes()


def test_shapes_parse_and_every_shape_has_a_message() -> None:
    g = Graph().parse(SHAPES, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    message = URIRef(sh + "message")
    # Shapes whose results are reported: declared shapes and their property
    # shapes (not the branches of an sh:or, reported through the sh:or).
    constrained = set()
    for p in ("NodeShape", "PropertyShape"):
        constrained |= set(g.subjects(RDF.type, URIRef(sh + p)))
    for shape in list(constrained):
        constrained |= set(g.objects(shape, URIRef(sh + "property")))
    for shape in constrained:
        has_own = (shape, message, None) in g
        sparqls = list(g.objects(shape, URIRef(sh + "sparql")))
        has_constraints = any(
            p for p in g.predicates(shape, None)
            if str(p).startswith(sh) and p not in {
                URIRef(sh + "targetClass"), URIRef(sh + "targetSubjectsOf"), URIRef(sh + "target"),
                URIRef(sh + "property"), URIRef(sh + "sparql"),
            }
        )
        if has_constraints:
            assert has_own, f"shape {shape} has no sh:message"
        for s in sparqls:
            assert (s, message, None) in g


# ---------------------------------------------------------------------------
# a small conforming graph, and broken variants
# ---------------------------------------------------------------------------

DOC = KGR["doc/huludao-2016"]
AGENCY = KGR["agency/葫芦岛市教育局"]
PROGRAM = KGR["program/全面改薄"]
PLACE = KGR["place/211481"]
CITY = KGR["place/211400"]
INDICATOR = KGR["indicator/学前三年毛入园率"]
OBS = KGR["observation/huludao-2016/120-abc"]
EVIDENCE = KGR["evidence/huludao-2016/100-160"]
STATEMENT = KGR["statement/0123456789abcdef"]


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def build_graph() -> Graph:
    g = Graph()
    g.add((DOC, RDF.type, KG.SourceDocument))
    g.add((DOC, RDFS.label, Literal("huludao-2016.txt")))
    g.add((DOC, KG.fileName, Literal("huludao-2016.txt")))
    g.add((DOC, KG.homePlace, CITY))
    g.add((DOC, KG.documentYear, Literal("2016", datatype=XSD.gYear)))

    for node, cls, label in (
        (AGENCY, KG.Agency, "葫芦岛市教育局"),
        (PROGRAM, KG.Program, "全面改善贫困地区义务教育薄弱学校基本办学条件"),
        (PLACE, KG.Place, "兴城市"),
        (CITY, KG.Place, "葫芦岛市"),
        (INDICATOR, KG.Indicator, "学前三年毛入园率"),
    ):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, _zh(label)))
        g.add((node, KG.mentionedIn, DOC))
    g.add((PROGRAM, SKOS.altLabel, _zh("全面改薄")))
    g.add((PLACE, KG.adcode, Literal("211481")))
    g.add((PLACE, KG.level, Literal("county")))
    g.add((CITY, KG.adcode, Literal("211400")))
    g.add((CITY, KG.level, Literal("city")))
    g.add((PLACE, KG.partOf, CITY))

    g.add((EVIDENCE, RDF.type, KG.Evidence))
    g.add((EVIDENCE, KG.source, DOC))
    g.add((EVIDENCE, KG.text, _zh("市教育局全面实施改薄工程,学前三年毛入园率达到90%。")))
    g.add((EVIDENCE, KG.start, Literal(100)))
    g.add((EVIDENCE, KG.end, Literal(160)))
    g.add((EVIDENCE, KG.originalStart, Literal(104)))
    g.add((EVIDENCE, KG.originalEnd, Literal(166)))

    g.add((OBS, RDF.type, KG.Observation))
    g.add((OBS, KG.indicator, INDICATOR))
    g.add((OBS, KG.value, Literal("90", datatype=XSD.decimal)))
    g.add((OBS, KG.unit, Literal("%")))
    g.add((OBS, KG.year, Literal("2015", datatype=XSD.gYear)))
    g.add((OBS, KG.status, Literal("achieved")))
    g.add((OBS, KG.locatedIn, CITY))
    g.add((OBS, KG.about, PROGRAM))
    g.add((OBS, KG.qualifier, Literal("atLeast")))
    g.add((OBS, KG.evidence, EVIDENCE))

    g.add((AGENCY, KG.implements, PROGRAM))
    g.add((STATEMENT, RDF.type, RDF.Statement))
    g.add((STATEMENT, RDF.subject, AGENCY))
    g.add((STATEMENT, RDF.predicate, KG.implements))
    g.add((STATEMENT, RDF.object, PROGRAM))
    g.add((STATEMENT, KG.evidence, EVIDENCE))
    return g


def test_conforming_graph_conforms() -> None:
    report = validate(build_graph())
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.text
    assert report.violations == []
    assert report.summary() == "conforms"


def test_plain_evidence_text_is_accepted() -> None:
    g = build_graph()
    g.set((EVIDENCE, KG.text, Literal("一句话。")))
    assert validate(g).conforms


def test_validate_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    build_graph().serialize(path, format="turtle")
    assert validate(path, SHAPES).conforms


def _set(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o))


def _add(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o))


def _remove(s: URIRef, p: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def _implements_from_place(g: Graph) -> None:
    g.add((PLACE, KG.implements, PROGRAM))


def _part_of_across_classes(g: Graph) -> None:
    g.add((PROGRAM, KG.partOf, CITY))


def _statement_without_triple(g: Graph) -> None:
    g.remove((AGENCY, KG.implements, PROGRAM))


BROKEN = {
    "two labels": (_add(AGENCY, RDFS.label, _zh("市教育局")), AGENCY, "rdfs:label"),
    "label without @zh": (_set(PROGRAM, RDFS.label, Literal("全面改薄")), PROGRAM, "rdfs:label"),
    "label @en": (_set(PROGRAM, RDFS.label, Literal("program", lang="en")), PROGRAM, "rdfs:label"),
    "empty label": (_set(AGENCY, RDFS.label, _zh("")), AGENCY, "rdfs:label"),
    "no label": (_remove(INDICATOR, RDFS.label), INDICATOR, "rdfs:label"),
    "adcode of five digits": (_set(PLACE, KG.adcode, Literal("21148")), PLACE, "kg:adcode"),
    "adcode as integer": (_set(PLACE, KG.adcode, Literal(211481)), PLACE, "kg:adcode"),
    "unknown level": (_set(PLACE, KG.level, Literal("village")), PLACE, "kg:level"),
    "value as xsd:string": (_set(OBS, KG.value, Literal("90")), OBS, "kg:value"),
    "two values": (_add(OBS, KG.value, Literal("91", datatype=XSD.decimal)), OBS, "kg:value"),
    "no unit": (_remove(OBS, KG.unit), OBS, "kg:unit"),
    "year as integer": (_set(OBS, KG.year, Literal(2015)), OBS, "kg:year"),
    "unknown status": (_set(OBS, KG.status, Literal("planned")), OBS, "kg:status"),
    "no indicator": (_remove(OBS, KG.indicator), OBS, "kg:indicator"),
    "observation without evidence": (_remove(OBS, KG.evidence), OBS, "kg:evidence"),
    "observation in two places": (_add(OBS, KG.locatedIn, PLACE), OBS, "kg:locatedIn"),
    "evidence with start >= end": (_set(EVIDENCE, KG.end, Literal(100)), EVIDENCE, "kg:start"),
    "evidence with start > end": (_set(EVIDENCE, KG.start, Literal(170)), EVIDENCE, "kg:start"),
    "evidence with negative start": (_set(EVIDENCE, KG.start, Literal(-1)), EVIDENCE, "kg:start"),
    "evidence without source": (_remove(EVIDENCE, KG.source), EVIDENCE, "kg:source"),
    "statement without evidence": (_remove(STATEMENT, KG.evidence), STATEMENT, "kg:evidence"),
    "statement of an unasserted triple": (_statement_without_triple, STATEMENT, "rdf:predicate"),
    "implements from a Place": (_implements_from_place, PLACE, None),
    "implements to a Place": (_add(AGENCY, KG.implements, CITY), AGENCY, "kg:implements"),
    "partOf across classes": (_part_of_across_classes, PROGRAM, None),
    "partOf Agency to Place": (_add(AGENCY, KG.partOf, CITY), AGENCY, None),
    "memberOf from an Agency": (_add(AGENCY, KG.memberOf, AGENCY), AGENCY, None),
    "issues a Program": (_add(AGENCY, KG.issues, PROGRAM), AGENCY, "kg:issues"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_variant_is_rejected(case: str) -> None:
    mutate, focus, path = BROKEN[case]
    g = build_graph()
    mutate(g)
    report = validate(g)
    assert not report.conforms, case
    assert report.violations
    hits = [v for v in report.violations if v.focus == str(focus)]
    assert hits, f"{case}: no violation on {focus}: {report.summary()}"
    if path is not None:
        assert any(v.path == path for v in hits), f"{case}: {[(v.path, v.message) for v in hits]}"
    assert all(isinstance(v, Violation) and v.message and v.severity == "Violation" for v in hits)
    summary = report.summary()
    assert "\n" not in summary
    assert re.match(r"\d+ violations?: ", summary)


def test_validate_does_not_change_the_data() -> None:
    g = build_graph()
    g.remove((OBS, KG.evidence, None))
    before = set(g)
    validate(g)
    validate(g, ontology=True)
    assert set(g) == before


def test_ontology_can_be_mixed_in() -> None:
    report = validate(build_graph(), ontology=True)
    assert report.conforms, report.text


def test_summary_counts_and_quotes_the_first_message() -> None:
    g = build_graph()
    g.remove((OBS, KG.evidence, None))
    g.add((AGENCY, RDFS.label, _zh("市教育局")))
    report = validate(g)
    assert len(report.violations) == 2
    first = report.violations[0]
    assert report.summary() == f"2 violations: {first.message} [{first.focus}]"
