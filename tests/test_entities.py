"""Entity mentions and their linking, through ``Pipeline.process_text``.

All sentences are written for these tests: invented bureau prose of provinces,
cities and counties other than the seeds'. Expectations follow the naming
rules of /work/shared/ONTOLOGY.md.
"""

from __future__ import annotations

import pytest

from kg.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def names(doc, type_: str) -> set[str]:
    return {e.name for e in doc.entities.values() if e.type == type_}


def entity(doc, type_: str, name: str):
    hits = [e for e in doc.entities.values() if e.type == type_ and e.name == name]
    assert hits, f"no {type_} named {name!r}; {type_}s found: {sorted(names(doc, type_))}"
    return hits[0]


def all_surface_forms(doc) -> set[str]:
    out = set()
    for e in doc.entities.values():
        out.add(e.name)
        out |= e.aliases
    return out


SUZHOU = """苏州市教育局2019年工作计划
今年全市教育工作的总体要求是:在市委、市政府的坚强领导下,认真落实省教育厅和教育部的部署。
市教育局将会同市财政局加大投入,太仓新建省级优质幼儿园6所。
江苏高考综合改革进入第二年,我市将认真做好各项准备。
"""


@pytest.fixture(scope="module")
def suzhou(pipeline):
    return pipeline.process_text(SUZHOU, doc_id="suzhou-plan")


# ---------------------------------------------------------------- places


def test_home_city_inferred(suzhou):
    assert suzhou.home_place == "place:320500"
    assert suzhou.entities["place:320500"].name == "苏州市"
    assert suzhou.year == 2019


def test_short_county_name_in_its_city_context(suzhou):
    """太仓 alone in a 苏州 document is 太仓市 (320585)."""
    assert "place:320585" in suzhou.entities, sorted(names(suzhou, "Place"))
    e = suzhou.entities["place:320585"]
    assert e.name == "太仓市"
    assert e.adcode == "320585"
    assert e.level == "county"
    assert "太仓" in e.aliases


def test_short_province_name(suzhou):
    e = suzhou.entities.get("place:320000")
    assert e is not None and e.name == "江苏省"
    assert "江苏" in e.aliases


def test_listed_short_county_names(pipeline):
    doc = pipeline.process_text("苏州市教育局召开会议,太仓、昆山两地作交流发言。", doc_id="listed")
    assert doc.entities["place:320585"].name == "太仓市"
    assert doc.entities["place:320583"].name == "昆山市"


def test_ambiguous_district_beijing(pipeline):
    doc = pipeline.process_text(
        "北京市教育委员会2020年工作要点\n朝阳区新建中小学3所,全市各区要加快学位建设。",
        doc_id="bj",
    )
    places = {e.adcode for e in doc.entities.values() if e.type == "Place" and e.name == "朝阳区"}
    assert places == {"110105"}


def test_ambiguous_district_changchun(pipeline):
    doc = pipeline.process_text(
        "长春市教育局2020年工作总结\n全市新增公办幼儿园学位5000个,朝阳区建成智慧校园示范校4所。",
        doc_id="cc",
    )
    places = {e.adcode for e in doc.entities.values() if e.type == "Place" and e.name == "朝阳区"}
    assert places == {"220104"}


def test_home_words_are_aliases_of_the_home_city(suzhou):
    home = suzhou.entities["place:320500"]
    assert {"我市", "全市"} <= home.aliases
    assert not any(e.name in ("我市", "全市", "本市") for e in suzhou.entities.values())


def test_county_home_words(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n过去一年,全县教育事业取得新进展,我县被评为全省教育工作先进县。",
        doc_id="gushi-home",
    )
    assert doc.home_place == "place:411525"
    home = doc.entities["place:411525"]
    assert home.name == "固始县"
    assert {"全县", "我县"} <= home.aliases


def test_two_character_county_name_in_its_own_speech(pipeline):
    """滑县 is a county whose full name has two characters (河南安阳)."""
    doc = pipeline.process_text(
        "在滑县2021年全县教育工作会议上的讲话\n全县上下要认真落实县委、县政府的决策部署。",
        doc_id="huaxian",
    )
    assert doc.home_place == "place:410526"
    assert doc.entities["place:410526"].name == "滑县"


# ---------------------------------------------------------------- agencies


def test_agency_level_prefixes_expand_to_home(suzhou):
    agencies = names(suzhou, "Agency")
    assert "苏州市教育局" in agencies
    assert "苏州市委" in agencies
    assert "苏州市人民政府" in agencies
    assert "江苏省教育厅" in agencies
    assert "教育部" in agencies
    for short in ("市教育局", "市委", "市政府", "省教育厅"):
        assert short not in agencies


def test_agency_short_forms_kept_as_aliases(suzhou):
    assert "市教育局" in entity(suzhou, "Agency", "苏州市教育局").aliases
    assert "市政府" in entity(suzhou, "Agency", "苏州市人民政府").aliases


