"""Fusion across documents: one IRI per real thing, surface forms as altLabels.

Two documents written for these tests name the same program, agency and
place in different forms (traditional vs simplified script, abbreviation vs
full name, 市教育局 vs the full name); ``kg.graph.to_graph`` must give one
IRI per thing.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.graph import to_graph
from kg.namespace import KG, KGR_NS
from kg.pipeline import Pipeline

SIMPLIFIED = """苏州市2019年教育工作会议讲话
全市上下要深入推进“县管校聘”改革,全面完成改薄任务。
市教育局将会同太仓、昆山两地做好学位供给。
"""

TRADITIONAL = """蘇州市教育局2020年工作總結
蘇州市教育局全面推行“縣管校聘”改革,全面改善貧困地區義務教育薄弱學校基本辦學條件項目全部完成。
太倉市新建幼兒園5所。
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def docs(pipeline):
    return [
        pipeline.process_text(SIMPLIFIED, doc_id="sz-2019-speech"),
        pipeline.process_text(TRADITIONAL, doc_id="sz-2020-summary"),
    ]


@pytest.fixture(scope="module")
def graph(docs):
    return to_graph(docs)


def typed_with_label(g, cls, label: str) -> set:
    lit = Literal(label, lang="zh")
    return {s for s in g.subjects(RDFS.label, lit) if (s, RDF.type, cls) in g}


def typed_with_any_label(g, cls, label: str) -> set:
    lit = Literal(label, lang="zh")
    subs = set(g.subjects(RDFS.label, lit)) | set(g.subjects(SKOS.altLabel, lit))
    return {s for s in subs if (s, RDF.type, cls) in g}


def alt_labels(g, s) -> set[str]:
    return {str(o) for o in g.objects(s, SKOS.altLabel)}


def test_one_program_for_simplified_and_traditional_forms(graph):
    # “县管校聘”改革 (simplified) and “縣管校聘”改革 (traditional) are one program
    hits = {s for s in graph.subjects(RDF.type, KG.Program) if "县管校聘" in str(graph.value(s, RDFS.label))}
    assert len(hits) == 1
    assert not any("縣" in str(o) for s in hits for o in graph.objects(s, RDFS.label))


def test_abbreviation_and_full_name_fuse(graph):
    full = "全面改善贫困地区义务教育薄弱学校基本办学条件"
    subjects = typed_with_label(graph, KG.Program, full)
    assert len(subjects) == 1
    (prog,) = subjects
    assert "改薄" in alt_labels(graph, prog)
    assert typed_with_any_label(graph, KG.Program, "改薄") == {prog}
    assert len({s for s in graph.subjects(RDF.type, KG.Program)
                if "改" in str(graph.value(s, RDFS.label)) and "薄" in str(graph.value(s, RDFS.label))}) == 1


def test_bureau_short_and_full_names_fuse(graph):
    subjects = typed_with_label(graph, KG.Agency, "苏州市教育局")
    assert len(subjects) == 1
    (bureau,) = subjects
    assert "市教育局" in alt_labels(graph, bureau)
    assert not typed_with_label(graph, KG.Agency, "市教育局")
    assert not typed_with_label(graph, KG.Agency, "蘇州市教育局")
    mentioned = set(graph.objects(bureau, KG.mentionedIn))
    assert len(mentioned) == 2


def test_traditional_surface_form_is_an_altlabel(graph):
    """The contract: an altLabel for each other surface form seen, the traditional form included."""
    (bureau,) = typed_with_label(graph, KG.Agency, "苏州市教育局")
    assert "蘇州市教育局" in alt_labels(graph, bureau)


def test_place_iris_by_adcode(graph):
    suzhou = URIRef(f"{KGR_NS}place/320500")
    taicang = URIRef(f"{KGR_NS}place/320585")
    assert (suzhou, RDF.type, KG.Place) in graph
    assert (taicang, RDF.type, KG.Place) in graph
    assert graph.value(suzhou, KG.adcode) == Literal("320500")
    assert str(graph.value(suzhou, KG.level)) == "city"
    assert str(graph.value(taicang, RDFS.label)) == "太仓市"
    assert "太仓" in alt_labels(graph, taicang)
    assert typed_with_label(graph, KG.Place, "苏州市") == {suzhou}
    assert typed_with_label(graph, KG.Place, "太仓市") == {taicang}
    # 苏州市 is named in both documents
    assert len(set(graph.objects(suzhou, KG.mentionedIn))) == 2


