"""Observations: indicator, value, unit, year, status and place of each number.

Texts are written for these tests: a 2019 work plan of 苏州市教育局 (review
and plan sections) and a 2021 county meeting speech of 固始县 (河南).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.graph import to_graph
from kg.namespace import KG
from kg.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def obs(doc, value: str, unit: str | None = None):
    hits = [o for o in doc.observations if o.value == Decimal(value) and (unit is None or o.unit == unit)]
    assert len(hits) == 1, f"{value}{unit or ''}: {[(o.indicator, str(o.value), o.unit) for o in doc.observations]}"
    return hits[0]


def assert_named(doc, wants: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Each (name, value) of ``wants`` is a figure of ``doc`` under that name of its own (the surface
    form, else the Indicator's); returns them all."""
    names = {(o.surface or o.indicator, str(o.value)) for o in doc.observations}
    for want in wants:
        assert want in names, (want, sorted(names))
    return names


SUZHOU_PLAN = """苏州市教育局2019年工作计划
一、2018年工作回顾
全市新建公办幼儿园15所。
昆山市新增义务教育学位1.8万个。
二、2019年重点工作
力争到2025年全市学前三年毛入园率达到99.5%。
全市计划培训中小学教师3000人次。
"""


@pytest.fixture(scope="module")
def plan(pipeline):
    return pipeline.process_text(SUZHOU_PLAN, doc_id="sz-plan-obs")


GUSHI_SPEECH = """固始县2021年全县教育工作会议讲话
去年全县九年义务教育巩固率达到96.8%。
全县教育经费投入5.6亿元,比2018年增加3.2亿元。
今年全县将新建幼儿园8所。
全县学生体质健康合格率稳定在95%以上。
今年全县XX所学校通过评估,XXX名教师参加培训。
"""


@pytest.fixture(scope="module")
def speech(pipeline):
    return pipeline.process_text(GUSHI_SPEECH, doc_id="gushi-speech-obs")


# ---------------------------------------------------------------- review and plan


def test_review_section_number_is_achieved_in_section_year(plan):
    o = obs(plan, "15", "所")
    assert o.indicator == "新建公办幼儿园数"
    assert o.year == 2018
    assert o.status == "achieved"
    assert o.place == "place:320500"
    assert not o.change


def test_plan_sentence_is_target_with_its_year(plan):
    o = obs(plan, "99.5", "%")
    assert o.status == "target"
    assert o.year == 2025
    assert o.place == "place:320500"


def test_plan_indicator_has_no_plan_words_or_year(plan):
    o = obs(plan, "99.5", "%")
    assert o.indicator == "学前三年毛入园率"


def test_plan_section_number_is_target(plan):
    o = obs(plan, "3000", "人次")
    assert o.status == "target"
    assert o.year == 2019
    assert "教师" in o.indicator and "培训" in o.indicator


# ---------------------------------------------------------------- relative years


def test_last_year_resolves_against_the_meeting_year(speech):
    assert speech.year == 2021
    o = obs(speech, "96.8", "%")
    assert o.year == 2020
    assert o.status == "achieved"
    assert o.indicator == "九年义务教育巩固率"


def test_this_year_plan(speech):
    o = obs(speech, "8", "所")
    assert o.year == 2021
    assert o.status == "target"
    assert o.indicator == "新建幼儿园数"


# ---------------------------------------------------------------- changes and qualifiers


def test_level_before_a_change(speech):
    o = obs(speech, "5.6", "亿元")
    assert o.indicator == "教育经费总投入" and o.surface == "教育经费投入"  # the vocabulary's concept, the text's words
    assert not o.change
    assert o.place == "place:411525"


def test_change_with_base_year(speech):
    o = obs(speech, "3.2", "亿元")
    assert o.change is True
    assert o.base_year == 2018
    assert o.unit == "亿元"


def test_change_measures_the_indicator_of_the_clause_before(speech):
    o = obs(speech, "3.2", "亿元")
    assert o.indicator.startswith("教育经费"), o.indicator
    # the name says its base (as the gold writes it: …比2018年增加额); the Indicator is the kind of
    # change, so the base year does not make a measure of its own
    assert o.indicator == "教育经费投入比2018年增加额" and o.base_year == 2018
    from kg.indicators import Scheme
    assert Scheme.load().concepts[o.concept].label == "经费增加额"


def test_percentage_with_at_least_qualifier(speech):
    o = obs(speech, "95", "%")
    assert o.qualifier == "atLeast"
    assert o.indicator == "学生体质健康达标率" and o.surface == "学生体质健康合格率"


def test_placeholders_yield_no_observation(speech):
    assert not [o for o in speech.observations if o.unit in ("所", "名") and "学校" in o.indicator]
    assert not [o for o in speech.observations if o.unit == "名"]
    assert all(o.value != Decimal(0) for o in speech.observations)


def test_numbers_in_placeholder_document(pipeline):
    doc = pipeline.process_text(
        "XX县教育局20XX年工作总结\n全县共有中小学XX所,在校学生XX万人,教育经费投入X.X亿元。",
        doc_id="placeholder-numbers",
    )
    assert doc.observations == []


# ---------------------------------------------------------------- places


def test_place_named_before_the_number(plan):
    o = obs(plan, "1.8")
    assert o.place == "place:320583"
    assert o.unit == "万个"
    assert o.indicator == "新增义务教育学位数"


def test_home_place_is_the_default(plan, speech):
    assert obs(plan, "15", "所").place == "place:320500"
    assert obs(speech, "96.8", "%").place == "place:411525"


def test_county_in_a_city_document(pipeline):
    doc = pipeline.process_text(
        "信阳市教育局2020年工作总结\n固始县新建农村寄宿制学校12所,全市新建农村寄宿制学校45所。",
        doc_id="xinyang-obs",
    )
    assert obs(doc, "12", "所").place == "place:411525"
    assert obs(doc, "45", "所").place == "place:411500"
    assert obs(doc, "12", "所").indicator == obs(doc, "45", "所").indicator == "新建农村寄宿制学校数"


