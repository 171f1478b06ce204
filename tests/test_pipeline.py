"""The whole pipeline on the real seed documents, and a batch with bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.cli import main
from kg.export import turtle_bytes
from kg.graph import to_graph
from kg.namespace import KG
from kg.pipeline import Pipeline

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def seed_docs(pipeline):
    docs, failures = pipeline.run([SEEDS])
    assert failures == []
    return docs


@pytest.fixture(scope="module")
def graph(seed_docs) -> Graph:
    return to_graph(seed_docs)


def label(g: Graph, node) -> str:
    return str(g.value(node, RDFS.label))


def test_every_seed_builds(seed_docs):
    assert len(seed_docs) == len(list(SEEDS.glob("*.txt")))
    for d in seed_docs:
        assert d.sentences and d.entities


def test_home_place_and_year_inferred(seed_docs):
    by_id = {d.doc_id: d for d in seed_docs}
    d = by_id["000_043583f907d8be22"]
    assert d.entities[d.home_place].name == "葫芦岛市"
    assert d.year == 2016
    d4 = by_id["004_94ac15da65c8d532"]
    assert d4.entities[d4.home_place].name == "大兴安岭地区"


def test_sections_know_review_and_plan(seed_docs):
    d = next(d for d in seed_docs if d.doc_id.startswith("000"))
    tops = [s for s in d.sections if s.level == 1]
    assert tops[0].kind == "review" and tops[0].year == 2015
    assert any(s.kind == "plan" and s.year == 2016 for s in tops)


def test_turtle_is_deterministic(pipeline):
    a = turtle_bytes(to_graph(pipeline.run([SEEDS])[0]))
    b = turtle_bytes(to_graph(pipeline.run([SEEDS])[0]))
    assert a == b
    g = Graph().parse(data=a.decode("utf-8"), format="turtle")
    assert len(g) > 1000


def test_evidence_offsets_cut_the_quoted_sentence(seed_docs):
    """Every relation and observation has evidence; its offsets cut its text out of the normalized text."""
    checked = 0
    for d in seed_docs:
        for r in d.relations:
            assert r.evidence, (r.subject, r.predicate, r.object)
            for ev in r.evidence:
                assert d.text[ev.start:ev.end] == ev.text
                checked += 1
        for o in d.observations:
            ev = o.evidence
            assert d.text[ev.start:ev.end] == ev.text
            checked += 1
    assert checked > 200


def test_evidence_in_graph_matches_documents(seed_docs, graph):
    texts = {d.doc_id: d.text for d in seed_docs}
    evidences = list(graph.subjects(RDF.type, KG.Evidence))
    assert evidences
    for ev in evidences:
        doc_iri = graph.value(ev, KG.source)
        doc_id = next(k for k in texts if str(doc_iri).endswith("/" + k))
        start, end = int(graph.value(ev, KG.start)), int(graph.value(ev, KG.end))
        assert texts[doc_id][start:end] == str(graph.value(ev, KG.text))
    # every relation statement and every observation carries evidence
    for st in graph.subjects(RDF.type, RDF.Statement):
        assert graph.value(st, KG.evidence) is not None
    for obs in graph.subjects(RDF.type, KG.Observation):
        assert graph.value(obs, KG.evidence) is not None


def test_places_have_adcodes_and_hierarchy(graph):
    places = {label(graph, p): p for p in graph.subjects(RDF.type, KG.Place)}
    for name, code in [("兴城市", "211481"), ("葫芦岛市", "211400"), ("辽宁省", "210000"),
                       ("建昌县", "211422"), ("大兴安岭地区", "232700"), ("加格达奇区", "232761")]:
        assert str(graph.value(places[name], KG.adcode)) == code, name
    assert (places["兴城市"], KG.partOf, places["葫芦岛市"]) in graph
    assert (places["葫芦岛市"], KG.partOf, places["辽宁省"]) in graph
    assert (places["加格达奇区"], KG.partOf, places["大兴安岭地区"]) in graph
    assert str(graph.value(places["辽宁省"], KG.level)) == "province"


def test_one_label_per_entity_and_contract_names(graph):
    for cls in (KG.Agency, KG.School, KG.Program, KG.PolicyDocument, KG.Place, KG.Person):
        for e in graph.subjects(RDF.type, cls):
            assert len(list(graph.objects(e, RDFS.label))) == 1


def test_traditional_seed_links_to_simplified_names(graph):
    labels = {label(graph, e) for e in graph.subjects(RDF.type, KG.Place)}
    assert "大兴安岭地区" in labels  # written 大興安嶺地區(qū) in the seed
    programs = {label(graph, e) for e in graph.subjects(RDF.type, KG.Program)}
    assert "县管校聘" in programs  # written 縣管校聘


def test_graph_conforms_to_shapes(graph):
    from kg.validate import validate

    report = validate(graph)
    assert report.conforms, report.summary()


def test_headline_fact(graph):
    """葫芦岛市教育局 —implements→ 全面改薄 —locatedIn→ 兴城市."""
    agency = next(e for e in graph.subjects(RDF.type, KG.Agency) if label(graph, e) == "葫芦岛市教育局")
    place = next(e for e in graph.subjects(RDF.type, KG.Place) if label(graph, e) == "兴城市")
    hits = [p for p in graph.objects(agency, KG.implements) if (p, KG.locatedIn, place) in graph]
    assert any("全面改薄" in {str(a) for a in graph.objects(p, None)} or "改薄" in label(graph, p) for p in hits)


# ---------------------------------------------------------------- CLI and bad input


def test_cli_build_goes_on_past_bad_files(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "good.txt").write_text((SEEDS / "004_94ac15da65c8d532.txt").read_text("utf-8"), "utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inbox / "gbk.txt").write_bytes("2019年,全市学前三年毛入园率达到85.6%。".encode("gbk"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("old", "utf-8")
    result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(out), "--no-validate"])
    assert result.exit_code == 3, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("kg: ")]
    assert any("empty.txt" in e for e in errors) and any("binary.txt" in e for e in errors)
    assert all("Traceback" not in e for e in errors)
    assert re.search(r"^2 documents \(2 failed\)", result.output, re.M)
    ttl = (out / "graph.ttl").read_text("utf-8")
    assert "县管校聘" in ttl and "85.6" in ttl
    assert (out / "graph.html").exists()
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_cli_build_reports_missing_path(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope" in result.output and "Traceback" not in result.output


def test_every_command_has_help():
    runner = CliRunner()
    for name, cmd in main.commands.items():
        assert cmd.help, name
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0, name


def test_one_node_per_real_thing_across_the_seeds(graph):
    """No two places, agencies or programs share a name form (label or altLabel),
    whatever the script, prefix or abbreviation they were written with."""
    from rdflib.namespace import SKOS

    from kg.evaluate import canon

    for cls in (KG.Place, KG.Agency, KG.Program, KG.School, KG.PolicyDocument):
        owner: dict[str, object] = {}
        for e in graph.subjects(RDF.type, cls):
            forms = {canon(str(x)) for x in graph.objects(e, RDFS.label)}
            forms |= {canon(str(x)) for x in graph.objects(e, SKOS.altLabel)}
            # relative forms (市教育局, 省委, 我市) name a different body in each document
            forms = {f for f in forms if f[:1] not in "市省县区局我全本"}
            for f in forms:
                assert owner.setdefault(f, e) == e, f"{cls} {f} names two nodes: {owner[f]} and {e}"


def test_same_program_from_several_documents_is_one_node(graph):
    by_label = {label(graph, e): e for e in graph.subjects(RDF.type, KG.Program)}
    full = by_label["全面改善贫困地区义务教育薄弱学校基本办学条件"]
    docs = set(graph.objects(full, KG.mentionedIn))
    assert len(docs) >= 3  # seeds 000 (改薄), 003 and 004 (全面改薄, traditional script)
    assert len(set(graph.objects(by_label["县管校聘"], KG.mentionedIn))) >= 2
    assert "学前教育三年行动计划" in by_label and "二期学前教育三年行动计划" not in by_label


def test_sparql_programs_of_the_bureau_in_xingcheng(graph):
    """Programs implemented by 葫芦岛市教育局 located in 兴城市 (Oxigraph over the seed build)."""
    import kg

    res = kg.query(graph, """
        SELECT DISTINCT ?program WHERE {
          ?a rdfs:label "葫芦岛市教育局"@zh ; kg:implements ?p .
          ?p kg:locatedIn/rdfs:label "兴城市"@zh ; rdfs:label ?program .
        }""")
    programs = {row[0] for row in res.rows}
    assert "全面改善贫困地区义务教育薄弱学校基本办学条件" in programs
    assert all("局" not in p for p in programs)


def test_sparql_all_values_of_an_indicator(graph):
    """All values of 学前三年毛入园率 with year and status: reported 90 % (2015) and the 77.2 % target (2020)."""
    import kg

    res = kg.query(graph, """
        SELECT ?value ?year ?status WHERE {
          ?o kg:indicator/rdfs:label "学前三年毛入园率"@zh ; kg:value ?value ; kg:status ?status .
          OPTIONAL { ?o kg:year ?year }
        } ORDER BY ?year""")
    rows = {(str(v), int(y) if y is not None else None, s) for v, y, s in res.rows}
    assert ("90", 2015, "achieved") in rows
    assert ("77.2", 2020, "target") in rows


def test_cli_view_limit_says_what_it_left_out(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEEDS / "000_043583f907d8be22.txt"), "--out", str(tmp_path),
                                       "--format", "html", "--no-validate", "--view-limit", "20"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "graph.html").read_text("utf-8")
    m = re.search(r'"omitted":(\{[^{}]*\})', page)
    assert m and json.loads(m.group(1))["nodes"] > 0


def test_cli_unwritable_output_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    result = CliRunner().invoke(main, ["build", str(SEEDS / "004_94ac15da65c8d532.txt"),
                                       "--out", str(blocker / "sub"), "--no-validate"])
    assert result.exit_code == 1
    assert "cannot write exports" in result.output and "Traceback" not in result.output


def test_a_web_pages_date_line_sets_the_documents_year():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("秋季开学工作部署会召开\n发布日期:2021-09-03\n今年全县新增学位1200个。")
    assert doc.year == 2021
    assert [o.year for o in doc.observations] == [2021]


def test_a_reposted_articles_source_line_dates_it():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("信息学梦之队\n2017年7月,第34届全国青少年信息学奥林匹克竞赛在绍兴一中举办。\n"
                                  "今年又有20人获得自主招生资格。\n(摘自绍兴晚报2019年6月12日)")
    assert doc.year == 2019
