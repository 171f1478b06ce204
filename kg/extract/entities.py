"""Entity recognizers: each rule computes :class:`~kg.model.Mention` candidates.

Rules only propose spans; :func:`resolve_overlaps` decides which survive
(longest span first, then by type priority), so every rule can be tested on
its own sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..gazetteer import Gazetteer, PlaceMatch, is_generic_name
from ..lexicon import load_list, load_table
from ..model import Document, Mention, SpanIndex

CJK = r"\u4e00-\u9fff"
PLACEHOLDER = re.compile(r"(?<![A-Za-z+])[XＸ×]+(?=[\u4e00-\u9fff年])|(?<=[\u4e00-\u9fff\d])[XＸ×]+(?![A-Za-z])|某")
_QUOTE = re.compile(r"“([^“”\n]{2,40})”")
_BOOK = re.compile(r"《([^《》\n]{2,80})》")
LEVEL_PREFIX = "省市县区州盟旗"


@dataclass(frozen=True)
class Lexicons:
    agency_heads: tuple[str, ...]
    national: dict[str, str]  # surface -> canonical
    program_suffixes: tuple[str, ...]
    program_suffixes_unquoted: tuple[str, ...]
    generic_heads: frozenset[str]
    program_stop: frozenset[str]
    program_alias: dict[str, str]  # surface -> canonical
    program_canonicals: frozenset[str]
    doc_types: tuple[str, ...]
    non_docs: tuple[str, ...]
    school_suffixes: tuple[str, ...]
    school_generic: tuple[str, ...]
    posts: tuple[str, ...]
    surnames: frozenset[str]
    leaders: dict[str, str]
    universities: dict[str, str]  # surface -> canonical
    university_list_forms: dict[str, str]  # short forms that name a university only in a list of universities


def _alias_table(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, aliases in load_table(name, 2):
        out[canonical] = canonical
        for a in aliases.split("|"):
            if a.strip() and not a.strip().startswith("~"):
                out[a.strip()] = canonical
    return out


def _list_forms(name: str) -> dict[str, str]:
    """The ``~``-marked forms of an alias table (人大: 中国人民大学 only beside other universities)."""
    return {a.strip()[1:]: canonical for canonical, aliases in load_table(name, 2)
            for a in aliases.split("|") if a.strip().startswith("~")}


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    by_len = lambda xs: tuple(sorted(xs, key=len, reverse=True))  # noqa: E731
    return Lexicons(
        agency_heads=by_len(load_list("agency_names.txt")),
        national=_alias_table("national_agencies.tsv"),
        program_suffixes=by_len(load_list("program_suffixes.txt")),
        program_suffixes_unquoted=by_len(load_list("program_suffixes_unquoted.txt")),
        generic_heads=frozenset(load_list("generic_heads.txt")),
        program_stop=frozenset(load_list("program_stopwords.txt")),
        program_alias=_alias_table("program_aliases.tsv"),
        program_canonicals=frozenset(r[0] for r in load_table("program_aliases.tsv", 2)),
        doc_types=by_len(load_list("document_types.txt")),
        non_docs=by_len(load_list("non_documents.txt")),
        school_suffixes=by_len(load_list("school_suffixes.txt")),
        school_generic=load_list("school_generic.txt"),
        posts=by_len(load_list("posts.txt")),
        surnames=frozenset(load_list("surnames.txt")),
        leaders=_alias_table("leaders.tsv"),
        universities=_alias_table("universities.tsv"),
        university_list_forms=_list_forms("universities.tsv"),
    )


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------- places


def find_places(doc: Document, matches: Iterable[PlaceMatch]) -> list[Mention]:
    """Divisions and regions (the gazetteer's ``matches`` in ``doc.text``) plus development zones."""
    out: list[Mention] = []
    for pm in matches:
        if PLACEHOLDER.search(pm.surface):
            continue
        if doc.text.startswith("时间", pm.end):  # 北京时间 is a time zone
            continue
        out.append(Mention(pm.start, pm.end, pm.surface, "Place", -1, source="gazetteer"))
    # development zones and industrial parks: 杨家杖子开发区, 北港工业园区 (新区 that are
    # divisions, 滨海新区 or 浦东新区, come from the gazetteer)
    taken = [(p.start, p.end) for p in out]
    for m in re.finditer(rf"([{CJK}]{{2,8}}?)(经济技术开发区|高新技术产业开发区|开发区|工业园区|新区)", doc.text):
        name = m.group(0)
        stem = m.group(1)
        if PLACEHOLDER.search(name) or any(stem.endswith(w) for w in ("的", "和", "在", "与", "各", "个")):
            continue
        stem = re.sub(rf"^.*[的和在与及、,对向把将从]", "", stem)
        stem = re.sub(r"^(?:去年|今年|明年|依托|推动|推进|建设|打造|支持|加快|全市|全区|全县|我市|各)+", "", stem)
        if m.group(2) == "新区":
            # a new area is named by the word before 新区 (学校迁入|滨湖|新区): jieba's last word
            from ..tokenize import pos_cut

            words = pos_cut(stem)
            place_stem = any(b == m.end(1) and a >= m.start(1) for a, b in taken)  # 开封|新区 (jieba: 开封 v)
            if place_stem:
                stem = next(doc.text[a:b] for a, b in taken if b == m.end(1) and a >= m.start(1))
            else:
                stem = words[-1][0] if words and words[-1][1][:1] in ("n", "j") else ""
        if len(stem) < 2:
            continue
        start = m.end() - len(stem) - len(m.group(2))
        # 开封新区: a zone named after its city holds the city's name
        if any(a < m.end() and start < b and not (a == start and b < m.end()) for a, b in taken):
            continue
        out.append(Mention(start, m.end(), doc.text[start : m.end()], "Place", -1, source="zone"))
    return out


def find_towns(doc: Document, counties: Iterable[str]) -> list[Mention]:
    """Towns, townships and sub-districts (沙城镇, 华山街道) of the given counties, by their full names."""
    from ..gazetteer import town_names

    table = town_names()
    owner: dict[str, str] = {}
    for county in counties:
        for name in table.get(county, ()):
            owner.setdefault(name, county)
    if not owner:
        return []
    out = []
    for m in re.finditer(_alt(owner), doc.text):
        out.append(Mention(m.start(), m.end(), m.group(0), "Place", -1, canonical=f"{owner[m.group(0)]}:{m.group(0)}",
                           source="town"))
    return out


# ---------------------------------------------------------------- agencies

#: what follows a body's name to name a unit of it: its party committee, office, research office or a
#: division (市教育局党工委, 省教育厅办公室, 省教育厅宣教处); the body is named by the unit too
SUB_UNIT = r"(?:机关党委|党工委|党委|党组|纪检组|办公厅|(?:新闻|外事|督导|招生|人事)?办公室|教研室|[\u4e00-\u9fff]{1,3}?处)"

_GENERIC_BEFORE = "各全有该本我"


def find_agencies(doc: Document, place_spans: list[Mention]) -> list[Mention]:
    """Government and party bodies: 葫芦岛市教育局, 市教育局, 省教育厅, 市委, 教育部."""
    lx = lexicons()
    text = doc.text
    out: list[Mention] = []
    heads = _alt(lx.agency_heads)
    # a body's party committee, general office or division: 市教育局党工委, 省教育厅办公室, 省教育厅宣教处
    party = rf"(?:{SUB_UNIT}(?!主任|[理置分罚长在于事]))?"
    # a party committee's own bodies: 省委教育工作委员会, 市委组织部; an administrative office's bureau: 行署教育局
    committee_body = rf"(?:教育工作委员会|教育工委|组织部|宣传部|统战部|政法委|{SUB_UNIT}(?!主任|[理置分罚长在于事]))?"
    office_body = rf"(?:教育局|教育体育局|{SUB_UNIT}(?!主任|[理置分罚长在于事]))?"

    def tail(head: str) -> str:
        return committee_body if head.endswith("委") else office_body if head == "行署" else party
    # 1. place name + head: 葫芦岛市教育局, 辽宁省委
    place_end = {p.end: p for p in place_spans}
    for m in re.finditer(rf"(?:{heads}|委(?!员|托|派|屈))", text):
        start = m.start()
        p = place_end.get(start)
        if p is not None:
            end = _extend(text, m.end(), tail(m.group()))
            out.append(Mention(p.start, end, text[p.start:end], "Agency", -1, source="place+head"))
            continue
        prev = text[start - 1] if start else ""
        if prev and (prev in LEVEL_PREFIX or (prev == "地" and m.group() == "委")):  # 地委: a 地区's party committee
            before = text[start - 2] if start >= 2 else ""
            if before == "各" or re.search(r"各[^,。;:]{0,16}$", text[max(0, start - 18):start - 1]):
                continue  # 各市教育局, 各县(市、区)教育局: a generic group
            if m.group() == "委" and before and re.match(rf"[{CJK}]", before) and before not in "、,和及与在的是了我本全据按照由经向对从受为被将":
                continue
            if text[m.end(): m.end() + 1] == "长":  # 教育局长 is a post
                continue
            end = _extend(text, m.end(), tail(m.group()))
            s = start - 1
            if before and before in "我本":
                s -= 1
            out.append(Mention(s, end, text[s:end], "Agency", -1, source="level+head"))
        elif m.group() != "委" and (not prev or not re.match(rf"[{CJK}]", prev) or prev in "、,和及与在的是了由向对把将被") \
                and not re.search(r"各[^,。;:]{0,16}$", text[max(0, start - 17):start]):
            if text[m.end(): m.end() + 1] == "长":
                continue
            end = _extend(text, m.end(), tail(m.group()))
            out.append(Mention(start, end, text[start:end], "Agency", -1, source="head"))
    # 1b. 市府, 县府, 市府办: the government and its office, in short
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([省市县区])府(办)?(?![\u4e00-\u9fff])|(?<=[、和与及委])([省市县区])府(办)?", text):
        out.append(Mention(m.start(), m.end(), m.group(0), "Agency", -1, source="level+head"))
    # 2. the speaker's own bureau: 市局, 我局, 局党委
    for m in re.finditer(r"(?<![\u4e00-\u9fff])(?:(市|省|县|区)局|我局|局)(党委|党组)?(?!长|级|面|部|限|势)", text):
        if m.group(0) == "局":
            continue
        if m.group(0).startswith("局") and not m.group(2):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), "Agency", -1, source="own-bureau"))
    # ... and its divisions and offices: 报送我厅外事处, 我局办公室
    for m in re.finditer(rf"我[局厅委]({SUB_UNIT})(?!主任|[理置分罚长在于事])", text):
        out.append(Mention(m.start(), m.end(), m.group(0), "Agency", -1, source="own-bureau"))
    # 3. national bodies kept as named, with their general offices (教育部办公厅)
    for m in re.finditer(rf"(?:{_alt(lx.national)})(?:办公厅)?(?!门)", text):
        short = m.group(0).removesuffix("办公厅") if m.group(0) not in lx.national else m.group(0)
        canonical = lx.national[short] + m.group(0)[len(short):]
        out.append(Mention(m.start(), m.end(), m.group(0), "Agency", -1, canonical=canonical, source="national"))
    return out