# ---------------------------------------------------------------- evidence and graph


def test_observation_evidence_is_its_sentence(plan, speech):
    for doc in (plan, speech):
        assert doc.observations
        for o in doc.observations:
            e = o.evidence
            assert doc.text[e.start:e.end] == e.text
            assert any(s.start == e.start and s.end == e.end for s in doc.sentences)


def test_same_indicator_across_documents_is_one_node(pipeline):
    a = pipeline.process_text(
        "苏州市教育局2019年工作总结\n2019年全市学前三年毛入园率达到98.6%。", doc_id="sz-2019-ratio"
    )
    b = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n2020年,宜昌市学前三年毛入园率为91.2%。", doc_id="yc-2020-ratio"
    )
    assert obs(a, "98.6", "%").indicator == obs(b, "91.2", "%").indicator == "学前三年毛入园率"
    g = to_graph([a, b])
    label = Literal("学前三年毛入园率", lang="zh")
    indicators = {s for s in g.subjects(RDFS.label, label) if (s, RDF.type, KG.Indicator) in g}
    assert len(indicators) == 1
    (ind,) = indicators
    observations = set(g.subjects(KG.indicator, ind))
    assert len(observations) == 2
    years = {str(g.value(o, KG.year)) for o in observations}
    assert years == {"2019", "2020"}
    places = {str(g.value(o, KG.locatedIn)).rsplit("/", 1)[-1] for o in observations}
    assert places == {"320500", "420500"}


ZHEJIANG_PLAN = """浙江省教育厅2022年工作要点
一、加强保障
5.实施“浙派名师”培养工程,培养省级名师200名。
6.2021年全省教育经费总投入2350亿元,比上年增长8.5%。
"""


def test_last_years_figures_in_a_plan_are_results(pipeline):
    doc = pipeline.process_text(ZHEJIANG_PLAN, doc_id="zj-plan")
    money = obs(doc, "2350", "亿元")
    assert money.year == 2021 and money.status == "achieved"
    assert obs(doc, "200", "名").status == "target"


def test_list_number_before_a_year_is_no_quantity(pipeline):
    doc = pipeline.process_text(ZHEJIANG_PLAN, doc_id="zj-plan")
    assert all(o.unit != "年" for o in doc.observations)
    assert not obs(doc, "2350", "亿元").indicator.startswith(("6", "2021"))


def test_rank_names_its_scope_and_keeps_the_ranked_place(pipeline):
    doc = pipeline.process_text(
        "宜昌市2020年教育工作总结\n一、工作回顾\n夷陵区以全省第三名的成绩通过义务教育优质均衡评估。全市高考本科上线率达到92.3%,位居全省第二。",
        doc_id="ranks")
    third = obs(doc, "3", "名")
    assert third.indicator.endswith("全省排名") and doc.entities[third.place].name == "夷陵区"
    second = obs(doc, "2", "名")
    assert second.indicator == "高考本科上线率全省排名" and doc.entities[second.place].name == "宜昌市"


def test_thresholds_are_not_observations(pipeline):
    doc = pipeline.process_text("盐城市教育局2023年工作要点\n全面消除56人以上大班额,学前三年毛入园率达到98%以上。", doc_id="yc")
    assert [str(o.value) for o in doc.observations] == ["98"]


def test_this_year_in_the_clause_beats_a_year_earlier_in_the_sentence(pipeline):
    doc = pipeline.process_text(
        "隆回县2022年教育工作会议讲话\n二、2022年工作安排\n到2025年全县普惠性幼儿园覆盖率达到90%,今年力争达到80%。", doc_id="lh")
    assert obs(doc, "90", "%").year == 2025
    assert obs(doc, "80", "%").year == 2022 and obs(doc, "80", "%").status == "target"


def test_a_notice_states_targets(pipeline):
    doc = pipeline.process_text(
        "江西省教育厅关于印发2023年基础教育重点工作任务的通知\n全省义务教育学校课后服务覆盖率保持100%。", doc_id="jx")
    assert obs(doc, "100", "%").status == "target"


def test_program_names_and_titles_do_not_set_status_or_year(pipeline):
    doc = pipeline.process_text(
        "曲靖市2020年教育工作总结\n全年通过“特岗计划”招聘特岗教师420名。"
        "深入实施《曲靖市第三期学前教育行动计划(2018—2020年)》,全年新建公办幼儿园46所。", doc_id="qj")
    teachers = obs(doc, "420", "名")
    assert teachers.status == "achieved"
    assert obs(doc, "46", "所").year == 2020 and obs(doc, "46", "所").status == "achieved"


def test_durations_naming_a_kind_are_not_observations(pipeline):
    doc = pipeline.process_text("伊金霍洛旗2021年工作要点\n全面落实学前教育至高中阶段15年免费教育政策,新建幼儿园3所。", doc_id="yjhl")
    assert [str(o.value) for o in doc.observations] == ["3"]


def test_a_deadline_states_a_target(pipeline):
    doc = pipeline.process_text(
        "安吉县2021年义务教育督导报告\n一、督导发现\n于2022年底前完成运动场扩建,新增体育运动场地面积3200平方米。", doc_id="deadline")
    assert obs(doc, "3200", "平方米").status == "target"


# --------------------------------------------------------------------------- #
# rules a notice sets, plan figures, time expressions, the clause's own actor, national figures

NOTICE = """某某市教育局关于规范中小学办学行为的通知
发布日期:2022-08-20
各区教育局:
一、严格控制班额。城区小学每班学生人数不超过45人,初中每班不超过50人。
二、保障体育活动。学校要保证学生每天校园体育活动时间不少于1小时。
三、每所学校至少配备1名专职心理健康教师。
四、今年秋季开学,全市新增公办学位8000个。
"""


