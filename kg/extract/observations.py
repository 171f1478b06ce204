"""Observations: every number that measures something, with its indicator,
year, status, place and the program or body it belongs to.

* the indicator is the noun phrase the number measures, read from its clause
  (``全市5星幼儿园已达12所`` → ``5星幼儿园数``); a change with no noun of its
  own (``比2011年增加了8.16亿元``) measures the change of the clause before;
* the year comes from the clause, else the sentence, else the section heading,
  else the document's own year; 今年/去年/明年 resolve against it;
* the status is ``target`` when the sentence plans (力争, 确保, 计划, 到2020年 …)
  and ``achieved`` when it reports (已, 完成了, 实现了 …), else the section's kind;
* the place is the one named before the number in its clause or sentence, else
  the document's home place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from ..indicators import Scheme, clean_name
from ..model import Document, Entity, Mention, Observation, Sentence
from ..numbers import Quantity, find_quantities
from ..segment import FOUNDING_YEAR, effective, looks_like_profile

COUNT_UNITS = ("所", "个", "人", "名", "项", "次", "件", "处", "家", "座", "间", "套", "台", "册", "门", "节", "场", "批", "篇", "本", "辆", "轮", "支", "人次", "件次", "条", "位")

TARGET = re.compile(r"(?:19|20)\d{2}年(?:底|年底|年末)?(?:前|之前)|力争|争取|确保|计划(?!项目|生|单列|内)|预计|目标|将(?!近|其|之|“)|要达到|要实现|要完成|力求|拟|届时|到(?:19|20)\d{2}年")
STRONG_TARGET = re.compile(r"力争|确保|计划(?!项目|生|单列|内)|预计|目标|到(?:19|20)\d{2}年|届时")
ACHIEVED = re.compile(r"已经|已达|已有|已|完成了|实现了|达到了|取得了|获得了|共有|累计|有了|以来|截至|截止")
YEAR = re.compile(r"(?<![\d比较])((?:19|20)\d{2})年(?!以来|以前|之前|起|至今)")
BASE_YEAR = re.compile(r"(?:比|较|与|同)((?:19|20)\d{2})年")
REL_YEAR = {"今年": 0, "本年": 0, "去年": -1, "明年": 1}
_REL_YEAR_RE = re.compile(r"(?<![比较与])(今年|本年|去年|明年)")
PERIOD_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_PERIOD_SPAN = re.compile(r"“?(十[一二三四五]五)”?(?:期间|时期|规划期|末|期末)")
# 未来三年, 今后五年, 三年内, 5年内: a span of years from the document's year
_YEARS_AHEAD = re.compile(r"(?:未来|今后|再用|用)([一二三四五六七八九十两\d]{1,2})年(?!前|来|级)|(?<![近去前])([一二三四五六七八九十两\d]{1,2})年(?:内|之内|时间内)")
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# rules and limits a notice or a bureau sets
RULE = re.compile(r"(?<![按照根据依的])规定(?![学的标动])|(?<![按照根据依的])要求(?![的,])|不少于|不低于|不超过|不高于|不多于|不得|至少|必须|应当|原则上")
# the nation as a figure's place
# a place or level word before an honour or rank names its scope (全国优秀教师, 省级学科带头人), not where a figure holds
HONOUR = re.compile(
    r"(?:和[\u4e00-\u9fff]{1,4}?省|、[\u4e00-\u9fff]{1,4}?[省市])?(?:[省市县区]?级|的)?(?:优质课|一等奖|二等奖|三等奖|特级|正高级|名师|名校长|先进|优秀|骨干|学科带头人|"
    r"教坛新秀|劳动模范|劳模|模范|金牌|银牌|铜牌|冠军|示范|最美|十佳|百佳|荣誉|表彰|奖励|教学能手|教学名师|五一劳动奖|三八红旗|特殊津贴|"
    r"[“\"]?(?:百人计划|千人计划|万人计划|楚天学者|长江学者|教学成果奖))"
)
NATIONAL = re.compile(r"全国(?!决赛|比赛|大赛|竞赛|联赛|赛区?|排名|文明|先进|优秀|示范|重点|金牌|银牌|铜牌|模范|劳模|名师|特级|骨干|一等奖|二等奖|三等奖|优质课|人大|政协|妇联|总工会|教育大会|人民|范围内的|一流|百强|性|第|前列|平均|同类|领先)|我国|全中国|中国(?=[的教学高义])")

_LEAD = re.compile(
    r"^(?:连续[一二三四五六七八九十两\d]{1,2}年(?:来|内|间)?|\d{1,2}[.、](?!\d{1,2}[^\d])|同时|其中|目前|现在|截至|截止|到|至|全年(?!级)|全年级|例如|比如|如(?=(?:19|20)\d{2}年)|年内|年初|当年|今年|去年|明年|年底|年末|以来|期间|时期|"
    r"(?:19|20)\d{2}年(?:底|末|初|以来)?|(?:19|20)\d{2}(?:[-—–~至](?:19|20)?\d{2,4})?学年(?:度)?(?:初|末|第[一二]学期)?|"
    r"“?十[一二三四五]五”?(?:期间|时期|末|以来)?|"
    r"(?:比|较|与)(?:(?:19|20)\d{2}年|上年|去年|上一年)(?:相比|同期)?|力争|争取|确保|计划|预计|将|要(?!求)|实现|使|让|"
    r"我市|全市|本市|全省|我省|全区|全县|共(?!青团)|累计|总计|合计|其中|并|且|和|及|还|又|也|均|都|已|"
    r"一是|二是|三是|四是|五是|六是|七是|八是|九是|十是|在(?![校园职编读岗])|对|为|使|让|通过|经过|大约|约|近(?![一二三四五六七八九十两\d]{1,2}年)|超过|"
    r"第[一二三四五六七八九十百零〇\d]{1,4}届|首届)+"
)
# an aside that explains (体育学科为专业技能测试, 含幼儿园园长, 有民政部门提供证件): no part of a name
_ASIDE = re.compile(r"\((?=[^()]*(?:含|为|包括|下同|提供|指|即|按|除|以上|以下))[^()]{2,30}\)")
# harm an accident does to people (致使41名学生受伤)
_HARM = r"(?:受伤|死亡|遇难|重伤|轻伤|中毒|失踪|溺亡|溺水)"
# the people a count reaches, before what is done with them (10万余教师送上…, 藏区学生到内地…)
_PEOPLE_REACHED = (r"[\u4e00-\u9fff]{0,6}?(?:教师|老师|学生|学子|人员|干部|家长|幼儿|儿童|员工|职工)"
                   r"(?=[\u4e00-\u9fff]{2})(?!选手|运动员|代表|志愿者|骨干|党员|干部|家长|会|团|队|组|军|记者)")
# an edition at the end of the words before a number (组织召开首届20个…): what is counted follows the number
_EDITION_END = re.compile(r"(?:第[一二三四五六七八九十百零〇\d]{1,4}[届批]|首届|首批)$")
_TRAIL = re.compile(
    r"(?:已经?|就|均|都|共|总|共计|合计|累计|分别|先后|已?达到?|达|为|是|有|占|约|近|接近|将近|大约|超过|不低于|不少于|逾|"
    r"稳定在|保持在?|控制在|提高到|提升到|增加到|增长到|下降到|降低到|提高了?|提升了?|增加了?|增长了?|"
    r"减少了?|下降了?|降低了?|年均递增|年均增长|递增|完成了?|实现了?|(?<!经费|资金)(?<!费总|金总)投入了?|落实了?|发放了?|惠及|培训了?|"
    r"评选了?|考核了?|表彰了?|招聘了?|新建了?|开工|竣工|或|的|了|:)+$"
)
_VERB_ONLY = re.compile(r"^(?:安排|投资|投入|筹措|争取|下达|拨付|创建|打造|建成|建设|新建|改建|扩建|认定|评估认定|培养|评选|表彰|考核|招聘|录用|培训|完成|实施|开工|撤并|取缔|发放|投入|落实|确定|制定|下发|组织|召开|举办|开展|维修加固|维修|加固|拆除|排除|化解|做好|抓实|计划实施)?(?:了|好)?$")


# adverbs heading a clause (隆重表彰了, 严厉查处): never part of what is counted
_ADVERB = re.compile(r"^(?:隆重|严厉|积极|大力|深入|全力|认真|切实|扎实|先后|不断|进一步|稳步)+(?=[\u4e00-\u9fff]{2})")


# a subject and a verb of having, or a word that only introduces, before a count: they name nothing
_EMPTY_HEAD = re.compile(r"(?:学校|本校|我校|该校|全校|学院|本院)?(?:现有|现|共有|建有|建|设有|设|拥有|有)?|包括|其中|如|产生|共产生")


# the end of a name that says who is counted
_WHO_END = re.compile(r"(?:教师|老师|校长|园长|班主任|名师|人|者|对象|学生|教练|专家|骨干|员|生|儿|童|师|长|家|子|友|士|工|部|"
                      r"才|手|秀|头人|模|杰|代表|委员|成员|选手|队员)$")


# verbs that name a count with their object (新增…专业, 查处…教师): alone they name nothing
_BARE_VERB = re.compile(r"新增|保留|查处|确定|受理|处理|排查|发现|整改|取缔|清理|撤销|命名|推荐|选派|派出|接收|新建|建成|创建|"
                        r"认定|引进|培养|资助|招聘|招收|培训(?!机构|班|中心|学校|基地|学院)|表彰|评选|组建|开设|设立|成立|遴选|培育|建设|改造|维修|评为|获得|申请")
# several such verbs joined (新建、改建20处农村幼儿园, 新建改扩建392所教育设施, 撤并和取缔…): one act, its object after the number
_ACT = rf"(?:{_BARE_VERB.pattern}|改建|扩建|改扩建|新改扩建|开工|完工|竣工|撤并|停业整改|摸排|公布|加固|压减|关停|清退)"
_VERB_PHRASE = re.compile(rf"{_ACT}(?:[、和及]?{_ACT})*(?:到位)?")
# the act a name opens with (新建改扩建学校数 → 学校数: what the act was done to)
_VERB_LEAD = re.compile(rf"^(?:{_VERB_PHRASE.pattern})")
# the state the words after a number give what the figure before counted (819个正在整改过程中, 8所已竣工)
_STATE_AFTER = re.compile(rf"(?P<s>正在|仍在|尚在|尚未|未|已经?全部|已经?|均已|全部|均)?(?P<v>{_VERB_PHRASE.pattern})"
                          rf"(?:过程中|之中|中)?(?=[,。;!?]|$)")
# the previous figure's noun, then this one's verb (10个市选派了8000多名教师)
_NOUN_THEN_ACT = re.compile(rf"[\u4e00-\u9fff]{{1,4}}?((?:{_VERB_PHRASE.pattern})了?)")
# who acted, before what was done (局党委共确定…, 县市区开展…, 省厅报送…): the actor is not what is counted
_ACTOR = re.compile(r"^(?:(?:[\u4e00-\u9fff]{0,6}?(?:党委|党组|教育厅|教育局|教体局|省厅|市局|厅|局|委员会|县市区)|学校|我校|本校|该校|全校|各[\u4e00-\u9fff]{1,5}?)"
                    r"(?:共|累计|先后|已)?)(?=(?:开展|组织|举办|报送|推荐|确定|评选|认定|表彰|查处|排查|发现|新建|新增|建成|创建|培训|"
                    r"招聘|组建|遴选|培育|命名|选派|派出|撤并|取缔|受理|公布|开设|设立|引进|培养)[\u4e00-\u9fff]{0,2})")


# a name that says only what kind of figure it is (面积, 投入资金, 参与率): what it is of comes from the clause before
_BARE_HEAD = re.compile(
    r"^(?:总?面积|建筑面积|规划面积|竣工面积|总?投资|投资资金|投入资金|资金|总投入|投入|经费|增长率|同比增长率|参与率|学生参与率|教师参与率|"
    r"覆盖率|完工率|完成率|整改率|压减率|上线率|达标率|合格率|优良率|优秀率|覆盖学生数|惠及学生数|受益学生数|服务学生数|"
    r"覆盖学校数|覆盖成员学校数|覆盖成员校数|覆盖中小学数|试点学校数|项目已完工数|完工数|整改数|整改到位数|参与学生数|招生数|"
    r"惠及学生人次|惠及教师数|惠及学生数|服务学生人次|受益学生人次|覆盖学生人次|压减数|压减率|整改率|竣工面积|"
    r"(?:学生|教师|幼儿)(?:参与率|覆盖率)|比例|占比|所占比例)$"
)
# a trailing kind of figure, taken off a name to give what it is of
_HEAD_TAIL = re.compile(
    r"(?:(?:学生|教师|幼儿)?(?:参与率|覆盖率)|人数|人次|数|增长率|比例|占比|率|面积|资金|投入|总投资|投资|"
    r"(?:覆盖|惠及|受益|参与)(?:学生|教师|学校|中小学))+$"
)
# levels of schooling that compose with a measure (小学 + 生均公用经费)
_LEVEL = r"(?:学前教育|幼儿园|义务教育阶段|义务教育|小学|初中|普通高中|高中|中职学校|中职|高职院校|高职|特殊教育学校)"
_LEVEL_ONLY = re.compile(rf"^{_LEVEL}$")
_GRADE = r"(?:初[一二三]|高[一二三]|[一二三四五六]年级)"
_LEVEL_LIST = re.compile(rf"^(?P<m1>.*?)(?P<list>{_LEVEL}(?:、{_LEVEL})+)(?P<m2>.*)$")
_MEASURE_END = re.compile(r"(?:数|费|经费|面积|值|率|比)$")
# 比上年, 较2010年: the base a change is measured from
_SINCE = re.compile(r"(?:比|较|与)(上年|去年|上一年|(?:19|20)\d{2}年)(?:同期)?")
# a subject after the number and what happened to it (24所学校被认定为…, 371个优秀课例获省表彰)
_SUBJECT_VERB = re.compile(
    r"^(?P<s>[\u4e00-\u9fff]{1,8}?(?:\([\u4e00-\u9fff、]{1,6}\))?)(?:全部|均|都|已|顺利)?(?:被(?:[\u4e00-\u9fff]{1,4}?(?=评为|评选为|认定为|推荐为|确定为|命名为|列为|报送|推荐))?)?"
    r"(?P<v>评为|评选为|认定为|推荐为|确定为|命名为|列为|创建为|建成为|报送|获评|荣获|获得|获|取得了?|入选|开展|开设|通过|纳入|为(?=[省市县区国]))"
    r"(?P<o>[^,。;:!?()]{2,30}?)(?:等)?(?=[,。;:!?(]|、(?=[\d一二三四五六七八九十两有])|$)"
)
_PERSON_UNITS = ("人", "名", "位")
_PERSON_END = re.compile(r"(?:教师|老师|校长|园长|班主任|名师|人|者|对象|学生|教练|专家|骨干)$")
_SCHOOL_END = re.compile(r"(?:学校|校|幼儿园|园|中小学|中学|小学)$")
# the words a clause ends on when a list of names stands before the number (组建A、B等3个教育集团)
_LISTY = re.compile(r"、.*(?:等|各)$|等$")
# a measure word and the noun after the number: 3个教育集团, 12所幼儿园
_AFTER_NOUN = re.compile(r"(?:的)?([\u4e00-\u9fff][^,。;:、,()\d]{1,14}?)(?=[,。;:、和及与\d()]|$|工作(?![室站坊])|任务|建设(?!示范|学校|单位|基地)|供|用于|以便|之一|享受|实行|实现|得到|有\d|可?容纳|(?:共|约|共约|近|超过)\d)")


#: how far back a sentence's start is looked for (a longer "sentence" is a run-on list: its last stretch is the clause)
_SENTENCE_SPAN = 1000


def _sentence_start(text: str, pos: int, ends: str = "。!?\n") -> int:
    """Where the sentence holding ``pos`` starts: after the last of ``ends`` before it, looked for in a
    bounded stretch so that a document without one of them is not scanned from its start for every figure."""
    lo = max(0, pos - _SENTENCE_SPAN)
    at = max(text.rfind(c, lo, pos) for c in ends)
    return at + 1 if at >= 0 else lo


def _after_aside(text: str, cstart: int, end: int) -> int:
    """Where a figure's clause starts once a lead-in set off by a dash (老牌夺金学校——绍兴一中获得…)
    or an enumerator's or aside's closing bracket ((三)年龄在…, (下同)获得…) is behind it."""
    depth, start = 0, cstart
    for i in range(cstart, end):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                start = i + 1  # closes what opened before the clause
            else:
                depth -= 1
        elif c == "—" and depth == 0:
            start = i + 1
    enumerator = re.match(r"\([一二三四五六七八九十\d]{1,3}\)", text[start:end])
    return start + enumerator.end() if enumerator else start


def _clause_before(text: str, cstart: int) -> str:
    """The clause before ``cstart`` as a name, when it holds no number of its own
    (落实乡村教师生活补助,每人每月不低于800元 → 乡村教师生活补助)."""
    end = cstart - 1
    if end <= 0 or text[end] not in ",;:":
        return ""
    start = max((m.end() for m in re.finditer(r"[,;:。!?\n]", text[max(0, end - 40):end])), default=0) + max(0, end - 40)
    clause = text[start:end]
    if re.search(r"[\dXＸ]", clause):
        return ""
    name = clean_name(_LEAD.sub("", clause))
    return name if 2 <= len(name) <= 20 else ""


def _topic(prev: str | None) -> str:
    """What the previous figure of the sentence was of: its name without the kind of figure
    and the level of schooling in front (拆除D级危房数 → 拆除D级危房, 中小学课后服务覆盖率 → 课后服务)."""
    if not prev or _BARE_HEAD.match(prev) or re.fullmatch(r"总?(?:建筑|占地|用地)面积", prev):
        return ""  # 总建筑面积7.92万平方米,总投资3.5亿元: a bare measure before is no topic
    t = _HEAD_TAIL.sub("", prev)
    t = re.sub(r"实现全覆盖$", "", t)
    t = re.sub(r"(?<=[\u4e00-\u9fff]{2})(?:覆盖)?(?:义务教育学校|中小学校?|学校|幼儿园)$", "", t)
    t = re.sub(rf"^(?:{_LEVEL}|中小学校?|开展|参与|参加|实施|推进|新组建|组建|完成|原有|现有)+(?=[\u4e00-\u9fff]{{2}})", "", t)
    t = re.sub(r"的$", "", t)
    return t if len(t) >= 2 else ""


def _join_topic(topic: str, stem: str) -> str:
    """The topic and the kind of figure, once for words they share (本科上线 + 上线率 → 本科上线率)."""
    for n in range(min(len(topic), len(stem)) - 1, 1, -1):
        if topic.endswith(stem[:n]):
            return topic + stem[n:]
    return topic + stem


def _subject_verb(tail: str, unit: str) -> str:
    """A figure whose subject follows the number (24所学校被认定为X, 371个优秀课例获省表彰, 5名教师获评X,
    312所中小学课后服务实现全覆盖): what happened to it, then the subject it counts."""
    tail = re.sub(r"[“”\"《》]", "", tail)
    m = re.match(r"^(?P<s>中小学校?|义务教育学校|学校|幼儿园|中小学幼儿园)(?P<x>[\u4e00-\u9fff]{2,10}?)实现全覆盖", tail)
    if m:
        return f"{m.group('x')}覆盖{m.group('s')}数"
    tail = re.sub(r"^来自[^,。;]{2,30}?的(?=[\u4e00-\u9fff]{2})", "", tail)  # 3名来自A和B的同学进入…: where from is no name
    m = re.match(r"^(?:学生|同学|学子|选手|队员)(?:均|都|全部)?(?P<v>进入|考入|升入)(?P<o>[\u4e00-\u9fff]{2,12}?)(?=[,。;]|$)", tail)
    if m and unit.lstrip("万") in _PERSON_UNITS:
        return m.group("v") + m.group("o") + "人数"  # 3名同学进入国家集训队
    m = re.match(r"^(?P<s>学生|教师|老师|选手|同学|学子)(?:均|都|全部)?(?:获奖|获得奖项)(?=[,。;]|$)", tail)
    if m:
        return "获奖" + {"老师": "教师", "同学": "学生", "学子": "学生"}.get(m.group("s"), m.group("s")) + "数"  # 14名学生获奖
    m = re.match(r"^(?P<s>学生|教师|老师|队员|选手|志愿者|专家|师生|家长)组成的?(?P<o>[\u4e00-\u9fff]{0,8}?(?:表演|方阵|代表队|队|团|组|团队|委员会|阵容))", tail)
    if m and unit.lstrip("万") in _PERSON_UNITS:
        return m.group("o") + {"老师": "教师"}.get(m.group("s"), m.group("s")) + "数"  # 由1300名学生组成的太极拳表演
    m = re.match(r"^(?P<s>[\u4e00-\u9fff、]{2,12}?)(?:全部|均|都|已经?|全面|顺利|如期)*(?P<v>竣工|完工|开工|建成投用|投入使用|交付使用)"
                 r"(?=[,。;!?]|$)", tail)
    if m and not re.search(r"[的了]", m.group("s")):
        return m.group("s") + m.group("v") + "数"  # 12个新建、改扩建项目全面竣工: what was finished, then the act
    m = _SUBJECT_VERB.match(tail)
    if m is None:
        return ""
    raw_obj = re.sub(r"^(?:教育部|国家教育部|省教育厅|省厅|市教育局|县教育局|区教育局)(?=..)", "", m.group("o"))  # 报送教育部参评…
    scope = re.match(r"(?:全国|全省|省级|市级|国家级)(?=..)", raw_obj)  # 推荐为全国足球特色幼儿园: the title's own scope
    subject, verb, obj = m.group("s"), m.group("v"), (scope.group(0) if scope else "") + clean_name(raw_obj[scope.end() if scope else 0:])
    obj = re.sub(r"(中|初|高|正|副)、(?=(?:中|初|高|正|副)级)", r"\1", obj)
    if len(obj) < 2 or re.search(r"\d", obj):
        return ""
    verb = re.sub(r"了$", "", verb)
    if unit.lstrip("万") in _PERSON_UNITS and _PERSON_END.search(subject):
        if verb in ("评为", "评选为"):
            verb = ""  # 被评为特级教师: the honour names the count
        if _PERSON_END.search(obj):
            return verb + obj + ("数" if obj.endswith("人") else "人数")
        if verb in ("获", "荣获", "获得") and re.search(r"(?:奖|优课|金牌|银牌|铜牌)$", obj):
            # 2位老师获优质课全国一等奖: the award's winners
            return obj + "获奖" + ("教师" if subject in ("老师", "教师") else subject) + "数"
        return verb + obj + subject + "数"
    obj = re.sub(r"(?<![\u4e00-\u9fff])([省市县区])、(?=[省市县区][级\u4e00-\u9fff])", r"\1", obj)  # 省、市优秀教研组 → 省市…
    if verb in ("为", "评为", "评选为"):
        verb = ""  # 4门学科为省市课程基地, 20个教研组被评为省市优秀教研组: what they are names them
    verb = re.sub(r"(?<=..)为$", "", verb) if verb in ("创建为", "建成为") else verb  # 2处学校创建为市规范化学校
    if _SCHOOL_END.search(subject) and _SCHOOL_END.search(obj) or obj.endswith(subject):
        return verb + obj + "数"
    return verb + obj + subject + "数"


def _compose_level(name: str, prev: str | None, nth: int, alike: bool = False) -> str:
    """Level of schooling + measure (义务教育阶段生均公用经费小学 → 小学生均公用经费; 初中 after 小学生均X → 初中生均X;
    the nth figure of 小学、初中生均X分别为… → its level + 生均X)."""
    def bare(measure: str) -> str:
        return re.sub(rf"^(?:{_LEVEL}|{_GRADE})|(?<=数){_LEVEL}(?:、{_LEVEL})*人数$|{_LEVEL}$", "", measure)

    # 每百名学生拥有…教师数小学为6.1人: the count's 人数 after a level that follows its own measure is no part of it
    name = re.sub(rf"(?<=..数)({_LEVEL}(?:、{_LEVEL})*)人数$", r"\1", name)
    if re.fullmatch(rf"{_LEVEL}人数", name) and prev and re.search(r"数$", bare(prev)) and len(bare(prev)) >= 4:
        name = name[:-2]  # 初中为6.3人 after 小学每百名学生拥有…教师数: the level of that measure
    if _LEVEL_ONLY.match(name) and prev:
        measure = bare(prev)
        return name + measure if len(measure) >= 2 and _MEASURE_END.search(measure) else name
    # 共有96个教学班,其中初中62个(初一20个…): a level or grade alone counts what the figure before counted
    core = re.sub(r"数$", "", name)
    if core != name and (_LEVEL_ONLY.match(core) or re.fullmatch(_GRADE, core)) and prev and prev.endswith("数"):
        measure = bare(prev)
        if len(measure) >= 3 and not re.search(r"(?:学校|校|中学|小学|中小学|高中|幼儿园|园|院校)数$", measure):
            return core + measure
    m = _LEVEL_LIST.match(name)
    if m and bool(m.group("m1")) != bool(m.group("m2")):
        levels = m.group("list").split("、")
        measure = bare(m.group("m1") or m.group("m2"))
        if alike and m.group("m1") and len(measure) >= 4:
            return measure  # 每百名学生拥有骨干教师数小学、初中均为1.2人: one value for both, the measure's
        if nth < len(levels) and len(measure) >= 2 and _MEASURE_END.search(re.sub(r"数$", "", measure) + "数"):
            return levels[nth] + re.sub(r"^数$", "", measure)
        return name
    m = re.match(rf"^(?P<m>.{{3,}}?)(?P<l>{_LEVEL})$", name)
    if m and _MEASURE_END.search(m.group("m")):
        return m.group("l") + bare(m.group("m"))
    return name


def indicator_name(text: str, cstart: int, q: Quantity, prev: str | None, *, listed: bool = False,
                   hint: str = "") -> str:
    """The name of what a quantity measures, clean of the clause around it.

    The words before the number in its clause, without leading time and place
    words and trailing verbs (``全市5星幼儿园已达12所`` → ``5星幼儿园数``); when
    nothing but a verb precedes the number, the verb and the noun after it
    (``创建了30所标准化幼儿园`` → ``创建标准化幼儿园数``); when a list of names
    precedes it, the verb and the noun after it (``组建A、B等3个教育集团`` →
    ``组建教育集团数``); a bare kind of figure (``面积``, ``参与率``) takes what
    the figure before it in the sentence was of. Target words, adverbs and
    clause fragments are left out (:func:`kg.indicators.clean_name`).
    """
    name = _ASIDE.sub("", _tidy(_indicator_words(text, cstart, q, prev, listed, hint)))
    staff = re.match(r"^(?:师资队伍|教师队伍|专任教师)中?", name)
    if "人员" in name and (staff or re.search(r"师资队伍|教师队伍|专任教师", text[_sentence_start(text, q.start):q.start])):
        # 师资队伍中具有博士和硕士学位人员占80%: the people of a teaching staff are its teachers
        name = name[staff.end() if staff else 0:].replace("人员", "教师")
    if name.count("(") > name.count(")"):
        # 标志性教研成果(每篇不少于2000字: the aside is not the name, but its 每篇 and bound are the measure's
        per = re.search(r"\((每[\u4e00-\u9fff])[^()]*$", name)
        name = clean_name(name[:name.rfind("(")])
        if per and q.unit in ("字", "页", "千字", "万字"):
            name += per.group(1) + "字数"
    elif q.unit in ("字", "千字", "万字") and not name.endswith("字数") and len(name) >= 2:
        name += "字数"  # 论文不少于3000字: a count of characters
    name = _of_whom(name, text, cstart, q, prev)
    acted = _VERB_PHRASE.match(prev or "")
    if listed and acted and not _VERB_PHRASE.match(name) and len(name) >= 4 and name[-3:] == (prev or "")[-3:] \
            and text[cstart - 1:cstart] == "、":
        name = acted.group(0) + name  # 新增中小学学位8000个、学前学位5000个: the verb holds for the whole list
    # 参加运动员近5000人, 578位学生选手和111位教练 (of a contest): those taking part, as 参赛…数
    competitor = re.fullmatch(r"(?:参加|参与)?(学生选手|选手|运动员|教练员?|裁判员?)数", name)
    if competitor and q.unit.lstrip("万") in _PERSON_UNITS and \
            re.search(r"赛|运动会", text[_sentence_start(text, q.start):q.start]):
        name = "参赛" + competitor.group(1) + "数"
    # 本科学历教师173人,硕士1人: a degree alone counts what the degree before it counted
    degree = re.fullmatch(r"(本科|专科|大专|硕士|博士|研究生)人?数", name)
    before_degree = re.search(r"(?:本科|专科|大专|硕士|博士|研究生)((?:及以上)?(?:学历|学位)[\u4e00-\u9fff]{0,4}数)$", prev or "")
    if degree and before_degree:
        name = degree.group(1) + before_degree.group(1)
    # 要求学生每天在校教育教学活动的时间,小学不超过6小时,初中不超过7小时: a level alone takes the measure of
    # the clause before (or of the figure before), 小学 + 学生… as 小学生…
    level = re.fullmatch(rf"({_LEVEL})", name)
    if level and q.kind != "change":
        measure = _clause_before(text, cstart) or re.sub(
            rf"^(?:{_LEVEL})(生)?|(?:上限|下限)$", lambda t: "学生" if t.group(1) else "", prev or "")
        measure = re.sub(r"^(?:要求|规定|确保|保证|必须|应当?)", "", measure.replace("的", ""))
        if len(measure) >= 4 and re.search(r"(?:时间|时长|标准|比例|班额|人数)$", measure):
            lv = level.group(1)
            name = lv + "生" + measure[2:] if measure.startswith("学生") and lv in ("小学", "初中", "高中") else lv + measure
    unit = q.unit.lstrip("万亿")
    if unit == "人次" and name.endswith("数") and not name.endswith("人次"):
        name = name[:-1] + "人次"  # 培训教师3000人次: a count of attendances
    elif unit == "场" and name.endswith("数") and not name.endswith("场次数"):
        name = name[:-1] + "场次"  # 宣讲7场: a count of sessions
    elif unit == "次" and name.endswith("数") and not name.endswith("次数"):
        name = name[:-1] + "次数"
    elif unit in ("平方米", "㎡", "m2", "亩") and re.search(r"占地$", name):
        name += "面积"  # 占地201亩
    elif unit in ("平方米", "㎡", "m2") and re.search(r"(?:楼|馆|厅|礼堂|食堂|宿舍|公寓)(?:[一二两三四五六七八九十\d]*[座幢栋])?$", name):
        name = re.sub(r"[一二两三四五六七八九十\d]*[座幢栋]$", "", name) + "建筑面积"  # 科技楼4468㎡, 综艺楼一座7807㎡
    elif unit in ("平方米", "㎡", "m2", "亩") and not _LEVEL_ONLY.match(name) and len(name) >= 2 \
            and not re.search(r"(?:面积|标准|应)$", name):
        name += "面积"  # 加固校舍3.9万平方米: an area
    elif q.unit in ("小时", "分钟", "天") and q.kind != "change" and len(name) >= 2 \
            and not re.search(r"(?:时间|时长|天数|期限|年限|时数|工作日|周期|[上下]限)$", name) \
            and not _LEVEL_ONLY.match(name):
        name += "时间"  # 确保学生每天体育锻炼1小时: a length of time
    elif unit in ("枚", "块", "部", "幢", "栋", "组", "起") and len(name) >= 2 and not re.search(r"(?:数|人次|率|比例)$", name):
        name += "数"  # 获国际信息学奥赛金牌4枚, 手提电脑50部: a count
    elif q.unit == "%" and q.kind != "change" and len(name) >= 2 and not _RATE_END.search(name):
        if name.startswith("占") and prev and re.search(r"(?<=..)(?<!人)数$", prev) and not _RATE_END.search(prev):
            name = prev[:-1] + name  # 交流轮岗教师635人,占符合条件教师的16.8%: the share of what was just counted
        whole = re.search(r"占(.{2,10}?)比例$", prev or "")
        if whole and "占" not in name and text[cstart:q.start].rstrip().endswith("占"):
            name += "占" + whole.group(1)  # 笔试占总成绩的60%,其中…成绩占45%: a share of the same whole
        name += "比例"  # 小学免试就近入学100%, 笔试占总成绩60%: a share of those it is of
        # 精简文件10%: what was cut, then how (文件精简比例)
        name = re.sub(r"^(精简|精减|压缩|压减|削减|缩减|减少)([\u4e00-\u9fff]{2,12})比例$", r"\2\1比例", name)
    return _of_contest(_limit(name, text, cstart, q), text, q, prev)


# a contest medals and prizes are won in: 数学奥赛, 国际信息学奥林匹克, 五大学科奥赛全国决赛, APIO
_CONTEST = re.compile(
    r"(?:[A-Z]{3,6}|(?:国际|全国|亚太地区|亚太|全省|省)?(?:数学|物理|化学|生物|信息学|信息|天文|地理|英语|语文|五大学科|学科|科技创新|"
    r"科技|机器人|作文|青少年信息学)(?:奥赛|奥林匹克竞赛|奥林匹克|竞赛|联赛))(?:全国决赛|决赛)?")
_PRIZE_END = re.compile(r"(?:金牌|银牌|铜牌|奖牌|[一二三]等奖|特等奖)(?:获奖|获得)?(?:教师|学生|者)?数$|^获奖(?:学生|教师|选手)?数$")


_SUBJECTS = r"(?:数学|物理|化学|生物|信息学|信息|天文|地理|语文|英语)"


def _of_contest(name: str, text: str, q: Quantity, prev: str | None = None) -> str:
    """A count of medals or prizes named by the contest they were won in: the one its clause names, else
    the one the text named last before it (…在国际信息学奥林匹克中获金牌6块、银牌2块 → 国际信息学奥林匹克银牌数);
    a subject's share of the medals before it (国际奥赛金牌14枚(物理1枚…) → 国际物理奥赛金牌数)."""
    if q.kind == "change":
        return name
    if not _PRIZE_END.search(name):
        return name
    # 3位老师获优质课省一等奖,7位老师获市一等奖: the same contest as the prize before
    level = r"(?:国际|全国|省|市|区|县)级?"
    bare_prize = re.match(rf"{level}(?:[一二三]等奖|特等奖)", name)
    contest_before = re.match(rf"(.{{2,10}}?){level}(?:[一二三]等奖|特等奖)", prev or "")
    if bare_prize and contest_before:
        return contest_before.group(1) + name
    # 学子在国际信息学奥林匹克中获得金牌6块: the contest and the prize, not who won it
    name = re.sub(r"^[^在]*在(?P<c>[^在]{2,20}?)(?:中|上)(?:共|累计|先后)?(?:获得|获|摘得|斩获|夺得|取得|荣获)了?", r"\g<c>", name)
    if re.search(r"奥赛|竞赛|大赛|联赛|比赛|奥林匹克|运动会|优质课|优课|评比|[A-Z]{3}", name) or \
            not re.search(r"(?:金牌|银牌|铜牌|奖牌)数$|^获奖(?:学生|教师|选手)?数$", name):
        return name
    contests = list(_CONTEST.finditer(text, max(0, q.start - 300), q.start))
    if not contests:
        return name
    bare = re.sub(r"^(?:共|累计|先后)?(?:获得|获(?!奖)|摘得|斩获|夺得|取得|荣获)", "", name)
    contest = contests[-1].group(0)
    if bare.startswith("国际") and ("全国" in contest or "国际" in contest):
        return bare  # 国际奖牌 were not won in a national final
    for final in ("全国决赛", "决赛"):
        if contest.endswith(final) and bare.startswith(final):
            bare = bare[len(final):]
    return contest + bare


