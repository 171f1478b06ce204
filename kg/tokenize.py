"""Our own jieba: a private ``jieba.Tokenizer`` with the lexicons added.

Never the global ``jieba.cut``/``jieba.add_word``, which leak between callers.

Start-up is paid once per user, not once per ``kg`` call: the prepared
tokenizer (jieba's prefix dictionary with our lexicon words, and the
part-of-speech table) is kept in one file of the user's cache directory
(:func:`cache_dir`), keyed by jieba's version and the lexicon files, and
loaded from there by later calls. Nothing is written to the shared temporary
directory: without a usable cache directory the tokenizer is built in memory
on every call.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from .lexicon import data_path, load_list, load_table

#: environment variable naming the cache directory (overrides the platform's default)
CACHE_ENV = "EDUPOLICY_KG_CACHE_DIR"
_LEXICONS = ("school_suffixes.txt", "agency_names.txt", "program_aliases.tsv")
_FORMAT = 2  # bump when the cached tuple changes

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$EDUPOLICY_KG_CACHE_DIR``, else the platform's per-user cache folder + ``edupolicy-kg``.

    Linux and BSD: ``$XDG_CACHE_HOME`` or ``~/.cache``; macOS: ``~/Library/Caches``;
    Windows: ``%LOCALAPPDATA%``.
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edupolicy-kg"


def cache_dir() -> Path | None:
    """The cache directory, created if needed (private: mode 0700); None when it cannot be used."""
    try:
        path = default_cache_dir()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            return None
        return path
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None


def _cache_key() -> str:
    import jieba

    h = hashlib.sha256(f"{_FORMAT}|{getattr(jieba, '__version__', '?')}|".encode())
    dict_file = Path(jieba.__file__).with_name("dict.txt")
    try:
        st = dict_file.stat()
        h.update(f"{st.st_size}|{st.st_mtime_ns}|".encode())
    except OSError:
        pass
    for name in _LEXICONS:
        h.update(data_path(name).read_bytes())
    return h.hexdigest()[:16]


class _LazyPOSTokenizer:
    """jieba.posseg's module-level tokenizer, made when first used (see :func:`import_posseg`)."""

    def __init__(self, tokenizer: object) -> None:
        self.__dict__["_tokenizer"] = tokenizer
        self.__dict__["_real"] = None

    def _get(self) -> object:
        if self.__dict__["_real"] is None:
            import jieba.posseg

            self.__dict__["_real"] = jieba.posseg.POSTokenizer(self.__dict__["_tokenizer"])
        return self.__dict__["_real"]

    def __getattr__(self, name: str) -> object:
        return getattr(self._get(), name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._get(), name, value)


def import_posseg():  # -> the jieba.posseg module
    """``import jieba.posseg`` without its import-time cost: the module builds a tagger of its own
    from jieba's dictionary (0.6 s) that kg never uses (it has its own, :func:`tokenizer`); that
    tagger is made when something first uses it instead."""
    import io
    import sys

    import jieba

    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    jieba.dt.get_dict_file = lambda: io.BytesIO(b"")  # the module's tagger reads no dictionary now
    try:
        import jieba.posseg
    finally:
        del jieba.dt.get_dict_file
    jieba.posseg.dt = _LazyPOSTokenizer(jieba.dt)
    return jieba.posseg


def _build_tables() -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's prefix dictionary with our words, its total, the part-of-speech table."""
    import jieba

    import_posseg()
    import jieba.posseg

    tk = jieba.Tokenizer()
    # jieba's own initialize() would write a cache of its own (by default in the shared temp
    # directory); the prefix dictionary is built here and cached with the rest by the caller
    with tk.get_dict_file() as f:
        tk.FREQ, tk.total = tk.gen_pfdict(f)
    tk.initialized = True
    for word in load_list("school_suffixes.txt"):
        tk.add_word(word, 2000, "n")
    for word in load_list("agency_names.txt"):
        tk.add_word(word, 2000, "nt")
    for row in load_table("program_aliases.tsv", 2):
        for w in [row[0], *filter(None, row[1].split("|"))]:
            tk.add_word(w, 1000, "nz")
    pos = jieba.posseg.POSTokenizer(tk)
    pos.makesure_userdict_loaded()
    return tk.FREQ, tk.total, pos.word_tag_tab


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else (the file and its folder): safe to unpickle."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: the profile folder is private
        return True
    for p in (path, path.parent):
        st = p.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return False
    return True


def _load_tables(path: Path) -> tuple[dict[str, int], int, dict[str, str]] | None:
    try:
        if not _private(path):
            log.info("not loading %s: writable by other users", path)
            return None
        with open(path, "rb") as f:
            gc_was = gc.isenabled()
            gc.disable()  # a million new objects would set off collections that find nothing to free
            try:
                freq, total, tags = pickle.load(f)
            finally:
                if gc_was:
                    gc.enable()
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not isinstance(freq, dict) or not isinstance(total, int) or not isinstance(tags, dict):
        return None
    return freq, total, tags


def _save_tables(path: Path, tables: tuple[dict[str, int], int, dict[str, str]]) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tokenizer.", suffix=".tmp", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(tables, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a full or read-only disk: next time builds it again
        log.info("cannot cache the tokenizer in %s (%s)", path.parent, exc)


@lru_cache(maxsize=1)
def tokenizer():  # -> jieba.posseg.POSTokenizer (imported lazily: jieba is slow to import)
    import jieba

    import_posseg()
    import jieba.posseg

    logging.getLogger("jieba").setLevel(logging.WARNING)
    cache = cache_dir()
    path = cache / f"tokenizer-{_cache_key()}.pickle" if cache is not None else None
    tables = _load_tables(path) if path is not None and path.is_file() else None
    if tables is None:
        tables = _build_tables()
        if path is not None:
            _save_tables(path, tables)
    freq, total, tags = tables
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)  # its __init__ re-reads dict.txt
    pos.tokenizer = tk
    pos.word_tag_tab = tags
    return pos


def pos_cut(text: str) -> list[tuple[str, str]]:
    """Words and their part-of-speech tags: ``[("兴城", "ns"), ("二", "m"), …]``."""
    return [(p.word, p.flag) for p in tokenizer().cut(text, HMM=True)]
