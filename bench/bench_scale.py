"""kg build at scale: workers, the incremental cache and memory, against baselines of the same run (not a test).

    .venv/bin/python bench/bench_scale.py [--docs 100] [--scale 5] [--validate] [--format turtle ...]
    .venv/bin/python bench/bench_scale.py --docs 1000 --scale 5     # 1,000 and 5,000 documents

Writes a corpus of ``--docs`` copies of the seed documents, each copy's
figures shifted (years kept) and its lines marked, so no two documents are
alike, and runs ``kg build`` (each in a process of its own, as a user runs
it; start-up included) to print:

* ``--jobs 2`` against ``--jobs 1`` (full builds, no cache): the speed-up;
* a rebuild after changing 1 % of the documents against a full build
  (both ``--jobs 2``, the cache of the full build), and its Turtle against a full build of the changed corpus;
* CPU seconds of the build process (fusion, assembly, writing) and of its workers (analysis), to see
  whether the build process keeps up at ``--jobs 2``;
* the full build against jieba.posseg over the same normalized text
  (posseg timed warm, in this process: the throughput ratio issue 12 asks ≥ 0.5);
* the build's peak memory (``getrusage`` ru_maxrss of the build process and
  of its largest worker) at ``--docs`` and ``--scale`` × ``--docs`` documents.

The Turtle of ``--jobs 1`` and ``--jobs 2`` is compared byte for byte.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# runs kg build in this process and writes its peak memory (and its workers') to argv[1]
_CHILD = """
import json, resource, sys
from kg.cli import main
code = 0
try:
    main(sys.argv[2:], standalone_mode=False)
except SystemExit as e:
    code = e.code or 0
finally:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = {"self_kb": me.ru_maxrss, "children_kb": kids.ru_maxrss, "code": code,
            "self_cpu": me.ru_utime + me.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime}
    open(sys.argv[1], "w").write(json.dumps(peak))
