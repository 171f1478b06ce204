"""Text normalization with an exact offset map back to the original.

:func:`normalize` turns the text of a :class:`~kg.model.RawDocument` into the
text every later stage works on, and records for each normalized character
the index of the original character it came from (``Normalized.offsets``).

Every step works on a pair ``(text, offs)`` with ``len(offs) == len(text) + 1``
and ``offs[-1] == len(original)``; steps only *delete* characters (keeping
the offsets of the survivors), *replace* a character 1:1 (keeping its offset)
or *expand* one source character/cluster into several (all output characters
get the offset of the source). So the map stays exact whatever runs.

Steps, in order:

1. ``_nfkc``: NFKC per character cluster (a base char plus combining marks).
   Line ends become ``\\n``; tabs and other spacing become ``' '``; control and
   format characters (zero-width space, BOM, soft hyphen…) are dropped.
   Full-width ``,:;()!?`` come out ASCII (expected); ``“”《》、。`` are kept.
   Exceptions: the ratio colon ``︰`` (U+FE30, NFKC would give ``..``) is
   mapped to ``:`` so that ``4.5︰5.5`` reads ``4.5:5.5``; circled numbers
   ``①…⑳``/``❶…`` and ``…`` are kept as they are (NFKC would turn ``①2015年``
   into ``12015年``).
2. ``_t2s``: traditional → simplified with OpenCC ``t2s`` (per line; a line
   whose conversion changes length is converted per character).
3. ``_drop_pinyin``: ``地區(qū)`` → ``地区``: a parenthesis right after a CJK
   character that holds only 1–7 lowercase pinyin letters (with at least one
   vowel; without a tone mark at least two letters, so ``(a)``/``(b)`` list
   labels stay) is removed.
4. ``_clean_spaces``: stray ``&`` (not between two Latin/digit words) is
   removed; spaces next to a CJK character or CJK punctuation are removed,
   other runs of spaces become one space; lines are stripped.
5. ``_drop_boilerplate``: whole short lines matching a pattern of
   ``kg/data/boilerplate.txt`` are removed (with their line break).
6. ``_rejoin``: in hard-wrapped text (PDF dumps: many lines of about the same
   display width) a line that is long, does not end a sentence and is not
   followed by a heading is joined to the next line.
7. ``_dedupe``: repeated lines (scraped pages repeat titles) are dropped, the
   first occurrence is kept; a line made of a repeated unit keeps one unit
   (or is dropped if the unit was seen); a long line ending in ``…``/``...``
   whose content already occurred earlier (viewer "summary" blobs) is dropped.
8. ``_collapse_blank``: runs of blank lines become one blank line; leading and
   trailing blank lines go.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from statistics import median

from .lexicon import load_list
from .model import Normalized

__all__ = ["normalize", "is_boilerplate", "is_cjk", "HEADING_RE"]

_State = tuple[str, list[int]]

# --------------------------------------------------------------------------- #
# character classes

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)
_CJK_PUNCT = set("“”‘’—…·《》〈〉「」『』【】〔〕〖〗、。〃々〇") | {chr(c) for c in range(0x3000, 0x3040)}


def _is_ideograph(ch: str) -> bool:
    o = ord(ch)
    for lo, hi in _CJK_RANGES:
        if lo <= o <= hi:
            return True
    return False


def is_cjk(ch: str) -> bool:
    """A CJK ideograph or CJK / full-width punctuation."""
    if not ch:
        return False
    o = ord(ch)
    return _is_ideograph(ch) or ch in _CJK_PUNCT or 0xFF00 <= o <= 0xFFEF


_IDEO_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"

# --------------------------------------------------------------------------- #
# generic helpers


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping spans joined: [(0, 3), (2, 5), (7, 8)] → [(0, 5), (7, 8)]."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _delete(text: str, offs: list[int], spans: list[tuple[int, int]]) -> _State:
    """Remove the sorted, non-overlapping ``[s, e)`` spans; survivors keep their offsets."""
    if not spans:
        return text, offs
    parts: list[str] = []
    new_offs: list[int] = []
    pos = 0
    for s, e in spans:
        if s < pos:
            s = pos
        if e <= s:
            continue
        parts.append(text[pos:s])
        new_offs.extend(offs[pos:s])
        pos = e
    parts.append(text[pos:])
    new_offs.extend(offs[pos:])  # includes the final sentinel
    return "".join(parts), new_offs


def _replace_1to1(text: str, offs: list[int], repl: dict[int, str]) -> _State:
    """Replace single characters by single characters (offsets unchanged)."""
    if not repl:
        return text, offs
    chars = list(text)
    for i, ch in repl.items():
        chars[i] = ch
    return "".join(chars), offs


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, ``end`` excluding the ``\\n``."""
    spans = []
    start = 0
    n = len(text)
    while True:
        nl = text.find("\n", start)
        if nl < 0:
            spans.append((start, n))
            break
        spans.append((start, nl))
        start = nl + 1
    return spans