def _extend(text: str, end: int, pattern: str) -> int:
    m = re.compile(pattern).match(text, end)
    return m.end() if m else end


# ---------------------------------------------------------------- schools

_SCHOOL_GENERIC = re.compile(
    r"^(?:各级各类|各类|各级|全市|全省|全县|全区|我市|本市|农村|城区|城乡|城镇|乡镇|乡村|义务教育|普通|标准化|规范化|示范性?|特色|薄弱|民办|公办|"
    r"职业|中小|中等职业|寄宿制|项目|实验|重点|优质|一般|省级|市级|县级|国家级|省市级|新建|改扩建|所属|直属|相关|其他|其余|部分|所有|每所|"
    r"城市|街道|社区|村|镇|中心|时期|日治|解放前|建国初期|一贯制|九年一贯制|完全|特殊教育|高等|高职|中职|幼儿|中小学|大中小|大中专|高中阶段|初中|小学|高校|学校|"
    r"一流|名|好|新|老|全国|国内|外地|本地|当地|周边|所在|驻葫|驻地|对口|结对|帮扶|合作|托管|各|每|这|该|此|其|本|多|几|两|数|初高中|校址|现校址)+$"
)
_SCHOOL_BREAK_WORDS = frozenset(("通过", "完成", "投资", "建设", "新建", "改建", "扩建", "配套", "投入", "举办", "创建", "建成",
                                 "支持", "全力支持", "全力", "大力", "重点", "组建", "推动", "荣获", "获得", "获评", "评为",
                                 "成为", "办好", "规范", "位于", "毗邻", "紧邻", "代表", "关心", "关注",
                                 "感谢", "热爱", "同一", "每一", "这一", "该", "参赛", "参评", "参加", "着力", "围绕", "依托"))
_SCHOOL_STOP_CHARS = set("的了和与及或在对从向到把被将为是有等、,。;:“”《》()!?\n 要让使由以其所—-·•")


def _names_division(gazetteer: Gazetteer, stem: str) -> bool:
    """The stem opens with a division's name (长治学院, 九龙学校, 滑县一中), not a generic one (城区)."""
    for k in (2, 3, 4):
        cands = gazetteer.by_name(stem[:k])
        if cands and not any(is_generic_name(d.name) for d in cands) and not is_generic_name(stem[:k]):
            return True
    return False


# the discipline of a university's faculty (音乐学院, 计算机学院); an independent college keeps its name
_FACULTY = ("(?:音乐|美术|艺术|文学|人文|外国语|外语|数学|数学科学|物理|化学|生命科学|计算机|计算机科学与技术|信息|信息科学与技术|软件|"
            "经济|经济管理|管理|商|法|法学|教育|教育科学|体育|医|医学|药|药学|机械|电子|电气|建筑|新闻|新闻传播|传媒|历史|哲学|"
            "马克思主义|社会|社会学|政治|公共管理|国际关系|环境|材料|能源|土木|交通|农|农学|林|地理|地球科学|海洋|天文|心理|护理|"
            "口腔医学|基础医学|公共卫生|化学工程|航空航天|自动化|光电|微电子|网络空间安全|人工智能|设计|戏剧|舞蹈|电影|国际教育|"
            "继续教育|研究生|元培|光华|汇丰|数学与统计|统计|金融|会计|旅游)")