def test_rules_and_limits_a_notice_sets_are_targets(pipeline):
    doc = pipeline.process_text(NOTICE)
    assert obs(doc, "45", "人").status == "target"
    assert obs(doc, "50", "人").status == "target"
    assert obs(doc, "1", "小时").status == "target"
    assert obs(doc, "1", "名").status == "target"


def test_this_year_and_the_autumn_term_are_the_pages_year(pipeline):
    doc = pipeline.process_text(NOTICE)
    o = obs(doc, "8000", "个")
    assert o.year == 2022


PLAN_TIMES = """2020年县教育工作要点
一、2019年工作回顾
截至2019年10月,全县共有幼儿园86所。
学校始建于1958年,现有在校学生3200人。
二、2020年工作安排
未来三年,全县新建公办幼儿园12所。
五年内,全县义务教育学校标准化建设达标率达到100%。
“十四五”期间,全县计划新增学位1.5万个。
"""


def test_time_expressions(pipeline):
    doc = pipeline.process_text(PLAN_TIMES)
    assert doc.year == 2020
    assert obs(doc, "86", "所").year == 2019
    founded = obs(doc, "3200", "人")
    assert founded.year != 1958
    three = obs(doc, "12", "所")
    assert (three.year, three.status) == (2022, "target")  # 2020–2022, counting the year spoken in
    five = obs(doc, "100", "%")
    assert (five.year, five.status) == (2025, "target")
    period = obs(doc, "1.5", "万个")
    assert (period.year, period.status) == (2025, "target")


def test_a_year_after_the_documents_year_is_a_target(pipeline):
    doc = pipeline.process_text("2021年全市教育工作总结\n一、主要成绩\n2023年全市普惠性幼儿园覆盖率达到90%。\n")
    assert obs(doc, "90", "%").status == "target"


def test_the_clauses_own_agency_sets_the_place(pipeline):
    text = ("杭州市教育局2021年工作总结\n全市新建中小学25所。西湖区教育局规定,区内小学每班人数不超过40人。"
            "余杭区教育局完成校舍改造3.2万平方米。\n")
    doc = pipeline.process_text(text)
    assert doc.entities[obs(doc, "40", "人").place].name == "西湖区"
    assert doc.entities[obs(doc, "3.2", "万平方米").place].name == "余杭区"
    assert doc.entities[obs(doc, "25", "所").place].name == "杭州市"


def test_national_figures_are_placed_in_china(pipeline):
    text = ("辽宁省教育厅2019年工作要点\n全国学前三年毛入园率达到81.7%,我省达到83.5%。"
            "我国共有各级各类学校53万所。\n")
    doc = pipeline.process_text(text)
    china = doc.entities[obs(doc, "81.7", "%").place]
    assert (china.name, china.level) == ("中国", "country")
    assert doc.entities[obs(doc, "83.5", "%").place].name == "辽宁省"
    assert doc.entities[obs(doc, "53", "万所").place].name == "中国"


def test_a_place_before_an_honour_names_its_scope_not_the_figures_place(pipeline):
    text = ("绍兴市第一中学简介\n学校地处绍兴市区。学校现有专任教师197人,其中全国优秀教师1人,浙江省特级教师6人,"
            "省级先进荣誉教师13人。\n")
    doc = pipeline.process_text(text)
    for value in ("1", "6", "13"):
        assert doc.entities[obs(doc, value, "人").place].name == "绍兴市"


def test_a_profiles_year_is_its_as_of_date_not_its_founding_year(pipeline):
    text = "某市第一中学简介\n(2024.12修订)\n学校创办于1897年,1954年更名。截至2024年底,学校有专任教师197人。\n"
    doc = pipeline.process_text(text)
    assert doc.year == 2024


def test_a_profile_gives_no_year_to_lasting_facts_and_reads_square_metres(pipeline):
    text = ("我校于1946年创建,2007年迁入新校区。校园占地165亩,办公楼建筑面积4355㎡,总建筑面积达10万多m²。"
            "截止2008年8月底,学校现有教职员工242人。04年、05年中考成绩名列全区第一。\n")
    doc = pipeline.process_text(text)
    assert doc.year == 2008
    assert obs(doc, "165", "亩").year is None
    assert obs(doc, "4355", "m2").year is None
    assert obs(doc, "242", "人").year == 2008
    assert not [o for o in doc.observations if o.unit == "年"]  # 04年 is a year, not four years


def test_points_medals_devices_and_a_schools_own_figures(pipeline):
    text = ("绍兴市2020年学科竞赛成绩\n其中,诸暨海亮高级中学摘得金牌4枚。硕士研究生加2分,总加分累计不超过3分。"
            "学校设有多媒体电脑12部。8时30分集合。北京时间11点50分发生事故。\n")
    doc = pipeline.process_text(text)
    assert doc.entities[obs(doc, "4", "枚").place].name == "诸暨市"
    assert obs(doc, "3", "分").status == "target"
    assert obs(doc, "12", "部")
    assert not [o for o in doc.observations if o.value == 30]  # a time of day
    assert not any(e.name == "北京市" for e in doc.entities.values())


def test_period_targets_agree_with_the_pattern() -> None:
    """The index answers as searching each paragraph with the pattern would."""
    import random
    import re

    from kg.extract.observations import _PeriodTargets

    rnd = random.Random(3)
    pieces = ["十三五", "末", "目标", "到", "至", "的", "年", "\n", "发展", "十三"]
    for _ in range(200):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(5, 40)))
        index = _PeriodTargets(text)
        pattern = re.compile(r"(?:到|至)十三五.?末|十三五.{0,12}目标|十三五.?末")
        for a in range(0, len(text) + 1, 2):
            for b in range(a, len(text) + 1, 3):
                assert index.named_between("十三五", a, b) == bool(pattern.search(text[a:b])), (text, a, b)


