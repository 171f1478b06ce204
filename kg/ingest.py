"""Read documents from disk: plain text, Markdown, HTML, DOCX and PDF.

:func:`read_document` returns a :class:`~kg.model.RawDocument` (decoded text,
the encoding it was read with and the format) or raises
:class:`~kg.errors.InputError` with a one-line reason; no other exception
escapes for bad input. :func:`iter_inputs` expands folders into the files to
read.

Encoding detection (text and HTML) in order: byte-order mark → strict UTF-8 →
for HTML a ``<meta charset>`` declaration that decodes strictly → every
strict decoding among GB18030, Big5 (cp950 / Big5-HKSCS) and, for even-length
input, BOM-less UTF-16LE/BE, scored by plausibility (share of frequent
simplified/traditional characters, CJK punctuation and ASCII text; control
characters, private-use and kana/Greek/box-drawing characters count against)
→ charset-normalizer as a last resort.
"""

from __future__ import annotations

import html as _html
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .model import RawDocument

__all__ = ["SUPPORTED_SUFFIXES", "read_document", "iter_inputs", "decode_bytes", "salvage_bytes", "html_to_text",
           "extract_page", "PageText"]

#: File name suffixes read_document understands (lower case).
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}

# --------------------------------------------------------------------------- #
# public API


def iter_inputs(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand folders (recursively) into supported files; ``paths`` is one path or several.

    Within a folder: files sorted by relative path, hidden files/folders
    (``.name``), Office lock files (``~$name``) and unsupported suffixes are
    skipped, symlinked folders are not followed. A path given explicitly is
    returned as is (even with an unsupported suffix or when it does not exist)
    so that :func:`read_document` reports the problem. Duplicates are dropped,
    first occurrence kept.
    """
    out: list[Path] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.normcase(os.path.abspath(p))
        if key not in seen:
            seen.add(key)
            out.append(p)

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path, not the characters of one
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith(".") or name.startswith("~$"):
                        continue
                    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    found.append(Path(root) / name)
            found.sort(key=lambda f: f.relative_to(p).parts)
            for f in found:
                add(f)
        else:
            add(p)
    return out


def read_document(path: Path, max_bytes: int = 20_000_000, max_chars: int | None = None) -> RawDocument:
    """Read one document; raise :class:`InputError` with a clear reason if it cannot be used.

    ``max_bytes`` limits the file, ``max_chars`` (default: ``max_bytes``) the text
    a .docx or .pdf expands to.
    """
    limit_chars = max_bytes if max_chars is None else max_chars
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    if suffix not in _FORMATS:
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise InputError(
            path, f"unsupported file type ({shown}); supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes:
        raise InputError(path, f"file too large ({size:,} bytes; limit is {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(path, f"file too large ({len(data):,} bytes; limit is {max_bytes:,})")

    fmt = _FORMATS[suffix]
    notes: list[str] = []
    page_notes: tuple[str, ...] = ()
    try:
        if fmt in ("txt", "md"):
            text, encoding, notes = _read_text(path, data)
            if fmt == "md":
                text = _strip_markdown(text)
        elif fmt == "html":
            text, encoding, notes, page_notes = _read_html(path, data)
        elif fmt == "docx":
            text, encoding = _read_docx(path, data, max_bytes, limit_chars), "docx"
        else:
            text, encoding = _read_pdf(path, data, limit_chars), "pdf"
    except InputError:
        raise
    except RecursionError:
        raise InputError(path, f"cannot read {fmt} file (structure nested too deeply)") from None
    except MemoryError:
        raise InputError(path, f"cannot read {fmt} file (out of memory)") from None
    except Exception as exc:  # a parser bug on hostile input must not become a traceback
        raise InputError(path, f"cannot read {fmt} file ({type(exc).__name__}: {_one_line(exc)})") from None

    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError(path, "empty file (only whitespace)" if fmt in ("txt", "md") else f"no text found in {fmt} file")
    return RawDocument(path=path, text=text, encoding=encoding, format=fmt, notes=tuple(notes),
                       extraction_notes=page_notes)


def _one_line(exc: BaseException, limit: int = 160) -> str:
    msg = " ".join(str(exc).split()) or "no details"
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


# --------------------------------------------------------------------------- #
# binary sniffing

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (docx/xlsx?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"RIFF", "a RIFF media file"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)


def _binary_kind(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


# --------------------------------------------------------------------------- #
# encoding detection

# The ~500 most frequent Chinese characters (simplified); traditional forms
# are added at first use with OpenCC s2t.
_TOP_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
    "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级"
    "少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领"
    "七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每"
    "目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影"
    "算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准"
    "精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严校师幼园市区县镇乡村局厅委会议讲话府政策施实推进落实加强提升完善健全建设改革发展质量均衡优质特色素质"
)
_COMMON_PUNCT = set("。,、;:?!“”‘’《》()【】—…·〔〕「」『』")


@lru_cache(maxsize=1)
def _char_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(top chars simplified+traditional, level-1 chars of GB2312 and Big5)."""
    top = set(_TOP_CHARS)
    try:
        from opencc import OpenCC

        conv = OpenCC("s2t")
        top |= set(conv.convert(_TOP_CHARS))
    except Exception:  # pragma: no cover - opencc is a dependency
        pass
    level1: set[str] = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level 1 (3755 most used hanzi)
        for trail in range(0xA1, 0xFF):
            try:
                level1.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):  # Big5 常用字 (5401 frequent characters)
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                level1.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(top), frozenset(level1)