def _of_whom(name: str, text: str, cstart: int, q: Quantity, prev: str | None) -> str:
    """A part of a count of people named by what sets it apart (有专任教师197人,其中高级职称91人):
    the part of those people (高级职称教师数), like the whole before it."""
    if q.kind == "change" or q.unit.lstrip("万") not in _PERSON_UNITS or not name.endswith("人数"):
        return name
    sentence_start = _sentence_start(text, q.start, "。;!?\n")
    who = re.search(r"(教师|老师|学生|教职工|教职员工|幼儿)人?数$", prev or "")
    if who is None:  # the people the sentence spoke of last (教职员工242人,其中在编教师196人,党员85人,高级职称67人)
        last = None
        for last in re.finditer(r"教师|老师|教职工|教职员工|学生", text[sentence_start:cstart]):
            pass
        who = re.match(r"(教师|老师|教职工|教职员工)$", last.group(0)) if last else None
    qualified = who is not None and who.group(1) != "学生" and \
        re.search(r"(?:职称|学历|学位|硕士|博士|本科|研究生|特级|骨干|资格证|证书)人数$", name) is not None  # 专任教师196人,高级职称67人
    if who is None or not ("其中" in text[sentence_start:q.start] or qualified) or len(name) < 4:
        return name
    return name[:-2] + {"老师": "教师", "教职员工": "教师", "教职工": "教师"}.get(who.group(1), who.group(1)) + "数"