def test_a_span_is_spoken_of_from_its_end_and_birth_years_are_no_years_of_figures(pipeline):
    doc = pipeline.process_text("学校领导班子总结报告\n2014年—2016年的三年,学校取得新成绩。三年中,学校培养省特级教师2位。\n")
    assert doc.year == 2016
    assert obs(doc, "2", "位").year == 2016
    notice = pipeline.process_text("某市教育局关于推荐教坛新秀的通知\n发布日期:2024-06-05\n(三)年龄在35周岁及以下(1989年1月1日以后出生)。\n")
    assert obs(notice, "35", "周岁").year == 2024


def test_calendar_years_times_fractions_and_mottos_measure_nothing(pipeline):
    text = ("学校简介\n学校创办于1897年。3月8日24:00停止报名。骨干教师占全体教师的三分之一。"
            "我要送给同学们16个字:竖直脊梁。经过近4个小时的车程抵达。每篇论文不少于2000字。\n")
    doc = pipeline.process_text(text)
    units = sorted((str(o.value), o.unit) for o in doc.observations)
    assert ("1897", "年") not in units and ("16", "个字") not in units and ("16", "个") not in units
    assert not [o for o in doc.observations if o.unit == "分"]
    assert ("4", "个小时") in units and ("2000", "字") in units


def test_a_graduating_class_names_the_year_of_its_figures(pipeline):
    doc = pipeline.process_text("学校领导班子总结报告\n2014年—2016年的三年,学校成绩显著。2015届高考一本上线637人。\n")
    assert obs(doc, "637", "人").year == 2015


def test_a_profiles_running_total_since_then_holds_for_its_year(pipeline):
    doc = pipeline.process_text("某市第一中学简介\n(2024.12修订)\n恢复高考以来,学校共有268人考入清华北大。校园占地201亩。\n")
    assert obs(doc, "268", "人").year == 2024
    assert obs(doc, "201", "亩").year is None


def test_a_profile_figure_is_current_only_where_the_sentence_says_so():
    doc = Pipeline().process_text(
        "学校概况\n我校于1946年创建,截止2008年8月底有教职员工242人。"
        "校园建有可容纳400人的现代化学术报告厅2座。学校现有60个教学班。")
    years = {(o.value, o.unit): o.year for o in doc.observations}
    assert years[(Decimal(2), "座")] is None  # 现代化 does not say "now"
    assert years[(Decimal(60), "个")] == 2008  # 现有 does


def test_a_national_final_is_no_national_scope_and_a_school_scene_names_its_place():
    doc = Pipeline().process_text(
        "绍兴市教育局召开会议。\n诸暨海亮高级中学在五大学科奥赛中已累计获得全国决赛金牌6枚。\n"
        "11月29日,新疆维吾尔自治区阿克苏市第五小学发生踩踏事故,致使41名学生受伤。\n"
        "县职业学校与黔东南民族职业技术学院签订协议,开设专业3个。")
    places = {o.value: doc.entities[o.place].name if o.place else None for o in doc.observations}
    assert places[Decimal(6)] == "诸暨市"  # 全国决赛 is a contest, not the country
    assert places[Decimal(41)] == "阿克苏市"  # the school's own place, the most specific in its name
    assert places[Decimal(3)] != "黔东南苗族侗族自治州"  # a partner school is not the scene


def test_era_years_and_time_frames_measure_nothing():
    doc = Pipeline().process_text(
        "民國10年(西元1921年,大正10年)學校成立。民国63年学校改称平等国民小学,有学生300名。"
        "未来10年,人工智能会无处不在。学校从教满10年的教师20人。")
    got = {(o.value, o.unit) for o in doc.observations}
    assert (Decimal(300), "名") in got and (Decimal(20), "人") in got
    assert not {(Decimal(10), "年"), (Decimal(63), "年"), (Decimal(1921), "年")} & got


def test_one_value_for_every_measure_of_a_list():
    doc = Pipeline().process_text(
        "合肥市第四十六中学召开会议。我校学生的入学率、巩固率和毕业率稳定在100%。学校有室外篮球场、排球场各10个。"
        "优质就业率、就业满意率分别为98%和95%。")
    got = {(o.indicator, o.value) for o in doc.observations}
    assert {("学生入学率", Decimal(100)), ("学生巩固率", Decimal(100)), ("学生毕业率", Decimal(100))} <= got
    assert {("室外篮球场数", Decimal(10)), ("排球场数", Decimal(10))} <= got
    assert sum(1 for o in doc.observations if o.value in (Decimal(98), Decimal(95))) == 2  # 分别: one each


def test_figures_are_named_by_what_is_counted_not_by_the_clause_around_it():
    doc = Pipeline().process_text(
        "某县教育局2020年工作总结\n县教育局党委共确定党建项目12项。全县新建、改建8处农村幼儿园。"
        "未来三年计划新建改扩建30所教育设施。各乡镇开展师德师风宣讲9场。\n"
        "学校有专任教师150人,其中高级职称60人,全国优秀教师2人;区骨干教师30人,比例达20%。"
        "学校建有5个名师工作室,学生1200名,其中共青团员300人。\n"
        "特色学校——县实验中学获得数学竞赛金牌6枚,其中初二年级摘得2枚。\n"
        "(二)年龄在40周岁及以下。获得校级一等奖学金者加1分。")
    assert_named(doc, [("确定党建项目数", "12"), ("新建、改建农村幼儿园数", "8"), ("新建改扩建教育设施数", "30"),
                       ("师德师风宣讲场次", "9"), ("高级职称教师数", "60"), ("全国优秀教师数", "2"),
                       ("区骨干教师比例", "20"), ("名师工作室数", "5"), ("共青团员数", "300"),
                       ("数学竞赛金牌数", "6"), ("数学竞赛金牌数", "2"), ("年龄上限", "40"), ("校级一等奖学金附加分", "1")])


