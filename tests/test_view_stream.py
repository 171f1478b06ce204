"""The view (kg/view_stream.py) and the entity exports (kg/export_stream.py) of a streaming build:
the bytes written from an rdflib graph, without a graph of the corpus."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.view_stream as view_stream
from kg.assemble import Assembly, assemble
from kg.cli import main
from kg.graph import to_graph
from kg.pipeline import Pipeline
from kg.view import render_html, write_html
from kg.view_stream import render_html_stream, write_html_stream

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEVSETS = sorted((ROOT / "eval").glob("devset*/docs"))


@pytest.mark.parametrize("limit", [None, 5000, 300, 40, 1, 0])
def test_the_streamed_page_is_the_in_memory_page_on_the_seeds_and_devsets(fragments, limit):
    graph = to_graph(fragments)
    asm = assemble([copy.deepcopy(f) for f in fragments], chunk=2_000)
    try:
        for obs in (True, False):
            assert render_html_stream(asm, view_limit=limit, show_observations=obs) == \
                render_html(graph, view_limit=limit, show_observations=obs), (limit, obs)
    finally:
        asm.close()


def test_spilled_sorts_give_the_same_page(fragments, monkeypatch, tmp_path):
    """Candidate edges, neighbour pairs and evidence sorted through disk (many small runs)."""
    monkeypatch.setattr(view_stream, "SORT_CHUNK", 50)
    graph = to_graph(fragments)
    asm = assemble([copy.deepcopy(f) for f in fragments])
    try:
        streamed = write_html_stream(asm, tmp_path / "s.html", view_limit=120)
    finally:
        asm.close()
    in_memory = write_html(graph, tmp_path / "m.html", view_limit=120)
    assert (tmp_path / "s.html").read_bytes() == (tmp_path / "m.html").read_bytes()
    # and it says what it left out, as the in-memory page does
    assert streamed.omitted_nodes == in_memory.omitted_nodes > 0
    assert (streamed.omitted_edges, streamed.omitted_evidence) == (in_memory.omitted_edges,
                                                                   in_memory.omitted_evidence)
    assert 'id="kg-notice"' in (tmp_path / "s.html").read_text("utf-8")


def test_kg_build_writes_the_view_without_a_graph_of_the_corpus(tmp_path, monkeypatch):
    """The default formats (turtle, html) never parse the build back into rdflib."""
    frags, failures = Pipeline().run_fragments([SEEDS])
    assert not failures

    def refuse(self):  # pragma: no cover - reached only if the build parses the graph back
        raise AssertionError("the build parsed its graph back")

    monkeypatch.setattr(Assembly, "graph", refuse)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "out"), "--no-validate",
                                       "--jobs", "1", "--no-cache", "--view-limit", "60"])
    assert result.exit_code == 0, result.output
    expected = render_html(to_graph(frags), view_limit=60)
    assert (tmp_path / "out" / "graph.html").read_text("utf-8") == expected


def test_csv_and_graphml_of_the_entities_are_those_of_the_whole_graph(fragments, tmp_path):
    """CSV and GraphML of a streaming build come from the small graph of its entities and relations
    (kg/export_stream.py): the same bytes as from the whole graph."""
    from kg.export import export
    from kg.export_stream import entity_graph

    graph = to_graph(fragments)
    asm = assemble([copy.deepcopy(f) for f in fragments], chunk=2_000)
    try:
        small = entity_graph(asm)
        for fmt in ("csv", "graphml"):
            export(asm, fmt, tmp_path / "stream")
    finally:
        asm.close()
    assert 0 < len(small) < len(graph) / 2  # no observations, no evidence of observations
    for fmt in ("csv", "graphml"):
        export(graph, fmt, tmp_path / "whole")
    for name in ("nodes.csv", "edges.csv", "graph.graphml"):
        assert (tmp_path / "stream" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
