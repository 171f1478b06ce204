"""Segmentation: heading levels, review/plan sections, heading years, sentences.

All texts are written for these tests (invented bureau prose, not seed text).
"""

from __future__ import annotations

import pytest

from kg.pipeline import Pipeline
from kg.segment import effective

WORK_PLAN = """苏州市教育局2019年工作计划
一、2018年工作回顾
(一)学前教育普及普惠
全市新建改扩建幼儿园23所,新增学位6900个。
1.推进集团化办学
全市组建教育集团18个。
二、2019年工作安排
(一)推进义务教育优质均衡
1.实施“三名工程”
一是培养市级学科带头人200名。二是建设名校长工作室10个。
三、重点工作
(二)深化教育综合改革
各地要积极推进“县管校聘”管理改革。
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def plan_doc(pipeline):
    return pipeline.process_text(WORK_PLAN, doc_id="suzhou-2019-plan")


def section(doc, title_start: str):
    hits = [s for s in doc.sections if s.title.startswith(title_start)]
    assert hits, f"no section titled {title_start!r}: {[s.title for s in doc.sections]}"
    return hits[0]


def test_heading_levels(plan_doc):
    assert section(plan_doc, "一、2018年工作回顾").level == 1
    assert section(plan_doc, "(一)学前教育普及普惠").level == 2
    assert section(plan_doc, "1.推进集团化办学").level == 3
    assert section(plan_doc, "一是培养市级学科带头人").level == 4
    assert section(plan_doc, "三、重点工作").level == 1


def test_heading_tree_parents(plan_doc):
    top = section(plan_doc, "二、2019年工作安排")
    sub = section(plan_doc, "(一)推进义务教育优质均衡")
    item = section(plan_doc, "1.实施“三名工程”")
    assert sub.parent == top.index
    assert item.parent == sub.index
    # a new level-1 heading closes the previous one
    assert top.end <= section(plan_doc, "三、重点工作").start


def test_full_width_and_enumeration_variants(pipeline):
    doc = pipeline.process_text(
        "郑州市教育局2020年工作要点\n一、总体要求\n（二）主要目标\n3、完善督导体制\n第一,加强师德建设。\n",
        doc_id="zz-variants",
    )
    assert section(doc, "一、总体要求").level == 1
    assert section(doc, "(二)主要目标").level == 2  # full-width brackets normalised
    assert section(doc, "3、完善督导体制").level == 3
    assert section(doc, "第一,加强师德建设").level == 4


def test_numbers_at_line_start_are_not_headings(pipeline):
    doc = pipeline.process_text(
        "宜昌市教育局2020年工作总结\n2020年全市教育经费投入达到45.6亿元。\n2.5万名教师参加了线上培训。\n",
        doc_id="yc-numbers",
    )
    assert [s.level for s in doc.sections] == [0]


def test_review_and_plan_kinds(plan_doc):
    assert section(plan_doc, "一、2018年工作回顾").kind == "review"
    assert section(plan_doc, "二、2019年工作安排").kind == "plan"
    assert section(plan_doc, "三、重点工作").kind == "plan"


def test_subsections_inherit_kind_and_year(plan_doc):
    sub = section(plan_doc, "(一)学前教育普及普惠")
    assert effective(plan_doc.sections, sub.index) == ("review", 2018)
    item = section(plan_doc, "1.实施“三名工程”")
    assert effective(plan_doc.sections, item.index) == ("plan", 2019)


def test_heading_years(plan_doc):
    assert section(plan_doc, "一、2018年工作回顾").year == 2018
    assert section(plan_doc, "二、2019年工作安排").year == 2019
    assert section(plan_doc, "三、重点工作").year is None


def test_other_review_and_plan_wordings(pipeline):
    doc = pipeline.process_text(
        "襄阳市教育局工作报告\n一、2020年主要成绩\n二、“十四五”时期目标任务\n三、2021年工作思路\n",
        doc_id="xy-kinds",
    )
    assert section(doc, "一、2020年主要成绩").kind == "review"
    assert section(doc, "二、“十四五”时期目标任务").kind == "plan"
    assert section(doc, "三、2021年工作思路").kind == "plan"
    assert section(doc, "三、2021年工作思路").year == 2021


def test_sentences_split_on_end_punctuation(pipeline):
    doc = pipeline.process_text(
        "固始县教育局召开全县校长会议。安全工作怎么抓?必须压实责任!全县各校要立即行动。",
        doc_id="gs-sentences",
    )
    assert [s.text for s in doc.sentences] == [
        "固始县教育局召开全县校长会议。",
        "安全工作怎么抓?",
        "必须压实责任!",
        "全县各校要立即行动。",
    ]


def test_sentence_ends_after_closing_quote(pipeline):
    doc = pipeline.process_text("局长强调:“教育是最大的民生。”全县上下要形成合力。", doc_id="quote-end")
    assert [s.text for s in doc.sentences] == ["局长强调:“教育是最大的民生。”", "全县上下要形成合力。"]


def test_sentence_offsets_cut_their_text(plan_doc, pipeline):
    trad = pipeline.process_text("湖北省教育廳印發《關於加強中小學教師隊伍建設的實施意見》。全省新增學位3.2萬個!", doc_id="hb-trad")
    for doc in (plan_doc, trad):
        assert doc.sentences
        for s in doc.sentences:
            assert doc.text[s.start:s.end] == s.text
            assert s.text == s.text.strip()
        starts = [s.start for s in doc.sentences]
        assert starts == sorted(starts)


def test_sentences_know_their_section(plan_doc):
    sent = next(s for s in plan_doc.sentences if s.text.startswith("全市组建教育集团"))
    assert plan_doc.sections[sent.section].title == "1.推进集团化办学"
    sent = next(s for s in plan_doc.sentences if "县管校聘" in s.text)
    assert plan_doc.sections[sent.section].title == "(二)深化教育综合改革"


def test_heading_with_the_speech_year_plans(pipeline):
    doc = pipeline.process_text(
        "——在2021年全市教育工作会议上的讲话\n今天召开会议,回顾总结2020年工作,安排部署2021年任务。\n"
        "一、2020年工作取得新成效\n全市新建幼儿园12所。\n二、突出重点,全力抓好2021年教育工作\n今年全市新建公办幼儿园40所。",
        doc_id="speech-years")
    kinds = {s.title[:6]: s.kind for s in doc.sections if s.level == 1}
    assert list(kinds.values()) == ["review", "plan"]
    by_value = {str(o.value): o.status for o in doc.observations}
    assert by_value == {"12": "achieved", "40": "target"}


def test_summary_with_plan_reviews_its_own_year(pipeline):
    doc = pipeline.process_text(
        "郸城县教育体育局2020年工作总结及2021年工作计划\n一、2020年工作开展情况\n全年投入教育资金4.3亿元,比上年增长12.5%。"
        "积极争取中央和省级专项资金5.2亿元。\n二、2021年工作计划\n新建幼儿园10所。", doc_id="dc")
    by_value = {str(o.value): (o.status, o.year) for o in doc.observations}
    assert by_value["4.3"] == ("achieved", 2020) and by_value["5.2"] == ("achieved", 2020)
    assert by_value["10"] == ("target", 2021)


def test_section_at_is_the_innermost_section(plan_doc):
    """The binary search gives what a scan of every section gives, at every offset."""
    from kg.segment import section_at

    sections = plan_doc.sections

    def scan(offset: int) -> int:
        best = 0
        for sec in sections:
            if sec.start <= offset < sec.end and sec.level >= sections[best].level:
                best = sec.index
        return best

    for offset in range(len(plan_doc.text)):
        assert section_at(sections, offset) == scan(offset), offset


def test_a_run_without_end_marks_is_cut_at_clause_marks() -> None:
    """Text that never ends a sentence (scraped without 。) is read in pieces, cut after a comma."""
    from kg.segment import MAX_SENTENCE, split_sentences

    clause = "全市新建幼儿园23所,"
    text = clause * (3 * MAX_SENTENCE // len(clause))
    pieces = split_sentences(text, [])
    assert len(pieces) >= 3
    assert all(len(s.text) <= MAX_SENTENCE and s.text.endswith(",") for s in pieces[:-1])
    assert "".join(s.text for s in pieces) == text.strip()
    hard = "学" * (2 * MAX_SENTENCE + 5)  # no mark at all: cut at the limit
    assert [len(s.text) for s in split_sentences(hard, [])] == [MAX_SENTENCE, MAX_SENTENCE, 5]
