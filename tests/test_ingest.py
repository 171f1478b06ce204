"""Tests of kg.ingest: formats, encodings, hostile HTML and every bad-input error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from opencc import OpenCC

from kg.errors import InputError
from kg.ingest import SUPPORTED_SUFFIXES, decode_bytes, extract_page, html_to_text, iter_inputs, read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def paragraph(prefix: str, index: int = 0, min_len: int = 40) -> str:
    lines = [line for line in seed(prefix).splitlines() if len(line) >= min_len]
    return lines[index]


# A simplified paragraph (seed 002) and a traditional one (seed 003), both real text.
SIMPLIFIED = paragraph("002")
TRADITIONAL = next(line for line in seed("003").splitlines() if line.startswith("今年以來"))
SHORT_SIMPLIFIED = "市教育系统全年工作要点"
SHORT_TRADITIONAL = "各市教育局長座談會在濟南召開"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- #
# encodings


@pytest.mark.parametrize(
    ("text", "codec", "expected_encoding"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SHORT_SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (SHORT_TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED, "utf-16", "utf-16"),  # with BOM
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),  # BOM-less
        (SHORT_SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (TRADITIONAL, "utf-16-be", "utf-16-be"),
    ],
)
def test_txt_encodings(tmp_path, text, codec, expected_encoding):
    p = write(tmp_path, "doc.txt", text.encode(codec))
    doc = read_document(p)
    assert doc.text == text
    assert doc.encoding == expected_encoding
    assert doc.format == "txt"
    assert doc.path == p


def test_whole_seeds_roundtrip_gb18030_and_big5(tmp_path):
    to_trad = OpenCC("s2t")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert read_document(write(tmp_path, "g.txt", text.encode("gb18030"))).text == text
        trad = to_trad.convert(text).encode("big5", errors="ignore").decode("big5")
        doc = read_document(write(tmp_path, "b.txt", trad.encode("big5")))
        assert doc.text == trad
        assert doc.encoding == "big5"


def test_gbk_is_not_mistaken_for_big5_on_many_short_snippets():
    text = seed("000")
    for start in range(0, 3000, 150):
        snippet = text[start : start + 12]
        decoded, enc = decode_bytes(snippet.encode("gb18030"))
        assert decoded == snippet, (start, enc)


def test_html_meta_charset_gbk(tmp_path):
    html = f'<html><head><meta charset="gbk"><title>t</title></head><body><p>{SIMPLIFIED}</p></body></html>'
    doc = read_document(write(tmp_path, "page.html", html.encode("gbk")))
    assert doc.text == SIMPLIFIED
    assert doc.encoding == "gb18030"
    assert doc.format == "html"


def test_html_http_equiv_big5(tmp_path):
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
        f"<body><div>{TRADITIONAL}</div></body></html>"
    )
    doc = read_document(write(tmp_path, "page.htm", html.encode("big5")))
    assert doc.text == TRADITIONAL
    assert doc.encoding == "big5"


def test_html_without_declaration_gb18030(tmp_path):
    html = f"<html><body><p>{SIMPLIFIED}</p></body></html>"
    doc = read_document(write(tmp_path, "page.html", html.encode("gb18030")))
    assert doc.text == SIMPLIFIED


# --------------------------------------------------------------------------- #
# HTML extraction

PAGE = """<!DOCTYPE html>
<html><head><title>站点标题</title>
<style>p { color: red }</style><script>var s = "<p>脚本里的文字</p>";</script></head>
<body>
<div id="topNav"><a href="/">首页</a> | <a href="/news">新闻中心</a></div>
<div class="breadcrumb">当前位置:首页 &gt; 通知公告</div>
<header><h2>某市教育局门户网站</h2></header>
<nav><ul><li>机构设置</li><li>政务公开</li></ul></nav>
<article>
  <h1>关于做好2024年&nbsp;招生工作的通知</h1>
  <p>各县(市)区教育局:<br>为做好<b>2024年</b>招生工作,现将有关事项通知如下。</p>
  <ul><li>一、总体要求</li><li>二、工作安排</li></ul>
  <div class="share-bar">分享到:微信 微博</div>
  <table><tr><td>学校</td><td>人数</td></tr><tr><td>第一中学</td><td>500</td></tr></table>
  <p>请认真执行&amp;落实。</p>
