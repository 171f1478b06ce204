"""Tests of the HTML view (kg/view.py): the page as text, then in headless Chromium.

The browser tests need Debian's chromium + chromium-driver (scripts/ensure-chromium.sh
installs them) and selenium; they skip, saying why, only when Chromium cannot be had.
"""

from __future__ import annotations

import html as html_mod
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import SKOS

from kg.iri import document_iri, entity_iri, evidence_iri, observation_iri, statement_iri
from kg.namespace import KG, KGR_NS
from kg.view import ViewInfo, _curie, render_html, write_html

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:alert(4)",
    "</script><script>window.__pwned=2</script>",
    "<!--<script>window.__pwned=3</script>-->",
    "\u2028\u2029&amp;&lt;",
]


# ---------------------------------------------------------------------------
# graph helpers


class GraphBuilder:
    """Builds a contract-shaped graph by hand (entities, relations with evidence, observations)."""

    def __init__(self) -> None:
        self.g = Graph()
        self.g.bind("kg", str(KG._NS))
        self.g.bind("kgr", KGR_NS)

    def doc(self, doc_id: str, file_name: str | None = None) -> URIRef:
        d = document_iri(doc_id)
        self.g.add((d, RDF.type, KG.SourceDocument))
        self.g.add((d, RDFS.label, Literal(file_name or doc_id)))
        return d

    def entity(self, type_: str, name: str, *alt: str, adcode: str | None = None, level: str | None = None,
               docs: tuple[URIRef, ...] = ()) -> URIRef:
        e = entity_iri(type_, name, adcode)
        self.g.add((e, RDF.type, KG[type_]))
        self.g.add((e, RDFS.label, Literal(name, lang="zh")))
        for a in alt:
            self.g.add((e, SKOS.altLabel, Literal(a, lang="zh")))
        if adcode:
            self.g.add((e, KG.adcode, Literal(adcode)))
        if level:
            self.g.add((e, KG.level, Literal(level)))
        for d in docs:
            self.g.add((e, KG.mentionedIn, d))
        return e

    def evidence(self, doc: URIRef, text: str, start: int) -> URIRef:
        doc_id = str(doc).rsplit("/", 1)[-1]
        ev = evidence_iri(doc_id, start, start + len(text))
        self.g.add((ev, RDF.type, KG.Evidence))
        self.g.add((ev, KG.source, doc))
        self.g.add((ev, KG.text, Literal(text)))
        self.g.add((ev, KG.start, Literal(start)))
        self.g.add((ev, KG.end, Literal(start + len(text))))
        return ev

    def relate(self, s: URIRef, pred: str, o: URIRef, doc: URIRef, text: str, start: int) -> URIRef:
        self.g.add((s, KG[pred], o))
        st = statement_iri(str(s), pred, str(o))
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, KG[pred]))
        self.g.add((st, RDF.object, o))
        self.g.add((st, KG.evidence, self.evidence(doc, text, start)))
        return st

    def observation(self, indicator: URIRef, value: str, unit: str, year: str | None, status: str,
                    doc: URIRef, text: str, start: int, place: URIRef | None = None,
                    about: URIRef | None = None) -> URIRef:
        doc_id = str(doc).rsplit("/", 1)[-1]
        ob = observation_iri(doc_id, start, str(indicator), value, unit, year)
        self.g.add((ob, RDF.type, KG.Observation))
        self.g.add((ob, KG.indicator, indicator))
        self.g.add((ob, KG.value, Literal(value, datatype=rdfns.XSD.decimal)))
        self.g.add((ob, KG.unit, Literal(unit)))
        if year:
            self.g.add((ob, KG.year, Literal(year, datatype=rdfns.XSD.gYear)))
        self.g.add((ob, KG.status, Literal(status)))
        if place is not None:
            self.g.add((ob, KG.locatedIn, place))
        if about is not None:
            self.g.add((ob, KG.about, about))
        self.g.add((ob, KG.evidence, self.evidence(doc, text, start)))
        return ob


