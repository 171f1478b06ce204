"""Numbers and quantities in (normalized, simplified) Chinese policy text.

Input text is expected NFKC-normalized: ASCII digits, ``%``, ``,``, ``:``.

:func:`parse_number` turns one numeral string into a :class:`~decimal.Decimal`:

>>> parse_number("一千三百六十万")
Decimal('13600000')
>>> parse_number("两千"), parse_number("十五"), parse_number("百分之九十")
(Decimal('2000'), Decimal('15'), Decimal('90'))
>>> parse_number("1.2万"), parse_number("5,900"), parse_number("XX")
(Decimal('12000'), Decimal('5900'), None)

:func:`find_quantities` finds quantity expressions (number + unit, with
qualifiers) and keeps the value *in the unit as written* (scale characters
万/亿 stay in the unit):

>>> [(str(q.value), q.unit, q.kind) for q in find_quantities("面积1.5万平方米,拨款29.74亿元")]
[('1.5', '万平方米', 'level'), ('29.74', '亿元', 'level')]
>>> q = find_quantities("比2010年提高了9个百分点")[0]
>>> (q.value, q.unit, q.kind, q.base_year)
(Decimal('9'), '个百分点', 'change', 2010)
>>> [(str(q.value), q.unit, q.qualifier) for q in find_quantities("约60多件次,超过12亿元,95%以上")]
[('60', '件次', 'approx'), ('12', '亿元', 'atLeast'), ('95', '%', 'atLeast')]
>>> [(q.value, q.unit, q.kind) for q in find_quantities("以全省第二名的好成绩,职普比4.5︰5.5")]
[(Decimal('2'), '名', 'rank'), (Decimal('4.5'), '︰5.5', 'ratio')]
>>> find_quantities("2015年是“十三五”的一流一线,新建XX所学校,8月20日")
[]

Kinds: ``level`` (a state), ``change`` (governed by 增加/提高/下降/…), ``rank``
(第二名, 位居全省第四), ``ratio`` (4.5:5.5; the unit is the separator plus the
second number), ``count_words`` (a count written in Chinese numerals: 三次,
两轮). Qualifiers: ``approx``, ``atLeast``, ``atMost`` or None.

Precision is preferred over recall for counts in Chinese numerals: a lone 一
(一所, 一批, 一名) is never a quantity, numerals inside set phrases (一流, 三严
三实, 十三五, 四个全面, anything opening a “quoted slogan”) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

__all__ = ["Quantity", "parse_number", "find_quantities", "load_units"]


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: Decimal
    unit: str
    kind: str
    qualifier: str | None
    base_year: int | None
    text: str


# --------------------------------------------------------------------------
# numerals

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGIT) + "".join(_CN_SMALL) + "".join(_CN_BIG)

_AR = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_AR_RE = re.compile(rf"^(?:{_AR})$")


def _parse_cn_int(s: str) -> int | None:
    """Chinese integer numeral.

    >>> _parse_cn_int("十"), _parse_cn_int("三十六"), _parse_cn_int("一百零五")
    (10, 36, 105)
    >>> _parse_cn_int("一亿二千万"), _parse_cn_int("二〇一五"), _parse_cn_int("万")
    (120000000, 2015, None)
    """
    if not s or any(c not in _CN_CHARS for c in s):
        return None
    if all(c in _CN_DIGIT for c in s):  # positional: 二〇一五
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                return None
            if c == "亿":
                total = (total + section) * _CN_BIG[c]
            else:
                total += section * _CN_BIG[c]
            section = 0
    return total + section + (digit or 0)


def _clean(d: Decimal) -> Decimal:
    """12000.0 -> 12000 (scaled values only; as-written values are kept)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def parse_number(s: str) -> Decimal | None:
    """Value of one numeral string (Arabic, Chinese or mixed), else None.

    >>> parse_number("三十六"), parse_number("3.9万"), parse_number("三点五")
    (Decimal('36'), Decimal('39000'), Decimal('3.5'))
    >>> parse_number("百"), parse_number("20XX"), parse_number("")
    (Decimal('100'), None, None)
    """
    s = s.strip()
    if s.startswith("百分之"):
        return parse_number(s[3:])
    scale = 1
    if s[-1:] in _CN_BIG and s[:-1] and s[-2] not in _CN_CHARS:
        scale, s = _CN_BIG[s[-1]], s[:-1]
    if _AR_RE.match(s):
        try:
            return _clean(Decimal(s.replace(",", "")) * scale)
        except InvalidOperation:  # pragma: no cover - regex guarantees digits
            return None
    if scale != 1:
        return None
    whole, _, frac = s.partition("点")
    n = _parse_cn_int(whole)
    if n is None:
        return None
    if not frac:
        return Decimal(n) if "点" not in s else None
    if any(c not in _CN_DIGIT for c in frac):
        return None
    return Decimal(f"{n}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")


