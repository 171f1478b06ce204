"""Our jieba: a private tokenizer, cached once per user in a private cache directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg import tokenize

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "000_043583f907d8be22.txt").read_text("utf-8")[:3000]


@pytest.fixture()
def fresh(monkeypatch, tmp_path):
    """A tokenizer built anew for the test; the session's own is reloaded afterwards."""
    shared_tmp = tmp_path / "shared-tmp"
    shared_tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(shared_tmp))
    tokenize.tokenizer.cache_clear()
    yield shared_tmp
    tokenize.tokenizer.cache_clear()


def test_cache_is_written_once_and_gives_the_same_words(fresh, tmp_path, monkeypatch) -> None:
    before = tokenize.pos_cut(SEED)  # the user's cache (or a build)
    cache = tmp_path / "cache"
    monkeypatch.setenv(tokenize.CACHE_ENV, str(cache))
    tokenize.tokenizer.cache_clear()
    assert tokenize.pos_cut(SEED) == before  # built from jieba's dictionary, then cached
    (cached,) = cache.glob("tokenizer-*.pickle")
    assert oct(cache.stat().st_mode & 0o777) == "0o700" and oct(cached.stat().st_mode & 0o777) == "0o600"

    def no_build():
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(tokenize, "_build_tables", no_build)
    tokenize.tokenizer.cache_clear()
    assert tokenize.pos_cut(SEED) == before  # loaded from the cache
    assert not list(fresh.iterdir())  # nothing in the shared temporary directory


def test_without_a_usable_cache_directory_nothing_is_written(fresh, tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache folder would go", "utf-8")
    monkeypatch.setenv(tokenize.CACHE_ENV, str(blocked / "cache"))
    assert tokenize.cache_dir() is None
    assert ("兴城市", "ns") in tokenize.pos_cut("兴城市第一中学")
    assert not list(fresh.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir", "shared-tmp"]


def test_a_cache_others_can_write_is_not_loaded(tmp_path) -> None:
    import pickle

    cached = tmp_path / "tokenizer-x.pickle"
    cached.write_bytes(pickle.dumps(({"兴": 1}, 1, {"兴": "n"})))
    os.chmod(tmp_path, 0o700)
    os.chmod(cached, 0o600)
    assert tokenize._load_tables(cached) == ({"兴": 1}, 1, {"兴": "n"})
    os.chmod(cached, 0o666)
    assert tokenize._load_tables(cached) is None
    os.chmod(cached, 0o600)
    assert tokenize._load_tables(cached) is not None


def test_default_cache_dir(monkeypatch) -> None:
    monkeypatch.delenv(tokenize.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert tokenize.default_cache_dir() == Path("/somewhere/cache/edupolicy-kg")
    monkeypatch.setenv(tokenize.CACHE_ENV, "/elsewhere")
    assert tokenize.default_cache_dir() == Path("/elsewhere")