def find_schools(doc: Document, place_spans: list[Mention], gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Schools, kindergartens, colleges: a proper name before a school word."""
    from ..tokenize import pos_cut

    lx = lexicons()
    text = doc.text
    out: list[Mention] = []
    places = SpanIndex(place_spans)
    suffix_re = re.compile(_alt(lx.school_suffixes))
    for m in suffix_re.finditer(text):
        end = m.end()
        # 第一中学: a longer school word overlapping this one (一中 → 中学) ends the name
        for k in range(m.start() + 1, end):
            longer = suffix_re.match(text, k)
            if longer and text[longer.end() - 1] == "校" and text[longer.end():longer.end() + 1] in ("长", "友", "训", "庆"):
                # 武汉科技大学校长, 第一中学校长: the 校 is the 校长's, the school ends before it
                longer = suffix_re.fullmatch(text, k, longer.end() - 1)
            if longer and longer.end() > end and text[longer.end():longer.end() + 1] != "生":
                end = longer.end()
        if text.startswith("全会", end):  # 十七届五中全会 is a party plenum
            continue
        if m.group() == "大学" and text[end:end + 1] in ("科", "生", "堂"):  # 五大学科, 大学生: no university
            continue
        if text[end - 1:end] == "专" and text[end:end + 1] == "业":  # 高中专业班: no 中专
            continue
        if text[end:end + 1] == "子" and re.search(r"[一二三四五六七八九十\d]中学$", text[max(0, end - 3):end]):
            continue  # 绍兴一中学子: the students of 绍兴一中
        # 第三高级中学新校区: a new campus of a school is the school
        campus = re.search(r"(?:新|老|东|西|南|北|主|本部)校区$", text[m.start() - 2:end]) if m.group() == "校区" else None
        if campus is not None:
            inner = suffix_re.search(text, max(0, m.start() - 12), m.start())
            while inner is not None and inner.end() < m.start() - 2:
                inner = suffix_re.search(text, inner.end(), m.start())
            if inner is not None and inner.end() >= m.start() - 2:
                m, end = inner, inner.end()
        # widen to the longest suffix ending here (职业学院 over 学院)
        left = max(0, m.start() - 16)
        window = text[left: m.start()]
        # cut at the last stop character
        cut = max((i for i, ch in enumerate(window) if ch in _SCHOOL_STOP_CHARS
                   and not (ch == "等" and i > 0 and window[i - 1] in "中高初")), default=-1)  # 中等职业学校
        stem = window[cut + 1:]
        # 到河南省教育厅汇报县域普通高中: a body's name ends the stem
        stem = re.split(r"(?:教育厅|教育局|教体局|教委|政府|教育部)", stem)[-1]
        if not stem:
            continue
        words = pos_cut(stem)
        # drop leading verbs, adverbs, prepositions: keep the noun run that ends at the suffix
        keep: list[tuple[str, str]] = []
        for w, flag in reversed(words):
            if (flag[:1] in ("v", "d", "p", "c", "u", "r", "f", "m") and flag != "vn"
                    and not re.fullmatch(r"[一二三四五六七八九十第]+", w)) or w in _SCHOOL_BREAK_WORDS:
                break
            keep.append((w, flag))
        keep.reverse()
        name_stem = re.sub(rf"^(?:{_ACTION_VERBS}|了)+", "", "".join(w for w, _ in keep))
        # 乐清市知临中学: a place and a short proper name before the school word make the name
        led = [p for p in places.within(m.start() - len(stem), m.start()) if re.search(r"[省市县区旗州]$", p.text)]
        # the nearest place word decides (海南省万宁市大同中学: 万宁市), the chain of places before it stays
        anchor = led[-1] if led else None
        chain_start = anchor.start if anchor else 0
        for p in reversed(led[:-1]):
            if p.end == chain_start:
                chain_start = p.start
        if anchor and 2 <= m.start() - anchor.end <= 4 and len(name_stem) < m.start() - chain_start:
            middle = text[anchor.end:m.start()]
            tokens = pos_cut(middle)
            if not (_SCHOOL_GENERIC.match(middle) or len(tokens) > 1 and any(f[:1] in "vdpcumr" for _, f in tokens) or any(ch in _SCHOOL_STOP_CHARS for ch in middle)
                    or any(w in middle for w in (*_SCHOOL_BREAK_WORDS, "首批", "参赛", "大中", "中小", "市直", "直属"))
                    or any(g in middle for g in lx.school_generic) or re.search(r"[\d第届]", middle)):
                name_stem = text[chain_start:m.start()]
        name_stem = re.sub(r"^(?:原|现|好|代表|关心|感谢|热爱)(?=[\u4e00-\u9fff]{2})", "", name_stem)  # 原沙城二中: the school is 沙城二中
        if not name_stem or _SCHOOL_GENERIC.match(name_stem) or re.match(r"^[\d年]", name_stem):
            continue
        if any(g in name_stem + m.group(0) for g in lx.school_generic):
            continue
        start = m.start() - len(name_stem)
        name = text[start:end]
        if PLACEHOLDER.search(name):
            continue
        # 浙江省普通高中, 绍兴市小学: a place and a kind of school is a category, not a school
        inside = places.within(start, m.start())
        rest, lead = name_stem, ""
        for p in inside:
            if p.start == start:
                rest, lead = text[p.end:m.start()], p.text
        # (a short place name before 中学 is a school's own name: 镇海中学, 鄞州中学; 宁波市中学 is a kind)
        if rest != name_stem and re.fullmatch(r"(?:普通|公办|民办|城区|农村|城镇|乡村|各级各类|中等)?", rest) \
                and text[m.start():end] in ("高中", "初中", "小学", "中学", "中小学", "幼儿园", "学校", "高校", "职业学校") \
                and (rest or re.search(r"(?:[省市县区旗]|自治州)$", lead) or text[m.start():end] not in ("中学", "幼儿园")
                     or re.match(r"英语|语文|数学|物理|化学|生物|历史|地理|教师|教育|学生|阶段|课程|生|毕业|招生|学业", text[end:end + 2])):
            continue
        proper = any(f in ("ns", "nr", "nt", "nrt") for _, f in keep) or bool(
            inside
        ) or re.search(r"[一二三四五六七八九十\d]+$", name_stem) is not None or re.match(
            r"[一二三四五六七八九十第]", m.group(0)) is not None or name_stem.startswith(("国家", "中国", "中央", "全国")) \
            or (gazetteer is not None and _names_division(gazetteer, name_stem))  # 长治学院
        # 锡麟中学副校长祁钢: a short proper name before the school word, then a school's post
        proper = proper or (2 <= len(name_stem) <= 4 and re.fullmatch(rf"[{CJK}]+", name_stem) is not None
                            and m.group(0) in ("中学", "小学", "幼儿园", "高级中学", "初级中学", "实验学校")
                            and re.match(r"(?:党委|党总支)?(?:副?校长|副?书记|副?园长|教导主任|教务主任|德育主任)", text[end:end + 6]) is not None)
        if not proper:
            continue
        if re.search(r"(?:优秀|先进|模范|文明|管理|示范|合格|标准化|规范化)(?:学校|单位|幼儿园)$", name) and inside:
            continue  # 贵港市卫生优秀学校, 贵港常规管理优秀学校: a title the school was given, not a school
        out.append(Mention(start, end, name, "School", -1, source="school"))
    # a school's name given in quotes when it is named or renamed: 命名为「草山公学校坪顶分离教室」, 改称“…小学”
    for m in re.finditer(r"(?:命名为|定名为|改称为?|改名为|更名为|易名为|升格为|改为)[「“『]([^」”』\n]{3,30})[」”』]", text):
        name = m.group(1)
        if re.search(r"学校|学堂|小学|中学|大学|学院|幼儿园|分校|分教场|书院|私塾|中专|职专|高中|初中", name) \
                and not re.search(r"[,。;:!?、]", name):
            out.append(Mention(m.start(1), m.end(1), name, "School", -1, source="renamed"))
    # a faculty names its university: 首都师范大学音乐学院 → 首都师范大学
    for i, sm in enumerate(out):
        fac = re.fullmatch(rf"([{CJK}]{{2,12}}大学){_FACULTY}学院", sm.text)
        if fac and not re.search(r"大学$", fac.group(1)[:-2]):
            out[i] = Mention(sm.start, sm.start + len(fac.group(1)), fac.group(1), "School", -1, source=sm.source)
    # a heading that is a school's name (a school site's title: 圣公会基爱小学 S.K.H. Kei Oi Primary School)
    head = re.match(rf"([{CJK}]{{3,20}}?(?:{_alt(lx.school_suffixes)}))(?=\s*(?:[A-Za-z][^\n]*)?(?:\n|$))", text)
    if head and len(head.group(1)) <= 12 and not _SCHOOL_GENERIC.match(head.group(1)) \
            and not any(g in head.group(1) for g in lx.school_generic) and not any(ch in _SCHOOL_STOP_CHARS for ch in head.group(1)):
        out.append(Mention(0, head.end(1), head.group(1), "School", -1, source="heading"))
    # well-known universities (their stems are not places): 清华大学, 北大
    long_forms = _alt(k for k in lx.universities if len(k) >= 4)
    short_forms = _alt(k for k in lx.universities if len(k) < 4)
    for m in re.finditer(long_forms, text):
        out.append(Mention(m.start(), m.end(), m.group(0), "School", -1, canonical=lx.universities[m.group(0)],
                           source="university"))
    # short forms (北大, 清华) where they stand as names: before a break, or written together (清华北大)
    for run in re.finditer(rf"(?:{short_forms})+", text):
        parts = [p.group(0) for p in re.finditer(short_forms, run.group(0))]
        if len(parts) < 2 and not re.match(rf"[^{CJK}]|[、和与及等的]|$", text[run.end():run.end() + 1]):
            continue
        pos = run.start()
        for part in parts:
            out.append(Mention(pos, pos + len(part), part, "School", -1, canonical=lx.universities[part],
                               source="university"))
            pos += len(part)
    # ambiguous short forms (人大) name a university only next to another one in a list: 人大、复旦、浙大
    if lx.university_list_forms:
        listed = {(m.start, m.end) for m in out if m.source == "university"}
        ends, starts = {e for _, e in listed}, {s for s, _ in listed}
        for m in re.finditer(_alt(lx.university_list_forms), text):
            if (m.start() - 1 in ends and text[m.start() - 1] == "、") or (m.end() + 1 in starts and text[m.end():m.end() + 1] == "、"):
                out.append(Mention(m.start(), m.end(), m.group(0), "School", -1,
                                   canonical=lx.university_list_forms[m.group(0)], source="university"))
    # a school numbered in Arabic digits: 合肥46中, 46中 (a place name before it belongs to it)
    for m in re.finditer(r"(?<![\d.%])(\d{1,3})中(?![学专心间期央国外文等级层部午秋])", text):
        start = m.start()
        for p in places.within(max(0, start - 8), start):
            if p.end == start:
                start = p.start
        if start == m.start() and re.match(rf"[{CJK}]", text[start - 1:start] or " ") and text[start - 1] not in "的在和与及、":
            pre = re.search(rf"[{CJK}]{{2,4}}$", text[max(0, start - 4):start])
            if pre and gazetteer is not None and _names_division(gazetteer, pre.group(0)):
                start -= len(pre.group(0))  # 合肥46中 with the short name of a city
        out.append(Mention(start, m.end(), text[start:m.end()], "School", -1, source="school-number"))
    return out


# ---------------------------------------------------------------- persons


_NAME_FOLLOW = ("出席", "指出", "强调", "表示", "同志", "讲话", "主持", "做了", "作了", "介绍", "要求", "说,", "参加", "代表", "在会",
                "告诉", "谈起", "回忆")


def _person_after(text: str, i: int, bad: set[str], strict: bool = False) -> str | None:
    """The name right after a post: jieba's person tag first, else (unless ``strict``) a surname and
    a clear boundary."""
    from ..tokenize import pos_cut

    lx = lexicons()
    words = pos_cut(text[i: i + 8])
    if words:
        w, flag = words[0]
        # jieba sometimes cuts a name after its surname: 陈|文华
        if flag.startswith("nr") and len(w) == 1 and w in lx.surnames and len(words) > 1 \
                and 1 <= len(words[1][0]) <= 2 and re.fullmatch(rf"[{CJK}]+", words[1][0]):
            w = w + words[1][0]
        # ... or before its last character: 戴敏|有先生, 李俊|峰,
        elif flag.startswith("nr") and len(w) == 2 and len(words) > 1 and len(words[1][0]) == 1 \
                and re.fullmatch(rf"[{CJK}]", words[1][0]) and words[1][0] not in "说在是和与及等的了" \
                and re.match(rf"(?:$|[^{CJK}]|{_HONORIFIC}|{_NAME_FOLLOW_RE}|等)", text[i + 3:i + 6]):
            w = w + words[1][0]  # the last character may be a function word only before an honorific
            if w[2] in bad and not re.match(_HONORIFIC, text[i + 3:i + 6]):
                w = w[:2]
        if flag.startswith("nr") and 2 <= len(w) <= 4 and (w[0] in lx.surnames or w[:2] in lx.surnames) \
                and not any(ch in bad for ch in w[:2]) and not PLACEHOLDER.search(w) and not _common_word(w):
            return w
    if strict:
        return None
    for size in (3, 2):
        cand = text[i: i + size]
        # 为 and 和 inside a given name (谢为民, 郭志和): the boundary after the name decides
        if len(cand) < size or cand[0] in bad or any(ch in bad and ch not in "为和" for ch in cand[1:]) \
                or not re.fullmatch(rf"[{CJK}]+", cand):
            continue
        if cand[0] not in lx.surnames or PLACEHOLDER.search(cand) or _common_word(cand):
            continue  # 人士支持: a word, not a name
        after = text[i + size: i + size + 2]
        if after[:1] in ("", "\n", ",", "。", "、", "(", ";", ":", " ") or after in _NAME_FOLLOW or after[:1] in "说做作在为":
            return cand
    return None


_HONORIFIC = "先生|女士|同学|同志|院士|教授|烈士|曾任|曾是|曾担任"
_NAME_FOLLOW_RE = "|".join(_NAME_FOLLOW)


def _common_word(w: str) -> bool:
    """A frequent dictionary word that is not a name (荣誉, 支持): never a person."""
    from ..gazetteer import _jieba_words

    freq, pos = _jieba_words().get(w, (0, ""))
    return freq >= 200 and not pos.startswith("nr") or freq >= 2000
_PERSON_CLASS = "(?:院士|校友|名家|教师|老师|校长|人士|同学|学生|代表|专家|学者|获得者|英雄|烈士|先生|女士|同志|嘉宾|教练)"
# a line of names after a label (一等奖:, 组员:), 、-separated as normalization leaves a roster
_ROSTER = re.compile(rf"([{CJK}]{{1,10}}(?:奖|名单|成员|组员|组长|人员|获奖者):)?((?:[{CJK}]{{2,3}}(?:\([^()]{{1,12}}\))?、)+[{CJK}]{{2,3}}(?:\([^()]{{1,12}}\))?)")
_NAME_LIST = re.compile(rf"(?<![{CJK}])(?:[{CJK}]{{2,3}}、){{2,}}[{CJK}]{{2,3}}(?=等|[^{CJK}]|$)")


def _name_before(text: str, end: int, bad: set[str], need_name_tag: bool = False) -> str | None:
    """A 2- or 3-character name ending at ``end`` (a surname first) where jieba's words begin it."""
    from ..tokenize import pos_cut

    lx = lexicons()
    w0 = max(0, end - 8)
    words = pos_cut(text[w0:end])
    starts: dict[int, str] = {}
    pos = w0
    for w, tag in words:
        starts[pos] = tag
        pos += len(w)
    for size in (3, 2):
        cand = text[end - size:end]
        if len(cand) < size or not re.fullmatch(rf"[{CJK}]+", cand) or any(ch in bad for ch in cand):
            continue
        if cand[0] not in lx.surnames and cand[:2] not in lx.surnames or PLACEHOLDER.search(cand):
            continue
        flag = starts.get(end - size)
        if flag is None or need_name_tag and not flag.startswith("nr") or _common_word(cand):
            continue
        if size == 2 and not flag.startswith("nr") and re.match(rf"[{CJK}]", text[end - 3:end - 2] or " "):
            continue
        return cand
    return None


def find_persons(doc: Document) -> list[Mention]:
    """Names next to a post (局长佟民, 王品木局长) and well-known leaders."""
    lx = lexicons()
    text = doc.text
    out: list[Mention] = []
    posts = _alt(lx.posts)
    bad = set("的了和与及在对从向到把被将为是有等市省县区局厅部委长记任员教育会议要我们全各这那其中一二三四五六七八九十年月日党组室处科校院园")
    bad_inner = bad - set("和月")  # 郭志和, 李月贞: given names, after a surname and before a post or in a roster
    posts_re = re.compile(posts)
    for m in posts_re.finditer(text):
        i = m.end()
        if posts_re.match(text, i):
            continue  # 总督学顾问陶西平: another post follows, the name comes after it
        cand = _person_after(text, i, bad)
        if cand:
            out.append(Mention(i, i + len(cand), cand, "Person", -1, source="post+name"))
    # a role before a name, where jieba reads a person's name (学生李丹天, 同学佃柳, 队长苗立杰, 湖广总督张之洞)
    for m in re.finditer(r"(?:学生|同学|队长|总督|院士|教授|教练|选手|学子|班长)", text):
        cand = _person_after(text, m.end(), bad, strict=True)
        if cand and len(cand) <= 3:  # (培养学生智力因素: no name of four characters)
            out.append(Mention(m.end(), m.end() + len(cand), cand, "Person", -1, source="role+name"))
    for m in re.finditer(rf"([{CJK}]{{2,3}})(?:{posts})", text):
        cand = m.group(1)
        start = m.start(1)
        prev = text[start - 1: start]
        if prev and re.match(rf"[{CJK}]", prev) and prev not in "、,和与及局厅委府院部":
            # 过程中马璞副市长: after another word, only a name jieba sees as one
            from ..tokenize import pos_cut
            words = pos_cut(text[max(0, start - 4): m.end(1)])
            if not (words and words[-1][0] == cand and words[-1][1].startswith("nr")):
                continue
        if cand[0] not in lx.surnames or cand[0] in bad or any(ch in bad_inner for ch in cand[1:]) or PLACEHOLDER.search(cand):
            continue
        if prev.isdigit() and cand[0] in "位名个":  # 2位北大校长: a count of people, not a name
            continue
        if cand[1:] in ("主管", "分管", "协管", "主持", "负责", "兼任", "担任") or _common_word(cand):
            continue  # 由主管校长: a verb before the post
        if len(cand) == 3 and _common_word(cand[:2]):
            continue  # 国家总督学: a word, then the start of the post
        out.append(Mention(start, m.end(1), cand, "Person", -1, source="name+post"))
    # a name before an honorific or a past post: 戴敏有先生, 刘亚楠同学, 蔡元培曾任校长
    for m in re.finditer(rf"(?={_HONORIFIC})", text):
        cand = _name_before(text, m.start(), bad)
        if cand:
            out.append(Mention(m.start() - len(cand), m.start(), cand, "Person", -1, source="name+honorific"))
    # a name opening its clause before a verb of speech or acting for a body: 王斌代表合肥市教育局表示…
    for m in re.finditer(r"(?<=[。,;:!?\n)])([\u4e00-\u9fff]{2,3})(?=代表|表示|指出|强调|介绍|主持|致辞|讲话|发言|宣读|作了?报告|述职)", text):
        cand = _name_before(text, m.end(), bad, need_name_tag=True)
        if cand and m.end() - len(cand) == m.start():
            out.append(Mention(m.start(), m.end(), cand, "Person", -1, source="name+speech"))
    # a teacher or student named before 老师/同学, a name before 等N位/名 (许家保等2位老师)
    for m in re.finditer(r"(?=老师|教师(?!节|队伍|发展|培训)|等[\d一二三四五六七八九十两]+[位名])", text):
        cand = _name_before(text, m.start(), bad, need_name_tag=True)
        if cand:
            out.append(Mention(m.start() - len(cand), m.start(), cand, "Person", -1, source="name+teacher"))
    # a by-line: 作者:王琛, 记者 程景伟, 通讯员:李明
    for m in re.finditer(r"(?:作者|记者|通讯员|撰稿人?|撰文|供稿|责任编辑|编辑|摄影|审核|文/图|图/文)([::\s]\s*)?", text):
        cand = _person_after(text, m.end(), bad, strict=not m.group(1))
        if cand and cand != "佚名":
            out.append(Mention(m.end(), m.end() + len(cand), cand, "Person", -1, source="byline"))
            # a second name written on: (撰文 钟宏娇 朱水军)
            nxt = re.match(rf"[、 ]?([{CJK}]{{2,3}})(?=[)\n]|$)", text[m.end() + len(cand):m.end() + len(cand) + 5])
            if nxt and nxt.group(1)[0] in lx.surnames and not any(ch in bad for ch in nxt.group(1)):
                at = m.end() + len(cand) + nxt.start(1)
                out.append(Mention(at, at + len(nxt.group(1)), nxt.group(1), "Person", -1, source="byline"))
    # a name after the kind of person it is: 维新人士徐树兰, 战斗英雄董存瑞, 院士陈建功
    for m in re.finditer(r"(?:人士|英雄|烈士|院士|教授|专家|校友|作家|诗人|学者|嘉宾|博士)(?=[\u4e00-\u9fff])", text):
        cand = _person_after(text, m.end(), bad)  # jieba's name, else a surname and a clear boundary
        if cand:
            out.append(Mention(m.end(), m.end() + len(cand), cand, "Person", -1, source="kind+name"))
    # two or more names in brackets after the kind of person they are: 2位北大校长(蔡元培、蒋梦麟)
    for m in re.finditer(rf"{_PERSON_CLASS}\(((?:[{CJK}]{{2,3}}、)+[{CJK}]{{2,3}})\)", text):
        pos = m.start(1)
        for it in m.group(1).split("、"):
            if (it[0] in lx.surnames or it[:2] in lx.surnames) and not PLACEHOLDER.search(it):
                out.append(Mention(pos, pos + len(it), it, "Person", -1, source="name-list"))
            pos += len(it) + 1
    # a contact person: 联系人:政治处樊梦婷, 联系人:市教育教学研究院徐雪刚
    for m in re.finditer(r"联系人(?:及电话|及联系方式)?[::]?\s*", text):
        for part in re.split(r"[;,、]", text[m.end():m.end() + 80].split("\n")[0]):
            part = re.sub(r"(?:联系)?电话.*$|\d.*$", "", part).strip()
            cand = _name_before(part, len(part), bad)
            if cand and part.endswith(cand):
                i = text.find(part, m.end())
                if i >= 0:
                    out.append(Mention(i + len(part) - len(cand), i + len(part), cand, "Person", -1, source="contact"))
    # names listed together as people: 19位院士(陈建功、金善宝、…), 杜亚泉、刘大白、斯霞等教育名家
    for m in _NAME_LIST.finditer(text):
        items = m.group(0).split("、")
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():m.end() + 8]
        people = re.search(rf"{_PERSON_CLASS}[(:]?$", before) or re.match(rf"等?(?:\d+|[一二三四五六七八九十两几]+)?(?:位|名)?[{CJK}]{{0,4}}?{_PERSON_CLASS}", after)
        if not people:
            continue
        good = [it for it in items if it[0] in lx.surnames or it[:2] in lx.surnames]
        if len(good) < max(2, int(0.8 * len(items))):
            continue
        pos = m.start()
        for it in items:
            if not any(ch in bad for ch in it) and not PLACEHOLDER.search(it):
                out.append(Mention(pos, pos + len(it), it, "Person", -1, source="name-list"))
            pos += len(it) + 1
    # names listed right after a kind of person (院士刘玠、苏义脑、毛新平等), or two names before 等 and one
    # (俞毅、刘佳芬等一批先进教师)
    for m in re.finditer(rf"{_PERSON_CLASS}((?:[{CJK}]{{2,3}}、)+[{CJK}]{{2,3}})(?=等|[^{CJK}]|$)|"
                         rf"(?<![{CJK}])([{CJK}]{{2,3}}、[{CJK}]{{2,3}})(?=等[一二三四五六七八九十两\d]*[位名批个]?[{CJK}]{{0,4}}?{_PERSON_CLASS})", text):
        group = 1 if m.group(1) else 2
        items = m.group(group).split("、")
        if not all((it[0] in lx.surnames or it[:2] in lx.surnames) and not any(ch in bad_inner for ch in it)
                   and not _common_word(it) and not PLACEHOLDER.search(it) for it in items):
            continue
        pos = m.start(group)
        for it in items:
            out.append(Mention(pos, pos + len(it), it, "Person", -1, source="name-list"))
            pos += len(it) + 1
    # a roster: 二等奖:钱虹燕、余子兰、张冬蕾(文科) and the lines that continue it
    in_roster = False
    for line in re.finditer(r"[^\n]+", text):
        rm = _ROSTER.fullmatch(line.group())
        if not rm or not (rm.group(1) or in_roster):
            in_roster = False
            continue
        listed = [(it.start(), it.group(1)) for it in re.finditer(rf"([{CJK}]{{2,3}})(?:\([^()]{{1,12}}\))?(?=、|$)", rm.group(2))]
        named = [(i, it) for i, it in listed if it[0] in lx.surnames and not any(ch in bad_inner for ch in it)
                and not _common_word(it) and not PLACEHOLDER.search(it)]
        if len(listed) < (2 if rm.group(1) else 3) or len(named) < 0.8 * len(rm.group(2).split("、")):
            in_roster = False
            continue
        in_roster = True
        base = line.start() + rm.start(2)
        for i, it in named:
            out.append(Mention(base + i, base + i + len(it), it, "Person", -1, source="roster"))
    for m in re.finditer(_alt(lx.leaders), text):
        out.append(Mention(m.start(), m.end(), m.group(0), "Person", -1, canonical=lx.leaders[m.group(0)], source="leader"))
    return out