def sample_graph() -> Graph:
    """葫芦岛市教育局 implements 全面改薄 in 兴城市; 佟民 局长; one observation; two documents."""
    b = GraphBuilder()
    plan = b.doc("huludao-13th-plan", "葫芦岛市教育事业十三五规划.docx")
    report = b.doc("huludao-2016-report", "2016年葫芦岛市教育工作总结.txt")
    ln = b.entity("Place", "辽宁省", "辽", adcode="210000", level="province", docs=(plan,))
    hld = b.entity("Place", "葫芦岛市", "葫芦岛", adcode="211400", level="city", docs=(plan, report))
    xc = b.entity("Place", "兴城市", "兴城", adcode="211481", level="county", docs=(plan, report))
    agency = b.entity("Agency", "葫芦岛市教育局", "市教育局", docs=(plan, report))
    prog = b.entity("Program", "全面改善贫困地区义务教育薄弱学校基本办学条件", "全面改薄", "改薄", docs=(plan, report))
    person = b.entity("Person", "佟民", docs=(report,))
    b.g.add((person, KG.post, Literal("局长")))
    school = b.entity("School", "兴城二高中", "兴城市第二高级中学", docs=(report,))
    pdoc = b.entity("PolicyDocument", "《葫芦岛市教育事业“十三五”规划》", docs=(plan,))
    indicator = b.entity("Indicator", "学前三年毛入园率", "学前教育毛入园率", docs=(plan,))

    b.relate(xc, "partOf", hld, plan, "兴城市是葫芦岛市下辖的县级市。", 10)
    b.relate(hld, "partOf", ln, plan, "葫芦岛市位于辽宁省西南部。", 0)
    b.relate(agency, "implements", prog, report, "市教育局在兴城全面实施“全面改薄”工程，改造薄弱学校12所。", 120)
    b.relate(prog, "locatedIn", xc, report, "市教育局在兴城全面实施“全面改薄”工程，改造薄弱学校12所。", 120)
    b.relate(person, "memberOf", agency, report, "葫芦岛市教育局局长佟民出席会议并讲话。", 5)
    b.relate(school, "locatedIn", xc, report, "兴城二高中新建教学楼一栋。", 300)
    b.relate(agency, "issues", pdoc, plan, "葫芦岛市教育局编制《葫芦岛市教育事业“十三五”规划》。", 40)
    b.observation(indicator, "90", "%", "2015", "achieved", plan,
                  "2015年，全市学前三年毛入园率达到90%。", 200, place=hld)
    return b.g


ENTITY_TYPES = ("Agency", "School", "Program", "PolicyDocument", "Place", "Person")


def entity_ids(g: Graph, with_indicators: bool = False) -> set[str]:
    types = ENTITY_TYPES + (("Indicator",) if with_indicators else ())
    out = set()
    for t in types:
        for s in g.subjects(RDF.type, KG[t]):
            out.add("kgr:" + str(s)[len(KGR_NS):])
    return out


def drawn_count(g: Graph, show_observations: bool = True) -> int:
    n = len(entity_ids(g, with_indicators=show_observations))
    if show_observations:
        n += len(set(g.subjects(RDF.type, KG.Observation)))
    return n