def _plausibility(text: str) -> float:
    """Score in (-inf, 2]: how much ``text`` looks like real Chinese/ASCII text."""
    top, level1 = _char_sets()
    sample = text if len(text) <= 200_000 else text[:100_000] + text[-100_000:]
    score = 0.0
    n = 0
    for ch in sample:
        if ch in " \n\r\t":
            continue
        n += 1
        o = ord(ch)
        if ch in top:
            score += 2.0
        elif ch in level1:
            score += 1.0
        elif o < 128:
            score += 1.0 if ch.isprintable() else -5.0
        elif ch in _COMMON_PUNCT or 0xFF01 <= o <= 0xFF5E or ch == "\u3000":
            score += 1.0
        elif 0x4E00 <= o <= 0x9FFF:
            score += 0.2  # a rare ideograph
        elif 0xE000 <= o <= 0xF8FF or ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
            score -= 5.0
        else:
            score -= 1.0  # kana, Greek, Cyrillic, box drawing, Hangul… in a Chinese document
    return score / n if n else 0.0


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_META_RE = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})""", re.IGNORECASE
)
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5",
    "x-x-big5": "big5",
    "cp950": "big5",
    "utf8": "utf-8",
    "unicode": "utf-16",
}


def _decode_as(data: bytes, name: str) -> str | None:
    """Strict decoding under our canonical names; big5 tries cp950 then Big5-HKSCS."""
    codecs = {"big5": ("cp950", "big5hkscs")}.get(name, (name,))
    for codec in codecs:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode text bytes; return ``(text, encoding)`` or raise ``ValueError`` with a reason."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise ValueError(f"has a {name} byte-order mark but is not valid {name} ({exc.reason})") from None
    has_nul = b"\x00" in data
    utf8: str | None = None
    if not has_nul:
        try:
            utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL_RE.search(utf8) or len(data) % 2:
                return utf8, "utf-8"
            # valid UTF-8 but full of control characters: maybe BOM-less UTF-16
    if html and not has_nul:
        m = _META_RE.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            name = _CODEC_ALIASES.get(declared, declared)
            text = _decode_as(data, name)
            if text is not None and _plausibility(text) > 0.5:
                return text, name
    candidates: list[tuple[float, int, str, str]] = []
    if utf8 is not None:
        candidates.append((_plausibility(utf8), 1, "utf-8", utf8))
    order = ["gb18030", "big5"] if not has_nul else []
    if len(data) % 2 == 0:
        order += ["utf-16-le", "utf-16-be"]
    for rank, name in enumerate(order):
        text = _decode_as(data, name)
        if text is None:
            continue
        candidates.append((_plausibility(text), -rank, name, text))
    if candidates:
        score, _, name, text = max(candidates)
        if score > 0.5:
            return text, name
    if has_nul:
        raise ValueError("binary content (contains NUL bytes), not text")
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive
        best = None
    if best is not None:
        text = str(best)
        if _plausibility(text) > 0.5:
            return text, str(best.encoding)
    raise ValueError("cannot decode text (not UTF-8, UTF-16, GB18030/GBK or Big5)")


#: share of a text's bytes that may be undecodable (replaced) for the rest to be kept
SALVAGE_MAX_BAD = 0.10


def salvage_bytes(data: bytes, *, html: bool = False) -> tuple[str, str, list[str]]:
    r"""Decode text that is partly bad: ``(text, encoding, notes)``; notes say what was dropped.

    A few NUL bytes (one per thousand) are dropped; then each line is read in
    the document's own encoding, else as GB18030 or Big5 when that reads as
    Chinese (a GBK line pasted into a UTF-8 file), else with its undecodable
    bytes replaced by U+FFFD. Raises ``ValueError`` when too little decodes
    (:data:`SALVAGE_MAX_BAD`) or the NUL bytes say it is binary.

    >>> salvage_bytes("第一行\n".encode() + "第二行".encode("gbk") + b"\x00")
    ('第一行\n第二行', 'utf-8', ['dropped 1 NUL byte', 'line 2 read as GB18030'])
    """
    notes: list[str] = []
    nul = data.count(b"\x00")
    if nul:
        if nul > max(1, len(data) // 1000):
            raise ValueError("binary content (contains NUL bytes), not text")
        data = data.replace(b"\x00", b"")
        notes.append(f"dropped {nul} NUL byte{'s' if nul > 1 else ''}")
        try:
            text, enc = decode_bytes(data, html=html)
            return text, enc, notes
        except ValueError:
            pass
    lines = data.split(b"\n")
    order = ("utf-8", "gb18030", "big5")
    votes = {name: 0 for name in order}
    for line in lines:
        if not line.isascii():
            for name in order:
                if _decode_as(line, name) is not None:
                    votes[name] += len(line)
                    break
    base = max(order, key=lambda name: (votes[name], -order.index(name)))
    out: list[str] = []
    other: dict[str, list[int]] = {}
    replaced, bad_lines = 0, []  # type: int, list[int]
    for number, line in enumerate(lines, 1):
        decoded = _decode_as(line, base)
        if decoded is None:
            for name in order:
                if name != base:
                    alt = _decode_as(line, name)
                    if alt is not None and _plausibility(alt) > 0.5:
                        decoded = alt
                        other.setdefault(name, []).append(number)
                        break
        if decoded is None:
            decoded = line.decode("cp950" if base == "big5" else base, "replace")
            replaced += decoded.count("\ufffd")
            bad_lines.append(number)
        out.append(decoded)
    if replaced > SALVAGE_MAX_BAD * max(1, len(data)) or len(bad_lines) == len(lines):
        raise ValueError("cannot decode text (not UTF-8, UTF-16, GB18030/GBK or Big5)")
    for name, numbers in other.items():
        notes.append(f"{_lines(numbers)} read as {name.upper()}")
    if bad_lines:
        notes.append(f"{replaced} undecodable byte{'s' if replaced != 1 else ''} replaced with U+FFFD "
                     f"({_lines(bad_lines)})")
    return "\n".join(out), base, notes


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def _decode_text(path: Path, data: bytes, *, html: bool = False) -> tuple[str, str, list[str]]:
    try:
        text, enc = decode_bytes(data, html=html)
        return text, enc, []
    except ValueError as exc:
        strict_error = exc
    if any(data.startswith(bom) for bom, _, _ in _BOMS):
        raise InputError(path, str(strict_error))
    try:
        return salvage_bytes(data, html=html)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None


def _read_text(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    kind = _binary_kind(data)
    if kind:
        raise InputError(path, f"binary content ({kind}), not text")
    if not data.strip():
        raise InputError(path, "empty file (only whitespace)")
    text, enc, notes = _decode_text(path, data)
    _check_controls(path, text)
    return text, enc, notes


def _check_controls(path: Path, text: str) -> None:
    sample = text[:100_000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v" or ord(ch) == 0x7F)
    if bad > max(2, len(sample) // 100):
        raise InputError(path, "binary content (many control characters), not text")


# --------------------------------------------------------------------------- #
# Markdown

_MD_RULES = (
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # links -> text
    (re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M), ""),  # horizontal rules
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)"), r"\1"),  # italic
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
    (re.compile(r"<[^>\n]{1,200}>"), ""),  # inline html tags
)


def _strip_markdown(text: str) -> str:
    for rx, repl in _MD_RULES:
        text = rx.sub(repl, text)
    return text


# --------------------------------------------------------------------------- #
# HTML

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "math", "object", "embed", "canvas", "button", "select", "textarea", "input", "head",
    "title", "meta", "link", "audio", "video", "map", "dialog",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "p div br li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr table thead tbody tfoot section article main "
    "blockquote pre hr address figure figcaption caption center fieldset details summary body html".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_FURNITURE_WORDS = frozenset(
    "nav navbar navigation menu menus breadcrumb breadcrumbs crumb crumbs footer foot header head "
    "sidebar side share sharing comment comments related copyright ad ads advert advertisement banner "
    "toolbar pagination pager social cookie cookies popup modal login topbar recommend hot tags".split()
)
_FURNITURE_SUBSTR = (
    "breadcrumb", "copyright", "sidebar", "footer", "navbar", "navigation", "menu", "share", "comment",
    "related", "advert", "pagination", "toolbar", "topnav", "subnav", "header", "dh_", "bshare", "jiathis",
)  # fmt: skip
_WORD_SPLIT = re.compile(r"[-_\s:.]+|(?<=[a-z])(?=[A-Z])")
_PROTECTED = frozenset(("html", "body", "main", "article"))
_ENTITY_RE = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,15});")
_WS_RE = re.compile(r"[ \t\n\r\f]+")


def _looks_like_furniture(tag) -> bool:
    attrs = tag.attrs if isinstance(tag.attrs, dict) else {}
    values: list[str] = []
    for key in ("class", "id", "role"):
        v = attrs.get(key)
        if not v:
            continue
        if isinstance(v, (list, tuple)):
            values.extend(str(x) for x in v)
        else:
            values.append(str(v))
    if not values:
        return False
    joined = " ".join(values)[:500]
    if attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    low = joined.lower()
    words = {w.lower() for w in _WORD_SPLIT.split(joined) if w}
    if words & _FURNITURE_WORDS:
        return True
    return any(s in low for s in _FURNITURE_SUBSTR)


def _read_html(path: Path, data: bytes) -> tuple[str, str, list[str], tuple[str, ...]]:
    if not data.strip():
        raise InputError(path, "empty file (only whitespace)")
    kind = _binary_kind(data)
    if kind:
        raise InputError(path, f"binary content ({kind}), not HTML")
    markup, enc, notes = _decode_text(path, data, html=True)
    page = extract_page(markup)
    if not page.text.strip():
        raise InputError(path, "no text found in HTML page")
    return page.text, enc, notes, page.notes


@dataclass(frozen=True)
class PageText:
    """The text of a web page: its headline, date line and article, and how it was found."""

    text: str
    method: str  # "trafilatura", "containers" (our content-block rules) or "visible" (all visible text)
    visible_chars: int
    notes: tuple[str, ...] = ()


#: below this share of the page's visible text the article is taken as lost (see :func:`extract_page`)
MIN_KEPT_SHARE = 0.12
#: ... unless the page's visible text is this short anyway
MIN_VISIBLE_FOR_FALLBACK = 400


def html_to_text(markup: str) -> str:
    """Main text of an HTML page, one block element per line (see :func:`extract_page`)."""
    return extract_page(markup).text


def extract_page(markup: str, method: str | None = None) -> PageText:
    """The article of a web page with its headline and date line.

    The main content comes from trafilatura (a maintained main-content
    extractor); our own content-block rules (``<article>``, TRS_Editor, zoom…
    with page furniture pruned by class) stand in when trafilatura finds
    nothing or keeps much less. A page never loses its article silently: when
    what is kept is a small share of the page's visible text, all visible text
    is used and a note says so (``method`` forces "trafilatura" or "containers", for comparisons). The headline (``<h1>``, else the ``<title>``
    without the site's name) and the publication date head the text when the
    body leaves them out: they name the home place and the year.
    """
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

    markup = _SERVER_CODE.sub("", markup)  # a template's own code (<%@ Page … %>, <?php include …?>) is no text
    soup = BeautifulSoup(markup, "lxml")
    drop = frozenset(_DROP_TAGS)
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    heading, date, site = _headline(soup), _meta_date(soup), _site_name(soup)
    _prune(soup, lambda tag, in_article: tag.name in _INVISIBLE)
    visible = _text_lines(_walk_text(soup.body or soup))
    visible_chars = sum(len(x) for x in visible)
    date = date or _date_line(visible)

    prose = _prose_stats(soup)

    def holds_prose(tag) -> bool:  # a run of sentences is the article's, whatever the box is called
        return prose.get(id(tag), 0) >= PROSE_MIN

    # a <form> that wraps the page (ASP.NET's <form runat="server">) is no form to drop
    _prune(soup, lambda tag, in_article: tag.name in drop and not (tag.name == "header" and in_article)
           and not (tag.name == "form" and holds_prose(tag)))
    stats = _tag_stats(soup)
    root = _content_root(soup, stats)
    _prune(
        root,
        lambda tag, in_article: tag is not root
        and tag.name not in _PROTECTED
        and _looks_like_furniture(tag)
        and not stats.get(id(tag), (0, False))[1]  # keep what holds the <h1> title
        and not holds_prose(tag),  # a "breadcrumb" or "panel" box holding paragraphs of the article
    )
    ours = _text_lines(_walk_text(root))
    ours_chars = sum(len(x) for x in ours)
    traf = _trafilatura_lines(markup)
    traf_chars = sum(len(x) for x in traf)

    # paragraphs of ours that trafilatura left out (it keeps one item of an accordion or a tab set): when
    # they weigh, our blocks are the page's article
    traf_joined = "".join(traf)
    left_out = sum(len(x) for x in ours if len(x) >= PROSE_MIN and _SENTENCE_MARK.search(x)
                   and x[:24] not in traf_joined)
    notes: list[str] = []
    if method == "containers" or method != "trafilatura" and not (
            traf and traf_chars >= 0.5 * ours_chars and left_out < 0.25 * traf_chars):
        body, method = ours, "containers"
    else:
        body, method = traf, "trafilatura"
    kept = sum(len(x) for x in body)
    if visible_chars >= MIN_VISIBLE_FOR_FALLBACK and kept < MIN_KEPT_SHARE * visible_chars:
        notes.append(f"the page's article could not be told from its furniture (kept {kept:,} of "
                     f"{visible_chars:,} visible characters); all visible text was used")
        body, method = visible, "visible"
    joined = "\n".join(body[:8])
    add_heading = bool(heading) and _squash(heading)[:12] not in _squash(joined)
    lines = ([heading] if add_heading else []) + [x for x in body if x != heading or not add_heading]
    if date and not any(_DATE_RE.search(x) for x in body[:6]):
        # the date line goes under the headline (the title stays the text's first line)
        at = 1 if lines and heading and lines[0] == heading else 0
        lines.insert(at, f"发布日期:{date}")
    # the site that publishes the page (…通知--党政办-绍兴市第一中学): its name ends the text, as the
    # page's own header and footer say it, so a school's or bureau's page names its publisher
    if site and site not in "".join(lines):
        lines.append(site)
    return PageText("\n".join(lines), method, visible_chars, tuple(notes))


_INVISIBLE = frozenset(("script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math",
                        "object", "embed", "canvas", "iframe", "audio", "video", "map", "select", "textarea", "input"))
_DATE_RE = re.compile(r"(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}")
#: a page's date line (发布时间:2019-03-01 10:23): year, month, day
DATE_LINE = re.compile(
    r"(?:发布|发表|更新|成文|印发)?(?:时间|日期)\s*[:\uff1a\ufe30]?\s*((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _headline(soup) -> str:
    """The page's <h1>, else its <title> without the site's name (…2019年工作总结_龙华政府在线)."""
    h1 = soup.find("h1")
    if h1 is not None:
        text = " ".join(h1.get_text(" ", strip=True).split())
        if len(text) >= 4:
            return text[:200]
    title = soup.find("title")
    if title is None:
        return ""
    text = " ".join(title.get_text(" ", strip=True).split())
    text = re.split(r"\s*[_|｜—–-]+\s*", text)[0][:200] if text else ""
    return text if len(text) >= 4 else ""


_PUBLISHER = re.compile(
    r"[\u4e00-\u9fff]{2,20}(?:大学|学院|中学|小学|学校|幼儿园|中心|教育局|教育厅|教育部|教育体育局|教体局|"
    r"教育委员会|教委|人民政府|政府)"
)


def _site_name(soup) -> str:
    """The publisher named last in the page's <title> (…--党政办-绍兴市第一中学), when it is a school or a body."""
    title = soup.find("title")
    if title is None:
        return ""
    parts = [p for p in re.split(r"\s*[_|｜—–-]+\s*", " ".join(title.get_text(" ", strip=True).split())) if p]
    if len(parts) < 2:
        return ""
    last = parts[-1].strip()
    return last if _PUBLISHER.fullmatch(last) else ""


def _meta_date(soup) -> str:
    """The publication date the page's meta tags give, as YYYY-MM-DD."""
    for attrs in ({"name": "PubDate"}, {"name": "pubdate"}, {"name": "publishdate"}, {"name": "firstpublishedtime"},
                  {"property": "article:published_time"}, {"name": "date"}, {"itemprop": "datePublished"}):
        tag = soup.find("meta", attrs=attrs)
        if tag is not None:
            m = _DATE_RE.search(str(tag.get("content", "")))
            if m:
                return _iso(m.group(0))
    return ""


def _date_line(lines: list[str]) -> str:
    """The date of the page's date line (发布时间:2019-03-01 10:23 来源:…), as YYYY-MM-DD."""
    for line in lines:
        m = DATE_LINE.search(line[:300])
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return ""


def _iso(date: str) -> str:
    parts = re.findall(r"\d+", date)
    return f"{parts[0]}-{int(parts[1]):02d}-{int(parts[2]):02d}"


@lru_cache(maxsize=1)
def _trafilatura_config():
    """trafilatura's settings for Chinese pages: its 250-character floor for an article is meant for
    alphabetic text (below it, it falls back to a flat dump of the page); a Chinese notice of 60
    characters is an article."""
    import logging

    from trafilatura.settings import use_config

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "40")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _trafilatura_lines(markup: str) -> list[str]:
    """The article's lines as trafilatura finds them (tables kept, comments left out); [] when it finds none."""
    import trafilatura

    try:
        text = trafilatura.extract(markup, include_comments=False, include_tables=True, include_images=False,
                                   include_links=False, favor_precision=True, deduplicate=False, with_metadata=False,
                                   config=_trafilatura_config())
    except Exception:  # a library failure on hostile markup: our own rules take over
        return []
    if not text:
        return []
    text = _ENTITY_RE.sub(_unescape_entity, text)
    out = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\r\f]+", " ", line.replace("\xa0", " ")).strip()
        line = re.sub(r"^(?:[-*•]|#+)\s+", "", line)  # list bullets and headings of its markdown-like output
        line = re.sub(r"\s*\|\s*", " ", line).strip(" |")  # table cells
        if line and not re.fullmatch(r"[-|: ]+", line):
            out.append(line)
    return out