# --------------------------------------------------------------------------
# units


@lru_cache(maxsize=1)
def load_units() -> tuple[str, ...]:
    """Units from kg/data/units.txt plus generated 万/亿 forms, longest first.

    >>> units = load_units()
    >>> "万平方米" in units and "亿元" in units and units.index("万人次") < units.index("人次")
    True
    """
    raw = (resources.files("kg") / "data" / "units.txt").read_text(encoding="utf-8")
    base = []
    for line in raw.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            base.append(line.split()[0])
    out = set(base)
    for u in base:
        if "\u4e00" <= u[0] <= "\u9fff":
            out.update({"万" + u, "亿" + u})
    return tuple(sorted(out, key=lambda u: (-len(u), u)))


# a unit followed by these characters is part of another word (家长, 支出 ...)
_BAD_AFTER = {
    "家": "长庭乡属", "支": "持出付撑援教部", "处": "理于分长置室", "名": "单称义列额誉",
    "元": "素旦首", "场": "所地馆景合", "节": "日约能点假奏", "门": "户类槛口诊",
    "台": "阶账", "间": "接隔", "个": "性案体", "起": "来草点步诉到", "批": "准评示复",
    "本": "科地级届", "年": "级代行规计攻制毛一", "轮": "车", "次": "数序要", "条": "件例", "种": "类子",
    "所": "长有", "部门": "", "班": "子级主", "位": "于置",
}


def _match_unit(text: str, i: int) -> str | None:
    """Longest unit starting at text[i] that is not the head of another word."""
    for u in load_units():
        if text.startswith(u, i):
            nxt = text[i + len(u): i + len(u) + 1]
            if nxt and nxt in _BAD_AFTER.get(u.lstrip("万亿") or u, ""):
                continue
            return u
    return None


# --------------------------------------------------------------------------
# context lexicons

_PRE_QUAL = [("将近", "approx"), ("接近", "approx"), ("大约", "approx"), ("约", "approx"),
             ("近", "approx"), ("不低于", "atLeast"), ("不少于", "atLeast"),
             ("超过", "atLeast"), ("至少", "atLeast"), ("逾", "atLeast"),
             ("不超过", "atMost"), ("不高于", "atMost"), ("不足", "atMost"),
             ("不到", "atMost"), ("低于", "atMost"), ("最多", "atMost")]
_POST_QUAL = [("以上", "atLeast"), ("以下", "atMost"), ("以内", "atMost"),
              ("左右", "approx"), ("上下", "approx"), ("余", "approx"), ("多", "approx")]

_CHANGE_RE = re.compile(r"(?:增加|增长|提高|提升|减少|下降|降低|递增|递减|增幅|降幅|翻番|翻了)了?")
# what may stand between a change verb and its number (not 到/至: 提高到100元 is a level)
_CHANGE_GAP_RE = re.compile(r"(?:了|分别|幅度|为|达|达到|约|近|将近|接近|大约|超过|逾|近|\s)*")
_BASE_YEAR_RE = re.compile(r"(?:比|较|与|同)((?:19|20)\d\d)年")
_CLAUSE_END = ",;:。;!?\n、"
_SENT_END = "。;!?\n"
_RANK_CUE = re.compile(r"(?:排名|排在|位居|位列|名列|居|列|全国|全省|全市|全区|全州)$")

