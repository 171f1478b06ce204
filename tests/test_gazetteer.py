"""Gazetteer: divisions table, short names, hierarchy, find() precision, resolve()."""

from __future__ import annotations

import re

import pytest

from kg.gazetteer import Division, Gazetteer, PlaceMatch, is_common_word, short_names
from kg.lexicon import load_table


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def surfaces(matches: list[PlaceMatch]) -> list[str]:
    return [m.surface for m in matches]


# ---------------------------------------------------------------- the table
def test_table_size_and_provinces(gaz: Gazetteer) -> None:
    rows = load_table("divisions.tsv", 4)
    assert len(rows) >= 3000
    assert len(gaz) == len(rows)
    provinces = [d for d in gaz if d.level == "province"]
    assert len(provinces) == 34
    names = {d.name for d in provinces}
    for n in ("北京市", "台湾省", "香港特别行政区", "澳门特别行政区", "新疆维吾尔自治区", "重庆市"):
        assert n in names


def test_adcodes_levels_and_parents(gaz: Gazetteer) -> None:
    pattern = re.compile(r"^[1-9]\d{5}$")
    for d in gaz:
        assert pattern.match(d.adcode), d
        assert d.level in ("province", "city", "county")
        if d.level == "province":
            assert d.parent is None and d.adcode.endswith("0000")
        else:
            assert d.parent is not None and gaz.get(d.parent) is not None, d
            assert d.parent[:2] == d.adcode[:2]
            assert gaz.ancestors(d.adcode)[-1].level == "province"


def test_rows_sorted_and_unique() -> None:
    codes = [r[0] for r in load_table("divisions.tsv", 4)]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))


def test_no_placeholder_rows(gaz: Gazetteer) -> None:
    for d in gaz:
        assert d.name not in ("市辖区", "县", "省直辖县级行政区划")
        assert "直辖" not in d.name
    assert gaz.get("110100") is None  # city-level duplicate of 北京市
    assert gaz.get("990000") is None


# ---------------------------------------------------------------- hierarchy
def test_xingcheng_hierarchy(gaz: Gazetteer) -> None:
    d = gaz.get("211481")
    assert d is not None and d.name == "兴城市" and d.level == "county" and d.parent == "211400"
    assert [a.adcode for a in gaz.ancestors("211481")] == ["211400", "210000"]
    assert [a.name for a in gaz.ancestors("211481")] == ["葫芦岛市", "辽宁省"]
    assert gaz.get("211403").name == "龙港区"
    assert gaz.ancestors("210000") == []


def test_daxinganling(gaz: Gazetteer) -> None:
    assert gaz.get("232700").name == "大兴安岭地区"
    assert gaz.get("232700").level == "city"
    assert gaz.get("232761").name == "加格达奇区"
    assert gaz.get("232761").parent == "232700"
    assert gaz.get("370116").name == "莱芜区"


def test_parents_without_city_and_municipalities(gaz: Gazetteer) -> None:
    assert gaz.get("429004").name == "仙桃市" and gaz.get("429004").parent == "420000"
    assert gaz.get("110105").parent == "110000"
    assert gaz.get("310101").parent == "310000"
    assert gaz.get("500229").parent == "500000"


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    "full, short",
    [
        ("兴城市", ("兴城",)),
        ("建昌县", ("建昌",)),
        ("龙港区", ("龙港",)),
        ("辽宁省", ("辽宁",)),
        ("上海市", ("上海",)),
        ("广西壮族自治区", ("广西",)),
        ("内蒙古自治区", ("内蒙古",)),
        ("新疆维吾尔自治区", ("新疆",)),
        ("香港特别行政区", ("香港",)),
        ("延边朝鲜族自治州", ("延边",)),
        ("喀喇沁左翼蒙古族自治县", ("喀喇沁左翼",)),
        ("大兴安岭地区", ("大兴安岭",)),
        ("锡林郭勒盟", ("锡林郭勒",)),
        ("神农架林区", ("神农架",)),
        ("城区", ()),
        ("郊区", ()),
        ("义县", ()),
    ],
)
def test_short_names(full: str, short: tuple[str, ...]) -> None:
    assert short_names(full) == short


def test_by_name(gaz: Gazetteer) -> None:
    assert [d.adcode for d in gaz.by_name("兴城")] == ["211481"]
    assert {d.adcode for d in gaz.by_name("朝阳区")} == {"110105", "220104"}
    assert "211300" in {d.adcode for d in gaz.by_name("朝阳")}
    assert gaz.by_name("不存在的地方") == ()