def hostile_graph() -> Graph:
    b = GraphBuilder()
    doc = b.doc("evil", "<img src=x onerror=\"window.__pwned=4\">.txt")
    a = b.entity("Agency", HOSTILE[2], HOSTILE[0], HOSTILE[3], docs=(doc,))
    p = b.entity("Program", HOSTILE[1], HOSTILE[5], docs=(doc,))
    place = b.entity("Place", "兴城市", adcode="211481", level="county", docs=(doc,))
    b.relate(a, "implements", p, doc, "据报道 " + " ".join(HOSTILE) + " 结束。", 0)
    b.relate(p, "locatedIn", place, doc, "兴城市 " + HOSTILE[4] + HOSTILE[2], 100)
    ind = b.entity("Indicator", HOSTILE[6], docs=(doc,))
    b.observation(ind, "1", HOSTILE[0], "2016", "target", doc, HOSTILE[1], 200, place=place, about=p)
    return b.g


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 7) -> Graph:
    """Random contract-shaped graph (shared with bench/bench_view.py)."""
    import random

    rnd = random.Random(seed)
    b = GraphBuilder()
    docs = [b.doc(f"doc{i:03d}", f"文件{i:03d}.txt") for i in range(20)]
    types = ["Agency", "School", "Program", "PolicyDocument", "Place", "Person"]
    ents = []
    for i in range(n_nodes):
        t = types[i % len(types)]
        ents.append((t, b.entity(t, f"{t}实体{i:05d}", f"别名{i:05d}", docs=(docs[i % len(docs)],),
                                 adcode=f"{210000 + i:06d}" if t == "Place" else None)))
    preds = ["implements", "locatedIn", "partOf", "issues", "memberOf", "cooperatesWith"]
    seen = set()
    hubs = [e for _t, e in ents[: max(1, n_nodes // 50)]]
    while len(seen) < n_edges:
        s = ents[rnd.randrange(n_nodes)][1]
        o = rnd.choice(hubs) if rnd.random() < 0.3 else ents[rnd.randrange(n_nodes)][1]
        p = rnd.choice(preds)
        if s == o or (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        b.relate(s, p, o, rnd.choice(docs), f"句子{len(seen)}：有关关系的证据。", len(seen) * 40)
    return b.g


# ---------------------------------------------------------------------------
# pure-Python tests


def data_block(page: str) -> str:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return m.group(1)


def page_data(page: str) -> dict:
    return json.loads(data_block(page))


def strip_vendor(page: str) -> str:
    """The page without the inlined vis-network code and CSS (their licence headers cite URLs)."""
    page = re.sub(r'<script id="vis-network-js">.*?</script>', "", page, flags=re.S)
    return re.sub(r'<style id="vis-network-css">.*?</style>', "", page, flags=re.S)


def test_page_is_self_contained():
    page = render_html(sample_graph())
    assert page.startswith("<!DOCTYPE html>")
    # no external resource of any kind
    assert not re.search(r"""(?:src|href|action|poster|srcset)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page
    assert "<link rel=\"stylesheet\"" not in page and "<script src" not in page.replace(" ", "")
    assert "cdn" not in strip_vendor(page).lower()
    # outside the vendor licence comments no http(s) URL at all (ids are CURIEs)
    rest = strip_vendor(page)
    assert "http://" not in rest and "https://" not in rest
    # vis-network is inlined
    assert 'id="vis-network-js"' in page and "vis-network" in page and "new vis.Network" in page
    assert len(page) > 400_000
    assert "Content-Security-Policy" in page


def test_every_entity_in_data():
    g = sample_graph()
    data = page_data(render_html(g))
    ids = {n["id"] for n in data["nodes"]}
    assert entity_ids(g, with_indicators=True) <= ids
    assert len(ids) == drawn_count(g)
    labels = {n["label"] for n in data["nodes"]}
    assert {"葫芦岛市教育局", "兴城市", "佟民", "辽宁省", "兴城二高中"} <= labels
    meta = data["meta"]
    xc = meta["kgr:place/211481"]
    assert xc["adcode"] == "211481" and xc["parent"] == "kgr:place/211400" and xc["alt"] == ["兴城"]
    assert meta[next(i for i in meta if meta[i]["l"] == "佟民")]["post"] == "局长"
    # edges with Chinese names, every relation carries its evidence
    names = {e["label"] for e in data["edges"]}
    assert {"实施", "位于", "隶属", "发布", "任职", "指标"} <= names
    assert all(m["ev"] for m in data["edgeMeta"])
    obs = [m for m in meta.values() if m["c"] == "Observation"]
    assert obs == [dict(obs[0])] and obs[0]["value"] == "90" and obs[0]["unit"] == "%"
    assert obs[0]["year"] == "2015" and obs[0]["status"] == "achieved" and obs[0]["l"] == "学前三年毛入园率"
    assert sorted(data["docs"]) == ["2016年葫芦岛市教育工作总结.txt", "葫芦岛市教育事业十三五规划.docx"]
    assert data["options"]["layout"]["randomSeed"] is not None
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 300


def test_without_observations():
    g = sample_graph()
    data = page_data(render_html(g, show_observations=False))
    assert {n["id"] for n in data["nodes"]} == entity_ids(g)
    assert not any(m["c"] in ("Observation", "Indicator") for m in data["meta"].values())


def test_hostile_text_cannot_break_out():
    g = hostile_graph()
    page = render_html(g, title="</title><script>alert(5)</script>")
    block = data_block(page)
    for bad in ("</script", "<script", "<!--", "<img", "\u2028", "\u2029", "&"):
        assert bad not in block.lower()
    # the data block is the one the regex found: exactly one closing tag after it
    start = page.index('id="kg-data">')
    assert page.index("</script>", start) == start + len('id="kg-data">') + len(block)
    # the payloads survive as data
    data = json.loads(block)
    texts = [e["t"] for e in data["evidence"]]
    assert any(HOSTILE[1] in t for t in texts) and any(HOSTILE[0] in t for t in texts)
    assert HOSTILE[2] in {n["label"] for n in data["nodes"]}
    assert "\u2028\u2029&amp;&lt;" in {m["l"] for m in data["meta"].values()}
    # the title is escaped
    assert "<script>alert(5)" not in page
    assert html_mod.escape("</title><script>alert(5)</script>") in page
    # the app script never writes HTML from data
    app = page[page.index('<script id="kg-app">'):]
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app and "document.write" not in app


def test_view_limit_trims_and_reports():
    g = synthetic_graph(300, 600)
    full = page_data(render_html(g, view_limit=None))
    assert len(full["nodes"]) == 300 and full["omitted"] == {"nodes": 0, "edges": 0, "evidence": 0}
    page = render_html(g, view_limit=100)
    data = page_data(page)
    assert len(data["nodes"]) == 100
    assert data["omitted"]["nodes"] == 200
    assert data["omitted"]["edges"] == 600 - len(data["edges"]) > 0
    kept = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])
    # the most connected node is kept
    deg: dict[str, int] = {}
    for e in full["edges"]:
        deg[e["from"]] = deg.get(e["from"], 0) + 1
        deg[e["to"]] = deg.get(e["to"], 0) + 1
    assert max(deg, key=lambda k: (deg[k], k)) in kept
    assert 'id="kg-omitted-nodes">200<' in page
    assert f'id="kg-omitted-edges">{data["omitted"]["edges"]}<' in page
    # nothing said when nothing is left out
    assert "kg-notice" not in render_html(sample_graph()).split("<main")[0].split("</header>")[1]


def test_view_limit_leaves_out_evidence_of_undrawn_nodes():
    """Issue 12: the page carries the sentences of what it draws, not of what it leaves out."""
    g = synthetic_graph(300, 600)
    page = render_html(g, view_limit=100)
    data = page_data(page)
    kept = {n["id"] for n in data["nodes"]}
    drawn, undrawn = set(), set()
    for st in g.subjects(RDF.type, RDF.Statement):
        s, o = _curie(g.value(st, RDF.subject)), _curie(g.value(st, RDF.object))
        texts = {str(g.value(ev, KG.text)) for ev in g.objects(st, KG.evidence)}
        (drawn if s in kept and o in kept else undrawn).update(texts)
    assert drawn and undrawn
    assert not drawn & undrawn  # each synthetic sentence states one relation
    carried = {e["t"] for e in data["evidence"]}
    assert carried == drawn
    for text in undrawn:  # nowhere in the page: not in the data, not in a tooltip
        assert text not in page
    # every evidence number on the page points at a carried sentence of its own edge
    for em in data["edgeMeta"]:
        assert all(0 <= i < len(data["evidence"]) for i in em["ev"])
    assert data["omitted"]["evidence"] == len(undrawn) == data["total"]["evidence"] - len(carried)
    assert f'id="kg-omitted-evidence">{len(undrawn)}<' in page
    # with nothing left out, every sentence is there
    assert {e["t"] for e in page_data(render_html(g, view_limit=None))["evidence"]} == drawn | undrawn


def test_deterministic():
    g = sample_graph()
    a = render_html(g)
    # same triples, inserted in another order
    g2 = Graph()
    for t in sorted(g, key=lambda t: str(t), reverse=True):
        g2.add(t)
    assert a == render_html(g) == render_html(g2)


def test_write_html_atomic(tmp_path):
    g = sample_graph()
    out = tmp_path / "sub" / "view.html"
    info = write_html(g, out, title="测试")
    assert isinstance(info, ViewInfo)
    assert info.nodes == drawn_count(g) and info.edges == 9 and info.omitted == 0
    assert out.read_text(encoding="utf-8") == render_html(g, title="测试")
    assert [p.name for p in out.parent.iterdir()] == ["view.html"]  # no temp file left
    with pytest.raises(TypeError):
        write_html(g, out, colour="red")


# ---------------------------------------------------------------------------
# browser tests


def _ensure_chromium() -> str | None:
    """None when Chromium + chromedriver are usable, else the reason they are not."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        script = ROOT / "scripts" / "ensure-chromium.sh"
        try:
            r = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"scripts/ensure-chromium.sh could not run: {exc}"
        if r.returncode != 0 or not CHROMIUM.exists() or not CHROMEDRIVER.exists():
            tail = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no output"]
            return f"Chromium could not be installed by scripts/ensure-chromium.sh: {tail[0]}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed in the venv (pip install selenium)"
    return None


def make_driver(user_data_dir: str):
    """Headless Chromium driven through Debian's chromedriver; nothing is downloaded."""
    os.environ["SE_OFFLINE"] = "true"  # selenium manager must not fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", f"--user-data-dir={user_data_dir}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)


@pytest.fixture(scope="session")
def browser():
    reason = _ensure_chromium()
    if reason:
        pytest.skip(reason)
    profile = tempfile.mkdtemp(prefix="kg-view-chromium-")
    driver = make_driver(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def load(driver, path: Path, timeout: float = 60.0) -> None:
    driver.get("about:blank")
    driver.get_log("browser")  # drop what earlier pages (and the start page) logged
    driver.get_log("performance")
    driver.get(path.as_uri())
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if driver.execute_script("return window.kgReady === true"):
            assert driver.find_element("tag name", "body").get_attribute("data-state") == "stabilized"
            return
        time.sleep(0.05)
    raise AssertionError("page never set window.kgReady")


def network_requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory):
    g = sample_graph()
    path = tmp_path_factory.mktemp("view") / "view.html"
    write_html(g, path)
    return g, path


def test_browser_loads_offline_without_errors(browser, sample_page, tmp_path):
    g, path = sample_page
    load(browser, path)
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    foreign = [u for u in network_requests(browser) if not u.startswith(("file:", "data:"))]
    assert foreign == []
    assert browser.execute_script("return kgView.nodeCount()") == drawn_count(g)
    assert browser.execute_script("return kgView.entityCount()") == len(entity_ids(g, with_indicators=True))
    # the legend lists the classes with their names
    legend = browser.find_element("id", "kg-classes").text
    for name in ("机构", "学校", "项目", "政策文件", "地点", "人物"):
        assert name in legend
    browser.save_screenshot(str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 10_000


def test_browser_request_check_catches_requests(browser, tmp_path):
    """The request scan above would see a request: a canary page asks loopback for an image."""
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png" alt="">'
                      '<script>window.kgReady = true; document.body.dataset.state = "stabilized";</script>'
                      "</body></html>", encoding="utf-8")
    load(browser, canary)
    assert "http://127.0.0.1:9/x.png" in network_requests(browser)


def test_browser_entities_only(browser, tmp_path):
    g = sample_graph()
    path = tmp_path / "entities.html"
    write_html(g, path, show_observations=False)
    load(browser, path)
    assert browser.execute_script("return kgView.nodeCount()") == len(entity_ids(g)) == 8


def test_browser_search_and_panel(browser, sample_page):
    _g, path = sample_page
    load(browser, path)
    ids = browser.execute_script("return kgView.search('兴城市')")
    assert ids[0] == "kgr:place/211481"
    assert browser.execute_script("return kgView.selectedNodes()") == ["kgr:place/211481"]
    text = browser.execute_script("return kgView.panelText()")
    assert "兴城市" in text and "211481" in text and "葫芦岛市" in text
    assert "兴城市是葫芦岛市下辖的县级市。" in text  # evidence sentence
    assert "葫芦岛市教育事业十三五规划.docx" in text  # its source document
    marks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#kg-panel mark')).map(m => m.textContent)")
    assert "兴城市" in marks and "兴城" in marks
    # search by altLabel
    assert browser.execute_script("return kgView.search('全面改薄')")[0].startswith("kgr:program/")
    text = browser.execute_script("return kgView.panelText()")
    assert "实施" in text and "葫芦岛市教育局" in text and "改造薄弱学校12所" in text
    # the search box itself
    box = browser.find_element("id", "kg-search")
    box.clear()
    box.send_keys("佟民\n")
    text = browser.execute_script("return kgView.panelText()")
    assert "局长" in text and "任职" in text and "佟民出席会议" in text


def test_browser_observation_panel(browser, sample_page):
    _g, path = sample_page
    load(browser, path)
    browser.execute_script("kgView.select('kgr:place/211400')")
    text = browser.execute_script("return kgView.panelText()")
    assert "学前三年毛入园率" in text and "90" in text and "2015" in text and "已实现" in text
    assert "全市学前三年毛入园率达到90%" in text
    # the toggle hides observations and indicators
    before = browser.execute_script("return kgView.nodeCount()")
    browser.find_element("id", "kg-obs").click()
    assert browser.execute_script("return kgView.nodeCount()") == before - 2
    browser.find_element("id", "kg-obs").click()
    assert browser.execute_script("return kgView.nodeCount()") == before


def test_browser_filters(browser, sample_page):
    g, path = sample_page
    load(browser, path)
    total = drawn_count(g)
    browser.find_element("css selector", 'input[data-class="Place"]').click()
    assert browser.execute_script("return kgView.nodeCount()") == total - 3
    browser.find_element("css selector", 'input[data-class="Place"]').click()
    assert browser.execute_script("return kgView.nodeCount()") == total
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "kg-doc")).select_by_visible_text("2016年葫芦岛市教育工作总结.txt")
    shown = set(browser.execute_script("return kgView.nodeIds()"))
    assert "kgr:person/佟民" in shown and "kgr:place/210000" not in shown
    Select(browser.find_element("id", "kg-doc")).select_by_index(0)
    assert browser.execute_script("return kgView.nodeCount()") == total


def test_browser_real_click_and_edge(browser, sample_page):
    _g, path = sample_page
    load(browser, path)
    from selenium.webdriver.common.action_chains import ActionChains

    browser.execute_script("kgView.focus('kgr:place/211481')")
    pos = browser.execute_script("return kgView.domPosition('kgr:place/211481')")
    canvas = browser.find_element("css selector", "#kg-network canvas")
    w, h = canvas.size["width"], canvas.size["height"]
    ActionChains(browser).move_to_element_with_offset(canvas, int(pos["x"] - w / 2), int(pos["y"] - h / 2)).click().perform()
    time.sleep(0.3)
    assert browser.execute_script("return kgView.selected()") == {"type": "node", "id": "kgr:place/211481"}
    assert "兴城市是葫芦岛市下辖的县级市。" in browser.find_element("id", "kg-panel").text
    # an edge: both ends highlighted
    eid = browser.execute_script(
        "return kgView.edgeId(kgView.find('葫芦岛市教育局')[0], 'implements', kgView.find('全面改薄')[0])")
    assert eid
    browser.execute_script("kgView.selectEdge(arguments[0])", eid)
    text = browser.execute_script("return kgView.panelText()")
    assert "葫芦岛市教育局 实施" in text and "全面实施“全面改薄”工程" in text
    marks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#kg-panel mark')).map(m => m.textContent)")
    assert "市教育局" in marks and "全面改薄" in marks


def test_browser_hostile_document(browser, tmp_path):
    g = hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(g, path, title='<img src=x onerror="window.__pwned=9">')
    load(browser, path)
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.title == '<img src=x onerror="window.__pwned=9">'
    ids = browser.execute_script("return kgView.search('兴城市')")
    assert ids == ["kgr:place/211481"]
    text = browser.execute_script("return kgView.panelText()")
    assert "<script>" in text and "</script><script>window.__pwned=2</script>" in text
    assert HOSTILE[2] in text
    # the hostile agency and its program's panels
    agency = browser.execute_script("return kgView.find(arguments[0])", HOSTILE[2])
    assert len(agency) == 1
    browser.execute_script("kgView.select(arguments[0])", agency[0])
    text = browser.execute_script("return kgView.panelText()")
    assert HOSTILE[0] in text and "javascript:alert(4)" in text and "<img src=x onerror" in text
    browser.execute_script("kgView.select('kgr:place/211481')")
    # no element came from the data: no img, no script beyond the page's own three
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.scripts.length") == 3
    time.sleep(0.2)
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    foreign = [u for u in network_requests(browser) if not u.startswith(("file:", "data:"))]
    assert foreign == []


def test_browser_large_page_reports_omitted(browser, tmp_path):
    g = synthetic_graph(400, 800)
    path = tmp_path / "limited.html"
    info = write_html(g, path, view_limit=150)
    assert info.nodes == 150 and info.omitted_nodes == 250
    load(browser, path)
    assert browser.execute_script("return kgView.nodeCount()") == 150
    notice = browser.find_element("id", "kg-notice").text
    assert "250" in notice and str(info.omitted_edges) in notice


def test_tooltips_show_evidence_sentences():
    g = sample_graph()
    data = page_data(render_html(g))
    node = next(n for n in data["nodes"] if n["label"] == "兴城市")
    texts = {str(t) for t in g.objects(None, KG.text)}
    # the tooltip (plain text) names the class and quotes at least one evidence sentence
    assert node["title"].startswith("地点：兴城市")
    assert any(t[:20] in node["title"] for t in texts)


# ---------------------------------------------------------------------------
# an indicator's panel draws its values (issue 10)

SERIES_TEXTS = {
    "a": "葫芦岛市教育局2016年工作会议讲话\n一、2015年工作回顾\n2015年全市学前三年毛入园率达到90%。\n"
         "二、2016年工作安排\n到2020年,全市学前三年毛入园率力争达到95%。\n",
    "b": "苏州市教育局2019年工作总结\n2018年全市学前教育毛入园率为97.5%,2019年全市学前三年毛入园率达到98.6%。\n",
}


def test_indicator_panel_draws_its_series(browser, tmp_path):
    from kg.graph import to_graph
    from kg.pipeline import Pipeline

    pipeline = Pipeline()
    docs = [pipeline.process_text(text, doc_id=f"series-{k}") for k, text in SERIES_TEXTS.items()]
    path = tmp_path / "series.html"
    write_html(to_graph(docs), path)
    load(browser, path)
    ind = browser.execute_script("return kgView.find('学前教育毛入园率')")  # an altLabel finds the concept
    assert ind == ["kgr:indicator/学前三年毛入园率"]
    assert browser.execute_script("return kgView.select(arguments[0])", ind[0])
    chart = browser.execute_script("return kgView.chart()")
    assert chart is not None
    assert sorted(chart["places"]) == ["苏州市", "葫芦岛市"]  # one line per place
    assert chart["points"] == 4 and chart["targetPoints"] == 1
    assert chart["dashed"] == 1 and chart["segments"] == 2  # the line to the target is dashed
    assert chart["years"] == ["2015", "2018", "2019", "2020"]  # years across
    assert [u for u in network_requests(browser) if not u.startswith(("file:", "data:"))] == []
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