# set phrases containing numerals; a numeral inside one is not a quantity
_NUMERAL_WORDS = (
    "一流 一线 一批 一些 一定 一般 一体 一次性 一把手 一方面 一起 一样 一切 一致 一直"
    " 一道 一带一路 三通两平台 三严三实 两学一做 四个全面 四个意识 四个自信 四个服务"
    " 两个维护 两个确立 两个责任 五大发展 五育并举 一师一优课 一课一名师 一校一品"
    " 一岗双责 一票否决 两免一补 三免一补 十二五 十三五 十四五 十一五 十五五 百年大计"
    " 千家万户 千方百计 万无一失 三好学生 一对一 两基 两个一百年 百分百 学前三年 九年一贯 八项规定 三轮车"
    " 三位一体 四位一体 五位一体 一站式 一条龙 一盘棋 三重一大 一校一策 一人一案 一生一策 一县一策 一网通办"
    " 百千万人才 百千万 百人计划 千人计划 万人计划 百人工程 千人工程 百校千师 千校万师"
).split()
_WORDS_RE = re.compile("|".join(sorted(map(re.escape, _NUMERAL_WORDS), key=len, reverse=True)))
_BAD_BEFORE_CN = set("第每统唯之同单专划逐合归不某初高周星这那哪其万千百十")

_TOKEN_RE = re.compile(
    rf"(?P<ph>(?<![A-Za-z])[0-9]*[Xx]+[0-9Xx]*(?![A-Za-z]))"
    rf"|(?P<pct>百分之[{_CN_CHARS}]+(?:点[{''.join(_CN_DIGIT)}]+)?)"
    rf"|(?P<ord>第\s*(?:\d+|[{_CN_CHARS}]+))"
    rf"|(?P<ar>(?<![A-Za-z\d.])(?:{_AR}))"
    rf"|(?P<cn>[{_CN_CHARS}]+(?:点[{''.join(_CN_DIGIT)}]+)?)"
)
_RATIO_RE = re.compile(rf"\s*(:|∶|︰|:|\.\.)\s*({_AR})")
_RANGE_RE = re.compile(rf"\s*[-~〜—–至到]\s*({_AR})")
_WS = re.compile(r"[ \t]*\n?[ \t]*")


# --------------------------------------------------------------------------
# helpers


def _skip_ws(text: str, k: int) -> int:
    """End of the blanks (at most one line break) at ``k``.

    ``_WS`` matches the empty string, so ``match`` never returns ``None``; the
    check only tells the type checker so.
    """
    m = _WS.match(text, k)
    return m.end() if m is not None else k


def _pre_qualifier(text: str, start: int) -> tuple[int, str | None]:
    """Qualifier word right before ``start`` (whitespace allowed).

    >>> _pre_qualifier("投入资金超过 12", 7)
    (4, 'atLeast')
    """
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    for word, q in sorted(_PRE_QUAL, key=lambda wq: -len(wq[0])):
        if text.endswith(word, 0, j):
            return j - len(word), q
    return start, None


def _post_qualifier(text: str, i: int) -> tuple[int, str | None]:
    for word, q in _POST_QUAL:
        if text.startswith(word, i):
            return i + len(word), q
    return i, None


def _clause_start(text: str, i: int, ends: str = _CLAUSE_END) -> int:
    j = i
    while j > 0 and text[j - 1] not in ends:
        j -= 1
    return j


def _is_change(text: str, start: int) -> bool:
    """A change trigger ends ≤ 6 chars before ``start`` in the same clause,
    with no 到/至/为 between (提高到100元 is a level).

    >>> _is_change("比2011年增加了8.16亿元", 9), _is_change("提高到每人每月100元", 7)
    (True, False)
    >>> _is_change("质量提升计划项目校4所", 11)
    False
    """
    lo = max(_clause_start(text, start), start - 10)
    window = text[lo:start]
    for m in _CHANGE_RE.finditer(window):
        gap = window[m.end():]
        if len(gap) <= 6 and _CHANGE_GAP_RE.fullmatch(gap):
            return True
    return False


def _base_year(text: str, start: int) -> int | None:
    """比/较/与 YEAR 年 earlier in the clause, else earlier in the sentence."""
    for lo in (_clause_start(text, start), _clause_start(text, start, _SENT_END)):
        found = list(_BASE_YEAR_RE.finditer(text, lo, start))
        if found:
            return int(found[-1].group(1))
    return None


def _in_numeral_word(text: str, s: int, e: int) -> bool:
    lo = max(0, s - 6)
    for m in _WORDS_RE.finditer(text, lo, min(len(text), e + 6)):
        if m.start() < e and m.end() > s:
            return True
    return False