def _drop_lines(text: str, offs: list[int], drop: list[tuple[int, int]]) -> _State:
    """Delete whole lines (given as line spans) together with one line break."""
    n = len(text)
    spans = []
    for s, e in drop:
        if e < n:  # has a trailing newline: take it
            spans.append((s, e + 1))
        elif s > 0:  # last line: take the preceding newline
            spans.append((s - 1, e))
        else:
            spans.append((s, e))
    return _delete(text, offs, _merge_spans(spans))


# --------------------------------------------------------------------------- #
# 1. NFKC

_KEEP_AS_IS = set("…“”‘’") | {chr(c) for c in range(0x2460, 0x2474)} | {chr(c) for c in range(0x2776, 0x2794)}
_SPECIAL = {
    "\ufe30": ":",  # ︰ ratio colon (NFKC gives "..")
    "\t": " ",
    "\x0b": " ",
    "\x0c": "\n",
    "\x85": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}


def _nfkc(text: str) -> _State:
    out: list[str] = []
    offs: list[int] = []
    n = len(text)
    i = 0
    nfkc = unicodedata.normalize
    while i < n:
        ch = text[i]
        o = ord(ch)
        # fast path: printable ASCII, newline, common CJK ideographs
        if ((32 <= o < 127) or ch == "\n" or (0x4E00 <= o <= 0x9FFF)) and (
            i + 1 == n or text[i + 1] < "\u0300" or not unicodedata.combining(text[i + 1])
        ):
            out.append(ch)
            offs.append(i)
            i += 1
            continue
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1  # drop, the \n follows
                continue
            out.append("\n")
            offs.append(i)
            i += 1
            continue
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
            offs.append(i)
            i += 1
            continue
        if ch in _KEEP_AS_IS:
            out.append(ch)
            offs.append(i)
            i += 1
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs") or 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF:
            i += 1  # control, format (ZWSP, BOM, soft hyphen), lone surrogate, variation selector
            continue
        if cat == "Zs" or cat in ("Zl", "Zp"):
            out.append(" " if cat == "Zs" else "\n")
            offs.append(i)
            i += 1
            continue
        # cluster: base + following combining marks
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        norm = nfkc("NFKC", cluster)
        if len(norm) == len(cluster):
            for k, c in enumerate(norm):
                out.append(c)
                offs.append(i + k)
        else:
            for c in norm:
                out.append(c)
                offs.append(i)
        i = j
    offs.append(n)
    return "".join(out), offs


# --------------------------------------------------------------------------- #
# 2. traditional -> simplified


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def _t2s(text: str, offs: list[int]) -> _State:
    conv = _converter().convert
    if text.isascii():
        return text, offs
    out_parts: list[str] = []
    new_offs: list[int] = []
    for s, e in _line_spans(text):
        line = text[s:e]
        if line and not line.isascii():
            conv_line = conv(line)
            if len(conv_line) == len(line):
                out_parts.append(conv_line)
                new_offs.extend(offs[s:e])
            else:  # a phrase conversion changed the length: go char by char
                for k, ch in enumerate(line):
                    c2 = conv(ch)
                    out_parts.append(c2)
                    new_offs.extend([offs[s + k]] * len(c2))
        else:
            out_parts.append(line)
            new_offs.extend(offs[s:e])
        if e < len(text):
            out_parts.append("\n")
            new_offs.append(offs[e])
    new_offs.append(offs[-1])
    return "".join(out_parts), new_offs


