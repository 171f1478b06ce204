"""``kg build --engine dask``: on a real Dask LocalCluster of worker processes (issue 12).

The graph is byte for byte the local build's; a file that fails is one line naming it and
the batch goes on; each worker loads the pipeline once; fragments come back in input order.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster  # noqa: E402

from kg.dask_engine import DaskEngine, warmups  # noqa: E402
from kg.pipeline import Failure, Pipeline  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def cluster():
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                     silence_logs=logging.ERROR)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    """The seeds, a copy of one under another name, and a file that cannot be built."""
    folder = tmp_path / "inbox"
    shutil.copytree(SEEDS, folder)
    first = sorted(folder.glob("*.txt"))[0]
    shutil.copy(first, folder / "zz-copy.txt")
    (folder / "blank.txt").write_text("\n   \n", encoding="utf-8")
    return folder


def kg_build(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "build", *map(str, args), "--no-progress"],
                          capture_output=True, text=True, timeout=600)


def test_dask_build_is_byte_identical_and_reports_failures_like_local(inbox: Path, tmp_path: Path, cluster) -> None:
    common = ("--no-cache", "--no-validate", "--format", "turtle", "--format", "ntriples")
    local = kg_build(inbox, "--out", tmp_path / "local", "--jobs", "1", *common)
    dask = kg_build(inbox, "--out", tmp_path / "dask", "--engine", "dask", "--scheduler",
                    cluster.scheduler_address, *common)
    assert local.returncode == dask.returncode == 3, (local.stderr, dask.stderr)  # built, one file failed
    for name in ("graph.ttl", "graph.nt"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    failed = [line for line in dask.stderr.splitlines() if "blank.txt" in line]
    assert failed == [line for line in local.stderr.splitlines() if "blank.txt" in line]
    assert len(failed) == 1 and failed[0].startswith("kg: ") and str(inbox / "blank.txt") in failed[0]
    assert dask.stdout.splitlines()[0].split(" in ")[0] == local.stdout.splitlines()[0].split(" in ")[0]


def test_dask_build_on_its_own_local_cluster_is_byte_identical(tmp_path: Path) -> None:
    """Without --scheduler: kg build starts a LocalCluster of worker processes, then stops it."""
    common = ("--no-validate", "--format", "turtle")
    local = kg_build(SEEDS, "--out", tmp_path / "local", "--jobs", "1", "--no-cache", *common)
    dask = kg_build(SEEDS, "--out", tmp_path / "dask", "--engine", "dask", "--jobs", "2", *common)
    assert local.returncode == dask.returncode == 0, dask.stderr
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()
    assert "cache: 0 documents unchanged, 5 analysed (on Dask workers)" in dask.stdout
    again = kg_build(SEEDS, "--out", tmp_path / "dask", "--engine", "dask", "--jobs", "2", *common)
    assert again.returncode == 0 and "cache: 5 documents unchanged, 0 analysed" in again.stdout
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()


def test_fragments_come_back_in_input_order_and_workers_warm_once(inbox: Path, cluster) -> None:
    engine = DaskEngine(scheduler=cluster.scheduler_address)
    local, local_failures = Pipeline().run_fragments([inbox], jobs=1)
    for _ in range(2):  # a second batch on the same workers: no new start-up
        frags, failures = Pipeline().run_fragments([inbox], dask=engine)
        assert [f.doc_id for f in frags] == [f.doc_id for f in local]
        assert [f.source for f in frags] == [f.source for f in local]  # the paths as given, not as resolved
        assert frags == local  # field by field
        assert failures == local_failures and all(isinstance(f, Failure) for f in failures)
    with Client(cluster.scheduler_address) as client:
        per_worker = client.run(warmups)
    assert len(per_worker) == 2 and set(per_worker.values()) == {1}, per_worker


def test_workers_that_do_not_see_the_files_get_their_bytes(inbox: Path, cluster) -> None:
    """ship=True: every document goes as its bytes (what a worker without the shared folder gets)."""
    local, local_failures = Pipeline().run_fragments([inbox], jobs=1)
    frags, failures = Pipeline().run_fragments([inbox], dask=DaskEngine(scheduler=cluster.scheduler_address,
                                                                        ship=True))
    assert [f.source for f in frags] == [f.source for f in local] and failures == local_failures
    assert frags == local  # the same fragments, field by field (so the same graph)


def test_a_missing_file_is_reported_missing_then_analysed_from_its_bytes(tmp_path: Path) -> None:
    from kg.dask_engine import MISSING, _as_given, analyse, analyse_bytes

    src = sorted(SEEDS.glob("*.txt"))[0]
    assert analyse(str(tmp_path / "elsewhere" / src.name), "d") == MISSING
    shipped = _as_given(analyse_bytes(src.name, src.read_bytes(), "d"), src)
    assert shipped == Pipeline().fragment_safely(src, "d")


def test_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    res = kg_build(SEEDS, "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:8786")
    assert res.returncode == 2 and res.stderr == "kg: --scheduler is for --engine dask\n"
