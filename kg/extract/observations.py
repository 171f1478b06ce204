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

from ..model import Document, Mention, Observation, Sentence
from ..numbers import Quantity, find_quantities
from ..segment import effective

COUNT_UNITS = ("所", "个", "人", "名", "项", "次", "件", "处", "家", "座", "间", "套", "台", "册", "门", "节", "场", "批", "篇", "本", "辆", "轮", "支", "人次", "件次", "条", "位")

TARGET = re.compile(r"(?:19|20)\d{2}年(?:底|年底|年末)?(?:前|之前)|力争|争取|确保|计划(?!项目|生|单列|内)|预计|目标|将(?!近|其|之|“)|要达到|要实现|要完成|力求|拟|届时|到(?:19|20)\d{2}年")
STRONG_TARGET = re.compile(r"力争|确保|计划(?!项目|生|单列|内)|预计|目标|到(?:19|20)\d{2}年|届时")
ACHIEVED = re.compile(r"已经|已达|已有|已|完成了|实现了|达到了|取得了|获得了|共有|累计|有了|以来|截至|截止")
YEAR = re.compile(r"(?<![\d比较])((?:19|20)\d{2})年(?!以来|以前|之前|起)")
BASE_YEAR = re.compile(r"(?:比|较|与|同)((?:19|20)\d{2})年")
REL_YEAR = {"今年": 0, "本年": 0, "去年": -1, "明年": 1}
_REL_YEAR_RE = re.compile(r"(?<![比较与])(今年|本年|去年|明年)")
PERIOD_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}

_LEAD = re.compile(
    r"^(?:\d{1,2}[.、](?!\d{1,2}[^\d])|同时|其中|目前|现在|截至|截止|到|至|全年|年内|当年|今年|去年|明年|年底|年末|以来|期间|时期|"
    r"(?:19|20)\d{2}年(?:底|末|初|以来)?|“?十[一二三四五]五”?(?:期间|时期|末|以来)?|"
    r"(?:比|较|与)(?:(?:19|20)\d{2}年|上年|去年|上一年)(?:相比|同期)?|力争|争取|确保|计划|预计|将|要|实现|使|让|"
    r"我市|全市|本市|全省|我省|全区|全县|市区|城区|共|累计|总计|合计|其中|并|且|和|及|还|又|也|均|都|已|"
    r"一是|二是|三是|四是|五是|六是|七是|八是|九是|十是|在|对|为|使|让|通过|经过|大约|约|近|超过)+"
)
_TRAIL = re.compile(
    r"(?:已经?|就|均|都|共|总|共计|合计|累计|分别|已?达到?|达|为|是|有|占|约|近|接近|将近|大约|超过|不低于|不少于|逾|"
    r"稳定在|保持在?|控制在|提高到|提升到|增加到|增长到|下降到|降低到|提高了?|提升了?|增加了?|增长了?|"
    r"减少了?|下降了?|降低了?|年均递增|年均增长|递增|完成了?|实现了?|投入了?|落实了?|发放了?|惠及|培训了?|"
    r"评选了?|考核了?|表彰了?|招聘了?|新建了?|开工|竣工|或|的|了|:)+$"
)
_VERB_ONLY = re.compile(r"^(?:安排|投资|投入|筹措|争取|下达|拨付|创建|打造|建成|建设|新建|改建|扩建|认定|评估认定|培养|评选|表彰|考核|招聘|录用|培训|完成|实施|开工|撤并|取缔|发放|投入|落实|确定|制定|下发|组织|召开|举办|开展|维修加固|维修|加固|拆除|排除|化解|做好|抓实|计划实施)?(?:了|好)?$")


def indicator_name(text: str, cstart: int, q: Quantity, prev: str | None) -> str:
    """The noun phrase a quantity measures.

    The words before the number in its clause, without leading time and place
    words and trailing verbs (``全市5星幼儿园已达12所`` → ``5星幼儿园数``); when
    nothing but a verb precedes the number, the verb and the noun after it
    (``创建了30所标准化幼儿园`` → ``创建标准化幼儿园数``).
    """
    before = text[cstart:q.start]
    before = re.sub(r"[“”《》]", "", before)
    if q.kind == "rank":
        # 获奖数位居全省第四 → 获奖数全省排名; 位居全市第二 after 上线率达到92.3% → 上线率全市排名
        scope = re.search(r"(全国|全省|全市|全区|全县|全州|同类城市|副省级城市)", before + q.text)
        base = re.sub(r"(?:位居|位列|居|列|排名|排在|以|获得|取得|荣获|名列)+$", "",
                      re.split(r"全国|全省|全市|全区|全县|全州|同类城市|副省级城市", before)[0])
        base = _LEAD.sub("", base).strip() or (prev or "")
        return f"{base}{scope.group(1) if scope else ''}排名"
    # a placeholder count earlier in the clause (XX个示范专业、) ends a phrase
    before = re.sub(r"^.*[XＸ]+[^、,]*?、", "", before)
    before = _LEAD.sub("", before)
    vm = _VERB_ONLY.match(before)
    stem = _TRAIL.sub("", before).strip()
    adverbial = re.match(r"^(?:从|在|按照|根据|对|向|经|由)", stem) is not None
    money = q.unit.lstrip("万亿") == "元" or q.unit in ("万", "亿")
    if money and vm is not None and vm.group(0) == before and before:
        # 安排1.96亿元…, 投资3000万元…: the money of that verb
        return re.sub(r"(?:了|好)+$", "", before) + "资金"
    if len(stem) < 2 or adverbial or vm is not None and vm.group(0) == before:
        trail = _TRAIL.search(before)
        verb = re.sub(r"(?:了|好|的)+$", "", before if vm else (trail.group(0) if adverbial and trail else ""))
        verb = re.sub(r"^(?:已|共|累计|分别)+", "", verb)
        tail = re.sub(r"[“”《》]", "", text[q.end:q.end + 40])
        after = re.match(r"(?:的)?([^,。;:、,()\d]{1,24}?)(?=[,。;:、和及与\d(]|工作|任务|建设|$)", tail)
        noun = after.group(1) if after else ""
        stem = (verb + noun) if noun else (prev or stem)
    if q.kind == "change":
        base = stem if len(stem) >= 2 else (prev or "")
        if q.unit == "%" and not base.endswith("率"):
            return base + "增长率"
        if "个百分点" in q.unit:
            return base + "提高"
        if len(stem) < 2:
            return base + "增加额"
        return base
    if stem and q.unit.lstrip("万亿") in COUNT_UNITS and not re.search(r"(数|人次|数量|总数|规模|面积|率|比例)$", stem):
        return stem + "数"
    return stem