def test_what_follows_the_number_names_it_when_the_words_before_do_not():
    doc = Pipeline().process_text(
        "某中学简介\n比赛吸引了全国20个省、自治区的300位学生选手和60位教练。学校有化学、生物2门特色学科,"
        "有3门学科为省市课程基地,10多个教研组被评为省、市优秀教研组。学校开设30多门选修课程供学生选择。"
        "某中学信息学竞赛小组学子共获得国际信息学奥林匹克金牌5块。")
    assert_named(doc, [("参赛学生选手数", "300"), ("参赛教练数", "60"), ("特色学科数", "2"), ("省市课程基地学科数", "3"),
                       ("省市优秀教研组数", "10"), ("开设选修课程数", "30"), ("国际信息学奥林匹克金牌数", "5")])


def test_a_review_then_next_years_plan_speaks_in_the_reviewed_year():
    doc = Pipeline().process_text(
        "某地区教育局\n2019年,全区共撤并中小学8所。全区取缔民办教育机构60所。\n"
        "2020年重点工作安排:\n新建幼儿园3所。")
    assert doc.year == 2019
    assert obs(doc, "60").year == 2019


def test_an_undated_speech_speaks_in_the_latest_year_it_names_as_under_way():
    doc = Pipeline().process_text(
        "局长在座谈会上的讲话\n今年以来,全市教育系统扎实工作。未来三年计划新建改扩建392所教育设施,"
        "其中2018年建设119所,目前已开工38所。2017年全市生均经费比上年增长14.55%。")
    assert doc.year == 2018
    assert obs(doc, "38").year == 2018


def test_cuts_name_what_was_cut_and_a_scope_before_the_number_is_no_name():
    doc = Pipeline().process_text(
        "某市教育局2021年工作总结\n全年精简文件10%,精减评比表彰项目50%。"
        "某中学成为全省的5个实验基地学校之一,有全国和浙江省优质课一等奖获得者9人。")
    assert_named(doc, [("文件精简比例", "10"), ("评比表彰项目精减比例", "50"), ("实验基地学校数", "5"),
                       ("全国和浙江省优质课一等奖获得者数", "9")])


def test_medals_are_named_by_the_contest_they_were_won_in():
    doc = Pipeline().process_text(
        "某中学新闻\n学子在国际化学奥林匹克中获得金牌3块,银牌2块。其中物理奥赛的关注度最高,全省参赛高中共获得12枚全国决赛金牌。"
        "五大学科奥赛全国决赛的奖牌已全部决出,某市高中选手共获得5枚金牌。")
    assert_named(doc, [("国际化学奥林匹克金牌数", "3"), ("国际化学奥林匹克银牌数", "2"), ("物理奥赛全国决赛金牌数", "12"),
                       ("五大学科奥赛全国决赛金牌数", "5")])


def test_teachers_qualifications_containers_and_lists_name_what_is_counted():
    doc = Pipeline().process_text(
        "某中学简介\n学校现有专任教师180人,高级职称60人,硕士及以上学位90人,比例为50%。两幢实验楼有40个实验室。"
        "全省仅有10所的“课程基地建设示范学校”。共产生100名省集训队成员名单。全年级一本上线总人数500人。")
    names = assert_named(doc, [("高级职称教师数", "60"), ("硕士及以上学位教师数", "90"), ("硕士及以上学位教师比例", "50"),
                               ("实验室数", "40"), ("课程基地建设示范学校数", "10"), ("省集训队成员数", "100")])
    assert not any(n.startswith("级") for n, _ in names)  # 全年级 is a scope, not 全年 + 级


def test_subjects_share_the_medals_of_their_contest_and_prizes_keep_the_contest_before():
    doc = Pipeline().process_text(
        "某中学简介\n学校累计获得国际奥赛金牌9枚(化学、生物各2枚,数学5枚)。"
        "1位老师获优质课全国一等奖,有4位老师获优质课省一等奖,6位老师获市一等奖。")
    assert_named(doc, [("国际奥赛金牌数", "9"), ("国际化学奥赛金牌数", "2"), ("国际生物奥赛金牌数", "2"),
                       ("国际数学奥赛金牌数", "5"), ("优质课省一等奖获奖教师数", "4"), ("优质课市一等奖获奖教师数", "6")])


def test_degrees_winners_destinations_and_capacities_are_named_by_what_they_count():
    doc = Pipeline().process_text(
        "某中学简介\n学校现有教职员工200人,其中在编教师150人,党员60人,高级职称50人,具有本科学历教师120人,硕士3人。"
        "高考恢复以来,有150人考入清华、北大。在APIO竞赛中,某中学9名学生获奖。可容纳近300人的现代化学术报告厅1座。")
    assert_named(doc, [("高级职称教师数", "50"), ("硕士学历教师数", "3"), ("考入清华北大人数", "150"),
                       ("APIO获奖学生数", "9"), ("学术报告厅容纳人数", "300")])


def test_competitors_and_those_who_got_in_are_named_as_such():
    doc = Pipeline().process_text(
        "某市运动会\n本届运动会共20个大项,参加运动员近3000人。比赛吸引了400位学生选手和80位教练。"
        "2名来自某中学和某高级中学的同学进入国家集训队。")
    assert_named(doc, [("大项数", "20"), ("参赛运动员数", "3000"), ("参赛学生选手数", "400"), ("参赛教练数", "80"),
                       ("进入国家集训队人数", "2")])