def _walk_text(root) -> str:
    """The text under ``root``: block elements on lines of their own, cells apart by a space."""
    from bs4 import NavigableString

    out: list[str] = []
    stack: list = [root]
    in_pre = 0
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):  # end of a block/cell element
            name = node[1]
            if name == "pre":
                in_pre -= 1
            out.append("\n" if name in _BLOCK_TAGS else " ")
            continue
        if isinstance(node, NavigableString):
            s = str(node)
            out.append(s if in_pre else _WS_RE.sub(" ", s))
            continue
        name = getattr(node, "name", None)
        if name is None:
            continue
        if name == "br":
            out.append("\n")
            continue
        if name in _BLOCK_TAGS:
            out.append("\n")
        elif name in _CELL_TAGS:
            out.append(" ")
        if name == "pre":
            in_pre += 1
        if name in _BLOCK_TAGS or name in _CELL_TAGS:
            stack.append(("end", name))
        stack.extend(reversed(list(node.children)))
    return _ENTITY_RE.sub(_unescape_entity, "".join(out))  # double-escaped entities (&amp;nbsp;)


def _text_lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\r\f]+", " ", line.replace("\xa0", " ")).strip()
        if line:
            out.append(line)
    return out


def _unescape_entity(m: re.Match[str]) -> str:
    s = m.group(0)
    u = _html.unescape(s)
    return u if u != s else s