def test_county_agencies(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n县委、县政府高度重视教育,县教育局要抓好落实,信阳市教育局给予大力支持。",
        doc_id="gushi-agencies",
    )
    agencies = names(doc, "Agency")
    assert {"固始县委", "固始县人民政府", "固始县教育局", "信阳市教育局"} <= agencies


def test_national_bodies_keep_their_names(pipeline):
    doc = pipeline.process_text(
        "郑州市教育局2020年工作总结\n我市顺利通过国务院教育督导委员会的督导检查,国家教育部通报表扬。",
        doc_id="national",
    )
    agencies = names(doc, "Agency")
    assert {"国务院教育督导委员会", "教育部"} <= agencies
    assert not any(a.startswith("郑州市国") or a == "郑州市教育部" for a in agencies)


# ---------------------------------------------------------------- schools


def test_named_schools(pipeline):
    doc = pipeline.process_text(
        "苏州市教育局2019年工作计划\n太仓市实验中学与苏州大学签订合作协议,郑州大学来苏开展交流。",
        doc_id="schools",
    )
    assert {"太仓市实验中学", "苏州大学", "郑州大学"} <= names(doc, "School")


def test_school_with_ordinal_name(pipeline):
    doc = pipeline.process_text(
        "苏州市教育局2019年工作计划\n太仓市第一中学获评省高品质示范高中。",
        doc_id="school-ordinal",
    )
    assert "太仓市第一中学" in names(doc, "School")
    assert not any(n.endswith("第一中") for n in names(doc, "School"))


def test_abbreviated_school_of_the_home_county(pipeline):
    """县一中 in a 固始县 speech is 固始县一中 (as 市教育局 is <city>教育局)."""
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n县一中高考本科上线人数再创新高,县教育局给予表彰。",
        doc_id="gushi-school",
    )
    school = entity(doc, "School", "固始县一中")
    assert "县一中" in school.aliases


def test_generic_school_words_are_not_schools(pipeline):
    doc = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n各级各类学校要落实安全责任。全市新增普惠性幼儿园15所,改造薄弱学校20所。"
        "全市新建幼儿园8所,农村寄宿制学校条件明显改善。",
        doc_id="generic-schools",
    )
    assert names(doc, "School") == set()


# ---------------------------------------------------------------- programs


def test_quoted_programs_with_suffixes(pipeline):
    doc = pipeline.process_text(
        "苏州市教育局2019年工作计划\n我市深入实施“三名工程”,广泛开展“书香校园”建设活动。",
        doc_id="quoted-programs",
    )
    programs = names(doc, "Program")
    assert "三名工程" in programs
    assert "书香校园建设活动" in programs
    assert "“书香校园”建设活动" not in programs


def test_known_program_full_and_short_forms_join(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n全面改薄项目全部竣工验收。改薄资金使用规范,薄改校舍全部投入使用。",
        doc_id="gaibao",
    )
    progs = [e for e in doc.entities.values() if e.type == "Program"]
    assert [p.name for p in progs] == ["全面改善贫困地区义务教育薄弱学校基本办学条件"]
    assert {"全面改薄项目", "改薄", "薄改"} <= progs[0].aliases


def test_county_teacher_reform_named_as_known(pipeline):
    doc = pipeline.process_text(
        "襄阳市教育局2020年工作要点\n全面推行“县管校聘”改革,巩固“双减”成果。",
        doc_id="xgxp",
    )
    programs = names(doc, "Program")
    assert "县管校聘" in programs
    assert "双减" in programs
    assert "县管校聘改革" not in programs  # one program, the long form an alias
    assert "县管校聘改革" in entity(doc, "Program", "县管校聘").aliases


def test_slogans_are_not_programs(pipeline):
    doc = pipeline.process_text(
        "郑州市教育局2020年工作总结\n全市教育系统坚持立德树人根本任务,深入贯彻“四个全面”战略布局和“五大发展理念”。",
        doc_id="slogans",
    )
    programs = names(doc, "Program")
    assert not programs & {"四个全面", "五大发展理念", "立德树人"}


# ---------------------------------------------------------------- documents


def test_policy_documents_and_plans_in_book_marks(pipeline):
    doc = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n市政府印发《关于深化新时代教育督导体制机制改革的实施意见》,"
        "启动《宜昌市学前教育第三期三年行动计划》,全市订阅《中国教育报》5000份。",
        doc_id="docs",
    )
    assert "关于深化新时代教育督导体制机制改革的实施意见" in names(doc, "PolicyDocument")
    assert "宜昌市学前教育第三期三年行动计划" in names(doc, "Program")
    assert "宜昌市学前教育第三期三年行动计划" not in names(doc, "PolicyDocument")
    assert not any("中国教育报" in f for f in all_surface_forms(doc))


# ---------------------------------------------------------------- persons


def test_persons_next_to_posts(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n县教育局党委书记、局长张建国主持会议。王立新副县长出席并讲话。",
        doc_id="persons",
    )
    persons = names(doc, "Person")
    assert {"张建国", "王立新"} <= persons
    assert not any("局长" in p or "县长" in p for p in persons)


