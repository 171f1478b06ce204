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
from collections.abc import Callable, Iterator
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


# ------------------------------------------------------------------ the server

import json  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TOKEN = "s3cret-test-token"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with NO_PROXY.open(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def ask_count(base: str) -> int:
    q = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    status, body = http(f"{base}/query?{q}", headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(cond, what: str, limit: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Poll until ``cond()`` holds; bounded so a failure cannot hang the suite."""
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


class Serve:
    """``kg serve`` in a child process on a free port."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([str(KG_EXE), "serve", "--port", str(self.port), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.banner: list[str] = []
        for line in self.proc.stdout:
            self.banner.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        else:
            raise AssertionError("kg serve exited: " + (self.proc.stderr.read() if self.proc.stderr else ""))

    def engine(self) -> int:
        kids = children(self.proc.pid)
        assert len(kids) == 1, kids
        return kids[0]

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
        _, err = self.proc.communicate(timeout=60)
        return err


@pytest.fixture()
def serve() -> Iterator[Callable[..., Serve]]:
    started: list[Serve] = []

    def start(*args: str) -> Serve:
        s = Serve(*args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def test_writable_server_refuses_cross_site_and_tokenless_writes(serve: Callable[..., Serve],
                                                                  small_ttl: Path) -> None:
    srv = serve("--writable", "--graph", str(small_ttl))
    token = next(line.split()[1] for line in srv.banner if line.startswith("Token:"))
    before = ask_count(srv.base)
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    # what a hostile page's <form method=post> sends
    status, body = http(f"{srv.base}/update", form, {**form_type, "Origin": "http://evil.example",
                                                    "Sec-Fetch-Site": "cross-site"})
    assert status == 403 and "cross-origin" in body
    status, body = http(f"{srv.base}/update", form, {**form_type, "Origin": "null"})
    assert status == 403
    status, body = http(f"{srv.base}/update", form, form_type)  # no token
    assert status == 401 and "Bearer" in body
    status, _ = http(f"{srv.base}/update", form, {**form_type, "Authorization": "Bearer wrong"})
    assert status == 401
    status, _ = http(f"{srv.base}/store?default", b"", {"Authorization": "Bearer wrong"}, method="DELETE")
    assert status == 401
    status, _ = http(f"{srv.base}/update", form, {**form_type, "Host": f"evil.example:{srv.port}",
                                                 "Authorization": f"Bearer {token}"})
    assert status == 403  # DNS rebinding
    assert ask_count(srv.base) == before > 0  # the store is intact
    insert = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    status, _ = http(f"{srv.base}/update", insert, {"Content-Type": "application/sparql-update",
                                                   "Authorization": f"Bearer {token}"})
    assert status == 204 and ask_count(srv.base) == before + 1


def test_token_can_be_given_and_kg_load_sends_it(serve: Callable[..., Serve], small_ttl: Path,
                                                 tmp_path: Path) -> None:
    srv = serve("--writable", "--store", str(tmp_path / "store"), "--token", TOKEN)
    assert any(line.startswith("Token:") and TOKEN not in line for line in srv.banner)
    res = kg("load", "--endpoint", srv.base, "--file", str(small_ttl))
    assert res.returncode == 1 and "HTTP 401" in res.stderr
    res = kg("load", "--endpoint", srv.base, "--file", str(small_ttl), "--token", TOKEN)
    assert res.returncode == 0, res.stderr
    assert ask_count(srv.base) == len(list(ox.parse(path=str(small_ttl), format=ox.RdfFormat.TURTLE)))


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://127.0.0.1:{port}/>\nSELECT * { ?x ?y ex:a\\#b . SERVICE ex:sparql { ?s ?p ?o } }",
    "SELECT * { ?s ?p \"#\" . SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
])
def test_service_is_off_on_the_server(serve: Callable[..., Serve], small_ttl: Path, listener: socket.socket,
                                      query: str) -> None:
    srv = serve("--graph", str(small_ttl))
    q = query.replace("{port}", str(listener.getsockname()[1]))
    status, body = http(f"{srv.base}/query", urllib.parse.urlencode({"query": q}).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and "SERVICE is off" in body
    status, body = http(f"{srv.base}/query", q.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 403
    assert not was_contacted(listener)


def test_load_is_off_on_the_writable_server_and_service_can_be_allowed(serve: Callable[..., Serve],
                                                                      small_ttl: Path,
                                                                      listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    srv = serve("--writable", "--graph", str(small_ttl), "--token", TOKEN)
    status, body = http(f"{srv.base}/update", f"LOAD <http://127.0.0.1:{port}/data.ttl>".encode(),
                        {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 403 and "LOAD is off" in body
    assert not was_contacted(listener)
    open_srv = serve("--graph", str(small_ttl), "--allow-service")

    def answer() -> None:  # accept the outbound call and hang up
        conn, _ = listener.accept()
        conn.close()

    t = threading.Thread(target=answer, daemon=True)
    t.start()
    q = f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    status, _ = http(f"{open_srv.base}/query?" + urllib.parse.urlencode({"query": q}),
                     headers={"Accept": "application/sparql-results+json"})
    t.join(timeout=60)
    assert status == 200 and not t.is_alive()  # the call went out, as allowed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux-only")
def test_engine_cannot_connect_even_past_the_text_check(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    code = (
        "import sys\n"
        "from kg.endpoint import deny_network\n"
        "armed = deny_network()\n"
        "import pyoxigraph as ox\n"
        "try:\n"
        f"    list(ox.Store().query('SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}'))\n"
        "    print(armed, 'answered')\n"
        "except Exception as exc:\n"
        "    print(armed, type(exc).__name__)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    armed, outcome = res.stdout.split()
    if armed == "False":
        pytest.skip("no seccomp filter for this architecture")
    assert outcome != "answered"
    assert not was_contacted(listener)


def test_server_timeout_stops_the_work_and_serves_on(serve: Callable[..., Serve], small_ttl: Path) -> None:
    srv = serve("--graph", str(small_ttl), "--timeout", "1")
    engine = srv.engine()
    status, body = http(f"{srv.base}/query?" + urllib.parse.urlencode({"query": CARTESIAN_COUNT}))
    assert status == 503 and "stopped after 1 s" in body
    wait_for(lambda: not alive(engine), "the engine that ran the query ended")
    assert ask_count(srv.base) > 0  # a fresh engine answers on the same port
    assert srv.engine() != engine
    assert "overran its time limit; the engine was restarted" in srv.stop()


def test_work_stops_when_the_client_goes_away(serve: Callable[..., Serve], small_ttl: Path) -> None:
    srv = serve("--graph", str(small_ttl), "--timeout", "0")
    engine = srv.engine()
    with socket.create_connection(("127.0.0.1", srv.port)) as c:
        q = urllib.parse.urlencode({"query": CARTESIAN_COUNT})
        c.sendall(f"GET /query?{q} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
        # gone before any answer (no time limit would ever stop this query)
    wait_for(lambda: not alive(engine), "the engine stopped the abandoned query")
    assert ask_count(srv.base) > 0


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_engine_dies_with_kg_serve_even_on_sigkill(small_ttl: Path) -> None:
    srv = Serve("--graph", str(small_ttl))
    engine = srv.engine()
    cmdline = Path(f"/proc/{engine}/cmdline").read_bytes().split(b"\0")
    tmp = Path(cmdline[cmdline.index(b"--remove-on-orphan") + 1].decode())
    assert tmp.is_dir()
    srv.proc.kill()
    srv.proc.wait(timeout=60)
    wait_for(lambda: not alive(engine), "the engine died with its parent")
    wait_for(lambda: not tmp.exists(), "the temporary store was removed")
    wait_for(lambda: refused(srv.port), "nothing listens on the port any more")


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_busy_port_is_one_line_before_anything_is_announced(small_ttl: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    res = kg("serve", "--graph", str(small_ttl), "--port", str(port))
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == f"kg: port {port} on 127.0.0.1 is already in use (another server? give --port N)\n"


# ------------------------------------------------------------------ kg validate


def test_validate_rejects_what_is_not_a_graph(tmp_path: Path) -> None:
    cases = {
        "empty.ttl": (b"", "empty file, not a graph"),
        "comment.ttl": (b"# nothing here\n", "no triples (empty or not RDF)"),
        "photo.ttl": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "not RDF"),
        "prose.ttl": ("这不是RDF。{ [ ".encode(), "not RDF"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        res = kg("validate", str(path))
        assert res.returncode == 1 and message in res.stderr and "conforms" not in res.stdout, (name, res)
        assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_validate_reports_iris_oxigraph_rejects(tmp_path: Path, small_ttl: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(small_ttl.read_text(encoding="utf-8") +
                   f'<{KGR_NS}agency/a\ufffdb> a <{KG_NS}Agency> .\n'
                   f'<{KGR_NS}agency/c> <{KG_NS}locatedIn> <{KGR_NS}place/d\ufffce> .\n', encoding="utf-8")
    res = kg("validate", str(bad))
    assert res.returncode == 1
    assert res.stdout.startswith("Oxigraph rejects the graph: IRI <")
    assert f"IRI <{KGR_NS}agency/a\ufffdb>" in res.stdout and f"IRI <{KGR_NS}place/d\ufffce>" in res.stdout


def test_csv_export_cells_cannot_be_formulas(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    g = Graph()
    a, p = URIRef(f"{KGR_NS}agency/x"), URIRef(f"{KGR_NS}program/y")
    g.add((a, RDF.type, URIRef(f"{KG_NS}Agency")))
    g.add((a, RDFS.label, Literal("=cmd|' /C calc'!A0", lang="zh")))
    g.add((a, SKOS.altLabel, Literal("@SUM(1+1)", lang="zh")))
    g.add((p, RDF.type, URIRef(f"{KG_NS}Program")))
    g.add((p, RDFS.label, Literal("+普惠", lang="zh")))
    g.add((a, URIRef(f"{KG_NS}implements"), p))
    src = tmp_path / "g.ttl"
    g.serialize(src, format="turtle")
    res = CliRunner().invoke(main, ["export", str(src), "--format", "csv", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    for name in ("nodes.csv", "edges.csv"):
        rows = list(csv.reader(io.StringIO((tmp_path / "out" / name).read_text(encoding="utf-8"))))
        for cell in (c for row in rows for c in row):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    nodes = (tmp_path / "out" / "nodes.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in nodes and "'@SUM(1+1)" in nodes and "'+普惠" in nodes


def test_doctests() -> None:
    import doctest

    import kg.endpoint
    import kg.query
    import kg.textsafe

    for mod in (kg.textsafe, kg.query, kg.endpoint):
        assert doctest.testmod(mod).failed == 0, mod.__name__


# ------------------------------------------------------------------ the library in a fresh clone / a wheel

QUERY_DIR = Path(__file__).resolve().parents[1] / "kg" / "queries"


@pytest.mark.parametrize("path", sorted(QUERY_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_every_library_query_runs_standalone(path: Path) -> None:
    from kg.endpoint import _code_only
    from kg.namespace import PREFIXES

    text = path.read_text(encoding="utf-8")
    ox.Store().query(text)  # no prologue added: the file's own PREFIX lines suffice
    import re

    declared = dict(re.findall(r"(?m)^PREFIX\s+(\w*):\s*<([^>]*)>", text))
    assert declared and all(PREFIXES.get(p) == iri for p, iri in declared.items()), declared  # the contract's
    used = {p for p in PREFIXES if re.search(r"(?<![\w:?$])" + p + r":", _code_only(text))}
    assert used <= set(declared)


def test_library_ships_in_the_package() -> None:
    import fnmatch
    import tomllib
    from importlib.resources import files

    from kg.query import find_query, library, packaged_queries

    assert packaged_queries() == Path(str(files("kg").joinpath("queries")))
    assert set(library()) >= {p.stem for p in QUERY_DIR.glob("*.rq")}
    assert find_query("entity_counts") == QUERY_DIR.resolve() / "entity_counts.rq"
    config = tomllib.loads((QUERY_DIR.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kg"]
    for f in [*QUERY_DIR.glob("*.rq"), QUERY_DIR / "README.md"]:
        rel = f.relative_to(QUERY_DIR.parent).as_posix()
        assert any(fnmatch.fnmatch(rel, pat) for pat in patterns), rel
    # the library answers from anywhere, not only from a checkout
    res = subprocess.run([str(KG_EXE), "query", "--list"], capture_output=True, text=True, cwd="/", timeout=120)
    assert res.returncode == 0 and "entity_counts" in res.stdout
