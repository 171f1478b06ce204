"""Reading a build back from its own store (kg/readback.py, issue 12): ``kg query``,
``stats`` and ``explain`` on ``OUT/graph.ttl`` read ``OUT/store/`` when the manifest
says it is the same build's, give the same answers as parsing the Turtle, and parse
it when the store is missing or another build's."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDFS

from kg import query as q
from kg.cli import main
from kg.exportset import MANIFEST, read_manifest
from kg.explain import explain
from kg.readback import (STORE_DIRNAME, build_store_for, counts_of_graph, counts_of_store, explain_store,
                         open_read_only, store_build)

SEEDS = Path(__file__).parent.parent / "seeds"


def _build(out: Path, *args: str) -> str:
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-validate", "--no-cache",
                                    "--jobs", "1", *args])
    assert res.exit_code == 0, res.output
    return res.output


def _run(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A seed build that kept its store, and a copy of its Turtle with no build beside it."""
    root = tmp_path_factory.mktemp("readback")
    out = root / "out"
    _build(out, "--with-store")
    plain = root / "plain" / "graph.ttl"
    plain.parent.mkdir()
    shutil.copy2(out / "graph.ttl", plain)
    return out, plain


def _blind(out: Path, dest: Path) -> Path:
    """A copy of the build whose graph.ttl is garbage of the same size and mtime: only a
    reader that uses the store (and never parses the file) can still answer."""
    shutil.copytree(out, dest)
    ttl = dest / "graph.ttl"
    st = ttl.stat()
    ttl.write_bytes(b"#" * st.st_size)
    os.utime(ttl, ns=(st.st_atime_ns, st.st_mtime_ns))
    return ttl


def test_build_names_its_store(built) -> None:
    out, plain = built
    manifest = read_manifest(out)
    assert manifest is not None and manifest["store"] == STORE_DIRNAME
    assert store_build(out / STORE_DIRNAME) == manifest["build"]
    assert build_store_for(out / "graph.ttl") == out / STORE_DIRNAME
    assert build_store_for(plain) is None  # no build beside it
    assert len(open_read_only(out / STORE_DIRNAME)) == manifest["triples"]


def test_store_leaves_the_turtle_unchanged(built, tmp_path) -> None:
    out, _plain = built
    _build(tmp_path / "nostore", "--no-store")
    assert (tmp_path / "nostore" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    assert "store" not in (read_manifest(tmp_path / "nostore") or {})
    assert not (tmp_path / "nostore" / STORE_DIRNAME).exists()


def test_stats_same_from_store(built, tmp_path) -> None:
    out, plain = built
    blind = _blind(out, tmp_path / "blind")
    expected = _run("stats", str(plain))
    assert _run("stats", str(blind)) == expected  # read from the store
    assert _run("stats", str(out / "graph.ttl")) == expected
    g = Graph().parse(plain)
    assert counts_of_store(open_read_only(out / STORE_DIRNAME)) == counts_of_graph(g)


def test_every_library_query_same_from_store(built, tmp_path, monkeypatch) -> None:
    out, plain = built
    blind = _blind(out, tmp_path / "blind")
    names = sorted(q.library())
    assert len(names) >= 5
    for name in names:
        expected = _run("query", name, "--graph", str(plain), "--format", "csv")
        assert _run("query", name, "--graph", str(blind), "--format", "csv") == expected, name
    # the default graph exports/graph.ttl too
    monkeypatch.chdir(tmp_path)
    shutil.copytree(tmp_path / "blind", tmp_path / "exports")
    assert _run("query", "agencies_and_people", "--format", "csv") == \
        _run("query", "agencies_and_people", "--graph", str(plain), "--format", "csv")


def test_explain_same_from_store(built, tmp_path) -> None:
    out, plain = built
    g = Graph().parse(plain)
    store = open_read_only(out / STORE_DIRNAME)
    refs = sorted({str(o) for o in g.objects(None, RDFS.label)})
    refs += sorted({str(s) for s in g.subjects(RDFS.label, None)})[:40]  # by IRI too
    assert len(refs) > 100
    for ref in refs:
        try:
            expected = explain(g, ref).format()
        except Exception as exc:  # e.g. the label of an Evidence only: the same error both ways
            with pytest.raises(type(exc), match="no node|not in"):
                explain_store(store, ref)
            continue
        assert explain_store(store, ref).format() == expected, ref
    blind = _blind(out, tmp_path / "blind")
    for ref in ("葫芦岛市", "葫芦岛市教育局", "改薄"):
        assert _run("explain", ref, "--graph", str(blind)) == _run("explain", ref, "--graph", str(plain))
    res = CliRunner().invoke(main, ["explain", "没有这个节点", "--graph", str(blind)])
    assert res.exit_code == 1 and "没有这个节点: no node" in res.output


def test_changed_file_or_other_build_store_is_not_used(built, tmp_path) -> None:
    out, plain = built
    # a graph.ttl edited after the build: parsed, and the edit is seen
    edited = tmp_path / "edited"
    shutil.copytree(out, edited)
    with open(edited / "graph.ttl", "a", encoding="utf-8") as f:
        f.write('\n<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    assert build_store_for(edited / "graph.ttl") is None
    triples = int(_run("stats", str(edited / "graph.ttl")).split()[0])
    assert triples == int(_run("stats", str(plain)).split()[0]) + 1
    # the store of another build (same content, another id): not used
    other = tmp_path / "other"
    _build(other, "--with-store")
    mixed = tmp_path / "mixed"
    shutil.copytree(out, mixed)
    shutil.rmtree(mixed / STORE_DIRNAME)
    shutil.copytree(other / STORE_DIRNAME, mixed / STORE_DIRNAME)
    assert build_store_for(mixed / "graph.ttl") is None
    # no store at all
    shutil.rmtree(mixed / STORE_DIRNAME)
    assert build_store_for(mixed / "graph.ttl") is None
    assert _run("stats", str(mixed / "graph.ttl")) == _run("stats", str(plain))


def test_rebuild_replaces_or_removes_the_store(tmp_path) -> None:
    out = tmp_path / "out"
    _build(out, "--with-store")
    first = store_build(out / STORE_DIRNAME)
    _build(out, "--with-store")
    second = (read_manifest(out) or {})["build"]
    assert first != second and store_build(out / STORE_DIRNAME) == second
    assert build_store_for(out / "graph.ttl") == out / STORE_DIRNAME
    _build(out, "--no-store")  # the previous build's store goes with its files
    assert not (out / STORE_DIRNAME).exists() and build_store_for(out / "graph.ttl") is None
    assert [p.name for p in out.iterdir() if p.name.startswith(".kg-build-")] == []


def test_store_by_default_at_scale_never_over_a_users_folder(tmp_path, monkeypatch) -> None:
    out = tmp_path / "small"
    _build(out)  # the seeds are far below the threshold
    assert "store" not in (read_manifest(out) or {})
    import kg.readback

    monkeypatch.setattr(kg.readback, "STORE_MIN_TRIPLES", 1000)
    _build(out)
    assert build_store_for(out / "graph.ttl") == out / STORE_DIRNAME
    mine = tmp_path / "mine"
    (mine / STORE_DIRNAME).mkdir(parents=True)
    (mine / STORE_DIRNAME / "notes.txt").write_text("mine", encoding="utf-8")
    output = _build(mine, "--with-store")
    assert "is not a build's store" in output
    assert (mine / STORE_DIRNAME / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "store" not in json.loads((mine / MANIFEST).read_text("utf-8"))