def test_person_after_post_followed_by_any_verb(pipeline):
    doc = pipeline.process_text(
        "苏州市教育局2019年工作计划\n市教育局局长张建国带队赴太仓调研集团化办学。",
        doc_id="person-verb",
    )
    assert "张建国" in names(doc, "Person")


def test_titles_and_phrases_are_not_persons(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n县委书记高度重视,多次专题研究教育工作。各位校长要切实担起责任。",
        doc_id="no-persons",
    )
    assert names(doc, "Person") == set()


# ---------------------------------------------------------------- placeholders


def test_placeholders_are_never_entities(pipeline):
    doc = pipeline.process_text(
        "XX县教育局20XX年工作总结\nXX县教育局联合XX大学举办培训,局长王某某出席,XXX名教师参加。",
        doc_id="placeholders",
    )
    for f in all_surface_forms(doc):
        assert "X" not in f and "某" not in f, f
    assert names(doc, "Person") == set()


# ---------------------------------------------------------------- traditional script


def test_traditional_script_gives_simplified_names(pipeline):
    doc = pipeline.process_text(
        "蘇州市教育局2019年工作計劃\n蘇州市教育局推進“縣管校聘”改革,全面完成全面改薄任務。",
        doc_id="trad-suzhou",
    )
    assert "苏州市教育局" in names(doc, "Agency")
    assert "县管校聘" in names(doc, "Program")
    assert "全面改善贫困地区义务教育薄弱学校基本办学条件" in names(doc, "Program")
    assert doc.home_place == "place:320500"


def test_traditional_hubei_document(pipeline):
    doc = pipeline.process_text(
        "湖北省教育廳2020年工作要點\n省教育廳印發《湖北省中小學幼兒園教師培訓管理辦法》,各地要認真貫徹。",
        doc_id="trad-hubei",
    )
    assert "湖北省教育厅" in names(doc, "Agency")
    assert "湖北省中小学幼儿园教师培训管理办法" in names(doc, "PolicyDocument")


def test_city_government_bureau_is_the_city_bureau(pipeline):
    """臺北市政府教育局 (traditional, with 政府) and 市教育局 name one body: 台北市教育局."""
    doc = pipeline.process_text("臺北市政府教育局2023年工作要點\n市教育局推動雙語教育,在大安區試辦。", doc_id="taipei")
    agencies = [e for e in doc.entities.values() if e.type == "Agency"]
    assert [a.name for a in agencies] == ["台北市教育局"]
    assert {"市教育局", "臺北市政府教育局"} <= agencies[0].aliases


def test_quoted_strategy_is_not_a_program(pipeline):
    doc = pipeline.process_text("浙江省教育厅2022年工作要点\n深入实施“教育强省”战略,全面落实“双减”政策。", doc_id="zj-strategy")
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert "教育强省" not in programs and "双减" in programs


def test_district_document_has_the_district_as_home(pipeline):
    doc = pipeline.process_text(
        "广州市天河区教育局2020年工作总结\n2020年,在区委、区政府的坚强领导下,区教育局扎实推进各项工作,全区新增学位1.2万个。",
        doc_id="tianhe")
    assert doc.entities[doc.home_place].name == "天河区"
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"天河区委", "天河区人民政府", "天河区教育局"} <= agencies


def test_addressees_and_verbs_are_not_bodies_or_places(pipeline):
    doc = pipeline.process_text(
        "江西省教育厅关于印发2023年工作任务的通知\n各设区市教育局,各县(市、区)教育局:\n"
        "新建、改扩建义务教育学校100所,新建县级名师工作室10个。", doc_id="jx-notice")
    names = {e.name for e in doc.entities.values()}
    assert "江西省教育局" not in names and "新建区" not in names and "南昌市" not in names


def test_program_names_keep_their_first_word(pipeline):
    doc = pipeline.process_text(
        "湖南省隆回县2022年教育工作会议讲话\n我们将深入推进新时代教育评价改革,实施县域普通高中振兴行动。", doc_id="longhui")
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert {"新时代教育评价改革", "县域普通高中振兴行动"} <= programs


def test_city_bureau_named_in_a_county_speech(pipeline):
    doc = pipeline.process_text(
        "在隆回县2022年全县教育工作会议上的讲话\n在县委、县政府的坚强领导和市教育局的精心指导下,全县教育工作取得新成效。",
        doc_id="longhui-city")
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"隆回县委", "隆回县人民政府", "邵阳市教育局"} <= agencies


def test_selections_and_campus_programs(pipeline):
    doc = pipeline.process_text("隆回县2022年教育工作会议讲话\n全县评选“最美乡村教师”20名,积极推进闽南文化进校园。", doc_id="sel")
    programs = {e.name: e for e in doc.entities.values() if e.type == "Program"}
    assert "最美乡村教师评选" in programs and "最美乡村教师" in programs["最美乡村教师评选"].aliases
    assert "闽南文化进校园" in programs


