"""Relations between linked entities, each backed by the sentence that states it.

Sentences are written for these tests (invented bureau prose of 苏州, 固始,
宜昌). Relations are checked by entity names, so a test reads like the card.
"""

from __future__ import annotations

import pytest

from kg.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def triples(doc) -> set[tuple[str, str, str]]:
    ents = doc.entities
    return {(ents[r.subject].name, r.predicate, ents[r.object].name) for r in doc.relations}


def relation(doc, s: str, p: str, o: str):
    for r in doc.relations:
        if doc.entities[r.subject].name == s and r.predicate == p and doc.entities[r.object].name == o:
            return r
    pytest.fail(f"no {s} {p} {o}; relations: {sorted(triples(doc))}")


SUZHOU = """苏州市教育局2019年工作计划
一、2018年工作回顾
我局全面实施“三名工程”,遴选名校长培养对象50名。
太仓市实验小学开展“书香校园”建设活动。
在昆山市推进“智慧教育”示范区建设。
市教育局出台《苏州市中小学教师交流轮岗实施办法》。
将“午餐工程”纳入“民生实事”项目统筹推进。
市教育局党委书记、局长张建国主持召开专题会议。
太仓市实验中学与苏州大学签订合作办学协议。
"""


@pytest.fixture(scope="module")
def suzhou(pipeline):
    return pipeline.process_text(SUZHOU, doc_id="suzhou-relations")


# ---------------------------------------------------------------- implements


def test_speaking_bureau_implements_for_we_sentences(suzhou):
    r = relation(suzhou, "苏州市教育局", "implements", "三名工程")
    assert any("我局全面实施" in e.text for e in r.evidence)


def test_we_sentence_in_a_county_speech(pipeline):
    doc = pipeline.process_text(
        "固始县2021年全县教育工作会议讲话\n县教育局要统筹抓好各项工作。今年,我们要深入推进“县管校聘”改革。",
        doc_id="gushi-we",
    )
    implementers = {doc.entities[r.subject].name for r in doc.relations
                    if r.predicate == "implements" and "县管校聘" in doc.entities[r.object].name}
    assert implementers == {"固始县教育局"}


def test_explicit_school_subject_implements(suzhou):
    relation(suzhou, "太仓市实验小学", "implements", "书香校园建设活动")
    # the school acts here, not the bureau
    assert ("苏州市教育局", "implements", "书香校园建设活动") not in triples(suzhou)


# ---------------------------------------------------------------- locatedIn


def test_program_located_in_place_of_its_clause(suzhou):
    relation(suzhou, "智慧教育示范区", "locatedIn", "昆山市")


def test_school_located_in_place_of_its_name(suzhou):
    relation(suzhou, "太仓市实验小学", "locatedIn", "太仓市")
    relation(suzhou, "太仓市实验中学", "locatedIn", "太仓市")


def test_agency_located_in_its_place(suzhou):
    relation(suzhou, "苏州市教育局", "locatedIn", "苏州市")


# ---------------------------------------------------------------- partOf


def test_places_part_of_their_parents(suzhou):
    relation(suzhou, "太仓市", "partOf", "苏州市")
    relation(suzhou, "昆山市", "partOf", "苏州市")
    # a division the text never names (江苏省 above 苏州市) is no place of the document
    assert "江苏省" not in {e.name for e in suzhou.entities.values()}
    assert not any(o == "江苏省" for _, p, o in triples(suzhou) if p == "partOf")


def test_county_city_province_chain_from_gazetteer(pipeline):
    doc = pipeline.process_text(
        "河南省信阳市固始县2021年全县教育工作会议讲话\n全县新建幼儿园8所。", doc_id="gushi-chain"
    )
    relation(doc, "固始县", "partOf", "信阳市")
    relation(doc, "信阳市", "partOf", "河南省")
    # no shortcut from the county straight to the province
    assert ("固始县", "partOf", "河南省") not in triples(doc)


