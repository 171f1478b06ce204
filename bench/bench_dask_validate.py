"""kg build on Dask against --jobs, and SHACL validation against extraction (issue 12, items 4, 5, 7; not a test).

    .venv/bin/python bench/bench_dask_validate.py [--docs 100] [--big 1500] [--jobs 2]

Corpora as ``bench_scale.py`` makes them (copies of the seeds, figures
shifted, so nothing is deduplicated). In one run, against baselines of the
same run:

* ``kg build --engine dask`` (a LocalCluster of ``--jobs`` worker
  processes, started by the build) against ``kg build --jobs N`` on ``--docs``
  documents, each a fresh process with its start-up; the Turtle compared byte
  for byte;
* at ``--big`` documents (1,500 ≈ 1.1 M triples): the extraction
  (``Pipeline.run_fragments`` over ``--jobs`` workers, worker start-up
  included) against the validation of the build's output — from the build's
  own store (``OUT/store/``, what ``kg build`` checks at that size) and from
  its N-Triples (``kg validate graph.nt``: bulk load + checks) — and against
  pySHACL on a sample (it takes ~20 s per 100k triples; the full graph would take
  tens of minutes).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_scale import make_corpus  # noqa: E402


def kg(*args: object) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):  # 1: kg validate found violations
        sys.exit(f"kg {' '.join(map(str, args[:2]))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return wall, proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100, help="documents of the Dask vs --jobs run (0: skip it)")
    ap.add_argument("--big", type=int, default=1500, help="documents of the validation run (0: skip it)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (both engines) and query threads")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and outputs (printed)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-dask-"))
    try:
        if args.docs:
            dask_report(tmp, args.docs, args.jobs)
        if args.big:
            big_report(tmp, args.big, args.jobs)
        if args.keep:
            print(f"kept: {tmp}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def dask_report(tmp: Path, n: int, jobs: int) -> None:
    corpus = tmp / "corpus"
    make_corpus(corpus, n)
    common = ("--no-progress", "--no-cache", "--no-validate", "--format", "turtle", "--no-store")
    t_local, p_local = kg("build", corpus, "--out", tmp / "local", "--jobs", jobs, *common)
    t_dask, p_dask = kg("build", corpus, "--out", tmp / "dask", "--engine", "dask", "--jobs", jobs, *common)
    same = (tmp / "local" / "graph.ttl").read_bytes() == (tmp / "dask" / "graph.ttl").read_bytes()
    print(f"{n} documents; kg build in a fresh process each, start-up included")
    print(f"  {p_local.stdout.splitlines()[0]}")
    print(f"{'measure':52} {'seconds':>8} {'ratio':>8}")
    print(f"{f'kg build --jobs {jobs} (baseline)':52} {t_local:8.2f}")
    print(f"{f'kg build --engine dask (LocalCluster, {jobs} workers)':52} {t_dask:8.2f} "
          f"{t_local / t_dask:7.2f}× the speed of --jobs   Turtle identical: {same}")


def big_report(tmp: Path, n: int, jobs: int) -> None:
    from kg.pipeline import Pipeline
    from kg.shacl_sparql import validate_build, validate_file
    from kg.worker import Budget

    big = tmp / "big"
    paths = make_corpus(big, n)
    out = tmp / "big-out"
    t_build, proc = kg("build", big, "--out", out, "--jobs", jobs, "--no-progress", "--no-cache", "--no-validate",
                       "--format", "ntriples", "--with-store")
    summary = proc.stdout.splitlines()[0]

    c0, t = cpu(), time.perf_counter()
    frags, failures = Pipeline().run_fragments(paths, jobs=jobs, budget=Budget())
    t_extract, c_extract = time.perf_counter() - t, cpu() - c0
    assert len(frags) == n and not failures
    del frags

    c0 = cpu()
    checked_store = validate_build(out, threads=jobs)
    c_store = cpu() - c0
    assert checked_store is not None and checked_store.source == "store"
    t_file, vproc = kg("validate", out / "graph.nt", "--jobs", jobs)
    c0 = cpu()
    checked_file = validate_file(out / "graph.nt", threads=jobs)
    c_file = cpu() - c0
    sample, t_pyshacl, t_sparql_sample = pyshacl_sample(out / "graph.nt", tmp, jobs)

    print(f"\n{n} documents: {summary}")
    print(f"{'measure':52} {'seconds':>8} {'ratio':>8}   CPU seconds (all processes), ratio")
    print(f"{f'extraction (run_fragments, --jobs {jobs}) (baseline)':52} {t_extract:8.2f} {'':8}   {c_extract:8.2f}")
    print(f"{'whole kg build --no-validate (fresh process)':52} {t_build:8.2f}")
    print(f"{'validation from the build store (kg build does this)':52} {checked_store.seconds:8.2f} "
          f"{checked_store.seconds / t_extract:7.2f}×   {c_store:8.2f} {c_store / c_extract:6.2f}× extraction")
    print(f"{'validation of graph.nt: load + checks, in process':52} {checked_file.seconds:8.2f} "
          f"{checked_file.seconds / t_extract:7.2f}×   {c_file:8.2f} {c_file / c_extract:6.2f}× extraction "
          f"(load {checked_file.load_seconds:.1f} s)")
    print(f"{'kg validate graph.nt (fresh process: the build store)':52} {t_file:8.2f} "
          f"{t_file / t_extract:7.2f}× extraction")
    print(f"  {checked_store.line()}")
    print(f"  kg validate: {vproc.stdout.splitlines()[0]}")
    print(f"{f'pySHACL on a {sample:,}-triple sample':52} {t_pyshacl:8.2f} "
          f"{t_pyshacl / t_sparql_sample:7.1f}× the SPARQL check of that sample ({t_sparql_sample:.2f} s)")


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the pool's workers)."""
    import resource

    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def pyshacl_sample(nt: Path, tmp: Path, jobs: int, lines: int = 100_000) -> tuple[int, float, float]:
    """pySHACL and the SPARQL check on the first ``lines`` triples (their results compared)."""
    from collections import Counter

    from kg.shacl_sparql import validate_file
    from kg.validate import validate

    sample = tmp / "sample.nt"
    with nt.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= lines:
                break
            dst.write(line)
    t = time.perf_counter()
    ref = validate(sample)
    t_ref = time.perf_counter() - t
    mine = validate_file(sample, threads=jobs)

    def key(vs):
        return Counter((v.focus, v.path, v.message) for v in vs)

    if key(ref.violations) != key(mine.report.violations):
        print("  !! pySHACL and the SPARQL check disagree on the sample")
    else:
        print(f"  sample: pySHACL and the SPARQL check agree ({len(ref.violations):,} results"
              + ("; a cut graph has dangling nodes)" if ref.violations else ")"))
    return sum(1 for _ in sample.open(encoding="utf-8")), t_ref, mine.seconds


if __name__ == "__main__":
    main()