def test_a_respectively_list_goes_through_its_measures_and_levels():
    doc = Pipeline().process_text(
        "某市教育局工作总结\n2017年全市高职院校生均教育事业费和公用经费支出分别比上年增长10.5%和20.5%,"
        "中职学校分别增长8.5%和12.5%。年初确定开工新建改扩建40处学生集中就餐场所,实际开工43处。")
    assert_named(doc, [("高职院校生均教育事业费支出增长率", "10.5"), ("高职院校生均公用经费支出增长率", "20.5"),
                       ("中职学校生均教育事业费支出增长率", "8.5"), ("中职学校生均公用经费支出增长率", "12.5"),
                       ("实际开工学生集中就餐场所数", "43")])


def test_titles_keep_their_scope_and_the_manner_or_what_follows_is_no_name():
    doc = Pipeline().process_text(
        "某地区教育局\n2019年,按照省基本办园标准新建、改建12处农村幼儿园。4所幼儿园被省厅推荐为全国足球特色幼儿园,"
        "2所学校被省厅报送教育部参评中华优秀传统文化传承学校。保留的5项行政审批项目实行网上录入。")
    assert_named(doc, [("新建、改建农村幼儿园数", "12"), ("推荐为全国足球特色幼儿园数", "4"),
                       ("报送参评中华优秀传统文化传承学校数", "2"), ("保留行政审批项目数", "5")])


def test_an_uploaded_pages_date_and_an_undated_plan_guided_by_a_party_plenum():
    doc = Pipeline().process_text(
        "市教育系统全年工作要点\n\n时间:2022-06-05 09:31:00\n\n导语:本文来源于网友上传,不代表本站观点。\n\n"
        "年,全市教育工作总的要求是:以党的十八届五中全会和全国教育工作会议精神为指导,全面推进素质教育。"
        "新建幼儿园5所。")
    assert doc.year == 2016  # the plan after the autumn 2015 plenum, not the upload's 2022


def test_editions_states_and_harms_name_what_is_counted():
    doc = Pipeline().process_text(
        "某市教育局关于公布教坛新秀名单的通知\n第十五届市中小学教坛新秀拟确认80名。组织召开首届20个全市德育品牌、教学品牌表彰及推介现场会。"
        "全市共排查幼儿园1600处,发现各类隐患4221个,其中已整改3402个,819个正在整改过程中。"
        "新建学校10所,其中8所已竣工,2所正在建设。"
        "学生下楼时,由于前面一名学生摔倒,造成踩踏事故,致使41名学生受伤,其中重伤7人,轻伤34人。"
        "报考者年龄28周岁以下。")
    assert_named(doc, [("市中小学教坛新秀拟确认人数", "80"), ("德育品牌数", "20"),
                       ("发现隐患数", "4221"), ("整改隐患数", "3402"), ("正在整改隐患数", "819"),
                       ("竣工学校数", "8"), ("正在建设学校数", "2"),
                       ("踩踏事故受伤学生数", "41"), ("踩踏事故重伤学生数", "7"), ("踩踏事故轻伤学生数", "34"),
                       ("报考者年龄上限", "28")])


def test_asides_shares_of_one_whole_and_bonus_lists():
    doc = Pipeline().process_text(
        "某市教育局2010年新教师招聘办法\n笔试占总成绩的60%,其中学科专业知识考试(体育学科为专业技能测试)成绩占45%,"
        "中学教育基础知识成绩占15%。越城区户籍(7个街道、7个乡镇)生源的本科毕业生。"
        "硕士研究生、低保户子女(有民政部门提供证件)加2分。校长(含幼儿园园长)原则上不超过10%。")
    assert_named(doc, [("笔试占总成绩比例", "60"), ("学科专业知识考试成绩占总成绩比例", "45"),
                       ("中学教育基础知识成绩占总成绩比例", "15"), ("街道数", "7"), ("乡镇数", "7"),
                       ("硕士研究生附加分", "2"), ("低保户子女附加分", "2"), ("校长比例上限", "10")])


def test_a_batch_the_members_of_a_group_and_a_bare_measure_before_money():
    doc = Pipeline().process_text(
        "某中学简介\n教育部公开曝光第十二批7起违反教师职业行为十项准则典型案例。"
        "开幕式上,由我校1300名学生组成的太极拳表演惊艳全场。三幢教学楼有68个教室。"
        "校区占地201亩,总建筑面积7.92万平方米,总投资3.5亿元建成。")
    assert_named(doc, [("违反教师职业行为十项准则典型案例数", "7"), ("太极拳表演学生数", "1300"), ("教室数", "68"),
                       ("总投资", "3.5")])


def test_levels_after_their_measure_a_share_of_the_count_before_and_a_verb_over_a_list():
    doc = Pipeline().process_text(
        "某县2020年义务教育督导评估报告\n每百名学生拥有高于规定学历教师数小学为6.1人,初中为6.3人;"
        "每百名学生拥有县级以上骨干教师数小学、初中均为1.2人。全县交流轮岗教师635人,占符合条件教师的16.8%。"
        "将全区划分为16个学区。2018年新增中小学学位8000个、学前学位5000个。")
    assert_named(doc, [("小学每百名学生拥有高于规定学历教师数", "6.1"), ("初中每百名学生拥有高于规定学历教师数", "6.3"),
                       ("每百名学生拥有县级以上骨干教师数", "1.2"), ("交流轮岗教师占符合条件教师比例", "16.8"),
                       ("学区数", "16"), ("新增学前学位数", "5000")])


def test_a_percentage_before_who_and_what_they_do_and_a_level_after_a_list_comma():
    doc = Pipeline().process_text(
        "某市教育局2016年工作报告\n全区95%的中小学达到平安校园标准。大约78%的学生能够享受到优质普通高中教育。"
        "100%小学实现了免试就近入学,100%初中实行划片入学九年一贯对口招生。"
        "全市104所初中学校共约2.5万名学生、高中17所学校共约1.4万名学生参加了测试。")
    assert_named(doc, [("达到平安校园标准的中小学比例", "95"), ("享受优质普通高中教育的学生比例", "78"),
                       ("小学免试就近入学比例", "100"), ("初中划片入学九年一贯对口招生比例", "100"),
                       ("初中学校数", "104"), ("高中学校数", "17")])


