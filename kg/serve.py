"""Serve a graph over the SPARQL 1.1 Protocol, and push graphs to any endpoint.

:class:`Server` binds the port itself (a busy port is one clear error, before
anything is announced), puts a graph file into a temporary on-disk store, and
runs the engine, :mod:`kg.endpoint` (pyoxigraph behind our own HTTP handler),
as a child process on that socket. The endpoints, below ``http://HOST:PORT``:

- ``/query``  SPARQL 1.1 Query (GET ``?query=`` or POST)
- ``/update`` SPARQL 1.1 Update (writable servers only; ``Authorization: Bearer TOKEN``)
- ``/store``  SPARQL 1.1 Graph Store Protocol (``?default`` or ``?graph=IRI``)

Every query has ``timeout`` seconds; one that overruns stops the engine, and
the server starts a fresh one on the same socket (see :mod:`kg.endpoint` for
why and for the other guards: Host/Origin checks, the token, SERVICE off).
The engine dies with this process, even when it is killed with SIGKILL.

:func:`push_graph` sends a graph file to any Graph Store Protocol endpoint
with ``urllib`` (HTTP PUT replaces the graph, POST adds to it).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

from .errors import KGError

__all__ = ["Server", "ServeError", "oxigraph_executable", "load_into_store", "push_graph", "endpoint_urls"]

MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".turtle": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".n3": "text/n3",
}


class ServeError(KGError):
    """The server cannot be found or started, or an endpoint refused a request."""


def oxigraph_executable() -> str:
    """Path of the ``oxigraph`` server executable (``$KG_OXIGRAPH``, the venv's bin, then PATH)."""
    env = os.environ.get("KG_OXIGRAPH")
    if env:
        if Path(env).is_file():
            return env
        raise ServeError(f"KG_OXIGRAPH={env}: no such file")
    candidates = [Path(sys.executable).parent / "oxigraph", Path(sysconfig.get_path("scripts")) / "oxigraph"]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the Oxigraph server is not installed (pip install oxigraph)")


def load_into_store(graph_file: Path, store_dir: Path) -> None:
    """Bulk-load an RDF file into a new on-disk store (Oxigraph's own parser)."""
    from .query import QueryError, save_store

    if graph_file.suffix.lower() not in MEDIA_TYPES:
        raise ServeError(f"{graph_file}: unknown RDF file type {graph_file.suffix!r}")
    try:
        save_store(graph_file, store_dir)
    except QueryError as exc:
        raise ServeError(str(exc)) from None
    except (SyntaxError, ValueError, OSError) as exc:
        lines = str(exc).strip().splitlines()
        raise ServeError(f"{graph_file}: cannot load into a store ({lines[0][:300] if lines else exc})") from None


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def endpoint_urls(host: str, port: int) -> dict[str, str]:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
    base = f"http://{_hostport(shown, port)}"
    return {"base": base, "query": f"{base}/query", "update": f"{base}/update", "store": f"{base}/store"}


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; a busy port is a :class:`ServeError` naming it."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"{host}: cannot listen there ({exc.strerror})") from None
    family, kind, proto, _name, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use (another server? give --port N)") from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"port {port} on {host}: permission denied (ports below 1024 need privileges)") from None
        raise ServeError(f"cannot listen on {_hostport(host, port)}: {exc.strerror or exc}") from None
    return sock


EXIT_RESTART = 75  # kg.endpoint.EXIT_RESTART (not imported: the engine module is for the child)
TOKEN_ENV = "KG_SERVE_TOKEN"


@dataclass
class Server:
    """A SPARQL server: this process holds the socket, a child process (:mod:`kg.endpoint`) answers.

    Give it a store folder (``store``) or a graph file (``graph``, loaded into a
    temporary store first); with neither, a writable server starts on an empty
    temporary store. A writable server requires ``token`` (generated when not
    given) on every request but GET/HEAD. ``timeout`` bounds each query and
    update in seconds (0: none); ``allow_service`` lets SERVICE and LOAD reach
    other hosts. Use as a context manager or call :meth:`start`/:meth:`stop`.
    """

    store: Path | None = None
    graph: Path | None = None
    host: str = "127.0.0.1"
    port: int = 7878
    writable: bool = False
    timeout: float = 60.0
    token: str | None = None
    allow_service: bool = False
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)
    restarts: int = field(default=0, init=False)
    _sock: socket.socket | None = field(default=None, init=False)
    _location: Path | None = field(default=None, init=False)
    _tmp: str | None = field(default=None, init=False)
    _log: IO[bytes] | None = field(default=None, init=False)
    _pipe: int | None = field(default=None, init=False)

    @property
    def urls(self) -> dict[str, str]:
        return endpoint_urls(self.host, self.port)

    def start(self, wait: float = 60.0) -> "Server":
        if self.store is not None and self.graph is not None:
            raise ServeError("give either a store folder or a graph file, not both")
        if self.store is not None and not self.writable and not (self.store / "CURRENT").exists():
            raise ServeError(f"{self.store}: not an Oxigraph store folder")
        if self.graph is not None and not self.graph.is_file():
            raise ServeError(f"{self.graph}: no such file")
        if self.store is None and self.graph is None and not self.writable:
            raise ServeError("nothing to serve: give --store DIR or --graph FILE (or --writable for an empty store)")
        self._sock = listen(self.host, self.port)  # first: a busy port is said before anything else
        self.port = self._sock.getsockname()[1]
        try:
            if self.store is not None:
                self._location = self.store
            else:
                self._tmp = tempfile.mkdtemp(prefix="kg-serve-")
                self._location = Path(self._tmp) / "store"
                if self.graph is not None:
                    load_into_store(self.graph, self._location)
                else:
                    self._location.mkdir(parents=True)
            if self.writable and not self.token:
                self.token = secrets.token_urlsafe(24)
            self._spawn()
            self._wait_ready(wait)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self) -> None:
        assert self._sock is not None and self._location is not None
        read_end, self._pipe = os.pipe()  # the engine sees end-of-file when this process is gone
        cmd = [sys.executable, "-m", "kg.endpoint", "--fd", str(self._sock.fileno()),
               "--location", str(self._location), "--timeout", str(self.timeout),
               "--host", self.host, "--port", str(self.port), "--parent", str(os.getpid()),
               "--parent-pipe", str(read_end)]
        if self.writable:
            cmd.append("--writable")
        if self.allow_service:
            cmd.append("--allow-service")
        if self._tmp is not None:
            cmd += ["--remove-on-orphan", self._tmp]
        env = dict(os.environ)
        env.pop(TOKEN_ENV, None)
        if self.token:
            env[TOKEN_ENV] = self.token  # not on the command line, where ps shows it
        if self._log is None:
            self._log = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(cmd, pass_fds=(self._sock.fileno(), read_end), env=env,
                                         stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)
        finally:
            os.close(read_end)

    def _server_output(self) -> str:
        log = self._log
        if log is None:
            return ""
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def _wait_ready(self, wait: float) -> None:
        url = self.urls["query"] + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ServeError(f"the SPARQL engine exited ({self._server_output() or self.proc.returncode})")
            try:
                req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                with opener.open(req, timeout=2) as resp:
                    resp.read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ServeError(f"the SPARQL engine did not answer on {self.urls['base']} within {wait:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def wait(self, on_restart: "Callable[[str], None] | None" = None) -> int:
        """Serve until the engine fails; an engine that stopped a request is replaced at once."""
        while True:
            assert self.proc is not None
            code = self.proc.wait()
            if code != EXIT_RESTART:
                return code
            self.restarts += 1
            if on_restart is not None:
                on_restart(self._server_output() or "a request was stopped")
            self._close_pipe()
            self._spawn()

    def _close_pipe(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def stop(self) -> None:
        """Stop the engine, close the socket, remove the temporary store."""
        self._close_pipe()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def gsp_url(endpoint: str, graph_iri: str | None) -> str:
    """The Graph Store Protocol URL for ``graph_iri`` (or the default graph) at ``endpoint``.

    A bare server address (no path) is taken to be an Oxigraph server: ``/store`` is used.
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ServeError(f"{endpoint}: not an http(s) URL")
    path = parts.path if parts.path not in ("", "/") else "/store"
    q = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
    query = f"{parts.query}&{q}" if parts.query else q
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def push_graph(endpoint: str, file: Path, graph_iri: str | None = None, replace: bool = False,
               timeout: float = 300.0, token: str | None = None) -> tuple[str, int]:
    """Send ``file`` to a SPARQL 1.1 Graph Store endpoint; returns ``(url, HTTP status)``.

    ``replace`` uses HTTP PUT (the graph's content is replaced), otherwise POST
    (the triples are added). ``token`` is sent as ``Authorization: Bearer``
    (what a writable ``kg serve`` requires).
    """
    if not file.is_file():
        raise ServeError(f"{file}: no such file")
    media = MEDIA_TYPES.get(file.suffix.lower())
    if media is None:
        raise ServeError(f"{file}: unknown RDF file type {file.suffix!r}")
    url = gsp_url(endpoint, graph_iri)
    size = file.stat().st_size
    headers = {"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media,
               "Content-Length": str(size)}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with file.open("rb") as body:
        req = urllib.request.Request(url, data=body, method="PUT" if replace else "POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                resp.read()
                return url, resp.status
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            msg = f": {detail[0][:200]}" if detail else ""
            raise ServeError(f"{url}: HTTP {exc.code} {exc.reason}{msg}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                raise ServeError(f"cannot connect to {url}: connection refused (is the server running?)") from None
            raise ServeError(f"cannot connect to {url}: {reason}") from None
        except (TimeoutError, ConnectionError) as exc:
            raise ServeError(f"{url}: {type(exc).__name__}: {exc}") from None