def _limit(name: str, text: str, cstart: int, q: Quantity) -> str:
    """A rule's bound is named as one: 年龄在35周岁及以下 → 年龄上限, 推荐人数不超过2名 → 推荐人数上限,
    每篇不少于2000字 → 字数下限, 每人每月300元至500元 → 下限 and 上限 (控制在5%以内 is a target, not a bound)."""
    if q.kind in ("change", "rank") or len(name) < 2:
        return name
    name = re.sub(r"(?<=..)(?:上限|下限)$", "", name)  # the bound of the figure before is not this one's
    clause = (text[cstart:q.start] + re.sub(r"\d.*$", "", q.text)).rstrip()  # 不超过2名: the words read with the number
    after = text[q.end:q.end + 6]
    upper = re.search(r"(?:不超过|不得超过|不高于|不多于|放宽至|最多)$", clause) or \
        re.match(r"(?:\(含\)|(含))?(?:及)?以下", after) or re.search(r"以下$", q.text) or re.search(r"\d[^\d,;。]{0,3}(?<![降增升达减高到])至$", text[max(0, q.start - 8):q.start])
    lower = re.search(r"至少$", clause) or re.match(r"至\d", after) or \
        re.search(r"每(?![月年天日周人生名])[\u4e00-\u9fff](?:不少于|不低于)$", clause)  # 每篇不少于2000字: a rule's floor
    if not (upper or lower):
        return name
    name = re.sub(r"(?:可?放宽至|不得超过|不超过|不高于|不多于|不少于|至少|最多|标准)$", "", name)
    return name + ("上限" if upper else "下限") if len(name) >= 2 else name


