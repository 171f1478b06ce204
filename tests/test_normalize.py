"""Tests of kg.normalize: every rule, the offset map, and the seeds."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
from opencc import OpenCC

from kg.normalize import is_boilerplate, normalize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
T2S = OpenCC("t2s")


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def norm(text: str) -> str:
    return normalize(text).text


def lines(text: str) -> list[str]:
    return norm(text).split("\n")


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def check_offsets(original: str) -> None:
    """The offset-map invariants of kg.model.Normalized."""
    result = normalize(original)
    text, offs = result.text, result.offsets
    assert len(offs) == len(text) + 1
    assert offs[-1] == len(original)
    assert all(a <= b for a, b in zip(offs, offs[1:])), "offsets must be non-decreasing"
    assert all(0 <= o < len(original) for o in offs[:-1])
    for i, ch in enumerate(text):
        src = original[offs[i]]
        if _is_ideograph(ch):
            # an ideograph is either copied or converted from exactly its source char
            assert src == ch or T2S.convert(src) == ch or ch in unicodedata.normalize("NFKC", src), (i, ch, src)
        elif ch.isascii() and ch.isalnum():
            assert unicodedata.normalize("NFKC", src)[:1].lower() == ch.lower() or src == ch, (i, ch, src)
    # random spans: the original slice, normalized, contains the normalized chars in order
    rng = random.Random(len(original))
    for _ in range(200):
        if not text:
            break
        s = rng.randrange(len(text))
        e = min(len(text), s + rng.randrange(1, 30))
        # a span ending inside an expansion (㈠ -> "(一)") must reach past its source char
        end = offs[e] if e == len(text) or offs[e] > offs[e - 1] else offs[e - 1] + 1
        piece = original[offs[s] : end]
        want = [c for c in text[s:e] if _is_ideograph(c)]
        got = iter(T2S.convert(unicodedata.normalize("NFKC", piece)))
        assert all(c in got for c in want), (text[s:e], piece)


# --------------------------------------------------------------------------- #
# offset map


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_offsets_on_every_seed(path):
    check_offsets(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "ＡＢＣ１２３，全角。",
        "①2015年\r\n㈠总体要求\r职普比4.5︰5.5",
        "cafe\u0301 u\u0304 \u200b零宽\ufeff字符\u00ad",
        "大興安嶺地區(qū)資產(chǎn)",
        "局长 &佟 民\n\n\n\n\n下一段",
        "一等奖 张 叠(文科) 徐 萍(理科)\n楼开颜 凌晓锋 陈丹燕 (理科)",
    ],
)
def test_offsets_on_tricky_input(text):
    check_offsets(text)


def test_offsets_point_at_the_source_of_converted_chars():
    original = "  大興安嶺地區(qū)行署教育局"
    result = normalize(original)
    assert result.text == "大兴安岭地区行署教育局"
    i = result.text.index("区")
    assert original[result.offsets[i]] == "區"
    j = result.text.index("行")
    assert original[result.offsets[j]] == "行"
    # a span maps back to the original span (which includes the dropped pinyin)
    s, e = result.text.index("地区"), result.text.index("地区") + 2
    assert original[result.offsets[s] : result.offsets[e]] == "地區(qū)"


def test_normalize_is_deterministic():
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    first = [normalize(t) for t in texts]
    assert [normalize(t) for t in texts] == first


# --------------------------------------------------------------------------- #
# 1. NFKC


def test_nfkc_fullwidth_and_kept_punctuation():
    assert norm("ＡＢＣ１２３，（一）：；！？") == "ABC123,(一):;!?"
    assert norm("“十三五”《规划》、各地。") == "“十三五”《规划》、各地。"


def test_ratio_colon_and_circled_numbers():
    assert norm("职普比达到4.5︰5.5的水平") == "职普比达到4.5:5.5的水平"
    assert norm("①2015年完成") == "①2015年完成"  # not "12015年"


def test_control_and_zero_width_chars_and_line_ends():
    assert norm("教\u200b育\ufeff局\u00ad\r\n第二行\r第三行") == "教育局\n第二行\n第三行"


def test_combining_marks_compose():
    assert norm("caf\u0065\u0301 menu") == "café menu"


# --------------------------------------------------------------------------- #
# 2. traditional -> simplified


@pytest.mark.parametrize(
    ("trad", "simp"),
    [("大興安嶺地區", "大兴安岭地区"), ("鄧雲鋒", "邓云锋"), ("黨組書記", "党组书记"), ("教育廳廳長", "教育厅厅长")],
)
def test_t2s(trad, simp):
    assert norm(trad) == simp


def test_t2s_on_seed_003():
    text = norm(seed("003"))
    assert "省教育厅厅长、党组书记邓云锋出席会议并讲话" in text
    assert "鄧" not in text and "會" not in text


# --------------------------------------------------------------------------- #
# 3. pinyin annotations


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("地區(qū)", "地区"), ("資產(chǎn)", "资产"), ("穩(wěn)步", "稳步"), ("網(wǎng)點", "网点"), ("領(lǐng)導", "领导")],
)
def test_pinyin_removed(raw, clean):
    assert norm(raw) == clean


@pytest.mark.parametrize(
    "kept", ["各县(市)区", "《教育法》(2015年修订)", "(一)教育实践活动", "示范校(a)与(b)", "办公软件(ppt)", "Python (py) 语言"]
)
def test_real_parentheses_kept(kept):
    assert "(" in norm(kept)
    assert norm(kept).count("(") == kept.count("(")


def test_pinyin_removed_from_seed_004():
    text = norm(seed("004"))
    assert text.startswith("大兴安岭地区行署教育局\n2019年,大兴安岭地区资产移交")
    assert "(qū)" not in text and "(chǎn)" not in text
    assert "稳步推进" in text and "网点布局" in text
    # no pinyin parenthesis survives anywhere
    import re

    assert not re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", text)


# --------------------------------------------------------------------------- #
# 4. & and spaces


def test_stray_ampersand_and_cjk_spaces():
    assert norm("新起点 &新展望") == "新起点新展望"
    assert norm("一、 &2015年及“十二五”工作回顾") == "一、2015年及“十二五”工作回顾"
    assert norm("市教育局党委书记、局长 &佟 民") == "市教育局党委书记、局长佟民"


def test_spaces_between_cjk_and_digits_removed():
    assert norm("总结 20XX 年工作") == "总结20XX年工作"
    assert norm("面积7100 平方米") == "面积7100平方米"
    assert norm("面积3.9万 平方米") == "面积3.9万平方米"
    assert norm("进一步密切与 “葫芦岛") == "进一步密切与“葫芦岛"


def test_latin_spaces_and_ampersand_kept():
    assert norm("Research & Development  team") == "Research & Development team"
    assert norm("R&D 投入") == "R&D投入"
    assert norm("Windows 10") == "Windows 10"


def test_lines_are_stripped():
    assert norm("  第一行  \n\t第二行\u3000") == "第一行\n第二行"


def test_seed_000_spaces_and_ampersands():
    text = norm(seed("000"))
    assert "新起点新展望" in text
    assert "\n一、2015年及“十二五”工作回顾\n" in text
    assert "局长佟民" in text
    assert "面积7100平方米" in text and "3.9万平方米" in text
    assert "&" not in text


# --------------------------------------------------------------------------- #
# 5. boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "发布时间:日 字体:[",
        "时间:2022-06-05 09:31:00",
        "字体:[ 大 中 小 ]",
        "来源:市教育局",
        "作者:张三",
        "浏览次数:1234",
        "点击:56次",
        "版权所有:葫芦岛市教育局承办:葫芦岛市电化教育馆备案号:",
        "分享到:",
        "相关文章:",
        "上一篇:关于做好招生工作的通知",
        "下一篇",
        "打印本页 关闭窗口",
        "【打印】【关闭】",
        "VIP专免",
        "侵权投诉",
        "海报",
        "999+",
        "20.56KB",
        "9页",
        "2024-05-29",
        "导语:市教育系统全年工作要点一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。",
        "返回顶部",
        "扫一扫在手机打开当前页",
        "摘要:",
        "展开>>",
        "收起<<",
        "我要回帖",
        "更多关于充分发挥部门职能作用的文章",
        "随机推荐",
    ],
)
def test_boilerplate_lines(line):
    assert is_boilerplate(line), line
    assert norm(f"正文第一段。\n{line}\n正文第二段。") == "正文第一段。\n正文第二段。"


@pytest.mark.parametrize(
    "line",
    [
        "来源于基层的创新做法值得推广,各地要认真总结经验,形成可复制的模式。",
        "数据来源:国家统计局2015年全国教育事业发展统计公报显示,全市各级各类学校在校生总数明显增加。",
        "加强版权所有者权益保护",
        "2016年3月5日",
        "一、2015年及“十二五”工作回顾",
        "9页纸的报告写得很充实,内容丰富。",
    ],
)
def test_real_sentences_are_not_boilerplate(line):
    assert not is_boilerplate(line)
    assert line in norm(f"{line}\n下一行。")


def test_boilerplate_removed_from_seed_001_first_lines():
    text = norm(seed("001"))
    head = text.split("\n")[:3]
    assert head == [
        "教育局局长会议讲话",
        "同志们:",
        "今天,我们召开20XX年全市教育工作会议,主要任务是:总结20XX年工作,安排部署20XX年任务,"
        "动员全市广大教育工作者凝心聚力,锐意进取,在新的起点上谱写XX教育新篇章。下面,我讲两点意见。",
    ]
    for junk in ("VIP专免", "2024-05-29", "999+", "20.56KB", "9页", "海报", "侵权投诉", "摘要", "展开>>", "收起<<"):
        assert junk not in text, junk
    # the viewer's summary blob at the end (a repeat of the start, cut with "...") is gone
    assert text.count("动员全市广大教育工作者凝心聚力") == 1
    assert text.endswith("(六)队伍建设不断提高")


def test_boilerplate_removed_from_seed_002_first_lines():
    text = norm(seed("002"))
    head = [line for line in text.split("\n") if line][:3]
    assert head[0] == "市教育系统全年工作要点"
    assert head[1].startswith("年,全市教育工作总的要求是")
    assert head[2] == "一、大力促进教育公平,全面推进城乡教育优质均衡发展"
    assert "2022-06-05" not in text and "导语" not in text and "网友上传" not in text
    assert text.count("市教育系统全年工作要点") == 1  # the repeated title went too


def test_boilerplate_at_end_of_seeds_000_and_003():
    t0 = norm(seed("000"))
    assert "版权所有" not in t0 and "我要回帖" not in t0 and "随机推荐" not in t0 and "更多关于" not in t0
    assert t0.endswith("为建设生态宜居美丽富庶滨城做出新的更大的贡献!")
    t3 = norm(seed("003"))
    assert "分享到" not in t3 and "相关文章" not in t3
    assert t3.endswith("严防安全责任事故发生。")


# --------------------------------------------------------------------------- #
# 6. re-joining hard-wrapped lines


def test_rejoin_seed_001():
    text = norm(seed("001"))
    out = text.split("\n")
    assert "总结20XX年工作" in text
    assert "主要任务是:总结20XX年工作,安排部署20XX年任务" in text
    assert "一、20XX年工作回顾" in out  # heading on its own line
    for heading in ("(一)教育实践活动取得明显成效", "(二)教育民生工程扎实推进", "(三)教育事业全面发展", "(六)队伍建设不断提高"):
        assert heading in out, heading
    assert "全市教育工作保持良好发展态势。" in text  # "态\n势。" joined
    assert "三是规范义务教育阶段" in text  # "三\n是" joined
    assert "《关于进一步加强师德师风建设集中整治中小学校和在职教师乱办班乱补课乱收费和其它违规行为的实施意见》" in text
    # every remaining line either ends a sentence, is a heading/title, or is short
    for line in out:
        assert line[-1] in "。!?;:”" or len(line) <= 20, line


def test_rejoin_keeps_titles_and_headings_of_other_seeds():
    t0 = lines(seed("000"))
    for title in ("新起点新展望", "努力推进全市教育工作迈向新高度", "——在2016年全市教育工作会议上的讲话", "市教育局党委书记、局长佟民"):
        assert title in t0, title
    t2 = lines(seed("002"))
    assert "二、科学推进学校内涵发展,全面提升教育教学质量" in t2
    t3 = lines(seed("003"))
    for title in ("上半年回顾", "紧盯目标,久久为功,", "济南教育迈向优质均衡新格局", "邓云锋指出,"):
        assert title in t3, title


def test_rejoin_only_in_wrapped_text():
    wrapped = "\n".join(
        [
            "今天我们召开全市教育工作会议主要任务是总结",
            "过去一年的工作安排部署新一年的任务动员全市",
            "广大教育工作者凝心聚力锐意进取开创新局面。",
            "一、工作回顾",
            "一年来在市委市政府的正确领导下教育局全面落",
            "实国家省市教育方针政策促进教育公平均衡发展。",
        ]
    )
    assert norm(wrapped).split("\n") == [
        "今天我们召开全市教育工作会议主要任务是总结过去一年的工作安排部署新一年的任务动员全市广大教育工作者凝心聚力锐意进取开创新局面。",
        "一、工作回顾",
        "一年来在市委市政府的正确领导下教育局全面落实国家省市教育方针政策促进教育公平均衡发展。",
    ]
    # the same lines as paragraphs of different lengths: nothing is joined
    para1 = [line for line in seed("002").split("\n") if line.startswith("3.构建")][0]
    para2 = [line for line in seed("002").split("\n") if line.startswith("4.大力")][0]
    unwrapped = f"标题一\n{para1[:-1]}\n短行\n{para2[:70]}\n结尾"
    assert norm(unwrapped) == unwrapped


# --------------------------------------------------------------------------- #
# 7. duplicates and blank lines


def test_duplicate_titles_seed_003():
    text = norm(seed("003"))
    title = "山东省各市教育局长座谈会上,王品木局长这样说!"
    assert text.startswith(title + "\n\n8月20日至21日")
    assert text.count(title) == 1


def test_duplicates_glued_and_repeated():
    t = "关于做好招生工作的通知\n关于做好招生工作的通知关于做好招生工作的通知\n正文。\n关于做好招生工作的通知"
    assert norm(t) == "关于做好招生工作的通知\n正文。"
    assert norm("新的标题新的标题新的标题\n正文。") == "新的标题\n正文。"
    # short lines repeat legitimately unless they are adjacent
    assert norm("一、\n内容甲。\n一、\n内容乙。") == "一、\n内容甲。\n一、\n内容乙。"
    assert norm("同志们:\n同志们:\n内容。") == "同志们:\n内容。"


def test_blank_lines_collapsed():
    assert norm("\n\n第一段。\n\n\n\n\n第二段。  \n\n\n") == "第一段。\n\n第二段。"
    assert norm("第一段。\n\n第二段。") == "第一段。\n\n第二段。"


def test_empty_input():
    result = normalize("")
    assert result.text == "" and result.offsets == [0]
    result = normalize("  \n\n ")
    assert result.text == "" and result.offsets == [5]


def test_roster_lines_keep_their_names_apart():
    text = ("一等奖 张 叠(文科) 徐 萍(理科)\n二等奖 钱虹燕 余子兰 张冬蕾 (文科)\n"
            "李月贞副校长 霍燕玲主任 (课程主任) 黄雪如主任\n首页 学校概况 新闻中心 教学科研\n今年 全市 学校 开展 活动")
    lines = normalize(text).text.split("\n")
    assert lines[0] == "一等奖:张叠(文科)、徐萍(理科)"  # padded two-character names joined, names apart
    assert lines[1] == "二等奖:钱虹燕、余子兰、张冬蕾(文科)"
    assert lines[2] == "李月贞副校长、霍燕玲主任(课程主任)、黄雪如主任"
    assert lines[3] == "首页学校概况新闻中心教学科研"  # not names: spaces go as before
    assert lines[4] == "今年全市学校开展活动"


def test_roster_detection_is_linear_in_a_lines_length():
    # a long line with its spaces at the end once made a backtracking pattern take seconds
    line = "教育发展" * 4000 + " a b"
    assert normalize(line).text.endswith("a b")