def test_a_named_place_is_part_of_its_nearest_named_ancestor(pipeline):
    doc = pipeline.process_text("固始县2021年全县教育工作会议讲话\n全县新建幼儿园8所,河南省教育厅给予支持。", doc_id="gushi-skip")
    relation(doc, "固始县", "partOf", "河南省")  # 信阳市 is not named: the edge goes to the province
    assert "信阳市" not in {e.name for e in doc.entities.values()}
    gushi = next(e for e in doc.entities.values() if e.name == "固始县")
    assert gushi.adcode == "411525"  # the code still carries the whole chain


def test_sub_program_included_in_program(suzhou):
    relation(suzhou, "午餐工程", "partOf", "民生实事")
    assert ("民生实事", "partOf", "午餐工程") not in triples(suzhou)


# ---------------------------------------------------------------- issues


def test_bureau_issues_document(suzhou):
    r = relation(suzhou, "苏州市教育局", "issues", "苏州市中小学教师交流轮岗实施办法")
    assert any("出台" in e.text for e in r.evidence)


def test_province_department_issues_document(pipeline):
    doc = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n湖北省教育厅印发《关于加强县域普通高中建设的指导意见》,我市认真贯彻落实。",
        doc_id="yc-issues",
    )
    relation(doc, "湖北省教育厅", "issues", "关于加强县域普通高中建设的指导意见")
    assert ("宜昌市教育局", "issues", "关于加强县域普通高中建设的指导意见") not in triples(doc)


# ---------------------------------------------------------------- memberOf


def test_person_member_of_bureau_and_its_party_committee(suzhou):
    relation(suzhou, "张建国", "memberOf", "苏州市教育局")
    relation(suzhou, "张建国", "memberOf", "苏州市教育局党委")
    person = next(e for e in suzhou.entities.values() if e.type == "Person" and e.name == "张建国")
    assert person.post is not None and "局长" in person.post
    assert "党委书记" in person.post


def test_person_post_in_a_document_not_naming_the_bureau_elsewhere(pipeline):
    doc = pipeline.process_text(
        "宜昌市2020年教育工作会议讲话\n市教育局党委书记、局长李国华作工作报告。",
        doc_id="yc-member",
    )
    relation(doc, "李国华", "memberOf", "宜昌市教育局")
    relation(doc, "李国华", "memberOf", "宜昌市教育局党委")


# ---------------------------------------------------------------- cooperatesWith


def test_school_cooperates_with_university(suzhou):
    relation(suzhou, "太仓市实验中学", "cooperatesWith", "苏州大学")


def test_bureau_cooperates_with_university(pipeline):
    doc = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n我局与三峡大学签订合作办学协议,共建教师发展学院。",
        doc_id="yc-coop",
    )
    relation(doc, "宜昌市教育局", "cooperatesWith", "三峡大学")


# ---------------------------------------------------------------- evidence


def test_every_relation_has_evidence_cut_from_the_text(suzhou, pipeline):
    trad = pipeline.process_text(
        "蘇州市教育局2020年工作總結\n蘇州市教育局全面推行“縣管校聘”改革。太倉市實驗中學與蘇州大學簽訂合作辦學協議。",
        doc_id="trad-relations",
    )
    for doc in (suzhou, trad):
        assert doc.relations
        for r in doc.relations:
            assert r.evidence, r
            for e in r.evidence:
                assert e.doc_id == doc.doc_id
                assert doc.text[e.start:e.end] == e.text


def test_relation_endpoints_are_linked_entities(suzhou):
    for r in suzhou.relations:
        assert r.subject in suzhou.entities and r.object in suzhou.entities
        s, o = suzhou.entities[r.subject].type, suzhou.entities[r.object].type
        allowed = {
            "implements": ({"Agency", "School"}, {"Program"}),
            "locatedIn": ({"Program", "School", "Agency"}, {"Place"}),
            "partOf": ({"Place", "Agency", "Program"}, {"Place", "Agency", "Program"}),
            "issues": ({"Agency"}, {"PolicyDocument"}),
            "memberOf": ({"Person"}, {"Agency"}),
            "cooperatesWith": ({"School", "Agency"}, {"School", "Agency"}),
        }[r.predicate]
        assert s in allowed[0] and o in allowed[1], (r, s, o)
        if r.predicate == "partOf":
            assert s == o, r


