"""Hostile and faulty use of ``kg query``, ``kg serve`` and ``kg validate`` (issue 11).

Every case runs the real thing: the ``kg`` executable of the venv in a child
process, Oxigraph underneath, servers on a free loopback port. Time limits are
checked by behaviour (a query that would run for hours is stopped and
reported), never by a clock.
"""

from __future__ import annotations

import csv
import io
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query import bind_params, neutralise_cell, param_term, QueryError, safe_text

KG_EXE = Path(sys.executable).parent / "kg"
KG_NS = "https://w3id.org/edupolicy-kg/def#"
KGR_NS = "https://w3id.org/edupolicy-kg/id/"
# ?a ?b ?c . ?d ?e ?f . ?g ?h ?i over a few hundred triples: 10^8 to 10^10 rows, hours of work
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def small_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred triples in the contract's shape, with hostile labels among them."""
    lines = [f"@prefix kg: <{KG_NS}> .", f"@prefix kgr: <{KGR_NS}> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(120):
        lines.append(f'kgr:agency\\/a{i} a kg:Agency ; rdfs:label "机构{i}"@zh ; kg:implements kgr:program\\/p{i} .')
    lines.append('kgr:agency\\/evil a kg:Agency ; rdfs:label "=HYPERLINK(\\"http://evil/\\")"@zh .')
    lines.append('kgr:agency\\/esc a kg:Agency ; rdfs:label "a\\u001B]0;pwned\\u0007b"@zh .')
    lines.append('kgr:agency\\/minus a kg:Agency ; rdfs:label "-2+3"@zh .')
    path = tmp_path_factory.mktemp("robust") / "graph.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def listener() -> Iterator[socket.socket]:
    """A loopback socket that records whether anything connected to it (an outbound request)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield s
    s.close()


def was_contacted(s: socket.socket) -> bool:
    readable, _, _ = select.select([s], [], [], 0)
    return bool(readable)


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG_EXE), *args], capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------ parameters


def test_param_values_are_terms_not_query_text() -> None:
    assert param_term("葫芦岛市") == '"葫芦岛市"'
    assert param_term('"} UNION { ?s ?p ?o } #') == '"\\"} UNION { ?s ?p ?o } #"'
    assert param_term("<https://w3id.org/edupolicy-kg/id/place/211400>") == \
        "<https://w3id.org/edupolicy-kg/id/place/211400>"
    assert param_term("undef") == "UNDEF"
    for bad in ("<http://x>}?s?p?o}#>", "<http://x>}SERVICE<http://evil/>{?a?b?c}}#>", "<no scheme>"):
        with pytest.raises(QueryError, match="not a valid IRI"):
            param_term(bad)
    text = bind_params("SELECT * WHERE { VALUES ?name { \"x\" } ?s ?p ?name }", {"name": 'a\\u0022b"'})
    assert 'VALUES ?name { "a\\\\u0022b\\"" }' in text
    with pytest.raises(QueryError):
        bind_params("SELECT * WHERE { VALUES ?name { \"x\" } }", {"na}me": "x"})


def test_iri_shaped_param_cannot_reach_out_or_widen_the_query(small_ttl: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    spec = "SELECT ?l WHERE { VALUES ?name { \"机构1\" } ?a rdfs:label ?l FILTER(STR(?l) = ?name) }"
    injected = f"<http://x>}}SERVICE<http://127.0.0.1:{port}/sparql>{{?a?b?c}}}}#>"
    res = kg("query", "--graph", str(small_ttl), spec, "-p", f"name={injected}")
    assert res.returncode == 1 and "not a valid IRI" in res.stderr and "Traceback" not in res.stderr
    widened = kg("query", "--graph", str(small_ttl), "--format", "csv", spec, "-p", 'name="}UNION{?a rdfs:label ?l}#')
    assert widened.returncode == 0 and widened.stdout.strip().splitlines() == ["l"]  # no label at all
    bound = kg("query", "--graph", str(small_ttl), "--format", "csv", spec, "-p", "name=机构1")
    assert bound.stdout.strip().splitlines() == ["l", "机构1"]
    assert not was_contacted(listener)


# ------------------------------------------------------------------ bounded work


def test_query_timeout_stops_the_work(small_ttl: Path) -> None:
    res = kg("query", "--graph", str(small_ttl), "--timeout", "1", CARTESIAN_COUNT)
    assert res.returncode == 124
    assert res.stderr == "kg: query stopped after 1 s (--timeout 1; 0 = no limit)\n"
    assert res.stdout == ""


def test_results_stream_and_ctrl_c_is_honoured(small_ttl: Path) -> None:
    proc = subprocess.Popen([str(KG_EXE), "-v", "query", "--graph", str(small_ttl), "--timeout", "0",
                             "--format", "csv", CARTESIAN_ROWS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert "evaluating" in proc.stderr.readline()
        header = proc.stdout.readline()
        first = proc.stdout.readline()
        # rows arrive while the 10^10-row result is still being produced
        assert header.strip() == "a,b,c,d,e,f,g,h,i" and first.count(",") == 8
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        proc.stdout.close()
        assert proc.wait(timeout=60) == 130
        assert proc.stderr.read() == "kg: interrupted\n"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_reader_going_away_is_not_an_error(small_ttl: Path) -> None:
    proc = subprocess.Popen([str(KG_EXE), "query", "--graph", str(small_ttl), "--timeout", "0",
                             "--format", "tsv", CARTESIAN_ROWS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in proc.stderr.read()


# ------------------------------------------------------------------ neutralised output


def test_csv_and_tsv_cells_cannot_be_formulas(small_ttl: Path) -> None:
    assert [neutralise_cell(s) for s in ("=1+2", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3.5", "+7", "a=b")] \
        == ["'=1+2", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-3.5", "+7", "a=b"]
    q = "SELECT ?l WHERE { ?a a kg:Agency ; rdfs:label ?l FILTER(!STRSTARTS(?l, \"机构\")) } ORDER BY ?l"
    res = kg("query", "--graph", str(small_ttl), "--format", "csv", q)
    cells = [row[0] for row in csv.reader(io.StringIO(res.stdout))][1:]
    assert "'=HYPERLINK(\"http://evil/\")" in cells and "'-2+3" in cells
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    res = kg("query", "--graph", str(small_ttl), "--format", "tsv", q)
    assert '"\'=HYPERLINK(\\"http://evil/\\")"@zh' in res.stdout.splitlines()
    numbers = kg("query", "--graph", str(small_ttl), "--format", "tsv", "SELECT (-3 AS ?n) (\"-3\" AS ?s) {}")
    assert numbers.stdout.splitlines()[1] == '-3\t"-3"'


def test_table_and_messages_escape_terminal_controls(small_ttl: Path, tmp_path: Path) -> None:
    assert safe_text("a\x1b[2Jb\u202ec\x9b") == "a\\x1b[2Jb\\u202ec\\x9b"
    res = kg("query", "--graph", str(small_ttl), "SELECT ?l WHERE { ?a rdfs:label ?l FILTER(CONTAINS(?l, \"pwned\")) }")
    assert res.returncode == 0 and "\x1b" not in res.stdout and "\x07" not in res.stdout
    assert "a\\x1b]0;pwned\\x07b" in res.stdout
    evil = tmp_path / "x\x1b]0;owned\x07.ttl"
    evil.write_text("not turtle at all {", encoding="utf-8")
    res = kg("query", "--graph", str(evil), "ASK {}")
    assert res.returncode == 1 and "\x1b" not in res.stderr and "\\x1b]0;owned\\x07.ttl" in res.stderr
    res = CliRunner().invoke(main, ["query", "--graph", str(small_ttl), "q\x1b[31m.rq"])
    assert res.exit_code == 1 and "\x1b" not in res.stderr