def _prune(top, should_drop) -> None:
    """Decompose every tag under ``top`` for which ``should_drop(tag, inside_article)`` holds.

    One iterative pre-order walk: linear time, no recursion, never visits the
    inside of a removed subtree (deeply nested hostile markup stays cheap).
    """
    from bs4 import Tag

    stack: list[tuple[Tag, bool]] = [(top, False)]
    while stack:
        tag, in_article = stack.pop()
        inner = in_article or tag.name in ("article", "main")
        for child in list(tag.children):
            if not isinstance(child, Tag):
                continue
            if should_drop(child, inner):
                child.decompose()
            else:
                stack.append((child, inner))


#: a text run this long with a sentence's punctuation is prose: menus, crumbs and link lists have none
PROSE_MIN = 80
_SENTENCE_MARK = re.compile(r"[。;!?，,；！？]")
#: server-side template code a page's source may keep (JSP/ASP <%…%>, PHP <?php…?>, <jsp:…> tags); bounded
_SERVER_CODE = re.compile(r"<%.{0,4000}?%>|<\?php.{0,4000}?(?:\?>|$)|</?jsp:[^<>]{0,400}>", re.S)


def _prose_stats(soup) -> dict[int, int]:
    """``id(tag) -> the longest run of prose (one text node with a sentence's punctuation) inside it``,
    in one bottom-up pass."""
    from bs4 import NavigableString, Tag

    runs: dict[int, int] = {}
    for tag in reversed(list(soup.find_all(True))):
        best = 0
        for child in tag.children:
            if isinstance(child, Tag):
                best = max(best, runs.get(id(child), 0))
            elif isinstance(child, NavigableString):
                text = child.strip()
                if len(text) > best and _SENTENCE_MARK.search(text):
                    best = len(text)
        runs[id(tag)] = best
    return runs


