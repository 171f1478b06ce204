"""Relations between linked entities, each with the sentence that states it.

Rules work clause by clause on linked mentions:

* ``implements``: a program acted on (实施, 开展, 推进 …) by the clause's
  agency or school subject, else by the speaking bureau of the document;
* ``locatedIn``: schools and agencies in the place their name holds; programs
  in the places named in the same clause; places from the gazetteer;
* ``partOf``: places up their hierarchy; party committees in their bureau;
  sub-programs (将“A”纳入“B”项目);
* ``issues``: an agency that 出台/制定/印发/下发 a document;
* ``memberOf``: a person with a post in an agency;
* ``cooperatesWith``: 与…合作, 签订…协议, 结对帮扶, 托管.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..gazetteer import Division, Gazetteer
from ..model import Document, Entity, Evidence, Mention, Relation, Sentence, SpanIndex
from ..segment import looks_like_profile
from .entities import lexicons

ACT = re.compile(
    r"实施|开展|推进|推行|落实|启动|组织|创建|建立|深化|完成|实行|引进|确定|确立|举办|承办|加强|推动|打造|"
    r"抓好|做好|抓实|坚持|试行|执行|申报|迎接|纳入|建设|提升|完善|健全|开启|探索|改善|整治|治理|"
    r"巩固|成立|组建|评选|遴选|用好|启用|部署|筹备|通过|招聘|实现"
)
ISSUE = re.compile(r"(?<!新)(?:制定|制订|出台|印发|下发|编制|修订|发布|颁布|下达)")
COOP = re.compile(r"合作|签订|签署|结对|帮扶|托管|共建|联合办学|对口支援")
PILOT = re.compile(r"试点|试行|推广|先行|示范|支持|覆盖|充实到|分配到|惠及|落实到|下达到")
GENERIC_SUBJECT = re.compile(r"学校|高校|院校|企业|单位|部门|机构|幼儿园")
INCLUDE = re.compile(r"纳入|列入|融入")
CLAUSE = re.compile(r"[,;:。!?]")
PARTY_SUFFIX = re.compile(r"(党委|党组|纪检组|机关党委)$")
# hosting an event: 主办, 承办, 协办, 共同举办
_ORGANIZE = re.compile(r"(?:联合|共同)?(?:主办|承办|协办|举办)(?!权|方|单位)")
# a sentence that speaks of the event just named: 会议由…主办, 本届运动会由…承办
_EVENT_ANAPHOR = re.compile(r"(?:会议|活动|大会|论坛|比赛|竞赛|本届|此次|本次|该活动)[\u4e00-\u9fff]{0,4}?由")
# the head of a government or a deputy: 市长, 副市长, 常务副县长, 代区长
_GOV_POST = re.compile(r"(?:常务)?(?:副|代)?([省市县区旗州])长")


@dataclass
class Clause:
    """One clause of a sentence and what the clause rules need of it."""

    start: int
    text: str
    mentions: list[Mention]  # linked mentions starting in the clause
    sentence: list[Mention]  # linked mentions of the whole sentence
    own: str | None  # the speaking bureau's key
    ev: Evidence
    sentence_subject: Mention | None  # a place opening the sentence (龙港区以…)

    @property
    def programs(self) -> list[Mention]:
        return [m for m in self.mentions if m.type == "Program"]

    @property
    def actors(self) -> list[Mention]:
        return [m for m in self.mentions if m.type in ("Agency", "School")]

    @property
    def free_places(self) -> list[Mention]:
        """Places named in the clause on their own (not inside an agency, school or program name)."""
        return [m for m in self.mentions if m.type == "Place" and m.source != "home"
                and not _inside(m, self.mentions, "Place")]

    @property
    def subject(self) -> str | None:
        """The clause's subject opens it (锦西工业学校完成…); 与中山大学签订… names a partner."""
        a = self.actors
        if a and a[0].start - self.start <= 2 and not re.match(r"[与同和跟向对]", self.text[: a[0].start - self.start]):
            return a[0].key
        return None