# how the name of a percentage ends: a rate, a share, a ratio, a reach, a degree, a change
_RATE_END = re.compile(r"(?:率|比例|占比|比重|比|面|度|幅|增长|上限|下限|排名)$")


# words in front of a name that say how or for whom, not what is measured: 面向全国招聘教师 → 招聘教师,
# 实施国培计划项目 → 国培计划项目; a relative clause of where money came from: 公共财政预算安排的教育事业费拨款
_HOW = re.compile(r"^(?:面向(?:全国|全省|社会)|实施)(?=[\u4e00-\u9fff]{4})|"
                  r"^[^的,、]{2,12}(?:安排|下达|拨付|筹措)的(?=[\u4e00-\u9fff]{3})")


# a verb before 的 makes a relative clause that stays (参加培训的骨干教师, 享受优质教育的学生比例)
_CLAUSE_VERB = re.compile(r"参加|参与|享受|建成|达到|获得|取得|完成|实现|存在|发现|开展|培训|问题|解决|纳入|通过")


def _tidy(name: str) -> str:
    """The name without words that say how or where rather than what (面向全国, 实施, the home scope
    全市 inside it), and without 的 between two nouns (困难家庭大学生的生源地贷款覆盖面)."""
    name = _HOW.sub("", name)
    # 学子共获得国际奥赛金牌: who won it is not what is counted (获评, 获批, 获奖 name the count and stay)
    name = re.sub(r"^(?:学校|本校|我校|该校)?(?:具有|被)(?=[\u4e00-\u9fff]{3})", "", name)
    name = re.sub(r"^(?:我校|本校|该校|全校|学校(?=校园|校舍|占地|建筑))(?=[\u4e00-\u9fff]{3})", "", name)  # 我校学生入学率: the school is the place  # 具有本科学历教师, 被合肥一中录取率
    # 本校礼堂设有大型电动银幕: where it is and what is there
    name = re.sub(r"^(?:本校|我校|学校|该校)?([\u4e00-\u9fff]{2,8}?)(?:亦|也|还)?(?:设有|建有|配有|装有)(?=[\u4e00-\u9fff]{2})",
                  r"\1", name)
    if not name.endswith("评选人数"):  # a quoted title is kept as written
        name = re.sub(r"(?<=名师|校长|园长)、(?=名)", "", name)  # 名师、名校长: one pair of titles
    if name.startswith("的") and len(name) >= 3:
        name = name[1:]
    name = re.sub(r"^((?:近[一二三四五六七八九十两\d]{1,2}年来?)?)(?:获得|荣获|取得)(?=[^奖]{2,}奖(?:数|项数)?$)", r"\1", name)  # 获得国家教学成果奖4项: the prize counts
    name = re.sub(r"^现代化(?=[\u4e00-\u9fff]{3})(?!教育|管理|建设|水平|进程)", "", name)  # 现代化学术报告厅: a facility
    won = re.sub(r"^[\u4e00-\u9fff]{1,20}?(?:共|累计|先后)?(?:获得|摘得|斩获|夺得|取得|荣获|获(?![评批奖]))"
                 r"(?=[\u4e00-\u9fff]{4})", "", name)
    if won != name:
        name = won.lstrip("的")
    name = re.sub(r"(?<=[\u4e00-\u9fff]{2})(?:全市|全县|全区)(?=[\u4e00-\u9fff]{2})", "", name)
    head, sep, _ = name.partition("的")
    if sep and len(head) >= 2 and not _CLAUSE_VERB.search(head):
        name = name.replace("的", "")
    return name


# what the subjects of a share do (达到平安校园标准, 实行划片入学)
_SHARE_VERB = re.compile(_CLAUSE_VERB.pattern + r"|实行|实施|建立|配备|开设|接受|使用|享有|具备|拥有|达标|入学|就读")
_SHARE_SUBJECT = r"(?:中小学校?|义务教育学校|学校|小学|初中|高中|普通高中|幼儿园|中职学校|学生|幼儿|教师|家庭|县(?:\(市、区\))?|乡镇|学子|毕业生)"


def _share_first(tail: str) -> str:
    """A percentage before what it is a share of and what they do: 95%的中小学达到平安校园标准 →
    达到平安校园标准的中小学比例 (the relative clause as written); 100%小学实现了免试就近入学 →
    小学免试就近入学比例."""
    m = re.match(rf"(?P<de>的)?(?P<s>[\u4e00-\u9fff]{{0,4}}?{_SHARE_SUBJECT})(?:均|都|全部|已经?|能够|可以|能|将)*"
                 rf"(?P<v>[\u4e00-\u9fff“”、]{{2,24}}?)(?=[,。;:!?(]|$)", tail)
    if m is None:
        return ""
    verb = re.sub(r"[“”]", "", m.group("v"))
    verb = re.sub(r"(?<=享受)到|(?<=[看得用学])到|了", "", verb)
    if len(verb) < 2 or re.search(r"[\d]|以上|以下", verb) or not _SHARE_VERB.match(verb):
        return ""
    if m.group("de"):
        return verb + "的" + m.group("s") + "比例"
    return m.group("s") + re.sub(r"^(?:实现|实行)", "", verb) + "比例"


