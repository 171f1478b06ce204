"""Text that is safe where it lands: a terminal, a spreadsheet.

No dependencies, so any module (exports, the CLI) can use it cheaply.
"""

from __future__ import annotations

import re

__all__ = ["neutralise_cell", "safe_text"]

# Characters a terminal acts on instead of showing: C0/C1 controls (ESC starts the
# escape sequences that move the cursor, rename the window, …), DEL, and the
# bidirectional overrides and isolates that reorder what follows them.
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_text(s: str) -> str:
    r"""``s`` with every control or bidi character written as an escape, for a terminal.

    >>> safe_text("a\x1b]0;pwned\x07b")
    'a\\x1b]0;pwned\\x07b'
    """
    return _UNSAFE_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                             else f"\\u{ord(m.group()):04x}", s)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(s: str) -> str:
    """A CSV/TSV cell a spreadsheet will not run as a formula (OWASP CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading ``'``; plain numbers (``-3.5``) are left as they are.

    >>> neutralise_cell("=HYPERLINK(A1)"), neutralise_cell("-3.5"), neutralise_cell("葫芦岛市")
    ("'=HYPERLINK(A1)", '-3.5', '葫芦岛市')
    """
    if s.startswith(_FORMULA_START) and not _NUMBER.fullmatch(s):
        return "'" + s
    return s