"""

_YEAR = re.compile(r"(?:19|20)\d{2}(?=年|-|\.|/)")


def vary(text: str, i: int) -> str:
    """Copy ``i`` of a seed: figures shifted by ``i`` (years kept), each non-empty line marked ``(i)``."""
    def shift(m: re.Match[str]) -> str:
        s = m.group()
        return s if _YEAR.fullmatch(s) or (len(s) == 4 and s[:2] in ("19", "20")) else str(int(s) + i)

    text = re.sub(r"\d+", shift, text)
    return "\n".join(f"{line}({i})" if line.strip() else line for line in text.split("\n")) + "\n"


def make_corpus(folder: Path, n: int) -> list[Path]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [p.read_text("utf-8") for p in seeds]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        i, seed = divmod(k, len(seeds))
        path = folder / f"{seeds[seed].stem[:3]}-{i:05d}.txt"
        path.write_text(vary(texts[seed], i), "utf-8")
        paths.append(path)
    return paths


def kg_build(corpus: Path, out: Path, *args: str) -> tuple[float, dict]:
    """Wall seconds and peak memory of ``kg build corpus --out out args`` in a fresh process."""
    peak_file = out.with_suffix(".peak.json")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(peak_file), "build", str(corpus), "--out", str(out),
                           "--no-progress", *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"kg build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    peak = json.loads(peak_file.read_text())
    peak["summary"] = next((ln for ln in proc.stdout.splitlines() if " documents (" in ln), "")
    peak["fallback"] = next((ln for ln in proc.stdout.splitlines() if ln.startswith("incremental: full build")), "")
    return wall, peak


def posseg_seconds(paths: list[Path]) -> tuple[float, int]:
    from kg.ingest import read_document
    from kg.normalize import normalize
    from kg.tokenize import pos_cut

    texts = [normalize(read_document(p).text).text for p in paths]
    pos_cut("预热")
    t = time.perf_counter()
    for text in texts:
        pos_cut(text)
    return time.perf_counter() - t, sum(len(x) for x in texts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100, help="documents of the base corpus (N)")
    ap.add_argument("--scale", type=int, default=5, help="the memory run builds scale × N documents")
    ap.add_argument("--format", dest="formats", action="append", help="export formats (default: turtle)")
    ap.add_argument("--validate", action="store_true", help="run the SHACL check in every build")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and outputs (printed)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    common = [a for f in (args.formats or ["turtle"]) for a in ("--format", f)]
    if not args.validate:
        common.append("--no-validate")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    try:
        corpus = tmp / "corpus"
        paths = make_corpus(corpus, args.docs)
        t_pos, chars = posseg_seconds(paths)
        print(f"corpus: {len(paths)} documents, {chars:,} characters (normalized); "
              f"builds: {' '.join(common)}; kg build in a fresh process each, start-up included")

        t1, m1 = kg_build(corpus, tmp / "j1", "--jobs", "1", "--no-cache", *common)
        t2, m2 = kg_build(corpus, tmp / "j2", "--jobs", "2", "--no-cache", *common)
        same = (tmp / "j1" / "graph.ttl").read_bytes() == (tmp / "j2" / "graph.ttl").read_bytes() \
            if "turtle" in (args.formats or ["turtle"]) else None
        print(f"  {m1['summary']}")

        tf, _ = kg_build(corpus, tmp / "inc", "--jobs", "2", *common)  # full build, fills the cache
        k = math.ceil(len(paths) / 100)  # 1 %, spread over the corpus
        changed = paths[:: len(paths) // k][:k]
        for p in changed:
            p.write_text(p.read_text("utf-8") + "\n全市新建幼儿园7所。\n", "utf-8")
        ti, mi = kg_build(corpus, tmp / "inc", "--jobs", "2", *common)
        if mi["fallback"]:
            print(f"  the rebuild was not incremental: {mi['fallback']}")
        tn, _ = kg_build(corpus, tmp / "inc-full", "--jobs", "2", "--no-cache", *common)  # the same input, full
        same_inc = (tmp / "inc" / "graph.ttl").read_bytes() == (tmp / "inc-full" / "graph.ttl").read_bytes() \
            if "turtle" in (args.formats or ["turtle"]) else None

        big = tmp / "big"
        make_corpus(big, args.docs * args.scale)
        tb, mb = kg_build(big, tmp / "jbig", "--jobs", "2", "--no-cache", *common)

        print(f"{'measure':48} {'seconds':>8} {'ratio':>8}")
        print(f"{'jieba.posseg over the text (baseline)':48} {t_pos:8.2f}")
        print(f"{'kg build --jobs 1':48} {t1:8.2f} {t_pos / t1:7.2f}× posseg throughput")
        print(f"{'kg build --jobs 2':48} {t2:8.2f} {t_pos / t2:7.2f}× posseg throughput")
        print(f"{'  --jobs 2 vs --jobs 1 (speed-up)':48} {'':8} {t1 / t2:7.2f}×   Turtle identical: {same}")
        print(f"{'full build --jobs 2 (cache filled)':48} {tf:8.2f}")
        print(f"{f'rebuild after changing {len(changed)} of {len(paths)} documents':48} {ti:8.2f} "
              f"{tf / ti:7.2f}× faster   Turtle identical to a full build of it: {same_inc}")
        for name, m in (("--jobs 1", m1), ("--jobs 2", m2)):
            # CPU seconds of the build process itself (assembly, writing) and of its workers (analysis)
            print(f"{f'  CPU of {name}: build process / workers':48} {m['self_cpu']:8.1f} "
                  f"{m['children_cpu']:7.1f} s  (build process {m['self_cpu'] / t2:.0%} of a core at --jobs 2)"
                  if name == "--jobs 2" else
                  f"{f'  CPU of {name}: build process / workers':48} {m['self_cpu']:8.1f} {m['children_cpu']:7.1f} s")
        mem = [(len(paths), m2), (args.docs * args.scale, mb)]
        for n, m in mem:
            print(f"{f'peak memory at {n} documents (--jobs 2)':48} build {m['self_kb'] / 1024:7.0f} MB, "
                  f"largest worker {m['children_kb'] / 1024:5.0f} MB")
        print(f"{'  growth from N to scale × N (build process)':48} {'':8} "
              f"{mb['self_kb'] / m2['self_kb']:7.2f}× for {args.scale}× the documents ({tb:.1f} s)")
        print(f"  {mb['summary']}")
        if args.keep:
            print(f"kept: {tmp}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