def test_latin_x_is_not_a_placeholder_and_version_numbers_stay(pipeline):
    doc = pipeline.process_text(
        "长治市2020年工作要点\n推进职业教育“1+X”证书制度试点,实施教育信息化2.0行动计划。", doc_id="cz")
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert "1+X证书制度试点" in programs or "1+X" in programs
    assert "教育信息化2.0行动计划" in programs


def test_zone_guesses_do_not_swallow_time_words(pipeline):
    doc = pipeline.process_text("天津市滨海新区教体局2021年工作总结\n去年新区公开招聘教师1280名。", doc_id="bh")
    places = {e.name for e in doc.entities.values() if e.type == "Place"}
    assert "去年新区" not in places and "滨海新区" in places


def test_schools_named_by_a_place_word_and_banner_bodies(pipeline):
    doc = pipeline.process_text(
        "长治市2019年教育工作总结\n试点在长治职业技术学院、长治市职业中等专业学校启动。长治学院与上党区人民政府签订战略合作协议。"
        "城区个别热点学校大班额问题依然存在。", doc_id="cz-schools")
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    assert {"长治职业技术学院", "长治市职业中等专业学校", "长治学院"} <= schools
    assert not any(s.startswith("城区") for s in schools)
    banner = pipeline.process_text("伊金霍洛旗2021年教育工作要点\n在旗委、旗人民政府的坚强领导下,全旗教育工作稳步推进。", doc_id="yj")
    agencies = {e.name for e in banner.entities.values() if e.type == "Agency"}
    assert {"伊金霍洛旗委", "伊金霍洛旗人民政府"} <= agencies


def test_the_speaking_bureau_keeps_its_own_name(pipeline):
    doc = pipeline.process_text(
        "郸城县教育体育局2020年工作总结\n县教体局党组书记、局长王建新带队到河南省教育厅汇报县域普通高中建设工作。我局全面实施“全面改薄”。",
        doc_id="dc-bureau")
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert "郸城县教育体育局" in agencies and "郸城县教育局" not in agencies and "河南省教育厅" in agencies
    assert not any("教育厅" in e.name for e in doc.entities.values() if e.type == "School")
    assert any(r.predicate == "memberOf" and r.object == "Agency:郸城县教育体育局" for r in doc.relations)


def test_new_campus_is_its_school_and_double_first_class_is_a_program(pipeline):
    doc = pipeline.process_text(
        "郸城县教育体育局2020年工作总结\n郸城县第三高级中学新校区建成投用,辽工大葫芦岛校区完成建设。推进西安交通大学等高校“双一流”建设。",
        doc_id="campus")
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    assert {"郸城县第三高级中学", "辽工大葫芦岛校区"} <= schools and "郸城县第三高级中学新校区" not in schools
    programs = {e.name: e.aliases for e in doc.entities.values() if e.type == "Program"}
    assert "双一流" in programs.get("世界一流大学和一流学科建设", set())


def test_ambiguous_district_in_the_title_is_the_home(pipeline):
    doc = pipeline.process_text(
        "朝陽區教育委員會2017年工作總結\n2017年,在區委、區政府和市教委的領導下,區教委與河北省雄安新區、張家口市崇禮區簽訂教育協作協議。",
        doc_id="chaoyang")
    assert doc.home_place == "place:110105"
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"朝阳区教育委员会", "朝阳区委", "朝阳区人民政府", "北京市教育委员会"} <= agencies
    assert not any(a.startswith("崇礼区") for a in agencies)


def test_verbs_that_name_counties_are_verbs(pipeline):
    doc = pipeline.process_text(
        "安吉县2021年义务教育督导报告\n县教育局要会同县发改局、县财政局,于2022年底前完成杭垓镇中心学校运动场扩建工程。", doc_id="anji")
    assert "会同县" not in {e.name for e in doc.entities.values()}
    school = next(e for e in doc.entities.values() if e.name == "杭垓镇中心学校")
    assert any(r.subject == school.key and r.predicate == "locatedIn" and r.object == doc.home_place for r in doc.relations)


def test_numbered_names_with_a_program_word_are_programs(pipeline):
    doc = pipeline.process_text("朝阳区教委2017年工作总结\n实施“三个一”工程,深入贯彻“四个全面”战略布局。", doc_id="numbered")
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert "三个一工程" in programs and not any("四个全面" in p for p in programs)


def test_abbreviated_bodies_in_full_and_supported_schools(pipeline):
    doc = pipeline.process_text(
        "九江市教育局2023年工作会议讲话\n市教育局联合市市场监管局开展校外培训专项治理。全力支持九江学院建设。", doc_id="jj")
    names = {(e.type, e.name) for e in doc.entities.values()}
    assert ("Agency", "九江市市场监督管理局") in names and ("School", "九江学院") in names


def test_person_whose_name_jieba_cuts_after_the_surname(pipeline):
    doc = pipeline.process_text("深圳市龙华区教育局2019年工作总结\n区教育局局长陈文华带队与华南师范大学签订合作协议。", doc_id="chen")
    assert "陈文华" in {e.name for e in doc.entities.values() if e.type == "Person"}


