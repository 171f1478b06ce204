"""The SPARQL 1.1 Protocol over pyoxigraph: the engine process behind ``kg serve``.

``kg serve`` (:mod:`kg.serve`) binds the port and starts this module as a child
process (``python -m kg.endpoint``) on an on-disk store; the child answers
HTTP on the inherited socket:

- ``/query``  SPARQL 1.1 Query (GET ``?query=``, POST form or ``application/sparql-query``)
- ``/update`` SPARQL 1.1 Update (writable servers only)
- ``/store``  SPARQL 1.1 Graph Store Protocol (``?default`` or ``?graph=IRI``)

Why our own endpoint rather than the ``oxigraph`` server binary: the binary
has no authentication, cannot switch SERVICE off, and a proxy in front of it
would leave the binary's own port open to any web page's form POST. Here the
only listening socket is ours, and every request passes these checks first:

- a ``Host`` header naming this server (DNS rebinding) and no foreign
  ``Origin`` / ``Sec-Fetch-Site`` (cross-site requests) — 403;
- on a writable server, every request but GET/HEAD carries
  ``Authorization: Bearer TOKEN`` — 401;
- SERVICE (and LOAD in updates) refused unless allowed — 403; on Linux the
  process is also denied ``connect()`` by a seccomp filter, so no query can
  reach the network whatever its text;
- each query or update has ``timeout`` seconds. Oxigraph's evaluation cannot
  be cancelled, so a request that overruns (or whose client goes away while it
  is still evaluating) gets a 503 and this process exits with
  :data:`EXIT_RESTART`; ``kg serve`` starts a fresh one on the same socket.

The process also exits when its parent dies, even by SIGKILL
(``PR_SET_PDEATHSIG`` and a pipe from the parent that reaches end-of-file).
"""

from __future__ import annotations

import argparse
import ctypes
import hmac
import os
import platform
import re
import select
import shutil
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any, cast

EXIT_RESTART = 75  # a request was stopped; start a fresh engine on the same socket
TOKEN_ENV = "KG_SERVE_TOKEN"
MAX_BODY = 1 << 30  # bytes accepted in one request body

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2


# ------------------------------------------------------------------ what a query may do


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_KEYWORD = re.compile(r"(?<![\w:?$\\])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)


def _code_only(sparql: str) -> str:
    """``sparql`` with strings, IRIs, comments and escaped characters blanked out.

    It lexes as Oxigraph does where it matters: an IRI cannot hold a space or
    ``{``, a ``\\`` outside a string escapes one character of a prefixed name,
    ``#`` starts a comment only outside strings and IRIs.
    """
    out: list[str] = []
    i, n = 0, len(sparql)
    while i < n:
        ch = sparql[i]
        if ch == "\\":
            out.append("  ")
            i += 2
            continue
        if ch in "\"'":
            quote = ch * 3 if sparql.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                if sparql[j] == "\\":
                    j += 1
                elif len(quote) == 1 and sparql[j] in "\n\r":
                    break
                j += 1
            j = min(j + len(quote), n)
            out.append(" " * (j - i))
            i = j
            continue
        if ch == "<":
            m = _IRIREF.match(sparql, i)
            if m:
                out.append(" " * (m.end() - i))
                i = m.end()
                continue
        if ch == "#":
            j = sparql.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def remote_call(sparql: str, update: bool = False) -> str | None:
    """``SERVICE`` (or, in an update, ``LOAD``) if the text would make an outbound request.

    >>> remote_call('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }'), remote_call('SELECT ("SERVICE" AS ?x) {}')
    ('SERVICE', None)
    """
    for m in _KEYWORD.finditer(_code_only(sparql)):
        word = m.group(1).upper()
        if word == "SERVICE" or update:
            return word
    return None


# ------------------------------------------------------------------ process guards


def die_with_parent(parent_pid: int, pipe_fd: int | None, on_exit: Any) -> None:
    """Exit when the parent process dies, even by SIGKILL.

    Linux: ``PR_SET_PDEATHSIG`` sends SIGTERM; everywhere: a thread reads the
    pipe whose other end only the parent holds, and end-of-file means it is gone.
    """
    def leave(*_args: object) -> None:
        on_exit()
        os._exit(0)

    signal.signal(signal.SIGTERM, leave)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        leave()
    if pipe_fd is not None:
        def watch() -> None:
            try:
                while os.read(pipe_fd, 1):
                    pass
            except OSError:
                pass
            leave()

        threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


_AUDIT_ARCH = {"x86_64": (0xC000003E, 42), "amd64": (0xC000003E, 42), "aarch64": (0xC00000B7, 203),
               "arm64": (0xC00000B7, 203)}


def deny_network() -> bool:
    """Forbid ``connect()`` to this process and its future threads (Linux seccomp).

    Call before any other thread starts. Returns whether the filter is in place
    (False on other systems and architectures; the SERVICE check of the query
    text still applies there).
    """
    arch = _AUDIT_ARCH.get(platform.machine().lower())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, nr_connect = arch
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    errno_eacces = 0x00050000 | 13
    allow = 0x7FFF0000
    program = [
        (ld, 0, 0, 4),                  # architecture
        (jeq, 0, 4, audit_arch),        # another ABI: allow
        (ld, 0, 0, 0),                  # syscall number
        (jge, 1, 0, 0x40000000),        # x32 calls: deny
        (jeq, 0, 1, nr_connect),        # connect: deny, anything else: allow
        (ret, 0, 0, errno_eacces),
        (ret, 0, 0, allow),
    ]
    filt = b"".join(struct.pack("HBBI", *ins) for ins in program)
    buf = ctypes.create_string_buffer(filt)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.cast(buf, ctypes.c_void_p))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0)
    except (OSError, AttributeError):
        return False