def _tag_stats(soup) -> dict[int, tuple[int, bool]]:
    """``id(tag) -> (length of its stripped text, contains an <h1>)`` in one bottom-up pass."""
    from bs4 import NavigableString, Tag

    stats: dict[int, tuple[int, bool]] = {}
    for tag in reversed(list(soup.find_all(True))):
        n, h1 = 0, tag.name == "h1"
        for child in tag.children:
            if isinstance(child, Tag):
                cn, ch1 = stats.get(id(child), (0, False))
                n += cn
                h1 = h1 or ch1
            elif isinstance(child, NavigableString):
                n += len(child.strip())
        stats[id(tag)] = (n, h1)
    return stats


_CONTENT_ID_RE = re.compile(
    r"(^|[-_ ])(content|article|zoom|trs_editor|detail|main[-_]?text|text[-_]?content|news[-_]?content"
    r"|con|wzy|pages_content)([-_ ]|$)",
    re.I,
)


def _content_root(soup, stats: dict[int, tuple[int, bool]]):
    """The <article>/<main> with the most text, else the best content container, else <body>."""

    def length(tag) -> int:
        return stats.get(id(tag), (0, False))[0]

    body = soup.body or soup
    candidates = soup.find_all("article") or soup.find_all("main") or soup.find_all(attrs={"role": "main"})
    if candidates:
        best = max(candidates, key=length)
        if length(best) > 0:
            return best
    total = length(body) if body is not soup else sum(length(t) for t in soup.find_all(True, recursive=False))
    # common Chinese government-site containers (TRS_Editor, zoom, content…)
    best, best_len = None, 0
    for tag in body.find_all(("div", "td", "section")):
        attrs = tag.attrs if isinstance(tag.attrs, dict) else {}
        cls = attrs.get("class", "")
        ident = (" ".join(cls) if isinstance(cls, list) else str(cls)) + " " + str(attrs.get("id", ""))
        if not _CONTENT_ID_RE.search(ident):
            continue
        n = length(tag)
        if n > best_len:
            best, best_len = tag, n
    if best is not None and best_len >= max(50, 0.3 * total):
        return best
    return body


