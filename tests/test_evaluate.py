"""Scoring against gold: exact numbers on hand-built graphs and tiny gold dicts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from kg.errors import GoldError
from kg.evaluate import (
    Counts,
    DocScore,
    aggregate,
    canon,
    char_overlap,
    evaluate,
    load_gold,
    score_document,
    unit_scale,
)
from kg.namespace import KG, KGR

REAL_GOLD = Path("/work/shared/gold")
XSD_DECIMAL = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#decimal")
XSD_GYEAR = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#gYear")


# --- helpers ----------------------------------------------------------------


def ent(g: rdflib.Graph, cls: str, label: str, *alts: str, key: str | None = None) -> rdflib.URIRef:
    node = KGR[f"{cls.lower()}/{key or label}"]
    g.add((node, RDF.type, KG[cls]))
    g.add((node, RDFS.label, Literal(label, lang="zh")))
    for a in alts:
        g.add((node, SKOS.altLabel, Literal(a, lang="zh")))
    return node


def obs(
    g: rdflib.Graph,
    key: str,
    indicator: str,
    value: str,
    unit: str,
    *,
    text: str = "",
    year: int | None = None,
    status: str | None = None,
    place: rdflib.URIRef | None = None,
) -> rdflib.URIRef:
    node = KGR[f"observation/{key}"]
    ind = KGR[f"indicator/{indicator}"]
    g.add((node, RDF.type, KG.Observation))
    g.add((ind, RDF.type, KG.Indicator))
    g.add((ind, RDFS.label, Literal(indicator, lang="zh")))
    g.add((node, KG.indicator, ind))
    g.add((node, KG.value, Literal(Decimal(value), datatype=XSD_DECIMAL)))
    g.add((node, KG.unit, Literal(unit)))
    if year is not None:
        g.add((node, KG.year, Literal(str(year), datatype=XSD_GYEAR)))
    if status is not None:
        g.add((node, KG.status, Literal(status)))
    if place is not None:
        g.add((node, KG.locatedIn, place))
    if text:
        ev = KGR[f"evidence/{key}"]
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, KG.text, Literal(text)))
        g.add((node, KG.evidence, ev))
    return node


def gold(entities=(), relations=(), observations=(), document="doc.txt") -> dict:
    return {
        "document": document,
        "home_place": None,
        "year": None,
        "entities": list(entities),
        "relations": list(relations),
        "observations": list(observations),
    }


def close(c: Counts, p: float, r: float, f1: float) -> None:
    assert c.precision == pytest.approx(p)
    assert c.recall == pytest.approx(r)
    assert c.f1 == pytest.approx(f1)


# --- canonical names and units ---------------------------------------------


def test_canon_normalizes_script_brackets_quotes_space_width():
    assert canon("《葫芦岛市教育事业“十三五”规划》") == "葫芦岛市教育事业十三五规划"
    assert canon("葫蘆島市 教育局") == "葫芦岛市教育局"
    assert canon("「全面改薄」") == canon("‘全面改薄’") == canon('"全面改薄"') == "全面改薄"
    assert canon("〈指南〉") == "指南"
    assert canon("义务教育均衡发展县（市）区") == "义务教育均衡发展县(市)区"  # NFKC
    assert canon("ＡＢ１２") == "AB12"


def test_unit_scale_and_char_overlap():
    assert unit_scale("万平方米") == ("平方米", Decimal(10000))
    assert unit_scale("亿元") == ("元", Decimal(10**8))
    assert unit_scale("万人次") == ("人次", Decimal(10000))
    assert unit_scale("万") == ("万", Decimal(1))
    assert unit_scale("%") == ("%", Decimal(1))
    assert char_overlap("学前三年毛入园率", "毛入园率") == (0.5, 1.0)
    assert char_overlap("", "x") == (0.0, 0.0)


# --- entities ----------------------------------------------------------------

ENTITY_GOLD = gold(
    entities=[
        {"type": "Place", "name": "葫芦岛市", "aliases": ["葫芦岛"]},
        {"type": "Place", "name": "兴城市", "aliases": ["兴城"]},
        {"type": "Agency", "name": "葫芦岛市教育局", "aliases": ["市教育局"]},
        {"type": "PolicyDocument", "name": "葫芦岛市教育事业“十三五”规划"},
        {
            "type": "Program",
            "name": "全面改善贫困地区义务教育薄弱学校基本办学条件",
            "aliases": ["全面改薄"],
        },
        {"type": "Program", "name": "智慧教育", "optional": True},
        {"type": "School", "name": "兴城二高中", "optional": True},
        {"type": "Indicator", "name": "学前三年毛入园率"},
    ]
)


def entity_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    ent(g, "Place", "葫蘆島")  # traditional form of an alias
    ent(g, "Place", "龙港区")  # false positive
    ent(g, "Agency", "市教育局")  # alias as label
    ent(g, "PolicyDocument", "《葫芦岛市教育事业十三五规划》")  # 《》 and quotes differ
    ent(g, "Program", "全面改薄工程", "全面改薄")  # alias as altLabel
    ent(g, "Program", "智慧教育")  # optional gold: not an error
    ent(g, "Program", "三通两平台")  # false positive
    ent(g, "Agency", "教育部")  # false positive
    ind = KGR["indicator/学前三年毛入园率"]  # indicators are not scored as entities
    g.add((ind, RDF.type, KG.Indicator))
    g.add((ind, RDFS.label, Literal("学前三年毛入园率", lang="zh")))
    return g


def test_entities_exact_scores():
    s = score_document(entity_graph(), ENTITY_GOLD)
    total = s.entities_all
    assert (total.gold, total.pred, total.found, total.correct) == (5, 8, 4, 5)
    close(total, 5 / 8, 4 / 5, 2 * (5 / 8) * (4 / 5) / (5 / 8 + 4 / 5))
    e = s.entities
    assert (e["Place"].gold, e["Place"].pred, e["Place"].found, e["Place"].correct) == (2, 2, 1, 1)
    assert (e["Program"].gold, e["Program"].pred, e["Program"].found, e["Program"].correct) == (1, 3, 1, 2)
    assert (e["Agency"].gold, e["Agency"].pred, e["Agency"].found, e["Agency"].correct) == (1, 2, 1, 1)
    close(e["PolicyDocument"], 1.0, 1.0, 1.0)
    assert (e["School"].gold, e["School"].pred) == (0, 0)  # optional school missing: no miss
    assert s.misses["missed_entities"] == [{"type": "Place", "name": "兴城市"}]
    assert sorted((m["type"], m["label"]) for m in s.misses["false_entities"]) == [
        ("Agency", "教育部"),
        ("Place", "龙港区"),
        ("Program", "三通两平台"),
    ]


def test_entity_type_must_agree():
    g = rdflib.Graph()
    ent(g, "School", "葫芦岛市")
    s = score_document(g, gold(entities=[{"type": "Place", "name": "葫芦岛市"}]))
    assert s.entities["Place"].found == 0
    assert s.entities["School"].pred == 1 and s.entities["School"].correct == 0


# --- relations -----------------------------------------------------------------

REL_GOLD = gold(
    entities=[
        {"type": "Agency", "name": "葫芦岛市教育局", "aliases": ["市教育局"]},
        {
            "type": "Program",
            "name": "全面改善贫困地区义务教育薄弱学校基本办学条件",
            "aliases": ["全面改薄", "改薄"],
        },
        {"type": "Place", "name": "兴城市", "aliases": ["兴城"]},
        {"type": "Place", "name": "葫芦岛市", "aliases": ["葫芦岛"]},
        {"type": "Program", "name": "智慧教育", "optional": True},
        {"type": "Program", "name": "三通两平台"},
    ],
    relations=[
        {"subject": "市教育局", "predicate": "implements", "object": "改薄"},
        {"subject": "兴城", "predicate": "partOf", "object": "葫芦岛市"},
        {"subject": "三通两平台", "predicate": "partOf", "object": "智慧教育", "optional": True},
        {"subject": "葫芦岛市教育局", "predicate": "implements", "object": "三通两平台"},
    ],
)


def relation_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    bureau = ent(g, "Agency", "葫芦岛市教育局", "市教育局")
    gaibao = ent(g, "Program", "全面改善贫困地区义务教育薄弱学校基本办学条件", "全面改薄")
    xc = ent(g, "Place", "兴城市")
    hld = ent(g, "Place", "葫芦岛")
    stlp = ent(g, "Program", "三通两平台")
    zh = ent(g, "Program", "智慧教育")
    g.add((bureau, KG.implements, gaibao))  # correct, ends resolved through aliases
    g.add((xc, KG.partOf, hld))  # correct
    g.add((hld, KG.partOf, xc))  # wrong direction
    g.add((stlp, KG.partOf, zh))  # matches an optional gold relation
    g.add((bureau, KG.locatedIn, xc))  # not in gold
    o = obs(g, "o1", "x", "1", "所")
    g.add((o, KG.locatedIn, xc))  # observation subject: not a relation
    g.add((bureau, KG.locatedIn, KGR["thing/untyped"]))  # object not an entity: ignored
    return g


def test_relations_exact_scores():
    s = score_document(relation_graph(), REL_GOLD)
    total = s.relations_all
    assert (total.gold, total.pred, total.found, total.correct) == (3, 5, 2, 3)
    close(total, 3 / 5, 2 / 3, 2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    r = s.relations
    assert (r["implements"].gold, r["implements"].pred, r["implements"].found, r["implements"].correct) == (2, 1, 1, 1)
    assert (r["partOf"].gold, r["partOf"].pred, r["partOf"].found, r["partOf"].correct) == (1, 3, 1, 2)
    assert (r["locatedIn"].gold, r["locatedIn"].pred, r["locatedIn"].correct) == (0, 1, 0)
    assert s.misses["missed_relations"] == [
        {"subject": "葫芦岛市教育局", "predicate": "implements", "object": "三通两平台"}
    ]
    assert sorted((m["subject"], m["predicate"], m["object"]) for m in s.misses["wrong_relations"]) == [
        ("葫芦岛", "partOf", "兴城市"),
        ("葫芦岛市教育局", "locatedIn", "兴城市"),
    ]


def test_relation_end_not_a_gold_entity_matches_by_its_own_name():
    g = rdflib.Graph()
    a = ent(g, "Agency", "教育部")
    d = ent(g, "PolicyDocument", "中小学生守则(2015年修订)")
    g.add((a, KG.issues, d))
    gd = gold(relations=[{"subject": "教育部", "predicate": "issues", "object": "《中小学生守则（2015年修订）》"}])
    s = score_document(g, gd)
    close(s.relations["issues"], 1.0, 1.0, 1.0)


# --- observations --------------------------------------------------------------

OBS_GOLD = gold(
    entities=[
        {"type": "Place", "name": "葫芦岛市", "aliases": ["葫芦岛", "全市"]},
        {"type": "Place", "name": "兴城市", "aliases": ["兴城"]},
    ],
    observations=[
        {"indicator": "维修校舍面积", "value": 1.5, "unit": "万平方米", "year": 2015,
         "place": "兴城市", "status": "achieved", "about": None, "quote": "维修校舍面积1.5万平方米"},
        {"indicator": "职业教育项目资金", "value": 1360, "unit": "万元", "year": 2015,
         "place": "葫芦岛市", "status": "achieved", "about": None, "quote": "落实项目资金1360万"},
        {"indicator": "学前三年毛入园率", "value": 90, "unit": "%", "year": None,
         "place": "葫芦岛市", "status": "achieved", "about": None, "quote": "学前三年毛入园率接近90%"},
        {"indicator": "全省排名", "value": 2, "unit": "名", "year": 2015, "place": "兴城市",
         "status": "achieved", "about": None, "quote": "全省第二名", "optional": True},
        {"indicator": "幼儿园数", "value": 581, "unit": "所", "year": 2015, "place": "葫芦岛市",
         "status": "achieved", "about": None, "quote": "全市有幼儿园581所"},
    ],
)


def observation_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    xc = ent(g, "Place", "兴城市", "兴城", key="211481")
    hld = ent(g, "Place", "葫芦岛市", "葫芦岛", key="211400")
    # 15000 平方米 == 1.5 万平方米; indicator overlaps and quote is contained
    obs(g, "p0", "校舍维修面积", "15000", "平方米", text="兴城市维修校舍面积1.5万 平方米。",
        year=2015, status="target", place=xc)
    # 0.136 亿元 == 1360 万元; indicator too different, found by quote only
    obs(g, "p1", "资金", "0.136", "亿元", text="全年落实项目资金1360万，用于实训基地建设。",
        year=2014, status="achieved", place=hld)
    # found by character overlap (4/8 of gold, 4/4 of pred); no place given
    obs(g, "p2", "毛入园率", "90", "%", text="毛入园率达到九成。", status="achieved")
    # a duplicate: the gold observation is already taken
    obs(g, "p3", "毛入园率", "90.0", "%", text="另一句。", status="achieved")
    # matches the optional gold observation: leaves both counts
    obs(g, "p4", "排名", "2", "名", text="兴城获得全省第二名。")
    # same value and unit, but neither indicator nor quote agree
    obs(g, "p5", "小学数", "581", "所", text="全市有小学581所。")
    # right indicator and value, wrong unit family
    obs(g, "p6", "学前三年毛入园率", "90", "所", text="学前三年毛入园率接近90%")
    return g


def test_observations_exact_scores_and_accuracies():
    s = score_document(observation_graph(), OBS_GOLD)
    c = s.observations
    assert (c.gold, c.pred, c.found, c.correct) == (4, 6, 3, 3)
    close(c, 0.5, 0.75, 0.6)
    acc = s.accuracy
    assert (acc["year"].correct, acc["year"].n) == (2, 3)  # p1 has 2014; p2: both None
    assert (acc["status"].correct, acc["status"].n) == (2, 3)  # p0 says target
    assert (acc["place"].correct, acc["place"].n) == (2, 3)  # p2 has no place
    assert [m["indicator"] for m in s.misses["missed_observations"]] == ["幼儿园数"]
    assert sorted(m["indicator"] for m in s.misses["spurious_observations"]) == [
        "学前三年毛入园率",
        "小学数",
        "毛入园率",
    ]
    assert s.misses["wrong_year"] == [
        {"indicator": "职业教育项目资金", "value": "1360", "unit": "万元", "gold": 2015, "predicted": 2014}
    ]
    assert s.misses["wrong_status"][0]["gold"] == "achieved"
    assert s.misses["wrong_status"][0]["predicted"] == "target"
    assert s.misses["wrong_place"][0] == {
        "indicator": "学前三年毛入园率", "value": "90", "unit": "%", "gold": "葫芦岛市", "predicted": None,
    }


def test_spurious_evidence_text_is_truncated():
    g = rdflib.Graph()
    obs(g, "x", "某指标", "1", "所", text="字" * 100)
    s = score_document(g, gold())
    assert s.misses["spurious_observations"][0]["text"] == "字" * 60
    assert s.observations.pred == 1 and s.observations.precision == 0.0


def test_observation_quote_match_preferred_over_overlap():
    gd = gold(observations=[
        {"indicator": "初中学校数", "value": 104, "unit": "所", "year": None, "place": None,
         "status": None, "about": None, "quote": "全市104所初中学校"},
        {"indicator": "高中学校数", "value": 104, "unit": "所", "year": None, "place": None,
         "status": None, "about": None, "quote": "高中104所学校"},
    ])
    g = rdflib.Graph()
    # indicator equals the first gold's, but the sentence holds the second's quote
    obs(g, "a", "初中学校数", "104", "所", text="其中高中104所学校。")
    s = score_document(g, gd)
    assert (s.observations.found, s.observations.correct) == (1, 1)
    assert [m["indicator"] for m in s.misses["missed_observations"]] == ["初中学校数"]


def test_observation_matching_is_one_to_one_best_first():
    gd = gold(observations=[
        {"indicator": "高中毛入学率", "value": 90, "unit": "%", "year": None, "place": None,
         "status": None, "about": None, "quote": "无此句"},
        {"indicator": "初中毛入学率", "value": 90, "unit": "%", "year": None, "place": None,
         "status": None, "about": None, "quote": "无此句"},
    ])
    g = rdflib.Graph()
    obs(g, "a", "毛入学率", "90", "%")  # overlaps both golds (4/6, 4/4)
    obs(g, "b", "高中毛入学率", "90", "%")  # exact for the first gold
    s = score_document(g, gd)
    c = s.observations
    assert (c.gold, c.pred, c.found, c.correct) == (2, 2, 2, 2)
    # one prediction can only be used once
    g2 = rdflib.Graph()
    obs(g2, "a", "毛入学率", "90", "%")
    c2 = score_document(g2, gd).observations
    assert (c2.found, c2.correct) == (1, 1)


# --- aggregation, formatting, evaluate ----------------------------------------


def test_aggregate_is_micro_averaged():
    a, b = DocScore("a.txt"), DocScore("b.txt")
    a.entities["Place"] = Counts(gold=2, pred=2, found=2, correct=2)
    b.entities["Place"] = Counts(gold=8, pred=4, found=2, correct=1)
    a.observations = Counts(gold=1, pred=1, found=1, correct=1)
    b.observations = Counts(gold=3, pred=1, found=0, correct=0)
    a.accuracy["year"].add(True)
    b.accuracy["year"].add(False)
    b.accuracy["year"].add(False)
    r = aggregate([a, b])
    close(r.entities["Place"], 3 / 6, 4 / 10, 2 * 0.5 * 0.4 / 0.9)  # not (1 + .25) / 2
    close(r.entities_all, 0.5, 0.4, 2 * 0.5 * 0.4 / 0.9)
    close(r.observations, 0.5, 0.25, 2 * 0.5 * 0.25 / 0.75)
    assert r.accuracy["year"].value == pytest.approx(1 / 3)
    d = r.as_dict()
    assert d["entities"]["all"]["recall"] == pytest.approx(0.4)
    assert d["accuracy"]["year"]["n"] == 3
    json.dumps(d, ensure_ascii=False)


def test_format_rows_and_misses():
    scores = [
        score_document(entity_graph(), ENTITY_GOLD),
        score_document(observation_graph(), {**OBS_GOLD, "document": "obs.txt"}),
    ]
    r = aggregate(scores)
    text = r.format()
    lines = text.splitlines()
    for row in ("Agency", "Person", "entities (all)", "implements", "cooperatesWith",
                "relations (all)", "observations"):
        assert any(line.startswith(row) for line in lines), row
    ent_row = next(line for line in lines if line.startswith("entities (all)"))
    # micro: doc.txt 5/8 correct, 4/5 found; obs.txt adds two found places
    assert ent_row.split()[-3:] == ["0.700", "0.857", "0.771"]
    obs_row = next(line for line in lines if line.startswith("observations"))
    assert obs_row.split()[-3:] == ["0.500", "0.750", "0.600"]
    assert any(line.startswith("year accuracy") and "0.667" in line and "n=3" in line for line in lines)
    assert "status accuracy" in text and "place accuracy" in text
    assert "兴城市" not in text  # misses only on request
    full = r.format(misses=True)
    assert "== doc.txt" in full and "== obs.txt" in full
    assert "Place: 兴城市" in full and "幼儿园数" in full and "龙港区" in full
    json.dumps(r.as_dict(), ensure_ascii=False)


def test_evaluate_end_to_end(tmp_path: Path):
    gold_dir, docs = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs.mkdir()
    (gold_dir / "FORMAT.md").write_text("# not gold\n", encoding="utf-8")
    (gold_dir / "a.json").write_text(json.dumps(ENTITY_GOLD, ensure_ascii=False), encoding="utf-8")
    (docs / "doc.txt").write_text("text", encoding="utf-8")
    built: list[Path] = []
    seen: list[str] = []

    def build(p: Path) -> rdflib.Graph:
        built.append(p)
        return entity_graph()

    r = evaluate(gold_dir, docs, build, progress=seen.append)
    assert built == [docs / "doc.txt"] and seen == ["doc.txt"]
    close(r.entities_all, 5 / 8, 4 / 5, 2 * (5 / 8) * (4 / 5) / (5 / 8 + 4 / 5))

    (docs / "doc.txt").unlink()
    with pytest.raises(GoldError, match="a.json.*doc.txt"):
        evaluate(gold_dir, docs, build)


def test_load_gold_errors_name_the_file(tmp_path: Path):
    (tmp_path / "ok.json").write_text(json.dumps(gold()), encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [g.path.name for g in load_gold(tmp_path)] == ["ok.json"]

    (tmp_path / "broken.json").write_text('{"document": "x.txt", ', encoding="utf-8")
    with pytest.raises(GoldError, match="broken.json"):
        load_gold(tmp_path)
    (tmp_path / "broken.json").write_text(json.dumps({"document": "x.txt", "entities": []}), encoding="utf-8")
    with pytest.raises(GoldError, match="broken.json.*relations"):
        load_gold(tmp_path)
    bad_obs = gold(observations=[{"indicator": "x", "value": "XX", "unit": "所"}])
    (tmp_path / "broken.json").write_text(json.dumps(bad_obs), encoding="utf-8")
    with pytest.raises(GoldError, match="broken.json.*observations\\[0\\]"):
        load_gold(tmp_path)
    with pytest.raises(GoldError):
        load_gold(tmp_path / "missing")


@pytest.mark.skipif(not REAL_GOLD.is_dir(), reason="shared gold not available")
def test_real_gold_against_empty_graph():
    docs = load_gold(REAL_GOLD)
    assert docs
    r = aggregate(score_document(rdflib.Graph(), g.data) for g in docs)
    assert r.entities_all.gold > 0 and r.entities_all.recall == 0.0
    assert r.relations_all.gold > 0 and r.relations_all.recall == 0.0
    assert r.observations.gold > 0 and r.observations.recall == 0.0
    assert r.entities_all.pred == r.relations_all.pred == r.observations.pred == 0
    assert "entities (all)" in r.format(misses=True)
