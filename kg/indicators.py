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
    r"^(?:全市|全县|全区|全省|全州|全旗|全盟|我市|我县|我区|我省|我旗|本市|本县|本区|全国|全年|年内|当年|目前|现在|"
    r"截至|截止|其中|同时|此外|另外|并且|并|且|而且|还|又|也|均|都|已经|已|共计|共有|共|累计|总计|合计|现有|拥有|"
    r"力争|争取|确保|预计|计划|将|要|拟|力求|努力|实现|完成|达到|有(?!需求|效|序|关|力|利|机)|"
    r"先后|分别|积极|大力|深入|全力|不断|进一步|持续|重点|着力|扎实|认真|切实|隆重|严厉|严格|及时|稳步|加快|全面推进|"
    r"打造|落实|做好|抓实|抓好|推动|推进|组织召开|组织|召开|开展了|开展|举办|制定完善|制定|出台|下发|印发|"
    r"\d*年(?:底|末|初)?(?=我|全|本)|\d+月(?:底|末)?|[,、;:()])+"
)
# trailing words that end a clause, not a name
_TRAIL_NOISE = re.compile(
    r"(?:力争|争取|确保|预计|计划|达到|达|突破|超过|稳定在|保持|降至|增至|减少到|减至|压减至|提高到|提升到|增加到|下降到|"
    r"由原来的|由原来|由|从|原来|原先|每人每月|每生每年|每生每天|每人每年|每年|每月|每天|分别|累计|共计|共|总计|已|均|"
    r"(?:19|20)\d{2}年|去年|今年|上年|年初|年底|年末|的|了|在|为|是|和|及|与|、|[,;:(])+$"
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
        s = re.sub(r"(?:也|还|均|都|就|已|将|亦)$", "", s)
        # the subject of a profile (学校现有教职工, 我校共有): the school itself, not part of the name
        s = re.sub(r"^(?:学校|我校|本校|全校|该校)(?:共有|现有|拥有|有|现|共)(?=[\u4e00-\u9fff]{2})", "", s)
        # verbs that only report handing out or finishing (发放各类学生资助资金, 建成区级基地): the
        # figure is named by their object; 新建, 新增, 招聘, 培训, 认定, 创建 name the measure and stay
        s = re.sub(r"^(?:(?:发放|下达|拨付)(?:各级各类|各类)?|建成|评选(?=表彰))(?=[\u4e00-\u9fff]{3})", "", s)
    s = re.sub(r"(?:数量|总数量)$", "数", s)  # 在校学生数量 → 在校学生数
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

    def link(self, name: str, unit: str) -> Concept | None:
        """The concept ``name`` (the words of a document) names, measured in ``unit``; None when none fits."""
        family = unit_family(unit)
        if family is None:
            return None
        for candidate in _variants(name):
            hits = [c for c in self._index.get(key(candidate), ()) if _fits(c.unit_family, family)]
            if hits:
                return hits[0]
        return None

    def label_of(self, iri: str) -> str:
        c = self.concepts.get(iri)
        return c.label if c else self.groups.get(iri, iri.rsplit("/", 1)[-1])


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
