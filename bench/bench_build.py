"""Build speed, measured against baselines timed in the same run (not a test).

    .venv/bin/python bench/bench_build.py [--copies 20]

Makes a corpus of the seed documents copied ``--copies`` times, then times:

* baseline A: reading and normalizing every file (ingest + normalize only);
* baseline B: jieba's part-of-speech tagger over the same normalized text
  (what a plain "segment everything" extractor would pay);
* the full pipeline (every stage up to the graph);
* Turtle output: rdflib's own serializer against kg's sorted writer.

and prints seconds, characters per second and the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export import turtle_bytes  # noqa: E402
from kg.graph import to_graph  # noqa: E402
from kg.ingest import iter_inputs, read_document  # noqa: E402
from kg.normalize import normalize  # noqa: E402
from kg.pipeline import Pipeline  # noqa: E402
from kg.tokenize import pos_cut  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        for i in range(args.copies):
            for f in sorted((ROOT / "seeds").glob("*.txt")):
                shutil.copy(f, tmp / f"{f.stem}-{i:03d}.txt")
        files = iter_inputs([tmp])
        pipeline = Pipeline()  # loading the gazetteer and jieba is paid once, outside the timings
        pos_cut("预热")

        texts, t_norm = timed(lambda: [normalize(read_document(p).text).text for p in files])
        chars = sum(len(t) for t in texts)
        _, t_jieba = timed(lambda: [pos_cut(t) for t in texts])
        (docs, failures), t_pipe = timed(lambda: pipeline.run(files))
        graph, t_graph = timed(lambda: to_graph(docs))
        _, t_rdflib = timed(lambda: graph.serialize(format="turtle"))
        _, t_ours = timed(lambda: turtle_bytes(graph))

        print(f"corpus: {len(files)} documents, {chars:,} characters ({len(failures)} failed), "
              f"{len(graph):,} triples")
        rows = [
            ("A ingest + normalize", t_norm),
            ("B jieba posseg over the text", t_jieba),
            ("pipeline (all stages)", t_pipe),
            ("graph (rdflib, fused)", t_graph),
        ]
        print(f"{'step':32} {'seconds':>8} {'chars/s':>10} {'× A':>7} {'× B':>7}")
        for name, t in rows:
            print(f"{name:32} {t:8.2f} {chars / t:10,.0f} {t / t_norm:7.1f} {t / t_jieba:7.2f}")
        print(f"{'Turtle: rdflib serializer':32} {t_rdflib:8.2f}")
        print(f"{'Turtle: kg sorted writer':32} {t_ours:8.2f}   ratio rdflib/kg = {t_rdflib / t_ours:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