def test_pilot_places_of_a_later_clause(pipeline):
    doc = pipeline.process_text(
        "浙江省教育厅2022年工作要点\n深化“县管校聘”管理改革,在杭州市、宁波市开展试点。", doc_id="zj-pilot")
    relation(doc, "县管校聘", "locatedIn", "杭州市")
    relation(doc, "县管校聘", "locatedIn", "宁波市")


def test_cooperation_between_the_two_named_schools(pipeline):
    doc = pipeline.process_text(
        "在隆回县2022年全县教育工作会议上的讲话\n支持隆回县职业中专学校与湖南工业职业技术学院开展合作办学。", doc_id="coop")
    relation(doc, "隆回县职业中专学校", "cooperatesWith", "湖南工业职业技术学院")
    assert not any(p == "cooperatesWith" and s == "隆回县教育局" for s, p, o in triples(doc))


def test_post_after_the_name(pipeline):
    doc = pipeline.process_text("曲靖市2021年教育工作会议讲话\n市教育体育局张明华局长作了工作报告。", doc_id="post-after")
    relation(doc, "张明华", "memberOf", "曲靖市教育体育局")
    assert doc.entities["Person:张明华"].post == "局长"


def test_places_a_later_clause_sends_the_program_to(pipeline):
    doc = pipeline.process_text(
        "长治市2019年教育工作总结\n全年通过“特岗计划”招聘特岗教师420名,全部充实到平顺、壶关等县农村学校。", doc_id="tg")
    relation(doc, "特岗计划", "locatedIn", "平顺县")
    relation(doc, "特岗计划", "locatedIn", "壶关县")


def test_a_school_that_speaks_for_itself_implements_what_it_carries_out():
    from kg.pipeline import Pipeline

    text = ("绍兴市第一中学2019学年工作要点\n一、加强德育。我校深入开展“最美教室”评比活动,"
            "全面实施“英贤计划”。\n二、市教育局检查我校工作。\n")
    doc = Pipeline().process_text(text)
    impl = {(doc.entities[r.subject].name, doc.entities[r.object].name) for r in doc.relations if r.predicate == "implements"}
    assert ("绍兴市第一中学", "英贤计划") in impl
    assert not any(s == "绍兴市教育局" for s, _ in impl)


def test_people_of_schools_and_bodies_they_speak_for():
    from kg.pipeline import Pipeline

    text = ("合肥市第四十六中学新闻\n在合肥市教育局领导的率领下,我校教师前往阜南县。王斌代表合肥市教育局表示要加强交流。"
            "同时46中的英语学科倪环老师随车前来。\n联系人:市教育局徐雪刚,联系电话:88905956。\n")
    doc = Pipeline().process_text(text)
    member = {(doc.entities[r.subject].name, doc.entities[r.object].name) for r in doc.relations if r.predicate == "memberOf"}
    assert ("王斌", "合肥市教育局") in member
    assert ("倪环", "46中") in member
    assert ("徐雪刚", "合肥市教育局") in member


