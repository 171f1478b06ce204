"""The incremental build's cache (kg/cache.py) and kg build --jobs: same Turtle however it is built."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cache import FragmentCache, extractor_version
from kg.cli import main
from kg.fragment import Fragment
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSETS = sorted((ROOT / "eval").glob("devset*/docs"))


def build(out: Path, *args: str, inputs: list[Path] | None = None) -> str:
    paths = [str(p) for p in (inputs or [SEEDS, *DEVSETS])]
    result = CliRunner().invoke(main, ["build", *paths, "--out", str(out), "--no-validate", "--format", "turtle",
                                       *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def jobs1(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("jobs1")
    build(out, "--jobs", "1", "--no-cache")
    return (out / "graph.ttl").read_bytes()


def test_jobs_2_writes_the_turtle_of_jobs_1(jobs1, tmp_path):
    output = build(tmp_path, "--jobs", "2", "--no-cache")
    assert re.search(r"^24 documents \(0 failed\)", output, re.M)
    assert (tmp_path / "graph.ttl").read_bytes() == jobs1
    assert "cache:" not in output


def test_jobs_default_is_the_machines_cores(jobs1, tmp_path):
    import os

    output = build(tmp_path)
    assert f"({len(os.sched_getaffinity(0))} at once)" in output
    assert (tmp_path / "graph.ttl").read_bytes() == jobs1


def test_bad_input_is_one_line_per_file_with_jobs_and_cache(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEEDS / "004_94ac15da65c8d532.txt", inbox / "good.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    for _ in range(2):  # the second time the good file comes from the cache; the bad ones are read again
        result = CliRunner().invoke(main, ["build", str(inbox), "--out", str(tmp_path / "out"), "--no-validate",
                                           "--format", "turtle", "--jobs", "2"])
        assert result.exit_code == 3, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("kg: ")]
        assert len(errors) == 2 and any("empty.txt" in e for e in errors) and any("binary.txt" in e for e in errors)
        assert re.search(r"^1 documents \(2 failed\)", result.output, re.M)
    assert "cache: 1 documents unchanged, 2 analysed" in result.output


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    for d in DEVSETS:
        shutil.copytree(d, corpus / d.parent.name)
    return corpus


def test_a_rebuild_after_one_change_analyses_only_that_document_and_equals_a_full_build(tmp_path):
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    first = build(out, "--jobs", "2", inputs=[corpus])
    assert "cache: 0 documents unchanged, 24 analysed" in first
    # change one document: a figure, and a program another document names too (fusion across documents)
    changed = corpus / "seeds" / "001_da6a1b22c78f0c54.txt"
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("2", "3", 1) + "\n全市继续实施全面改善贫困地区义务教育薄弱学校基本办学条件工程,新建幼儿园7所。\n",
                       "utf-8")
    second = build(out, "--jobs", "2", inputs=[corpus])
    assert "cache: 23 documents unchanged, 1 analysed" in second
    full = tmp_path / "full"
    build(full, "--no-cache", "--jobs", "1", inputs=[corpus])
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
    assert "新建幼儿园7所" in (out / "graph.ttl").read_text("utf-8")
    # the entries of the old version of the changed document are gone, the others kept
    assert len(list((out / ".kg-cache").rglob("*.frag"))) == 24


def test_only_changed_documents_are_analysed(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    cache = FragmentCache(tmp_path / "cache")
    pipeline = Pipeline()
    first, _ = pipeline.run_fragments([corpus], cache=cache)
    changed = corpus / "devset3" / "b_shaanxi_2022.txt"
    changed.write_text(changed.read_text("utf-8") + "\n全省新建幼儿园9所。\n", "utf-8")
    analysed: list[str] = []
    real = Pipeline.process

    def spy(self, path, doc_id=None):
        analysed.append(path.name)
        return real(self, path, doc_id)

    monkeypatch.setattr(Pipeline, "process", spy)
    cache = FragmentCache(tmp_path / "cache")
    second, _ = pipeline.run_fragments([corpus], cache=cache)
    assert analysed == ["b_shaanxi_2022.txt"]
    assert (cache.hits, len(second)) == (23, 24)
    assert [f.doc_id for f in second] == [f.doc_id for f in first]


def test_the_key_is_content_identity_and_version(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("全市新建幼儿园3所。", "utf-8")
    cache = FragmentCache(tmp_path / "c", version="v1")
    key = cache.key(a, "a")
    assert key is not None and key == cache.key(a, "a")
    assert cache.key(a, "b") != key  # another document id: other IRIs
    assert FragmentCache(tmp_path / "c", version="v2").key(a, "a") != key
    a.write_text("全市新建幼儿园4所。", "utf-8")
    assert cache.key(a, "a") != key
    assert cache.key(tmp_path / "missing.txt", "m") is None


def test_extractor_version_is_a_stable_hash_of_the_package():
    v = extractor_version()
    assert re.fullmatch(r"[0-9a-f]{64}", v) and v == extractor_version()


def test_a_damaged_entry_is_a_miss_and_prune_keeps_what_was_used(tmp_path):
    cache = FragmentCache(tmp_path / "c", version="v")
    frag = Fragment(doc_id="x", source=Path("x.txt"))
    cache.put("ab" + "0" * 62, frag)
    cache.put("cd" + "0" * 62, frag)
    assert cache.get("ab" + "0" * 62) == frag
    (tmp_path / "c" / "cd" / ("cd" + "0" * 62 + ".frag")).write_bytes(b"not a pickle")
    fresh = FragmentCache(tmp_path / "c", version="v")
    assert fresh.get("cd" + "0" * 62) is None and fresh.misses == 1
    assert fresh.get("ab" + "0" * 62) == frag
    assert fresh.prune() == 1
    assert [p.name for p in (tmp_path / "c").rglob("*.frag")] == ["ab" + "0" * 62 + ".frag"]
