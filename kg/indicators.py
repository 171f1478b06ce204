"""The indicator vocabulary (``kg/data/indicators.ttl``) and how an observation finds its concept.

An observation's indicator is first read from its clause as words
(:func:`kg.extract.observations.indicator_name`); :func:`clean_name` takes away
what is not a name (target and time words, adverbs, clause verbs, placeholders);
:meth:`Scheme.link` then looks the words up among the labels and altLabels of
the scheme, tolerant of the ways documents write them (the scope 全市/全县 in
front, 、 and 的 inside, 人数/总数/数量 for 数), and only in the unit family the
concept is measured in:

>>> s = Scheme.load()
>>> s.link("全市学前教育三年毛入学率", "%").label
'学前三年毛入园率'
>>> s.link("新建、改扩建幼儿园数", "所").label
'新建改扩建幼儿园数'
>>> s.link("学前三年毛入园率", "所") is None
True

:func:`normalize` gives a value in its base unit (29.74 亿元 → 2974000000 元).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .lexicon import data_path

SCHEME_IRI = "https://w3id.org/edupolicy-kg/id/indicators"
GROUP_PREFIX = "https://w3id.org/edupolicy-kg/id/indicator-group/"

# unit as written → (unit family of the concepts it can measure, base unit)
_FAMILY = {
    "%": "%",
    "元": "元",
    "人": "人", "名": "人", "位": "人",
    "人次": "人次", "件次": "人次",
    "所": "所", "家": "所", "处": "所", "座": "所",
    "个": "个", "班": "个", "间": "个", "项": "项", "台": "个", "辆": "个", "册": "项",
    "平方米": "平方米", "㎡": "平方米",
    "年": "年", "岁": "岁",
}
# a count of schools is also written with 个 (12个项目学校); a count of classes or places with 所 is not
_ALSO = {"所": {"个"}, "项": {"个"}, "个": {"项", "处"}}


def unit_scale(unit: str) -> tuple[str, Decimal]:
    """``(unit without its scale, scale)``: 亿元 → (元, 1e8), 万平方米 → (平方米, 1e4), 万㎡ → (㎡, 1e4)."""
    u = unicodedata.normalize("NFKC", unit).strip()
    scale = Decimal(1)
    while len(u) > 1 and u[0] in "万亿千百":
        scale *= {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), "百": Decimal(100)}[u[0]]
        u = u[1:]
    return u, scale


def unit_family(unit: str) -> str | None:
    """The family of a unit as written: 万元 → 元, 名 → 人, ㎡ → 平方米; None when it has none (个百分点, 分钟)."""
    base, _ = unit_scale(unit)
    if base == "m2":
        return "平方米"
    return _FAMILY.get(base)


def normalize(value: Decimal, unit: str, rank: bool = False) -> tuple[Decimal, str]:
    """The value in its base unit: 亿元 and 万元 in 元, 万人 and 名 in 人, ㎡ and 万平方米 in 平方米.

    A rank (全省第2名) keeps 名. Units without a family keep their name with the scale applied.

    >>> normalize(Decimal("29.74"), "亿元")
    (Decimal('2974000000.00'), '元')
    >>> normalize(Decimal("3000"), "名")
    (Decimal('3000'), '人')
    """
    base, scale = unit_scale(unit)
    out = value * scale
    if rank:
        return out, base
    if base in ("㎡", "m2"):
        return out, "平方米"
    if base in ("名", "位"):
        return out, "人"
    return out, base


# ---------------------------------------------------------------------------
# clean names

# words that head a clause but never a name: scope, time, target and status words, adverbs, clause verbs
_LEAD_NOISE = re.compile(
    r"^(?:全市|全县|全区|全省|全州|全旗|全盟|我市|我县|我区|我省|我旗|本市|本县|本区|全国(?!和|决赛|比赛|大赛|竞赛|赛区|排名|优秀|先进|金牌|银牌|铜牌|模范|劳动模范|劳模|名师|特级|骨干|优质课|[一二三]等奖|示范|文明|十佳|最美|特色|百强|冠军|亚军|季军|教学名师|[A-Za-z]类)|全年|年内|当年|目前|现在|"
    r"截至|截止|其中|同时|此外|另外|并且|并|且|而且|还|又|也|均|都|已经|已|共计|共有|共(?!青团)|累计|总计|合计|现有|拥有|"
    r"力争|争取|确保|预计|计划|将|要(?!求)|拟|力求|努力|实现|完成|达到|有(?!需求|效|序|关|力|利|机)|"
    r"先后|分别|积极|大力|深入|全力|不断|进一步|持续|重点|着力|扎实|认真|切实|隆重|严厉|严格|及时|稳步|加快|全面推进|"
    r"打造|落实|做好|抓实|抓好|推动|推进|组织召开|组织|召开|开展了|开展|举办|制定完善|制定|出台|下发|印发|"
    r"\d*年(?:底|末|初)?(?=我|全|本)|\d+月(?:底|末)?|[,、;:()])+"
)
# trailing words that end a clause, not a name
_TRAIL_NOISE = re.compile(
    r"(?:力争|争取|确保|预计|(?<=今年|明年|全年|年内|原来|\d年)计划|(?<=[原将拟共])计划|达到|达|突破|超过|稳定在|保持|降至|增至|减少到|减至|压减至|提高到|提升到|增加到|下降到|"
    r"由原来的|由原来|由|从|原来|原先|每人每月|每生每年|每生每天|每人每年|每年|每月|每天|分别|累计|共计|共|总计|已|均|"
    r"(?:19|20)\d{2}年|去年|今年|上年|年初|年底|年末|近[一二三四五六七八九十两\d]{1,2}年来?|以来|的|了|在|为|是|和|及|与|、|[,;:(])+$"
)
_PLACEHOLDER = re.compile(r"[XＸ×xX]{1,}|20[XＸ]{2}|某某")


def clean_name(name: str) -> str:
    """The name of what is measured, without the words around it that belong to the clause.

    >>> clean_name("学前三年毛入园率力争")
    '学前三年毛入园率'
    >>> clean_name("中小学班主任津贴标准也由原来的每人每月")
    '中小学班主任津贴标准'
    >>> clean_name("20XX年全局性会议压缩")
    '全局性会议压缩'
    """
    s = unicodedata.normalize("NFKC", name).strip()
    s = re.sub(r"[“”\"'《》〈〉「」]", "", s)
    s = _PLACEHOLDER.sub("", s)
    # a clause inside the name: 也由原来的…, 由2020年的…: the name is what comes before
    s = re.sub(r"(?:也|均|都|已)?(?:由原来的?|(?:由|从)(?=(?:19|20)\d{2}年|去年|上年|年初|原来|\d)).*$", "", s) or s
    # a clause inside (解决了学生午间就餐问题, 项目已完工): the verb and what it acts on, no status word
    s = re.sub(r"分别(?:比上?年?)?|已(?=[\u4e00-\u9fff])", "", s)
    if "了" in s:
        head, _, tail = s.rpartition("了")
        s = head[-2:] + tail if len(tail) >= 2 else head
        s = s.replace("了", "")
    # a list of names closed by 等 before what is counted (组建A、B等教育集团, 向甲、乙等农村学校): the kind, not the names
    s = re.sub(r"^(新组建|组建|新建|改扩建|建成|建设|开设|向|为|对)?((?(1)[^、,;]{1,20}|[^、,;]{1,20}(?:、[^、,;]{1,20})+))"
               r"(?:、[^、,;]{1,20})*等(?![奖级次于同])(?=[\u4e00-\u9fff]{2})",
               lambda m: m.group(1) or "", s)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_NOISE.sub("", s)
        s = _TRAIL_NOISE.sub("", s)
        s = re.sub(r"(?:也|还|均|都|就|已|将|亦|原则上)$", "", s)
        # the subject of a profile (学校现有教职工, 我校共有): the school itself, not part of the name
        s = re.sub(r"^(?:学校|我校|本校|全校|该校)(?:共有|现有|拥有|有|现|共)(?=[\u4e00-\u9fff]{2})", "", s)
        # verbs that only report handing out or finishing (发放各类学生资助资金, 建成区级基地): the
        # figure is named by their object; 新建, 新增, 招聘, 培训, 认定, 创建 name the measure and stay
        s = re.sub(r"^(?:(?:发放|下达|拨付)(?:各级各类|各类)?|建成|评选(?=表彰))(?=[\u4e00-\u9fff]{3})", "", s)
    s = re.sub(r"(?:数量|总数量)$", "数", s)  # 在校学生数量 → 在校学生数
    s = re.sub(r"(?<=[\u4e00-\u9fff])(?:各级各类|各类)(?=[\u4e00-\u9fff]{2})", "", s)  # 发现各类隐患: of every kind, still 隐患
    # adverbs inside (本校亦先后为…): never part of what is measured
    s = re.sub(r"(?:亦|也)?(?:先后|积极|大力|深入|切实|扎实|认真|进一步|原则上)(?=[\u4e00-\u9fff])", "", s)
    return s.strip()


# ---------------------------------------------------------------------------
# the scheme


@dataclass
class Concept:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    unit_family: str
    broader: tuple[str, ...] = ()  # IRIs: the more general measure, the level of schooling, the kind of measure


@dataclass
class Scheme:
    """The concepts of ``indicators.ttl``, with an index from the normalized names documents use."""

    concepts: dict[str, Concept]
    groups: dict[str, str]  # IRI of a level or kind of measure → its label
    _index: dict[str, list[Concept]] = field(default_factory=dict)
    _labels: dict[str, Concept] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Scheme:
        """The packaged vocabulary (or the Turtle file ``path``), read once per process."""
        return _load(str(path or data_path("indicators.ttl")))

    def _build_index(self) -> None:
        index: dict[str, list[Concept]] = {}
        for c in self.concepts.values():
            for name in (c.label, *c.alt_labels):
                k = key(name)
                bucket = index.setdefault(k, [])
                if c not in bucket:
                    bucket.append(c)
        self._index = index

    def lookup(self, name: str) -> list[Concept]:
        return list(self._index.get(key(name), ()))

    def link(self, name: str, unit: str, rank: bool = False) -> Concept | None:
        """The concept ``name`` (the words of a document) names, measured in ``unit``; None when none fits.

        First the concept the words name; else the kind of measure they are (:func:`measure_kind`:
        what is counted, in which unit family: 培训校长园长2036人次 → 培训人次), whose label is
        the Indicator while the document's own name stays on the observation.
        """
        return self.find(name, unit, rank)[0]

    def find(self, name: str, unit: str, rank: bool = False) -> tuple[Concept | None, bool]:
        """``(concept, named)``: the concept as :meth:`link` finds it, and whether the words name it
        (True) or only say its kind of measure (False: the figure keeps its own name)."""
        family = unit_family(unit) or _ratio_family(unit)
        if family is not None and not rank:
            for candidate in _variants(name):
                hits = [c for c in self._index.get(key(candidate), ()) if _fits(c.unit_family, family)]
                if hits:
                    return hits[0], True
        label = measure_kind(name, unit, rank=rank)
        return (self.by_label(label) if label else None), False

    def by_label(self, label: str) -> Concept | None:
        if not self._labels:
            self._labels = {c.label: c for c in self.concepts.values()}
        return self._labels.get(label)

    def label_of(self, iri: str) -> str:
        c = self.concepts.get(iri)
        return c.label if c else self.groups.get(iri, iri.rsplit("/", 1)[-1])


# ---------------------------------------------------------------------------
# kinds of measure: a figure that names no concept of the vocabulary is still a count of
# persons, schools, projects, medals, a sum of money, an area, a rate of some kind

# unit as written → the family a kind of measure is counted in (wider than :func:`unit_family`,
# which decides normalized values: medals, events, cases, devices, buildings, ages, durations, scores)
_KIND_UNIT = {
    "亩": "平方米", "m2": "平方米",
    "枚": "枚", "块": "块",
    "次": "次", "场": "次", "轮": "次", "期": "次", "届": "次", "场次": "次",
    "起": "件", "件": "件",
    "门": "门", "节": "门", "篇": "篇",
    "部": "台", "台": "台", "套": "台", "组": "台",
    "幢": "幢", "栋": "幢",
    "周岁": "岁", "岁": "岁",
    "分钟": "时长", "小时": "时长", "个小时": "时长", "天": "时长", "个月": "时长", "学时": "时长", "个工作日": "时长",
    "分": "分",
    "个百分点": "个百分点",
}
_SCHOOL_END = re.compile(r"(?:学校|校|中学|小学|中小学|高中|幼儿园|园|院校|职教中心|学院)数?$")
_PERSON_WORDS = (r"教师|老师|教职工|教练|班主任|校长|园长|督学|教研员|辅导员|保安|保育员|校医|工作人员|干部|党员|专家|"
                 r"名师|人才")
_HONOUR_WORDS = (r"名师|名校长|名园长|名班主任|名教师|骨干|带头人|特级|优秀|先进|模范|劳模|最美|标兵|能手|新秀|专家|拔尖|"
                 r"领军|功勋|楷模|表彰|评选|评为|获评|认定|荣誉|培养对象|特殊津贴")
# (label of the kind's concept, the unit families it is counted in, what the name says; None: any name)
# First match wins; each row is a kind of measure education statistics and work reports count.
_KINDS: tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...] = tuple(
    (label, frozenset(fams.split()), re.compile(rx) if rx else None) for label, fams, rx in (
        # rates
        ("下降幅度", "%", r"(?:降幅|下降率|减少率|降低率)$"),
        ("增长率", "%", r"(?:增长率|增幅|增速|增长)$"),
        ("升学录取率", "%", r"(?:上线率|录取率|达线率|升学率)$"),
        ("达标合格率", "%", r"(?:达标率|合格率|优良率|优秀率|及格率|通过率)$"),
        ("覆盖普及率", "%", r"(?:覆盖率|覆盖面|普及率|配备率|安装率|接入率|建成率|使用率|应用率)$"),
        ("参与率", "%", r"(?:参与率|参加率|参训率)$"),
        ("工作完成率", "%", r"(?:完成率|完工率|办结率|处结率|办复率|结案率|整改率|压减率|落实率|到位率|执行率)$"),
        ("满意度", "%", r"(?:满意率|满意度)$"),
        ("入学巩固率", "%", r"(?:入学率|入园率|巩固率|毕业率|就读率)$"),
        ("就业率", "%", r"就业率$"),
        ("比例", "%", r"(?:比例|占比|比重)$|占"),
        ("百分点变化", "个百分点", r"(?:提高|下降|降低|增加|减少|提升|上升|回落)$"),
        # money
        ("经费增加额", "元", r"(?:增加额|增加|增长)$"),
        ("经费标准", "元", r"标准$"),
        ("资助补助资金", "元", r"资助|奖助|助学|补助|补贴|津贴|奖励|奖学金|慰问"),
        ("建设项目投资", "元", r"建设|新建|改扩建|扩建|改造|维修|校舍|工程|基础设施|设施|装备|购置|校区|扩容"),
        ("专项资金投入", "元", r"资金|投入|投资|经费|拨款|支出|预算"),
        # area
        ("占地面积", "平方米", r"占地"),
        ("维修改造校舍面积", "平方米", r"维修|加固|改造|危房|险房|拆除"),
        ("新建校舍面积", "平方米", r"新建|改扩建|扩建|建设|竣工|翻建|建成|新增|规划"),
        ("运动场地面积", "平方米", r"运动场|操场|球场|跑道"),
        ("校舍建筑面积", "平方米", r"楼|馆|厅|食堂|宿舍|公寓|校舍|用房|建筑"),
        # attendances
        ("培训人次", "人次", r"培训|研修|轮训|学习|讲座"),
        ("受益人次", "人次", r"资助|惠及|受益|服务|覆盖|帮扶|救助|补助"),
        ("参与人次", "人次", None),
        # persons
        ("数量变化", "人 所 个 项", r"(?:增加|减少|增长|下降)$"),
        ("培训人数", "人", r"培训|研修|轮训|参训"),
        ("学历职称教师数", "人", r"学历|学位|职称"),
        ("升学录取人数", "人", r"上线|录取|考入|升入|保送|送入|清华|北大|一本|二本|本科|特控线|(?:大学|学院)数$"),
        ("获奖人数", "人", r"金牌|银牌|铜牌|奖牌|获奖|等奖|奖项|冠军|集训队|优课|优质课"),
        ("容纳人数", "人", r"容纳|可供|可容|住宿"),
        ("招聘教师数", "人", rf"(?:招聘|招录|录用|引进|补充|新进|招教|招考|选调|聘用).*(?:{_PERSON_WORDS}|师)"),
        ("交流轮岗教师数", "人", r"交流|轮岗|支教|走教"),
        ("荣誉称号人数", "人", _HONOUR_WORDS + "|推荐"),
        ("受益人数", "人", r"资助|惠及|受益|覆盖|服务|帮扶|救助|补助|营养|免费|减免"),
        ("参与人数", "人", r"参加|参与|参赛|参考|报名|报考|参会|运动员|选手|考生|听讲|观看|志愿"),
        ("学历职称教师数", "人", r"学历|学位|硕士|博士|本科|研究生|职称|高级|中级|初级"),
        ("教职人员数", "人", rf"(?:{_PERSON_WORDS})(?:人?数)?$"),
        ("学生群体人数", "人", r"(?:学生|幼儿|学子|儿童|同学|毕业生|新生|在校生|少年|团员|队员|师生)(?:人?数)?$"),
        # schools and bodies
        ("校外培训机构数", "所", r"机构"),
        ("新建改扩建学校数", "所", r"新建|改扩建|扩建|建成|开工|竣工|完工|迁建|异地"),
        ("改造薄弱学校数", "所", r"改造|维修|加固|危房|险房|改薄|薄改|薄弱学校"),
        ("示范特色学校数", "所", r"示范|特色|标准化|规范化|星级|一级|重点|优质|达标|认定|命名|评为|创建|品牌|实验|先进|文明|平安|"
                            r"智慧|依法治校|清廉|样板|标杆|称号|传承|一流|改革发展"),
        ("项目覆盖学校数", "所", r"参加|参与|覆盖|开展|实施|结对|帮扶|托管|纳入|推广|开设|试点|项目|计划|工程|排查|检查|督导|评估"),
        ("特定类别学校数", "所", _SCHOOL_END.pattern),
        # things counted with 个, 项, 件, 门 …
        ("工作项目数", "个 项 件", r"项目|工程|课题|任务|事项|实事"),
        ("获奖数", "个 项", r"奖|金牌|银牌|铜牌|奖牌|冠军"),
        ("问题隐患数", "个 件", r"隐患|问题|案件|事故|违规|违纪|投诉|信访|举报|案例|风险"),
        ("基地平台数", "个", r"基地|工作室|中心|示范点|联合体|集团|联盟|平台|实验室|站|园区|共同体|品牌|支部|党组织|院系|学区"),
        ("专业课程数", "个 项 门", r"专业|课程|学科|课例|精品课|教材|课$"),
        ("制度文件数", "个 项", r"制度|文件|方案|办法|意见|规划|政策|标准|责任制|清单|规定|机制"),
        ("功能教室数", "个", r"教室|功能室|实验室|班房|特别室|图书室|阅览室|报告厅|礼堂"),
        ("校舍栋数", "个", r"楼|馆|餐厅|食堂|公寓|宿舍"),
        ("班级数", "个", r"^(?:初[一二三]|高[一二三]|[一二三四五六七八九]年级)数$|(?:教学班|班级)数$"),  # 初一20个: a grade's classes
        ("县区数", "个", r"(?:县|区|市|乡镇|镇|街道|村|县\(市、区\)|县\(市\)区|县市区)数$"),
        ("问题隐患数", "件", None),
        ("奖牌数", "枚", None),
        ("专业课程数", "门", None),
        ("论文篇数", "篇", None),
        ("奖牌数", "块", r"牌|奖"),
        ("活动场次", "次", None),
        ("设施设备数", "台", None),
        ("校舍栋数", "幢", None),
        ("年龄", "岁", None),
        ("工作年限", "年", r"年限|工龄|教龄|任教|工作|从教|服务|任职|担任|满$"),
        ("时长", "时长", None),
        ("分值", "分", None),
    )
)


def _kind_family(unit: str) -> str | None:
    base, _ = unit_scale(unit)
    return _KIND_UNIT.get(base) or unit_family(unit)


def _ratio_family(unit: str) -> str | None:
    """比 for a ratio (4.5:5.5 is read with the unit ``:5.5``)."""
    return "比" if re.match(r"[:︰∶]\d", unicodedata.normalize("NFKC", unit)) else None


def measure_kind(name: str, unit: str, rank: bool = False) -> str | None:
    """The kind of measure a figure's name and unit say, when no concept names it: the label of
    its concept (persons trained, schools of a kind, funds invested, medals won…), else None.

    >>> measure_kind("校长园长在职提高远程培训人次", "人次")
    '培训人次'
    >>> measure_kind("认定市级义务教育课程改革示范校数", "所")
    '示范特色学校数'
    >>> measure_kind("国际信息学奥赛金牌数", "枚")
    '奖牌数'
    >>> measure_kind("召开会议数", "平方米") is None
    True
    """
    if rank:
        return "排名"
    fam = _kind_family(unit)
    if fam is None or len(name) < 2:
        return None
    if fam in ("元", "平方米") and re.search(r"(?<!人)数$", name):
        return None  # a count written with an area or a sum is read wrong: no kind fits it
    if fam in ("人", "所", "个", "项") and re.search(r"每百名|生均|人均|平均", name):
        return None  # 每百名学生拥有骨干教师数: a ratio, not a count of persons or schools
    fams = {fam}
    if fam in ("个", "项"):
        fams |= {"个", "项"}
    if fam == "个" and _SCHOOL_END.search(name):
        fams.add("所")  # 12个项目学校
    if fam == "所" and not _SCHOOL_END.search(name):
        fams.add("个")  # 排除隐患12处, 建成基地3家
    for label, families, rx in _KINDS:
        if families & fams and (rx is None or rx.search(name)):
            return label
    return None


KIND_LABELS = tuple(dict.fromkeys(label for label, _, _ in _KINDS)) + ("排名",)


def _fits(concept_family: str, family: str) -> bool:
    return concept_family == family or family in _ALSO.get(concept_family, set())


@lru_cache(maxsize=4)
def _load(path: str) -> Scheme:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SKOS

    from .namespace import KG

    g = Graph()
    g.parse(path, format="turtle")
    concepts: dict[str, Concept] = {}
    groups: dict[str, str] = {}
    for s in g.subjects(SKOS.inScheme, URIRef(SCHEME_IRI)):
        label = str(g.value(s, SKOS.prefLabel))
        if (s, RDF.type, KG.Indicator) in g:
            alts = tuple(sorted(str(a) for a in g.objects(s, SKOS.altLabel)))
            family = str(g.value(s, KG.unitFamily) or "")
            broader = tuple(sorted(str(b) for b in g.objects(s, SKOS.broader)))
            concepts[str(s)] = Concept(str(s), label, alts, family, broader)
        else:
            groups[str(s)] = label
    scheme = Scheme(concepts, groups)
    scheme._build_index()
    return scheme


_SCOPE = re.compile(r"^(?:全市|全县|全区|全省|全州|全旗|全国|我市|我县|我区|我省|本市|市区|城区|农村|城乡|各级各类)(?=.{2})")


def key(name: str) -> str:
    """The form names are compared in: NFKC, no spaces, quotes, 、 or 的; 人数/总数/数量/个数 as 数."""
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"[\s“”\"'《》〈〉「」、·的]", "", s)
    s = re.sub(r"(?:总人数|人数|总数|数量|个数|总量)$", "数", s)
    return s


def _variants(name: str) -> list[str]:
    """The name, then the name without a scope in front (全市, 全县…), then without a trailing 数."""
    out = [name]
    s = _SCOPE.sub("", name)
    if s != name:
        out.append(s)
    for v in list(out):
        if v.endswith("数") and not v.endswith(("人数", "次数")) and len(v) > 3:
            out.append(v[:-1])
    return out