# ---------------------------------------------------------------- documents and programs


def classify_title(title: str) -> str | None:
    """``PolicyDocument``, ``Program`` or ``None`` for a 《…》 title."""
    lx = lexicons()
    t = re.sub(r"[(（][^()（）]*[)）]$", "", title).strip()
    if any(t.endswith(s) for s in lx.non_docs):
        return None
    if re.search(r"(?:行动计划|工程|活动|项目)$", title) and not t.endswith("项目计划"):
        # an edition for a period (“十四五”…行动计划, …计划(2023—2025年)) is a document;
        # the name of a plan (学前教育三年行动计划, 宜昌市学前教育第三期三年行动计划) is the program
        if t != title or re.search(r"十[一二三四五]五|\d{4}", t):
            return "PolicyDocument"
        return "Program"
    if any(t.endswith(s) for s in lx.doc_types):
        return "PolicyDocument"
    return None


_ISSUE_VERBS = r"(?:制定|制订|出台|印发|下发|编制|修订|发布|颁布)(?:出台|并下发|完善)?(?:出|了)*"


def find_documents(doc: Document, place_spans: Sequence[Mention] = ()) -> list[Mention]:
    lx = lexicons()
    text = doc.text
    out: list[Mention] = []
    for m in _BOOK.finditer(text):
        title = m.group(1).strip()
        kind = classify_title(title)
        if kind is None or PLACEHOLDER.search(title):
            continue
        if kind == "Program" and re.search(rf"{_ISSUE_VERBS}的?$|[部局厅委府院办]$", text[max(0, m.start() - 8):m.start()]):
            kind = "PolicyDocument"  # 印发《…行动计划》: the plan as a document
        out.append(Mention(m.start(1), m.end(1), title, kind, -1, source="book-title"))
    # the document itself, when its heading is a document's title (a notice published as a web page):
    # 绍兴市教育局关于第十五届…工作的通知, 转发:浙江省教育厅办公室关于…的通知
    first = re.match(r"(?:转发[::]?\s*)?([^\n《》]{2,40}?关于[^\n]{4,100}的(?:" + _alt(lx.doc_types) + r"))\s*$",
                     text.split("\n", 1)[0])
    if first and not PLACEHOLDER.search(first.group(1)):
        out.append(Mention(first.start(1), first.end(1), first.group(1), "PolicyDocument", -1, source="heading"))
    # unquoted titles after a verb of issuing: 研究制定“十三五”中小学教师培训规划
    types = _alt(lx.doc_types)
    place_starts = {p.start for p in place_spans}
    for m in re.finditer(rf"{_ISSUE_VERBS}([^,。;:、《》\n的]{{4,30}}?(?:{types}))(?=[,。;、和及\n])", text):
        title = m.group(1)
        if re.match(r"^[\d一二三四五六七八九十两几多余]+[个项份条部套批]", title) or PLACEHOLDER.search(title):
            continue
        if not re.search(r"[“《]|^关于", title) and m.start(1) not in place_starts:
            continue
        if title.startswith(("了", "出", "并")):
            continue
        out.append(Mention(m.start(1), m.end(1), title, "PolicyDocument", -1, source="issue-verb"))
    return out


