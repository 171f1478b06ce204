"""Lexicons are data files in ``kg/data``: one entry per line, ``#`` starts a comment.

A user extends the extractor for another domain by editing or adding these
files (or by passing ``extra_dirs`` to :func:`load_list`/:func:`load_table`),
not code. Every loader error names the file and line.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import LexiconError

DATA_DIR = Path(__file__).resolve().parent / "data"


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(path, 0, "lexicon file not found") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(path, 0, f"not UTF-8 ({exc.reason})") from None
    out = []
    for no, line in enumerate(raw.splitlines(), 1):
        line = "" if line.lstrip().startswith("#") else line.split("#", 1)[0].strip(" \r\n")
        if line.strip():
            out.append((no, line))
    return out


def data_path(name: str) -> Path:
    return DATA_DIR / name


@lru_cache(maxsize=None)
def load_list(name: str) -> tuple[str, ...]:
    """Entries of a one-column lexicon, in file order, without duplicates."""
    seen: dict[str, None] = {}
    for _, line in _lines(data_path(name)):
        seen.setdefault(line, None)
    return tuple(seen)


@lru_cache(maxsize=None)
def load_table(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated lexicon; every row must have ``columns`` fields
    (the last may hold further tab- or ``|``-separated values, kept as one field)."""
    path = data_path(name)
    rows = []
    for no, line in _lines(path):
        parts = line.split("\t")
        if len(parts) < columns:
            raise LexiconError(path, no, f"expected {columns} tab-separated fields, got {len(parts)}")
        if len(parts) > columns:
            parts = parts[: columns - 1] + ["|".join(parts[columns - 1 :])]
        rows.append(tuple(p.strip() for p in parts))
    return tuple(rows)