def _years(text: str) -> list[tuple[int, int]]:
    out = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text)]
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
            for q in qs:
                obs = self.observation(s, q, ms, progs, topic_program, prev_indicator)
                if obs is None:
                    continue
                if q.kind != "change":
                    prev_indicator = obs.indicator
                out.append(obs)
            if progs:
                topic_program = progs[-1].key
        return out

    def measures(self, q: Quantity) -> bool:
        """False for numbers that measure nothing: durations and counts of aspects written
        in words (五年, 三个方面), numbers inside titles and quoted names."""
        text = self.doc.text
        line_start = self.doc.line_start(q.start)
        if q.start == line_start and re.match(r"\d{1,2}\.(?:19|20)\d{2}年", text[q.start:q.end + 1]):
            return False  # "6.2021年…": a list number glued to a year
        if q.kind == "count_words" and q.unit.lstrip("万亿") in ("年", "个", "项", "方面", "点", "条", "部门"):
            return False
        # 15年免费教育: a duration naming a kind of thing
        if q.unit == "年" and re.match(r"[\u4e00-\u9fff]", text[q.end:q.end + 1]) and text[q.end:q.end + 1] not in "来内间后":
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
        # a list of quantities in one clause (27项、创新项目162项): start after the previous one
        cstart = max([cstart] + [e + (1 if text[e:e + 1] in "、和及" else 0) for e in self._ends if cstart <= e < q.start])
        # the places (and 全市/我市) heading the clause are the observation's place, not its indicator
        moved = True
        while moved:
            moved = False
            for m in ms:
                if m.type == "Place" and m.start == cstart and m.end < q.start:
                    cstart = m.end + (1 if text[m.end:m.end + 1] in "的、" else 0)
                    moved = True
        if q.unit in ("万", "亿") and re.search(r"资金|经费|投入|投资|拨款|资助|收入|支出|预算|补助|奖励|元", text[cstart:q.end + 4]):
            q = replace(q, unit=q.unit + "元")  # 落实项目资金1360万: money
        name = indicator_name(text, cstart, q, prev)
        name = name.strip(" ,、")
        if len(name) < 2:
            return None
        kind, sec_year = effective(doc.sections, s.section)
        year = self.year(s, q, cstart, sec_year)
        status = self.status(s, q, cstart, kind, year)
        place = self.place(s, q, cstart, ms)
        # the program the number belongs to: the nearest before it, else the sentence's, else the item's
        before = [m for m in progs if m.start < q.start]
        about = before[-1].key if before else progs[0].key if progs else topic
        return Observation(
            indicator=name, value=q.value, unit=q.unit, year=year, status=status, place=place,
            about=about, evidence=doc.evidence(s), qualifier=q.qualifier,
            change=q.kind == "change", base_year=q.base_year,
        )

    def year(self, s: Sentence, q: Quantity, cstart: int, sec_year: int | None) -> int | None:
        doc = self.doc
        masked = self._masked(s)  # years inside 《titles(2018—2020年)》 are not the number's
        clause_end = _clause_end(doc.text, q.end, s.end)
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
        if re.search(r"原来|原先|以往|过去", before[-12:]):
            return None
        # a future period (“十三五”目标) holds for the list of targets that follows it in the paragraph
        if self._periods is None:
            self._periods = _PeriodTargets(doc.text)
        para_start = doc.line_start(s.start)
        for period, end in PERIOD_END.items():
            if (doc.year is None or end > doc.year) and self._periods.named_between(period, para_start, q.start):
                return end
        if sec_year:
            return sec_year
        return doc.year

    def status(self, s: Sentence, q: Quantity, cstart: int, kind: str | None, year: int | None = None) -> str | None:
        doc = self.doc
        # program names (特岗计划, …行动计划) and titles say nothing about the status
        masked = self._masked(s)
        before = masked[: q.start - s.start]
        clause = masked[cstart - s.start: q.start - s.start]
        if ACHIEVED.search(clause):
            return "achieved"
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
        doc = self.doc
        places = [m for m in ms if m.type == "Place" and m.start < q.start and not _inside_other(m, ms)]
        if q.kind == "rank":  # 全省第二: the scope of a rank is not the ranked place
            places = [m for m in places if not (m.source == "home" and m.start >= cstart)]
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
        return doc.home_place


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


def _inside_other(m: Mention, ms: list[Mention]) -> bool:
    return any(o is not m and o.type != "Place" and o.start <= m.start and m.end <= o.end for o in ms)


def _clause_end(text: str, start: int, limit: int) -> int:
    m = re.compile(r"[,;:。!?]").search(text, start, limit)
    return m.start() if m else limit


def _shift(q: Quantity, offset: int) -> Quantity:
    return replace(q, start=q.start + offset, end=q.end + offset)


def build_observations(doc: Document) -> list[Observation]:
    return ObservationBuilder(doc).build()