_NUMBERED_SLOGAN = re.compile(r"^[一二三四五六七八九十两\d]+个")
_SELECTION_VERBS = "评选|评比|遴选|征集"
_DOING_VERBS = (
    "实施|开展|推进|推行|推开|落实|启动|组织|创建|建立|深化|完成|实行|引进|确定|确立|举行|"
    "举办|承办|参加|加强|推动|打造|抓好|做好|抓实|抓住|深入|全面|继续|积极|扎实|开启|纳入|探索|试行|执行|申报|迎接"
)
_ACTION_VERBS = f"{_SELECTION_VERBS}|{_DOING_VERBS}"


_TAIL_END = re.compile(rf"(?:[^{CJK}]|的|工作|任务|和|与|及|等|中|为|在|已|取得|顺利|全面|实施|建设|验收|$)")
_TAIL_BAD = re.compile(r"[的和与及等了是在]|如期|顺利|全面|基本|相继|成功|圆满|已经|已")


_EVENT_WORDS = r"(?:竞赛|大赛|比赛|锦标赛|联赛|运动会|艺术节|科技节|文化节|读书节|体育节|展演|汇演|论坛|博览会|大会)"
# 第N届 + a name ending with an event word (optionally joined by 暨 to a second one), at a word boundary
_EDITION_EVENT = re.compile(
    rf"第[一二三四五六七八九十百零〇\d]{{1,4}}届[{CJK}A-Za-z“”]{{2,28}}?{_EVENT_WORDS}(?:暨[{CJK}]{{2,16}}?{_EVENT_WORDS})?"
    rf"(?=[^{CJK}]|在|于|由|中|上|开幕|闭幕|举行|举办|落下|圆满|的|期间|$)")