def _indicator_words(text: str, cstart: int, q: Quantity, prev: str | None, listed: bool = False,
                     hint: str = "") -> str:
    raw = text[cstart:q.start]
    if raw.startswith(")") and q.unit.lstrip("万") in COUNT_UNITS + ("篇",):
        # 标志性教研成果(每篇不少于2000字)3篇: the words before the aside name what the number after it counts
        opened = text.rfind("(", 0, cstart)
        start = _sentence_start(text, opened, ",;:。!?\n") if opened > 0 else -1
        if 0 <= start < opened and not re.search(r"\d", text[start:opened]):
            raw = text[start:opened] + raw[1:]
    before = re.sub(r"[“”《》]", "", raw)
    tail_raw = text[q.end:q.end + 40]
    sentence_start = _sentence_start(text, q.start)
    person = q.unit.lstrip("万") in _PERSON_UNITS
    # 评选“太行名师”30名, 评选了14名“名校长”: a count of those chosen is named by the quoted title
    if person and q.kind != "change" and "评选" in text[sentence_start:_clause_end(text, q.end, len(text))]:
        quoted = re.fullmatch(r"(?:[^“”]*评选了?[^“”]*)?“([^”]{2,12})”[、,]?", raw) if not listed or not raw.endswith("、") \
            else None
        after = re.match(r"“([^”]{2,12})”", tail_raw)
        only_verb = re.fullmatch(r"(?:共|累计|先后)?(?:评选出?|评出)了?", before.strip("、 ")) is not None  # 共评选了14名“X”
        title = quoted.group(1) if quoted else (
            after.group(1) if after and (listed or not before.strip("、 ") or only_verb) else "")
        if title:
            return title + "评选人数"
    # 邹小燕等5名教师获评…: the names before are examples of the subject after the number
    names_only = re.fullmatch(r"[^,;:、\d]{1,12}(?:、[^,;:、\d]{1,12})*等", before) is not None
    if listed and raw[:-1].count("、") == 1 and not raw.endswith(("等", "的")) and q.unit.lstrip("万") in COUNT_UNITS \
            and not re.search(r"\d", raw) \
            and re.fullmatch(r"[\u4e00-\u9fff]{1,6}", raw[raw.rfind("、") + 1:] or "-") \
            and not re.search(rf"{_LEVEL}$", raw[:raw.rfind("、")]) and not re.search(r"均|分别|各", raw):
        # 104所初中学校共约2.5万名学生、高中17所学校: the words before 、 are the figure before's noun
        before = raw[raw.rfind("、") + 1:]
        after = _AFTER_NOUN.match(re.sub(r"[“”《》]", "", tail_raw))
        if _LEVEL_ONLY.match(before) and after and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", after.group(1)):
            return before + clean_name(after.group(1)) + "数"  # a level, then the noun after the number
    elif listed and (acted := _NOUN_THEN_ACT.fullmatch(raw)) \
            and q.unit.lstrip("万") in COUNT_UNITS and not _VERB_PHRASE.match(raw):
        before = acted.group(1)  # 10个市选派了8000多名教师: 市 counted the figure before, 选派 acts in this one
    elif listed and (raw.endswith("、") or raw.endswith(("和", "及", "与", "的")) and q.unit.lstrip("万") in COUNT_UNITS) \
            and not re.search(r"\d", raw):
        # 14名A、21名B: the words between two figures are the first one's; this one counts the noun after it
        before = ""
    if q.kind == "rank":
        # 获奖数位居全省第四 → 获奖数全省排名; 位居全市第二 after 上线率达到92.3% → 上线率全市排名
        scope = re.search(r"(全国|全省|全市|全区|全县|全州|同类城市|副省级城市)", before + q.text)
        base = re.sub(r"(?:位居|位列|居|列|排名|排在|以|获得|取得|荣获|名列)+$", "",
                      re.split(r"全国|全省|全市|全区|全县|全州|同类城市|副省级城市", before)[0])
        base = clean_name(_LEAD.sub("", base).strip()) or (prev or "")
        return f"{base}{scope.group(1) if scope else ''}排名"
    if q.unit == "%" and q.kind != "change" and not _TRAIL.sub("", _LEAD.sub("", before)).strip(" 大约"):
        share = _share_first(tail_raw)
        if share:
            return share
    opened = raw.rfind("(")
    if opened >= 0 and ")" not in raw[opened:] and q.unit.lstrip("万") in COUNT_UNITS and \
            re.match(r"[\u4e00-\u9fff]{2}", tail_raw) and not re.sub(r"[、和及与]", "", raw[opened + 1:]).strip():
        before = ""  # 户籍(7个街道、7个乡镇): an aside that counts parts, named by what follows the number
    # a placeholder count earlier in the clause (XX个示范专业、) ends a phrase
    before = re.sub(r"^.*[XＸ]+[^、,]*?、", "", before)
    before = _LEAD.sub("", before)
    before = _ADVERB.sub("", before)  # 隆重表彰了176名优秀人员: the verb names the figure, the adverb does not
    before = _ACTOR.sub("", before)  # 局党委共确定27项: who acted is not what is counted
    before = re.sub(r"^[\u4e00-\u9fff]{0,5}?(?:需要?|须|应当?|必须)(?:提交|提供|上交|报送|上报)(?=[\u4e00-\u9fff]{2})", "", before)  # 申报者需提交…
    before = re.sub(r"^(?:他们|她们|他|她|其)(?:已经?|还|也|又)?(?:成功|先后|共|累计)?(?=[\u4e00-\u9fff]{2})", "", before)  # 他成功申请了…
    before = re.sub(r"^(?:按照|根据|依照|参照)[^,;]{1,16}?(?:标准|要求|规定|规划)(?=[\u4e00-\u9fff]{2})", "", before)  # 按照…标准新建
    before = re.sub(r"^[^,;]{0,12}?(?:吸引了?|迎来了?|汇聚了?|聚集了?)$", "", before)  # 比赛吸引了400位学生选手: who came
    before = re.sub(r"^[\u4e00-\u9fff]{0,6}?(?:划分|分|编|合并|整合|重组)(?:为|成)了?$", "", before)  # 将全区划分为16个学区
    before = re.sub(r"^(?:是由|由)(?:我校|本校|该校|学校|全校|全市|全县|全区|各校)?$", "", before)  # 由我校1300名学生组成的…
    if q.unit.lstrip("万亿") in COUNT_UNITS and q.kind != "change" and re.search(
            r"(?:(?:在|来自)(?:全国|全省|全市|全区|全县)的?|(?:全国|全省|全市|全区|全县)(?:的|仅有|只有|共有))$", before):
        before = ""  # 成为CCF在全国的7个基地学校之一: the scope, then what is counted after the number
    # 未来三年计划新建…, 连续八年获得…: when, not what (近五年… is a window the measure is taken over: it stays)
    before = re.sub(r"^(?:未来|今后|连续)[一二三四五六七八九十两\d]{1,2}年(?:来|内|里|间)?", "", before)
    if prev and q.kind != "change" and re.fullmatch(r"[\u4e00-\u9fff]{1,8}?(?:县|市|区|旗|州|盟)", before.strip("、 ")) \
            and "其中" in text[sentence_start:q.start] and re.match(r"[^\u4e00-\u9fff]|$", tail_raw):
        return prev  # 招聘特岗教师1150名,其中会泽县320名、宣威市280名: the same measure, in that place
    if (q.unit.lstrip("万亿") in COUNT_UNITS or q.unit in ("起", "例")) and _EDITION_END.search(before):
        before = ""  # 组织召开首届20个全市德育品牌…表彰会, 公开曝光第十二批7起…典型案例: the count is of what follows
    vm = _VERB_ONLY.match(before)
    stem = _TRAIL.sub("", before).strip()
    if stem in ("实际", "全部") and _VERB_PHRASE.fullmatch(before.strip()[len(stem):]):
        stem = before.strip()  # 实际开工53处: the verb names it, its adverb says how it turned out
    had_words = len(clean_name(stem)) >= 2
    adverbial = re.match(r"^(?:从|在(?![校园职编读岗])|按照|根据|对|向|经|由)", stem) is not None
    money = q.unit.lstrip("万亿") == "元" or q.unit in ("万", "亿")
    count = q.unit.lstrip("万亿") in COUNT_UNITS
    tail = re.sub(r"[“”《》]", "", tail_raw)
    if q.kind != "change" and q.unit in ("枚", "块", "个", "项"):
        # 在五大学科奥赛全国决赛中共获得67枚金牌: the prize after the number, of the contest it was won in
        verb = r"[^,;]{0,12}?(?:共|累计|先后)?(?:获得|摘得|斩获|夺得|取得|荣获|获)了?$"
        won = re.search(r"在(?P<ev>[^,;在]{2,20}?)(?:中|上)" + verb, before) or re.search(r"(?P<ev>)" + verb, before)
        prize = re.match(r"(?P<p>[^,。;:、\d]{0,12}?(?:金牌|银牌|铜牌|奖牌|一等奖|二等奖|三等奖|特等奖))", tail)
        if won and prize:
            return (won.group("ev") or "") + prize.group("p") + "数"
    if q.kind != "change" and prev and re.search(r"(?:获得|摘得|斩获|夺得|取得|荣获)了?$", before) \
            and re.match(r"[^\u4e00-\u9fff]|$", tail_raw):
        return prev  # 共获得金牌20枚,其中某中学摘得4枚: a part of the figure before
    held = re.search(r"(?:可|能)?(容纳|供)$", before)
    who = re.match(r"(?:名)?(学生|教师|幼儿|儿童)((?:同时)?(?:住宿|就餐|上课|学习|用餐|活动|就读))?(?=[,。;、]|$)", tail_raw)
    place_of = re.fullmatch(r"(?:[\u4e00-\u9fff]{0,6}?)((?:学生)?(?:公寓|宿舍|餐厅|食堂|教学楼|教室|礼堂|报告厅|体育馆|图书馆|实验楼|综合楼))数", prev or "")
    if person and held and who and place_of and q.kind != "change":
        # 学生公寓3幢,可容纳2800学生住宿; 餐厅两座,可供3600学生同时就餐: how many the facility before holds
        return place_of.group(1) + ("容纳" if held.group(1) == "容纳" else "") + (who.group(2) or "") + who.group(1) + "数"
    facility = re.match(r"的([\u4e00-\u9fff]{2,10}?(?:厅|室|馆|场|楼|礼堂|食堂|教室|宿舍))", tail_raw)
    if q.unit.lstrip("万") in _PERSON_UNITS and facility and re.search(r"(?:可|能)?(?:容纳|供)$", before):
        return re.sub(r"^现代化(?=..)", "", facility.group(1)) + "容纳人数"  # 可容纳近400人的学术报告厅
    if q.unit == "分" and q.kind != "change":
        bonus = re.fullmatch(r"(?:获得|取得)?([\u4e00-\u9fff]{2,20}?(?:、[\u4e00-\u9fff]{2,12})*)者?(?:可|另)?加",
                             clean_name(_ASIDE.sub("", before)))
        if bonus:
            return bonus.group(1) + "附加分"  # 获得校级二等奖学金者加0.5分
    if person and q.kind != "change":
        # 踩踏事故致使41名学生受伤,其中重伤7人: the harmed, by the harm and what caused it; a harm alone
        # after them is a part of the same people
        cause = re.fullmatch(r"(?P<c>[\u4e00-\u9fff]{0,10}?)(?:共|已)?(?:致使|导致|造成)了?", before.strip())
        harm = re.match(rf"(?P<s>学生|师生|教师|儿童|幼儿|人员|群众)?(?P<h>{_HARM})(?=[,。;、]|$)", tail_raw)
        if cause and harm:
            what = clean_name(_LEAD.sub("", cause.group("c")))
            if not what:  # 造成踩踏事故,致使41名学生受伤: the accident the sentence named before
                named = list(re.finditer(r"(?:造成|发生|引发|出现|导致)了?(?:一起|一次)?(?:重大|严重|较大)?的?"
                                         r"([\u4e00-\u9fff]{0,6}?(?:事故|事件|火灾|险情))", text[sentence_start:cstart]))
                what = named[-1].group(1) if named else ""
            return what + harm.group("h") + (harm.group("s") or "人") + "数"
        part = re.fullmatch(rf"(?:其中)?(?P<h>{_HARM})", before.strip())
        whole = re.fullmatch(rf"(?P<c>.*?){_HARM}(?P<s>[\u4e00-\u9fff]{{1,2}})数", prev or "")
        if part and whole and re.match(r"[^\u4e00-\u9fff]|$", tail_raw):
            return whole.group("c") + part.group("h") + (whole.group("s") if whole.group("s") != "人" else "") + \
                ("人数" if whole.group("s") == "人" else "数")
    state = _STATE_AFTER.match(tail_raw)
    if count and state and prev and not before.strip() and q.kind != "change":
        # 发现隐患4221个,其中已整改3402个,819个正在整改过程中; 新建学校10所,其中8所已竣工: what the figure
        # before counted, in the state the words after the number give (已 is the status, 正在 a state of its own)
        obj = _VERB_LEAD.sub("", prev)
        if len(obj) >= 3 and obj.endswith("数") and not _VERB_PHRASE.match(obj) and not _RATE_END.search(obj):
            lasting = state.group("s") if state.group("s") in ("正在", "仍在", "尚在", "尚未", "未") else ""
            return lasting + state.group("v") + obj
    split = re.match(r"([\u4e00-\u9fff]{2,12}?)(?<![部充成])分(?:为|成)?$", before.strip())
    into = re.match(r"([\u4e00-\u9fff]{1,6}?)(?=[,。;:!?、]|$)", tail_raw)
    if count and split and into and q.kind != "change":
        return clean_name(split.group(1)) + into.group(1) + "数"  # 志愿填报和录取分3个批次: the parts it is divided into
    noun_after = re.match(r"(?:的)?([\u4e00-\u9fff]{2,12}?)(?=[,。;:!?、]|$|的|和|及|与|已|全部|均|都|正在|将|被|获|受|参加|开展|实现)",
                          re.sub(r"[“”《》]", "", tail_raw))
    if count and q.kind != "change" and before.endswith("的") and noun_after and len(before) >= 4 \
            and not re.search(r"[\d]", before) and not _BARE_VERB.fullmatch(noun_after.group(1)) \
            and not re.search(r"(?:由|从|比|较)[^,;]{0,10}的$", before) \
            and not re.search(r"减少|增加|提高|下降|降低|增长|达到|为", noun_after.group(1)):
        # 配备在食堂各处的10多个高清摄像头, 包括A、B在内的21所学校: what the clause describes is counted
        return clean_name(noun_after.group(1)) + "数"
    area_of = re.match(r"的([\u4e00-\u9fff]{2,12}?)(?=[,。;:!?、]|$)", tail_raw)
    if q.unit.lstrip("万") in ("平方米", "平米", "㎡", "亩") and area_of and \
            re.search(r"(?:建有|建成|新建|共建|有|拥有|建)了?$", before):
        return clean_name(area_of.group(1)) + "面积"  # 学校建有3000平方米的大学生创业基地
    if before.strip() in ("生均", "生均达", "生均为") and prev and prev.endswith("数") and len(prev) >= 3:
        return "生均" + prev[:-1]  # 有图书16260册,生均达10册
    school_only = re.fullmatch(r"[\u4e00-\u9fff]{1,10}?(?:中学|小学|一中|二中|三中|学校|大学|学院|幼儿园)", before.strip()) is not None
    if count and (not before.strip() or names_only or school_only or _EMPTY_HEAD.fullmatch(before.strip())) and q.kind != "change":
        sv = _subject_verb(tail, q.unit)
        if sv:
            return sv
    paid = re.fullmatch(r"(?:学校|我校|本校|该校|市|县|区)?(?:还|又|另|也)?(?:每年|每学期|全年|年均|先后|共|累计)?"
                        r"(投入|安排|拨付|筹措|下达|发放|设立|拿出|划拨)了?", before.strip())
    paid_noun = re.match(r"(?:的)?([\u4e00-\u9fff]{0,6}(?:专项经费|经费|资金|基金|补助|奖金|奖励金))", tail_raw)
    if money and paid and paid_noun:
        return paid.group(1) + paid_noun.group(1)  # 学校每年投入60万专项经费: the money by what it is
    if money and re.search(r"(?:建设|改造|工程|项目)$", stem) and re.search(r"(?:投入|投资)了?$", before):
        return clean_name(stem) + "投入"  # 为校园的基本建设先后投入了300多万元: what the money went into
    if money and vm is not None and vm.group(0) == before and before:
        # 安排1.96亿元…, 投资3000万元…: the money of that verb
        return re.sub(r"(?:了|好)+$", "", before) + "资金"
    names_list = re.fullmatch(r"(?:有|共有)?([^,;:、\d]{1,6})(?:、[^,;:、\d]{1,6})+", stem) is not None \
        and not _VERB_PHRASE.fullmatch(stem) and not listed
    if count and stem and (_LISTY.search(stem) or names_list):
        # 组建A、B等3个教育集团: the verb before the list and the noun after the number
        after = _AFTER_NOUN.match(tail)
        if after and len(after.group(1)) >= 2:
            lead = re.match(r"^(?:新建|新组建|组建|优化重组|重组|整合|创建|建成|建设|认定|评选|培育|遴选|新增|开设|打造|培养|引进|新认定)", stem)
            noun = clean_name(after.group(1))
            if len(noun) >= 2:
                return (lead.group(0) if lead else "") + noun + ("" if re.search(r"(数|人次)$", noun) else "数")
    if len(stem) < 2 or adverbial or vm is not None and vm.group(0) == before:
        trail = _TRAIL.search(before)
        verb = re.sub(r"(?:了|好|的)+$", "", before if vm else (trail.group(0) if adverbial and trail else ""))
        verb = re.sub(r"^(?:已|共|累计|分别)+", "", verb)
        after = re.match(r"(?:的)?([^,。;:、,()\d]{1,24}?)(?=[,。;:、和及与\d()]|的|工作(?![室站坊])|任务|建设(?!示范|学校|单位|基地)|之一|享受|实行|实现|得到|有\d|(?:共|约|共约|近|超过)\d|$)", tail)
        noun = after.group(1) if after else ""
        who = re.match(_PEOPLE_REACHED, noun)
        if person and who and not re.search(r"(?:考入|录取|进入|升入|保送)", noun):
            noun = who.group(0)  # 向全市10万余教师送上节日的问候: the people, not what was done to them
        more = re.match(r"、([\u4e00-\u9fff]{2,4})(?=[。,;!?]|$)", tail[after.end():]) if after else None
        if noun and more and re.search(r"(?:考入|录取|进入|升入|保送)", noun):
            noun += more.group(1)  # 有268人考入清华、北大: where they went, both
        obj = _VERB_LEAD.sub("", prev or "")
        if not noun and verb and count and _VERB_PHRASE.fullmatch(verb) and obj != prev and len(obj) >= 3 \
                and obj.endswith("数") and not _VERB_PHRASE.match(obj):
            noun = obj[:-1]  # 计划新建改扩建392所教育设施,其中2018年建设119所: what the figure before counted
        stem = (verb + noun) if noun else (prev or stem)
    stem = clean_name(stem)
    if count and q.kind != "change" and (_EMPTY_HEAD.fullmatch(stem) or re.search(r"(?<=..)(?:有|拥有|建有|设有|共设|共)$", before)
                                         and _AFTER_NOUN.match(tail)):
        # 本校有24个正规班房, 学校现有60个教学班, 包括19位院士: what is counted follows the number
        after = _AFTER_NOUN.match(tail)
        noun = re.sub(r"(?<=..)名单$", "", clean_name(after.group(1))) if after else ""
        if len(noun) >= 2 and not _BARE_VERB.fullmatch(noun):
            stem = noun
    elif count and _VERB_PHRASE.fullmatch(re.sub(r"^(?:实际|已经?|全部)(?=..)", "", stem)) and q.kind != "change":
        # 新增29个贯通培养试点专业, 查处在职教师12人…: a verb alone before the number, its object after it
        after = _AFTER_NOUN.match(tail)
        noun = clean_name(after.group(1)) if after else ""
        who = (re.match(_PEOPLE_REACHED, noun) or re.match(_PEOPLE_REACHED, tail)) if person else None
        if who:
            noun = who.group(0)  # 招收1万余名藏区学生到内地…学习: the people, not where they went
        if len(noun) >= 2 and not _BARE_VERB.fullmatch(noun):
            stem = stem + noun
        elif prev and re.match(r"[^\u4e00-\u9fff]|$", tail):
            # 取缔民办教育机构60所、停业整改39所: what the figure before counted, under this verb
            obj = _VERB_LEAD.sub("", re.sub(r"^(?:原有|现有)", "", prev))  # 原有…机构326家,已压减289家: the same things
            if obj != prev and len(obj) >= 3 and obj.endswith("数") and not _VERB_PHRASE.match(obj) and not _RATE_END.search(obj):
                stem = stem + obj[:-1]
    if len(stem) < 2:
        # nothing but clause words before the number (隆重表彰了176名优秀人员, 提高到每人每月100元):
        # the noun after it, else the figure before it in the sentence
        after = _AFTER_NOUN.match(tail)
        noun = clean_name(after.group(1)) if after else ""
        per_head = re.search(r"每(?:人|生|名|校|班)", before) is not None  # 每人每月800元: the standard of the clause before
        stem = noun if len(noun) >= 2 and q.kind != "change" else (
            prev or (_clause_before(text, cstart) if per_head else "") or stem)
    if money and re.search(r"每(?:人|生|名|校)每?(?:月|年|天|日|学期)?", before) and re.search(r"(补助|津贴|补贴|工资)$", stem):
        stem = stem + "标准"  # 每人每月800元: a rate per person is a standard
    # 比2010年增加了232所: a change of the figure before, however the number was read
    bare_change = re.fullmatch(r"(?:比|较)[^,;\d]{0,12}?(?:增加|增长|减少|提高|下降)了?", raw) is not None
    if q.kind == "change" or bare_change:
        if bare_change or re.match(r"^(?:比|较|与|同比)", stem) or stem in ("同比", "年均"):
            stem = ""  # 比秋季学期开学前提高…, 同比增长…: the change of the figure before
        base = re.sub(r"(?<=..)(?:比|较|与)$", "", stem) if len(stem) >= 2 else (prev or "")  # …毛入园率比2019年提高
        since_m = _SINCE.search(raw)
        # a change names its base (比上年提高, 比2010年增加), kept as kg:baseYear too; the Indicator is the
        # kind of change (百分点变化, 数量变化, 经费增加额), so the base year does not split a measure
        since = "" if since_m is None else "比上年" if since_m.group(1) in ("上年", "去年", "上一年") else f"比{since_m.group(1)}"
        if q.unit == "%" and not base.endswith("率"):
            if re.search(r"下降|降低|减少|压减|缩减", raw):
                return base + ("年均降幅" if "年均" in raw else "降幅")  # 三公经费支出下降12%: a fall, not a growth
            return base + ("年均增长率" if "年均" in raw else "增长率")
        if "个百分点" in q.unit:
            return base + since + ("下降" if re.search(r"下降|降低", raw) else "提高")
        if len(stem) < 2 or not had_words:
            return base + since + ("增加额" if money else "增加")
        return base
    topic = _topic(prev) or hint
    if (_BARE_HEAD.match(stem) or count and _BARE_HEAD.match(stem + "数")) and topic and not stem.startswith(topic):
        if stem.endswith("率"):  # 整改到位1213家,整改率97.4%: the rate names the act, the topic what it acted on
            topic = re.sub(rf"^(?:{_VERB_PHRASE.pattern})(?:{_LEVEL})?(?=[\u4e00-\u9fff]{{2}})", "", topic)
        stem = _join_topic(topic, stem)  # 拆除D级危房3处,面积1200平方米 → 拆除D级危房面积
    if stem and count and not re.search(r"(数|人次|数量|总数|规模|面积|率|比例)$", stem):
        # persons are counted as 人数 after what they did (进入国家集训队人数), as 数 after who they are (教师数)
        stem += "人数" if person and not _WHO_END.search(stem) else "数"
    return stem