# --------------------------------------------------------------------------- #
# 3. pinyin annotations

_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêɑɡ"
_PINYIN_RE = re.compile(rf"(?<=[{_IDEO_CLASS}])\(([{_PINYIN_LETTERS}]{{1,7}})\)")
_VOWEL_RE = re.compile("[aeiouvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêɑ]")


def _looks_like_pinyin(s: str) -> bool:
    """A vowel, and either a tone mark or at least two letters ("(a)"/"(b)" are list labels)."""
    if not _VOWEL_RE.search(s):
        return False
    return not s.isascii() or len(s) >= 2


def _drop_pinyin(text: str, offs: list[int]) -> _State:
    if "(" not in text:
        return text, offs
    spans = [m.span() for m in _PINYIN_RE.finditer(text) if _looks_like_pinyin(m.group(1))]
    return _delete(text, offs, spans)


# --------------------------------------------------------------------------- #
# 4. stray & and spaces


def _is_latin_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@lru_cache(maxsize=1)
def _name_parts() -> tuple[frozenset[str], re.Pattern[str]]:
    posts = sorted(load_list("posts.txt"), key=len, reverse=True)
    return frozenset(load_list("surnames.txt")), re.compile(rf"(?:{'|'.join(map(re.escape, posts))})$")


_ROSTER_LABEL = re.compile(r"[\u4e00-\u9fff]{1,10}(?:奖|名单|成员|组员|组长|人员|获奖者|顾问|统筹)[::]?")


def _roster_separators(text: str) -> dict[int, str]:
    """Spaces that separate the names of a roster line (一等奖 张 叠(文科) 徐 萍(理科);
    李月贞副校长 霍燕玲主任 黄雪如主任) become ``、`` and the space after its label ``:``,
    so the names stay apart once spaces next to CJK are removed. A one-character
    token is the first half of a padded two-character name (张 叠) and joins the next.
    A line is a roster when, after its label, at least three tokens (two after a label)
    are names (a surname and one or two characters, optionally followed by a post) and
    few are not."""
    surnames, post_end = _name_parts()
    repl: dict[int, str] = {}
    base = 0
    for line in text.split("\n"):
        line_start, base = base, base + len(line) + 1
        if line.count(" ") < 2 or len(line) > 2000:
            continue
        tokens = [(m.start(), m.group()) for m in re.finditer(r"[^ ]+", line)]
        if len(tokens) < 3 or len(tokens) > 60:
            continue
        # (start offset in line, core, index of the separator space before it or None)
        merged: list[list] = []
        for i, (pos, tok) in enumerate(tokens):
            if merged and re.fullmatch(r"\([^()]{1,12}\)", tok):
                continue  # a remark in brackets belongs to the name before it
            if merged and len(merged[-1][1]) == 1 and re.fullmatch(r"[\u4e00-\u9fff][\u4e00-\u9fff]?(?:\([^()]{1,12}\))?", tok) \
                    and merged[-1][1] in surnames:
                merged[-1][1] += re.sub(r"\(.*", "", tok)
                continue
            merged.append([pos, re.sub(r"\(.*$", "", tok)])
        label = None
        if merged and _ROSTER_LABEL.fullmatch(merged[0][1]):
            label = merged.pop(0)

        def is_name(core: str) -> bool:
            bare = post_end.sub("", core) if len(core) > 3 else core
            return 2 <= len(bare) <= 3 and bare[0] in surnames and re.fullmatch(r"[\u4e00-\u9fff]+", bare) is not None

        names = sum(is_name(core) for _, core in merged)
        if names < (2 if label is not None else 3) or names < 0.8 * len(merged):
            continue
        base_at = line_start
        for pos, _core in merged[1:]:
            sep = base_at + pos - 1
            while sep > base_at and text[sep - 1] == " ":
                sep -= 1
            repl[sep] = "、"
        if label is not None and not label[1].endswith((":", ":")):
            repl[base_at + merged[0][0] - 1] = ":"
    return repl


