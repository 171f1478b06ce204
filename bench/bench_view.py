"""Benchmark of the HTML view: a 5,000-node / 10,000-edge graph in headless Chromium.

Prints the time to render the page in Python and the seconds until the page
sets ``window.kgReady`` (layout settled), for the large graph and for a
500-node baseline in the same run, and their ratio.

    .venv/bin/python bench/bench_view.py [--nodes 5000 --edges 10000 --baseline 500]

Needs Debian's chromium + chromium-driver (``scripts/ensure-chromium.sh``) and
selenium. Also usable as a library: :func:`screenshot` writes a PNG of a page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.iri import document_iri, entity_iri, evidence_iri, statement_iri  # noqa: E402
from kg.namespace import KG  # noqa: E402
from kg.view import render_html, write_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TYPES = ("Agency", "School", "Program", "PolicyDocument", "Place", "Person")
PREDS = ("implements", "locatedIn", "partOf", "issues", "memberOf", "cooperatesWith")


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 7) -> Graph:
    """``n_nodes`` entities and ``n_edges`` relations, each with a reified statement and evidence."""
    rnd = random.Random(seed)
    g = Graph()
    docs = []
    for i in range(50):
        d = document_iri(f"doc{i:03d}")
        g.add((d, RDF.type, KG.SourceDocument))
        g.add((d, RDFS.label, Literal(f"政策文件{i:03d}.txt")))
        docs.append(d)
    ents = []
    for i in range(n_nodes):
        t = TYPES[i % len(TYPES)]
        name = f"{t}实体{i:05d}"
        e = entity_iri(t, name, f"{210000 + i:06d}" if t == "Place" else None)
        g.add((e, RDF.type, KG[t]))
        g.add((e, RDFS.label, Literal(name, lang="zh")))
        g.add((e, SKOS.altLabel, Literal(f"别名{i:05d}", lang="zh")))
        g.add((e, KG.mentionedIn, docs[i % len(docs)]))
        ents.append(e)
    hubs = ents[: max(1, n_nodes // 50)]
    seen: set = set()
    while len(seen) < n_edges:
        s = ents[rnd.randrange(n_nodes)]
        o = rnd.choice(hubs) if rnd.random() < 0.3 else ents[rnd.randrange(n_nodes)]
        p = rnd.choice(PREDS)
        if s == o or (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        g.add((s, KG[p], o))
        st = statement_iri(str(s), p, str(o))
        doc = rnd.choice(docs)
        start = len(seen) * 40
        ev = evidence_iri(str(doc).rsplit("/", 1)[-1], start, start + 20)
        for t in ((st, RDF.type, RDF.Statement), (st, RDF.subject, s), (st, RDF.predicate, KG[p]),
                  (st, RDF.object, o), (st, KG.evidence, ev), (ev, RDF.type, KG.Evidence),
                  (ev, KG.source, doc), (ev, KG.text, Literal(f"第{len(seen)}句：关于两者关系的证据句子。")),
                  (ev, KG.start, Literal(start)), (ev, KG.end, Literal(start + 20))):
            g.add(t)
    return g


def make_driver(profile: str, width: int = 1400, height: int = 900):
    os.environ["SE_OFFLINE"] = "true"  # never let selenium manager download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)


def load_until_ready(driver, page: Path, timeout: float = 300.0) -> tuple[float, float]:
    """(wall seconds from navigation to kgReady, in-page ms from navigation start)."""
    driver.get("about:blank")
    driver.get_log("browser")  # drop what the start page logged
    driver.get_log("performance")
    t0 = time.perf_counter()
    driver.get(page.as_uri())
    while time.perf_counter() - t0 < timeout:
        if driver.execute_script("return window.kgReady === true"):
            wall = time.perf_counter() - t0
            return wall, float(driver.execute_script("return window.kgReadyMs"))
        time.sleep(0.05)
    raise TimeoutError(f"{page} never set window.kgReady within {timeout}s")


def screenshot(page_path: Path | str, png_path: Path | str, width: int = 1600, height: int = 1000,
               select: str | None = None) -> Path:
    """Open ``page_path`` in headless Chromium, wait for the layout, optionally search and
    select ``select`` (a label), and write a PNG to ``png_path``."""
    profile = tempfile.mkdtemp(prefix="kg-shot-")
    driver = make_driver(profile, width, height)
    try:
        load_until_ready(driver, Path(page_path).resolve())
        if select:
            driver.execute_script("kgView.search(arguments[0])", select)
            time.sleep(0.3)
        png_path = Path(png_path)
        png_path.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(png_path))
        return png_path
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def measure(driver, n_nodes: int, n_edges: int, workdir: Path) -> dict:
    t = time.perf_counter()
    g = synthetic_graph(n_nodes, n_edges)
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(g, view_limit=None)
    render_s = time.perf_counter() - t
    page = workdir / f"view-{n_nodes}.html"
    info = write_html(g, page, view_limit=None)
    wall, in_page_ms = load_until_ready(driver, page)
    severe = [e["message"][:200] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    foreign = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "about:")):
                foreign.append(url)
    drawn = driver.execute_script("return kgView.nodeCount()")
    timings = driver.execute_script("return window.kgTimings")
    layout_s = (timings["stabilized"] - timings.get("startStabilizing", timings["network"])) / 1000
    iterations = driver.execute_script("return kgView.network.physics.options.stabilization.iterations")
    return {"nodes": info.nodes, "edges": info.edges, "drawn": drawn, "triples": len(g),
            "graph_build_s": build_s, "render_s": render_s, "html_mb": len(html.encode()) / 1e6,
            "ready_s": wall, "ready_in_page_s": in_page_ms / 1000, "layout_s": layout_s, "iterations": iterations, "severe": severe, "foreign": foreign}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--edges", type=int, default=10000)
    ap.add_argument("--baseline", type=int, default=500, help="nodes of the baseline page (edges = 2x)")
    ap.add_argument("--screenshot", type=Path, help="also write a PNG of the large page here")
    args = ap.parse_args(argv)
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        print("chromium/chromedriver missing: run scripts/ensure-chromium.sh", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    profile = tempfile.mkdtemp(prefix="kg-bench-profile-")
    driver = make_driver(profile)
    try:
        rows = [("baseline", measure(driver, args.baseline, args.baseline * 2, workdir)),
                ("large", measure(driver, args.nodes, args.edges, workdir))]
        if args.screenshot:
            driver.save_screenshot(str(args.screenshot))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    for name, r in rows:
        print(f"{name:8s} {r['nodes']:>5d} nodes {r['edges']:>6d} edges ({r['triples']} triples, "
              f"{r['html_mb']:.1f} MB page): render_html {r['render_s']:.2f} s; "
              f"kgReady after {r['ready_s']:.2f} s (in page {r['ready_in_page_s']:.2f} s, of which layout "
              f"{r['layout_s']:.2f} s for {r['iterations']} iterations); "
              f"drawn {r['drawn']}; console errors {len(r['severe'])}; foreign requests {len(r['foreign'])}")
        for m in r["severe"][:5]:
            print("   SEVERE", m)
    (_, b), (_, big) = rows
    print(f"ratio large/baseline: render {big['render_s'] / b['render_s']:.1f}x, "
          f"kgReady {big['ready_s'] / b['ready_s']:.1f}x")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
