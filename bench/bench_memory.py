"""Issue 12 at scale: the default build's peak memory, its view's size and library queries on its store,
in one run (not a test).

    .venv/bin/python bench/bench_memory.py                       # 1,000 and 5,000 documents
    .venv/bin/python bench/bench_memory.py --docs 20000 --no-validate --samples rss.jsonl --keep

For each ``--docs N`` (default: 1000 and 5000) it writes ``bench/bench_scale.py``'s corpus of N
documents (copies of the seeds with their figures shifted, so nothing is deduplicated) and runs one
*default* ``kg build --jobs 2 --no-cache --with-store`` (formats turtle + html; the store
``OUT/store/``, which a build keeps by default from 100,000 triples; SHACL-validated unless
``--no-validate``) in a fresh process, as a
user runs it. It prints:

* wall time, triples, and the peak memory of the build process and of its largest worker
  (``getrusage`` ru_maxrss; with ``--samples``, also the process tree's RSS sampled every second,
  written to that file as JSON lines, so that a run stopped early still says where it got);
* graph.html's size, the nodes it draws and the evidence sentences it embeds of all;
* for each library query (``--query``, default indicator_values and programs_in_many_cities):
  the wall time of ``kg query NAME --graph OUT/graph.ttl`` (which reads ``OUT/store/``), each a
  fresh process with its start-up (best and worst of ``--repeat``), and the query's evaluation
  alone (the store opened once in this process).

``--corpus-root DIR`` keeps the corpora there (``DIR/cN``) and reuses them on the next run;
``--progress`` writes the build's progress bar into ``OUT.log``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_scale import _CHILD, make_corpus  # noqa: E402

QUERIES = ("indicator_values", "programs_in_many_cities")


class Sampler(threading.Thread):
    """The RSS of a process and of its descendants, every ``every`` seconds (psutil)."""

    def __init__(self, pid: int, log: Path | None, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.log, self.every = pid, log, every
        self.peak_main = self.peak_child = self.peak_tree = 0
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        out = open(self.log, "a", encoding="utf-8") if self.log else None
        t0 = time.time()
        try:
            proc = psutil.Process(self.pid)
            while not self.done.is_set():
                try:
                    main = proc.memory_info().rss
                    kids = []
                    for c in proc.children(recursive=True):
                        try:
                            kids.append(c.memory_info().rss)
                        except psutil.Error:
                            pass
                except psutil.Error:
                    break
                self.peak_main = max(self.peak_main, main)
                self.peak_child = max([self.peak_child, *kids])
                self.peak_tree = max(self.peak_tree, main + sum(kids))
                if out:
                    out.write(json.dumps({"t": round(time.time() - t0, 1), "build_mb": main >> 20,
                                          "workers_mb": [k >> 20 for k in kids]}) + "\n")
                    out.flush()
                self.done.wait(self.every)
        finally:
            if out:
                out.close()


def build(corpus: Path, out: Path, args: list[str], samples: Path | None, progress: bool) -> tuple[float, dict]:
    """Wall seconds and peak memory of ``kg build corpus --out out args`` in a fresh process."""
    peak_file = out.with_suffix(".peak.json")
    log = out.with_suffix(".log")
    cmd = [sys.executable, "-c", _CHILD, str(peak_file), "build", str(corpus), "--out", str(out),
           "--progress" if progress else "--no-progress", *args]
    t = time.perf_counter()
    with open(log, "w", encoding="utf-8") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT)
        sampler = Sampler(proc.pid, samples)
        sampler.start()
        code = proc.wait()
        sampler.done.set()
        sampler.join()
    wall = time.perf_counter() - t
    text = log.read_text("utf-8", errors="replace")
    if code != 0:
        sys.exit(f"kg build failed ({code}), see {log}:\n{text[-2000:]}")
    peak = json.loads(peak_file.read_text())
    peak["summary"] = next((ln for ln in text.splitlines() if " documents (" in ln), "")
    peak["shapes"] = next((ln for ln in text.splitlines() if ln.startswith("shapes:")), "")
    peak["sampled"] = {"build_mb": sampler.peak_main >> 20, "worker_mb": sampler.peak_child >> 20,
                       "tree_mb": sampler.peak_tree >> 20}
    return wall, peak


def page(path: Path) -> dict:
    text = path.read_text("utf-8")
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    data = json.loads(m.group(1)) if m else {}
    return {"mb": len(text.encode("utf-8")) / 1e6, "nodes": len(data.get("nodes", [])),
            "edges": len(data.get("edges", [])), "evidence": len(data.get("evidence", [])),
            "total": data.get("total", {}), "omitted": data.get("omitted", {})}


def query_command(name: str, graph: Path) -> tuple[float, int, str]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", name, "--format", "csv", "--graph", str(graph)],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"kg query {name} failed ({proc.returncode}):\n{proc.stderr}")
    return wall, len(proc.stdout.splitlines()) - 1, proc.stderr


def query_alone(name: str, store_dir: Path) -> float:
    from kg import query as q

    store = q.open_store(store_dir)
    _label, text = q.load_query_text(name)
    t = time.perf_counter()
    q.stream(store, text, "csv", io.BytesIO())
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, action="append", help="(repeat) documents of a build; default 1000, 5000")
    ap.add_argument("--no-validate", action="store_true", help="skip the build's SHACL check")
    ap.add_argument("--query", dest="queries", action="append", help=f"(repeat) default: {', '.join(QUERIES)}")
    ap.add_argument("--repeat", type=int, default=3, help="kg query runs per query")
    ap.add_argument("--samples", type=Path, help="write the RSS sampled every second here (JSON lines)")
    ap.add_argument("--progress", action="store_true", help="the build's progress bar into OUT.log")
    ap.add_argument("--corpus-root", type=Path, help="keep (and reuse) the corpora here")
    ap.add_argument("--keep", action="store_true", help="keep the outputs (printed)")
    args = ap.parse_args()
    sizes = args.docs or [1000, 5000]
    queries = args.queries or list(QUERIES)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-memory-"))
    # --with-store: what a build of more than 100,000 triples (about 150 documents) does by default
    common = ["--jobs", "2", "--no-cache", "--with-store"] + (["--no-validate"] if args.no_validate else [])
    print(f"kg build CORPUS --out OUT {' '.join(common)}  (default formats: turtle + html; "
          f"the store kept by default; {'not validated' if args.no_validate else 'SHACL-validated'})")
    try:
        for n in sizes:
            root = args.corpus_root or work
            corpus = root / f"c{n}"
            if not (corpus.is_dir() and len(list(corpus.glob("*.txt"))) == n):
                shutil.rmtree(corpus, ignore_errors=True)
                make_corpus(corpus, n)
            out = work / f"out{n}"
            if args.samples:
                with open(args.samples, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"docs": n, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
                            + "\n")
            wall, peak = build(corpus, out, common, args.samples, args.progress)
            print(f"\n{n} documents: {wall:.0f} s — {peak['summary']}")
            if peak["shapes"]:
                print(f"  {peak['shapes'][:160]}")
            print(f"  peak memory (getrusage): build process {peak['self_kb'] / 1024:.0f} MB, "
                  f"largest worker {peak['children_kb'] / 1024:.0f} MB; sampled every second: build "
                  f"{peak['sampled']['build_mb']} MB, worker {peak['sampled']['worker_mb']} MB, "
                  f"all processes together {peak['sampled']['tree_mb']} MB")
            p = page(out / "graph.html")
            print(f"  graph.html {p['mb']:.2f} MB: {p['nodes']} of {p['total'].get('nodes')} nodes, "
                  f"{p['edges']} of {p['total'].get('edges')} edges, {p['evidence']} of "
                  f"{p['total'].get('evidence')} evidence sentences")
            print(f"  graph.ttl {(out / 'graph.ttl').stat().st_size / 1e6:.0f} MB; store "
                  f"{sum(f.stat().st_size for f in (out / 'store').iterdir()) / 1e6:.0f} MB")
            from kg.readback import build_store_for

            if build_store_for(out / "graph.ttl") is None:
                print("  (no store of the build: kg query parses graph.ttl)")
            for name in queries:
                runs = [query_command(name, out / "graph.ttl") for _ in range(args.repeat)]
                walls = sorted(r[0] for r in runs)
                alone = query_alone(name, out / "store")
                print(f"  kg query {name:<26} {walls[0]:5.2f}–{walls[-1]:5.2f} s per command "
                      f"({runs[0][1]} rows; evaluation alone {alone:.2f} s)")
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