class RelationBuilder:
    def __init__(self, doc: Document, gaz: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gaz
        self.rel: dict[tuple[str, str, str], Relation] = {}
        self._spans: dict[tuple[str, str, str], set[tuple[int, int]]] = {}  # evidence spans per relation

    def add(self, s: str | None, p: str, o: str | None, ev: Evidence | None) -> None:
        """Record ``s —p→ o`` with ``ev``; unlinked ends (``None``) and self-loops are ignored."""
        if s is None or o is None or s == o:
            return
        r = self.rel.get((s, p, o))
        if r is None:
            r = self.rel[(s, p, o)] = Relation(s, p, o)
            self._spans[(s, p, o)] = set()
        spans = self._spans[(s, p, o)]
        if ev is not None and (ev.start, ev.end) not in spans:
            spans.add((ev.start, ev.end))
            r.evidence.append(ev)

    def build(self) -> list[Relation]:
        doc = self.doc
        by_sentence: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            s = doc.sentence_at(m.start)
            if s is None:
                continue
            m.sentence = s.index
            by_sentence.setdefault(s.index, []).append(m)
        own = self.own_agency()
        previous: list[Mention] = []
        for s in doc.sentences:
            ms = by_sentence.get(s.index, [])
            if ms:
                self.sentence_rules(s, ms, own)
            self.organizers(s, ms, previous)
            previous = ms
        self.structural(by_sentence)
        return sorted(self.rel.values(), key=lambda r: (r.subject, r.predicate, r.object))

    def own_agency(self) -> str | None:
        """The speaker: a school that publishes about itself (我校, 本校; a school profile), else the
        home place's education bureau when the text names it."""
        doc = self.doc
        # a notice whose heading opens with its author (市教育局…的通知, 转发:省教育厅…) speaks for that body
        first = doc.text.split("\n", 1)[0]
        if re.search(r"通知|意见|办法|方案|通报|函|决定|要点|规划|摘要", first):
            lead = re.match(r"(?:转发[::]?\s*)?", first)
            author = next((m for m in doc.mentions if m.type == "Agency" and m.key and m.start == (lead.end() if lead else 0)), None)
            if author is not None:
                return author.key
        school = speaking_school(self.doc)
        if school is not None:
            return school
        signed = signatory(doc)
        if signed is not None:
            return signed  # the body that signs a notice speaks in it
        home = doc.entities.get(doc.home_place) if doc.home_place else None
        if home is not None:
            for suffix in ("教育局", "教育厅", "教育委员会", "教育体育局"):
                key = f"Agency:{home.name}{suffix}"
                if key in doc.entities:
                    return key
        counts: dict[str, int] = {}
        for m in doc.mentions:
            if m.type == "Agency" and m.key and re.search(r"教育(局|厅|委员会|体育局)$", doc.entities[m.key].name):
                counts[m.key] = counts.get(m.key, 0) + 1
        if not counts:
            return None
        home = doc.entities.get(doc.home_place) if doc.home_place else None
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if home is not None:
            for key, _ in ranked:
                if doc.entities[key].name.startswith(home.name):
                    return key
        return ranked[0][0]

    # -- per sentence
    def sentence_rules(self, s: Sentence, ms: list[Mention], own: str | None) -> None:
        """Run each clause rule over the clauses of one sentence, then the post rule."""
        doc = self.doc
        ev = doc.evidence(s)
        first_places = [m for m in ms if m.type == "Place" and m.source != "home" and m.start - s.start <= 1]
        sentence_subject = first_places[0] if first_places else None
        if sentence_subject is not None and any(
            m.type == "Place" and m.source != "home" and m.key != sentence_subject.key for m in ms
        ):
            sentence_subject = None  # several places: no single subject
        for cstart, cend in self.clauses(s):
            cm = [m for m in ms if cstart <= m.start < cend]
            if not cm:
                continue
            c = Clause(cstart, doc.text[cstart:cend], cm, ms, own, ev, sentence_subject)
            self.implements(c)
            self.program_places(c)
            self.issues(c)
            self.cooperation(c)
            self.sub_programs(c)
        self.posts(ms, s, ev)

    def organizers(self, s: Sentence, ms: list[Mention], previous: list[Mention]) -> None:
        """The bodies that host an event implement it: 由A、B主办,C承办的“X”; X由A主办. The event is
        the sentence's one programme, or — when the sentence opens with 会议/活动/本届… — the previous one's."""
        text = self.doc.text
        verbs = list(_ORGANIZE.finditer(text, s.start, s.end))
        if not verbs:
            return
        programs = {m.key for m in ms if m.type == "Program" and m.key}
        if not programs and _EVENT_ANAPHOR.match(text, s.start):
            programs = {m.key for m in previous if m.type == "Program" and m.key}
        if len(programs) != 1:
            return
        program = next(iter(programs))
        ev = self.doc.evidence(s)
        for v in verbs:
            seg = text[s.start:v.start()]
            cut = max(seg.rfind(ch) for ch in ",;:。由")
            seg_start = s.start + cut + 1
            for m in ms:
                if m.type in ("Agency", "School") and m.key and seg_start <= m.start and m.end <= v.start():
                    self.add(m.key, "implements", program, ev)

    def implements(self, c: Clause) -> None:
        """A program acted on (实施, 开展 …) by the clause's subject, else by the speaking bureau."""
        if not c.programs or not ACT.search(c.text):
            return
        ents = self.doc.entities
        actor = c.subject or (c.actors[0].key if c.actors and c.actors[0].start < c.programs[0].start else None)
        for p in c.programs:
            # 兴城市的“课堂教学改革”: a place's own initiative is not the speaker's
            owned = self.doc.text[p.start - 2:p.start] == "的“" and any(
                pl.type == "Place" and pl.end == p.start - 2 for pl in c.sentence)
            who = actor or (None if owned else c.own)
            if who and ents[who].type in ("Agency", "School"):
                self.add(who, "implements", p.key, c.ev)

    def program_places(self, c: Clause) -> None:
        """Programs are located in the places their clause (or name, or sentence subject) names."""
        # with several programs in one clause each place goes to its nearest program
        for pl in c.free_places:
            targets = c.programs
            if len(c.programs) > 1:
                after = [p for p in c.programs if p.start >= pl.end]
                targets = [min(after, key=lambda p: p.start)] if after else [max(c.programs, key=lambda p: p.end)]
            for p in targets:
                self.add(p.key, "locatedIn", pl.key, c.ev)
        for p in c.programs:
            for pl in c.sentence:
                if pl.type != "Place":
                    continue
                # a place inside the program's own name
                if p.start <= pl.start and pl.end <= p.end:
                    self.add(p.key, "locatedIn", pl.key, c.ev)
                # 全市“智慧教育”项目: the home place right before the program
                if pl.source == "home" and 0 <= p.start - pl.end <= 1:
                    self.add(p.key, "locatedIn", pl.key, c.ev)
        # 深化“县管校聘”改革,在杭州市、宁波市开展试点: a later clause piloting the sentence's program
        if not c.programs and c.free_places and PILOT.search(c.text):
            earlier = [m for m in c.sentence if m.type == "Program" and m.end <= c.start]
            if earlier:
                for pl in c.free_places:
                    self.add(earlier[-1].key, "locatedIn", pl.key, c.ev)
        # the sentence's subject place (龙港区以…, 通过…评估验收) for programs of later clauses
        if c.programs and not c.free_places and c.sentence_subject is not None:
            for p in c.programs:
                self.add(p.key, "locatedIn", c.sentence_subject.key, c.ev)

    def issues(self, c: Clause) -> None:
        """An agency that 出台/制定/印发/下发 a document (the clause's subject, else the speaker)."""
        ents = self.doc.entities
        previous: tuple[int, list[Mention]] | None = None  # the end of the last title and its issuers
        for d in (m for m in c.mentions if m.type == "PolicyDocument"):
            # 《A》、《B》: a title listed after another has the same issuers
            if previous is not None and previous[1] and re.fullmatch(r"》?(?:、|和|及|以及)《?", self.doc.text[previous[0]:d.start]):
                for a in previous[1]:
                    self.add(a.key, "issues", d.key, c.ev)
                previous = (d.end, previous[1])
                continue
            # 中共中央办公厅、国务院办公厅《关于…的意见》: the bodies named right before the title
            chain = [a for a in c.actors if a.end <= d.start - 1]
            named = []
            edge = d.start - 1  # the 《
            verb = re.search(r"(?:联合|共同)?(?:印发|发布|制定|出台|颁布)的?$", self.doc.text[c.start:edge])
            if verb:
                edge = c.start + verb.start()  # 中共中央办公厅、国务院办公厅印发的《…》
            for a in reversed(chain):
                if a.end == edge and ents[key_of(a)].type == "Agency":
                    named.append(a)
                    edge = a.start - 1 if self.doc.text[a.start - 1:a.start] in "、和" else -1
            for a in named:
                self.add(a.key, "issues", d.key, c.ev)
            previous = (d.end, named)
            if named:
                continue
            before = self.doc.text[c.start:d.start]
            if ISSUE.search(before) or ISSUE.search(self.doc.text[d.end:d.end + 6]):
                actor = c.subject or (c.actors[0].key if c.actors and c.actors[0].start < d.start else None) or c.own
                if actor and ents[actor].type in ("Agency", "School"):
                    self.add(actor, "issues", d.key, c.ev)

    def cooperation(self, c: Clause) -> None:
        """与X签订…协议, 结对帮扶, 托管: the subject (or the speaker) cooperates with X."""
        if not COOP.search(c.text):
            return
        actor = c.subject
        first = next((m for m in c.actors if m.key != c.subject), None)
        lead = c.text[: first.start - c.start] if first else ""
        if actor is None and not GENERIC_SUBJECT.search(lead):
            actor = c.own  # 多家学校与…签订: a generic subject is nobody in particular
        for pm in c.actors:
            if not re.search(rf"(?:与|同|和){re.escape(pm.text)}", c.text):
                continue
            # 支持A学校与B学院开展合作: the body right before 与 is the partner's counterpart
            joined = next((a for a in c.actors if a.end == pm.start - 1 and a is not pm), None)
            who = joined.key if joined is not None else actor
            if who and pm.key != who:
                self.add(who, "cooperatesWith", pm.key, c.ev)

    def sub_programs(self, c: Clause) -> None:
        """将“A”纳入“B”项目: A is part of B."""
        included = INCLUDE.search(c.text) if len(c.programs) >= 2 else None
        if included is None:
            return
        inc = included.start() + c.start
        wholes = [p for p in c.programs if p.start > inc]
        for a in (p for p in c.programs if p.end <= inc):
            for b in wholes[:1]:
                self.add(a.key, "partOf", b.key, c.ev)

    def posts(self, ms: list[Mention], s: Sentence, ev: Evidence) -> None:
        """市教育局党委书记、局长佟民: 局长 in the bureau, 党委书记 in its party committee; 46中副书记施建,
        倪环老师 of a school; 王斌代表合肥市教育局; 联系人:市教育教学研究院徐雪刚."""
        doc = self.doc
        ents = doc.entities
        post_re = _posts_re((*lexicons().posts, "老师", "教师"))
        for m in ms:
            if m.type != "Person" or m.source == "leader":
                continue
            # 王斌代表合肥市教育局: the body the person speaks for
            rep = re.match(r"代表", doc.text[m.end:m.end + 2])
            if rep:
                body = next((a for a in ms if a.type in ("Agency", "School") and a.start == m.end + 2), None)
                if body is not None:
                    self.add(m.key, "memberOf", body.key, ev)
                    continue
            prefix = doc.text[max(s.start, m.start - 30):m.start]
            bodies = [a for a in ms if a.type in ("Agency", "School") and a.end <= m.start and m.start - a.end <= 14
                      and not re.search(r"[,;。]|和|与", doc.text[a.end:m.start])]
            posts = post_re.findall(prefix[-14:])
            after = post_re.match(doc.text, m.end)  # 市教育体育局张明华局长, 倪环老师
            if after:
                posts.append(after.group())
            if bodies and not posts and m.source == "contact" and m.start - bodies[-1].end <= 4:
                self.add(m.key, "memberOf", bodies[-1].key, ev)  # 联系人:市教育教学研究院徐雪刚
                continue
            # 市委副书记、市五运会组委会主任、市长张建慧: each post of the chain before the name
            for chained in self.post_chain(m, ms, s):
                self.add(m.key, "memberOf", chained, ev)
            if not (bodies and posts):
                continue
            base = bodies[-1]
            e = ents[key_of(base)]
            posts = [p for p in dict.fromkeys(posts) if not any(p != q and p in q for q in posts)]
            ents[key_of(m)].post = "、".join(posts)
            if e.type == "School":
                self.add(m.key, "memberOf", base.key, ev)
                continue
            party_posts = [p for p in posts if "党委" in p or "党组" in p]
            other_posts = [p for p in posts if p not in party_posts]
            bureau = PARTY_SUFFIX.sub("", e.name)
            committee = bureau + ("党组" if any("党组" in p for p in party_posts) else "党委")
            if other_posts or not party_posts:
                key = f"Agency:{bureau}"
                self.add(m.key, "memberOf", key if key in ents else base.key, ev)
            if party_posts:
                key = f"Agency:{committee}"
                self.add(m.key, "memberOf", key if key in ents else base.key, ev)

    def post_chain(self, m: Mention, ms: list[Mention], s: Sentence) -> list[str]:
        """The bodies of the 、-separated posts right before a name (or the post right after it):
        a body named at the head of a post (市委副书记 → 市委), and a government's head and deputies
        (市长, 副县长, 商丘市副市长) → that level's 人民政府 (of the place named, else of the home place)."""
        doc, ents = self.doc, self.doc.entities
        lead = re.search(r"[^,;。:!?\n()“”]*$", doc.text[max(s.start, m.start - 60):m.start])
        start = m.start - len(lead.group(0)) if lead else m.start
        others = [p for p in ms if p.type == "Person" and start <= p.start < m.start]
        if others:
            start = max(p.end for p in others)
        parts = [(start + mm.start(), mm.group(0)) for mm in re.finditer(r"[^、]+", doc.text[start:m.start])]
        after = _GOV_POST.match(doc.text, m.end)
        if after:
            parts.append((m.end, after.group(0)))
        out: list[str] = []
        for pos, part in parts:
            place = next((p for p in ms if p.type == "Place" and p.start == pos and p.key), None)
            gov = _GOV_POST.fullmatch(part[place.end - place.start:] if place else part)
            if gov:
                body = self.government(place.key if place else None, gov.group(1))
                if body:
                    out.append(body)
                continue
            head = next((a for a in ms if a.type == "Agency" and a.start == pos and a.key), None)
            if head is not None and head.key and len(part) > head.end - head.start \
                    and _posts_re(lexicons().posts).search(part[head.end - head.start:]):
                out.append(head.key)
        return out

    def government(self, place: str | None, level: str) -> str | None:
        """The key of the 人民政府 of ``place``, else of the home place or its ancestor of ``level``
        (省, 市, 县, 区, 旗, 州), added to the document's entities when first named."""
        ents = self.doc.entities
        target: Entity | Division | None = ents.get(place) if place else None
        if target is None and self.doc.home_place and self.doc.home_place in ents:
            home = ents[self.doc.home_place]
            chain: list[Entity | Division] = [home]
            if home.adcode:
                chain += [ents.get(f"place:{a.adcode}") or a for a in self.gaz.ancestors(home.adcode)]
            target = next((c for c in chain if c.name.endswith(level) or (level == "省" and c.name.endswith(("自治区", "市")) and c.level == "province")), None)
        if target is None:
            return None
        key = f"Agency:{target.name}人民政府"
        if key not in ents:
            ents[key] = Entity(key, "Agency", f"{target.name}人民政府", docs={self.doc.doc_id})
        return key

    def clauses(self, s: Sentence) -> list[tuple[int, int]]:
        out = []
        start = s.start
        for m in CLAUSE.finditer(self.doc.text, s.start, s.end):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, s.end))
        return [(a, b) for a, b in out if b > a]

    # -- from names and the gazetteer
    def structural(self, by_sentence: dict[int, list[Mention]]) -> None:
        doc = self.doc
        ents = doc.entities
        first_ev: dict[str, Evidence] = {}
        for m in doc.mentions:
            if m.key and m.key not in first_ev and 0 <= m.sentence < len(doc.sentences):
                first_ev[m.key] = doc.evidence(doc.sentences[m.sentence])
        # ancestors named by no sentence take the evidence of a descendant that is
        for key, e in sorted(ents.items()):
            if e.type == "Place" and e.adcode and key in first_ev:
                for anc in self.gaz.ancestors(e.adcode):
                    first_ev.setdefault(f"place:{anc.adcode}", first_ev[key])
        # places up the hierarchy
        for key, e in ents.items():
            if e.type == "Place" and e.adcode:
                d = self.gaz.get(e.adcode)
                if d and d.parent and f"place:{d.parent}" in ents:
                    self.add(key, "partOf", f"place:{d.parent}", first_ev.get(key))
            elif e.type == "Place" and key.startswith("town:"):
                county = f"place:{key.split(':', 2)[1]}"
                if county in ents:
                    self.add(key, "partOf", county, first_ev.get(key))
            elif e.type == "Place" and doc.home_place and e.key.startswith("Place:") and e.level != "country" \
                    and self.gaz.region(e.name) is None:
                self.add(key, "partOf", doc.home_place, first_ev.get(key))
        # names that hold a place: agencies and schools are located in it
        place_mentions = SpanIndex([p for p in doc.mentions if p.type == "Place"])
        for m in doc.mentions:
            if m.type not in ("Agency", "School") or m.source == "national":
                continue  # a national body (新疆生产建设兵团教育局) is not in the place its name holds
            ev = first_ev.get(key_of(m))
            e = ents[key_of(m)]
            if e.type == "Agency" and PARTY_SUFFIX.search(e.name) and f"Agency:{PARTY_SUFFIX.sub('', e.name)}" in ents:
                continue
            inner = place_mentions.within(m.start, m.end)
            if inner:
                # the most specific place in the name: 鄂尔多斯市第一中学伊金霍洛校区 → 伊金霍洛旗
                rank = {"town": -1, "county": 0, "city": 1, "province": 2}
                best = min(reversed(inner), key=lambda p: rank.get(ents[key_of(p)].level or "", 3))
                self.add(m.key, "locatedIn", best.key, ev)
                best_key = key_of(best)
                if best_key.startswith("town:"):  # 孝丰镇中心小学: in 孝丰镇, and in its county
                    county = f"place:{best_key.split(':', 2)[1]}"
                    if county in ents:
                        self.add(m.key, "locatedIn", county, ev)
            elif e.type == "Agency" and doc.home_place and e.name.startswith(ents[doc.home_place].name):
                self.add(m.key, "locatedIn", doc.home_place, ev)
            elif e.type == "Agency" and doc.home_province and e.name.startswith(ents[doc.home_province].name):
                self.add(m.key, "locatedIn", doc.home_province, ev)
            elif e.type == "School" and doc.home_place and e.name.startswith(ents[doc.home_place].name):
                self.add(m.key, "locatedIn", doc.home_place, ev)
            elif e.type == "School" and doc.home_place and ents[doc.home_place].level == "county" \
                    and re.match(r"[\u4e00-\u9fff]{1,4}(?:镇|乡|街道)", e.name):
                self.add(m.key, "locatedIn", doc.home_place, ev)  # 孝丰镇中心小学 in 安吉县's report
            # a school's place from its name's leading place word (兴城二高中 → 兴城市)
            elif e.type == "School":
                for other in ents.values():
                    if other.type == "Place" and other.adcode:
                        shorts = {other.name, *(a for a in other.aliases if len(a) >= 2 and a not in ("我市", "全市", "本市", "全省", "我省"))}
                        if any(e.name.startswith(sn) for sn in shorts):
                            self.add(m.key, "locatedIn", other.key, ev)
                            break
        # bodies named only inside another name (济南市教育局 in 济南市教育局党委)
        located = {r[0] for r in self.rel if r[1] == "locatedIn"}
        places = sorted((e for e in ents.values() if e.type == "Place"), key=lambda e: -len(e.name))
        for key, e in sorted(ents.items()):
            if e.type != "Agency" or key in located or PARTY_SUFFIX.search(e.name):
                continue
            ev = first_ev.get(key) or next(
                (first_ev[k] for k, o in sorted(ents.items()) if o.type == "Agency" and o.name.startswith(e.name) and k in first_ev),
                None)
            home = next((p for p in places if e.name.startswith(p.name)), None)
            if home is not None and ev is not None:
                self.add(key, "locatedIn", home.key, ev)
        # a document whose title begins with a body's name was issued by it
        # (《教育部办公厅关于…的通知》, 《海南省教育厅2024年工作要点》, 《绍兴市第一中学2019学年工作要点》)
        agencies = sorted((e for e in ents.values() if e.type in ("Agency", "School")), key=lambda e: -len(e.name))
        for key, e in ents.items():
            if e.type != "PolicyDocument":
                continue
            for a in agencies:
                if e.name.startswith(a.name) and re.match(r"关于|印发|办公室关于|(?:19|20)\d{2}(?:[—-](?:19|20)?\d{2,4})?学?年度?",
                                                          e.name[len(a.name):]):
                    self.add(a.key, "issues", key, first_ev.get(key))
                    break
        # party committees belong to their bureau
        for key, e in ents.items():
            if e.type == "Agency":
                base = PARTY_SUFFIX.sub("", e.name)
                if base != e.name and f"Agency:{base}" in ents:
                    self.add(key, "partOf", f"Agency:{base}", first_ev.get(key))