def test_persons_named_with_an_honorific_or_in_a_list_of_people():
    from kg.pipeline import Pipeline

    text = ("说到教育史就绕不开蔡元培先生。学校培养了19位院士(陈建功、金善宝、毛汉礼)。"
            "杜亚泉、刘大白、斯霞等教育名家曾在这里任教。刘亚楠同学被首都师范大学录取。"
            "语文、数学、英语等学科教师参加培训。同学们、老师们、家长们:")
    doc = Pipeline().process_text(text)
    names = {e.name for e in doc.entities.values() if e.type == "Person"}
    assert {"蔡元培", "陈建功", "金善宝", "毛汉礼", "杜亚泉", "刘大白", "斯霞", "刘亚楠"} <= names
    assert not names & {"语文", "数学", "英语", "同学们", "老师们"}


def test_a_place_and_a_kind_of_school_is_a_category_not_a_school():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("——绍兴市第一中学简介\n学校是浙江省普通高中特色示范学校,与绍兴市小学开展合作。")
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    assert "绍兴市第一中学" in schools
    assert not schools & {"——绍兴市第一中学", "浙江省普通高中", "绍兴市小学"}


def test_resolve_overlaps_agrees_with_a_pairwise_scan() -> None:
    """The position index decides as comparing every pair of spans would."""
    import random

    from kg.extract.entities import TYPE_PRIORITY, resolve_overlaps
    from kg.model import Mention

    def pairwise(mentions: list[Mention]) -> list[Mention]:
        ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), TYPE_PRIORITY[m.type], m.start, m.source))
        kept: list[Mention] = []
        for m in ordered:
            clash = False
            for k in kept:
                if m.start < k.end and k.start < m.end:
                    nested = k.start <= m.start and m.end <= k.end
                    if nested and m.type == "Place" and k.type in ("Agency", "School", "Program", "PolicyDocument"):
                        continue
                    clash = True
                    break
            if not clash:
                kept.append(m)
        kept.sort(key=lambda m: (m.start, m.end, m.type))
        return kept

    rnd = random.Random(7)
    for _ in range(50):
        ms = []
        for _ in range(60):
            start = rnd.randrange(0, 150)
            ms.append(Mention(start, start + rnd.randrange(1, 10), "名", rnd.choice(list(TYPE_PRIORITY)), -1))
        assert resolve_overlaps(ms) == pairwise(ms)


def test_well_known_universities_and_school_names_without_their_verbs():
    from kg.pipeline import Pipeline

    text = ("学校每年有10人左右考入清华、北大,与浙江大学签订合作协议。"
            "沙城实验中学是在原沙城二中改制的基础上新建的。我们要关心一中的发展,同一学校不超过2人。")
    doc = Pipeline().process_text(text)
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    assert {"清华大学", "北京大学", "浙江大学", "沙城二中", "沙城实验中学"} <= schools
    assert not schools & {"原沙城二中", "关心一中", "同一学校"}


def test_divisions_offices_and_other_departments_of_a_joint_notice():
    from kg.pipeline import Pipeline

    text = ("绍兴市教育局文件\n市教育局、市发改委、市财政局、市人社局、市体育局、市卫健委等部门联合印发通知。"
            "省教育厅宣教处、省教育厅办公室负责解释。市教育局党工委部署学习。\n")
    doc = Pipeline().process_text(text)
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"绍兴市教育局", "绍兴市发展和改革委员会", "绍兴市财政局", "绍兴市人力资源和社会保障局", "绍兴市体育局",
            "绍兴市卫生健康委员会", "浙江省教育厅宣教处", "浙江省教育厅办公室", "绍兴市教育局党工委"} <= agencies


def test_people_named_after_their_kind_or_listed_in_brackets():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("前身为维新人士徐树兰创办的学堂。学校走出了2位北大校长(蔡元培、蒋梦麟)。地处战斗英雄董存瑞家乡。")
    names = {e.name for e in doc.entities.values() if e.type == "Person"}
    assert {"徐树兰", "蔡元培", "蒋梦麟", "董存瑞"} <= names
    assert "位北大" not in names


def test_programs_a_plan_works_through_and_numbered_programmes():
    from kg.pipeline import Pipeline

    text = ("要切实履行校园食品安全管理主体责任,以千万学生饮食放心工程和餐饮质量提升行动为抓手,夯实工作基础。"
            "国家“211”工程大学毕业生可以报考。")
    doc = Pipeline().process_text(text)
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert {"千万学生饮食放心工程", "餐饮质量提升行动", "211工程"} <= programs


def test_three_character_names_jieba_cuts_short_and_common_words_that_are_no_names():
    from kg.pipeline import Pipeline

    text = ("感谢今天到场的颁奖嘉宾戴敏有先生。出席的有:河南省体育局局长李俊峰,市委书记王战营。"
            "拓展渠道吸引各方人士支持。由主管校长签字。市直及以上先进荣誉教师144人。")
    doc = Pipeline().process_text(text)
    names = {e.name for e in doc.entities.values() if e.type == "Person"}
    assert {"戴敏有", "李俊峰", "王战营"} <= names
    assert "鲁迅" in {e.name for e in Pipeline().process_text("说到文学史就绕不开鲁迅先生。").entities.values()}
    assert not names & {"戴敏", "李俊", "支持", "由主管", "荣誉"}


