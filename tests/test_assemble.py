"""The streaming assembly (kg/assemble.py): the graph of to_graph, byte for byte, without building it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.assemble import Assembly, assemble, render
from kg.cli import main
from kg.export import export, turtle_bytes
from kg.fragment import Fragment, reduce
from kg.graph import summarize, to_graph
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSETS = sorted((ROOT / "eval").glob("devset*/docs"))


def _ntriples(graph) -> bytes:
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _check(frags: list[Fragment], chunk: int = 400_000) -> Assembly:
    """The assembly of ``frags`` writes what to_graph's graph writes; returns it (closed)."""
    graph = to_graph(frags)
    asm = assemble([copy.deepcopy(f) for f in frags], chunk=chunk)
    try:
        assert "".join(asm.turtle_chunks()).encode("utf-8") == turtle_bytes(graph)
        assert "".join(asm.ntriples_chunks()).encode("utf-8") == _ntriples(graph)
        assert len(asm) == len(graph)
        assert asm.counts == summarize(graph)
        assert set(asm.graph()) == set(graph)
    finally:
        asm.close()
    return asm


def test_the_assembly_writes_the_turtle_and_ntriples_of_one_graph(fragments):
    _check(fragments)


def test_spilled_runs_merge_into_the_same_bytes(fragments):
    # a buffer of 500 records: dozens of sorted runs on disk, merged with duplicates across runs
    asm = _check(fragments, chunk=500)
    assert not asm.workdir.exists()


def test_fragments_rendered_in_the_worker_or_here_are_the_same(fragments):
    plain = [copy.deepcopy(f) for f in fragments]
    for f in plain:
        f.records = f.links = None  # the assembly renders them itself
    a, b = assemble(plain), assemble([copy.deepcopy(f) for f in fragments])
    try:
        assert list(a.records()) == list(b.records())
    finally:
        a.close()
        b.close()


def test_no_fragments_is_the_empty_graph():
    _check([])


def _two_documents() -> tuple[Fragment, Fragment]:
    pipeline = Pipeline()
    text = "葫芦岛市教育局2020年工作要点\n一、葫芦岛市教育局实施“全面改薄”工程,全市新建幼儿园3所。"
    a = reduce(pipeline.process_text(text, doc_id="a"))
    b = reduce(pipeline.process_text(text.replace("3所", "5所"), doc_id="b"))
    assert any(e.type == "Program" for e in a.entities.values()) and a.relations
    return a, b


def test_fusion_across_documents_is_that_of_to_graph_in_any_order():
    """Entities are fused after the documents: a program two documents name differently gets one
    name (the key's, else the longest) and one IRI in every triple that names it, whatever the order;
    a relation whose end only another document knows is written with its evidence."""
    a, b = _two_documents()
    key = next(k for k, e in a.entities.items() if e.type == "Program")
    b.entities[key].name = b.entities[key].name + "工程项目"  # b names it otherwise (a longer name)
    a.entities[key].name = "改薄"  # and a does not use the key's name either: the longest wins
    rel = next(r for r in b.relations if key in (r.subject, r.object))
    other = rel.object if rel.subject == key else rel.subject
    c = copy.deepcopy(b)
    c.doc_id = "c"
    for e in c.entities.values():
        e.docs = {"c"}
    del c.entities[other]  # c relates the program to an entity only the others have
    for docs in ([a, b, c], [c, b, a], [b, c, a]):
        _check([render(copy.deepcopy(d)) for d in docs])
        _check([render(copy.deepcopy(d)) for d in docs], chunk=10)


def test_kg_build_writes_the_graph_of_to_graph(tmp_path, fragments):
    """What kg build writes (streamed) is what the exporters write of to_graph's graph."""
    result = CliRunner().invoke(main, ["build", str(SEEDS), *map(str, DEVSETS), "--out", str(tmp_path / "out"),
                                       "--no-validate", "--jobs", "2", "--no-cache", "--no-store",
                                       "--format", "turtle", "--format", "ntriples", "--format", "csv",
                                       "--format", "jsonld"])
    assert result.exit_code == 0, result.output
    graph = to_graph(fragments)
    for fmt in ("turtle", "ntriples", "csv", "jsonld"):
        export(graph, fmt, tmp_path / "ref")
    for name in ("graph.ttl", "graph.nt", "nodes.csv", "edges.csv", "graph.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "ref" / name).read_bytes(), name
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".kg-build-")]


def test_the_store_is_loaded_in_pieces_with_every_triple(fragments, tmp_path):
    import pyoxigraph as ox

    from kg.query import open_store

    from kg.assemble import StoreLoader

    asm = assemble([copy.deepcopy(f) for f in fragments])
    try:
        loader = StoreLoader(tmp_path / "store", batch=20_000)  # dozens of bulk loads
        for piece in asm.turtle_chunks(subjects=20):
            loader.feed(piece)
        loader.close()
        asm.save_store(tmp_path / "whole")
        loader = asm.store_loader(tmp_path / "teed")  # fed by the Turtle as it is written
        (tmp_path / "g.ttl").write_text("".join(asm.turtle_chunks()), "utf-8")
        loader.close()
    finally:
        asm.close()
    expected = set(map(str, open_store(tmp_path / "g.ttl")))
    for name in ("store", "whole", "teed"):
        assert set(map(str, ox.Store.read_only(str(tmp_path / name)))) == expected, name