_SELF_SCHOOL = re.compile(r"我校|本校|我园|本园|全校")


_SIGNED_DATE = re.compile(r"\s*(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})\s*$")


def signatory(doc: Document) -> str | None:
    """The body that signs the document: a line that is only its name, followed by a line that is
    only a date (绍兴市第一中学 / 2019年9月20日) — the first such signature of the text."""
    text = doc.text
    by_start = {m.start: m for m in doc.mentions if m.type in ("Agency", "School") and m.key}
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        m = by_start.get(start + len(line) - len(line.lstrip()))
        if m is None or len(stripped) != m.end - m.start:
            continue
        nxt = text[pos:text.find("\n", pos) if text.find("\n", pos) >= 0 else len(text)]
        if _SIGNED_DATE.fullmatch(nxt):
            return m.key
    return None


def speaking_school(doc: Document) -> str | None:
    """The school a document speaks for: one that calls itself 我校/本校 (a school's own site), or the
    school a profile (学校简介, 学校概况) is about — the school named in the heading, else the one
    named most often."""
    signed = signatory(doc)
    if signed is not None and doc.entities[signed].type == "School":
        return signed
    head = doc.text[: max(doc.text.find("\n"), 0) or 80]
    profile = looks_like_profile(doc.text)
    if not profile and len(_SELF_SCHOOL.findall(doc.text)) < 1:
        return None
    counts: dict[str, int] = {}
    in_head: list[str] = []
    for m in doc.mentions:
        if m.type == "School" and m.key:
            if re.search(r"(?:前身为|前身是|原名|原为|原|由)$", doc.text[max(0, m.start - 3):m.start]):
                continue  # 前身为合肥市万慈小学: the school's predecessor does not speak
            counts[m.key] = counts.get(m.key, 0) + 1
            if m.start < min(len(head), 60):
                in_head.append(m.key)
    if in_head:
        return in_head[0]
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # two schools as often: no clear speaker
    return ranked[0][0]


