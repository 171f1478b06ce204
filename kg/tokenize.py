"""Our own jieba: a private ``jieba.Tokenizer`` with the lexicons added.

Never the global ``jieba.cut``/``jieba.add_word``, which leak between callers.
The dictionary cache goes to the user's cache directory, not the shared temp
directory.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from .lexicon import load_list, load_table


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "edupolicy-kg"
    path.mkdir(parents=True, exist_ok=True)
    return path


@lru_cache(maxsize=1)
def tokenizer():  # -> jieba.Tokenizer (imported lazily: jieba is slow to import)
    import jieba
    import jieba.posseg

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = str(cache_dir())
    tk.initialize()
    for word in load_list("school_suffixes.txt"):
        tk.add_word(word, 2000, "n")
    for word in load_list("agency_names.txt"):
        tk.add_word(word, 2000, "nt")
    for row in load_table("program_aliases.tsv", 2):
        for w in [row[0], *filter(None, row[1].split("|"))]:
            tk.add_word(w, 1000, "nz")
    return jieba.posseg.POSTokenizer(tk)


def pos_cut(text: str) -> list[tuple[str, str]]:
    """Words and their part-of-speech tags: ``[("兴城", "ns"), ("二", "m"), …]``."""
    return [(p.word, p.flag) for p in tokenizer().cut(text, HMM=True)]
