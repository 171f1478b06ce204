"""The indicator vocabulary (ontology/indicators.ttl), linking, clean names, normalized values (issue 10)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.evaluate import score_document
from kg.graph import to_graph
from kg.indicators import SCHEME_IRI, Scheme, clean_name, key, normalize, unit_family
from kg.namespace import KG
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SCHEME = URIRef(SCHEME_IRI)

#: words that never belong in an indicator's name: verbs of action that head a clause, adverbs,
#: target and status words, clause fragments, placeholders
BAD_WORDS = (
    "隆重", "严厉", "深入", "积极", "大力", "进一步", "先后", "分别", "切实", "扎实", "认真",
    "打造", "落实", "做好", "抓实", "抓好", "推动", "组织召开", "制定完善",
    "也由", "由原来", "每人每月", "XX", "了", "已",
)
#: target and status words: never at the start or end of a name (完成时间, 达到…标准 may be inside one)
BAD_EDGES = ("力争", "达到", "完成", "累计", "共", "争取", "确保", "预计", "降至", "增至", "减少到", "由")


def bad_label(label: str) -> bool:
    return (any(w in label for w in BAD_WORDS) or label.startswith(BAD_EDGES) or label.endswith(BAD_EDGES)
            or re.search(r"[、,(]$|^[、,)]", label) is not None)


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return Scheme.load()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


# ---------------------------------------------------------------- the vocabulary as data


def test_packaged_copy_is_the_ontology_file():
    assert (ROOT / "kg" / "data" / "indicators.ttl").read_bytes() == (ROOT / "ontology" / "indicators.ttl").read_bytes()


def test_generator_writes_the_committed_file(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_indicators", ROOT / "scripts" / "make_indicators.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.render() == (ROOT / "ontology" / "indicators.ttl").read_text(encoding="utf-8")


def test_scheme_has_at_least_150_concepts_each_complete():
    g = Graph().parse(ROOT / "ontology" / "indicators.ttl")
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g
    assert len(list(g.objects(SCHEME, URIRef("http://purl.org/dc/terms/source")))) >= 5  # named sources
    indicators = set(g.subjects(RDF.type, KG.Indicator))
    assert len(indicators) >= 150
    for c in indicators:
        assert (c, SKOS.inScheme, SCHEME) in g
        labels = list(g.objects(c, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "zh"
        assert list(g.objects(c, RDFS.label)) == labels
        assert g.value(c, KG.unitFamily) is not None
        broader = set(g.objects(c, SKOS.broader))
        assert any("indicator-group/kind/" in str(b) for b in broader), c  # its kind of measure
        for b in broader:
            assert (b, SKOS.inScheme, SCHEME) in g, b
    with_alts = [c for c in indicators if any(True for _ in g.objects(c, SKOS.altLabel))]
    assert len(with_alts) >= 0.8 * len(indicators)
    with_level = [c for c in indicators if any("indicator-group/level/" in str(b) for b in g.objects(c, SKOS.broader))]
    assert len(with_level) >= 100


def test_no_name_means_two_concepts(scheme):
    """Every label and altLabel, compared as documents are, names one concept of a unit family."""
    owners: dict[tuple[str, str], set[str]] = {}
    for c in scheme.concepts.values():
        for name in (c.label, *c.alt_labels):
            owners.setdefault((key(name), c.unit_family), set()).add(c.label)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert clashes == {}


def test_readme_names_the_sources():
    text = (ROOT / "ontology" / "INDICATORS.md").read_text(encoding="utf-8")
    for source in ("教育事业统计", "义务教育优质均衡发展督导评估", "学前教育普及普惠督导评估", "教育现代化监测", "教育经费统计"):
        assert source in text


# ---------------------------------------------------------------- linking


@pytest.mark.parametrize("words,unit,label", [
    ("学前三年毛入园率", "%", "学前三年毛入园率"),
    ("全市学前教育三年毛入学率", "%", "学前三年毛入园率"),
    ("学前教育毛入园率", "%", "学前三年毛入园率"),
    ("义务教育巩固率", "%", "九年义务教育巩固率"),
    ("新建、改扩建幼儿园数", "所", "新建改扩建幼儿园数"),
    ("小学专任教师人数", "人", "小学专任教师数"),
    ("初中在校学生数", "万人", "初中在校生数"),
    ("财政性教育经费", "亿元", "国家财政性教育经费"),
    ("教育经费投入", "万元", "教育经费总投入"),
    ("培训教师", "万人次", "培训教师人次"),
    ("普惠性幼儿园覆盖率", "%", "普惠性幼儿园覆盖率"),
    ("公办园在园幼儿占比", "%", "公办园在园幼儿占比"),
    ("小学生均公用经费", "元", "小学生均公用经费"),
])
def test_words_link_to_their_concept(scheme, words, unit, label):
    c = scheme.link(words, unit)
    assert c is not None and c.label == label


@pytest.mark.parametrize("words,unit", [
    ("学前三年毛入园率", "所"),  # a rate is never a count
    ("教育经费总投入", "%"),
    ("新建幼儿园数", "平方米"),
    ("召开会议数", "平方米"),
    ("学前三年毛入园率", "个百分点"),  # a change in points is a change, not the rate
])
def test_no_concept_outside_its_unit_family(scheme, words, unit):
    assert scheme.link(words, unit) is None


@pytest.mark.parametrize("words,unit,label", [
    # what is counted, in its unit family, when no concept names the figure
    ("校长园长在职提高远程培训", "人次", "培训人次"),
    ("认定市级课程改革示范校数", "所", "示范特色学校数"),
    ("参加质量监测初中学校数", "所", "项目覆盖学校数"),
    ("实施薄弱环节改善项目学校数", "个", "项目覆盖学校数"),  # 个 with a school's name counts schools
    ("排除安全隐患点", "处", "问题隐患数"),  # 处 without a school's name counts sites
    ("国际信息学奥赛金牌数", "枚", "奖牌数"),
    ("评选区级骨干班主任数", "名", "荣誉称号人数"),
    ("考入重点大学学生数", "人", "升学录取人数"),
    ("建设省级劳动教育实践基地数", "个", "基地平台数"),
    ("智慧校园建设投入", "万元", "建设项目投资"),
    ("职业教育项目资金", "万元", "专项资金投入"),
    ("困难学生生活补助", "万元", "资助补助资金"),
    ("维修改造校舍竣工面积", "万平方米", "维修改造校舍面积"),
    ("校园占地", "亩", "占地面积"),
    ("心理健康讲座", "场", "活动场次"),
    ("初中学生实践活动参与率", "%", "参与率"),
    ("教师年培训学时达标率", "%", "达标合格率"),
    ("九年义务教育巩固率比上年提高", "个百分点", "百分点变化"),
    ("中考总平均分全市排名", "名", "排名"),
    ("幼儿园数比上年增加", "所", "数量变化"),  # a change is not a level
    ("初二数", "个", "班级数"),  # 初二20个: a grade's classes
    ("被北京大学录取学生数", "人", "升学录取人数"),
    ("信息技术、通用技术数", "门", "专业课程数"),
    ("餐厅数", "座", "校舍栋数"),
    ("笔试占总成绩比例", "%", "比例"),
])
def test_a_figure_no_concept_names_links_to_its_kind_of_measure(scheme, words, unit, label):
    c, named = scheme.find(words, unit, rank=label == "排名")
    assert c is not None and c.label == label and not named


@pytest.mark.parametrize("words,unit", [
    ("新建幼儿园数", "万元"),  # a count read with a sum of money: no kind
    ("学前三年毛入园率", "个百分点"),  # a level in points is no change
    ("驻地", "米"),  # no family
    ("一间数", "平方米"),
])
def test_no_kind_outside_what_the_name_and_unit_say(scheme, words, unit):
    assert scheme.find(words, unit)[0] is None


def test_kinds_are_concepts_of_the_scheme(scheme):
    from kg.indicators import KIND_LABELS

    for label in KIND_LABELS:
        c = scheme.by_label(label)
        assert c is not None, label
        assert not bad_label(label), label


def test_a_figure_of_a_kind_keeps_its_own_name(pipeline):
    doc = pipeline.process_text("宜昌市教育局2020年工作总结\n全年培训校长园长2036人次,新建县级名师工作室12个。\n",
                                doc_id="yc-kind")
    obs = {str(o.value): o for o in doc.observations}
    scheme = Scheme.load()
    assert scheme.concepts[obs["2036"].concept].label == "培训人次"
    assert obs["2036"].indicator == obs["2036"].surface != "培训人次"
    g = to_graph([doc])
    node = next(o for o in g.subjects(RDF.type, KG.Observation) if str(g.value(o, KG.value)) == "2036")
    ind = g.value(node, KG.indicator)
    assert str(g.value(ind, RDFS.label)) == "培训人次" and (ind, SKOS.inScheme, SCHEME) in g
    assert Literal(obs["2036"].indicator, lang="zh") in set(g.objects(ind, SKOS.altLabel))


def test_a_ratio_written_with_a_colon_links(scheme):
    c = scheme.link("职普比", ":5.5")
    assert c is not None and c.label == "职普比"


def test_a_percentage_of_no_rate_is_named_a_share(pipeline):
    doc = pipeline.process_text("宜昌市教育局2020年工作总结\n全市小学免试就近入学达到100%,笔试成绩占总成绩60%。\n",
                                doc_id="yc-share")
    names = {str(o.value): (o.indicator, o.surface) for o in doc.observations}
    assert names["100"][0].endswith("免试就近入学比例")
    assert names["60"][0].endswith("比例")


def test_unit_families_and_normalized_values():
    assert unit_family("亿元") == unit_family("万元") == "元"
    assert unit_family("名") == unit_family("万人") == "人"
    assert unit_family("万平方米") == unit_family("㎡") == "平方米"
    assert unit_family("个百分点") is None
    assert normalize(Decimal("29.74"), "亿元") == (Decimal("2974000000"), "元")
    assert normalize(Decimal("1.2"), "亿元")[0] == normalize(Decimal("12000"), "万元")[0]
    assert normalize(Decimal("1.5"), "万平方米") == (Decimal("15000"), "平方米")
    assert normalize(Decimal("3000"), "名") == (Decimal("3000"), "人")
    assert normalize(Decimal("2"), "名", rank=True) == (Decimal("2"), "名")
    assert normalize(Decimal("95"), "%") == (Decimal("95"), "%")


# ---------------------------------------------------------------- clean names


@pytest.mark.parametrize("words,clean", [
    ("学前三年毛入园率力争", "学前三年毛入园率"),
    ("中小学班主任津贴标准也由原来的每人每月", "中小学班主任津贴标准"),
    ("20XX年全局性会议压缩", "全局性会议压缩"),
    ("有幼儿园数", "幼儿园数"),
    ("累计完成投资", "投资"),
    ("打造城乡普惠性幼儿园数", "城乡普惠性幼儿园数"),
    ("课后服务有需求学生参与率", "课后服务有需求学生参与率"),
    ("教育从业人员数", "教育从业人员数"),
    ("发放各类学生资助资金", "学生资助资金"),
    ("组建实验小学、第一中学等教育集团", "组建教育集团"),
    ("新建第十幼儿园等公办幼儿园", "新建公办幼儿园"),
    ("优质课一等奖获得者", "优质课一等奖获得者"),
    ("学校现有专任教师", "专任教师"),
    ("驻葫高校在校学生数量", "驻葫高校在校学生数"),
])
def test_clean_name(words, clean):
    assert clean_name(words) == clean


CLAUSES = """葫芦岛市教育局2016年工作会议讲话
一、2015年工作回顾
隆重表彰了176名优秀人员。严厉查处违规补课教师12人。组织召开首届德育品牌表彰会,表彰德育品牌10个。
中小学班主任津贴标准也由原来的每人每月50元提高到每人每月100元。
组建实验小学教育集团、第一中学教育集团等5个教育集团。拆除D级危房3处,面积1200平方米。
全县课后服务覆盖率达100%,学生参与率达95%。
二、2016年工作安排
学前三年毛入园率力争达到92%,教育经费投入力争达到12亿元。
"""


def test_clause_words_stay_out_of_names(pipeline):
    doc = pipeline.process_text(CLAUSES, doc_id="clauses")
    names = {(str(o.value), o.unit): o.indicator for o in doc.observations}
    assert names[("176", "名")] == "表彰优秀人员数" or names[("176", "名")] == "优秀人员数"
    assert names[("100", "元")] == "中小学班主任津贴标准"
    assert names[("5", "个")] == "组建教育集团数" or names[("5", "个")] == "教育集团数"
    assert names[("1200", "平方米")] == "拆除D级危房面积"
    assert names[("95", "%")] == "课后服务学生参与率"
    assert names[("92", "%")] == "学前三年毛入园率"
    assert names[("12", "亿元")] == "教育经费总投入"
    for o in doc.observations:
        assert not bad_label(o.indicator), o.indicator


@pytest.mark.parametrize("sentence,value,name", [
    # a change names its base (比上年提高, 比2010年增加), a yearly rate its 年均
    ("全市学前三年毛入园率达到89.6%,比上年提高2.1个百分点。", "2.1", "学前三年毛入园率比上年提高"),
    ("全市有幼儿园581所,比2010年增加了232所。", "232", "幼儿园数比2010年增加"),
    ("2020年高考本科上线6832人,较上年增加521人。", "521", "高考本科上线人数比上年增加"),
    ("全年教育经费投入9.86亿元,同比增长6.3%。", "6.3", "教育经费投入增长率"),
    # the subject written after the number and its verb
    ("371个优秀课例获省表彰。", "371", "获省表彰优秀课例数"),
    ("4500名教师取得了中、高级职称资格。", "4500", "取得中高级职称资格教师数"),
    ("5名教师获评“江西省最美教师”。", "5", "获评江西省最美教师人数"),
    ("2位老师被评为浙江省特级教师。", "2", "浙江省特级教师人数"),
    ("全区52所义务教育学校课后服务实现全覆盖,学生参与率达到97.2%,教师参与率达到95%。", "52", "课后服务覆盖义务教育学校数"),
    ("全区52所义务教育学校课后服务实现全覆盖,学生参与率达到97.2%,教师参与率达到95%。", "95", "课后服务教师参与率"),
    # a list of figures, each named by the noun after its number; a quoted title chosen
    ("共评选了14名“名校长、名园长”、21名“名班主任”、28名“名教师”。", "21", "名班主任评选人数"),
    ("评选第三届长治市“太行名师”30名、“长治市骨干教师”300名。", "30", "太行名师评选人数"),
    # level of schooling + measure
    ("全县义务教育阶段生均公用经费小学达到1050元、初中达到1450元。", "1050", "小学生均公用经费"),
    ("全县义务教育阶段生均公用经费小学达到1050元、初中达到1450元。", "1450", "初中生均公用经费"),
    ("小学、初中生均教学仪器设备值分别为3260元和4180元。", "4180", "初中生均教学仪器设备值"),
    # a bare kind of figure takes the program of its sentence
    ("实施农村义务教育学生营养改善计划,受益学生9.3万人。", "9.3", "营养改善计划受益学生数"),
    ("2021年全县有义务教育学校31所,在校学生42816人。", "42816", "在校生数"),
    ("深入开展心理健康教育,全年开展心理健康讲座480余场。", "480", "心理健康讲座场次"),
    # words of how, for whom or where are not what is counted; 的 between two nouns goes
    ("面向全国公开招聘教师120名。", "120", "公开招聘教师数"),
    ("实施国培计划项目12个。", "12", "国培计划项目数"),
    ("困难家庭学生的助学贷款覆盖面达到100%。", "100", "困难家庭学生助学贷款覆盖面"),
    ("优质高中资源占全市普通高中总数的63%。", "63", "优质高中资源占普通高中总数比例"),
    ("隆重表彰了56名优秀教师。", "56", "表彰优秀教师数"),
    ("共评选了12名“骨干教师、学科带头人”。", "12", "骨干教师、学科带头人评选人数"),
    ("2020年学前三年毛入园率比2019年提高3个百分点。", "3", "学前三年毛入园率比2019年提高"),
    ("“十三五”时期,全面落实各项资助政策,惠及学生11.3万人次。", "11.3", "惠及学生人次"),
    # a level or grade alone counts what the figure before counted; a medal or a device is counted
    ("共有96个教学班,其中初中62个(初一20个;初二20个)。", "62", "初中教学班数"),
    ("共有96个教学班,其中初中62个(初一20个;初二21个)。", "21", "初二教学班数"),
    ("学生获国际信息学奥赛金牌4枚。", "4", "国际信息学奥赛金牌数"),
    ("新增29个贯通培养试点专业。", "29", "新增贯通培养试点专业数"),
    ("查处有偿补课在职教师12人。", "12", "查处有偿补课在职教师数"),
    # a school's profile: what it has, where it is, how large its buildings are
    ("本校有24个正规班房。", "24", "正规班房数"),
    ("本校礼堂设有大型电动银幕2组。", "2", "礼堂大型电动银幕数"),
    ("学校具有本科学历教师173人。", "173", "本科学历教师数"),
    ("科技楼4468㎡,综艺楼一座7807㎡。", "7807", "综艺楼建筑面积"),
    ("校园占地201亩。", "201", "校园占地面积"),
    # the subject after the number, its honour or award (a list of them, each with its number)
    ("有3位老师被评为省名师培养对象、4位老师被评为市名师培养对象。", "4", "市名师培养对象人数"),
    ("2位老师获优质课全国一等奖。", "2", "优质课全国一等奖获奖教师数"),
    ("32人进入国家集训队。", "32", "进入国家集训队人数"),  # persons counted after what they did: 人数
    ("我校学生的入学率达到100%。", "100", "学生入学率"),
    ("他们在五大学科奥赛全国决赛中共获得67枚金牌。", "67", "五大学科奥赛全国决赛金牌数"),  # the prize, of its contest
    ("学生在省艺术展演中获得12个一等奖。", "12", "省艺术展演一等奖数"),
    ("全年维修加固C级险房42所,加固校舍3.9万平方米。", "3.9", "加固校舍面积"),  # an area is an area
    # places added after a count of schools of one level are that level's places
    ("新建、改扩建幼儿园25所,新增学位7500个。", "7500", "新增学前教育学位数"),
    ("新建、改扩建义务教育学校100所,新增学位8万个。", "8", "新增义务教育学位数"),
    ("新建、改扩建中小学和幼儿园21所,新增学位1.9万个。", "1.9", "新增学位数"),
    ("城区大班额比例由2019年的18.3%下降到4.6%。", "4.6", "城区大班额比例"),  # 城区 is part of what is measured
    ("培养区级名师、名校长32名。", "32", "培养区级名师名校长数"),  # one pair of titles
    # a rule's bound is named as one; a target (控制在…以内, 降至) is not a bound
    ("非英语语种的教师年龄可放宽至55周岁。", "55", "非英语语种教师年龄上限"),
    ("同一学校推荐人数不超过2名。", "2", "同一学校推荐人数上限"),
    ("乡村教师生活补助每人每月300元至500元。", "300", "乡村教师生活补助下限"),
    ("乡村教师生活补助每人每月300元至500元。", "500", "乡村教师生活补助上限"),
    ("全县大班额由2020年的38个降至0个。", "0", "大班额数"),
    # one figure of a list of measures or of schools
    ("职业学校优质就业率、就业满意率分别达到98%和95%。", "98", "职业学校优质就业率"),
    ("职业学校优质就业率、就业满意率分别达到98%和95%。", "95", "职业学校就业满意率"),
    ("第一中学、第二中学本科上线率分别为92.3%、85.1%。", "85.1", "第二中学本科上线率"),
    ("甲镇中心学校、乙镇中心学校生均体育运动场馆面积均达到8.2平方米。", "8.2", "生均体育运动场馆面积"),
])
def test_names_read_from_the_clause(pipeline, sentence, value, name):
    doc = pipeline.process_text(sentence, doc_id="one")
    names = {str(o.value): (o.indicator, o.surface) for o in doc.observations}
    assert name in names[value], names


def test_target_and_achieved_values_share_one_indicator(pipeline):
    doc = pipeline.process_text(CLAUSES + "2015年全市学前三年毛入园率达到90%。\n", doc_id="clauses2")
    g = to_graph([doc])
    rate = [o for o in g.subjects(RDF.type, KG.Observation)
            if str(g.value(g.value(o, KG.indicator), RDFS.label)) == "学前三年毛入园率"]
    assert {str(g.value(o, KG.status)) for o in rate} == {"achieved", "target"}
    assert len({g.value(o, KG.indicator) for o in rate}) == 1


# ---------------------------------------------------------------- the graph


def test_graph_indicator_is_the_concept_with_labels_broader_and_normalized_values(pipeline):
    doc = pipeline.process_text("宜昌市教育局2020年工作总结\n2020年全市教育经费投入29.74亿元,小学专任教师1.2万人。\n",
                                doc_id="yc-money")
    g = to_graph([doc])
    money = next(o for o in g.subjects(RDF.type, KG.Observation) if str(g.value(o, KG.unit)) == "亿元")
    ind = g.value(money, KG.indicator)
    assert (ind, SKOS.inScheme, SCHEME) in g and (ind, RDF.type, KG.Indicator) in g
    assert g.value(ind, RDFS.label) == Literal("教育经费总投入", lang="zh") == g.value(ind, SKOS.prefLabel)
    assert Literal("教育经费投入", lang="zh") in set(g.objects(ind, SKOS.altLabel))  # the document's words
    assert g.value(money, KG.normalizedValue).toPython() == Decimal("2974000000")
    assert str(g.value(money, KG.normalizedUnit)) == "元"
    teachers = next(o for o in g.subjects(RDF.type, KG.Observation) if str(g.value(o, KG.unit)) == "万人")
    t_ind = g.value(teachers, KG.indicator)
    assert str(g.value(t_ind, RDFS.label)) == "小学专任教师数"
    broader = {str(g.value(b, SKOS.prefLabel)) for b in g.objects(t_ind, SKOS.broader)}
    assert {"专任教师数", "小学", "规模"} <= broader
    assert g.value(teachers, KG.normalizedValue).toPython() == Decimal("12000")


def test_graph_with_indicators_conforms_to_the_shapes(pipeline):
    from kg.validate import validate

    doc = pipeline.process_text(CLAUSES, doc_id="clauses-shapes")
    report = validate(to_graph([doc]))
    assert report.conforms, report.violations[:3]


# ---------------------------------------------------------------- eval: naming and linking


def test_eval_reports_naming_and_linking(pipeline):
    doc = pipeline.process_text("宜昌市教育局2020年工作总结\n2020年全市学前教育三年毛入学率达到91.2%,召开现场会3次。\n",
                                doc_id="yc-eval")
    gold = {"document": "yc-eval.txt", "entities": [], "relations": [], "observations": [
        {"indicator": "学前三年毛入园率", "value": 91.2, "unit": "%", "year": 2020, "place": None, "status": "achieved"},
        {"indicator": "召开现场会次数", "value": 3, "unit": "次", "year": 2020, "place": None, "status": "achieved"},
    ]}
    s = score_document(to_graph([doc]), gold)
    assert s.observations.found == 2
    assert (s.naming.correct, s.naming.n) == (1, 2)  # the concept's label; 现场会次数 is not the gold's name
    assert (s.linked.correct, s.linked.n) == (2, 2)  # 现场会 3次 is one of the 活动场次
    assert s.misses["wrong_indicator_name"][0]["gold"] == "召开现场会次数"


# ---------------------------------------------------------------- over all builds


SETS = [("seeds", ROOT / "seeds")] + [(f"devset{n}", ROOT / "eval" / f"devset{n}" / "docs") for n in range(1, 6)] + [
    ("real", ROOT / "eval" / "real" / "docs")]


@pytest.fixture(scope="module")
def all_builds(pipeline) -> dict[str, Graph]:
    from kg.ingest import iter_inputs

    out = {}
    for name, folder in SETS:
        docs = [pipeline.process(p) for p in sorted(iter_inputs([folder]))]
        out[name] = to_graph(docs)
    return out


def test_no_indicator_label_holds_a_bad_word(all_builds):
    bad = []
    for name, g in all_builds.items():
        for ind in set(g.objects(None, KG.indicator)):
            label = str(g.value(ind, RDFS.label))
            if bad_label(label):
                bad.append((name, label))
    assert bad == []


def test_seed_build_has_at_most_half_as_many_indicators_as_observations(all_builds):
    g = all_builds["seeds"]
    observations = set(g.subjects(RDF.type, KG.Observation))
    indicators = set(g.subjects(RDF.type, KG.Indicator))
    assert len(indicators) * 2 <= len(observations), (len(indicators), len(observations))


def test_series_of_an_indicator_from_several_places(all_builds):
    from kg.query import bind_params, find_query, query

    union = Graph()
    for name, g in all_builds.items():
        if name != "real":
            union += g
    path = find_query("indicator_series")
    assert path is not None
    res = query(union, bind_params(path.read_text(encoding="utf-8"), {"indicator": "学前教育毛入园率"}))
    rows = res.dicts()
    assert {r["indicatorLabel"] for r in rows} == {"学前三年毛入园率"}
    assert len({r.get("placeLabel") for r in rows if r.get("placeLabel")}) >= 3
    assert {r["status"] for r in rows if r.get("status")} == {"achieved", "target"}