_RATE_ITEM = re.compile(r"(?:率|比例|占比|比重|人数|人次|数|面积|经费|值)$")
_NAMED_ONE = re.compile(r"(?:中学|小学|学校|幼儿园|学院|大学|中心|一中|二中|三中|县|区|市|镇|旗)")


def _rate_items(items: list[str]) -> list[str]:
    """The measures of a list, a short one taking the first one's subject (学生入学率、巩固率 → 学生巩固率)."""
    first = items[0]
    return [first] + [first[:-len(i)] + i if len(i) <= 3 and len(first) > len(i) + 1 else i for i in items[1:]]


def _shared_list(name: str, each: bool = False) -> list[str]:
    """The measures of a list one value holds for (学生入学率、巩固率和毕业率 → 学生入学率, 学生巩固率,
    学生毕业率), or with 各 the things of a list each counted (室外篮球场、排球场各10个); else []."""
    if not re.search(r"[、和及]", re.sub(r"\([^()]*\)", "", name)):
        return []  # 县(市、区): a list inside brackets is part of one name
    bonus = re.fullmatch(r"(.+?)(附加分|加分)", name)
    if bonus and "、" in bonus.group(1):  # 硕士研究生、低保户子女加2分: each of them
        return [i + bonus.group(2) for i in bonus.group(1).split("、") if len(i) >= 2]
    items = re.split(r"、|和|及", name)
    if len(items) < 2 or len(items) > 8 or any(len(i) < 2 for i in items):
        return []
    if all(_RATE_ITEM.search(i) for i in items) and not each:
        return _rate_items(items)
    if each and not any(re.search(r"[的了在是为]", i) for i in items):
        return [i if i.endswith("数") else i + "数" for i in items]
    return []


# money a 分别 list goes through: 教育事业费和公用经费支出 → 教育事业费支出, 公用经费支出
_MONEY_HEAD = r"(?:教育事业费|公用经费|人员经费|基本建设经费|基建经费|事业费|办学经费|专项经费)"
_RESPECTIVE_HEADS = re.compile(rf"{_MONEY_HEAD}和{_MONEY_HEAD}")


def _split_list(name: str, nth: int, respectively: bool) -> str:
    """One figure of a list: 优质就业率、就业满意率分别为98%和95% → the nth measure (入学率、巩固率 after
    学生 → 学生巩固率); A中学、B中学本科上线率分别为… → the nth school's measure; with one value for
    all the places or schools (均达到…), the measure alone."""
    if not re.search(r"[、和]", re.sub(r"\([^()]*\)", "", name)):
        return name  # 县(市、区): a list inside brackets is part of one name
    each = _shared_list(name) if re.search(r"加分$", name) else []
    if each:
        return each[min(nth, len(each) - 1)]  # 硕士研究生、低保户子女加2分: the first of them (the others follow)
    money = re.fullmatch(rf"(?P<p>.*?)(?P<a>{_MONEY_HEAD})和(?P<b>{_MONEY_HEAD})(?P<s>.*)", name)
    if money and respectively:
        return money.group("p") + money.group("ab"[min(nth, 1)]) + money.group("s")
    items = re.split(r"、|和", name)
    if len(items) < 2 or any(len(i) < 2 for i in items):
        return name
    if all(_RATE_ITEM.search(i) for i in items):
        return _rate_items(items)[min(nth, len(items) - 1)]
    last = items[-1]
    cut = max((m.end() for m in _NAMED_ONE.finditer(last)), default=0)
    measure = last[cut:]
    if cut and len(measure) >= 2 and _RATE_ITEM.search(measure) and all(
            _NAMED_ONE.search(i[-2:]) for i in items[:-1]):
        if not respectively:
            return measure  # 杭垓镇中心学校、报福镇中心学校生均体育运动场馆面积均达…
        if nth < len(items):
            return (items[nth] if nth < len(items) - 1 else last[:cut]) + measure
    return name


def _places_of_level(name: str, prev: str | None) -> str:
    """新增学位 after a count of schools of one level (新建、改扩建幼儿园25所,新增学位7500个): the places
    of that level (新增幼儿园学位数)."""
    m = re.fullmatch(r"新增(公办)?学位数?", name)
    if m is None or not prev:
        return name
    levels = {lv for word, lv in (("幼儿园", "幼儿园"), ("学前", "幼儿园"), ("义务教育", "义务教育"), ("中小学", "义务教育"),
                                  ("普通高中", "普通高中"), ("高中", "普通高中")) if word in prev}
    if len(levels) != 1:
        return name  # 中小学和幼儿园: places of both
    return f"新增{m.group(1) or ''}{levels.pop()}学位数"


def _nth_in_list(text: str, cstart: int, q: Quantity) -> int:
    """Which figure of 分别为 X、Y (or X和Y) this one is: the count of numbers between 分别 and it."""
    start = _sentence_start(text, q.start, "。;!?\n")
    at = text.rfind("分别", start, q.start)
    if at < 0:
        return 0
    return len(re.findall(r"\d+(?:\.\d+)?", text[at:q.start]))


_SCHOOL_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:[-—–~至]\s*(?:19|20)?\d{2,4}\s*)?学年")
_CLASS_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})届")
_SHORT_YEAR = re.compile(r"(?<![\d.])0(\d)年(?!以来|以前|之前|起)")


def _years(text: str) -> list[tuple[int, int]]:
    out = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text)]
    out += [(m.start(), 2000 + int(m.group(1))) for m in _SHORT_YEAR.finditer(text)]  # 04年、05年
    out += [(m.start(), int(m.group(1))) for m in _CLASS_YEAR.finditer(text)]  # 2014届高考: the class's exam year
    out += [(m.start(), int(m.group(1))) for m in _SCHOOL_YEAR.finditer(text)]  # 2006-2007学年初: the year it began
    out.sort()
    bases = {m.start() + len(m.group(0)) - len(m.group(1)) - 1 for m in BASE_YEAR.finditer(text)}
    return [(p, y) for p, y in out if p not in bases]


