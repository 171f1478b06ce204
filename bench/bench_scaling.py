"""Does one document build in time proportional to its length? (not a test)

    .venv/bin/python bench/bench_scaling.py [--sizes 1 5 20]

Writes one UTF-8 document of the seeds' text, varied (each copy's lines
marked and its numbers shifted, so that normalize keeps every line), of 1, 5
and 20 MB, and times
the per-document pipeline on it (read, normalize, segment, extract, link) and
the whole build of it (pipeline, rdflib graph, sorted Turtle). Prints seconds
per MB at each size and the ratio of the largest size's rate (MB/s) to the
smallest's: 1.0 is perfectly linear; issue 11 asks for at least 0.7.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export import turtle_bytes  # noqa: E402
from kg.graph import to_graph  # noqa: E402
from kg.pipeline import Pipeline  # noqa: E402

MB = 1_000_000


def document(seed: str, size: int) -> str:
    """At most ``size`` bytes of UTF-8: copies of the seed text, every line of copy ``i`` ending in
    ``(i)`` and its numbers shifted by ``i``, so that no line repeats (normalize drops repeated lines)."""
    parts, total, i = [], 0, 0
    while total < size:
        copy = re.sub(r"\d+", lambda m, i=i: str(int(m.group()) + i), seed)
        part = "\n".join(f"{line}({i})" if line.strip() else line for line in copy.split("\n")) + "\n"
        parts.append(part)
        total += len(part.encode("utf-8"))
        i += 1
    return "".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20], help="document sizes in MB")
    args = ap.parse_args()
    seed = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    pipeline = Pipeline()
    pipeline.warm()  # jieba, OpenCC and the lexicons load outside the timings
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for size_mb in args.sizes:
            path = Path(tmp) / f"doc-{size_mb:g}MB.txt"
            path.write_text(document(seed, int(size_mb * MB)), encoding="utf-8")
            size = path.stat().st_size / MB
            gc.collect()
            t0 = time.perf_counter()
            doc = pipeline.process(path)
            t1 = time.perf_counter()
            ttl = turtle_bytes(to_graph([doc]))
            t2 = time.perf_counter()
            rows.append((size, len(doc.text), t1 - t0, t2 - t0, len(ttl)))
            print(f"{size:.2f} MB: {len(doc.text):,} characters after normalize, {len(doc.observations):,} "
                  f"observations, pipeline {t1 - t0:.1f} s, build {t2 - t0:.1f} s", file=sys.stderr)
            del doc, ttl
    print(f"{'MB':>6} {'chars':>11} {'pipeline s':>11} {'s/MB':>6} {'build s':>8} {'s/MB':>6} {'Turtle MB':>10}")
    for size, chars, t_pipe, t_all, ttl in rows:
        print(f"{size:6.2f} {chars:11,} {t_pipe:11.1f} {t_pipe / size:6.2f} {t_all:8.1f} {t_all / size:6.2f} "
              f"{ttl / MB:10.1f}")
    (s0, _, p0, a0, _), (s1, _, p1, a1, _) = rows[0], rows[-1]
    print(f"rate at {s1:g} MB / rate at {s0:g} MB: pipeline {(s1 / p1) / (s0 / p0):.2f}, "
          f"whole build {(s1 / a1) / (s0 / a0):.2f} (1.0 = linear; target >= 0.7)")


if __name__ == "__main__":
    main()
