"""Tests for kg.numbers: numerals, units, qualifiers, kinds, exclusions."""

from __future__ import annotations

import doctest
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import kg.numbers
from kg.numbers import Quantity, find_quantities, load_units, parse_number

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# ---------------------------------------------------------------- parse_number

@pytest.mark.parametrize(
    "s, expected",
    [
        ("十", "10"),
        ("十五", "15"),
        ("三十六", "36"),
        ("百", "100"),
        ("两千", "2000"),
        ("一百零八", "108"),
        ("三千零五", "3005"),
        ("十二万", "120000"),
        ("一千三百六十万", "13600000"),
        ("三亿五千万", "350000000"),
        ("百分之九十", "90"),
        ("百分之七十五点五", "75.5"),
        ("四点二", "4.2"),
        ("1.2万", "12000"),
        ("3.5亿", "350000000"),
        ("5,900", "5900"),
        ("1,234,567.5", "1234567.5"),
        ("37.81", "37.81"),
        ("0", "0"),
    ],
)
def test_parse_number(s: str, expected: str) -> None:
    assert parse_number(s) == Decimal(expected)


@pytest.mark.parametrize("s", ["XX", "20XX", "", "万", "abc", "三点", "1.2.3"])
def test_parse_number_rejects(s: str) -> None:
    assert parse_number(s) is None


# -------------------------------------------------------------- find_quantities

def one(text: str) -> Quantity:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    q = qs[0]
    assert text[q.start:q.end] == q.text
    return q


# text, surface, value, unit, kind, qualifier
CASES = [
    # Arabic, thousands separators, decimals
    ("共招聘教师3800人,充实一线", "3800人", "3800", "人", "level", None),
    ("完成助学贷款5,900人", "5,900人", "5900", "人", "level", None),
    ("受教育年限达到12.56年", "12.56年", "12.56", "年", "level", None),
    ("学制3年", "3年", "3", "年", "level", None),
    ("共评选出18名骨干", "18名", "18", "名", "level", None),
    ("接待来访35人次", "35人次", "35", "人次", "level", None),
    ("改造操场8处", "8处", "8", "处", "level", None),
    ("配备计算机420台", "420台", "420", "台", "level", None),
    ("征地36亩", "36亩", "36", "亩", "level", None),
    ("生均公用经费650元/生/年", "650元/生/年", "650", "元/生/年", "level", None),
    ("平均年龄41岁", "41岁", "41", "岁", "level", None),
    ("整改问题 27 个", "27 个", "27", "个", "level", None),
    # scales stay in the unit
    ("新建校舍2.3万平方米", "2.3万平方米", "2.3", "万平方米", "level", None),
    ("累计投入15.06亿元", "15.06亿元", "15.06", "亿元", "level", None),
    ("惠及学生8万人", "8万人", "8", "万人", "level", None),
    ("培训教师6.2万人次", "6.2万人次", "6.2", "万人次", "level", None),
    ("争取专项经费2500万,用于", "2500万", "2500", "万", "level", None),
    ("发放补助资金480万元", "480万元", "480", "万元", "level", None),
    ("面积4.1万 平方米", "4.1万 平方米", "4.1", "万平方米", "level", None),
    ("覆盖30多万人", "30多万人", "30", "万人", "level", "approx"),
    # Chinese numerals
    ("招聘教师两千余人", "两千余人", "2000", "人", "count_words", "approx"),
    ("三百余所学校参加", "三百余所", "300", "所", "count_words", "approx"),
    ("表彰百名优秀教师", "百名", "100", "名", "count_words", None),
    ("组织了三次专项督导", "三次", "3", "次", "count_words", None),
    ("开展两轮评估", "两轮", "2", "轮", "count_words", None),
    ("设立十二个工作组", "十二个", "12", "个", "count_words", None),
    ("参加人数十二万人", "十二万人", "12", "万人", "count_words", None),
    # percentages and points
    ("合格率为98.5%", "98.5%", "98.5", "%", "level", None),
    ("覆盖率百分之九十", "百分之九十", "90", "%", "level", None),
    ("达到90%以上", "90%以上", "90", "%", "level", "atLeast"),
    ("控制在5%以内", "5%以内", "5", "%", "level", "atMost"),
    ("提高了3个百分点", "3个百分点", "3", "个百分点", "change", None),
    # qualifiers, each word
    ("约300名学生", "约300名", "300", "名", "level", "approx"),
    ("大约40%的学生", "大约40%", "40", "%", "level", "approx"),
    ("近5亿元", "近5亿元", "5", "亿元", "level", "approx"),
    ("将近8万人", "将近8万人", "8", "万人", "level", "approx"),
    ("入园率接近85%", "接近85%", "85", "%", "level", "approx"),
    ("培训200人左右", "200人左右", "200", "人", "level", "approx"),
    ("每班45人上下", "45人上下", "45", "人", "level", "approx"),
    ("处理12余件次", "12余件次", "12", "件次", "level", "approx"),
    ("受理40多件次", "40多件次", "40", "件次", "level", "approx"),
    ("投入超过3亿元", "超过3亿元", "3", "亿元", "level", "atLeast"),
    ("每年不低于20学时", "不低于20学时", "20", "学时", "level", "atLeast"),
    ("不少于60课时", "不少于60课时", "60", "课时", "level", "atLeast"),
    ("受益学生逾2万人", "逾2万人", "2", "万人", "level", "atLeast"),
    ("班额不超过45人", "不超过45人", "45", "人", "level", "atMost"),
    ("生师比不高于19%", "不高于19%", "19", "%", "level", "atMost"),
    ("辍学率低于1%", "低于1%", "1", "%", "level", "atMost"),
    ("班额控制在40人以下", "40人以下", "40", "人", "level", "atMost"),
    ("规模达到2000人以上", "2000人以上", "2000", "人", "level", "atLeast"),
    # ratios
    ("职普比大体相当4.5:5.5", "4.5:5.5", "4.5", ":5.5", "ratio", None),
    ("师生比1∶13.5", "1∶13.5", "1", "∶13.5", "ratio", None),
    ("职普比4︰6", "4︰6", "4", "︰6", "ratio", None),
    # ranks
    ("以全市第三名的成绩", "第三名", "3", "名", "rank", None),
    ("位居全国第五", "第五", "5", "名", "rank", None),
    ("综合排名第7", "第7", "7", "名", "rank", None),
    ("获得第2名", "第2名", "2", "名", "rank", None),
]