</article>
<aside class="sidebar">相关文章</aside>
<div class="related-list">热门推荐</div>
<footer>版权所有:某市教育局</footer>
<noscript>请启用脚本</noscript>
</body></html>"""


def test_html_keeps_only_article_text_with_block_structure(tmp_path):
    doc = read_document(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    lines = doc.text.split("\n")
    assert lines[0] == "关于做好2024年 招生工作的通知"  # &nbsp; decoded (as a space)
    assert "各县(市)区教育局:" in lines  # <br> is a line break
    assert "为做好2024年招生工作,现将有关事项通知如下。" in lines  # <b> is inline
    assert "一、总体要求" in lines and "二、工作安排" in lines
    assert "学校 人数" in lines and "第一中学 500" in lines
    assert "请认真执行&落实。" in lines
    for furniture in ("脚本", "color", "首页", "当前位置", "门户网站", "机构设置", "分享到", "相关文章", "热门推荐", "版权所有", "请启用脚本", "站点标题"):
        assert furniture not in doc.text, furniture


def test_html_body_without_article_drops_furniture_by_class():
    html = (
        "<body><div class='menu'>菜单一 菜单二</div><div id='main'>"
        "<p>第一段正文。</p><p>第二段<span>正文</span>。</p></div>"
        "<div class='copyright'>版权</div><div class='comment-box'>评论</div></body>"
    )
    assert html_to_text(html) == "第一段正文。\n第二段正文。"


def test_html_prefers_content_container_without_article():
    html = (
        "<body><div>网站导航 首页 新闻 通知 公告 下载 专题</div>"
        "<div class='TRS_Editor'><p>" + "正文内容。" * 30 + "</p></div></body>"
    )
    assert html_to_text(html) == "正文内容。" * 30


def test_hostile_html(tmp_path):
    hostile = (
        "<html><body><div class='nav'>导航<article><h1>标题"
        "<p>正文<script>alert(1)</script>第一段<img src=x onerror=alert(1)>"
        "<p>第二段 &lt;script&gt;不是脚本 <b>未闭合<i>标签"
        "<div title='" + "x" * 200_000 + "'>长属性</div>"
        "<svg><text>矢量</text></svg><iframe src='//evil'>框架</iframe>"
    )
    doc = read_document(write(tmp_path, "evil.html", hostile.encode("utf-8")))
    assert "alert" not in doc.text
    assert "onerror" not in doc.text
    assert "矢量" not in doc.text and "框架" not in doc.text
    assert "正文第一段" in doc.text
    assert "<script>不是脚本" in doc.text  # escaped text stays text
    assert "长属性" in doc.text
    assert "导航" not in doc.text


def test_deeply_nested_html_is_linear():
    text = html_to_text("<div>" * 20_000 + "深层文字")
    assert text == "深层文字"


def test_html_without_text_is_an_error(tmp_path):
    p = write(tmp_path, "empty.html", b"<html><head><script>var a=1;</script></head><body> </body></html>")
    with pytest.raises(InputError, match="no text"):
        read_document(p)


# --------------------------------------------------------------------------- #
# markdown, docx, pdf


def test_markdown(tmp_path):
    md = "# 一、总体要求\n\n**坚持**立德树人,见[通知](http://x.y/z)。\n\n> 引用内容\n"
    doc = read_document(write(tmp_path, "a.md", md.encode("utf-8")))
    assert doc.format == "md"
    assert doc.text.splitlines()[0] == "一、总体要求"
    assert "坚持立德树人,见通知。" in doc.text
    assert "引用内容" in doc.text and "http" not in doc.text


def test_real_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("关于做好招生工作的通知", 1)
    d.add_paragraph(SIMPLIFIED)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "学校"
    table.cell(0, 1).text = "人数"
    table.cell(1, 0).text = "第一中学"
    table.cell(1, 1).text = "500"
    d.add_paragraph("此致")
    p = tmp_path / "a.docx"
    d.save(p)
    doc = read_document(p)
    assert doc.format == "docx"
    assert doc.text.split("\n") == ["关于做好招生工作的通知", SIMPLIFIED, "学校\t人数", "第一中学\t500", "此致"]


def _docx_text_by_python_docx(path: Path) -> str:
    """What kg read from a .docx before it streamed the XML: python-docx's whole tree."""
    import docx

    from kg.ingest import _W_NS, _docx_par_text, _docx_table_lines

    lines: list[str] = []
    for child in docx.Document(str(path)).element.body.iterchildren():
        if child.tag == _W_NS + "p":
            lines.append(_docx_par_text(child))
        elif child.tag == _W_NS + "tbl":
            lines.extend(_docx_table_lines(child))
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def test_streamed_docx_reads_what_the_whole_tree_gave(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("葫芦岛市教育局2020年工作要点", 1)
    d.add_paragraph("")
    par = d.add_paragraph("一、总体要求\t")
    par.add_run("全市新建幼儿园3所").add_break()
    par.add_run("兴城市第一中学")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "学校"
    table.cell(0, 2).text = "人数"
    table.cell(1, 0).text = "第一中学"
    table.cell(1, 1).add_paragraph("第二段")
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内表"
    inner.cell(0, 1).text = "500"
    d.add_paragraph(SIMPLIFIED)
    d.add_page_break()
    d.add_paragraph("此致")
    p = tmp_path / "mixed.docx"
    d.save(p)
    assert read_document(p).text == _docx_text_by_python_docx(p)


def _docx_of_paragraphs(path: Path, first: str, empty_paragraphs: int) -> Path:
    """A .docx whose XML is large (many empty formatted paragraphs) but whose text is short."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>' + first.encode() + b"</w:t></w:r></w:p>")
    filler = b'<w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p>' * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w") as f:
            f.write(head)
            for _ in range(empty_paragraphs // 1000):
                f.write(filler)
            f.write(b"</w:body></w:document>")
    return path


def test_docx_expanding_to_a_large_xml_is_read_in_bounded_memory(tmp_path):
    """An 11 MB document part (python-docx's tree of it takes well over 100 MB) under a 100 MB cap."""
    from kg.worker import Budget, run_bounded

    p = _docx_of_paragraphs(tmp_path / "big.docx", "全市新建幼儿园3所。", 250_000)
    assert p.stat().st_size < 100_000
    (outcome,) = run_bounded(lambda path: read_document(path).text, [p], Budget(seconds=None, memory_mb=100))
    assert outcome.error is None
    assert outcome.result == "全市新建幼儿园3所。"


def test_docx_text_limit(tmp_path):
    p = _docx_of_paragraphs(tmp_path / "long.docx", "全市新建幼儿园3所。" * 50, 0)
    assert read_document(p).text.startswith("全市")
    with pytest.raises(InputError, match=r"too much text in \.docx file \(over 100 characters\)"):
        read_document(p, max_chars=100)
    lines = _docx_of_paragraphs(tmp_path / "lines.docx", "全市", 5000)  # line breaks count too
    with pytest.raises(InputError, match="too much text"):
        read_document(lines, max_chars=1000)


def test_docx_paragraph_of_too_many_runs(tmp_path, monkeypatch):
    import kg.ingest

    monkeypatch.setattr(kg.ingest, "DOCX_MAX_ELEMENTS", 100)
    p = _docx_of_paragraphs(tmp_path / "runs.docx", "</w:t><w:t>".join("学" for _ in range(500)), 0)
    with pytest.raises(InputError, match="too large"):
        read_document(p)


def test_pdf_text_limit(tmp_path):
    p = write(tmp_path, "a.pdf", make_pdf(b"BT /F1 12 Tf 72 720 Td (Hello world, this is a PDF) Tj ET"))
    assert "Hello" in read_document(p).text
    with pytest.raises(InputError, match="too much text in PDF file"):
        read_document(p, max_chars=5)


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 truncated zip", b"this is plain text, not a zip", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
)
def test_corrupt_docx(tmp_path, data):
    with pytest.raises(InputError, match="corrupt .docx"):
        read_document(write(tmp_path, "bad.docx", data))


def test_docx_zip_without_document_part(tmp_path):
    p = tmp_path / "bad.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(InputError, match=r"no word/document\.xml"):
        read_document(p)


def make_pdf(content: bytes, font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>") -> bytes:
    """A minimal one-page PDF with a correct xref table."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        font,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_with_text_layer(tmp_path):
    doc = read_document(write(tmp_path, "a.pdf", make_pdf(b"BT /F1 24 Tf 72 700 Td (Hello PDF world) Tj ET")))
    assert doc.format == "pdf"
    assert doc.text.strip() == "Hello PDF world"


def test_pdf_with_chinese_text_layer(tmp_path):
    text = "教育局工作要点"
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>"
    )
    content = b"BT /F1 24 Tf 72 700 Td <" + text.encode("utf-16-be").hex().upper().encode() + b"> Tj ET"
    doc = read_document(write(tmp_path, "zh.pdf", make_pdf(content, font)))
    assert doc.text.strip() == text


def test_pdf_without_text_layer(tmp_path):
    p = write(tmp_path, "scan.pdf", make_pdf(b"0 0 m 100 100 l S"))
    with pytest.raises(InputError, match="no text layer"):
        read_document(p)


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage\n", make_pdf(b"BT (x) Tj ET")[:150], b"not a pdf at all"])
def test_corrupt_pdf(tmp_path, data):
    with pytest.raises(InputError, match="corrupt PDF"):
        read_document(write(tmp_path, "bad.pdf", data))


# --------------------------------------------------------------------------- #
# bad input


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found") as info:
        read_document(tmp_path / "nope.txt")
    assert info.value.path == tmp_path / "nope.txt"
    assert "\n" not in str(info.value)


def test_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.docx", "a.pdf"])
def test_empty_file(tmp_path, name):
    with pytest.raises(InputError, match="empty file"):
        read_document(write(tmp_path, name, b""))


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u3000\u3000\n".encode("utf-8"), b"\xef\xbb\xbf \n"])
def test_whitespace_only(tmp_path, data):
    with pytest.raises(InputError, match="empty file"):
        read_document(write(tmp_path, "a.txt", data))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
        (b"abc\x00\x00\x01def\x00\x00garbage\x00", "binary"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"%PDF-1.4 pretending to be text", "PDF"),
    ],
)
def test_binary_txt(tmp_path, data, what):
    with pytest.raises(InputError, match="binary content") as info:
        read_document(write(tmp_path, "a.txt", data))
    assert what in str(info.value)


def test_unsupported_extension(tmp_path):
    with pytest.raises(InputError, match=r"unsupported file type \('\.xls'\)"):
        read_document(write(tmp_path, "a.xls", b"data"))
    with pytest.raises(InputError, match="no extension"):
        read_document(write(tmp_path, "README", b"data"))


def test_too_large(tmp_path):
    p = write(tmp_path, "big.txt", SIMPLIFIED.encode("utf-8"))
    with pytest.raises(InputError, match="too large"):
        read_document(p, max_bytes=100)
    assert read_document(p, max_bytes=10_000).text == SIMPLIFIED


def test_undecodable_text(tmp_path):
    data = bytes(range(0x80, 0x100)) * 4  # not UTF-8, not GB18030/Big5 text
    with pytest.raises(InputError, match="cannot decode|binary"):
        read_document(write(tmp_path, "a.txt", data))


def test_bad_bom(tmp_path):
    with pytest.raises(InputError, match="byte-order mark"):
        read_document(write(tmp_path, "a.txt", b"\xef\xbb\xbf\xff\xfe\xfd"))


def test_every_error_is_one_line(tmp_path):
    cases = {"a.txt": b"", "b.docx": b"junk", "c.pdf": b"junk", "d.xyz": b"x", "e.txt": b"\x00\x01\x02\x00"}
    for name, data in cases.items():
        with pytest.raises(InputError) as info:
            read_document(write(tmp_path, name, data))
        msg = str(info.value)
        assert msg.startswith(str(tmp_path / name) + ": ")
        assert "\n" not in msg and "Traceback" not in msg


# --------------------------------------------------------------------------- #
# iter_inputs


def test_iter_inputs(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ["b/2.txt", "b/1.html", "a/z.pdf", "a/y.docx", "top.md", "a/skip.xls", ".hidden/h.txt", "a/.dot.txt", "a/~$lock.docx"]:
        (tmp_path / rel).write_bytes(b"x")
    explicit = tmp_path / "odd.xyz"
    explicit.write_bytes(b"x")
    got = iter_inputs([tmp_path, explicit, tmp_path / "b" / "2.txt"])
    assert got == [
        tmp_path / "a" / "y.docx",
        tmp_path / "a" / "z.pdf",
        tmp_path / "b" / "1.html",
        tmp_path / "b" / "2.txt",
        tmp_path / "top.md",
        explicit,  # explicit unsupported file is kept for read_document to report
    ]
    assert iter_inputs([tmp_path]) == iter_inputs([tmp_path])  # deterministic
    assert iter_inputs([tmp_path / "missing.txt"]) == [tmp_path / "missing.txt"]


def test_iter_inputs_on_seeds():
    files = iter_inputs([SEEDS])
    assert files == sorted(SEEDS.glob("*.txt"))
    assert all(f.suffix in SUPPORTED_SUFFIXES for f in files)
    for f in files:
        doc = read_document(f)
        assert doc.encoding == "utf-8" and doc.format == "txt" and doc.text.strip()


def test_html_heading_outside_the_content_block_is_kept(tmp_path):
    page = ('<html><head><meta charset="utf-8"><title>龙华区教育局2019年工作总结_政府在线</title></head><body>'
            '<div class="nav">首页 | 政务公开</div><h1>深圳市龙华区教育局2019年工作总结</h1>'
            '<div class="content"><p>今年以来,区教育局在区委、区政府的正确领导下推进各项工作。</p>'
            '<p>全年新改扩建中小学12所,新增公办中小学学位2.1万个。</p></div></body></html>')
    path = tmp_path / "page.html"
    path.write_text(page, "utf-8")
    text = read_document(path).text
    assert text.splitlines()[0] == "深圳市龙华区教育局2019年工作总结"
    assert "首页" not in text


# --------------------------------------------------------------------------- #
# web pages as published: main content, headline, date line, no silent loss


def test_article_in_furniture_named_containers_is_not_lost():
    # a CMS that names its content blocks 'header', 'panel' and 'breadcrumb-body'
    body = "".join(f"<p>2023年全区新建幼儿园{i}所,新增学位{i * 90}个,普惠性幼儿园覆盖率达到9{i}%。</p>" for i in range(1, 9))
    page = ("<html><head><title>区教育局推进学前教育_某区人民政府</title></head><body>"
            "<div class='header'><div class='panel'><div class='breadcrumb-body'>"
            f"<h1>区教育局推进学前教育普及普惠</h1>{body}</div></div></div>"
            "<div class='footer'>版权所有</div></body></html>")
    page_text = extract_page(page)
    assert "普惠性幼儿园覆盖率达到91%" in page_text.text
    assert page_text.text.splitlines()[0] == "区教育局推进学前教育普及普惠"


def test_headline_and_date_line_head_the_text():
    page = ("<html><head><meta name='PubDate' content='2021-09-03 10:20'>"
            "<title>秋季开学工作部署会召开 - 某县教育局</title></head><body>"
            "<div class='nav'>首页 机构概况 政务公开</div>"
            "<div class='article-body'><p>" + "全县中小学秋季开学工作平稳有序,共有学生3.2万人按时报到。" * 4 + "</p></div>"
            "</body></html>")
    text = extract_page(page).text
    lines = text.splitlines()
    assert lines[0] == "秋季开学工作部署会召开"
    assert lines[1] == "发布日期:2021-09-03"
    assert "首页" not in text


def test_page_whose_article_cannot_be_told_apart_falls_back_to_visible_text_and_says_so(tmp_path):
    links = "".join(f"<li><a href='/n{i}'>关于第{i}批义务教育优质均衡发展县名单的公示</a></li>" for i in range(30))
    page = (f"<html><body><div class='menu'><ul>{links}</ul></div>"
            "<div class='related'><p>全市共有中小学312所,在校学生28.6万人。</p></div></body></html>")
    got = extract_page(page)
    assert got.method == "visible"
    assert "全市共有中小学312所" in got.text
    assert got.notes and "all visible text" in got.notes[0]
    doc = read_document(write(tmp_path, "list.html", page.encode("utf-8")))
    assert doc.extraction_notes == got.notes


def test_the_site_that_publishes_a_page_ends_its_text():
    body = "<p>" + "9月21日上午,市教育局考核小组来到我校,对我校现代信息技术特色学校创建工作进行考核。" * 3 + "</p>"
    page = (f"<html><head><title>我校迎来考核小组专家--学校新闻-绍兴市第一中学</title></head>"
            f"<body><div class='content'>{body}</div></body></html>")
    assert extract_page(page).text.splitlines()[-1] == "绍兴市第一中学"
    plain = f"<html><head><title>新闻中心 - 首页</title></head><body><div class='content'>{body}</div></body></html>"
    assert extract_page(plain).text.splitlines()[-1] != "首页"


ASPNET_DIGEST = """\ufeff<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="EduInfo.aspx.cs" %>
<!DOCTYPE html><html><head runat="server"><title>教育资讯</title></head>
<body><form id="form1" runat="server"><div class="panel-group" id="accordion">
<div class="panel"><div class="panel-heading"><button type="button">我市庆祝第30个教师节</button></div>
<div id="collapse1" class="panel-collapse collapse in"><div class="panel-body">
9月8日晚，我市隆重举行庆祝第30个教师节表彰晚会，向全市10万余教师送上节日的问候。副市长代表市政府，向辛勤耕耘在教育工作第一线的广大教师以及教育工作者致以节日的问候和崇高的敬意。
</div></div></div>
<div class="panel"><div class="panel-heading"><button type="button">我市不少学校推行“透明厨房”</button></div>
<div id="collapse2" class="panel-collapse collapse"><div class="panel-body">
记者昨天从市教育局获悉，包括镇海中学在内的21所学校的校园厨房已经变得“透明”，全市共有70个中小学、幼儿园的食堂安装了高清摄像头，一共装了700只左右的摄像头。
</div></div></div></div></form></body></html>"""

JSP_PANELS = """<%@ page language="java" contentType="text/html; charset=UTF-8" pageEncoding="UTF-8"%>
<html><head><%@include file="/views/includes/head.jsp"%></head><body>
<%@include file="/views/includes/wrapper.jsp"%>
<nav class="navbar-side"><ul class="nav"><li><a href="/main.jsp">介绍</a></li><li><a href="/main2.jsp">视频</a></li></ul></nav>
<div id="page-wrapper"><div class="header"><h1 class="page-header">四川省民族地区教育事业的发展状况</h1></div>
<div class="header"><div class="breadcrumb"><div class="panel-heading"><span>一、历史成就</span></div>
<div class="panel-body"><p>党和政府历来高度重视民族地区教育。2001年以来，中央和省共投入65亿多元资金用于民族地区教育发展，新建和改扩建学校3523所，为46万名学生提供寄宿条件，成都、绵阳等10个市选派了8000多名教师赴民族地区支教。</p></div>
</div></div></div><jsp:include page="/views/includes/footer.jsp"/></body></html>"""


def test_a_page_wrapped_in_a_server_form_keeps_every_item_and_no_template_code():
    text = extract_page(ASPNET_DIGEST).text
    assert "全市10万余教师" in text and "700只左右的摄像头" in text  # the form wraps the page: not dropped
    assert "<%" not in text and "Page Language" not in text


def test_paragraphs_in_a_box_named_like_furniture_are_the_article():
    text = extract_page(JSP_PANELS).text
    assert "新建和改扩建学校3523所" in text and "8000多名教师" in text  # a "breadcrumb" box holding sentences
    assert "include" not in text and "contentType" not in text
    assert "视频" not in text  # the real menu is still furniture


def test_a_full_width_date_line_dates_the_page_under_its_headline():
    page = ("<html><head><title>绍兴市教育局关于选拔学科带头人的通知</title></head><body>"
            "<div class='content'><h1>绍兴市教育局关于选拔学科带头人的通知</h1><span>发布时间：2018-09-29</span>"
            "<p>各区、县（市）教育局：为进一步加强我市基础教育教师队伍建设，决定举行第十届学科带头人选拔活动。</p></div></body></html>")
    text = extract_page(page).text
    assert text.splitlines()[0] == "绍兴市教育局关于选拔学科带头人的通知"
    assert "2018" in text