# ------------------------------------------------------------------ HTTP


class Stopped(Exception):
    """The request overran its time or lost its client: the engine restarts."""


class Endpoint(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sock: socket.socket, store: Any, *, writable: bool, token: str | None,
                 timeout: float, allow_service: bool, port: int, host: str) -> None:
        super().__init__(sock.getsockname()[:2], Handler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock
        self.store = store
        self.writable = writable
        self.token = token
        self.query_timeout = timeout
        self.allow_service = allow_service
        names = {"127.0.0.1", "localhost", "[::1]", host if ":" not in host else f"[{host}]"}
        self.any_host = host in ("0.0.0.0", "::", "")
        self.hosts = {f"{h}:{port}" for h in names} | ({h for h in names} if port == 80 else set())
        self.origins = {f"http://{h}" for h in self.hosts}


def _negotiate(accept: str, offered: list[str]) -> str | None:
    """The first of ``offered`` media types the Accept header takes, by q-value."""
    if not accept.strip():
        return offered[0]
    ranges: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((-q, i, fields[0].lower()))
    for neg_q, _i, media in sorted(ranges):
        if neg_q >= 0:
            continue
        if media in ("*/*", "application/*") or media == "":
            return offered[0]
        for o in offered:
            if o == media or (media.endswith("/*") and o.startswith(media[:-1])):
                return o
    return None


_SELECT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                 "text/tab-separated-values", "application/json"]
_GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
                "application/n-quads", "application/trig", "text/n3"]
_DATASET_TYPES = ["application/n-quads", "application/trig"]


