"""Reading a build back (issue 12, item 6): the page's size and kg query/stats/explain on the
build's store against parsing its Turtle, in one run (not a test).

    .venv/bin/python bench/bench_readback.py [--docs 1000] [--view-limit 1000 ...] [--keep]

Builds ``--docs`` varied copies of the seeds (``bench/bench_scale.py``'s corpus) once
with ``--with-store``, then prints for each ``--view-limit`` (default: 5000 and 1000)
the size of graph.html (``kg export`` from the same Turtle) and how many evidence
sentences it carries of all, and the wall time of ``kg stats``, ``kg query`` (a
library query) and ``kg explain`` on ``OUT/graph.ttl`` (read from ``OUT/store/``)
against the same commands on a copy of the Turtle with no build beside it (parsed),
each in a fresh process as a user runs it; the outputs of both are compared.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import kg_build, make_corpus  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]


def run(*args: str) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run([*KG, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"kg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return wall, proc.stdout


def page_stats(page: Path) -> tuple[float, int, int, int]:
    text = page.read_text("utf-8")
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    data = json.loads(m.group(1)) if m else {}
    total = data.get("total", {})
    return len(text.encode("utf-8")) / 1e6, len(data.get("nodes", [])), len(data.get("evidence", [])), \
        int(total.get("evidence", 0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents of the corpus")
    ap.add_argument("--view-limit", dest="limits", type=int, action="append", help="(repeat) default: 5000, 1000")
    ap.add_argument("--query", default="indicator_values", help="library query timed")
    ap.add_argument("--explain", default="葫芦岛市", help="REF of kg explain")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and outputs (printed)")
    args = ap.parse_args()
    limits = args.limits or [5000, 1000]
    work = Path(tempfile.mkdtemp(prefix="kg-bench-readback-"))
    try:
        corpus = work / "corpus"
        make_corpus(corpus, args.docs)
        out = work / "out"
        wall, peak = kg_build(corpus, out, "--with-store", "--no-validate", "--no-cache",
                              "--view-limit", str(limits[0]))
        print(f"build: {args.docs} documents in {wall:.1f} s — {peak['summary']}")
        ttl = out / "graph.ttl"
        print(f"graph.ttl {ttl.stat().st_size / 1e6:.1f} MB; store "
              f"{sum(p.stat().st_size for p in (out / 'store').iterdir()) / 1e6:.1f} MB")
        for limit in limits:
            page = out / "graph.html"
            if limit != limits[0]:
                page = work / f"view-{limit}" / "graph.html"
                page.parent.mkdir()
                from rdflib import Graph

                from kg.view import write_html

                write_html(Graph().parse(ttl), page, view_limit=limit)
            mb, nodes, carried, total = page_stats(page)
            print(f"graph.html --view-limit {limit}: {mb:.1f} MB, {nodes} nodes drawn, "
                  f"{carried} of {total} evidence sentences embedded")
        plain = work / "plain" / "graph.ttl"
        plain.parent.mkdir()
        shutil.copy2(ttl, plain)
        for cmd in (["stats"], ["query", args.query, "--format", "csv", "--graph"],
                    ["explain", args.explain, "--graph"]):
            t_store, out_store = run(*cmd, str(ttl))
            t_parse, out_parse = run(*cmd, str(plain))
            same = "same output" if out_store == out_parse else "OUTPUTS DIFFER"
            print(f"kg {' '.join(cmd[:2]) if cmd[0] == 'query' else cmd[0]:<28} store {t_store:6.2f} s   "
                  f"parse {t_parse:6.2f} s   {t_parse / t_store:5.1f}×   {same}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