class ObservationBuilder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._ends: list[int] = []
        self._mask_cache: dict[int, str] = {}
        self._open_marks = _OpenMarks(doc.text)
        self._periods: _PeriodTargets | None = None
        # program and document names to blank out, ordered by start: one pass, not one per sentence
        self._mask_spans = sorted((m.start, m.end) for m in doc.mentions if m.type in ("Program", "PolicyDocument"))
        self._mask_starts = [a for a, _ in self._mask_spans]
        self.scheme = Scheme.load()
        self._profile = looks_like_profile(doc.text)  # a school's profile: lasting facts have no year
        # a report of the year before, published early in the next (发布时间:2022-01-18 …本报讯 2021年以来…): what it
        # reports, unless dated otherwise, is that year's; its plans (计划, 将, 2022年…) stay in the year it speaks in
        # so is a review of a span of years up to the year before (2014年—2016年的三年,是…: 2016)
        self._reviewed = doc.year - 1 if doc.year and re.search(
            rf"(?:^|\n|。|本报讯|讯)\s*{doc.year - 1}年以来|(?:^|\n)\s*(?:19|20)\d{{2}}年?\s*[—–\-~至到]+\s*{doc.year - 1}年",
            doc.text[:400]) else None
        self._school_place_cache: dict[str, str] | None = None
        self._words = ""
        self._shared: list[str] = []  # the other measures of a list the current figure's value holds for
        self._resp: tuple[int, str] | None = None  # (sentence start, name) of a 分别 list's measures

    def build(self) -> list[Observation]:
        doc = self.doc
        out: list[Observation] = []
        mentions_by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            mentions_by_sentence.setdefault(m.sentence, []).append(m)
        topic_program: str | None = None
        topic_line = -1
        line, counted = 0, 0
        for s in doc.sentences:
            line += doc.text.count("\n", counted, s.start)
            counted = s.start
            if line != topic_line or re.match(r"^[一二三四五六七八九十]是", s.text):
                topic_program, topic_line = None, line
            ms = mentions_by_sentence.get(s.index, [])
            progs = [m for m in ms if m.type == "Program"]
            qs = [q for q in (_shift(q, s.start) for q in find_quantities(s.text)) if self.measures(q)]
            self._ends = [q.end for q in qs]
            prev_indicator: str | None = None
            medals: str | None = None  # the sentence's medals of a contest (国际奥赛金牌数), which its subjects share
            for q in qs:
                obs = self.observation(s, q, ms, progs, topic_program, prev_indicator)
                if obs is None:
                    continue
                if q.kind != "change":
                    prev_indicator = self._words  # the document's words go on to the next figure
                # the other measures the one value holds for
                for o in [obs] + [self._renamed(obs, item) for item in self._shared[1:]]:
                    name = o.surface or o.indicator
                    subject = re.fullmatch(rf"({_SUBJECTS})数", name)
                    if subject and medals:
                        # 国际奥赛金牌14枚(物理、生物各1枚,天文4枚): each subject's medals of that contest
                        o = self._renamed(o, re.sub(r"(奥赛|竞赛|奥林匹克)", subject.group(1) + r"\1", medals, count=1))
                    elif _PRIZE_END.search(name) and re.search(r"奥赛|竞赛|奥林匹克", name) and not re.search(_SUBJECTS, name):
                        medals = name
                    out.append(o)
            if progs:
                topic_program = progs[-1].key
        return out

    def _respective(self, name: str, sentence_start: int) -> str:
        """The measures a 分别 list of values goes through (教育事业费和公用经费支出分别增长14.55%和20.61%,
        中职学校分别增长8.66%和21.21%): the later values, and another level's values, read the first name."""
        first = self._resp if self._resp and self._resp[0] == sentence_start else None
        level = re.match(rf"({_LEVEL})", name)
        if first and name in ("增长率", "增长", "降幅", "比例", "占比"):
            return first[1]
        if first and level and name[level.end():] in ("增长率", "增长", "降幅"):
            old = re.match(rf"({_LEVEL})", first[1])
            if old and old.group(1) != level.group(1):
                self._resp = (sentence_start, level.group(1) + first[1][old.end():])
                return self._resp[1]
        if _RESPECTIVE_HEADS.search(name):
            self._resp = (sentence_start, name)
        return name

    def _renamed(self, obs: Observation, name: str) -> Observation:
        """The observation under another name, linked to the concept that name finds."""
        concept, named = self.scheme.find(name, obs.unit, rank=False)
        return replace(obs, indicator=concept.label if concept and named else name,
                       concept=concept.iri if concept else None,
                       surface=name if concept and name != concept.label else None)

    def measures(self, q: Quantity) -> bool:
        """False for numbers that measure nothing: durations and counts of aspects written
        in words (五年, 三个方面), numbers inside titles and quoted names."""
        text = self.doc.text
        line_start = self.doc.line_start(q.start)
        if q.start == line_start and re.match(r"\d{1,2}\.(?:19|20)\d{2}年", text[q.start:q.end + 1]):
            return False  # "6.2021年…": a list number glued to a year
        if q.kind == "count_words" and q.unit.lstrip("万亿") in ("年", "个", "项", "方面", "点", "条", "部门", "种", "类", "大"):
            return False
        if q.unit == "年" and re.fullmatch(r"0\d年", text[q.start:q.end]):
            return False  # 04年: a year written short, not a span of four years
        if q.unit == "分" and (re.search(r"\d\s*(?:时|点|:)$", text[max(0, q.start - 3):q.start])
                               or text.startswith("之", q.end)):
            return False  # 8时30分: a time of day; 三分之一: a fraction
        if q.unit in ("年", "年度") and q.value == q.value.to_integral_value() and 1800 <= q.value <= 2100:
            return False  # 创办于1897年: a calendar year, not a span of 1897 years
        if q.unit == "年" and re.search(r"(?:民国|民國|西元|公元|大正|昭和|明治|平成|令和|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|康熙|洪武|永乐)$",
                                        text[max(0, q.start - 2):q.start]):
            return False  # 民国10年, 昭和13年: a year of an era, not a span of years
        if q.unit == "年" and re.search(r"(?:未来|今后|过去|最近)$", text[max(0, q.start - 2):q.start]):
            return False  # 未来10年: a time frame, not a measure
        if q.kind == "ratio" and re.fullmatch(r"\d{1,2}\s*:\s*\d{2}", text[q.start:q.end]):
            return False  # 24:00: a time of day
        if (q.unit.endswith("字") or text.startswith("字", q.end)) and q.value < 100:
            return False  # 16个字, 十二字要求: the length of a motto, not a measure
        # 15年免费教育: a duration naming a kind of thing
        if q.unit == "年" and re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]) and text[q.end:q.end + 1] not in "来内间后及":
            return False
        # 56人以上大班额: a threshold naming a kind of thing, not a measurement
        if q.qualifier in ("atLeast", "atMost") and re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]) \
                and not re.match(r"[的,。、;:和及与是为]|(?:学生|幼儿|教师|人次)", text[q.end:q.end + 2]):
            return False
        if self._open_marks.unclosed(line_start, q.start):
            return False
        return True

    def observation(self, s: Sentence, q: Quantity, ms: list[Mention], progs: list[Mention],
                    topic: str | None, prev: str | None) -> Observation | None:
        doc = self.doc
        text = doc.text
        cstart = max((m.end() for m in re.finditer(r"[,;:。!?]", text[s.start:q.start])), default=0) + s.start
        cstart = _after_aside(text, cstart, q.start)
        # a list of quantities in one clause (27项、创新项目162项): start after the previous one
        cstart = max([cstart] + [e + (1 if text[e:e + 1] in "、和及" else 0) for e in self._ends if cstart <= e < q.start])
        # the places (and 全市/我市) heading the clause are the observation's place, not its indicator
        moved = True
        while moved:
            moved = False
            for m in ms:
                if m.type == "Place" and m.start == cstart and m.end < q.start and not _inside_other(m, ms) \
                        and not HONOUR.match(text, m.end):  # 湖北省教学名师7人: the honour's scope stays in its name
                    cstart = m.end + (1 if text[m.end:m.end + 1] in "的、" else 0)
                    moved = True
        if q.unit in ("万", "亿") and re.search(r"资金|经费|投入|投资|拨款|资助|收入|支出|预算|补助|奖励|元", text[cstart:q.end + 4]):
            q = replace(q, unit=q.unit + "元")  # 落实项目资金1360万: money
        listed = any(cstart in (e, e + 1) for e in self._ends if e < q.start)
        words = indicator_name(text, cstart, q, prev, listed=listed, hint=self._hint(s, q, progs)).strip(" ,、")
        self._words = words  # the document's words go on to the next figure of the sentence
        nth = _nth_in_list(text, cstart, q)
        alike = re.search(r"均(?:为|达到?|是)?$", text[max(cstart, q.start - 4):q.start]) is not None
        name = _compose_level(words, prev, nth, alike) if q.kind != "rank" else words
        if name != words and re.fullmatch(rf"(?:{_LEVEL}|{_GRADE})数", words):
            self._words = name  # 初中62个 was 初中教学班数: 初一20个 after it counts classes too
        self._shared = []
        if q.kind != "rank":
            sentence_start = _sentence_start(text, q.start, "。;!?\n")
            respectively = "分别" in text[sentence_start:q.start]
            each = False
            if not respectively:
                # one value for every measure of a list: 入学率、巩固率和毕业率稳定在100%; 篮球场、排球场各10个
                each = text[max(cstart, q.start - 2):q.start].endswith("各")
                self._shared = _shared_list(re.sub(r"各(?:人)?数?$", "", name) if each else name, each=each)
            if respectively:
                name = self._respective(name, sentence_start)
            name = self._shared[0] if self._shared and each else _split_list(name, nth, respectively)
            name = _places_of_level(name, prev)
        if len(name) < 2:
            return None
        # a concept the words name gives the Indicator and its label; a kind of measure only the Indicator
        # (the figure keeps its own name: 培训校长园长2036人次 is one of the 培训人次)
        concept, named = self.scheme.find(name, q.unit, rank=q.kind == "rank")
        kind, sec_year = effective(doc.sections, s.section)
        year = self.year(s, q, cstart, sec_year)
        status = self.status(s, q, cstart, kind, year)
        place = self.place(s, q, cstart, ms)
        # the program the number belongs to: the nearest before it, else the sentence's, else the item's
        before = [m for m in progs if m.start < q.start]
        about = before[-1].key if before else progs[0].key if progs else topic
        return Observation(
            indicator=concept.label if concept and named else name, concept=concept.iri if concept else None,
            surface=name if concept and name != concept.label else None, value=q.value, unit=q.unit, year=year, status=status, place=place,
            about=about, evidence=doc.evidence(s), qualifier=q.qualifier,
            change=q.kind == "change", base_year=q.base_year,
        )

    def _hint(self, s: Sentence, q: Quantity, progs: list[Mention]) -> str:
        """What a bare kind of figure (覆盖学生18.6万人, 投入资金…) is of when no figure before says:
        the program named last before it in the sentence, else the last quoted term."""
        text = self.doc.text
        before = [m for m in progs if s.start <= m.start and m.end <= q.start]
        if before:
            return re.sub(r"[“”\"《》]", "", text[before[-1].start:before[-1].end])
        quoted = [t for t in re.findall(r"“([^”]{2,12})”", text[s.start:q.start]) if t not in PERIOD_END]  # not “十二五”
        return quoted[-1] if quoted else ""

    def year(self, s: Sentence, q: Quantity, cstart: int, sec_year: int | None) -> int | None:
        doc = self.doc
        masked = self._masked(s)  # years inside 《titles(2018—2020年)》 are not the number's
        masked = FOUNDING_YEAR.sub(lambda t: "□" * len(t.group()), masked)
        # 在2017年基本完成…任务基础上, 调增…: the year of the ground it stands on, not of the figure
        at = q.start - s.start  # (a figure inside that clause keeps its year: 在2017年13个县通过…的基础上)
        masked = re.sub(r"在(?:19|20)\d{2}年[^,。;]{0,30}?(?:的)?基础上",
                        lambda t: "□" * len(t.group()) if t.end() <= at else t.group(), masked)
        clause_end = _clause_end(doc.text, q.end, s.end)
        # 2011年至2013年,…分别为33.8亿元、43.8亿元和49.5亿元: one year of the span each, in order
        span = _SPAN_EACH.search(masked[: q.start - s.start])
        if span:
            first, last = int(span.group(1)), int(span.group(2))
            nth = _nth_in_list(doc.text, cstart, q)
            if first < last <= first + 20 and first + nth <= last:
                return first + nth
        clause = masked[cstart - s.start: clause_end - s.start]
        ys = _years(clause)
        # 由2019年的18.3%下降到4.6%: the year is the starting value's, not the result's
        if ys and re.search(r"(?:下降|降低|减少|提高|提升|增加|增长|上升)到", masked[cstart - s.start: q.start - s.start]):
            ys = [(p, y) for p, y in ys if not re.search(rf"由{y}年", clause)]
        if ys:
            return ys[-1][1] if len(ys) == 1 else min(ys, key=lambda py: abs(py[0] - (q.start - cstart)))[1]
        # 今年/去年 in the clause beat a year named earlier in the sentence (到2025年…今年力争…)
        rel = _REL_YEAR_RE.findall(clause)
        if rel and doc.year:
            return doc.year + REL_YEAR[rel[-1]]
        before = masked[: q.start - s.start]
        ys = _years(before)
        if ys:
            return ys[-1][1]
        rel = _REL_YEAR_RE.findall(before)
        if rel and doc.year:
            return doc.year + REL_YEAR[rel[-1]]
        # 未来三年…, 五年内…: the span's last year (未来三年 counts the year spoken in: in 2018, 2018–2020, as a
        # 三年行动计划 runs; 五年内 five years on); “十四五”期间…: the period's last year, for a target
        ahead = _years_ahead(before)
        if ahead is not None:
            return doc.year + ahead if doc.year else None
        span = _PERIOD_SPAN.search(before)
        if span is not None and re.search(r"(?:制订|制定|编制|出台|印发|谋划)[“”\"]?$", before[:span.start()]):
            span = None  # 制订“十二五”期间学校规划布局: a plan for the period, not the figure's period
        if span is not None and (doc.year is None or PERIOD_END[span.group(1)] > doc.year):
            return PERIOD_END[span.group(1)]  # a period ahead: its targets hold for its last year
        if FOUNDING_YEAR.search(self.doc.text[s.start:q.start]):
            return None  # a school's history: the figures after it hold for no stated year
        if re.search(r"原来|原先|以往|过去", before[-12:]):
            return None
        # a future period (“十三五”目标) holds for the list of targets that follows it in the paragraph
        if self._periods is None:
            self._periods = _PeriodTargets(doc.text)
        para_start = doc.line_start(s.start)
        for period, end in PERIOD_END.items():
            if (doc.year is None or end > doc.year) and self._periods.named_between(period, para_start, q.start):
                return end
        # a profile (学校简介, 学校概况) describes what lasts: a figure holds for the document's
        # year only when the sentence says it is current (现有, 目前, 截至…)
        if self._profile and not re.search(r"现有|目前|现在|至今|截至|截止|今年|当前|现(?![代场金象实行状任])|已有|共有|以来", doc.text[s.start:q.start]):
            return None
        if sec_year:
            return sec_year
        if self._reviewed and not TARGET.search(doc.text[s.start:_clause_end(doc.text, q.end, s.end)]):
            return self._reviewed
        return doc.year

    def status(self, s: Sentence, q: Quantity, cstart: int, kind: str | None, year: int | None = None) -> str | None:
        doc = self.doc
        # program names (特岗计划, …行动计划) and titles say nothing about the status
        masked = self._masked(s)
        before = masked[: q.start - s.start]
        clause = masked[cstart - s.start: q.start - s.start]
        # a limit (累计不超过3分, 不少于1小时, 至少配备1名) is a rule, whatever else the clause says
        if re.search(r"不超过|不少于|不低于|不高于|不多于|至少|不得", clause + doc.text[q.start:q.end]):
            return "target"
        if ACHIEVED.search(clause):
            return "achieved"
        # rules (规定, 要求, 必须…) hold from now on
        if RULE.search(clause):
            return "target"
        # a year after the document's own (2023年… in a 2021 text), 未来三年, 五年内, “十四五”期间 ahead
        if year is not None and doc.year is not None and year > doc.year:
            return "target"
        span = _PERIOD_SPAN.search(before)
        if _years_ahead(before) is not None or (
                span is not None and doc.year is not None and PERIOD_END[span.group(1)] > doc.year):
            return "target"
        # 争取…资金 in a review secured it; elsewhere it strives for it
        if TARGET.search(clause) and not (kind == "review" and not STRONG_TARGET.search(clause)):
            return "target"
        m = re.search(r"(?:到|至)((?:19|20)\d{2})年", before)
        if m and doc.year and int(m.group(1)) > doc.year:
            return "target"
        # in a section that reviews past work, a plan word elsewhere in the sentence
        # (一期三年行动计划实施以来, 积极争取…支持) does not make the number a target
        if kind != "review" and TARGET.search(before):
            return "target"
        if ACHIEVED.search(before):
            return "achieved"
        # a plan that states last year's figures reports them: past years are results
        if year is not None and doc.year is not None and year < doc.year:
            return "achieved"
        if kind == "plan":
            return "target"
        # a number stated without a plan word reports a result
        return "achieved"

    def _school_places(self) -> dict[str, str]:
        """Each school's place, from the locatedIn relations already built (the most specific one)."""
        cached = self._school_place_cache
        if cached is None:
            order = {"town": 0, "county": 1, "city": 2, "province": 3}
            cached = {}
            for r in sorted(self.doc.relations, key=lambda r: (r.subject, r.object)):
                if r.predicate != "locatedIn" or not r.subject.startswith("School:"):
                    continue
                e = self.doc.entities.get(r.object)
                if e is None:
                    continue
                old = cached.get(r.subject)
                if old is None or order.get(e.level or "", 4) < order.get(self.doc.entities[old].level or "", 4):
                    cached[r.subject] = r.object
            self._school_place_cache = cached
        return cached

    def national(self, s: Sentence, q: Quantity, cstart: int, ms: list[Mention], places: list[Mention]) -> str | None:
        """中国 for a national figure: 全国/我国 (or a national body acting, 教育部要求…) before the
        number in its sentence, with no more specific place between them."""
        text = self.doc.text
        end = None
        for hit in NATIONAL.finditer(text, s.start, q.start):
            # the subject of its clause (全国共有…, 截至2020年底,全国…), not 面向全国招聘 or a name's part
            lead = text[max(s.start, text.rfind(",", s.start, hit.start()) + 1, text.rfind(";", s.start, hit.start()) + 1):hit.start()]
            if any(m.start <= hit.start() < m.end for m in ms) or not _CLAUSE_LEAD.fullmatch(lead) \
                    or re.match(r"和|、|与|及", text[hit.end():hit.end() + 1]) or HONOUR.match(text, hit.end()):
                continue
            end = hit.end()
        if end is None:
            for m in ms:  # 教育部要求…, 国家统计局数据显示…
                if m.type == "Agency" and m.source == "national" and cstart <= m.start < q.start and re.match(
                        r"(?:公开|要求|规定|提出|明确|部署|计划|统计|公布|发布|数据显示|数据表明|印发|曝光|通报|召开)",
                        text[m.end:m.end + 4]):
                    end = m.end
        if end is None or any(p.start >= end for p in places):
            return None
        if q.kind == "rank":
            return None  # 全国第二: the scope of a rank, not the ranked place
        return china(self.doc)

    def _masked(self, s: Sentence) -> str:
        """The sentence with program names and 《titles》 blanked out (same length)."""
        cached = self._mask_cache.get(s.index)
        if cached is not None:
            return cached
        text = list(self.doc.text[s.start:s.end])
        lo = bisect_left(self._mask_starts, s.start)
        hi = bisect_left(self._mask_starts, s.end, lo)
        for start, end in self._mask_spans[lo:hi]:
            for i in range(start - s.start, min(end, s.end) - s.start):
                text[i] = "□"
        masked = re.sub(r"《[^》]*》", lambda t: "□" * len(t.group()), "".join(text))
        self._mask_cache = {s.index: masked}  # asked for twice per number of the sentence
        return masked

    def place(self, s: Sentence, q: Quantity, cstart: int, ms: list[Mention]) -> str | None:
        key = self._place(s, q, cstart, ms)
        if key is not None and key.startswith("town:"):
            county = f"place:{key.split(':', 2)[1]}"
            return county if county in self.doc.entities else key  # a town's figure counts for its county
        return key

    def _place(self, s: Sentence, q: Quantity, cstart: int, ms: list[Mention]) -> str | None:
        doc = self.doc
        # a body's own place acts for it (西湖区教育局规定…): the place inside an agency's name counts
        # and so does a school's that opens the clause (诸暨海亮高级中学摘得4枚: 诸暨市)
        subject_schools = [m for m in ms if m.type == "School" and cstart <= m.start < q.start
                           and (_CLAUSE_LEAD.fullmatch(doc.text[cstart:m.start]) or doc.text[cstart:m.start].endswith("——"))]
        places = [m for m in ms if m.type == "Place" and m.start < q.start and not HONOUR.match(doc.text, m.end)
                  and (not _inside_other(m, ms, ("Agency",))
                       or any(sc.start <= m.start and m.end <= sc.end for sc in subject_schools))]
        national = self.national(s, q, cstart, ms, places)
        if national is not None:
            return national
        # a school that opens the clause is where its figure holds (绍兴一中获得…金牌1枚: 绍兴市)
        if subject_schools and not [m for m in places if m.start >= cstart and not any(
                sc.start <= m.start < sc.end for sc in subject_schools)]:
            located = self._school_places().get(subject_schools[0].key or "")
            if located:
                return located
        if q.kind == "rank":  # 全省第二: the scope of a rank is not the ranked place
            places = [m for m in places if not (m.source == "home" and m.start >= cstart)]
        # the run of places the sentence lists last (会泽县、宣威市, 潞州区、…、沁源县)
        run: list[Mention] = []
        for m in reversed([m for m in places if m.start >= s.start]):
            if run and doc.text[m.end:run[-1].start] not in ("、", "和", "及", "与", ""):  # 南昌市东湖区: a city, then its district
                break
            run.append(m)
        run.reverse()
        keys_run = list(dict.fromkeys(m.key for m in run))
        listed_run = any(doc.text[a.end:b.start] for a, b in zip(run, run[1:]))
        if len(keys_run) > 1 and listed_run:
            if q.unit == "个" and doc.text[run[-1].end:q.start].strip() in ("", "等", "共", "等共") and re.match(
                    r"(?:县|区|县区|县市区|县\(市、?区?\)|县\(市\)区|乡镇|乡|镇|市|旗|街道)", doc.text[q.end:q.end + 8]):
                return doc.home_place  # 潞州区、…、沁源县12个县区全部通过…: a count of the divisions listed is the whole's
            if "分别" in doc.text[run[-1].end:q.start] and not re.search(r"[。;]", doc.text[run[-1].end:q.start]):
                # 会泽县、宣威市…,分别劝返复学学生412人和367人: each place its figure, in order
                # each item of the list is its last place (南昌市东湖区 → 东湖区)
                heads = [a.key for a, b in zip(run, [*run[1:], None]) if b is None or doc.text[a.end:b.start]]
                nth = _nth_in_list(doc.text, cstart, q)
                return heads[nth] if nth < len(heads) else None
        in_clause = [m for m in places if m.start >= cstart]
        if in_clause:
            keys = {m.key for m in in_clause}
            return in_clause[-1].key if len(keys) == 1 else None
        if places:
            listed = [m.key for m in places]
            last = places[-1]
            # a list of places (连山区、南票区…) names no single place
            if len(set(listed)) > 1 and doc.text[last.start - 1: last.start] in "、和及与":
                return None
            return last.key
        # the one school named before the figure, its name holding its place (新疆…阿克苏市第五小学…致使41名学生受伤)
        schools = [m for m in ms if m.type == "School" and m.end <= q.start]
        named = [m for m in ms if m.type != "Place"]
        if len({m.key for m in schools}) == 1 and named and named[0] is schools[0] \
                and doc.text[schools[0].start - 1: schools[0].start] not in ("与", "和", "同", "跟", "向", "对", "为", "被"):
            inner = [m for m in ms if m.type == "Place" and m.key and schools[0].start <= m.start and m.end <= schools[0].end]
            if inner:
                return max(inner, key=lambda m: m.start).key
        return doc.home_place