def _clean_spaces(text: str, offs: list[int]) -> _State:
    n = len(text)
    # stray '&': keep only between two ASCII word characters ("R&D", "Tom & Jerry")
    if "&" in text:
        spans = []
        for m in re.finditer("&", text):
            i = m.start()
            p = i - 1
            while p >= 0 and text[p] == " ":
                p -= 1
            q = i + 1
            while q < n and text[q] == " ":
                q += 1
            prev = text[p] if p >= 0 else "\n"
            nxt = text[q] if q < n else "\n"
            if not (_is_latin_word_char(prev) and _is_latin_word_char(nxt)):
                spans.append((i, i + 1))
        text, offs = _delete(text, offs, spans)
        n = len(text)
    if " " not in text:
        return text, offs
    text, offs = _replace_1to1(text, offs, _roster_separators(text))
    spans = []
    for m in re.finditer(" +", text):
        s, e = m.span()
        prev = text[s - 1] if s > 0 else "\n"
        nxt = text[e] if e < n else "\n"
        if prev == "\n" or nxt == "\n" or is_cjk(prev) or is_cjk(nxt):
            spans.append((s, e))
        elif e - s > 1:
            spans.append((s + 1, e))
    return _delete(text, offs, spans)


# --------------------------------------------------------------------------- #
# 5. boilerplate lines

_BOILERPLATE_MAX_LEN = 200


@lru_cache(maxsize=1)
def _boilerplate_re() -> re.Pattern[str]:
    patterns = load_list("boilerplate.txt")
    for p in patterns:  # fail early with the culprit named
        try:
            re.compile(p)
        except re.error as exc:  # pragma: no cover - data error
            raise ValueError(f"kg/data/boilerplate.txt: bad pattern {p!r}: {exc}") from None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """True if the (normalized, stripped) line is page furniture."""
    line = line.strip()
    if not line or len(line) > _BOILERPLATE_MAX_LEN:
        return False
    return _boilerplate_re().fullmatch(line) is not None


def _drop_boilerplate(text: str, offs: list[int]) -> _State:
    drop = [(s, e) for s, e in _line_spans(text) if e > s and is_boilerplate(text[s:e])]
    return _drop_lines(text, offs, drop)


# --------------------------------------------------------------------------- #
# 6. re-join hard-wrapped lines

#: Start of a heading line: 一、 (一) 1. 1、 一是 第一, 第一章 ① A.
HEADING_RE = re.compile(
    r"(?:第[一二三四五六七八九十百零〇\d]+[章节条部分篇编]"
    r"|[一二三四五六七八九十百]+[、.,]"
    r"|[((][一二三四五六七八九十百\d]+[))]"
    r"|\d{1,2}(?:[、,]|\.(?!\d))"
    r"|[一二三四五六七八九十]+是"
    r"|第[一二三四五六七八九十]+[,、是]"
    r"|[①-⑳❶-❿]"
    r"|[A-Za-z][、.](?![A-Za-z\d])"
    r"|首先|其次|再次|最后)"
)
_SENTENCE_END = set("。!?;:”」』…!?;:")


def _width(s: str) -> int:
    w = 0
    for ch in s:
        w += 2 if (ord(ch) > 0x2E7F and unicodedata.east_asian_width(ch) in "WF") else 1
    return w


def _wrap_width(widths: list[int]) -> int | None:
    """Width at which the text was hard-wrapped, or None if it does not look wrapped."""
    if len(widths) < 5:
        return None
    best_w, best_count = 0, 0
    ordered = sorted(widths)
    for w in sorted(set(widths)):
        if w < 20:
            continue
        lo = w * 0.88
        count = bisect_right(ordered, w) - bisect_left(ordered, lo)  # widths in [lo, w]
        if count > best_count:
            best_w, best_count = w, count
    if best_count < max(4, 0.4 * len(widths)):
        return None
    longer = sum(1 for x in widths if x > best_w * 1.1)
    if longer > 0.15 * len(widths):
        return None
    return best_w