# --------------------------------------------------------------------------- #
# DOCX

_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


#: text runs one top-level paragraph or table of a .docx may hold (what stays in memory at once)
DOCX_MAX_ELEMENTS = 2_000_000
_REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _read_docx(path: Path, data: bytes, max_bytes: int, max_chars: int) -> str:
    """The text of the main document part, read as a stream.

    The XML is parsed one top-level paragraph or table at a time and each is
    dropped once read, so memory follows the largest paragraph, not the
    document; more than ``max_chars`` characters of text (or a paragraph of
    more than :data:`DOCX_MAX_ELEMENTS` elements) fail the file.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"corrupt .docx file (not a valid ZIP package: {_one_line(exc)})") from None
    if "word/document.xml" not in names:
        raise InputError(path, "corrupt .docx file (no word/document.xml inside)")
    if unpacked > max(10 * max_bytes, 50_000_000):
        raise InputError(path, f"corrupt .docx file (unpacks to {unpacked:,} bytes; refusing a possible zip bomb)")
    from lxml import etree

    try:
        part = _docx_main_part(zf, names)
        with zf.open(part) as stream:
            lines = _docx_lines(path, stream, max_chars)
    except InputError:
        raise
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
        raise InputError(path, f"corrupt .docx file ({type(exc).__name__}: {_one_line(exc)})") from None
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _docx_main_part(zf: zipfile.ZipFile, names: set[str]) -> str:
    """The main document part the package's relationships name (``word/document.xml`` as a rule)."""
    if "_rels/.rels" not in names:
        return "word/document.xml"
    from lxml import etree

    rels = etree.fromstring(zf.read("_rels/.rels"), etree.XMLParser(resolve_entities=False, no_network=True))
    for rel in rels:
        if rel.get("Type") == _REL_OFFICE and rel.get("TargetMode") != "External":
            target = (rel.get("Target") or "").lstrip("/")
            if target in names:
                return target
    return "word/document.xml"