def _inside_other(m: Mention, ms: list[Mention], allowed: tuple[str, ...] = ()) -> bool:
    return any(o is not m and o.type != "Place" and o.type not in allowed and o.start <= m.start and m.end <= o.end
               for o in ms)


CHINA_KEY = "Place:中国"


_CLAUSE_LEAD = re.compile(r"(?:截至|截止|到|至|目前|当前|现在|去年|今年|同时|其中|此外|(?:19|20)\d{2}年(?:底|末)?|\d{1,2}月(?:底|末)?|据统计|统计显示|数据显示)*")


def china(doc: Document) -> str:
    """The key of the place 中国 (level ``country``), added to the document's entities when first used."""
    if CHINA_KEY not in doc.entities:
        doc.entities[CHINA_KEY] = Entity(CHINA_KEY, "Place", "中国", level="country")
    doc.entities[CHINA_KEY].docs.add(doc.doc_id)
    return CHINA_KEY


_SPAN_EACH = re.compile(r"((?:19|20)\d{2})年?(?:至|到|—|–|-|~)((?:19|20)\d{2})年[^。;!?]{0,40}?分别(?:为|是|达到?)?[^。;!?]{0,12}$")


def _years_ahead(before: str) -> int | None:
    """The years of 未来三年/今后五年/三年内 in ``before`` (the text of a sentence before a number)."""
    m = None
    for m in _YEARS_AHEAD.finditer(before):
        pass
    if m is None:
        return None
    n = m.group(1) or m.group(2)
    if n.isdigit():
        years = int(n)
    elif n == "十":
        years = 10
    else:
        years = sum(_CN_DIGIT.get(ch, 0) for ch in n) if len(n) == 1 else (
            _CN_DIGIT.get(n[0], 0) * 10 + _CN_DIGIT.get(n[1], 0) if n[1] != "十" else _CN_DIGIT.get(n[0], 0) * 10)
    return years - 1 if m.group(1) else years  # 未来三年 includes this one; 三年内 runs three years on


class _PeriodTargets:
    """Where the text names a five-year period's end or target: 到“十三五”末, 十三五…目标.

    ``named_between(period, a, b)`` tells whether ``(?:到|至)P.?末|P.{0,12}目标|P.?末``
    matches inside ``text[a:b]`` with a binary search: each mention of the
    period is matched once, at its shortest, and the earliest end from each
    mention onwards is kept (a paragraph on one long line stays linear).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: dict[str, tuple[list[int], list[int]]] = {}

    def _build(self, period: str) -> tuple[list[int], list[int]]:
        text, starts, ends = self.text, [], []
        shortest = (re.compile(rf"{period}.??末"), re.compile(rf"{period}.{{0,12}}?目标"))
        i = text.find(period)
        while i >= 0:
            found = [m.end() for m in (rx.match(text, i) for rx in shortest) if m]
            if found:
                starts.append(i)
                ends.append(min(found))
            i = text.find(period, i + 1)
        for k in range(len(ends) - 2, -1, -1):  # earliest end from each mention onwards
            ends[k] = min(ends[k], ends[k + 1])
        return starts, ends

    def named_between(self, period: str, start: int, end: int) -> bool:
        # (?:到|至)P.?末 holds P.?末, which starts inside the span whenever it does
        if period not in self._index:
            self._index[period] = self._build(period)
        starts, ends = self._index[period]
        k = bisect_left(starts, start)
        return k < len(starts) and ends[k] <= end


class _OpenMarks:
    """Whether a 《 or “ opened earlier on the line is still open at an offset.

    Asked for offsets in ascending order (the numbers of a document), it counts
    each line once, however long the line: a document on one line stays linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.line = -1
        self.pos = 0
        self.counts = [0, 0, 0, 0]

    def unclosed(self, line_start: int, offset: int) -> bool:
        if line_start != self.line or offset < self.pos:
            self.line, self.pos, self.counts = line_start, line_start, [0, 0, 0, 0]
        seg = self.text[self.pos:offset]
        for i, mark in enumerate("《》“”"):
            self.counts[i] += seg.count(mark)
        self.pos = offset
        return self.counts[0] > self.counts[1] or self.counts[2] > self.counts[3]


def _clause_end(text: str, start: int, limit: int) -> int:
    m = re.compile(r"[,;:。!?]").search(text, start, limit)
    return m.start() if m else limit


def _shift(q: Quantity, offset: int) -> Quantity:
    return replace(q, start=q.start + offset, end=q.end + offset)


def build_observations(doc: Document) -> list[Observation]:
    return ObservationBuilder(doc).build()