def test_common_words_from_jieba() -> None:
    for w in ("建设", "和平", "光明", "红旗", "朝阳", "中山"):
        assert is_common_word(w), w
    for w in ("兴城", "建昌", "绥中"):
        assert not is_common_word(w), w


# ---------------------------------------------------------------- find
def test_find_full_names_exact_spans(gaz: Gazetteer) -> None:
    text = "据悉,辽宁省葫芦岛市兴城市的三所学校已完成改造。"
    ms = gaz.find(text)
    assert surfaces(ms) == ["辽宁省", "葫芦岛市", "兴城市"]
    for m in ms:
        assert text[m.start : m.end] == m.surface
    assert (ms[0].start, ms[0].end) == (3, 6)
    assert (ms[1].start, ms[1].end) == (6, 10)
    assert (ms[2].start, ms[2].end) == (10, 13)
    assert [d.adcode for d in ms[2].candidates] == ["211481"]


def test_find_longest_match(gaz: Gazetteer) -> None:
    ms = gaz.find("葫芦岛市教育局召开会议")
    assert surfaces(ms) == ["葫芦岛市"]
    ms = gaz.find("加格达奇区隶属大兴安岭地区管辖")
    assert surfaces(ms) == ["加格达奇区", "大兴安岭地区"]
    assert ms[0].candidates[0].parent == ms[1].candidates[0].adcode


def test_find_province_and_city_short_names(gaz: Gazetteer) -> None:
    ms = gaz.find("今年我们组织校长赴上海、浙江学习,并与辽宁兄弟城市交流。")
    assert surfaces(ms) == ["上海", "浙江", "辽宁"]
    assert [m.candidates[0].adcode for m in ms] == ["310000", "330000", "210000"]
    assert surfaces(gaz.find("葫芦岛教育发展势头良好")) == ["葫芦岛"]


def test_find_county_short_needs_evidence(gaz: Gazetteer) -> None:
    sentence = "去年兴城新建了两所幼儿园。"
    assert gaz.find(sentence) == []
    ms = gaz.find(sentence, context=["211400"])
    assert surfaces(ms) == ["兴城"] and ms[0].candidates[0].adcode == "211481"
    assert surfaces(gaz.find(sentence, context=["210000"])) == ["兴城"]
    assert gaz.find(sentence, context=["110000"]) == []
    # directly after its city, in a listing, before 一带
    assert surfaces(gaz.find("葫芦岛市兴城新建了两所幼儿园")) == ["葫芦岛市", "兴城"]
    assert surfaces(gaz.find("兴城、建昌两地新建幼儿园")) == ["兴城", "建昌"]
    assert surfaces(gaz.find("兴城一带的学校")) == ["兴城"]


def test_find_rejects_common_words(gaz: Gazetteer) -> None:
    text = "要坚持以建设促发展,加快开发,维护和平,推动光明前景,幸福建设,长江西岸风光好。"
    assert gaz.find(text) == []
    # context does not turn a county-level common word into a place
    assert gaz.find("维护和平稳定的环境", context=["120000"]) == []


def test_find_rejects_words_after_short_names(gaz: Gazetteer) -> None:
    assert surfaces(gaz.find("他毕业于北京大学,住在南京路。")) == []


def test_find_rejects_placeholders_and_generic(gaz: Gazetteer) -> None:
    assert gaz.find("XX县、XX市、××区要按时上报数据。") == []
    assert gaz.find("城区学校与郊区学校结对帮扶,老城区改造") == []
    assert gaz.find("海城市场繁荣,江南区域协调发展") == []


def test_find_chaoyang(gaz: Gazetteer) -> None:
    assert gaz.find("朝阳产业蓬勃发展") == []
    ms = gaz.find("朝阳市教育局和北京市朝阳区教委签订协议")
    assert surfaces(ms) == ["朝阳市", "北京市", "朝阳区"]
    assert gaz.find("在朝阳召开现场会", context=["210000"])[0].candidates[0].adcode == "211300"


def test_find_regions(gaz: Gazetteer) -> None:
    ms = gaz.find("主动融入京津冀协同发展,学习长三角和珠江三角洲经验。")
    assert surfaces(ms) == ["京津冀", "长三角", "珠江三角洲"]
    assert all(m.candidates == () and m.region is not None for m in ms)
    assert ms[0].region.members == ("110000", "120000", "130000")
    assert ms[2].region.name == "珠三角"
    assert gaz.region("长江三角洲").name == "长三角"
    assert gaz.region("成渝").name == "成渝地区双城经济圈"
    assert gaz.region("葫芦岛") is None