def test_every_entity_has_exactly_one_label(graph):
    for cls in (KG.Agency, KG.School, KG.Program, KG.PolicyDocument, KG.Place, KG.Person):
        for s in graph.subjects(RDF.type, cls):
            labels = list(graph.objects(s, RDFS.label))
            assert len(labels) == 1, (s, labels)
            assert labels[0].language == "zh"


def test_iris_are_deterministic_across_runs():
    g1 = to_graph([Pipeline().process_text(SIMPLIFIED, doc_id="sz-2019-speech"),
                   Pipeline().process_text(TRADITIONAL, doc_id="sz-2020-summary")])
    p = Pipeline()
    g2 = to_graph([p.process_text(SIMPLIFIED, doc_id="sz-2019-speech"),
                   p.process_text(TRADITIONAL, doc_id="sz-2020-summary")])
    assert len(g1) > 0
    assert set(g1) == set(g2)
    assert not any(isinstance(t, BNode) for triple in g1 for t in triple)


def test_document_order_does_not_change_iris(pipeline):
    a = pipeline.process_text(SIMPLIFIED, doc_id="sz-2019-speech")
    b = pipeline.process_text(TRADITIONAL, doc_id="sz-2020-summary")
    assert set(to_graph([a, b])) == set(to_graph([b, a]))


def test_towns_of_the_home_county_are_places_under_it():
    from kg.graph import to_graph
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("怀来县教育局2017年工作总结\n全县教育工作取得新进展。沙城镇中心小学、东花园镇完成校舍改造。\n")
    towns = {e.name: e for e in doc.entities.values() if e.level == "town"}
    assert set(towns) == {"沙城镇", "东花园镇"}
    rels = {(doc.entities[r.subject].name, r.predicate, doc.entities[r.object].name) for r in doc.relations}
    assert ("沙城镇", "partOf", "怀来县") in rels
    assert ("沙城镇中心小学", "locatedIn", "沙城镇") in rels and ("沙城镇中心小学", "locatedIn", "怀来县") in rels
    iris = {str(s) for s in to_graph([doc]).subjects()}
    assert "https://w3id.org/edupolicy-kg/id/place/130730/沙城镇" in iris


def test_an_office_or_division_names_its_body_too():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("关于做好寒假安全工作的通知\n各市教育局:\n浙江省教育厅办公室印发通知,省教育厅宣教处负责解释。考入清华北大人数10人。\n")
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"浙江省教育厅办公室", "浙江省教育厅", "浙江省教育厅宣教处"} <= agencies
    assert {"清华大学", "北京大学"} <= {e.name for e in doc.entities.values() if e.type == "School"}


def test_home_of_a_county_level_city_behind_a_breadcrumb():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text(
        "新闻动态/微视酷新闻/新闻详情\n江苏新沂市教育局召开VR智慧课堂研讨会\n3月16日,新沂市教育局于新安小学举办研讨会。"
        "市教育局、商务局领导出席会议。")
    assert doc.entities[doc.home_place].name == "新沂市"
    assert "新沂市教育局" in {e.name for e in doc.entities.values() if e.type == "Agency"}
    doc = Pipeline().process_text("学校概况\n金陵中学河西分校地处南京市河西新城中心,有全省首个博士工作站。")
    assert doc.entities[doc.home_place].name == "南京市"  # 全省首个 compares with the province


@pytest.mark.parametrize("text, home", [
    ("桂平市下湾镇第一初级中学\n概况\n下湾一中创办于1968年,有教职工88人。获贵港市卫生优秀学校、贵港常规管理优秀学校称号。", "place:450881"),
    ("首页>>学校概况\n武汉科技大学概况\n武汉科技大学是一所湖北省人民政府、国家教育部共建的地方高水平大学。学校是湖北省办学历史最为悠久的高校之一。", "place:420100"),
])
def test_a_school_named_in_the_title_gives_the_home_place(text, home):
    assert Pipeline().process_text(text).home_place == home