def test_school_names_hold_their_places_and_categories_are_no_schools():
    from kg.pipeline import Pipeline

    text = ("浙江省2020年学科竞赛综述\n其中诸暨海亮高级中学摘得4枚,与宁波市镇海中学、乐清市知临中学并列。"
            "新疆维吾尔自治区阿克苏市第五小学发生事故。学校获评全国绿色学校,初高中学校衔接。"
            "各地民政部门、交通运输部门配合。绍兴市第一中学校召开会议。")
    doc = Pipeline().process_text(text)
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    places = {e.name for e in doc.entities.values() if e.type == "Place"}
    agencies = {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert {"宁波市镇海中学", "新疆维吾尔自治区阿克苏市第五小学", "绍兴市第一中学"} <= schools
    assert not schools & {"全国绿色学校", "初高中学校", "绍兴市第一中学校"}
    assert "镇海区" not in places
    assert not agencies & {"民政部", "交通运输部"}


def test_programs_named_by_a_quoted_motto_a_list_or_a_selection():
    from kg.pipeline import Pipeline

    text = ("学校以“五星育人、三名争创”为总抓手。高标准组织开展“不忘初心,牢记使命”主题教育活动。\n"
            "其他:大哥哥大姐姐计划、风纪、学生大使训练\n决定举行绍兴市第十届学科带头人选拔活动。一体化推进校舍安全工程。")
    doc = Pipeline().process_text(text)
    programs = {e.name for e in doc.entities.values() if e.type == "Program"}
    assert {"五星育人、三名争创", "大哥哥大姐姐计划"} <= programs
    assert any(p.startswith("不忘初心") and p.endswith("主题教育活动") for p in programs)
    assert any(p.endswith("学科带头人选拔活动") for p in programs)
    assert "一体化推进校舍安全工程" not in programs


def test_contacts_by_lines_and_names_before_a_post_after_another_word():
    from kg.pipeline import Pipeline

    text = ("中新网广州1月8日电(记者程景伟)广东省教育厅召开发布会。材料报市教育局(联系人王玉,电话88979775)。"
            "联系人及电话:龚杰克010-66092。在巡查过程中马璞副市长也来到学校。")
    doc = Pipeline().process_text(text)
    names = {e.name for e in doc.entities.values() if e.type == "Person"}
    assert {"程景伟", "王玉", "龚杰克"} <= names


def test_old_schools_new_areas_and_research_offices():
    from kg.pipeline import Pipeline

    text = ("合肥市第四十六中学概况\n学校前身为绍郡中西学堂,后迁入滨湖新区。开封新区领导出席。"
            "杭州市基础教育研究室专家作报告。教育部基础一司负责解释。")
    doc = Pipeline().process_text(text)
    names = {(e.type, e.name) for e in doc.entities.values()}
    assert {("School", "绍郡中西学堂"), ("Place", "滨湖新区"), ("Place", "开封新区"),
            ("Agency", "杭州市基础教育研究室"), ("Agency", "教育部基础教育一司")} <= names


def test_a_place_and_a_short_proper_name_make_a_school_and_people_who_report():
    from kg.pipeline import Pipeline

    text = ("浙江省竞赛综述\n与宁波市镇海中学、乐清市知临中学并列。福建省中小学开展活动。\n"
            "附1:\n(1)朱雯述职述德述廉报告\n(2)陈银伟述职述德述廉报告\n")
    doc = Pipeline().process_text(text)
    schools = {e.name for e in doc.entities.values() if e.type == "School"}
    assert {"宁波市镇海中学", "乐清市知临中学"} <= schools and "福建省中小学" not in schools
    assert {"朱雯", "陈银伟"} <= {e.name for e in doc.entities.values() if e.type == "Person"}


def test_a_school_sites_heading_and_bodies_after_a_preposition():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("聖公會基愛小學 S.K.H. Kei Oi Primary School\n本校鼓勵教師參與教統局舉辦的研討會。\n")
    names = {(e.type, e.name) for e in doc.entities.values()}
    assert ("School", "圣公会基爱小学") in names and ("Agency", "教育统筹局") in names
    doc = Pipeline().process_text("合肥市第四十六中学\n根据市委、市政府的决定,学校迁入新校区。合肥市教育局批准。\n")
    assert "Agency:合肥市委" in doc.entities


def test_participation_is_no_program_and_a_specialty_class_no_school():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("县长赵丽玲一行莅临范县第一中学\n要优先推荐积极投身基础教育课程改革的教师。音、体、美高中专业班成绩好。学校与孔子学院合作。\n")
    names = {(e.type, e.name) for e in doc.entities.values()}
    assert not {n for t, n in names if t == "Program" and n.startswith("投身")}
    assert not {n for t, n in names if t == "School" and ("中专" in n or n == "孔子学院" or "赵丽玲" in n)}
    assert ("School", "范县第一中学") in names


def test_editions_of_recurring_events_are_programs(pipeline):
    doc = pipeline.process_text(
        "7月,第21届全国中学生物理竞赛在本校举行。洛阳市第三届运动会暨全民健身大会于10月开幕。"
        "学校参加第五届中小学艺术节。市第十六届人民代表大会第二次会议召开。")
    programs = names(doc, "Program")
    assert {"第21届全国中学生物理竞赛", "洛阳市第三届运动会暨全民健身大会", "第五届中小学艺术节"} <= programs
    assert not any("代表大会" in p for p in programs)
    doc = pipeline.process_text("市教育局决定举行宁波市第八届中小学、幼儿园学科带头人选拔活动。")
    assert "宁波市第八届中小学、幼儿园学科带头人选拔活动" in names(doc, "Program")  # levels of schooling share the name


def test_names_of_a_roster_and_its_continuation_lines(pipeline):
    doc = pipeline.process_text(
        "现将评选结果公布如下:\n一等奖 张 叠(文科) 徐 萍(理科)\n二等奖 钱虹燕 余子兰 张冬蕾 (文科)\n"
        "楼开颜 凌晓锋 陈丹燕 (理科)\n向以上获奖老师表示祝贺!\n组员: 梁国忠副校长、郭志和主任\n高一 高二 高三\n语文、数学、英语")
    people = names(doc, "Person")
    assert {"张叠", "徐萍", "钱虹燕", "余子兰", "张冬蕾", "楼开颜", "凌晓锋", "陈丹燕", "梁国忠", "郭志和"} <= people
    assert not people & {"高一", "高二", "高三", "语文"}


def test_the_country_named_as_a_place(pipeline):
    doc = pipeline.process_text("绍兴市教育局召开会议。在中国历史上,书院影响深远。学校队员入选中国国家队。")
    china = entity(doc, "Place", "中国")
    assert china.level == "country" and not china.adcode
    for text in ("喜迎新中国成立70周年。", "坚持中国特色社会主义教育发展道路。", "学校与中国石化九江分公司合作。",
                 "共获金牌14枚,其中国际金牌9枚。", "中国人民大学招生组来校宣讲。"):
        assert "中国" not in names(pipeline.process_text(text), "Place"), text


def test_ambiguous_university_short_forms_and_other_bodies_offices(pipeline):
    doc = pipeline.process_text("绍兴市教育局召开会议。人大、复旦、浙大等高校的招办人员来校宣讲。市招办发布通知。市人大代表视察学校。")
    assert "中国人民大学" in names(doc, "School")
    agencies = names(doc, "Agency")
    assert {"绍兴市招办", "绍兴市人大"} <= agencies  # 市招办, 市人大 are the city's
    招办 = entity(doc, "Agency", "绍兴市招办")
    assert "招办" not in 招办.aliases  # 高校的招办 is a university's office, not the city's


def test_offices_and_divisions_of_a_body(pipeline):
    doc = pipeline.process_text("广东省人民政府新闻办公室8日举行新闻发布会。")
    assert "广东省人民政府新闻办公室" in names(doc, "Agency")
    doc = pipeline.process_text("浙江省教育厅办公室关于推荐2011年汉语教师的通知\n请于4月15日前将材料报送我厅外事处。")
    assert "浙江省教育厅外事处" in names(doc, "Agency")


def test_a_body_at_the_very_start_of_a_text(pipeline):
    doc = pipeline.process_text("市教育局2011学年结束和暑假工作安排的通知\n绍兴市各中小学:要扎实开展“平安校园”创建活动。")
    assert "绍兴市教育局" in names(doc, "Agency")
    assert any(r.subject == "Agency:绍兴市教育局" and r.predicate == "implements" for r in doc.relations)
    doc = pipeline.process_text("委托第三方开展评估。")  # a head at offset 0 with nothing before it
    assert names(doc, "Agency") == set()


def test_faculties_short_school_names_before_a_post_and_two_name_bylines(pipeline):
    doc = pipeline.process_text("刘亚楠同学被首都师范大学音乐学院录取;王同学考入天津外国语大学滨海外事学院。")
    schools = names(doc, "School")
    assert "首都师范大学" in schools and "首都师范大学音乐学院" not in schools  # a faculty names its university
    assert "天津外国语大学滨海外事学院" in schools  # an independent college is a school of its own
    doc = pipeline.process_text("绍兴市教育局召开会议。\n稽山中学副校长王刚作为代表发言。\n(撰文 钟宏娇 朱水军)")
    assert "稽山中学" in names(doc, "School")
    assert {"王刚", "钟宏娇", "朱水军"} <= names(doc, "Person")
    assert "重点中学" not in names(pipeline.process_text("重点中学校长会议召开。"), "School")


def test_party_committee_bodies_prefecture_committees_and_courts(pipeline):
    doc = pipeline.process_text("济南市教育局召开会议。市人民检察院、市综治委联合开展整治。省委教育工作委员会部署工作。")
    assert {"济南市人民检察院", "济南市社会治安综合治理委员会", "山东省委教育工作委员会"} <= names(doc, "Agency")
    doc = pipeline.process_text("大兴安岭地区行署教育局召开会议。地委教育工委书记讲话,地委、行署高度重视。")
    assert {"大兴安岭地区行署教育局", "大兴安岭地委教育工作委员会", "大兴安岭地委", "大兴安岭地区行署"} <= names(doc, "Agency")
    assert "当地教育局" not in all_surface_forms(pipeline.process_text("葫芦岛市教育局要求当地教育局配合。"))


def test_names_after_posts_kinds_and_rare_surnames(pipeline):
    doc = pipeline.process_text(
        "国家总督学顾问陶西平做主旨报告。五位特约嘉宾——中国人民大学教授程方平、丹阳市教师发展中心部门主任笪红梅、"
        "南昌市教育局局长谢为民为与会者带来精彩分享。")
    people = names(doc, "Person")
    assert {"陶西平", "程方平", "笪红梅", "谢为民"} <= people
    assert not people & {"国家总", "顾问"}


def test_schools_named_in_quotes_when_named_or_renamed(pipeline):
    doc = pipeline.process_text(
        "民國10年日治時期學校成立於合誠宮私塾,命名為「草山公學校坪頂分離教室」。民國63年學校改稱「臺北市士林區平等國民小學」。"
        "该校更名为“宁波市第二中学”。学校改为“三年制”。")
    schools = names(doc, "School")
    assert {"草山公学校坪顶分离教室", "台北市士林区平等国民小学", "宁波市第二中学"} <= schools
    assert "日治时期学校" not in schools and "三年制" not in schools


def test_a_school_after_a_chain_of_places_and_committees_after_according_to(pipeline):
    doc = pipeline.process_text("四、海南省万宁市大同中学教师陈某某性骚扰学生问题。")
    assert any(n.endswith("万宁市大同中学") for n in names(doc, "School"))
    doc = pipeline.process_text("新沂市教育局召开会议。智慧教育是按照市委市政府要求建设的。聘请国家男篮胡雪峰教练。")
    assert {"新沂市委", "新沂市人民政府"} <= names(doc, "Agency")
    assert "胡雪峰" in names(doc, "Person")


def test_programmes_joined_to_one_acted_on_share_its_verb(pipeline):
    doc = pipeline.process_text("深入推进普通中小学修身立德工程和职业学校文明修身工程,建立学生成长档案。")
    assert {"普通中小学修身立德工程", "职业学校文明修身工程"} <= names(doc, "Program")


def test_a_short_place_name_before_a_school_word_and_titles_that_are_no_schools():
    doc = Pipeline().process_text(
        "宁波市教育新闻\n连日来,包括镇海中学、龙赛中学、镇海幼儿园在内的21所学校变得透明,鄞州中学新校舍落成。"
        "武汉科技大学校长孔建益讲话。绍兴市第一中学校长到会。下湾一中获贵港市卫生优秀学校称号。"
        "北京小学英语信息化课堂教学研讨会举行。绍兴市小学和浙江省普通高中。")
    schools = {m.text for m in doc.mentions if m.type == "School"}
    assert {"镇海中学", "龙赛中学", "镇海幼儿园", "鄞州中学", "武汉科技大学", "绍兴市第一中学", "下湾一中"} <= schools
    assert not schools & {"武汉科技大学校", "绍兴市第一中", "贵港市卫生优秀学校", "北京小学", "绍兴市小学", "浙江省普通高中"}


def test_persons_after_a_role_in_a_list_after_a_kind_of_person_and_before_a_class():
    doc = Pipeline().process_text(
        "某大学新闻\n学校溯源于清末湖广总督张之洞奏请成立的工艺学堂。培养了原国家女篮队长苗立杰为代表的多位国家队成员。"
        "涌现出以中国工程院院士刘玠、苏义脑、毛新平等为代表的杰出校友。党委书记刘华才告诉记者,学校建有创业基地。"
        "研一学生李丹天从一次新闻报道中看到。9月8日晚,俞毅、刘佳芬等一批先进教师受到表彰。注重培养学生智力因素。")
    persons = {m.text for m in doc.mentions if m.type == "Person"}
    assert {"张之洞", "苗立杰", "刘玠", "苏义脑", "毛新平", "刘华才", "李丹天", "俞毅", "刘佳芬"} <= persons
    assert "智力因素" not in persons and "刘华" not in persons


def test_a_quoted_program_keeps_its_name_before_the_units_it_counts():
    doc = Pipeline().process_text("某大学概况\n“千人计划配套引智工程”项目8项。实施“三个一”工程。")
    programs = {m.text for m in doc.mentions if m.type == "Program"}
    assert "千人计划配套引智工程" in programs and "千人计划配套引智工程项目" not in programs
    assert "三个一工程" in {m.text.replace("“", "").replace("”", "") for m in doc.mentions if m.type == "Program"}