def test_find_sorted_non_overlapping(gaz: Gazetteer) -> None:
    text = "辽宁省葫芦岛市、锦州市和大连、沈阳的中小学,以及长三角地区。" * 3
    ms = gaz.find(text)
    assert ms == sorted(ms, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start
    for m in ms:
        assert text[m.start : m.end] == m.surface


def test_find_on_long_text_matches_every_repeat(gaz: Gazetteer) -> None:
    """A long text gives the same matches as its unit, once per repeat (speed: bench/bench_stages.py)."""
    unit = "辽宁省葫芦岛市兴城市教育局推进义务教育均衡发展,建昌县、绥中县完成薄弱学校改造,北京、上海、广州经验值得学习。"
    per_unit = [(m.start, m.surface) for m in gaz.find(unit)]
    copies = 100_000 // len(unit)
    ms = gaz.find(unit * copies)
    assert len(per_unit) > 5
    assert len(ms) == len(per_unit) * copies
    assert [(m.start % len(unit), m.surface) for m in ms[: len(per_unit)]] == per_unit


# ---------------------------------------------------------------- resolve
def test_resolve_chaoyang_district(gaz: Gazetteer) -> None:
    assert gaz.resolve("朝阳区", province="110000").adcode == "110105"
    assert gaz.resolve("朝阳区", city="220100").adcode == "220104"
    assert gaz.resolve("朝阳区", province="220000").adcode == "220104"
    assert gaz.resolve("朝阳区", near=["220100"]).adcode == "220104"
    assert gaz.resolve("朝阳区", near=["110108"]).adcode == "110105"  # next to 海淀区
    assert gaz.resolve("朝阳区") is None


def test_resolve_chaoyang_short_prefers_city(gaz: Gazetteer) -> None:
    assert gaz.resolve("朝阳", province="210000").adcode == "211300"
    assert gaz.resolve("朝阳市").adcode == "211300"
    assert gaz.resolve("朝阳县").adcode == "211321"
    assert gaz.resolve("朝阳", province="110000").adcode == "110105"


def test_resolve_short_forms(gaz: Gazetteer) -> None:
    assert gaz.resolve("兴城", province="210000").adcode == "211481"
    assert gaz.resolve("兴城", city="211400").adcode == "211481"
    assert gaz.resolve("辽宁").adcode == "210000"
    assert gaz.resolve("上海").adcode == "310000"
    assert gaz.resolve("吉林").adcode == "220000"  # province over city
    assert gaz.resolve("吉林", province="220000").adcode == "220000"
    assert gaz.resolve("不存在") is None


def test_resolve_other_ambiguous(gaz: Gazetteer) -> None:
    assert gaz.resolve("西湖区", city="330100").adcode == "330106"
    assert gaz.resolve("西湖区", near=["360111"]).adcode == "360103"  # 南昌 neighbour
    assert gaz.resolve("西湖区") is None
    assert gaz.resolve("鼓楼区", province="320000") is None  # 南京 and 徐州
    assert gaz.resolve("鼓楼区", city="320100").adcode == "320106"
    assert gaz.resolve("新华区") is None


def test_division_is_frozen(gaz: Gazetteer) -> None:
    d = gaz.get("211481")
    assert isinstance(d, Division)
    with pytest.raises(AttributeError):
        d.name = "x"  # type: ignore[misc]


def test_find_word_boundaries(gaz: Gazetteer) -> None:
    # 从江 (a county short name) must not hide 江苏; 向上 must not hide 上海
    assert surfaces(gaz.find("今年从江苏引进教师")) == ["江苏"]
    assert surfaces(gaz.find("组织教师向上海学习")) == ["上海"]
    assert surfaces(gaz.find("黄河南岸的学校")) == []


def test_short_name_inside_common_words_is_no_place_even_in_context():
    gaz = Gazetteer.load()
    found = [m.surface for m in gaz.find("学前教育普及普惠水平持续提高", context=("520000", "522700"))]
    assert found == []


def test_two_character_county_before_a_school_after_a_verb(gaz: Gazetteer) -> None:
    assert [m.surface for m in gaz.find("县长一行莅临范县第一中学")] == ["范县"]
    assert [m.surface for m in gaz.find("全县教育工作")] == []
