"""``kg serve`` (our SPARQL 1.1 Protocol endpoint over pyoxigraph) and ``kg load`` into it.

The servers run as real child processes of the venv's ``kg`` executable on a
free loopback port; fixtures stop them (terminate, wait).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from kg.serve import ServeError, gsp_url, oxigraph_executable

KG_EXE = Path(sys.executable).parent / "kg"
TOKEN = "test-token"

try:
    oxigraph_executable()
    HAVE_OXIGRAPH = True
except ServeError:  # pragma: no cover
    HAVE_OXIGRAPH = False
pytestmark = pytest.mark.skipif(not HAVE_OXIGRAPH, reason="the oxigraph server (pip install oxigraph) is missing")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sparql(base: str, q: str) -> dict:
    url = f"{base}/query?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.headers["Content-Type"].startswith("application/sparql-results+json")
        return json.loads(resp.read())


def count(base: str, where: str = "?s ?p ?o") -> int:
    data = sparql(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(data["results"]["bindings"][0]["n"]["value"])


def start(args: list[str], port: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([str(KG_EXE), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # bounded: about a minute at most
        if proc.poll() is not None:
            raise AssertionError(f"kg serve exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            sparql(base, "ASK {}")
            return proc, base
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    stop(proc)
    raise AssertionError("kg serve did not answer")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()
        out, _ = proc.communicate()
    return out


@pytest.fixture(scope="module")
def read_only(seed_ttl: Path) -> Iterator[str]:
    proc, base = start(["--graph", str(seed_ttl)], free_port())
    yield base
    out = stop(proc)
    assert f"{base}/query" in out and "curl" in out  # it told the user where and how
    assert proc.returncode == 0
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        sparql(base, "ASK {}")  # the Oxigraph child is gone too


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[str]:
    proc, base = start(["--writable", "--store", str(tmp_path / "store"), "--token", TOKEN], free_port())
    yield base
    stop(proc)


def test_query_over_protocol(read_only: str, seed_graph: Graph) -> None:
    assert count(read_only) == len(seed_graph)
    data = sparql(read_only, """
        PREFIX kg: <https://w3id.org/edupolicy-kg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?p a kg:Place ; kg:partOf/rdfs:label "葫芦岛市"@zh ; rdfs:label ?label }""")
    assert "兴城市" in {b["label"]["value"] for b in data["results"]["bindings"]}


def test_library_query_over_protocol(read_only: str) -> None:
    from kg.query import with_prologue

    text = with_prologue((Path(__file__).parents[1] / "kg" / "queries" / "indicator_values.rq").read_text("utf-8"))
    rows = sparql(read_only, text)["results"]["bindings"]
    assert any(r.get("year", {}).get("value") == "2015" and "90" in r["achieved"]["value"].split(" / ") for r in rows)


def test_update_refused_when_read_only(read_only: str, seed_graph: Graph) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    req = urllib.request.Request(f"{read_only}/update", data=update.encode(), method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert 400 <= err.value.code < 500
    form = urllib.parse.urlencode({"update": update}).encode()
    req = urllib.request.Request(f"{read_only}/query", data=form, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert 400 <= err.value.code < 500
    assert count(read_only) == len(seed_graph)


def test_load_into_writable_server(writable: str, seed_ttl: Path, seed_graph: Graph) -> None:
    r = CliRunner()
    named = "https://w3id.org/edupolicy-kg/graph/seed"
    res = r.invoke(main, ["load", "--endpoint", f"{writable}/store", "--graph", named, "--file", str(seed_ttl),
                          "--token", TOKEN])
    assert res.exit_code == 0, res.output
    assert count(writable, f"GRAPH <{named}> {{ ?s ?p ?o }}") == len(seed_graph)
    assert count(writable) == 0  # the default graph is untouched
    # a bare server address means its /store; --replace (PUT) does not duplicate
    for extra in ([], ["--replace"], ["--replace"]):
        res = r.invoke(main, ["load", "--endpoint", writable, "--file", str(seed_ttl), "--token", TOKEN, *extra])
        assert res.exit_code == 0, res.output
        assert count(writable) == len(seed_graph)
    data = sparql(writable, 'ASK { ?a <http://www.w3.org/2000/01/rdf-schema#label> "葫芦岛市教育局"@zh }')
    assert data["boolean"] is True


def test_load_errors_are_one_line(seed_ttl: Path, tmp_path: Path) -> None:
    r = CliRunner()
    dead = f"http://127.0.0.1:{free_port()}/store"
    res = r.invoke(main, ["load", "--endpoint", dead, "--file", str(seed_ttl)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert "connection refused" in res.stderr and res.stderr.count("\n") == 1
    res = r.invoke(main, ["load", "--endpoint", "ftp://x", "--file", str(seed_ttl)])
    assert res.exit_code != 0 and res.stderr.startswith("kg: ")
    res = r.invoke(main, ["load", "--endpoint", dead, "--file", str(tmp_path / "missing.ttl")])
    assert res.exit_code != 0 and "no such file" in res.stderr


def test_load_http_error_is_one_line(read_only: str, seed_ttl: Path) -> None:
    res = CliRunner().invoke(main, ["load", "--endpoint", f"{read_only}/store", "--file", str(seed_ttl)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    err = res.stderr.strip()
    assert err.startswith("kg: ") and "HTTP 4" in err and "\n" not in err


def test_gsp_url() -> None:
    assert gsp_url("http://h:1", None) == "http://h:1/store?default"
    assert gsp_url("http://h:1/store", "http://g/x") == "http://h:1/store?graph=http%3A%2F%2Fg%2Fx"
    assert gsp_url("http://h/rdf-graph-store?x=1", None) == "http://h/rdf-graph-store?x=1&default"


def test_serve_errors_are_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["serve", "--store", str(tmp_path), "--port", str(free_port())])
    assert res.exit_code != 0 and "not an Oxigraph store" in res.stderr and "Traceback" not in res.output