def _docx_lines(path: Path, stream, max_chars: int) -> list[str]:
    from lxml import etree

    body_tag, p_tag, tbl_tag, t_tag = _W_NS + "body", _W_NS + "p", _W_NS + "tbl", _W_NS + "t"
    lines: list[str] = []
    held = 0  # text elements parsed since the last top-level element was dropped
    chars = 0
    parser = etree.iterparse(stream, events=("end",), tag=(body_tag, p_tag, tbl_tag, t_tag),
                             resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    for _event, elem in parser:
        tag = elem.tag
        if tag == t_tag:
            held += 1
            if elem.text:
                chars += len(elem.text)
            if chars > max_chars:
                raise InputError(path, f"too much text in .docx file (over {max_chars:,} characters)")
            if held > DOCX_MAX_ELEMENTS:
                raise InputError(path, f".docx paragraph or table too large (over {DOCX_MAX_ELEMENTS:,} text runs)")
            continue
        if tag == body_tag:
            break  # the first body is read
        parent = elem.getparent()
        if parent is None or parent.tag != body_tag:
            continue
        # a top-level paragraph or table of the body is complete: read it, then drop it and what came before
        if tag == p_tag:
            lines.append(_docx_par_text(elem))
            chars += 1  # its line break
        else:
            rows = _docx_table_lines(elem)
            lines.extend(rows)
            chars += len(rows)
        if chars > max_chars:
            raise InputError(path, f"too much text in .docx file (over {max_chars:,} characters)")
        elem.clear()
        while elem.getprevious() is not None:
            del parent[0]
        held = 0
    return lines


def _docx_par_text(p) -> str:
    parts: list[str] = []
    for node in p.iter(_W_NS + "t", _W_NS + "tab", _W_NS + "br", _W_NS + "cr"):
        if node.tag == _W_NS + "t":
            parts.append(node.text or "")
        elif node.tag == _W_NS + "tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _docx_table_lines(tbl) -> list[str]:
    lines = []
    for tr in tbl.iter(_W_NS + "tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(_W_NS + "tc"):
            text = " ".join(_docx_par_text(p) for p in tc.iter(_W_NS + "p")).strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat
                cells.append(text)
        if cells:
            lines.append("\t".join(cells))
    return lines


# --------------------------------------------------------------------------- #
# PDF


def _read_pdf(path: Path, data: bytes, max_chars: int) -> str:
    if not data.lstrip()[:1024].find(b"%PDF-") >= 0:
        kind = _binary_kind(data)
        raise InputError(path, f"corrupt PDF file (no %PDF header{'; looks like ' + kind if kind else ''})")
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise InputError(path, "encrypted PDF (password protected); cannot extract text")
        pages = reader.pages
        n_pages = len(pages)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(path, f"corrupt PDF file ({type(exc).__name__}: {_one_line(exc)})") from None
    if n_pages == 0:
        raise InputError(path, "corrupt PDF file (no pages)")
    texts: list[str] = []
    failures = 0
    chars = 0
    for i in range(n_pages):
        try:
            t = pages[i].extract_text() or ""
        except MemoryError:
            raise
        except Exception:
            failures += 1
            t = ""
        texts.append(t.replace("\x00", ""))
        chars += len(texts[-1])
        if chars > max_chars:
            raise InputError(path, f"too much text in PDF file (over {max_chars:,} characters by page {i + 1})")
    text = "\n".join(t.strip("\n") for t in texts)
    if not text.strip():
        if failures == n_pages:
            raise InputError(path, "corrupt PDF file (text extraction failed on every page)")
        raise InputError(path, "PDF has no text layer (scanned image?); run OCR first")
    return text