def find_programs(doc: Document, place_spans: Sequence[Mention] = ()) -> list[Mention]:
    """Named initiatives: quoted names, names with a program suffix, known aliases."""
    lx = lexicons()
    text = doc.text
    out: list[Mention] = []
    place_end = {p.end for p in place_spans}
    suffixes = _alt(lx.program_suffixes)
    # 1. quoted names, with a program word inside or right after the quotes
    for m in _QUOTE.finditer(text):
        inner = m.group(1).strip()
        # a numbered name is a slogan (“四个全面”) unless a program word follows it (“三个一”工程)
        named_by_suffix = re.match(r"(?:工程|计划|行动|项目|活动)", text[m.end(): m.end() + 2]) is not None
        # (“楚天学者”计划, “三个一”工程: the program word after the quotes names it whatever is quoted)
        numbered_program = named_by_suffix and (_NUMBERED_SLOGAN.match(inner) is not None or len(inner) >= 3)
        tail = ""
        if not _program_like(inner) and not numbered_program:
            # “不忘初心,牢记使命”主题教育活动: a quoted motto named as a program by the words after it
            if not (re.fullmatch(r"[\u4e00-\u9fff]{2,12},[\u4e00-\u9fff]{2,12}", inner) and re.match(
                    rf"[{CJK}]{{0,6}}?(?:{suffixes})", text[m.end(): m.end() + 16])):
                continue
        for after in re.finditer(rf"[{CJK}]{{0,6}}?(?:{suffixes})+", text[m.end(): m.end() + 16]):
            if after.start() == 0 and _TAIL_END.match(text, m.end() + after.end()):
                tail = after.group(0)
            break
        if _TAIL_BAD.search(tail):
            tail = ""
        inner_is_program = re.search(rf"(?:{suffixes})$", inner) is not None or inner in lx.program_alias
        if inner_is_program and re.fullmatch(r"项目(?:校|县|学校)?", tail):
            tail = ""  # “千人计划配套引智工程”项目8项: the program is the quoted one, 项目 its units
        before = text[max(0, m.start() - 12): m.start()]
        # an action verb before the quotes (selections count only right before them: 评选“…”)
        acted = re.search(rf"(?:{_DOING_VERBS})", before) is not None
        # “教育强省”战略, “立德树人”理念: doctrine and aims, not initiatives
        if re.match(r"的?[\u4e00-\u9fff]{0,2}?(?:战略|理念|精神|思想|要求|目标|主题(?!教育)|方针|原则|口号|重要论述)", text[m.end():m.end() + 7]):
            continue
        # 兴城市的“课堂教学改革”: a place's own initiative
        owned = text[m.start() - 1: m.start()] == "的" and (m.start() - 1) in place_end
        selected = re.search(rf"(?:{_SELECTION_VERBS})$", before) is not None
        if not (inner_is_program or tail or selected or (acted or owned) and len(inner) >= 4):
            continue
        # 评选“最美乡村教师”: the selection is the program
        if not tail and selected:
            out.append(Mention(m.start(1), m.end(1), inner, "Program", -1,
                               canonical=inner + before[-2:], source="quoted-selection"))
        elif tail:
            out.append(Mention(m.start(1), m.end() + len(tail), inner + tail, "Program", -1, source="quoted+suffix"))
        else:
            out.append(Mention(m.start(1), m.end(1), inner, "Program", -1, source="quoted"))
    # 2. unquoted names ending with a strong program suffix, after an action verb
    strong = _alt(lx.program_suffixes_unquoted)
    boundary = r"(?=[,。;、和及与的\n]|工作|任务|建设)"

    def acted_name(name: str) -> bool:
        head = re.sub(rf"(?:{strong})+$", "", name)
        return (len(name) >= 4 and _program_like(name) and len(head) >= 3 and head not in lx.generic_heads
                and not re.search(r"[的等了和]|(?<![普涉顾危以波所])及", name))

    for m in re.finditer(
        rf"(?:{_ACTION_VERBS})(?:了|好|的)?([{CJK}、]{{2,24}}?(?:\d+\.\d+)?[{CJK}]{{0,6}}?(?:{strong})){boundary}", text
    ):
        name = _trim_program(m.group(1))
        if not name or not acted_name(name):
            continue
        start = m.end(1) - len(name)
        out.append(Mention(start, m.end(1), name, "Program", -1, source="verb+suffix"))
        # …修身立德工程和职业学校文明修身工程: the programmes joined to it share its verb
        pos = m.end(1)
        while pos < len(text) and text[pos] in "和及与、":
            nxt = re.match(rf"([{CJK}]{{4,20}}?(?:{strong})){boundary}", text[pos + 1:pos + 26])
            if not nxt or not acted_name(nxt.group(1)):
                break
            out.append(Mention(pos + 1, pos + 1 + len(nxt.group(1)), nxt.group(1), "Program", -1, source="verb+suffix"))
            pos += 1 + len(nxt.group(1))
    # 2b. programs a plan works through: 以千万学生饮食放心工程和餐饮质量提升行动为抓手
    for m in re.finditer(r"以([^,。;:以为]{4,60}?)为(?:抓手|载体|重点|契机|龙头|突破口|主线|引领|总抓手)", text):
        pos = m.start(1)
        for part in re.split(r"(和|与|及|、)(?![^“”]*”)", m.group(1)):
            if part in ("和", "与", "及", "、"):
                pos += len(part)
                continue
            quoted = re.fullmatch(r"“([^“”]{4,30})”", part)
            if quoted and _program_like(quoted.group(1)):  # 以“五星育人、三名争创”为总抓手
                out.append(Mention(pos + 1, pos + len(part) - 1, quoted.group(1), "Program", -1, source="means"))
                pos += len(part)
                continue
            name = _trim_program(part)
            if len(name) >= 4 and re.search(rf"(?:{strong})$", name) and _program_like(name) \
                    and not re.search(r"[的等了]", name):
                start = pos + len(part) - len(name)
                out.append(Mention(start, start + len(name), name, "Program", -1, source="means"))
            pos += len(part)
    # list items named as programmes (其他:大哥哥大姐姐计划、风纪、…; 奥数训练、数学伙伴计划)
    for m in re.finditer(rf"(?<=[、:\n])([{CJK}A-Za-z]{{4,14}}?(?:计划|工程))(?=[、;。\n]|$)", text):
        name = m.group(1)
        head = re.sub(r"(?:计划|工程)$", "", name)
        if _program_like(name) and len(head) >= 3 and head not in lx.generic_heads and not re.search(r"[的等了和与及]", name) \
                and not re.search(rf"(?:{_DOING_VERBS})", name):
            out.append(Mention(m.start(1), m.end(1), name, "Program", -1, source="list-item"))
    # an edition of a recurring event: 第34届全国青少年信息学奥林匹克竞赛, 商丘市第五届运动会暨全民健身大会
    place_at_end = {p.end: p for p in place_spans}
    for m in _EDITION_EVENT.finditer(text):
        name, end = m.group(0), m.end()
        if name.count("“") > name.count("”") and text.startswith("”", end):
            name, end = name + "”", end + 1  # 第四届“中国未来教育家成长论坛”: the quote closes the name
        if re.search(r"代表大会|全会|委员会|党代会|团代会|教代会", name) or not _program_like(name):
            continue
        start = m.start()
        place = place_at_end.get(start)
        if place is not None:
            start, name = place.start, place.text + name
        out.append(Mention(start, end, name, "Program", -1, source="edition"))
    # a numbered programme in quotes: 国家“211”工程
    for m in re.finditer(r"“(\d{2,4})”(工程|计划)", text):
        out.append(Mention(m.start(1), m.end(), m.group(1) + m.group(2), "Program", -1, source="quoted-number"))
    # 3. known national programs and their abbreviations
    alias_re = _alt(lx.program_alias)
    for m in re.finditer(alias_re, text):
        if re.match(r"特色学校|特色幼儿园|示范学校|示范校|特色校", text[m.end():m.end() + 5]):
            continue  # 全国青少年校园足球特色学校 is a kind of school
        out.append(Mention(m.start(), m.end(), m.group(0), "Program", -1, canonical=lx.program_alias[m.group(0)], source="alias"))
    return out


