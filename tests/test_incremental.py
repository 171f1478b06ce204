"""Incremental rebuilds (kg/incremental.py): the previous output spliced around what changed, byte for
byte the Turtle and N-Triples of a full build of the changed corpus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.incremental import STATE_DIRNAME
from kg.ingest import iter_inputs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSETS = sorted((ROOT / "eval").glob("devset*/docs"))
FORMATS = ("--format", "turtle", "--format", "ntriples", "--format", "csv", "--format", "graphml")


def build(corpus: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--no-validate", "--no-progress",
                                       *FORMATS, *args])
    assert result.exit_code == 0, result.output
    return result.output


def incremental(output: str) -> bool:
    """Whether the build was a rebuild (a full one with a cache says why it was not, or says nothing)."""
    return "incremental: full build" not in output and bool(re.search(r"^cache: [1-9]\d* documents unchanged",
                                                                      output, re.M))


def same_as_full(corpus: Path, out: Path, tmp: Path) -> None:
    full = tmp / "full"
    shutil.rmtree(full, ignore_errors=True)
    build(corpus, full, "--no-cache")
    for name in ("graph.ttl", "graph.nt", "nodes.csv", "edges.csv", "graph.graphml"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    for d in DEVSETS[:2]:
        shutil.copytree(d, corpus / d.parent.name)
    return corpus


def test_change_add_remove_and_rebuild_after_rebuild_equal_full_builds(corpus, tmp_path):
    out = tmp_path / "out"
    first = build(corpus, out)
    assert "incremental" not in first and (out / STATE_DIRNAME).is_dir()
    n = len(iter_inputs([corpus]))
    # a change: a figure, and a program another document names too (fusion across documents)
    changed = corpus / "seeds" / "001_da6a1b22c78f0c54.txt"
    text = changed.read_text("utf-8")
    changed.write_text(text.replace("2", "3", 1) + "\n全市继续实施全面改善贫困地区义务教育薄弱学校基本办学条件工程,新建幼儿园7所。\n",
                       "utf-8")
    output = build(corpus, out)
    assert incremental(output) and f"cache: {n - 1} documents unchanged, 1 analysed" in output
    assert "新建幼儿园7所" in (out / "graph.ttl").read_text("utf-8")
    same_as_full(corpus, out, tmp_path)
    # an added document (a copy of a seed under another name: its own IRIs, the same entities)
    shutil.copy(SEEDS / "004_94ac15da65c8d532.txt", corpus / "seeds" / "005_copy.txt")
    output = build(corpus, out)
    assert incremental(output) and f"cache: {n} documents unchanged, 1 analysed" in output
    assert re.search(rf"^{n + 1} documents \(0 failed\)", output, re.M)
    same_as_full(corpus, out, tmp_path)
    # a removed document
    (corpus / "seeds" / "000_043583f907d8be22.txt").unlink()
    output = build(corpus, out)
    assert incremental(output) and f"cache: {n} documents unchanged, 0 analysed" in output
    same_as_full(corpus, out, tmp_path)
    # nothing changed: the same files again
    before = (out / "graph.ttl").read_bytes()
    output = build(corpus, out)
    assert incremental(output) and (out / "graph.ttl").read_bytes() == before


def test_a_change_to_a_fused_label_and_to_a_subject_many_documents_share(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    ttl = (out / "graph.ttl").read_text("utf-8")
    # programs another document (000) names, named differently here: their fused labels (altLabels)
    # and mentionedIn change, and so does the agency that implements them, named by both
    assert '"一体化课程改革工程"@zh' not in ttl
    doc = corpus / "seeds" / "003_37dfa7c1c8a4f8df.txt"
    doc.write_text(doc.read_text("utf-8") + "\n全市深入开展三严三实专题教育活动,推进一体化课程改革工程和一般普通高中质量提升工程。\n",
                   "utf-8")
    output = build(corpus, out)
    assert incremental(output)
    assert 'skos:altLabel "一体化课程改革工程"@zh' in (out / "graph.ttl").read_text("utf-8")
    same_as_full(corpus, out, tmp_path)
    # a document that names the province and city every seed names, removed and added again: the
    # shared subjects' mentionedIn and relations change
    seed = corpus / "seeds" / "002_a66bfeb58db060c8.txt"
    text = seed.read_bytes()
    seed.unlink()
    output = build(corpus, out)
    assert incremental(output)
    same_as_full(corpus, out, tmp_path)
    seed.write_bytes(text)
    output = build(corpus, out)
    assert incremental(output)
    same_as_full(corpus, out, tmp_path)
    assert (out / "graph.ttl").read_text("utf-8") != ttl


def test_a_damaged_state_or_other_formats_mean_a_full_build_that_says_so(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    doc = corpus / "seeds" / "001_da6a1b22c78f0c54.txt"
    doc.write_text(doc.read_text("utf-8") + "\n全市新建幼儿园7所。\n", "utf-8")
    state = out / STATE_DIRNAME / "state.sqlite"
    state.write_bytes(b"not a database" + state.read_bytes()[100:5000])
    output = build(corpus, out)
    assert "incremental: full build (the incremental state is unreadable)" in output
    same_as_full(corpus, out, tmp_path)
    # the full build recorded a new state: the next change is a rebuild again
    doc.write_text(doc.read_text("utf-8") + "\n全市新建幼儿园8所。\n", "utf-8")
    assert incremental(build(corpus, out))
    same_as_full(corpus, out, tmp_path)
    # another set of formats: a full build
    output = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--no-validate", "--no-progress",
                                       "--format", "turtle"]).output
    assert "incremental: full build (the formats changed since the last build)" in output
    # an output file changed behind the build's back: a full build
    (out / "graph.ttl").write_text((out / "graph.ttl").read_text("utf-8") + "\n", "utf-8")
    output = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--no-validate", "--no-progress",
                                       "--format", "turtle"]).output
    assert "incremental: full build (the output folder changed since the last build)" in output


def test_the_store_is_updated_in_place_of_a_full_load(corpus, tmp_path):
    import pyoxigraph as ox

    out = tmp_path / "out"
    build(corpus, out, "--no-store")
    doc = corpus / "seeds" / "001_da6a1b22c78f0c54.txt"
    doc.write_text(doc.read_text("utf-8") + "\n全市新建幼儿园9所。\n", "utf-8")
    assert incremental(build(corpus, out, "--with-store"))  # no store to update: loaded from the new Turtle
    doc.write_text(doc.read_text("utf-8").replace("2", "3", 1) + "\n全市新建幼儿园7所。\n", "utf-8")
    (corpus / "seeds" / "000_043583f907d8be22.txt").unlink()
    assert incremental(build(corpus, out, "--with-store"))  # the previous store, updated
    full = tmp_path / "full"
    build(corpus, full, "--no-cache", "--with-store")
    quads = [set(ox.Store.read_only(str(d / "store")).quads_for_pattern(None, None, None)) for d in (out, full)]
    assert quads[0] == quads[1] and len(quads[0]) > 1000
    result = CliRunner().invoke(main, ["stats", str(out / "graph.ttl")])
    assert result.exit_code == 0, result.output


def test_a_no_cache_build_drops_the_state(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    assert (out / STATE_DIRNAME).is_dir()
    build(corpus, out, "--no-cache")
    assert not (out / STATE_DIRNAME).exists()


def test_default_formats_and_an_extra_store_in_a_rebuild(corpus, tmp_path):
    out, extra = tmp_path / "out", tmp_path / "extra-store"
    args = ["build", str(corpus), "--out", str(out), "--no-validate", "--no-progress", "--store", str(extra)]
    assert CliRunner().invoke(main, args).exit_code == 0
    doc = corpus / "seeds" / "001_da6a1b22c78f0c54.txt"
    doc.write_text(doc.read_text("utf-8") + "\n全市新建幼儿园7所。\n", "utf-8")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and incremental(result.output), result.output
    assert "新建幼儿园7所" in (out / "graph.html").read_text("utf-8")
    full = tmp_path / "full"
    assert CliRunner().invoke(main, ["build", str(corpus), "--out", str(full), "--no-validate", "--no-progress",
                                     "--no-cache"]).exit_code == 0
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
    # the view of a rebuild is drawn from the state's records: the page of a full build, byte for byte
    assert (out / "graph.html").read_bytes() == (full / "graph.html").read_bytes()
    result = CliRunner().invoke(main, ["query", "--store", str(extra),
                                       "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"])
    assert result.exit_code == 0, result.output
    import pyoxigraph as ox

    g = set(ox.parse(input=(full / "graph.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(set(ox.Store.read_only(str(extra)).quads_for_pattern(None, None, None))) == len(g)


def test_file_names_that_are_not_utf8_rebuild(tmp_path):
    import os

    inbox = tmp_path / "in"
    inbox.mkdir()
    text = (SEEDS / "004_94ac15da65c8d532.txt").read_bytes()
    with open(os.fsencode(inbox) + b"/\xb1\xa8\xb8\xe6.txt", "wb") as f:  # a GBK file name on a UTF-8 system
        f.write(text)
    shutil.copy(SEEDS / "001_da6a1b22c78f0c54.txt", inbox / "b.txt")
    out = tmp_path / "out"
    build(inbox, out)
    with open(os.fsencode(inbox) + b"/\xb1\xa8\xb8\xe6.txt", "ab") as f:
        f.write("\n全市新建幼儿园7所。\n".encode("utf-8"))
    assert incremental(build(inbox, out))
    same_as_full(inbox, out, tmp_path)
