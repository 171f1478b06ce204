"""Linkage exports read back by their tools' own readers (rdflib, networkx, csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

import kg.linkage  # noqa: F401  (registers the formats)
from kg.cli import main
from kg.export import export, formats
from kg.linkage import EDGES_HEADER, NODES_HEADER, context, to_networkx
from kg.namespace import KG

ENTITY_CLASSES = [KG.Agency, KG.School, KG.Program, KG.PolicyDocument, KG.Place, KG.Person, KG.Indicator]
RELATIONS = [KG.implements, KG.locatedIn, KG.partOf, KG.issues, KG.memberOf, KG.cooperatesWith]


def entity_iris(g: Graph) -> set[URIRef]:
    return {s for c in ENTITY_CLASSES for s in g.subjects(RDF.type, c)}  # type: ignore[misc]


def relation_triples(g: Graph) -> set[tuple]:
    ents = entity_iris(g)
    return {(s, p, o) for p in RELATIONS for s, o in g.subject_objects(p) if s in ents and o in ents}


def label_of(g: Graph, name: str) -> str:
    rows = list(g.query(f'SELECT ?s WHERE {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> "{name}"@zh }}'))
    assert rows, name
    return str(rows[0][0])


def test_formats_registered() -> None:
    assert {"jsonld", "graphml", "csv", "turtle", "ntriples"} <= set(formats())


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_round_trip(seed_graph: Graph, tmp_path: Path, fmt: str, parse_as: str) -> None:
    path = export(seed_graph, fmt, tmp_path)
    back = Graph().parse(path, format=parse_as)
    assert len(back) == len(seed_graph)
    assert isomorphic(back, seed_graph)


def test_jsonld_uses_published_context_and_is_deterministic(seed_graph: Graph, tmp_path: Path) -> None:
    a = export(seed_graph, "jsonld", tmp_path / "a").read_bytes()
    b = export(seed_graph, "jsonld", tmp_path / "b").read_bytes()
    assert a == b
    doc = json.loads(a)
    published = json.loads((Path(kg.linkage.__file__).parent / "data" / "context.jsonld").read_text("utf-8"))
    assert doc["@context"] == published["@context"] == context()
    ids = [n["@id"] for n in doc["@graph"]]
    assert ids == sorted(ids)
    agency = next(n for n in doc["@graph"] if n["@id"] == label_of(seed_graph, "葫芦岛市教育局"))
    assert agency["@type"] == "Agency" and "implements" in agency and "label" in agency


def test_graphml_reads_in_networkx(seed_graph: Graph, tmp_path: Path) -> None:
    path = export(seed_graph, "graphml", tmp_path)
    g = nx.read_graphml(path)
    assert isinstance(g, nx.DiGraph)
    assert g.number_of_nodes() == len(entity_iris(seed_graph))
    pairs = {(str(s), str(o)) for s, _, o in relation_triples(seed_graph)}
    assert g.number_of_edges() == len(pairs)
    city = g.nodes[label_of(seed_graph, "葫芦岛市")]
    assert city["label"] == "葫芦岛市" and city["class"] == "Place" and city["adcode"] == "211400"
    xc = label_of(seed_graph, "兴城市")
    assert g.edges[xc, label_of(seed_graph, "葫芦岛市")]["predicate"] == "partOf"
    assert all(d["evidence"] >= 1 for _, _, d in g.edges(data=True))


def test_csv_tables(seed_graph: Graph, tmp_path: Path) -> None:
    nodes_path = export(seed_graph, "csv", tmp_path)
    assert nodes_path.name == "nodes.csv"
    with nodes_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == NODES_HEADER == ["iri", "class", "label", "altLabels", "adcode", "parent"]
        nodes = [dict(zip(NODES_HEADER, row)) for row in reader]
    assert len(nodes) == len(entity_iris(seed_graph))
    xc = next(n for n in nodes if n["label"] == "兴城市")
    assert xc["class"] == "Place" and xc["adcode"] == "211481" and xc["parent"] == "葫芦岛市"
    hld = next(n for n in nodes if n["label"] == "葫芦岛市")
    assert "葫芦岛" in hld["altLabels"].split("|")
    with (tmp_path / "edges.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == EDGES_HEADER == ["subject", "predicate", "object", "evidence"]
        edges = list(reader)
    assert len(edges) == len(relation_triples(seed_graph))
    assert all(int(e[3]) >= 1 for e in edges)
    assert [xc["iri"], "kg:partOf", hld["iri"]] in [e[:3] for e in edges]


def test_to_networkx(seed_graph: Graph) -> None:
    g = to_networkx(seed_graph)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(entity_iris(seed_graph))
    assert g.number_of_edges() == len(relation_triples(seed_graph))
    bureau = label_of(seed_graph, "葫芦岛市教育局")
    implements = [(o, d) for _, o, k, d in g.out_edges(bureau, keys=True, data=True) if k == "implements"]
    assert implements and all(d["evidence"] == len(d["sentences"]) >= 1 for _, d in implements)
    assert g.nodes[bureau]["class"] == "Agency"


def test_cli_export(seed_ttl: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["export", str(seed_ttl), "--format", "jsonld", "--format", "graphml",
                                  "--format", "csv", "--format", "nt", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for name in ("graph.jsonld", "graph.graphml", "nodes.csv", "edges.csv", "graph.nt"):
        assert (tmp_path / name).is_file(), name
    assert isomorphic(Graph().parse(tmp_path / "graph.jsonld", format="json-ld"),
                      Graph().parse(seed_ttl, format="turtle"))
    bad = CliRunner().invoke(main, ["export", str(seed_ttl), "--format", "nope", "--out", str(tmp_path)])
    assert bad.exit_code != 0 and "Traceback" not in bad.output and "unknown export format" in bad.stderr
