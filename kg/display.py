"""Names from the file system made safe to print and to store.

A file name is whatever bytes the file system holds: escape sequences that
recolour or rewrite the terminal (``\\x1b]0;…``), bidi overrides that reorder
what is shown, bytes that are not UTF-8 (kept by Python as lone surrogates).
:func:`shown` escapes them for the terminal; :func:`file_name_text` turns
undecodable bytes into U+FFFD for the graph (Turtle is UTF-8).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["shown", "file_name_text"]


def _needs_escape(ch: str) -> bool:
    if ch == "\\":
        return False
    o = ord(ch)
    if o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF:
        return True
    return unicodedata.category(ch) in ("Cf", "Zl", "Zp", "Co", "Cn")  # bidi controls, separators, private use


def shown(value: object) -> str:
    """``str(value)`` with control, format and undecodable characters escaped for a terminal.

    >>> shown("报告\\x1b[31m.txt")
    '报告\\\\x1b[31m.txt'
    >>> shown("a\\u202eb")
    'a\\\\u202eb'
    """
    text = str(value)
    if not any(_needs_escape(ch) for ch in text):
        return text
    out = []
    for ch in text:
        if not _needs_escape(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def file_name_text(path: Path | str) -> str:
    """The file's name as text: bytes that were not UTF-8 become U+FFFD.

    >>> file_name_text(Path(b"\\xb1\\xa8.txt".decode("utf-8", "surrogateescape")))
    '\\ufffd\\ufffd.txt'
    """
    name = Path(path).name
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in name)
