"""Serve a graph over the SPARQL 1.1 Protocol with the Oxigraph server, and push graphs.

The server is the ``oxigraph`` executable from the PyPI package ``oxigraph``
(the Rust server, not Python code): ``serve-read-only`` for a read-only
endpoint, ``serve`` for a writable one. Its endpoints, below ``http://HOST:PORT``:

- ``/query``  SPARQL 1.1 Query (GET ``?query=`` or POST)
- ``/update`` SPARQL 1.1 Update (writable servers only)
- ``/store``  SPARQL 1.1 Graph Store Protocol (``?default`` or ``?graph=IRI``)

:func:`push_graph` sends a graph file to any Graph Store Protocol endpoint
with ``urllib`` (HTTP PUT replaces the graph, POST adds to it).
"""

from __future__ import annotations

import os
import shutil
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
from typing import IO

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
    """Bulk-load an RDF file into an on-disk store with ``oxigraph load``."""
    if graph_file.suffix.lower() not in MEDIA_TYPES:
        raise ServeError(f"{graph_file}: unknown RDF file type {graph_file.suffix!r}")
    cmd = [oxigraph_executable(), "load", "--location", str(store_dir), "--file", str(graph_file)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise ServeError(f"{graph_file}: cannot load into a store ({msg[-1] if msg else proc.returncode})")


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def endpoint_urls(host: str, port: int) -> dict[str, str]:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
    base = f"http://{_hostport(shown, port)}"
    return {"base": base, "query": f"{base}/query", "update": f"{base}/update", "store": f"{base}/store"}


@dataclass
class Server:
    """An Oxigraph SPARQL server in a child process.

    Give it a store folder (``store``) or a graph file (``graph``, loaded into a
    temporary store first); with neither, a writable server starts on an empty
    temporary store. Use as a context manager or call :meth:`start`/:meth:`stop`.
    """

    store: Path | None = None
    graph: Path | None = None
    host: str = "127.0.0.1"
    port: int = 7878
    writable: bool = False
    proc: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _tmp: str | None = field(default=None, init=False)
    _log: IO[bytes] | None = field(default=None, init=False)

    @property
    def urls(self) -> dict[str, str]:
        return endpoint_urls(self.host, self.port)

    def start(self, wait: float = 60.0) -> "Server":
        exe = oxigraph_executable()
        location = self.store
        if self.store is not None and self.graph is not None:
            raise ServeError("give either a store folder or a graph file, not both")
        if self.store is not None:
            if not self.writable and not (self.store / "CURRENT").exists():
                raise ServeError(f"{self.store}: not an Oxigraph store folder")
        else:
            self._tmp = tempfile.mkdtemp(prefix="kg-serve-")
            location = Path(self._tmp) / "store"
            if self.graph is not None:
                if not self.graph.is_file():
                    raise ServeError(f"{self.graph}: no such file")
                load_into_store(self.graph, location)
            elif not self.writable:
                raise ServeError("nothing to serve: give --store DIR or --graph FILE (or --writable for an empty store)")
            else:
                location.mkdir(parents=True)
        mode = "serve" if self.writable else "serve-read-only"
        cmd = [exe, mode, "--location", str(location), "--bind", _hostport(self.host, self.port)]
        self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            self._wait_ready(wait)
        except BaseException:
            self.stop()
            raise
        return self

    def _server_output(self) -> str:
        log = self._log
        if log is None:
            return ""
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    def _wait_ready(self, wait: float) -> None:
        url = self.urls["query"] + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + wait
        delay = 0.05
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise ServeError(f"the Oxigraph server exited ({self._server_output() or self.proc.returncode})")
            try:
                req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(req, timeout=2) as resp:
                    resp.read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise ServeError(f"the Oxigraph server did not answer on {self.urls['base']} within {wait:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def wait(self) -> int:
        assert self.proc is not None
        return self.proc.wait()

    def stop(self) -> None:
        """Terminate the server, wait for it, remove the temporary store."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
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
               timeout: float = 300.0) -> tuple[str, int]:
    """Send ``file`` to a SPARQL 1.1 Graph Store endpoint; returns ``(url, HTTP status)``.

    ``replace`` uses HTTP PUT (the graph's content is replaced), otherwise POST
    (the triples are added).
    """
    if not file.is_file():
        raise ServeError(f"{file}: no such file")
    media = MEDIA_TYPES.get(file.suffix.lower())
    if media is None:
        raise ServeError(f"{file}: unknown RDF file type {file.suffix!r}")
    url = gsp_url(endpoint, graph_iri)
    size = file.stat().st_size
    with file.open("rb") as body:
        req = urllib.request.Request(
            url, data=body, method="PUT" if replace else "POST",
            headers={"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media,
                     "Content-Length": str(size)},
        )
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