class Handler(BaseHTTPRequestHandler):
    server: Endpoint
    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"
    sys_version = ""

    # ---- plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the base class's name)
        pass

    def _send(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        body = (message.rstrip("\n") + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def _start_stream(self, media: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
        self.send_header("Connection", "close")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.close_connection = True

    def _out(self) -> IO[bytes]:
        return cast("IO[bytes]", self.wfile)

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send the request body with a Content-Length")
        if self.headers.get("Content-Encoding", "identity").lower() not in ("identity", ""):
            raise _Refused(415, "compressed request bodies are not accepted")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refused(400, "bad Content-Length") from None
        if length < 0 or length > MAX_BODY:
            raise _Refused(413, f"request body over {MAX_BODY} bytes")
        self._body_read = True
        return self.rfile.read(length) if length else b""

    def _drain(self) -> None:
        """Read an unread request body (up to 64 MiB) so the client sees our answer, not a reset."""
        if getattr(self, "_body_read", False):
            return
        self._body_read = True
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return
        if 0 < length <= 64 << 20:
            while length > 0:
                chunk = self.rfile.read(min(length, 1 << 16))
                if not chunk:
                    break
                length -= len(chunk)

    def _media(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    # ---- the checks every request passes

    def _guard(self) -> None:
        srv = self.server
        host = (self.headers.get("Host") or "").strip().lower()
        if not srv.any_host and host not in srv.hosts:
            raise _Refused(403, f"unexpected Host header {host!r}: ask for this server by its address")
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower().rstrip("/") not in srv.origins:
            raise _Refused(403, "cross-origin requests are refused")
        if self.headers.get("Sec-Fetch-Site", "").lower() in ("cross-site", "same-site"):
            raise _Refused(403, "cross-site requests are refused")
        if srv.writable and srv.token and self.command not in ("GET", "HEAD"):
            given = self.headers.get("Authorization", "")
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), srv.token.encode()):
                raise _Refused(401, "this writable server needs 'Authorization: Bearer TOKEN' "
                                    "(the token kg serve printed)", {"WWW-Authenticate": 'Bearer realm="kg"'})

    def _dispatch(self) -> None:
        self._body_read = False
        try:
            self._guard()
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            path = url.path.rstrip("/") or "/"
            if path == "/query":
                self._query(params)
            elif path == "/update":
                self._update(params)
            elif path == "/store":
                self._store(params)
            elif path == "/" and self.command in ("GET", "HEAD") and not params:
                mode = "read-write" if self.server.writable else "read-only"
                self._send(200, f"kg serve ({mode}): SPARQL 1.1 Query at /query, "
                                f"{'Update at /update, ' if self.server.writable else ''}Graph Store at /store")
            else:
                raise _Refused(404, f"no such endpoint {url.path!r} (/query, /update, /store)")
        except _Refused as r:
            self._drain()
            self._send(r.status, r.message, r.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch

    def do_OPTIONS(self) -> None:
        self._send(403, "cross-origin requests are refused")

    # ---- /query

    def _query(self, params: dict[str, list[str]]) -> None:
        if self.command in ("GET", "HEAD"):
            texts = params.get("query", [])
        elif self.command == "POST":
            media = self._media()
            body = self._body()
            if media == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    raise _Refused(400, "updates go to /update")
                texts = form.get("query", [])
                for k, v in form.items():
                    params.setdefault(k, []).extend(v) if k != "query" else None
            elif media == "application/sparql-query":
                texts = [body.decode("utf-8", "replace")]
            else:
                raise _Refused(415, "POST a query as application/sparql-query or a form with query=")
        else:
            raise _Refused(405, "use GET or POST", {"Allow": "GET, HEAD, POST"})
        if len(texts) != 1:
            raise _Refused(400, "give exactly one query")
        text = texts[0]
        self._check_remote(text, update=False)
        default_graphs = [self._iri(v) for v in params.get("default-graph-uri", [])]
        named = [self._iri(v) for v in params.get("named-graph-uri", [])]
        import pyoxigraph as ox

        def work(state: _State) -> None:
            kw: dict[str, Any] = {}
            if default_graphs:
                kw["default_graph"] = default_graphs
            if named:
                kw["named_graphs"] = named
            try:
                res = self.server.store.query(text, **kw)
            except SyntaxError as exc:
                raise _Refused(400, f"SPARQL syntax error: {_line(exc)}") from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise _Refused(500, f"query failed: {_line(exc)}") from None
            accept = self.headers.get("Accept", "")
            if isinstance(res, ox.QueryTriples):
                media = _negotiate(accept, _GRAPH_TYPES)
                if media is None:
                    raise _Refused(406, "acceptable: " + ", ".join(_GRAPH_TYPES))
                fmt = ox.RdfFormat.from_media_type(media)
                assert fmt is not None
                state.begin_stream(lambda: self._start_stream(media))
                if self.command != "HEAD":
                    ox.serialize(res, self._out(), format=fmt)
                return
            media = _negotiate(accept, _SELECT_TYPES)
            if media is None:
                raise _Refused(406, "acceptable: " + ", ".join(_SELECT_TYPES))
            rfmt = ox.QueryResultsFormat.from_media_type(
                "application/sparql-results+json" if media == "application/json" else media)
            assert rfmt is not None
            state.begin_stream(lambda: self._start_stream(media))
            if self.command != "HEAD":
                res.serialize(self._out(), format=rfmt)

        self._bounded(work)

    # ---- /update

    def _update(self, params: dict[str, list[str]]) -> None:
        if not self.server.writable:
            raise _Refused(403, "this server is read-only (kg serve --writable accepts updates)")
        if self.command != "POST":
            raise _Refused(405, "POST an update", {"Allow": "POST"})
        media = self._media()
        body = self._body()
        if media == "application/x-www-form-urlencoded":
            texts = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).get("update", [])
        elif media == "application/sparql-update":
            texts = [body.decode("utf-8", "replace")]
        else:
            raise _Refused(415, "POST an update as application/sparql-update or a form with update=")
        if len(texts) != 1:
            raise _Refused(400, "give exactly one update")
        if any(k in params for k in ("using-graph-uri", "using-named-graph-uri")):
            raise _Refused(400, "using-graph-uri and using-named-graph-uri are not supported")
        text = texts[0]
        self._check_remote(text, update=True)

        def work(state: _State) -> None:
            try:
                self.server.store.update(text)
            except SyntaxError as exc:
                raise _Refused(400, f"SPARQL syntax error: {_line(exc)}") from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise _Refused(500, f"update failed: {_line(exc)}") from None
            state.begin_stream(lambda: self._send(204, ""))

        self._bounded(work)

    # ---- /store

    def _store(self, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        store = self.server.store
        graph: Any
        if "graph" in params:
            if len(params["graph"]) != 1 or "default" in params:
                raise _Refused(400, "give one graph=IRI or default")
            graph = self._iri(params["graph"][0])
        elif "default" in params:
            graph = ox.DefaultGraph()
        else:
            graph = None  # the whole dataset
        if self.command in ("GET", "HEAD"):
            offered = _DATASET_TYPES if graph is None else _GRAPH_TYPES
            media = _negotiate(self.headers.get("Accept", ""), offered)
            if media is None:
                raise _Refused(406, "acceptable: " + ", ".join(offered))
            fmt = ox.RdfFormat.from_media_type(media)
            assert fmt is not None
            if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
                raise _Refused(404, f"no graph {graph}")
            self._start_stream(media)
            if self.command == "GET":
                if graph is None:
                    ox.serialize(store.quads_for_pattern(None, None, None, None), self._out(), format=fmt)
                else:
                    ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, graph)),
                                 self._out(), format=fmt)
            return
        if not self.server.writable:
            raise _Refused(403, "this server is read-only (kg serve --writable accepts writes)")
        if self.command not in ("PUT", "POST", "DELETE"):
            raise _Refused(405, "use GET, PUT, POST or DELETE", {"Allow": "GET, HEAD, PUT, POST, DELETE"})
        if graph is None:
            raise _Refused(400, "name the graph: ?default or ?graph=IRI")
        if self.command == "DELETE":
            self._clear(graph)
            self._send(204, "")
            return
        fmt = ox.RdfFormat.from_media_type(self._media())
        if fmt is None:
            raise _Refused(415, f"unknown RDF media type {self._media()!r}")
        body = self._body()
        if self.command == "PUT":
            self._clear(graph)
        try:
            store.load(body, format=fmt, to_graph=graph)
        except (SyntaxError, ValueError) as exc:
            raise _Refused(400, f"cannot read the data: {_line(exc)}") from None
        self._send(201 if self.command == "PUT" else 204, "")

    def _clear(self, graph: Any) -> None:
        import pyoxigraph as ox

        store = self.server.store
        if isinstance(graph, ox.DefaultGraph):
            store.clear_graph(graph)
        elif store.contains_named_graph(graph):
            store.remove_graph(graph)

    # ---- helpers

    def _iri(self, value: str) -> Any:
        import pyoxigraph as ox

        try:
            return ox.NamedNode(value)
        except ValueError as exc:
            raise _Refused(400, f"{value!r} is not an IRI ({_line(exc)})") from None

    def _check_remote(self, text: str, update: bool) -> None:
        if self.server.allow_service:
            return
        word = remote_call(text, update)
        if word is not None:
            raise _Refused(403, f"{word} is off on this server: it would make an outbound request "
                                "(kg serve --allow-service allows it)")

    def _bounded(self, work: Any) -> None:
        """Run ``work`` in a thread; past the time limit or once the client is gone
        while it still evaluates, answer 503 and restart the engine (see the module doc)."""
        state = _State()

        def target() -> None:
            try:
                work(state)
            except BaseException as exc:  # handed to the request thread
                state.error = exc
            finally:
                state.done.set()

        worker = threading.Thread(target=target, name="kg-request", daemon=True)
        limit = self.server.query_timeout
        deadline = time.monotonic() + limit if limit > 0 else None
        worker.start()
        while not state.done.wait(0.2):
            overrun = deadline is not None and time.monotonic() > deadline
            gone = not state.streaming and _client_gone(self.connection)
            if overrun or gone:
                with state.lock:
                    if not state.streaming:
                        state.streaming = True  # the worker must not start a response now
                        if not gone:
                            try:
                                self._send(503, f"query stopped after {limit:g} s (kg serve --timeout)")
                                self.wfile.flush()
                            except OSError:
                                pass
                restart(f"a request {'overran its time limit' if overrun else 'lost its client while it ran'}")
        if state.error is not None:
            if isinstance(state.error, _Refused) and not state.streaming:
                self._send(state.error.status, state.error.message, state.error.headers)
            elif isinstance(state.error, (BrokenPipeError, ConnectionResetError)):
                self.close_connection = True
            elif not isinstance(state.error, _Refused):
                if not state.streaming:
                    self._send(500, f"internal error: {_line(state.error)}")
                self.close_connection = True