def test_acts_on_what_was_counted_before_places_of_a_total_and_rates_of_an_act():
    doc = Pipeline().process_text(
        "某市教育局2021年工作总结\n开展校外培训机构专项治理,排查培训机构1245家,整改到位1213家,整改率97.4%。"
        "全区原有学科类校外培训机构326家,目前已压减289家,压减率88.7%。"
        "通过特岗计划招聘特岗教师1150名,其中会泽县320名、宣威市280名。全年共维修加固C级险房42所,面积3.9万平方米。")
    assert_named(doc, [("排查培训机构数", "1245"), ("整改到位培训机构数", "1213"), ("培训机构整改率", "97.4"),
                       ("压减学科类校外培训机构数", "289"), ("学科类校外培训机构压减率", "88.7"),
                       ("特岗计划招聘特岗教师数", "320"), ("特岗计划招聘特岗教师数", "280"),
                       ("维修加固C级险房面积", "3.9")])


def test_a_subject_after_the_number_and_what_it_did():
    doc = Pipeline().process_text(
        "某县教育局2022年工作总结\n全县芙蓉学校、七江中学等12个新建、改扩建项目全面竣工。"
        "力争邵东市、隆回县等10个县(市、区)通过国家义务教育优质均衡发展督导评估认定。"
        "14所学校开设南音、提线木偶等特色课程。全区34所公办中小学完成章程修订。"
        "全市9个县(市、区)全部纳入农村义务教育学生营养改善计划。")
    assert_named(doc, [("新建、改扩建项目竣工数", "12"), ("通过国家义务教育优质均衡发展督导评估认定县(市、区)数", "10"),
                       ("开设特色课程学校数", "14"), ("公办中小学完成章程修订数", "34"),
                       ("纳入农村义务教育学生营养改善计划县(市、区)数", "9")])


def test_an_aside_that_bounds_each_item_and_the_count_after_it():
    doc = Pipeline().process_text(
        "某市教育局关于选拔学科带头人的通知\n申报者需提交标志性教研成果(每篇不少于2000字)3篇。"
        "落实乡村教师生活补助,每人每月不低于800元。")
    assert_named(doc, [("标志性教研成果每篇字数下限", "2000"), ("标志性教研成果数", "3"), ("乡村教师生活补助标准", "800")])


def test_people_counted_without_a_measure_word_and_what_a_facility_holds():
    doc = Pipeline().process_text(
        "某中学学校概况\n学生公寓3幢,可容纳2800学生住宿;餐厅两座,可供3600学生同时就餐。2019学生工作要点已印发。")
    assert_named(doc, [("学生公寓容纳住宿学生数", "2800"), ("餐厅同时就餐学生数", "3600")])
    assert all(o.unit == "人" for o in doc.observations if o.value in (2800, 3600))
    assert not any(o.value == 2019 for o in doc.observations)


def test_a_notice_speaks_in_the_year_it_was_signed():
    notice = ("某市教育局关于选拔第十届学科带头人的通知\n各区、县(市)教育局:\n推荐人选须在一线任教10年及以上。\n"
              "附件:推荐表\n某市教育局\n2018年9月21日\n")
    numbered = "某市教育局关于公布招聘办法的通知\n某市教〔2016〕3号\n各学校:\n报名费每科48元。\n"
    doc = Pipeline().process_text(notice)
    assert doc.year == 2018 and obs(doc, "10").year == 2018
    assert Pipeline().process_text(numbered).year == 2016


def test_the_ground_a_figure_stands_on_and_a_plan_for_a_period_give_it_no_year():
    doc = Pipeline().process_text(
        "某市教育局2018年工作总结\n在2017年基本完成全面改薄原规划任务基础上,调增校舍建设规划项目31个。"
        "在2017年13个县(市)区通过国家评估认定的基础上,2018年3个县通过评估认定。\n"
        "某市教育局2011年工作要点\n制订“十二五”期间全市学校规划布局,安排1.96亿元完成新建校舍5.6万平方米。")
    assert obs(doc, "31").year == 2018 and obs(doc, "13").year == 2017
    assert obs(doc, "1.96").year != 2015 and obs(doc, "5.6").year != 2015


def test_a_report_published_early_in_a_year_reports_the_year_before(tmp_path):
    page = ("<html><head><title>某区教体局扎实推进双减工作</title></head><body><h1>某区教体局扎实推进双减工作</h1>"
            "<div>发布时间:2022-01-18 10:32 来源:某区教育体育局</div>"
            "<p>本报讯 2021年以来,某区教育体育局全力推进各项任务落地见效。全区183所义务教育学校全部开展课后服务,"
            "参与率为92.3%。去年新区公开招聘教师1280名。</p><p>2022年新区计划新建中小学15所。</p></body></html>")
    path = tmp_path / "binhai.html"
    path.write_text(page, encoding="utf-8")
    doc = Pipeline().process(path)
    assert doc.year == 2022
    assert obs(doc, "183").year == 2021 and obs(doc, "92.3").year == 2021 and obs(doc, "1280").year == 2021
    assert obs(doc, "15").year == 2022 and obs(doc, "15").status == "target"


def test_a_list_of_places_before_a_count_of_divisions_or_a_respective_list():
    doc = Pipeline().process_text(
        "长治市教育局2019年工作总结\n潞州区、上党区、屯留区、襄垣县、沁县、沁源县6个县区全部通过国家评估认定。"
        "会泽县、宣威市作为控辍保学任务最重的两个县(市),分别劝返复学学生412人和367人。")
    place = {str(o.value): o.place for o in doc.observations}
    assert place["6"] == doc.home_place == "place:140400"
    assert place["412"] == "place:530326" and place["367"] == "place:530381"


