"""IRIs: deterministic, readable for Chinese, valid under RFC 3987 for any input."""

from __future__ import annotations

import doctest

import pyoxigraph

import kg.iri
from kg.iri import document_iri, entity_iri, iri_segment


def test_doctests() -> None:
    result = doctest.testmod(kg.iri)
    assert result.failed == 0 and result.attempted > 0


def test_chinese_and_unreserved_ascii_are_kept() -> None:
    assert iri_segment("葫芦岛市教育局") == "葫芦岛市教育局"
    assert iri_segment("A-z_0.9~") == "A-z_0.9~"
    assert iri_segment("“三个一”工程") == "“三个一”工程"


def test_every_code_point_gives_an_iri_oxigraph_accepts() -> None:
    """Each code point of every plane's first 64k (and the edges of the others) inside a name."""
    points = list(range(0x110000))[:0x30000] + [p for plane in range(3, 17) for p in
                                                (plane << 16, (plane << 16) + 0xFFFD, (plane << 16) + 0xFFFE,
                                                 (plane << 16) + 0xFFFF)] + list(range(0xE0000, 0xE1010))
    bad = []
    for o in points:
        iri = str(entity_iri("Program", f"名{chr(o)}称"))
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError:
            bad.append(hex(o))
    assert not bad, bad[:20]


def test_what_is_encoded() -> None:
    for ch, enc in [("\ufffd", "%EF%BF%BD"), ("\ufffc", "%EF%BF%BC"), ("\x00", "%00"), ("\x1b", "%1B"),
                    (" ", "%20"), ("\u3000", "%E3%80%80"), ("\ue000", "%EE%80%80"), ("\ufdd0", "%EF%B7%90"),
                    ("\u200f", "%E2%80%8F"), ("\ud800", "%ED%A0%80"), ("<", "%3C"), ('"', "%22"),
                    ("{", "%7B"), ("|", "%7C"), ("\\", "%5C"), ("^", "%5E"), ("`", "%60"), ("%", "%25")]:
        assert iri_segment(f"a{ch}b") == f"a{enc}b", repr(ch)


def test_document_iri_of_a_hostile_file_name() -> None:
    iri = document_iri("报告\x1b[31m\udcff 2020")
    pyoxigraph.NamedNode(str(iri))
    assert "%1B" in iri and "%20" in iri