def test_the_body_that_signs_a_notice_speaks_in_it_and_its_heading_is_the_document():
    from kg.pipeline import Pipeline

    text = ("绍兴市教育局关于做好2024年中小学教坛新秀推荐工作的通知\n各区、县(市)教体局:\n"
            "为培养青年骨干教师,我局决定开展中小学教坛新秀推荐工作。\n绍兴市教育局\n2024年5月30日\n")
    doc = Pipeline().process_text(text)
    docs = {e.name for e in doc.entities.values() if e.type == "PolicyDocument"}
    assert "绍兴市教育局关于做好2024年中小学教坛新秀推荐工作的通知" in docs
    issued = {(doc.entities[r.subject].name, doc.entities[r.object].name) for r in doc.relations if r.predicate == "issues"}
    assert ("绍兴市教育局", "绍兴市教育局关于做好2024年中小学教坛新秀推荐工作的通知") in issued
    assert "Agency:绍兴市教育体育局" not in doc.entities  # 各区、县(市)教体局 is a group, not the city's bureau


def test_titles_listed_after_their_issuers_and_jointly_issued_documents():
    from kg.pipeline import Pipeline

    text = ("根据国家卫健委、教育部《中小学防控技术方案》、《高等学校防控技术方案》要求,做好防控。"
            "落实与最高人民法院、最高人民检察院联合印发的《关于落实从业禁止制度的意见》。在市委市府的支持下推进。")
    doc = Pipeline().process_text(text)
    issued = {(doc.entities[r.subject].name, doc.entities[r.object].name) for r in doc.relations if r.predicate == "issues"}
    for body in ("国家卫生健康委员会", "教育部"):
        assert (body, "中小学防控技术方案") in issued and (body, "高等学校防控技术方案") in issued
    assert ("最高人民法院", "关于落实从业禁止制度的意见") in issued
    assert ("最高人民检察院", "关于落实从业禁止制度的意见") in issued


def test_a_national_body_is_not_in_the_place_its_name_holds():
    from kg.pipeline import Pipeline

    doc = Pipeline().process_text("教育部办公厅通知\n各省、自治区、直辖市教育厅(教委),新疆生产建设兵团教育局:请做好开学工作。\n")
    located = {(doc.entities[r.subject].name, doc.entities[r.object].name) for r in doc.relations if r.predicate == "locatedIn"}
    assert not any(s == "新疆生产建设兵团教育局" for s, _ in located)


def test_a_chain_of_posts_and_the_heads_of_a_government(pipeline):
    doc = pipeline.process_text(
        "洛阳市第三届运动会开幕。出席开幕式的有:市委副书记、市运会组委会主任、市长李明华,副市长赵青等。"
        "县长王立新到洛宁县第一中学视察。")
    t = triples(doc)
    assert ("李明华", "memberOf", "洛阳市委") in t
    assert ("李明华", "memberOf", "洛阳市人民政府") in t
    assert ("赵青", "memberOf", "洛阳市人民政府") in t
    assert "洛阳市人民政府" in {e.name for e in doc.entities.values() if e.type == "Agency"}
    assert not any(s == "王立新" and o.endswith("人民政府") and not o.startswith("洛宁县") for s, p, o in t)


def test_hosts_of_an_event_implement_it(pipeline):
    doc = pipeline.process_text(
        "洛阳市第三届运动会暨全民健身大会由洛阳市人民政府主办,洛阳市教育局承办。\n"
        "2017年10月28日,第四届“中国未来教育家成长论坛”在天津拉开帷幕。会议由中国教育学会主办,天津市北辰区教育局承办。\n"
        "由济南市教育局、济南广播电视台共同举办的“未来学校VR智慧课堂教育教学研讨会”同步举行。")
    t = triples(doc)
    assert ("洛阳市人民政府", "implements", "洛阳市第三届运动会暨全民健身大会") in t
    assert ("洛阳市教育局", "implements", "洛阳市第三届运动会暨全民健身大会") in t
    assert any(s.endswith("北辰区教育局") and p == "implements" and "中国未来教育家成长论坛" in o for s, p, o in t)
    assert ("济南市教育局", "implements", "未来学校VR智慧课堂教育教学研讨会") in t
    doc = pipeline.process_text("市教育局实施“全面改薄”工程。学校举办“读书节”和“科技节”活动。")
    assert not any(p == "implements" and s.endswith("教育局") and "节" in o for s, p, o in triples(doc))