def _valid_cn(tok: str) -> bool:
    """Chinese numeral tokens that read as one number (not 两三, 十三五, 千万, 一).

    >>> [_valid_cn(t) for t in ("十二", "一百零五", "两三", "十三五", "千", "一", "百")]
    [True, True, False, False, False, False, True]
    """
    whole = tok.split("点")[0]
    if whole in ("一", "二", "〇", "零") or whole[0] in "千万亿零〇":
        return False
    for a, b in zip(whole, whole[1:]):
        if a in _CN_DIGIT and b in _CN_DIGIT and a not in "零〇":
            return False
    return _parse_cn_int(whole) is not None


def _at(text: str, i: int, chars: str) -> bool:
    """text[i] exists and is one of ``chars``."""
    return i < len(text) and text[i] in chars


def _make(text: str, s: int, e: int, value: Decimal, unit: str, kind: str,
          qual: str | None, base: int | None = None) -> Quantity:
    return Quantity(s, e, value, unit, kind, qual, base, text[s:e])


# --------------------------------------------------------------------------
# the scanner


def _rank(text: str, m: re.Match[str]) -> Quantity | None:
    """第N名 / 全省第四 / 排名第3 → rank; other ordinals → None."""
    num = m.group("ord")[1:].strip()
    value = parse_number(num)
    if value is None:
        return None
    e = m.end()
    nxt = text[e:e + 1]
    if nxt == "名":
        return _make(text, m.start(), e + 1, value, "名", "rank", None)
    if _RANK_CUE.search(text[max(0, m.start() - 6):m.start()]) and (
            not nxt or not ("\u4e00" <= nxt <= "\u9fff") or nxt == "位"):
        return _make(text, m.start(), e, value, "名", "rank", None)
    return None


