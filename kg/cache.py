"""The incremental build's cache: a document's :class:`~kg.fragment.Fragment`, kept between builds.

An entry is keyed by the document's bytes, its identity in the build (path
and document id, which its IRIs and file name come from) and the
extractor's version (:func:`extractor_version`: a hash of the package's code
and data files and of the installed versions of its dependencies). A rebuild
therefore extracts only the documents that changed, were added or whose
identity changed, and a change to any rule or lexicon re-extracts all.
Cross-document fusion is not cached here: :mod:`kg.incremental` keeps what
the last build assembled and recomputes only what changed documents touch
(re-fusing their entities from every document naming them), so a rebuild
gives the graph a full build gives.

Entries are pickles: the folder is trusted like the build's own output (it
is created readable by its owner only). A damaged entry is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from .fragment import Fragment

#: the cache folder inside ``--out`` unless ``kg build --cache DIR`` names another
DEFAULT_DIRNAME = ".kg-cache"
_SUFFIX = ".frag"
_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of every file of the ``kg`` package (code and data) and of the versions of its dependencies."""
    h = hashlib.sha256()
    h.update(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for name, version in _dependency_versions():
        h.update(f"{name}=={version}\n".encode())
    return h.hexdigest()


def _dependency_versions() -> list[tuple[str, str]]:
    from importlib import metadata

    try:
        requires = metadata.requires("edupolicy-kg") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        requires = []
    out = []
    for req in requires:
        if "extra ==" in req:
            continue
        m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", req)
        if not m:  # pragma: no cover
            continue
        try:
            version = metadata.version(m.group())
        except metadata.PackageNotFoundError:
            version = "-"
        out.append((m.group().lower(), version))
    return sorted(out)


class FragmentCache:
    """Fragments on disk under ``root`` (``root/ab/<key>.frag``)."""

    def __init__(self, root: Path, version: str | None = None) -> None:
        self.root = root
        self.version = version or extractor_version()
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()  # keys found or stored by this build (what :meth:`prune` keeps)

    def key(self, path: Path, doc_id: str) -> str | None:
        """The entry's key for ``path`` built as ``doc_id``; None if the file cannot be read
        (the build reports it as it would without a cache)."""
        h = hashlib.sha256()
        h.update(f"{self.version}\0{doc_id}\0{path}\0".encode("utf-8", "surrogateescape"))
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
        except OSError:
            return None
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{_SUFFIX}"

    def has(self, key: str) -> bool:
        """Whether an entry is there (without reading it: :meth:`get` may still find it damaged)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Fragment | None:
        try:
            data = self._path(key).read_bytes()
            frag = pickle.loads(data)
        except FileNotFoundError:
            frag = None
        except Exception:  # a damaged or foreign entry: build the document again
            frag = None
        if not isinstance(frag, Fragment):
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        return frag

    def put(self, key: str, frag: Fragment) -> None:
        """Store ``frag`` (atomically; a cache that cannot be written is only slower next time)."""
        path = self._path(key)
        self.used.add(key)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(frag, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def prune(self, keep: set[str] | None = None) -> int:
        """Remove the entries (and leftover temporary files) not in ``keep`` (default: those this
        build used); return how many went. Only for a cache of one output folder: a cache shared
        by builds of different inputs would lose the others' entries."""
        keep = self.used if keep is None else keep
        removed = 0
        if not self.root.is_dir():
            return 0
        for sub in self.root.iterdir():
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for entry in sub.iterdir():
                name = entry.name
                if (name.endswith(_SUFFIX) and name[: -len(_SUFFIX)] not in keep) or name.endswith(".tmp"):
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed
