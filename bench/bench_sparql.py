"""Benchmark: the query library on Oxigraph vs rdflib's SPARQL evaluator, ≥ 1,000,000 triples.

The synthetic graph replicates the seed build's structure: N copies of its
N-Triples, each copy's instance IRIs (``kgr:``) rewritten under ``kgr:cI/``
so copies are disjoint (the ontology terms and the literals are shared).
Both engines load the same file and run the same query text (the contract's
PREFIX lines + each ``kg/queries/*.rq``) in the same run. rdflib runs each query
in a forked child with a time cap; a capped query is reported as "> CAP s"
and its ratio as a lower bound.

    .venv/bin/python bench/bench_sparql.py [--triples 1000000] [--timeout 60]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

import kg  # noqa: E402
from kg.namespace import KGR_NS  # noqa: E402
from kg.query import with_prologue  # noqa: E402


def synthetic(seed_nt: str, triples: int, out: Path) -> tuple[int, int]:
    """Write copies of ``seed_nt`` to ``out`` until at least ``triples`` lines; returns (copies, lines)."""
    lines = seed_nt.count("\n")
    copies = max(1, math.ceil(triples / lines))
    needle = f"<{KGR_NS}"
    with out.open("w", encoding="utf-8") as f:
        for i in range(copies):
            f.write(seed_nt.replace(needle, f"<{KGR_NS}c{i}/"))
    return copies, copies * lines


def _rdflib_child(graph, text: str, conn) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    try:
        res = graph.query(text)
        n = len(list(res)) if res.type == "SELECT" else 1
    except Exception as exc:  # rdflib's evaluator fails on some valid queries
        conn.send((None, f"error: {type(exc).__name__} {exc}"[:80]))
    else:
        conn.send((time.perf_counter() - t0, n))
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="least number of triples (default 1,000,000)")
    ap.add_argument("--timeout", type=float, default=60.0, help="time cap per rdflib query in seconds (default 60)")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="documents of the seed build")
    ap.add_argument("--no-rdflib", action="store_true", help="time Oxigraph only")
    args = ap.parse_args()

    t0 = time.perf_counter()
    seed = kg.build([args.seeds])
    seed_nt = "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in seed))
    print(f"seed build: {len(seed):,} triples in {time.perf_counter() - t0:.1f} s")

    queries = {p.stem: with_prologue(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "kg" / "queries").glob("*.rq"))}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        nt = Path(tmp) / "synthetic.nt"
        t0 = time.perf_counter()
        copies, lines = synthetic(seed_nt, args.triples, nt)
        print(f"synthetic graph: {copies} copies, {lines:,} triples, {nt.stat().st_size / 1e6:.0f} MB "
              f"written in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        n_ox = len(store)
        print(f"oxigraph load (in memory, bulk): {n_ox:,} triples in {time.perf_counter() - t0:.1f} s")

        ox_times: dict[str, tuple[float, int]] = {}
        for name, text in queries.items():
            best, rows = math.inf, 0
            for _ in range(3):
                t = time.perf_counter()
                res = store.query(text)
                rows = len(list(res)) if isinstance(res, ox.QuerySolutions) else 1
                best = min(best, time.perf_counter() - t)
            ox_times[name] = (best, rows)

        rd_times: dict[str, tuple[float | None, int | str | None]] = {}
        if not args.no_rdflib:
            from rdflib import Graph

            t0 = time.perf_counter()
            g = Graph()
            g.parse(nt, format="nt")
            print(f"rdflib load (memory store, N-Triples): {len(g):,} triples in {time.perf_counter() - t0:.1f} s")
            ctx = mp.get_context("fork")  # the children share the loaded graph
            for name, text in queries.items():
                parent, child = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_rdflib_child, args=(g, text, child))
                proc.start()
                child.close()
                if parent.poll(args.timeout):
                    rd_times[name] = parent.recv()
                    proc.join()
                else:
                    proc.terminate()
                    proc.join()
                    rd_times[name] = (None, None)
                t_rd, info = rd_times[name]
                shown = f"{t_rd:.2f} s" if t_rd is not None else (info if isinstance(info, str) else f"> {args.timeout:.0f} s")
                print(f"  rdflib {name}: {shown}", file=sys.stderr)

    print()
    print(f"{'query':<30} {'rows':>7} {'oxigraph s':>11} {'rdflib s':>10} {'ratio':>9}")
    print("-" * 71)
    for name in queries:
        t_ox, rows = ox_times[name]
        if args.no_rdflib:
            print(f"{name:<30} {rows:>7} {t_ox:>11.3f}")
            continue
        t_rd, rows_rd = rd_times[name]
        if isinstance(rows_rd, str):
            rd, ratio = "error", "-"
        elif t_rd is None:
            rd, ratio = f"> {args.timeout:.0f}", f"> {args.timeout / max(t_ox, 1e-6):.0f}x"
        else:
            rd, ratio = f"{t_rd:.2f}", f"{t_rd / max(t_ox, 1e-6):.0f}x"
            if rows_rd != rows:
                ratio += " (rows differ)"
        print(f"{name:<30} {rows:>7} {t_ox:>11.3f} {rd:>10} {ratio:>9}")


if __name__ == "__main__":
    main()
