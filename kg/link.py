"""Linking: one entity per real thing, named as the contract's naming rules say.

* places resolve to GB/T 2260 divisions by context (the document's home
  province and city, other places named nearby);
* 我市/全市/本市 and the bare level prefixes (市教育局, 市委, 省教育厅) resolve
  against the document's home place, inferred from the text itself;
* programs and documents named several ways in one document become one
  entity whose canonical name is the most complete form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .extract.entities import SUB_UNIT, lexicons
from .lexicon import load_table
from .gazetteer import Division, Gazetteer, PlaceMatch
from .model import Document, Entity, Mention, SpanIndex

HOME_WORDS = {
    "city": ("我市", "全市", "本市"),
    "province": ("我省", "全省", "本省"),
    "county": ("我县", "全县", "本县", "我区", "全区", "本区"),
}
LEVEL_CHAR = {"province": "省", "city": "市", "county": "县"}


def place_key(adcode: str) -> str:
    return f"place:{adcode}"


def town_key(county: str, name: str) -> str:
    """A town's key: its county's adcode and its name (GB/T 2260 stops at the county)."""
    return f"town:{county}:{name}"


# 中国 as the country (the place of national figures), not as the first word of a name or a set phrase
COUNTRY = re.compile(
    r"(?<![其新全])中国(?!特色|共产党|共青团|人民|科学院|工程院|社会科学院|[\u4e00-\u9fff]{0,6}?(?:集团|公司|银行|石化|石油|移动|电信|联通|"
    r"学会|协会|大学|学院|日报|报社|教育报|电视台|出版社|研究院|研究会|基金会|委员会))")


def entity_key(type_: str, name: str) -> str:
    return f"{type_}:{name}"


# ---------------------------------------------------------------- home place


def infer_home(doc: Document, gaz: Gazetteer, places: list[tuple[Mention, Division | None]]) -> Division | None:
    """The place 我市/全市 refers to: title and agency names first, then frequency.

    A document about a city (全市, 市委, 市教育局) has a city home; one about
    a province (全省, 省教育厅) a province home; a 地区 (全区 with a 地区 named)
    counts as a city-level home.
    """
    text = doc.text
    counts: Counter[str] = Counter()
    for m, d in places:
        if d is None:
            continue
        w = 1
        if m.start < 400:
            w += 3
        follow = text[m.end: m.end + 4]
        if re.match(r"(?:教育|人民|委|政府|市委|教委)", follow):
            w += 2
        counts[d.adcode] += w
    if not counts:
        return None
    # a title that opens with a place and its body or meeting names the home outright:
    # 宜昌市2020年教育工作总结, 广州市天河区教育局…, 滑县2021年全县教育工作会议
    known = [d.adcode for _, d in places if d is not None]
    # the title line: the first, unless that is a breadcrumb (新闻动态/微视酷新闻/新闻详情, 首页 > 新闻)
    title_start = 0
    first = text.split("\n", 1)[0]
    if len(re.findall(r"\s*(?:/|>|»|→|>>)\s*", first)) >= 2 and "\n" in text:
        title_start = len(first) + 1
    line_end = text.find("\n", title_start)
    for m, d in places:
        if m.start < title_start or m.start > title_start + 30 or (0 <= line_end < m.start):
            continue
        if d is None and m.source == "gazetteer":
            # 朝阳区教育委员会…: an ambiguous name in the title, resolved by the places the text names,
            # else the one in a municipality (北京 朝阳区 over 长春 朝阳区), the likelier reading
            d = gaz.resolve(m.text, near=known)
            if d is None:
                cands = [c for c in gaz.by_name(m.text) if c.adcode[:2] in ("11", "12", "31", "50")]
                d = cands[0] if len(cands) == 1 else None
        if d is None:
            continue
        if re.match(r"(?:[\u4e00-\u9fff]{0,6}?(?:区|县|市))?(?:教育|人民政府|委|政府|(?:19|20)\d{2}年|“十)", text[m.end:m.end + 12]) \
                and not re.match(r"[\u4e00-\u9fff]{0,6}?(?:区|县|市)", text[m.end:m.end + 12]):
            return d
    # a title that is a school's name (桂平市下湾镇第一初级中学, 武汉科技大学概况): the school's place, the most
    # specific one its name holds, speaks for its 市 and its figures
    school = _TITLE_SCHOOL.match(text, title_start)
    if school and (line_end < 0 or school.end() <= line_end):
        inside = [d for m, d in places if d is not None and title_start <= m.start and m.end <= school.end()
                  and d.level in ("city", "county")]
        if inside:
            return max(inside, key=lambda d: d.level == "county")

    def words(*ws: str) -> int:
        # 全省第二, 全省平均 compare with the province: they do not make it the home
        return sum(len(re.findall(re.escape(w) + r"(?!第|平均|前列|排名|领先|同类|首个|首家|首批|唯一|仅有|最|闻名)", text)) for w in ws)

    city_words = words("全市", "我市", "本市", "市委", "市教育局", "市政府")
    prov_words = words("全省", "我省", "本省", "省委", "省教育厅", "省政府")
    county_words = words("全县", "我县", "本县", "县委", "县教育局", "县政府")
    district_words = words("全区", "我区", "本区", "区委", "区教育局", "区政府")
    # 全区 of a 地区 or 盟 (city-level areas) speaks of that city-level home; else of a district
    if any(d is not None and d.level == "city" and d.name.endswith(("地区", "盟")) for _, d in places):
        city_words += district_words
    else:
        county_words += district_words
    want: str | None = None
    best = 0
    for level, n in (("city", city_words), ("province", prov_words), ("county", county_words)):
        if n > best:
            want, best = level, n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if want:
        for code, _ in ranked:
            d = gaz.get(code)
            if d is not None and d.level == want:
                return d
        # 市教育局 in a county-level city's text (新沂市, 兴城市) is that city's
        if want == "city":
            for code, _ in ranked:
                d = gaz.get(code)
                if d is not None and d.level == "county" and d.name.endswith("市"):
                    return d
        # a city home but only its counties named: take their city
        for code, _ in ranked:
            for a in gaz.ancestors(code):
                if a.level == want:
                    return a
    return gaz.get(ranked[0][0])


_TITLE_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,16}?(?:中学|小学|学校|大学|学院|幼儿园|[一二三四五六七八九十]中|职专)"
                           r"(?=$|\n|概况|简介|校史|介绍|概览|学校概况)")


# ---------------------------------------------------------------- linker


class Linker:
    """Turns a document's mentions into entities (``doc.entities``)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz

    # -- places
    def context(self, doc: Document, mentions: list[Mention], matches: Iterable[PlaceMatch]) -> tuple[str, ...]:
        """Adcodes of the document's home place and its ancestors, from a first pass over its places."""
        home = infer_home(doc, self.gaz, self.resolve_places(doc, mentions, matches, set_home=False))
        if home is None:
            return ()
        return tuple(d.adcode for d in [home, *self.gaz.ancestors(home.adcode)])

    def resolve_places(self, doc: Document, mentions: list[Mention], found: Iterable[PlaceMatch],
                       set_home: bool = True) -> list[tuple[Mention, Division | None]]:
        matches = {(p.start, p.end): p for p in found}
        first: list[tuple[Mention, Division | None]] = []
        for m in mentions:
            if m.type != "Place":
                continue
            pm = matches.get((m.start, m.end))
            cands = pm.candidates if pm else ()
            first.append((m, cands[0] if len(cands) == 1 else None))
        near = [d.adcode for _, d in first if d is not None]
        province = city = None
        home = infer_home(doc, self.gaz, first)
        if home is not None:
            chain = [home, *self.gaz.ancestors(home.adcode)]
            province = next((d.adcode for d in chain if d.level == "province"), None)
            city = next((d.adcode for d in chain if d.level == "city"), None)
        out = []
        for m, d in first:
            pm = matches.get((m.start, m.end))
            if d is None and pm and pm.candidates:
                d = self.gaz.resolve(m.text, province=province, city=city, near=near)
            out.append((m, d))
        if set_home:
            doc.home_place = place_key(home.adcode) if home else None
            doc.home_province = place_key(province) if province else None
        return out

    def link(self, doc: Document, mentions: list[Mention], matches: Iterable[PlaceMatch]) -> None:
        ents: dict[str, Entity] = {}

        def add(key: str, type_: str, name: str, m: Mention | None, **kw) -> Entity:
            e = ents.get(key)
            if e is None:
                e = ents[key] = Entity(key, type_, name, **kw)
            e.docs.add(doc.doc_id)
            if m is not None:
                m.key, m.canonical = key, e.name
                if m.text != e.name:
                    e.aliases.add(m.text)
                orig = original_form(doc, m.start, m.end)
                if orig and orig != m.text and orig != e.name:
                    e.aliases.add(orig)  # the traditional form as written
            return e

        places = self.resolve_places(doc, mentions, matches)
        home = self.gaz.get(doc.home_place.split(":", 1)[1]) if doc.home_place else None
        prov = self.gaz.get(doc.home_province.split(":", 1)[1]) if doc.home_province else None
        for m, d in places:
            if d is not None:
                add(place_key(d.adcode), "Place", d.name, m, adcode=d.adcode, level=d.level)
            elif m.source == "town" and m.canonical:
                county, town = m.canonical.split(":", 1)
                add(town_key(county, town), "Place", town, m, level="town")
            elif m.source == "zone" or self.gaz.region(m.text) is not None:
                r = self.gaz.region(m.text)
                add(entity_key("Place", r.name if r else m.text), "Place", r.name if r else m.text, m)
        # the country named as a place: 在中国历史上, “中国传奇”, 中国国家队 — not 新中国, 其中国际,
        # 中国特色…, and not inside the name of a body, school or programme
        named = SpanIndex([m for m in mentions if m.type != "Place"])
        for hit in COUNTRY.finditer(doc.text):
            if named.overlapping(hit.start(), hit.end()):
                continue
            mm = Mention(hit.start(), hit.end(), "中国", "Place", -1, source="country")
            add(entity_key("Place", "中国"), "Place", "中国", mm, level="country")
            mentions.append(mm)
        # the document's own place as named by 我市/全市/全省
        for d in (home, prov):
            if d is None:
                continue
            # 全市 of a city; 全区 of a 地区 or district, 全旗 of a banner, 全盟 of a league
            words = dict.fromkeys([*HOME_WORDS.get(d.level, ()), *(p + d.name[-1] for p in "全我本")])
            for w in words:
                for hit in re.finditer(w, doc.text):
                    mm = Mention(hit.start(), hit.end(), w, "Place", -1, source="home")
                    add(place_key(d.adcode), "Place", d.name, mm, adcode=d.adcode, level=d.level)
                    mentions.append(mm)
        # ancestors of every division, so the hierarchy reaches the province
        for key in [k for k in ents if k.startswith("place:")]:
            for a in self.gaz.ancestors(key.split(":", 1)[1]):
                add(place_key(a.adcode), "Place", a.name, None, adcode=a.adcode, level=a.level)

        own = self.own_bureau(home, mentions)
        for m in mentions:
            if m.type == "Agency":
                name = self.agency_name(m, home, prov, own, places, doc.text)
                if name:
                    add(entity_key("Agency", name), "Agency", name, m)
                    # 市教育局党委, 省教育厅办公室, 省教育厅宣教处 name the bureau as well
                    bureau = re.sub(rf"{SUB_UNIT}$", "", name)
                    if not re.search(r"(?:局|厅|委|部|委员会|政府|署|院)$", bureau) or len(bureau) < 3:
                        bureau = name
                    if bureau != name:
                        add(entity_key("Agency", bureau), "Agency", bureau, None)
            elif m.type == "School":
                school = m.canonical or self.school_name(m.text, home)
                add(entity_key("School", school), "School", school, m)
            elif m.type == "Person":
                name = m.canonical or m.text
                add(entity_key("Person", name), "Person", name, m)
        self.link_named(doc, mentions, ents, add, "Program")
        self.link_named(doc, mentions, ents, add, "PolicyDocument")
        # an edition of a recurring event is also known by the series' name:
        # 第四届“中国未来教育家成长论坛” → 中国未来教育家成长论坛
        for e in ents.values():
            if e.type == "Program":
                series = re.match(r"[\u4e00-\u9fff]{0,8}?第[一二三四五六七八九十百零〇\d]{1,4}届[“「]?(.{4,})$", e.name)
                if series:
                    e.aliases.add(series.group(1).replace("”", "").replace("」", ""))
        doc.entities = ents
        doc.mentions = sorted((m for m in mentions if m.key), key=lambda m: (m.start, m.end, m.type))

    # -- agencies
    @staticmethod
    def own_bureau(home: Division | None, mentions: Iterable[Mention] = ()) -> str | None:
        """The speaking education bureau, as the text names it (郸城县教育体育局, 九龙坡区教委),
        else 市教育局 of a home city and 省教育厅 of a home province."""
        if home is None:
            return None
        for m in mentions:
            if m.type == "Agency" and m.text.startswith(home.name):
                head = m.text[len(home.name):]
                if re.fullmatch(r"(?:政府)?教(?:育)?(?:体育|和体育|科技|和科技|体)?(?:局|厅|委员会|委)", head):
                    return home.name + expand_head(head.removeprefix("政府"))
        if home.level == "province":
            return f"{home.name}教育厅"
        return f"{home.name}教育局"

    def agency_name(self, m: Mention, home: Division | None, prov: Division | None, own: str | None,
                    places: list[tuple[Mention, Division | None]], doc_text: str = "") -> str | None:
        lx = lexicons()
        t = m.text
        if m.canonical:
            return m.canonical
        if m.source == "own-bureau":
            if own is None:
                return None
            unit = re.sub(r"^(?:[省市县区]局|我[局厅委]|局)", "", t)
            party = re.fullmatch(SUB_UNIT, unit) if unit else None  # 党委, 党组, 外事处, 办公室
            level = t[:1] if t[:1] in "省市县区" else None
            if level and home is not None and LEVEL_CHAR.get(home.level, "") != level and not (level == "区" and home.level == "county"):
                if level == "省" and prov is not None:
                    return f"{prov.name}教育厅" + (party.group(0) if party else "")
                return None
            return own + (party.group(0) if party else "")
        if m.source == "place+head":
            for pm, d in places:
                if pm.start == m.start and d is not None:
                    rest = t[pm.end - pm.start:]
                    return d.name + _official(rest)
            return t
        if m.source == "level+head":
            t = re.sub(r"^(我|本)", "", t)
            level, rest = t[0], t[1:]
            target = None
            if level == "地":  # 地委 in a 地区's document: 大兴安岭地区 → 大兴安岭地委
                return home.name[:-1] + _official(rest) if home is not None and home.name.endswith("地区") else None
            if home is not None and (LEVEL_CHAR.get(home.level) == level or home.name.endswith(level)):
                target = home  # 旗委 in a banner's document, 市委 in a county-level city's
            elif level == "省" and prov is not None:
                target = prov
            elif home is not None and level in "区县" and home.level == "county":
                target = home
            elif home is not None and level == "市" and home.level == "county":
                # 市教育局 in a county's speech is its city's bureau (北京市's for 朝阳区)
                target = next((a for a in self.gaz.ancestors(home.adcode)
                               if a.level == "city" or a.name.endswith("市")), None)
            if target is None:
                return None
            return target.name + _official(rest)
        if m.source == "head":
            if home is None:
                return None
            if 0 < m.start <= len(doc_text) and doc_text[m.start - 1] == "的" and t not in lexicons().national:
                return None  # 高校的招办: another body's office, not the home place's
            head = t
            if head in lx.national:
                return lx.national[head]
            if head.startswith("教育厅") and prov is not None:
                return prov.name + head
            return home.name + _official(head)
        return t

    def school_name(self, name: str, home: Division | None) -> str:
        """市一职专 in a city document → <city>一职专; 县一中 in a county document → <county>一中;
        …中学校 is …中学."""
        name = re.sub(r"(中学|小学)校$", r"\1", name)
        if home is None or name.startswith(("市区", "县城", "区域")):
            return name
        level = name[:1]
        if level == LEVEL_CHAR.get(home.level) or (level == "区" and home.level == "county" and home.name.endswith("区")):
            return home.name + name[1:]
        return name

    # -- programs and documents
    def link_named(self, doc: Document, mentions: list[Mention], ents: dict[str, Entity], add, type_: str) -> None:
        group: dict[str, list[Mention]] = {}
        for m in mentions:
            if m.type != type_:
                continue
            group.setdefault(self.name_key(m.canonical or m.text, type_), []).append(m)
        # abbreviations: a key that is a proper part of another key of the same document
        keys = sorted(group, key=len, reverse=True)
        merged: dict[str, str] = {}
        for k in keys:
            for longer in keys:
                if longer == k or len(longer) <= len(k) or longer in merged:
                    continue
                if type_ == "PolicyDocument" and (longer.endswith(k) and len(k) >= 2 or longer.startswith(k) and len(k) >= 4):
                    merged[k] = longer
                    break
            if k in merged:
                continue
            # 阳光分班、合理排座 names 阳光分班 and 合理排座 together: one program
            if type_ == "Program" and "、" in k and k not in merged:
                for part in k.split("、"):
                    if part in group and part != k and part not in merged:
                        merged[part] = k
        for k in keys:
            root = k
            while root in merged:
                root = merged[root]
            if root != k:
                group[root].extend(group.pop(k))
        for k, ms in sorted(group.items()):
            canon_forms = [m.canonical for m in ms if m.canonical]
            if type_ == "Program" and k in lexicons().program_canonicals:
                canon_forms.insert(0, k)
            forms = sorted({self.clean(m.text) for m in ms}, key=lambda s: (-len(s), s))
            name = canon_forms[0] if canon_forms else forms[0]
            e = add(entity_key(type_, k), type_, name, None)
            for m in ms:
                m.key, m.canonical = e.key, e.name
                for f in {m.text, self.clean(m.text)}:
                    if f != e.name:
                        e.aliases.add(f)

    @staticmethod
    def clean(name: str) -> str:
        """Without 《》 and outer quotation marks; quotes inside a name (“十四五”…) stay paired."""
        name = name.strip("《》 ")
        if name.startswith("“") and name.endswith("”") and name.count("“") == 1:
            name = name[1:-1]
        return name

    @staticmethod
    def name_key(name: str, type_: str) -> str:
        n = Linker.clean(name).replace("“", "").replace("”", "")
        if type_ == "Program":
            lx = lexicons()
            if n in lx.program_alias:
                return lx.program_alias[n]
            n = re.sub(r"^(?:[一二三四五六七八九十]期|新一轮|第[一二三四五六七八九十]+[批期轮]|省、市级?|省级|市级)", "", n)
            if n in lx.program_alias:
                return lx.program_alias[n]
            while True:
                m = re.search(r"(?:工作|活动|项目|计划|工程|建设|系列教育|专题教育|创建|验收|达标|评估验收)$", n)
                if not m or m.start() < 2:
                    break
                n = n[: m.start()]
                if n in lx.program_alias:
                    return lx.program_alias[n]
        else:
            n = re.sub(r"[(（][^()（）]*[)）]$", "", n)
        return n


def original_form(doc: Document, start: int, end: int) -> str | None:
    """The span as written in the original file, when it maps character for character."""
    if not doc.offsets or end >= len(doc.offsets):
        return None
    a, b = doc.offsets[start], doc.offsets[end]
    orig = doc.original[a:b]
    return orig if len(orig) == end - start else None


def expand_head(head: str) -> str:
    """Abbreviated heads in full (教体局 → 教育体育局, 教委 → 教育委员会), per agency_abbreviations.tsv."""
    for short, full in load_table("agency_abbreviations.tsv", 2):
        m = re.search(rf"{re.escape(short)}((?:机关)?(?:党委|党组|纪检组)?)$", head)
        if m and not head[: m.start()].endswith(full[: len(full) - len(short)]):
            return head[: m.start()] + full + m.group(1)
    return head


def _official(rest: str) -> str:
    """政府 after a place is its 人民政府; 政府教育局 is the place's 教育局."""
    if rest in ("府", "府办"):  # 市府, 市府办
        return "人民政府" + ("办公室" if rest == "府办" else "")
    rest = expand_head(rest)
    if rest.startswith("政府教育局"):
        return rest[2:]
    if rest.startswith("政府") and not rest.startswith("政府教育督导"):
        return "人民" + rest
    return rest

