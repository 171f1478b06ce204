"""What a build keeps of each document: its Fragment, not the Document (issue 12)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.graph
from kg.cli import main
from kg.export import turtle_bytes
from kg.fragment import Fragment, evidence_of, reduce
from kg.graph import to_graph
from kg.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def docs_and_fragments():
    pipeline = Pipeline()
    docs, failures = pipeline.run([SEEDS])
    frags, frag_failures = pipeline.run_fragments([SEEDS])
    assert failures == frag_failures == []
    return docs, frags


def test_a_fragment_keeps_no_text_offset_map_sentences_or_mentions(docs_and_fragments):
    docs, frags = docs_and_fragments
    assert [f.doc_id for f in frags] == [d.doc_id for d in docs]
    for doc, frag in zip(docs, frags):
        assert isinstance(frag, Fragment)
        for gone in ("original", "text", "sections", "sentences", "mentions"):
            assert not hasattr(frag, gone)
        # original offsets only where an evidence sentence starts or ends, not one per character
        ends = {i for ev in evidence_of(frag) for i in (ev.start, ev.end)}
        assert set(frag.offsets) == ends
        assert len(frag.offsets) < len(doc.text) / 10
        assert all(frag.offsets[i] == doc.offsets[i] for i in ends)
        assert all(not e.evidence for e in frag.entities.values())
        # what is left is of the size of what the graph writes, well under the document's
        assert len(pickle.dumps(frag)) < len(pickle.dumps(doc)) / 2


def test_the_graph_of_fragments_is_the_graph_of_documents(docs_and_fragments):
    docs, frags = docs_and_fragments
    assert turtle_bytes(to_graph(frags)) == turtle_bytes(to_graph(docs))
    assert turtle_bytes(to_graph([reduce(d) for d in docs])) == turtle_bytes(to_graph(docs))


def test_kg_build_assembles_fragments_rendered_in_the_workers_without_one_graph(tmp_path, monkeypatch):
    import kg.assemble

    seen: list[tuple[type, bool]] = []
    real_add = kg.assemble.Assembler.add

    def spy_add(self, frag):
        seen.append((type(frag), frag.records is not None and frag.links is not None))
        return real_add(self, frag)

    def no_graph(docs):  # pragma: no cover - the failure
        raise AssertionError("kg build built one rdflib graph of the corpus")

    monkeypatch.setattr(kg.assemble.Assembler, "add", spy_add)
    monkeypatch.setattr(kg.graph, "to_graph", no_graph)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--no-validate",
                                       "--format", "turtle", "--format", "ntriples", "--jobs", "2", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert seen and set(seen) == {(Fragment, True)}
