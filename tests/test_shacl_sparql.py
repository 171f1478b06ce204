"""The SHACL shapes as SPARQL on Oxigraph (kg.shacl_sparql) give pySHACL's results (issue 12).

Compared as multisets of (focus, path, message, severity) with ``kg.validate.validate``
(pySHACL) on the small graph of test_ontology and its broken variants, on the seed
build, and on the seed build with violations injected into its N-Triples.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from test_ontology import AGENCY, BROKEN, CITY, EVIDENCE, OBS, PLACE, PROGRAM, STATEMENT, build_graph

from kg.cli import main
from kg.namespace import KG, KGR
from kg.shacl_sparql import (
    UnsupportedShape,
    compile_shapes,
    load_graph_file,
    validate_build,
    validate_file,
    validate_store,
)
from kg.validate import GraphFileError, _compact, default_shapes_path, validate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = "http://www.w3.org/ns/shacl#"


def results(violations) -> collections.Counter:
    return collections.Counter((v.focus, v.path, v.message, v.severity) for v in violations)


def agree(graph_file: Path, **kw) -> tuple:
    """pySHACL's and the SPARQL check's reports of ``graph_file``; asserts they agree."""
    ref = validate(graph_file)
    mine = validate_file(graph_file, **kw).report
    assert results(mine.violations) == results(ref.violations)
    assert mine.conforms == ref.conforms and mine.summary() == ref.summary()
    return ref, mine


# ------------------------------------------------------------------ the shapes compile, all of them


def test_every_shape_with_a_target_is_compiled() -> None:
    g = Graph().parse(default_shapes_path(), format="turtle")
    targets = {URIRef(SH + t) for t in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "target")}
    targeted = {s for p in targets for s in g.subjects(p, None)}
    compiled = compile_shapes()
    assert compiled.shapes == len(targeted) == 14
    # every targeted shape has checks: its own constraints' or (all) its property shapes'
    for shape in targeted:
        props = list(g.objects(shape, URIRef(SH + "property")))
        assert props or any(c.shape == str(shape) for c in compiled.checks), shape
        for prop in props:  # (blank nodes: known by their path and message)
            path = _compact(g.value(prop, URIRef(SH + "path")))
            message = str(g.value(prop, URIRef(SH + "message")))
            assert any(c.path == path and c.message == message for c in compiled.checks), (path, message)
    assert all(c.message for c in compiled.checks)


@pytest.mark.parametrize("extra", [
    "sh:equals kg:end",  # a constraint the compiler does not know
    "sh:flags \"i\"",
    "sh:maxCount 1, 2",  # two values of a single-valued parameter
])
def test_an_unsupported_feature_is_refused_not_skipped(tmp_path: Path, extra: str) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix kg: <https://w3id.org/edupolicy-kg/def#> .\n"
        f"kg:S a sh:NodeShape ; sh:targetClass kg:Evidence ; sh:property [ sh:path kg:start ; {extra} ; "
        "sh:message \"m\"@en ] .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_a_sequence_path_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix kg: <https://w3id.org/edupolicy-kg/def#> .\n"
        "kg:S a sh:NodeShape ; sh:targetClass kg:Evidence ; "
        "sh:property [ sh:path ( kg:source kg:fileName ) ; sh:minCount 1 ] .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


# ------------------------------------------------------------------ small graphs: pySHACL's results


def _write(g: Graph, path: Path) -> Path:
    g.serialize(path, format="nt", encoding="utf-8")
    return path


def test_the_conforming_graph_conforms(tmp_path: Path) -> None:
    ref, mine = agree(_write(build_graph(), tmp_path / "g.nt"))
    assert mine.conforms and mine.violations == [] and mine.summary() == "conforms"


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_variant_gives_pyshacls_results(tmp_path: Path, case: str) -> None:
    mutate, focus, path = BROKEN[case]
    g = build_graph()
    mutate(g)
    ref, mine = agree(_write(g, tmp_path / "g.nt"))
    assert not mine.conforms
    assert any(v.focus == str(focus) and (path is None or v.path == path) for v in mine.violations)


MORE = {
    "ill-typed decimal": lambda g: g.set((OBS, KG.value, Literal("9O", datatype=XSD.decimal))),
    "isChange not a boolean": lambda g: g.add((OBS, KG.isChange, Literal("yes"))),
    "two qualifiers": lambda g: g.add((OBS, KG.qualifier, Literal("approx"))),
    "blank normalizedUnit": lambda g: g.add((OBS, KG.normalizedUnit, Literal(" "))),
    "unit empty": lambda g: g.set((OBS, KG.unit, Literal(""))),
    "label zh-CN accepted": lambda g: g.set((AGENCY, RDFS.label, Literal("葫芦岛市教育局", lang="zh-CN"))),
    "evidence text as integer": lambda g: g.set((EVIDENCE, KG.text, Literal(7))),
    "two evidence texts": lambda g: g.add((EVIDENCE, KG.text, Literal("又一句。", lang="zh"))),
    "evidence end as string": lambda g: g.set((EVIDENCE, KG.end, Literal("160"))),
    "statement of an unknown predicate": lambda g: g.set((STATEMENT, RDF.predicate, KG.about)),
    "statement subject a literal": lambda g: g.set((STATEMENT, RDF.subject, Literal("x"))),
    "cooperatesWith a Place": lambda g: g.add((AGENCY, KG.cooperatesWith, CITY)),
    "memberOf a Program": lambda g: g.add((KGR["person/张三"], KG.memberOf, PROGRAM)),
    "post blank": lambda g: (g.add((KGR["person/张三"], RDF.type, KG.Person)),
                             g.add((KGR["person/张三"], RDFS.label, Literal("张三", lang="zh"))),
                             g.add((KGR["person/张三"], KG.post, Literal("")))),
    "about a Place": lambda g: g.set((OBS, KG.about, PLACE)),
    "mentionedIn a literal": lambda g: g.add((AGENCY, KG.mentionedIn, Literal("doc"))),
    "document with two years": lambda g: g.add((KGR["doc/huludao-2016"], KG.documentYear,
                                                Literal("2017", datatype=XSD.gYear))),
    "locatedIn from a Person": lambda g: g.add((KGR["person/李四"], KG.locatedIn, CITY)),
    "everything at once": lambda g: [f(g) for k, f in MORE.items() if k != "everything at once"],
}


@pytest.mark.parametrize("case", sorted(MORE))
def test_more_injected_violations_give_pyshacls_results(tmp_path: Path, case: str) -> None:
    g = build_graph()
    MORE[case](g)
    agree(_write(g, tmp_path / "g.nt"))


def test_an_ill_typed_gyear_is_a_violation_though_pyshacl_misses_it(tmp_path: Path) -> None:
    """The one difference found: rdflib does not check xsd:gYear lexical forms, so pySHACL takes
    "15"^^xsd:gYear as a gYear; XSD (and Oxigraph) want four digits, and so does this check."""
    g = build_graph()
    g.set((OBS, KG.year, Literal("15", datatype=XSD.gYear)))
    path = _write(g, tmp_path / "g.nt")
    assert validate(path).conforms
    report = validate_file(path).report
    assert [(v.focus, v.path) for v in report.violations] == [(str(OBS), "kg:year")]


def test_a_turtle_file_and_threads_give_the_same_results(tmp_path: Path) -> None:
    g = build_graph()
    for f in MORE.values():
        f(g)
    path = tmp_path / "g.ttl"
    g.serialize(path, format="turtle")
    ref, one = agree(path)
    assert results(validate_file(path, threads=3).report.violations) == results(one.violations)


# ------------------------------------------------------------------ the seed build, and with injected violations


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed-build")
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-validate", "--no-cache",
                                    "--jobs", "1", "--format", "turtle", "--format", "ntriples", "--no-store"])
    assert res.exit_code == 0, res.output
    return out


def test_seed_build_agrees_with_pyshacl(seed_build: Path) -> None:
    ref, mine = agree(seed_build / "graph.ttl")
    assert mine.conforms
    checked = validate_file(seed_build / "graph.nt")
    assert results(checked.report.violations) == results(ref.violations)
    n = sum(1 for line in (seed_build / "graph.nt").read_text("utf-8").splitlines() if line.strip())
    assert checked.triples == n and checked.shapes == 14
    assert checked.line().startswith(f"conforms — checked {n:,} triples against 14 shapes")


def _inject(nt: str) -> str:
    """Violations of many kinds, deterministic: every 11th triple dropped (labels, evidence, asserted
    triples of statements, types), decimals and gYears retyped, language tags changed."""
    out = []
    for i, line in enumerate(nt.splitlines()):
        if not line.strip() or i % 11 == 0:
            continue
        if i % 5 == 0:
            line = line.replace("#decimal>", "#string>")
        if i % 7 == 0:
            line = line.replace('"@zh .', '"@en .')
        if i % 13 == 0:
            line = line.replace("#gYear>", "#integer>")
        out.append(line)
    return "\n".join(out) + "\n"


def test_seed_build_with_injected_violations_agrees_with_pyshacl(seed_build: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_text(_inject((seed_build / "graph.nt").read_text("utf-8")), encoding="utf-8")
    ref, mine = agree(broken)
    assert not mine.conforms
    kinds = {(v.path, v.message) for v in mine.violations}
    assert len(mine.violations) > 100 and len(kinds) > 10, kinds
    assert results(validate_file(broken, threads=2).report.violations) == results(ref.violations)


def test_a_store_gives_the_files_results(seed_build: Path, tmp_path: Path) -> None:
    from kg.query import save_store

    broken = tmp_path / "broken.nt"
    broken.write_text(_inject((seed_build / "graph.nt").read_text("utf-8")), encoding="utf-8")
    store_dir = save_store(broken, tmp_path / "store")
    store = ox.Store.read_only(str(store_dir))
    from_store = validate_store(store)
    assert results(from_store.report.violations) == results(validate_file(broken).report.violations)
    assert from_store.triples == len(store)


# ------------------------------------------------------------------ files Oxigraph rejects


def test_not_a_graph_is_a_graph_file_error(tmp_path: Path) -> None:
    for name, data, message in (("empty.ttl", b"", "empty file, not a graph"),
                                ("comment.ttl", b"# nothing\n", "no triples"),
                                ("prose.ttl", "这不是RDF。{ [ ".encode(), "not RDF")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(GraphFileError, match=re.escape(message)):
            validate_file(path)


def test_bad_iris_are_problems_and_the_rest_is_checked(tmp_path: Path) -> None:
    g = build_graph()
    g.remove((OBS, KG.evidence, None))
    path = _write(g, tmp_path / "g.nt")
    text = path.read_text("utf-8") + f"<{KGR}agency/a\ufffdb> <{RDFS.label}> \"x\"@zh .\n"
    path.write_text(text, encoding="utf-8")
    with load_graph_file(path) as loaded:
        assert loaded.problems[0].startswith(f"IRI <{KGR}agency/a\ufffdb>")
    report = validate_file(path).report
    assert not report.conforms and report.summary().startswith("Oxigraph rejects the graph: IRI <")
    assert any(v.path == "kg:evidence" for v in report.violations)


# ------------------------------------------------------------------ kg validate, kg build


def test_kg_validate_says_what_it_checked(seed_build: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["validate", str(seed_build / "graph.ttl")])
    assert res.exit_code == 0, res.output
    assert re.match(r"conforms — checked [\d,]+ triples against 14 shapes \(\d+ constraints, SPARQL on Oxigraph\)",
                    res.output)
    broken = tmp_path / "broken.nt"
    broken.write_text(_inject((seed_build / "graph.nt").read_text("utf-8")), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(broken)])
    ref = CliRunner().invoke(main, ["validate", "--engine", "pyshacl", str(broken)])
    assert res.exit_code == ref.exit_code == 1
    first, *rest = res.output.splitlines()
    ref_first, *ref_rest = ref.output.splitlines()
    assert first.startswith(ref_first + " — checked ")
    assert rest == ref_rest  # the same violations listed, in the same order


def test_kg_build_checks_the_store_it_keeps(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-cache", "--jobs", "1",
                                    "--format", "html", "--with-store"])
    assert res.exit_code == 0, res.output
    assert re.search(r"^shapes: conforms — checked [\d,]+ triples against 14 shapes", res.output, re.M)
    assert not (out / "graph.ttl").exists()
    checked = validate_build(out)
    assert checked is not None and checked.report.conforms and checked.source == "store"
    assert "SPARQL on the build's Oxigraph store" in res.output


def test_kg_validate_reads_the_builds_store_of_that_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-cache", "--jobs", "1",
                                    "--format", "turtle", "--with-store", "--no-validate"])
    assert res.exit_code == 0, res.output
    from_store = CliRunner().invoke(main, ["validate", str(out / "graph.ttl")])
    assert from_store.exit_code == 0 and "SPARQL on the build's Oxigraph store" in from_store.output
    copy = tmp_path / "copy.ttl"
    copy.write_bytes((out / "graph.ttl").read_bytes())
    parsed = CliRunner().invoke(main, ["validate", str(copy)])
    assert parsed.exit_code == 0 and "SPARQL on Oxigraph)" in parsed.output
    assert from_store.output.split(" — ")[1].split(" in ")[0] == parsed.output.split(" — ")[1].split(" in ")[0] \
        .replace("SPARQL on Oxigraph", "SPARQL on the build's Oxigraph store")


def test_kg_build_says_when_nothing_could_be_checked(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--no-cache",
                                    "--jobs", "1", "--format", "html", "--no-store"])
    assert res.exit_code == 0, res.output
    assert "shapes: not checked (this build wrote neither Turtle, N-Triples nor a store" in res.output


def test_results_fetched_in_batches_are_all_there(seed_build: Path, tmp_path: Path, monkeypatch) -> None:
    import kg.shacl_sparql as shacl_sparql

    broken = tmp_path / "broken.nt"
    broken.write_text(_inject((seed_build / "graph.nt").read_text("utf-8")), encoding="utf-8")
    whole = validate_file(broken).report.violations
    monkeypatch.setattr(shacl_sparql, "_FOCUS_BATCH", 3)
    assert results(validate_file(broken).report.violations) == results(whole)


def test_focus_nodes_grouped_in_batches_give_the_same_results(seed_build: Path, tmp_path: Path,
                                                               monkeypatch) -> None:
    """A big target's nodes are grouped a batch at a time (bounded memory): the same results."""
    import kg.shacl_sparql as shacl_sparql

    broken = tmp_path / "broken.nt"
    broken.write_text(_inject((seed_build / "graph.nt").read_text("utf-8")), encoding="utf-8")
    whole = validate_file(broken).report.violations
    assert len(whole) > 100
    monkeypatch.setattr(shacl_sparql, "GROUP_BATCH", 7)
    assert results(validate_file(broken, threads=2).report.violations) == results(whole)
    assert validate_file(seed_build / "graph.nt").report.conforms


def test_a_blank_node_focus_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text(
        "@prefix kg: <https://w3id.org/edupolicy-kg/def#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "[] a kg:Observation ; kg:value \"x\" , \"1\"^^xsd:decimal ; kg:unit \"%\" .\n", encoding="utf-8")
    ref = validate(path)
    mine = validate_file(path).report

    def shape(vs):  # blank node ids differ between rdflib and Oxigraph
        return collections.Counter((v.path, v.message) for v in vs)

    assert shape(mine.violations) == shape(ref.violations) and len(mine.violations) == 4