@lru_cache(maxsize=4)
def _posts_re(posts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(p) for p in posts))


def key_of(m: Mention) -> str:
    """The entity key of a linked mention (relations only see linked mentions)."""
    if m.key is None:
        raise ValueError(f"mention {m.text!r} at {m.start} was not linked")
    return m.key


def _inside(m: Mention, ms: list[Mention], _type: str) -> bool:
    return any(o is not m and o.type != "Place" and o.start <= m.start and m.end <= o.end for o in ms)


def build_relations(doc: Document, gaz: Gazetteer) -> list[Relation]:
    return RelationBuilder(doc, gaz).build()



def prune_unnamed_places(doc: Document, gaz: Gazetteer) -> None:
    """Keep only the places the text names (or that a fact uses): the divisions above a named
    place that the text never names (浙江省 above 绍兴市) were added for linking, not read.

    A named place's ``partOf`` then goes to its nearest named ancestor (兴城市 → 辽宁省 when only
    the province is named too), with the evidence of the edge it replaces; every place keeps its
    ``kg:adcode``, which carries the whole GB/T 2260 chain.
    """
    ents = doc.entities
    named = {m.key for m in doc.mentions if m.key}
    used = {o.place for o in doc.observations if o.place} | {o.about for o in doc.observations if o.about}
    used |= {k for r in doc.relations if r.predicate != "partOf" for k in (r.subject, r.object)}
    drop = {k for k, e in ents.items() if e.type == "Place" and k not in named and k not in used}
    if not drop:
        return
    kept: list[Relation] = []
    relinked: dict[tuple[str, str], Relation] = {}
    for r in doc.relations:
        if r.subject in drop:
            continue
        if r.predicate == "partOf" and r.object in drop:
            e = ents[r.subject]
            target = None
            if e.adcode:
                target = next((f"place:{a.adcode}" for a in gaz.ancestors(e.adcode)
                               if f"place:{a.adcode}" in ents and f"place:{a.adcode}" not in drop), None)
            if target is not None and target != r.subject:
                key = (r.subject, target)
                if key not in relinked:
                    relinked[key] = Relation(r.subject, "partOf", target, list(r.evidence))
            continue
        if r.object in drop:
            continue
        kept.append(r)
    have = {(r.subject, r.object) for r in kept if r.predicate == "partOf"}
    kept += [r for k, r in relinked.items() if k not in have]
    doc.relations = sorted(kept, key=lambda r: (r.subject, r.predicate, r.object))
    for k in drop:
        del ents[k]