def _rejoin(text: str, offs: list[int]) -> _State:
    lines = _line_spans(text)
    widths = [_width(text[s:e]) for s, e in lines if e > s]
    wrap = _wrap_width(widths)
    if wrap is None:
        return text, offs
    min_w = 0.6 * wrap
    max_w = 1.15 * wrap
    dels: list[tuple[int, int]] = []
    repl: dict[int, str] = {}
    for (s, e), (ns, ne) in zip(lines, lines[1:]):
        if e == s or ne == ns:
            continue
        line = text[s:e]
        if line[-1] in _SENTENCE_END:
            continue
        w = _width(line)
        if not (min_w <= w <= max_w):
            continue
        nxt = text[ns:ne]
        if HEADING_RE.match(nxt):
            continue
        if _is_latin_word_char(line[-1]) and _is_latin_word_char(nxt[0]):
            repl[e] = " "  # "word\nword" -> "word word"
        else:
            dels.append((e, e + 1))
    text, offs = _replace_1to1(text, offs, repl)
    return _delete(text, offs, dels)


# --------------------------------------------------------------------------- #
# 7. duplicates

_MIN_DUP_LEN = 8
_ELLIPSIS_RE = re.compile(r"(?:\.{3,}|…+)$")


def _period(s: str) -> int:
    """Smallest p such that s is s[:p] repeated (len(s) if none)."""
    i = (s + s).find(s, 1)
    return i if 0 < i < len(s) else len(s)


def _dedupe(text: str, offs: list[int]) -> _State:
    lines = _line_spans(text)
    seen: set[str] = set()
    prev_line: str | None = None
    drop_lines: list[tuple[int, int]] = []
    dels: list[tuple[int, int]] = []
    before, before_end = "", 0  # the text before the line without white space, grown as lines go by
    for s, e in lines:
        line = text[s:e]
        if not line:
            continue
        p = _period(line)
        if p < len(line) and p >= 4:
            unit = line[:p]
            if unit in seen:
                drop_lines.append((s, e))
                continue
            dels.append((s + p, e))  # keep one copy
            line = unit
        if line in seen and (len(line) >= _MIN_DUP_LEN or line == prev_line):
            drop_lines.append((s, e))
            continue
        if len(line) >= 40 and _ELLIPSIS_RE.search(line):
            body = re.sub(r"\s+", "", _ELLIPSIS_RE.sub("", line))[:-1]
            before += re.sub(r"\s+", "", text[before_end:s])
            before_end = s
            if len(body) >= 30 and body in before:
                drop_lines.append((s, e))
                continue
        seen.add(line)
        prev_line = line
    n = len(text)
    spans = list(dels)
    for s, e in drop_lines:
        spans.append((s, e + 1) if e < n else ((s - 1, e) if s > 0 else (s, e)))
    return _delete(text, offs, _merge_spans(spans))


# --------------------------------------------------------------------------- #
# 8. blank lines


def _collapse_blank(text: str, offs: list[int]) -> _State:
    spans = []
    for m in re.finditer(r"\n{3,}", text):
        s, e = m.span()
        spans.append((s + 2, e))
    text, offs = _delete(text, offs, spans)
    lead = len(text) - len(text.lstrip("\n"))
    trail = len(text) - len(text.rstrip("\n"))
    edge = []
    if lead:
        edge.append((0, lead))
    if trail and trail < len(text):
        edge.append((len(text) - trail, len(text)))
    return _delete(text, offs, edge)


# --------------------------------------------------------------------------- #


def normalize(text: str) -> Normalized:
    """Normalize ``text``; ``offsets[i]`` is the index in ``text`` of normalized char ``i``."""
    state = _nfkc(text)
    for step in (_t2s, _drop_pinyin, _clean_spaces, _drop_boilerplate, _rejoin, _dedupe, _collapse_blank):
        state = step(*state)
    out, offs = state
    assert len(offs) == len(out) + 1
    return Normalized(out, offs)