@pytest.mark.parametrize("text, surface, value, unit, kind, qualifier", CASES)
def test_find_quantity(text: str, surface: str, value: str, unit: str, kind: str,
                       qualifier: str | None) -> None:
    q = one(text)
    assert (q.text, q.value, q.unit, q.kind, q.qualifier) == (
        surface, Decimal(value), unit, kind, qualifier)
    assert text.index(surface) == q.start


@pytest.mark.parametrize(
    "text, value, unit, base_year",
    [
        ("经费比2012年增加了5.3亿元", "5.3", "亿元", 2012),
        ("在校生较2010年增长12.5%", "12.5", "%", 2010),
        ("与2014年相比减少了3所", "3", "所", 2014),
        ("毛入学率比上年提高2个百分点", "2", "个百分点", None),
        ("年均递增6.1%", "6.1", "%", None),
        ("近视率下降了两个百分点", "2", "个百分点", None),
    ],
)
def test_change_with_base_year(text: str, value: str, unit: str, base_year: int | None) -> None:
    q = one(text)
    assert (q.value, q.unit, q.kind, q.base_year) == (Decimal(value), unit, "change", base_year)


def test_change_base_year_carries_across_clause() -> None:
    qs = find_quantities("比2011年增加了3.2亿元,增长21.5%,年均递增4.4%。")
    assert [(q.kind, q.base_year) for q in qs] == [("change", 2011)] * 3


def test_change_coordinated_with_and() -> None:
    qs = find_quantities("分别比上年增长7.5%和9.25%")
    assert [q.kind for q in qs] == ["change", "change"]


