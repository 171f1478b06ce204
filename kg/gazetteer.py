"""Gazetteer: Chinese administrative divisions and named regions, found in text.

Data (``kg/data``):

* ``divisions.tsv`` — ``adcode<TAB>name<TAB>level<TAB>parent`` with 6-digit
  GB/T 2260-style adcodes, level ``province|city|county`` and ``-`` as the
  parent of a province (provenance in ``DIVISIONS_SOURCE.md``);
* ``regions.tsv`` — ``name<TAB>aliases<TAB>members``: named regions that are
  not divisions (京津冀, 长三角 …), members are province adcodes.

Every division also gets *short names* (兴城市 → 兴城, 广西壮族自治区 → 广西,
延边朝鲜族自治州 → 延边) computed by :func:`short_names`.

:meth:`Gazetteer.find` is built for precision in running text. Full names
(≥ 3 chars) match anywhere, longest first. Two-character forms are ambiguous
(建设, 和平, 朝阳, 中山 …), so they are accepted only as follows:

* a province or prefecture-level city short name (辽宁, 上海, 葫芦岛 …) is
  accepted unless it is in :data:`EXTRA_COMMON` (朝阳, 中山, 来宾, 长治 …), the
  characters around it split it into two jieba words (幸福|建设 ≠ 福建,
  长江|西岸 ≠ 江西, 黄河|南岸 ≠ 河南) or it is followed by 大学/学院/路/街/… (北京大学, 南京路);
* a county short name (兴城, 建昌) or a two-character full name (义县) needs
  evidence: one of its candidates lies under a ``context`` adcode passed by
  the caller, it directly follows a matched ancestor (葫芦岛市兴城, 北京朝阳),
  it is followed by 县/市/区/旗/地区/一带, or it is listed (、/和/及/与) next to
  another place of the same province (兴城、建昌);
* a county short name that is a *common word* (建设-like: 和平, 新华, 红旗,
  东方, 合作 …) is accepted only after a matched ancestor, or with a
  ``context`` under which a province/city of that name lies (朝阳 in 辽宁 →
  朝阳市); context alone does not rescue 和平 in a 天津 text;
* generic district names (城区, 郊区, 矿区, 新城区, 老城区, 市中区, 城东区 …,
  see :func:`_generic_district` and :data:`GENERIC_NAMES`) and their short
  forms need a directly preceding ancestor or their own city in ``context``.

*Common words* are computed from jieba's own ``dict.txt`` (read directly from
the installed package; the global tokenizer is not used): a two-character
county short name that jieba lists with frequency ≥ :data:`COMMON_FREQ` and a
part of speech that is not a proper-noun tag (ns, nr, nrt, nrfg, nz, j) —
和平 nz is kept, 光明 n, 前进 v, 合作 vn, 东方 s are common — plus the
hand-made :data:`EXTRA_COMMON` (words jieba tags ``ns``, e.g. 朝阳, 长安,
新城, 城关, 永安). jieba's tags are not used for province/city short names
because it mis-tags many city names (合肥 n, 大连 d, 开封 v, 烟台 n); those
rely on :data:`EXTRA_COMMON` only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator

from .errors import LexiconError
from .lexicon import data_path, load_table

LEVELS = ("province", "city", "county")
_RANK = {"province": 0, "city": 1, "county": 2}

#: Minority nationalities (without 族), as they occur inside names of autonomous areas.
ETHNIC_GROUPS = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山"
).split()
_ETHNIC_SORTED = sorted(ETHNIC_GROUPS, key=len, reverse=True)

#: Name suffixes stripped to form a short name, longest first.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "地区", "林区", "省", "市", "盟", "县", "区", "旗")

#: jieba frequency from which a non-``ns`` word counts as a common word.
COMMON_FREQ = 100
#: jieba part-of-speech tags of proper nouns (place, person, other names, abbreviations).
_PROPER_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "j"})
#: jieba frequency from which a word straddling the left edge of a match vetoes it.
CROSS_FREQ = 50
#: Short names jieba tags ``ns`` but that are mostly common words, street,
#: company or school names in running text.
EXTRA_COMMON = frozenset(
    "朝阳 长安 中山 新城 城关 永安 向阳 新华 胜利 光明 东风 红旗 前进 和平 解放 人民 "
    "文化 建设 开发 新兴 兴安 太平 青山 白云 南山 北山 东山 西山 江南 江北 河东 河西 "
    "城东 城西 城南 城北 城中 市中 新市 金山 宝山 东区 西区 南区 北区 中区 普陀 鼓楼 "
    "西湖 海城 长城 泰山 华山 衡山 高新 通化 安定 永和 大同 宁安 江都 来宾 长治 阿里 安康 "
    "玉树 东方 南部 资源 合作 比如 前进 将军 公安 港口 通道 石首 新建 新区 城中 都安 开阳".split()
)
#: Full names (≥ 3 chars) that are mostly common words: need context like 城区, 新城区.
GENERIC_NAMES = frozenset({"解放区", "新市区", "开发区", "会同县"})  # 要会同县发改局…
#: What after a short name shows it is part of a word or proper name (北京大学, 南京路).
_WORD_AFTER = ("大学", "学院", "大道", "大街", "路", "街", "公园", "站", "号", "机场")
#: What may follow a county short name to show it is a place (兴城一带, 兴城县).
_PLACE_AFTER = ("地区", "一带", "县", "市", "区", "旗")
#: Separators of a listing of places.
_COUNTY_NAME_AFTER = ("教育", "人民", "县委", "政府", "全县", "第", "委", "的", "一中", "二中", "实验", "职教", "城关")
_LIST_SEPS = ("、", "和", "及", "与", "以及", "或")


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str  # province | city | county
    parent: str | None
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class Region:
    """A named region that is not a division (京津冀); members are province adcodes."""

    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMatch:
    """A place mention ``text[start:end]``: a division (``candidates``) or a region."""

    start: int
    end: int
    surface: str
    candidates: tuple[Division, ...]
    region: Region | None = None


def _strip_ethnic(stem: str) -> str:
    """Remove trailing nationality names: 宁夏回族 → 宁夏, 巴音郭楞蒙古 → 巴音郭楞."""
    changed = True
    while changed:
        changed = False
        for eth in _ETHNIC_SORTED:
            for form in (eth + "族", eth if len(eth) >= 2 else None):
                if form and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return stem


def short_names(name: str) -> tuple[str, ...]:
    """Short forms of a full division name (≥ 2 chars, different from the name).

    兴城市 → 兴城, 内蒙古自治区 → 内蒙古, 延边朝鲜族自治州 → 延边,
    喀喇沁左翼蒙古族自治县 → 喀喇沁左翼, 神农架林区 → 神农架, 城区 → ().
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_ethnic(stem)
                if stem.endswith("族") and len(stem) >= 3:  # 鄂温克族自治旗 → 鄂温克
                    stem = stem[:-1]
            if len(stem) >= 2 and stem != name:
                return (stem,)
            return ()
    return ()