class _State:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.streaming = False
        self.error: BaseException | None = None

    def begin_stream(self, start: Any) -> None:
        with self.lock:
            if self.streaming:  # the request thread answered 503 already
                raise _Refused(503, "stopped")
            self.streaming = True
            start()


class _Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def _client_gone(conn: socket.socket) -> bool:
    try:
        readable, _, _ = select.select([conn], [], [], 0)
        if not readable:
            return False
        return conn.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


_cleanup: list[str] = []


def _remove_temporary() -> None:
    for path in _cleanup:
        shutil.rmtree(path, ignore_errors=True)


def restart(reason: str) -> None:
    """End this engine so ``kg serve`` starts a fresh one (the only way to stop Oxigraph's work)."""
    try:
        sys.stderr.write(f"{reason}\n")
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(EXIT_RESTART)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m kg.endpoint", description=__doc__.splitlines()[0])
    p.add_argument("--fd", type=int, required=True, help="listening socket inherited from kg serve")
    p.add_argument("--location", required=True)
    p.add_argument("--writable", action="store_true")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--allow-service", action="store_true")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--parent", type=int, required=True, help="pid of kg serve")
    p.add_argument("--parent-pipe", type=int, help="read end of a pipe only the parent writes")
    p.add_argument("--remove-on-orphan", help="temporary folder to remove if the parent dies")
    a = p.parse_args(argv)
    if a.remove_on_orphan:
        _cleanup.append(a.remove_on_orphan)
    die_with_parent(a.parent, a.parent_pipe, _remove_temporary)
    if not a.allow_service:
        deny_network()  # before pyoxigraph starts any thread
    import pyoxigraph as ox

    try:
        store = ox.Store(a.location) if a.writable else ox.Store.read_only(a.location)
    except OSError as exc:
        sys.stderr.write(f"{a.location}: cannot open store ({_line(exc)})\n")
        sys.exit(1)
    sock = socket.socket(fileno=a.fd)
    server = Endpoint(sock, store, writable=a.writable, token=os.environ.pop(TOKEN_ENV, None) or None,
                      timeout=a.timeout, allow_service=a.allow_service, port=a.port, host=a.host)
    server.serve_forever(poll_interval=0.5)


if __name__ == "__main__":  # pragma: no cover
    main()