def test_a_total_input_keeps_its_name_and_its_growth():
    doc = Pipeline().process_text("某市教育局2019年工作会议讲话\n2018年全市教育经费总投入达到68.5亿元,同比增长6.3%。")
    assert_named(doc, [("教育经费总投入", "68.5"), ("教育经费总投入增长率", "6.3")])


def test_a_span_of_years_with_respective_values_and_a_review_of_a_span():
    doc = Pipeline().process_text(
        "某市教育新闻\n记者近日获悉,2014年秋季开学,我市共有31所新校区投入使用。据统计,2011年至2013年,"
        "宁波市教育系统基本建设投入资金分别为33.8亿元、43.8亿元和49.5亿元。")
    assert doc.year == 2014 and obs(doc, "31").year == 2014
    assert [obs(doc, v).year for v in ("33.8", "43.8", "49.5")] == [2011, 2012, 2013]


def test_a_school_year_dates_its_figures_and_a_profile_is_not_dated_by_its_posting():
    doc = Pipeline().process_text(
        "桂平市下湾镇第一初级中学\n编辑者:chrislucy 发布时间:2017年5月20日\n概况\n"
        "下湾一中创办于1968年,2006-2007学年初有18个教学班,在校生1625人。有中学高级教师4人。")
    assert doc.year is None
    assert obs(doc, "18").year == 2006 and obs(doc, "1625").year == 2006 and obs(doc, "4").year is None
    assert_named(Pipeline().process_text("某区教育局工作要点\n2019学年新增学位300个。"), [("新增学位数", "300")])


def test_durations_levels_of_a_rule_money_by_what_it_is_and_set_phrases_with_numerals():
    doc = Pipeline().process_text(
        "某区教育局关于新学期教学管理的通知\n确保学生每天体育锻炼1小时。要求学生每天在校教育教学活动的时间,小学不超过6小时,"
        "初中不超过7小时。学校每年投入60万专项经费作为大学生科技创新基金。为校园的基本建设先后投入了300多万元。"
        "近五年毕业生平均就业率达94%。学校校园总面积170.93万平方米。新世纪百千万人才入选29人,湖北省百人计划9人。")
    assert_named(doc, [("学生每天体育锻炼时间", "1"), ("小学生每天在校教育教学活动时间上限", "6"),
                       ("初中生每天在校教育教学活动时间上限", "7"), ("投入专项经费", "60"), ("校园基本建设投入", "300"),
                       ("近五年毕业生平均就业率", "94"), ("校园总面积", "170.93")])
    assert not any(o.value in (100, 11000000) for o in doc.observations)  # 百人计划, 百千万人才 are names


def test_a_clause_before_what_is_counted_an_area_of_what_follows_and_a_per_student_figure():
    doc = Pipeline().process_text(
        "某大学新闻\n这些画面被配备在食堂各处的10多个高清摄像头,随时可看。包括镇海中学、龙赛中学在内的21所学校的校园厨房已经变得透明。"
        "学校建有3000平方米的大学生创业基地。他成功申请了8项实用新型专利。学校还拿出30万专项经费。"
        "有图书16260册,生均达10册。总务主任、副总务主任各1人。获得国家教学成果奖4项。"
        "全市辍学学生由年初的1386人减少到年底动态清零。")
    assert_named(doc, [("高清摄像头数", "10"), ("学校数", "21"), ("大学生创业基地面积", "3000"),
                       ("申请实用新型专利数", "8"), ("拿出专项经费", "30"), ("生均图书", "10"),
                       ("总务主任数", "1"), ("副总务主任数", "1"), ("国家教学成果奖数", "4")])
    assert obs(doc, "1386").indicator.startswith("辍学学生")


def test_an_honours_scope_a_qualified_part_of_teachers_a_division_and_a_window_of_years():
    doc = Pipeline().process_text(
        "某大学概况\n全国教学名师1人,湖北省教学名师7人,湖北省“百人计划”9人。机器人足球队荣获世界冠军12次、全国冠军13次。"
        "专任教师79人,专任教师中,大专以上学历76人,取得相应教师资格证2人。网上实时录取分3个批次。"
        "近五年毕业生平均就业率达94%。连续八年获得16项国家科技成果奖。")
    assert_named(doc, [("全国教学名师数", "1"), ("湖北省教学名师数", "7"), ("湖北省百人计划人数", "9"),
                       ("全国冠军次数", "13"), ("取得相应教师资格证教师数", "2"), ("网上实时录取批次数", "3"),
                       ("近五年毕业生平均就业率", "94"), ("国家科技成果奖数", "16")])


def test_people_an_act_reaches_and_a_teaching_staffs_people():
    doc = Pipeline().process_text(
        "某市教育新闻\n9月8日晚,我市隆重举行表彰晚会,向全市10万余教师送上节日的问候。"
        "师资队伍中具有博士和硕士学位人员比例达80%,副高以上职称人员比例达59%。")
    assert_named(doc, [("教师数", "10"), ("具有博士和硕士学位教师比例", "80"), ("副高以上职称教师比例", "59")])


def test_what_a_clause_describes_stops_before_what_happened_to_it():
    doc = Pipeline().process_text("某市教育局2018年工作会议讲话\n今年消除大班额问题规划的26所新建改扩建学校已全部开工。")
    assert_named(doc, [("新建改扩建学校数", "26")])


def test_the_people_a_verb_takes_and_the_verb_after_the_figure_befores_noun():
    doc = Pipeline().process_text(
        "四川省民族地区教育发展状况\n招收1万余名藏区学生到内地重点中等职业学校学习。成都、绵阳等10个市选派了8000多名教师赴民族地区支教。")
    assert_named(doc, [("招收藏区学生数", "1"), ("选派教师数", "8000")])