_TWO_CHAR_ENTRY = re.compile(r"^([^\s#]{2}) (\d+) ?(\S*)$", re.M)


@lru_cache(maxsize=1)
def _jieba_words() -> dict[str, tuple[int, str]]:
    """Two-character words of jieba's ``dict.txt`` → (frequency, POS)."""
    try:
        path = resources.files("jieba") / "dict.txt"
        raw = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - jieba is a dependency
        return {}
    return {w: (int(f), pos) for w, f, pos in _TWO_CHAR_ENTRY.findall(raw)}


def is_common_word(word: str) -> bool:
    """True for a 2-char short name that is mostly a common word in running text."""
    if word in EXTRA_COMMON:
        return True
    freq, pos = _jieba_words().get(word, (0, ""))
    return freq >= COMMON_FREQ and pos not in _PROPER_POS


def _ends_in_common_word(name: str, right: str) -> bool:
    """The name's last character and the next one make a very common word (惠水|平 → 水平)."""
    return bool(right) and _jieba_words().get(name[-1] + right, (0, ""))[0] >= 5000


def _crosses_word(left: str, name: str, right: str) -> bool:
    """``left+name[0]`` and ``name[1]+right`` are both words: 幸福|建设, 长江|西岸, 黄河|南岸."""
    words = _jieba_words()
    return (
        words.get(left + name[0], (0, ""))[0] >= CROSS_FREQ
        and words.get(name[-1] + right, (0, ""))[0] >= CROSS_FREQ
    )


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class Gazetteer:
    """All divisions and regions, with lookup, hierarchy, mention finding and resolution."""

    def __init__(self, divisions: Iterable[Division], regions: Iterable[Region] = ()) -> None:
        self._by_code: dict[str, Division] = {}
        self._by_name: dict[str, list[Division]] = defaultdict(list)
        self._full: set[str] = set()
        for d in divisions:
            self._by_code[d.adcode] = d
        for d in sorted(self._by_code.values(), key=lambda d: (_RANK[d.level], d.adcode)):
            self._by_name[d.name].append(d)
            self._full.add(d.name)
        for d in sorted(self._by_code.values(), key=lambda d: (_RANK[d.level], d.adcode)):
            for s in d.short:
                if d not in self._by_name[s]:
                    self._by_name[s].append(d)
        self._regions: dict[str, Region] = {}
        for r in regions:
            for n in (r.name, *r.aliases):
                self._regions[n] = r
        # names by first character → lengths present, for longest-match scanning
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for n in list(self._by_name) + list(self._regions):
            if len(n) >= 2 and len(n) not in self._lengths[n[0]]:
                self._lengths[n[0]].append(len(n))
        for lens in self._lengths.values():
            lens.sort(reverse=True)
        self._anc_cache: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls) -> "Gazetteer":
        """The gazetteer of ``kg/data/divisions.tsv`` and ``regions.tsv`` (cached)."""
        return _load_default()

    @classmethod
    def from_tables(
        cls, div_rows: Iterable[tuple[str, ...]], region_rows: Iterable[tuple[str, ...]] = (), *, source: str = "divisions.tsv"
    ) -> "Gazetteer":
        divisions = []
        path = data_path(source)
        for i, row in enumerate(div_rows, 1):
            code, name, level, parent = row[:4]
            if not (len(code) == 6 and code.isdigit()):
                raise LexiconError(path, i, f"bad adcode {code!r}")
            if level not in _RANK:
                raise LexiconError(path, i, f"bad level {level!r}")
            divisions.append(Division(code, name, level, None if parent in ("", "-") else parent, short_names(name)))
        regions = []
        for row in region_rows:
            name, aliases, members = row[:3]
            regions.append(
                Region(
                    name,
                    tuple(a for a in aliases.split("|") if a and a != "-"),
                    tuple(m for m in members.split("|") if m and m != "-"),
                )
            )
        return cls(divisions, regions)

    # ------------------------------------------------------------------ lookup
    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def get(self, adcode: str) -> Division | None:
        return self._by_code.get(adcode)

    def by_name(self, name: str) -> tuple[Division, ...]:
        """Every division whose full or short name is ``name`` (full-name matches first)."""
        found = self._by_name.get(name, ())
        return tuple(sorted(found, key=lambda d: (d.name != name, _RANK[d.level], d.adcode)))

    def ancestors(self, adcode: str) -> list[Division]:
        """Parent, grandparent … up to the province (empty for a province)."""
        out: list[Division] = []
        d = self._by_code.get(adcode)
        while d is not None and d.parent:
            d = self._by_code.get(d.parent)
            if d is None:
                break
            out.append(d)
        return out

    def _lineage(self, adcode: str) -> frozenset[str]:
        """The adcode and those of its ancestors."""
        got = self._anc_cache.get(adcode)
        if got is None:
            got = frozenset([adcode, *(a.adcode for a in self.ancestors(adcode))])
            self._anc_cache[adcode] = got
        return got

    def province_of(self, adcode: str) -> str | None:
        d = self._by_code.get(adcode)
        if d is None:
            return None
        chain = [d, *self.ancestors(adcode)]
        return chain[-1].adcode

    def region(self, name: str) -> Region | None:
        return self._regions.get(name)

    @property
    def regions(self) -> tuple[Region, ...]:
        return tuple(dict.fromkeys(self._regions.values()))

    # ------------------------------------------------------------------ finding
    def _in_context(self, cands: Iterable[Division], context: frozenset[str]) -> bool:
        return bool(context) and any(self._lineage(d.adcode) & context for d in cands)

    def find(self, text: str, context: Iterable[str] = ()) -> list[PlaceMatch]:
        """Every place mention in ``text``: longest match, non-overlapping, sorted by start.

        ``context`` holds adcodes (a province, a city) the text is about; county
        short names (兴城) and common-word short names (朝阳) are accepted only
        with such evidence (see the module docstring).
        """
        ctx = frozenset(context)
        n = len(text)
        # pass 1: candidates; status "ok" or "pending" (needs a listing neighbour)
        found: list[list] = []  # [start, end, surface, cands, region, status]
        i = 0
        last_ok: tuple[int, tuple[Division, ...]] | None = None  # (end, cands) of the previous accepted match
        while i < n:
            lens = self._lengths.get(text[i])
            hit: tuple[int, str, tuple[Division, ...], Region | None, str] | None = None
            if lens:
                for L in lens:
                    if i + L > n:
                        continue
                    s = text[i : i + L]
                    reg = self._regions.get(s)
                    if reg is not None:
                        hit = (L, s, (), reg, "ok")
                        break
                    cands = self._by_name.get(s)
                    if not cands:
                        continue
                    status = self._judge(text, i, s, tuple(cands), ctx, last_ok)
                    if status is not None:
                        hit = (L, s, self._ordered(s, ctx, last_ok if last_ok and last_ok[0] == i else None), None, status)
                        break
                    if all(_generic_district(d.name) or d.name in GENERIC_NAMES for d in cands):
                        break  # 市南区 rejected: do not fall back to 市南
            if hit is None:
                i += 1
                continue
            L, s, hit_cands, reg, status = hit
            found.append([i, i + L, s, hit_cands, reg, status])
            if status == "ok":
                last_ok = (i + L, hit_cands)
                i += L
            else:
                i += 1  # a pending match does not hide what starts inside it (从江苏 ≠ 从江)

        # pass 2: a pending county short name listed (、和及与) next to a place of
        # the same province is accepted; pending names never override "ok" ones
        def provinces(m: list) -> set[str | None]:
            if m[4] is not None:
                return set(m[4].members)
            return {self.province_of(d.adcode) for d in m[3]}

        ok_spans = [(m[0], m[1]) for m in found if m[5] == "ok"]
        # accepted matches never overlap: their starts and their ends both ascend
        ok_starts = [s for s, _ in ok_spans]

        def overlaps_ok(m: list) -> bool:
            j = bisect_left(ok_starts, m[1]) - 1  # the last accepted match starting before m ends
            return j >= 0 and ok_spans[j][1] > m[0]

        pend = [m for m in found if m[5] == "pending" and not overlaps_ok(m)]
        live = [m for m in found if m[5] == "ok"] + pend
        by_end: dict[int, list[list]] = defaultdict(list)
        by_start: dict[int, list[list]] = defaultdict(list)
        for m in live:
            by_end[m[1]].append(m)
            by_start[m[0]].append(m)
        changed = True
        while changed:
            changed = False
            for m in pend:
                if m[5] != "pending":
                    continue
                neigh = []
                for sep in _LIST_SEPS:
                    if text.startswith(sep, m[0] - len(sep)):
                        neigh += by_end.get(m[0] - len(sep), [])
                    if text.startswith(sep, m[1]):
                        neigh += by_start.get(m[1] + len(sep), [])
                if any(o is not m and provinces(o) & provinces(m) for o in neigh):
                    m[5] = "listed"
                    changed = True
        out = [m for m in found if m[5] == "ok"]
        last_end = -1  # end of the last listed match taken (pending ones overlap no accepted one)
        for m in sorted((m for m in pend if m[5] == "listed"), key=lambda m: m[0]):
            if not overlaps_ok(m) and not (last_end > m[0]):
                out.append(m)
                last_end = m[1]
        out.sort(key=lambda m: m[0])
        return [PlaceMatch(m[0], m[1], m[2], m[3], m[4]) for m in out]

    def _judge(
        self,
        text: str,
        i: int,
        s: str,
        cands: tuple[Division, ...],
        ctx: frozenset[str],
        last_ok: tuple[int, tuple[Division, ...]] | None,
    ) -> str | None:
        """Accept ("ok"), keep for the listing rule ("pending") or reject (None) ``s`` at ``i``."""
        end = i + len(s)
        after = text[end : end + 2]
        is_full = s in self._full
        # Taiwan's county-level and short names only with a Taiwan context (they collide with
        # common words: 加大社区); its full city names (台北市, 高雄市) stand on their own
        if all(d.adcode.startswith("71") and d.level != "province" for d in cands) and not self._in_context(cands, ctx) \
                and not (is_full and any(d.level == "city" for d in cands) and len(s) >= 3):
            return None
        generic = all(_generic_district(d.name) or d.name in GENERIC_NAMES for d in cands)
        if is_full and len(s) >= 3 and not generic:
            # 海城市场, 江南区域: the name ends inside a word
            if (s.endswith("市") and after[:1] == "场") or (s.endswith("区") and after[:1] in ("域", "块")):
                return None
            # 加大社区: a short county name whose first character ends the word before it
            words = _jieba_words()
            if len(s) == 3 and i > 0 and text[i - 1] + s[0] in words and s[1:] in words:
                return None
            return "ok"
        if len(s) >= 3 and not generic:  # a long short name: 葫芦岛, 内蒙古, 喀喇沁左翼
            if text[end : end + 1] in _WORD_AFTER or after in _WORD_AFTER:
                return None
            return "ok"
        # generic full names (城区, 新城区), 2-char short names and 2-char full names (义县)
        if text[end : end + 1] in _WORD_AFTER or after in _WORD_AFTER:
            return None
        if self._follows_ancestor(i, cands, last_ok):
            return "ok"
        high = any(d.level != "county" for d in cands)
        common = s in EXTRA_COMMON if high else is_common_word(s)
        # 普惠水平 ≠ 惠水: a short name split across two words is no place, whatever the context
        if not is_full and len(s) == 2 and i > 0 and _is_han(text[i - 1]) and (
            _crosses_word(text[i - 1], s, text[end:end + 1]) or _ends_in_common_word(s, text[end:end + 1])
        ):
            return None
        if ctx:
            if generic:
                if any(d.parent in ctx or d.adcode in ctx for d in cands):
                    return "ok"
                return None
            in_ctx = [d for d in cands if self._lineage(d.adcode) & ctx]
            if in_ctx and (not common or any(d.level != "county" for d in in_ctx)):
                return "ok"
        # a 2-char county name (滑县, 义县) standing as a name: before a digit or a body/meeting word
        if is_full and not generic and len(s) == 2 and s[-1] in "县旗" and (
            not _is_han(text[end:end + 1]) or text[end:].startswith(_COUNTY_NAME_AFTER)
        ) and (i == 0 or not _is_han(text[i - 1]) or text[i - 1] in "在了和与及、是为对"
               or not _crosses_word(text[i - 1], s, text[end:end + 1])):  # 莅临范县第一中学
            return "ok"
        if generic or common or is_full:
            return None
        if i > 0 and _is_han(text[i - 1]) and _crosses_word(text[i - 1], s, text[end : end + 1]):
            return None
        if high:
            return "ok"
        if text[end:].startswith(_PLACE_AFTER):
            return "ok"
        return "pending"

    def _ordered(
        self, s: str, ctx: frozenset[str], prev: tuple[int, tuple[Division, ...]] | None
    ) -> tuple[Division, ...]:
        """Candidates of ``s``, those under the context or the preceding place first."""
        cands = self.by_name(s)
        anchors = set(ctx) | ({d.adcode for d in prev[1]} if prev else set())
        if len(cands) < 2 or not anchors:
            return cands
        return tuple(sorted(cands, key=lambda d: not (self._lineage(d.adcode) & anchors)))

    def _follows_ancestor(
        self, i: int, cands: tuple[Division, ...], last_ok: tuple[int, tuple[Division, ...]] | None
    ) -> bool:
        """``s`` directly follows a matched ancestor (葫芦岛市兴城, 北京朝阳)."""
        if last_ok is None or last_ok[0] != i or not last_ok[1]:
            return False
        prev = {d.adcode for d in last_ok[1]}
        return any(self._lineage(d.adcode) & prev and d.adcode not in prev for d in cands)

    # ------------------------------------------------------------------ resolving
    def resolve(
        self,
        surface: str,
        *,
        province: str | None = None,
        city: str | None = None,
        near: Iterable[str] = (),
    ) -> Division | None:
        """The division ``surface`` names, or ``None`` if it stays ambiguous.

        Preference: candidates under ``city``, then under ``province``, then
        those related to ``near`` adcodes (same parent, then same province),
        then the highest level; a still ambiguous county-level name gives ``None``.
        """
        cands = list(self.by_name(surface))
        if not cands:
            return None
        full = [d for d in cands if d.name == surface]
        if full and len(full) < len(cands) and len(surface) >= 3:
            cands = full
        for anchor in (city, province):
            if anchor:
                under = [d for d in cands if anchor in self._lineage(d.adcode)]
                if under:
                    cands = under
        near_codes = [c for c in near if c in self._by_code]
        if len(cands) > 1 and near_codes:
            near_lineage: set[str] = set()
            for c in near_codes:
                near_lineage |= self._lineage(c)
            near_parents = {self._by_code[c].parent for c in near_codes} | set(near_codes)
            tiers = [
                [d for d in cands if d.parent in near_parents or d.adcode in near_lineage],
                [d for d in cands if self.province_of(d.adcode) in {self.province_of(c) for c in near_codes}],
            ]
            for tier in tiers:
                if tier:
                    cands = tier
                    break
        if len(cands) == 1:
            return cands[0]
        top = min(_RANK[d.level] for d in cands)
        best = [d for d in cands if _RANK[d.level] == top]
        if len(best) == 1:
            return best[0]
        return None


def is_generic_name(name: str) -> bool:
    """True for division names that are mostly words: 城区, 郊区, 市中区, 新城区 …"""
    return _generic_district(name) or name in GENERIC_NAMES


def _generic_district(name: str) -> bool:
    """城区, 郊区, 新城区, 老城区, 市中区, 城东区 …: words as much as names."""
    if not name.endswith("区"):
        return False
    stem = name[:-1]
    return len(stem) <= 2 and all(ch in "城新老东西南北中市郊矿上下" for ch in stem)


@lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    _jieba_words()  # read jieba's dictionary now, not during the first find()
    return Gazetteer.from_tables(load_table("divisions.tsv", 4), load_table("regions.tsv", 3))


@lru_cache(maxsize=1)
def town_names() -> dict[str, tuple[str, ...]]:
    """County adcode → its towns, townships and sub-districts (kg/data/towns.tsv)."""
    from .lexicon import load_table

    return {county: tuple(n for n in names.split("|") if n) for county, names in load_table("towns.tsv", 2)}