_PROGRAM_LEAD = re.compile(
    r"^(?:[省市县区](?:、[省市县区])+级?|[省市县区]级|全市|全省|全县|全区|我市|本市|各级|各类|一批|新一轮|的|了|好|"
    r"继续|深入|全面|积极|扎实|大力|进一步|不断|认真|切实|努力|着力|重点|稳步|有序|逐步|持续|统筹|"
    r"实施|开展|推进|推行|落实|启动|组织|建立|深化|完成|实行|加强|推动|打造|抓好|做好|投身|投入|参与|以|为|在|对|将|把|和|与|及)+"
)


def _trim_program(name: str) -> str:
    name = re.split(r"并|通过|的|了|对", name)[-1]
    # two programs joined by 和: keep the second when it is a full name of its own
    parts = re.split(r"和|与|及", name)
    if len(parts) > 1 and len(parts[-1]) >= 8:
        name = parts[-1]
    name = _PROGRAM_LEAD.sub("", name)
    parts = name.split("、")
    # ... or by 、, unless the first names a level of schooling the second shares (中小学、幼儿园学科带头人选拔活动)
    if len(parts) == 2 and len(parts[0]) >= 4 and len(parts[1]) >= 4 \
            and not re.search(r"(?:小学|中学|初中|高中|幼儿园|中职|高校|职校)$", parts[0]):
        name = parts[1]
    return name


