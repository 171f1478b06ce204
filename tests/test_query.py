"""SPARQL over the seed build with Oxigraph: the query library, result formats, CLI, stores.

Checks are robust facts of the seed documents, not full result tables (the
extractor keeps improving).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.query import (
    QueryError,
    QueryResult,
    bind_params,
    display_width,
    find_query,
    library,
    open_store,
    query,
    query_params,
    save_store,
    with_prologue,
)

ROOT = Path(__file__).resolve().parents[1]
QUERIES = sorted((ROOT / "kg" / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def store(seed_ttl: Path) -> ox.Store:
    return open_store(seed_ttl)


def run(store: ox.Store, name: str, **params: str) -> QueryResult:
    text = (ROOT / "kg" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    if params:
        text = bind_params(text, params)
    return query(store, text)


# ------------------------------------------------------------------ the library


def check_programs_by_agency_and_place(res: QueryResult) -> None:
    rows = res.dicts()
    assert any(r["agencyLabel"] == "葫芦岛市教育局" for r in rows)
    assert any(r["agencyLabel"] == "葫芦岛市教育局" and r.get("placeLabel") == "兴城市" for r in rows)


def check_place_profile(res: QueryResult) -> None:
    rows = res.dicts()
    assert any(r["relation"] == "partOf" and r["label"] == "兴城市" for r in rows)
    assert any(r["placeLabel"] == "兴城市" and r["relation"] == "locatedIn" for r in rows)
    assert any(r["relation"] == "observation" for r in rows)


def check_indicator_values(res: QueryResult) -> None:
    rows = res.dicts()
    assert all(r["indicatorLabel"] == "学前三年毛入园率" for r in rows)
    assert any(r.get("year") == 2015 and "90" in r.get("achieved", "").split(" / ") for r in rows)


def check_indicator_series(res: QueryResult) -> None:
    rows = res.dicts()
    assert all(r["indicatorLabel"] == "学前三年毛入园率" for r in rows)
    assert any(r.get("year") == 2015 and r["status"] == "achieved" and r["normalizedValue"] == Decimal(90) for r in rows)
    assert any(r.get("year") == 2020 and r["status"] == "target" for r in rows)


def check_programs_in_many_cities(res: QueryResult) -> None:
    rows = res.dicts()
    assert all(r["cities"] >= 2 for r in rows)
    assert all(len(r["cityNames"].split("、")) == r["cities"] for r in rows)
    assert any("葫芦岛市" in r["cityNames"].split("、") for r in rows)


def check_evidence_for_fact(res: QueryResult) -> None:
    rows = res.dicts()
    assert all(r["subjectLabel"] == "葫芦岛市教育局" for r in rows)
    assert all(r["text"] and r["start"] < r["end"] for r in rows)
    assert any(r["predicate"] == "implements" for r in rows)
    assert all(r["file"].endswith(".txt") for r in rows)


def check_agencies_and_people(res: QueryResult) -> None:
    rows = res.dicts()
    tong = [r for r in rows if r["personLabel"] == "佟民"]
    assert tong, "佟民 holds a post"
    assert any("葫芦岛市教育局" in (r["agencyLabel"], r.get("parentAgencyLabel")) and r.get("post") for r in tong)


def check_documents_issued(res: QueryResult) -> None:
    rows = res.dicts()
    assert any(r["agencyLabel"] == "葫芦岛市教育局" for r in rows)
    assert all(r["document"].startswith("https://w3id.org/edupolicy-kg/id/") for r in rows)


def check_observations_by_document(res: QueryResult) -> None:
    rows = res.dicts()
    assert any(
        r["indicatorLabel"] == "学前三年毛入园率" and r["value"] == Decimal(90) and r.get("year") == 2015
        and r.get("status") == "achieved" and r["unit"] == "%"
        for r in rows
    )


def check_entity_counts(res: QueryResult) -> None:
    counts = {(r["kind"], r["name"]): r["count"] for r in res.dicts()}
    assert counts[("class", "Program")] > 0
    assert counts[("class", "Place")] > 0
    assert counts[("relation", "implements")] > 0


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items() if name.startswith("check_")}


def test_library_has_the_documented_queries() -> None:
    names = {p.stem for p in QUERIES}
    assert {"programs_by_agency_and_place", "place_profile", "indicator_values", "programs_in_many_cities",
            "evidence_for_fact", "agencies_and_people"} <= names
    assert names == set(CHECKS), "every library query has a robust check here"
    readme = (ROOT / "kg" / "queries" / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"{name}.rq" in readme


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_library_query_answers_on_seed(store: ox.Store, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), "a library query opens with a comment saying what it answers"
    res = query(store, text)
    assert res.kind == "select"
    assert len(res) >= 1
    CHECKS[path.stem](res)


def test_parameters(store: ox.Store) -> None:
    jinan = run(store, "place_profile", placeName="济南市").dicts()
    assert jinan and all(r["placeLabel"] != "兴城市" for r in jinan)
    everything = run(store, "indicator_values", indicatorName="UNDEF")
    assert len({r["indicatorLabel"] for r in everything.dicts()}) > 1
    only = run(store, "programs_by_agency_and_place", agencyName="葫芦岛市教育局", placeName="兴城市")
    assert only.dicts() and all(r["placeLabel"] == "兴城市" for r in only.dicts())
    # a quote in a value cannot break out of the literal
    assert len(run(store, "place_profile", placeName='x" } ?s ?p ?o . { "')) == 0
    assert "indicatorName" in query_params((ROOT / "kg" / "queries" / "indicator_values.rq").read_text(encoding="utf-8"))
    with pytest.raises(QueryError, match="no parameter"):
        bind_params("SELECT * WHERE { ?s ?p ?o }", {"nope": "x"})


def test_find_query_by_name() -> None:
    assert find_query("indicator_values") == (ROOT / "kg" / "queries" / "indicator_values.rq").resolve()
    assert find_query("indicator_values.rq") is not None
    assert find_query("../etc/passwd") is None
    assert set(library()) == {p.stem for p in QUERIES}


# ------------------------------------------------------------------ the query function


def test_prologue_only_adds_missing_prefixes() -> None:
    text = "PREFIX kg: <http://example.org/other#>\nSELECT * WHERE { ?s kg:x ?o }"
    out = with_prologue(text)
    assert out.count("PREFIX kg:") == 1 and "PREFIX kgr:" in out and "PREFIX skos:" in out
    # a prefix named in a comment or a string is not a declaration
    out = with_prologue('# PREFIX rdfs: <x>\nSELECT ("PREFIX xsd: <y>" AS ?a) {}')
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in out
    assert "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>" in out


def test_query_accepts_graph_store_and_file(store: ox.Store, seed_graph: Graph, seed_ttl: Path) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert query(store, q).rows == [(len(seed_graph),)]
    assert query(seed_graph, q).rows == [(len(seed_graph),)]
    assert query(seed_ttl, q).rows == [(len(seed_graph),)]
    own = "PREFIX kg: <https://w3id.org/edupolicy-kg/def#>\nSELECT ?p WHERE { ?p a kg:Place } LIMIT 1"
    assert len(query(store, own)) == 1


def test_python_values(store: ox.Store) -> None:
    res = query(store, """
        SELECT ?v ?y ?label ?iri ?n ?missing WHERE {
          ?iri kg:indicator/rdfs:label "学前三年毛入园率"@zh ; kg:value ?v ; kg:year ?y ;
               kg:indicator/rdfs:label ?label .
          BIND (3 AS ?n)
          OPTIONAL { ?iri kg:nothing ?missing }
        } ORDER BY ?y LIMIT 1""")
    (v, y, label, iri, n, missing), = res.rows
    assert isinstance(v, Decimal) and y == 2015 and label == "学前三年毛入园率"
    assert iri.startswith("https://w3id.org/edupolicy-kg/id/observation/") and n == 3 and missing is None
    assert res.dicts()[0].keys() == {"v", "y", "label", "iri", "n"}


def test_ask_and_construct(store: ox.Store) -> None:
    yes = query(store, "ASK { ?a a kg:Agency ; rdfs:label '葫芦岛市教育局'@zh }")
    assert yes.kind == "ask" and yes.boolean is True and bool(yes)
    assert json.loads(yes.to_json()) == {"head": {}, "boolean": True}
    assert query(store, "ASK { ?a a kg:Agency ; rdfs:label 'nobody'@zh }").boolean is False
    g = query(store, "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a kg:Place ; rdfs:label ?l }")
    assert g.kind == "graph" and len(g) > 1
    parsed = Graph().parse(data=g.to_rdf(), format="turtle")
    assert len(parsed) == len(g)
    assert len(Graph().parse(data=g.to_json(), format="json-ld")) == len(g)
    assert next(csv.reader(io.StringIO(g.to_csv()))) == ["subject", "predicate", "object"]


def test_syntax_error_points_at_the_users_line(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="line 2"):
        query(store, "SELECT *\nWHERE { ?s ?p }")


def test_result_formats(store: ox.Store) -> None:
    res = run(store, "indicator_values")
    rows = list(csv.DictReader(io.StringIO(res.to_csv())))
    assert list(rows[0]) == res.variables
    assert any(r["year"] == "2015" and "90" in r["achieved"].split(" / ") for r in rows)
    tsv = list(csv.reader(io.StringIO(res.to_tsv()), delimiter="\t"))
    assert tsv[0] == ["?" + v for v in res.variables] and len(tsv) == len(res) + 1
    data = json.loads(res.to_json())
    assert data["head"]["vars"] == res.variables
    b = data["results"]["bindings"]
    assert len(b) == len(res)
    assert any(x.get("year") == {"type": "literal", "value": "2015",
                             "datatype": "http://www.w3.org/2001/XMLSchema#gYear"} for x in b)


def _cut(line: str, width: int) -> tuple[str, str]:
    w = 0
    for i, ch in enumerate(line):
        if w >= width:
            return line[:i], line[i:]
        w += display_width(ch)
    return line, ""


def test_table_counts_cjk_as_two_columns(store: ox.Store) -> None:
    res = run(store, "programs_by_agency_and_place", agencyName="葫芦岛市教育局")
    lines = res.to_table().splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    widths = [len(d) for d in rule.split("  ")]
    assert display_width("学前三年") == 8
    assert lines[-1] == f"({len(res)} rows)"
    for line in [header, *body]:
        rest = line
        for w in widths[:-1]:
            cell, rest = _cut(rest, w)
            if not rest.strip():  # trailing empty cells are not padded
                break
            assert display_width(cell) == w, line
            assert rest.startswith("  "), line
            rest = rest[2:]
    assert "葫芦岛市教育局" in body[0]


# ------------------------------------------------------------------ stores


def test_store_round_trip(seed_graph: Graph, tmp_path: Path) -> None:
    d = save_store(seed_graph, tmp_path / "store")
    assert (d / "CURRENT").exists()
    ro = open_store(d)
    again = open_store(d)  # several read-only openers at once
    n = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert query(ro, n).rows == query(again, n).rows == [(len(seed_graph),)]
    check_indicator_values(run(ro, "indicator_values"))
    del ro, again
    # saving again replaces the content, it does not add to it
    save_store(seed_graph, d)
    assert query(open_store(d), n).rows == [(len(seed_graph),)]
    rw = open_store(tmp_path / "new", read_only=False)
    rw.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("c")))
    assert len(query(rw, n).rows) == 1
    with pytest.raises(QueryError):
        open_store(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "x.txt").write_text("x")
    with pytest.raises(QueryError):
        save_store(seed_graph, tmp_path / "plain")


# ------------------------------------------------------------------ CLI


def _ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.stdout


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    err = result.stderr.strip()
    assert err.startswith("kg: ") and "\n" not in err, err
    return err


def test_cli_query_formats(seed_ttl: Path) -> None:
    r = CliRunner()
    table = _ok(r.invoke(main, ["query", "indicator_values", "--graph", str(seed_ttl)]))
    assert "学前三年毛入园率" in table and "葫芦岛市" in table
    out = _ok(r.invoke(main, ["query", "indicator_values", "--graph", str(seed_ttl), "--format", "csv"]))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert any(x["year"] == "2015" and "90" in x["achieved"].split(" / ") for x in rows)
    out = _ok(r.invoke(main, ["query", "indicator_values", "--graph", str(seed_ttl), "--format", "json"]))
    assert json.loads(out)["head"]["vars"][0] == "indicatorLabel"
    out = _ok(r.invoke(main, ["query", "indicator_values", "--graph", str(seed_ttl), "--format", "tsv"]))
    assert out.splitlines()[0].startswith("?indicatorLabel\t")
    out = _ok(r.invoke(main, ["query", "place_profile", "-p", "placeName=济南市", "--graph", str(seed_ttl),
                              "--format", "json"]))
    labels = {b["placeLabel"]["value"] for b in json.loads(out)["results"]["bindings"]}
    assert "济南市" in labels and "兴城市" not in labels


def test_cli_query_file_text_and_list(seed_ttl: Path, tmp_path: Path) -> None:
    r = CliRunner()
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?l WHERE { ?p a kg:Place ; rdfs:label ?l } ORDER BY ?l", encoding="utf-8")
    out = _ok(r.invoke(main, ["query", str(f), "--graph", str(seed_ttl), "--format", "csv"]))
    assert "兴城市" in out.splitlines()
    out = _ok(r.invoke(main, ["query", "ASK { ?s a kg:Place }", "--graph", str(seed_ttl)]))
    assert out.strip() == "yes"
    out = _ok(r.invoke(main, ["query", "--list"]))
    assert all(p.stem in out for p in QUERIES)


def test_cli_query_store(seed_graph: Graph, tmp_path: Path) -> None:
    d = save_store(seed_graph, tmp_path / "store")
    out = _ok(CliRunner().invoke(main, ["query", "agencies_and_people", "--store", str(d), "--format", "csv"]))
    assert any(row["personLabel"] == "佟民" for row in csv.DictReader(io.StringIO(out)))


def test_cli_query_errors(seed_ttl: Path, tmp_path: Path) -> None:
    r = CliRunner()
    assert "syntax" in _one_line_error(r.invoke(main, ["query", "SELECT * WHERE { ?s ?p }", "--graph", str(seed_ttl)]))
    assert "library" in _one_line_error(r.invoke(main, ["query", "no_such_query", "--graph", str(seed_ttl)]))
    _one_line_error(r.invoke(main, ["query", "indicator_values", "--graph", str(tmp_path / "none.ttl")]))
    _one_line_error(r.invoke(main, ["query", "indicator_values", "--store", str(tmp_path)]))
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    assert "bad.ttl" in _one_line_error(r.invoke(main, ["query", "indicator_values", "--graph", str(bad)]))
    _one_line_error(r.invoke(main, ["query", "indicator_values", "-p", "nope=1", "--graph", str(seed_ttl)]))


def test_kg_query_is_callable(seed_graph: Graph) -> None:
    import kg
    import kg.query

    assert kg.query(seed_graph, "ASK { ?s a kg:Place }").boolean is True
