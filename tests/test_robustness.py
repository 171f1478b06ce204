"""Bad input, faults and hostile use on the build side (issue 11).

Each case says what must hold: the exit status, the one line that names the
file, the exports of the last good build left intact, memory bounded. Budgets
are made small through the CLI's own options so that a case that must time
out does so in a second or two; nothing here judges speed (that is bench/).
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import Pipeline
from kg.worker import Budget, can_isolate, run_bounded

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SHORT = (SEEDS / "004_94ac15da65c8d532.txt").read_text("utf-8")

needs_fork = pytest.mark.skipif(not can_isolate(), reason="worker processes need fork (POSIX)")


def build(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *map(str, args), "--no-progress"])
    return result.exit_code, result.stdout, result.stderr


def kg_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kg: ")]


# ---------------------------------------------------------------- per-document budget


def _slow(task: str) -> str:
    if task == "slow":
        while True:
            time.sleep(0.05)
    return task.upper()


def _hog(task: str) -> int:
    if task == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(50 * 1024 * 1024))
    return 1


@needs_fork
def test_worker_stops_a_task_out_of_time_and_goes_on() -> None:
    outcomes = list(run_bounded(_slow, ["a", "slow", "b"], Budget(seconds=1, memory_mb=None)))
    assert [o.task for o in outcomes] == ["a", "slow", "b"]
    assert [o.result for o in outcomes] == ["A", None, "B"]
    assert outcomes[1].error == "took longer than 1 s (--max-seconds-per-file); stopped"


@needs_fork
def test_worker_stops_a_task_out_of_memory() -> None:
    outcomes = list(run_bounded(_hog, ["hog", "ok"], Budget(seconds=None, memory_mb=200)))
    assert outcomes[0].error is not None and "out of memory" in outcomes[0].error
    assert "200 MB" in outcomes[0].error
    assert outcomes[1].result == 1


def _crash(task: str) -> str:
    if task == "die":
        os.kill(os.getpid(), signal.SIGTERM)
    if task == "raise":
        raise RuntimeError("a bug, not bad input")
    return task


@needs_fork
def test_worker_reports_a_crash_or_an_exception_in_one_line() -> None:
    outcomes = list(run_bounded(_crash, ["die", "raise", "fine"], Budget()))
    assert outcomes[0].error == "worker process crashed (SIGTERM)"
    assert outcomes[1].error == "could not be processed (RuntimeError: a bug, not bad input)"
    assert outcomes[2].result == "fine"


@needs_fork
def test_build_stops_a_document_out_of_time_and_builds_the_rest(tmp_path, monkeypatch) -> None:
    analyse = Pipeline.analyse

    def hang_on_slow(self, doc):
        while doc.doc_id == "slow":
            time.sleep(0.05)
        return analyse(self, doc)

    monkeypatch.setattr(Pipeline, "analyse", hang_on_slow)  # the forked worker inherits it
    (tmp_path / "slow.txt").write_text(SHORT, "utf-8")
    (tmp_path / "good.txt").write_text(SHORT, "utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = build(tmp_path / "slow.txt", tmp_path / "good.txt", "--out", out, "--no-validate",
                                 "--max-seconds-per-file", "1")
    assert code == 3
    assert kg_lines(stderr) == [f"kg: {tmp_path / 'slow.txt'}: took longer than 1 s (--max-seconds-per-file); stopped"]
    assert stdout.startswith("1 documents (1 failed)")
    assert "县管校聘" in (out / "graph.ttl").read_text("utf-8")


@needs_fork
def test_build_stops_a_document_out_of_memory(tmp_path, monkeypatch) -> None:
    analyse = Pipeline.analyse

    def hog_on_big(self, doc):
        blocks = []
        while doc.doc_id == "big":
            blocks.append(bytearray(50 * 1024 * 1024))
        return analyse(self, doc)

    monkeypatch.setattr(Pipeline, "analyse", hog_on_big)
    (tmp_path / "big.txt").write_text(SHORT, "utf-8")
    (tmp_path / "good.txt").write_text(SHORT, "utf-8")
    code, stdout, stderr = build(tmp_path, "--out", tmp_path / "out", "--no-validate", "--max-memory-per-file", "300")
    assert code == 3
    (line,) = kg_lines(stderr)
    assert line.startswith(f"kg: {tmp_path / 'big.txt'}: ran out of memory (limit 300 MB")
    assert stdout.startswith("1 documents (1 failed)")


# ---------------------------------------------------------------- IRIs any store accepts

HOSTILE_NAMES = (
    "葫芦岛市教育局2020年工作要点\n"
    "一、全市实施“教育\ufffd振兴\ue000计划”和“校园\ufffc安全\ufdd0工程”,兴城市第\ufffd一中学新建教学楼1栋。\n"
    "二、“乡村\U000f0001教师支持计划”惠及教师500名,“阳光\u202e体育\u200b工程”覆盖学校30所。\n"
)


def _hostile_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "名\x1b[31m称 <1>.txt").write_text(HOSTILE_NAMES, "utf-8")
    os.makedirs(os.fsencode(folder), exist_ok=True)
    with open(os.fsencode(folder) + b"/\xb1\xa8\xb8\xe6.txt", "wb") as f:  # a GBK file name on a UTF-8 system
        f.write(SHORT.encode("utf-8"))
    return folder


def test_names_with_replacement_and_private_use_characters_load_into_oxigraph(tmp_path) -> None:
    import pyoxigraph

    inbox = _hostile_inputs(tmp_path / "in")
    out = tmp_path / "out"
    code, stdout, stderr = build(inbox, "--out", out, "--format", "turtle", "--format", "ntriples",
                                 "--store", tmp_path / "store")
    assert code == 0, stderr
    assert "shapes: conforms" in stdout
    ttl = (out / "graph.ttl").read_bytes()
    assert "%EF%BF%BD".encode() in ttl and "%EF%BF%BC".encode() in ttl and "%EE%80%80".encode() in ttl
    for name, fmt in [("graph.ttl", pyoxigraph.RdfFormat.TURTLE), ("graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)]:
        store = pyoxigraph.Store()
        store.load((out / name).read_bytes(), format=fmt)  # a real parse: one bad IRI rejects the file
        assert len(store) > 50
        labels = {str(q.object.value) for q in store.quads_for_pattern(None, None, None)
                  if isinstance(q.object, pyoxigraph.Literal)}
        assert "教育\ufffd振兴\ue000计划" in labels
        assert "\ufffd\ufffd\ufffd\ufffd.txt" in labels  # the GBK file name, as text
    store = pyoxigraph.Store(str(tmp_path / "store"))
    assert len(store) > 50


def test_seed_build_loads_into_oxigraph(seed_ttl) -> None:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(seed_ttl.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) > 1000
