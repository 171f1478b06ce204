"""Section tree and sentences.

Headings follow the Chinese official-document styles::

    一、           level 1
    (一) / （一）   level 2
    1. / 1、       level 3
    一是 / 二是    level 4 (inline item markers)

Each section knows whether it reviews past work (``review``) or plans future
work (``plan``) and which year it speaks of, when its heading says so;
sections without a kind of their own inherit their parent's.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .model import Document, Section, Sentence

CN_NUM = "一二三四五六七八九十"

_HEADINGS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^[{CN_NUM}]{{1,3}}、")),
    (2, re.compile(rf"^[(（][{CN_NUM}]{{1,3}}[)）]")),
    (3, re.compile(r"^\d{1,2}(?:[、.．](?!\d)|\s)")),
    (4, re.compile(rf"^(?:[{CN_NUM}]{{1,2}}是|第[{CN_NUM}]{{1,3}}[,，、])")),
]
# A dash-led line (——过去的五年…) heads a paragraph group at level 3.
_DASH = re.compile(r"^——")

REVIEW_WORDS = ("回顾", "总结", "成绩", "成效", "完成情况", "开展情况", "工作情况", "主要工作", "主要做法", "进展", "上半年", "过去", "取得")
PLAN_WORDS = (
    "安排", "部署", "重点工作", "任务", "展望", "计划", "要点", "目标", "思路", "打算",
    "下半年", "举措", "措施", "续航",
)
REVIEW_DOC_WORDS = ("总结", "回顾", "工作报告", "成绩")
PLAN_DOC_WORDS = ("工作要点", "工作计划", "工作安排", "工作思路", "实施方案", "行动计划", "工作任务", "任务清单", "的通知")

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)年")
_SENT_END = re.compile(r"[。!?!?]+[”’」』)]?|\n+")

#: maximum heading length: longer lines are paragraphs that start with a marker
MAX_HEADING = 40


def heading_level(line: str) -> int | None:
    for level, pat in _HEADINGS:
        if pat.match(line):
            return level
    if _DASH.match(line):
        return 3
    return None


def _kind(title: str) -> str | None:
    review = any(w in title for w in REVIEW_WORDS)
    plan = any(w in title for w in PLAN_WORDS)
    if "回顾" in title or "总结" in title:
        return "review"
    if review and not plan:
        return "review"
    if plan and not review:
        return "plan"
    return None


def _title_of(line: str) -> str:
    """A heading line may continue with the paragraph: the title ends at 。"""
    m = re.search(r"[。!?;]", line)
    return line[: m.start()] if m and m.start() <= MAX_HEADING else line[:MAX_HEADING]


def document_kind(title: str, text: str) -> str | None:
    """``plan`` for work plans, notices and task lists, ``review`` for summaries: the title
    decides first, then the opening text (titles quoted in 《》 there do not count)."""
    for head in (title, re.sub(r"《[^》]*》", "", text[:300])):
        plans = any(w in head for w in PLAN_DOC_WORDS)
        if plans and any(w in head for w in REVIEW_DOC_WORDS):
            return None  # 2020年工作总结及2021年工作计划: its sections say which is which
        # a speech that 回顾总结 last year and 安排部署 this year is neither
        if any(w in head for w in REVIEW_DOC_WORDS) and not plans and not re.search(r"安排|部署", head):
            return "review"
        if plans:
            return "plan"
    return None


def segment(doc: Document) -> Document:
    """Fill ``doc.sections`` and ``doc.sentences`` from ``doc.text``."""
    text = doc.text
    root = Section(0, doc.title, 0, 0, len(text), None, document_kind(doc.title, text), None)
    sections = [root]
    stack = [root]
    pos = 0
    # Lines that are headings; inline 一是 markers inside a paragraph are also items.
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        lstart = start + (len(line) - len(line.lstrip()))
        level = heading_level(stripped)
        if level is None:
            continue
        title = _title_of(stripped)
        while stack[-1].level >= level:
            stack[-1].end = lstart
            stack.pop()
        parent = stack[-1]
        # a heading's year is its section's time, never a birth or founding year (1989年1月1日以后出生)
        years = [int(y) for y in _YEAR.findall(FOUNDING_YEAR.sub(" ", title))]
        kind = _kind(title)
        if kind is None and years and doc.year and root.kind is None and not any(w in doc.title for w in REVIEW_DOC_WORDS):
            # 全力抓好2021年教育工作 in a 2021 speech plans; 2020年… in it reviews
            kind = "plan" if years[-1] >= doc.year else "review"
        sec = Section(len(sections), title, level, lstart, len(text), parent.index, kind, years[-1] if years else None)
        sections.append(sec)
        stack.append(sec)
    for sec in stack:
        sec.end = len(text)
    doc.sections = sections
    doc.sentences = split_sentences(text, sections)
    return doc


def section_at(sections: list[Section], offset: int, starts: list[int] | None = None) -> int:
    """Index of the innermost section containing ``offset``.

    Sections are in document order and nest, so the innermost one holding
    ``offset`` is the last section starting at or before it, or one of that
    section's ancestors: a binary search and a walk up at most five levels.
    ``starts`` (the sections' start offsets) may be passed to save building it.
    """
    if starts is None:
        starts = [sec.start for sec in sections]
    i: int | None = bisect_right(starts, offset) - 1
    while i is not None and i >= 0:
        sec = sections[i]
        if sec.start <= offset < sec.end:
            return sec.index
        i = sec.parent
    return 0


#: longest sentence: a run of text without an end mark is cut at a clause mark before this length
#: (real sentences stay far below it; the extractors read sentence by sentence, so an endless
#: one would cost time quadratic in its length)
MAX_SENTENCE = 1000
_CLAUSE_MARK = re.compile(r"[,;:、,;: ]")


def split_sentences(text: str, sections: list[Section]) -> list[Sentence]:
    out: list[Sentence] = []
    starts = [sec.start for sec in sections]
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        _add_bounded(text, start, end, sections, starts, out)
        start = m.end()
    _add_bounded(text, start, len(text), sections, starts, out)
    return out


def _add_bounded(text: str, start: int, end: int, sections: list[Section], starts: list[int],
                 out: list[Sentence]) -> None:
    """:func:`_add`, in pieces of at most :data:`MAX_SENTENCE` cut after a clause mark where there is one."""
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = None
        for m in _CLAUSE_MARK.finditer(text, start + MAX_SENTENCE // 2, limit):
            cut = m.end()
        cut = cut or limit
        _add(text, start, cut, sections, starts, out)
        start = cut
    _add(text, start, end, sections, starts, out)


def _add(text: str, start: int, end: int, sections: list[Section], starts: list[int], out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return
    out.append(Sentence(len(out), start, end, text[start:end], section_at(sections, start, starts)))


#: a founding, history or birth year (始建于1958年, 1958年建校, 1989年1月1日以后出生): never the year
#: of today's figures, of a section or of a document
FOUNDING_YEAR = re.compile(
    r"(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:及)?(?:以后|以前|之后|之前|后|前)?出生"
    r"|(?:始建于|创建于|创办于|建于|成立于|始创于|创立于|兴办于|建校于|前身[^,。;]{0,20}?)(?:19|20)\d{2}年"
    r"|(?:19|20)\d{2}年(?:\d{1,2}月)?(?:建校|创办|创建|始建|成立|建立|开办|更名|升格|合并)"
)


def effective(sections: list[Section], index: int) -> tuple[str | None, int | None]:
    """(kind, year) of a section, inherited from its ancestors where it says nothing."""
    kind = year = None
    i: int | None = index
    while i is not None and (kind is None or year is None):
        sec = sections[i]
        kind = kind or sec.kind
        year = year or sec.year
        i = sec.parent
    return kind, year


_PROFILE_OPENING = re.compile(
    r"(?:我校|本校|学校|[\u4e00-\u9fff]{2,14}(?:中学|小学|学校|幼儿园|学院|大学|[一二三四五六七八九十]中|[一二三四五六七八九十]小))"
    r"(?:于|始建于|创建于|创办于|建于|位于|坐落于|地处)"
)


def looks_like_profile(text: str) -> bool:
    """A profile of a school or body (学校简介, 学校概况; or a text that opens with where the school
    lies or when it was founded): it describes what lasts more than what a year brought."""
    head = text[:200]
    first = head.split("\n", 1)[0]
    if re.search(r"简介|概况|概览|校情|学校介绍|走进", first[:40]):
        return True
    if re.search(r"(?:^|\n)(?:学校)?(?:概况|简介|校情|学校介绍)\n", head):  # a 概况 heading over the text
        return True
    return _PROFILE_OPENING.search(head) is not None and not re.search(r"工作(?:总结|要点|计划|报告)|讲话", first)