def _arabic(text: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    """Quantity starting with an Arabic number; returns (quantity, resume pos)."""
    s, num = m.start(), m.group("ar")
    value = Decimal(num.replace(",", ""))
    i = m.end()
    # line-start section numbers "1." / "(1)" are never followed by a unit
    r = _RATIO_RE.match(text, i)
    if r and not _looks_like_time(text, s, num, r):
        sep = "︰" if r.group(1) == ".." else r.group(1)  # NFKC turned ︰ into ..
        return _make(text, s, r.end(), value, sep + r.group(2), "ratio", None), r.end()
    if r and r.group(1) in ":∶:":
        end = r.end()
        while True:  # swallow a whole time / date-time like 09:31:00
            more = _RATIO_RE.match(text, end)
            if not more:
                break
            end = more.end()
        return None, end
    qual_range = None
    rg = _RANGE_RE.match(text, i)
    if rg and _match_unit(text, rg.end()) and not _match_unit(text, i):
        qual_range, i = "atLeast", rg.end()  # 2-3处 -> at least 2
    return _finish(text, s, i, value, num, arabic=True, range_qual=qual_range)


def _looks_like_time(text: str, s: int, num: str, r: re.Match[str]) -> bool:
    a, sep, b = num, r.group(1), r.group(2)
    if sep == ".." or "︰" in sep or "." in a or "." in b:
        return False
    if re.search(r"比[^,。;]{0,6}$", text[max(0, s - 8):s]):
        return False
    return len(b) == 2 and int(a) < 24 and int(b) < 60


def _finish(text: str, s: int, i: int, value: Decimal, num: str, *, arabic: bool,
            range_qual: str | None = None, scale: str = "") -> tuple[Quantity | None, int]:
    """Qualifiers, scale and unit after a number ending at ``i``."""
    ws = (lambda k: _skip_ws(text, k)) if arabic else (lambda k: k)
    j = ws(i)
    quals = [range_qual]
    mid = _post_qualifier(text, j) if _at(text, j, "余多") else (j, None)
    if mid[1]:
        quals.append(mid[1])
        j = ws(mid[0])
    if arabic and text[j:j + 1] in _CN_BIG:
        scale, j = text[j], j + 1
        if _at(text, j, "余多"):
            quals.append("approx")
            j += 1
        j = ws(j)
    unit = _match_unit(text, j)
    if unit is None and arabic and ("." not in num or scale) and not re.fullmatch(r"(?:19|20)\d\d", num) and \
            re.match(r"(?:学生|教师|师生|幼儿|儿童|老师|学员|考生)(?!会|处|科|证|卡|号|版|用品|宿舍|公寓|食堂|餐厅)", text[j:j + 6]):
        unit, end = scale + "人", j  # 可容纳2800学生住宿: people counted without a measure word
    elif unit is None:
        if not (scale and arabic):
            return None, i
        unit, end = scale, j
    else:
        unit, end = scale + unit, j + len(unit)
    if unit.endswith("年") and not scale and arabic and re.fullmatch(r"(?:19|20)\d\d", num):
        return None, end  # a calendar year
    end, post = _post_qualifier(text, end)
    quals.append(post)
    ps, pre = _pre_qualifier(text, s)
    if pre == "approx" and text[ps:s].strip() == "近" and not arabic and unit == "年":
        ps, pre = s, None  # 近三年 = "the last three years"
    quals.insert(0, pre)
    qual = _pick_qualifier(quals)
    if unit == "%" or unit.endswith("百分点") or arabic:
        kind = "level"
    else:
        kind = "count_words"
    base = None
    if _is_change(text, ps):
        kind, base = "change", _base_year(text, ps)
    return _make(text, ps, end, value, unit, kind, qual, base), end


def _pick_qualifier(quals: list[str | None]) -> str | None:
    """Bounds (atLeast/atMost) beat approx.

    >>> _pick_qualifier([None, "approx", "atLeast"])
    'atLeast'
    """
    found = [q for q in quals if q]
    for q in found:
        if q != "approx":
            return q
    return found[0] if found else None


def _chinese(text: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    tok, s = m.group("cn"), m.start()
    if not _valid_cn(tok):
        return None, m.end()
    prev = text[s - 1:s]
    if prev and (prev in _BAD_BEFORE_CN or prev == "“" or prev in "几数若" and tok.lstrip("十百千万") == ""):
        return None, m.end()
    scale = ""
    if tok[-1] in _CN_BIG and len(tok) > 1 and "点" not in tok:
        scale, tok = tok[-1], tok[:-1]
    value = parse_number(tok)
    if value is None:
        return None, m.end()
    q, end = _finish(text, s, m.end(), value, tok, arabic=False, scale=scale)
    if q is None and scale:
        return None, m.end()
    if q is not None and _in_numeral_word(text, s, m.end()):
        return None, end
    return q, end


def _percent_words(text: str, m: re.Match[str]) -> tuple[Quantity | None, int]:
    value = parse_number(m.group("pct"))
    if value is None:
        return None, m.end()
    s, e = m.start(), m.end()
    e, post = _post_qualifier(text, e)
    ps, pre = _pre_qualifier(text, s)
    kind, base = ("change", _base_year(text, ps)) if _is_change(text, ps) else ("level", None)
    return _make(text, ps, e, value, "%", kind, _pick_qualifier([pre, post]), base), e


def _chain_change(text: str, prev: Quantity, q: Quantity) -> Quantity:
    """增长14.55%和20.61%: the second inherits the change of the first.

    >>> [q.kind for q in find_quantities("分别比上年增长14.55%和20.61%")]
    ['change', 'change']
    """
    if prev.kind == "change" and q.kind != "change" and text[prev.end:q.start] in ("和", "与", "及", "、", ",和"):
        return replace(q, kind="change", base_year=prev.base_year)
    return q


def find_quantities(text: str) -> list[Quantity]:
    """All quantity expressions in ``text``, sorted by start, non-overlapping.

    >>> [(q.text, str(q.value), q.unit) for q in find_quantities("共约2.5万名学生,资金1360万。")]
    [('约2.5万名', '2.5', '万名'), ('1360万', '1360', '万')]
    """
    out: list[Quantity] = []
    pos = 0
    while True:
        m = _TOKEN_RE.search(text, pos)
        if m is None:
            return out
        q: Quantity | None = None
        if m.group("ph") is not None:  # placeholder: skip it with its unit
            nxt = _skip_ws(text, m.end())
            nxt += 1 if text[nxt:nxt + 1] in _CN_BIG else 0
            unit = _match_unit(text, nxt)
            end = nxt + len(unit) if unit else m.end()
        elif m.group("pct") is not None:
            q, end = _percent_words(text, m)
        elif m.group("ord") is not None:
            q = _rank(text, m)
            end = q.end if q else m.end()
        elif m.group("ar") is not None:
            q, end = _arabic(text, m)
        else:
            q, end = _chinese(text, m)
        if q is not None and (not out or q.start >= out[-1].end):
            out.append(_chain_change(text, out[-1], q) if out else q)
        pos = max(end, m.end(), pos + 1)