def _program_like(name: str) -> bool:
    lx = lexicons()
    if name in lx.program_stop or PLACEHOLDER.search(name):
        return False
    if _NUMBERED_SLOGAN.match(name) and name not in lx.program_alias:
        return False
    if re.search(r"[,。;:!?]", name) or len(name) > 30:
        return False
    if re.fullmatch(r"[\d.%年月日]+", name):
        return False
    return True


# ---------------------------------------------------------------- arbitration

def _trim_program_heads(mentions: list[Mention]) -> list[Mention]:
    """An unquoted program does not begin with the school, body or places that run it:
    市一职专省级示范校年度推进项目 → 省级示范校年度推进项目; 连山区、南票区危房改造工程 → 危房改造工程."""
    heads = SpanIndex([m for m in mentions if m.type in ("School", "Agency", "Place")])
    out = []
    for m in mentions:
        if m.type == "Program" and m.source == "verb+suffix":
            start = m.start
            near = heads.overlapping(m.start, m.end)  # only heads overlapping the name can move its start
            moved = True
            while moved:
                moved = False
                for h in near:
                    if h.start <= start < h.end < m.end or (h.start == start and h.end < m.end):
                        start = h.end
                        while start < m.end and m.text[start - m.start] in "、和及与的":
                            start += 1
                        moved = True
            if start != m.start and re.match(r"第[一二三四五六七八九十百零〇\d]{1,4}届", m.text[start - m.start:]) \
                    and all(h.type == "Place" for h in near if h.start < start):
                start = m.start  # 绍兴市第十届…选拔活动: a place's own edition keeps the place
            if start != m.start:
                rest = m.text[start - m.start:]
                lead = re.match(rf"(?:{_DOING_VERBS})+", rest)  # 共青城市、庐山市启动…创建: the verb goes too
                if lead:
                    start += lead.end()
                if m.end - start < 4:
                    continue
                m = Mention(start, m.end, m.text[start - m.start:], m.type, m.sentence, m.canonical, m.key, m.source)
        out.append(m)
    return out


TYPE_PRIORITY = {"PolicyDocument": 0, "Person": 1, "School": 2, "Agency": 3, "Program": 4, "Place": 5}


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest mention where spans overlap; ties go by type priority.

    A place nested inside an agency, school or program name is kept as well:
    葫芦岛市教育局 is an agency *and* names the place 葫芦岛市.
    """
    mentions = _trim_program_heads(mentions)
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), TYPE_PRIORITY[m.type], m.start, m.source))
    # 宁波市镇海中学: the school is named by 宁波市; 镇海 inside it is part of its name, not a place of the text
    full = re.compile(r"(?:省|市|区|县|旗|盟|州|自治区|地区)$")
    schools = [m for m in mentions if m.type == "School"]
    drop: set[int] = set()
    in_school = {id(p) for sc in schools for p in mentions
                 if p.type == "Place" and sc.start <= p.start and p.end <= sc.end}
    free = [p.text for p in mentions if p.type == "Place" and id(p) not in in_school]
    for sc in schools:
        inner = sorted((p for p in mentions if p.type == "Place" and sc.start <= p.start and p.end <= sc.end),
                       key=lambda p: p.start)
        # (上海金山中学: 金山 too) ... unless the text names that place on its own (龙华区 of 深圳市龙华中学
        # in 龙华区's report)
        drop.update(id(p) for p in inner[1:] if not full.search(p.text) and not any(f.startswith(p.text) for f in free))
    ordered = [m for m in ordered if id(m) not in drop]
    kept: list[Mention] = []
    covering: dict[int, list[Mention]] = {}  # offset -> kept mentions over it: linear in the names' length
    for m in ordered:
        clash = False
        for pos in range(m.start, m.end) if m.end > m.start else (m.start,):
            for k in covering.get(pos, ()):
                if m.start < k.end and k.start < m.end:
                    nested = k.start <= m.start and m.end <= k.end
                    if nested and m.type == "Place" and k.type in ("Agency", "School", "Program", "PolicyDocument"):
                        continue
                    clash = True
                    break
            if clash:
                break
        if not clash:
            kept.append(m)
            for pos in range(m.start, m.end):
                covering.setdefault(pos, []).append(m)
    kept.sort(key=lambda m: (m.start, m.end, m.type))
    return kept