def test_raised_to_is_level() -> None:
    qs = find_quantities("由原来的每人每月20元提高到每人每月120元")
    assert [(q.value, q.unit, q.kind) for q in qs] == [
        (Decimal(20), "元", "level"), (Decimal(120), "元", "level")]


def test_new_additions_are_level() -> None:
    assert one("新增学位3000个").kind == "level"


def test_change_verb_far_from_number_is_level() -> None:
    assert one("省质量提升计划项目校6所").kind == "level"


@pytest.mark.parametrize(
    "text",
    [
        # placeholders
        "新改扩建 XX 所幼儿园", "全市有XXX名教师", "X 个食堂项目", "投入资金 XX 万元",
        "召开20XX年全市教育工作会议", "改造校舍XXX 万平方米",
        # years, dates, times, periods
        "2015年是收官之年", "2018-2020年", "8月20日至21日在济南召开", "时间:2022-06-05 09:31:00",
        "“十三五”时期", "十二五规划", "“十四五”开局",
        # ordinals and section numbers
        "第三批试点", "第一要务", "1.贯彻落实教育规划纲要", "(一)突出重点", "第十次会议",
        # numeral words
        "建设一流大学", "充实教学一线", "“三严三实”专题教育", "一是推进学前教育", "二是促进均衡",
        "统一部署", "唯一的途径", "之一", "三通两平台建设", "落实四个全面", "两学一做学习教育",
        "一师一优课、一课一名师", "一批骨干", "提高每一所学校的办学水平", "“五个着力”",
        "九年一贯制学校", "严格执行八项规定", "取消三轮车接送", "三位一体成绩应用", "五位一体总体布局", "一生一策",
        # numbers before non-units
        "全市5星幼儿园", "3级", "A类", "建党90周年", "“3+2”分段", "20.56KB", "两点意见",
        "千方百计", "千家万户",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_year_then_quantity() -> None:
    q = one("2016年力争创建示范学校20所")
    assert (q.value, q.unit) == (Decimal(20), "所")


def test_range_lower_bound() -> None:
    q = one("规划建设2-3处义务教育学校")
    assert (q.text, q.value, q.unit, q.qualifier) == ("2-3处", Decimal(2), "处", "atLeast")


def test_spans_sorted_non_overlapping() -> None:
    text = "全市有幼儿园581所,比2010年增加了232所,入园率接近90%,比2010年提高了9个百分点。"
    qs = find_quantities(text)
    assert [q.text for q in qs] == ["581所", "232所", "接近90%", "9个百分点"]
    for a, b in zip(qs, qs[1:]):
        assert a.end <= b.start
    assert all(text[q.start:q.end] == q.text for q in qs)


def test_units_file_loaded_with_scaled_forms() -> None:
    units = load_units()
    for u in ("所", "万元", "亿元", "万平方米", "万人次", "个百分点", "%"):
        assert u in units
    assert list(units) == sorted(units, key=len, reverse=True)


def test_doctests() -> None:
    result = doctest.testmod(kg.numbers)
    assert result.failed == 0 and result.attempted > 10


# ------------------------------------------------------------------------ seeds

def _read_seed(path: Path) -> str:
    return unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_runs(path: Path) -> None:
    text = _read_seed(path)
    qs = find_quantities(text)
    assert all(text[q.start:q.end] == q.text for q in qs)
    assert all(a.end <= b.start for a, b in zip(qs, qs[1:]))


def test_seed_000_known_values() -> None:
    path = next(SEEDS.glob("000_*.txt"), None)
    if path is None:
        pytest.skip("seed 000 not present")
    found = {(q.value, q.unit, q.kind, q.base_year) for q in find_quantities(_read_seed(path))}
    values = {(v, u) for v, u, _, _ in found}
    assert (Decimal("29.74"), "亿元") in values
    assert (Decimal("37.81"), "%") in values
    assert (Decimal("1.5"), "万平方米") in values
    assert (Decimal("9"), "个百分点", "change", 2010) in found
    assert (Decimal("4.5"), "︰5.5") in values
    assert (Decimal("2"), "名", "rank", None) in found
