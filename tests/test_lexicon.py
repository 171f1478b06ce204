"""The lexicons are data: every file loads, bad lines are reported with file and line."""

from __future__ import annotations

import pytest

from kg import lexicon
from kg.errors import LexiconError
from kg.extract.entities import classify_title, lexicons

LISTS = [
    "agency_names.txt", "program_suffixes.txt", "program_suffixes_unquoted.txt", "program_stopwords.txt",
    "generic_heads.txt", "document_types.txt", "non_documents.txt", "school_suffixes.txt",
    "school_generic.txt", "posts.txt", "surnames.txt", "units.txt", "boilerplate.txt",
]
TABLES = [("national_agencies.tsv", 2), ("agency_abbreviations.tsv", 2), ("program_aliases.tsv", 2), ("leaders.tsv", 2),
          ("divisions.tsv", 4), ("regions.tsv", 3)]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_loads_without_comments_or_blanks(name):
    entries = lexicon.load_list(name)
    assert entries
    assert all(e and not e.startswith("#") and e == e.strip() for e in entries)


@pytest.mark.parametrize("name,columns", TABLES)
def test_every_table_loads_with_its_columns(name, columns):
    rows = lexicon.load_table(name, columns)
    assert rows and all(len(r) == columns for r in rows)


def test_readme_lists_every_lexicon():
    readme = (lexicon.DATA_DIR / "README.md").read_text("utf-8")
    for name in LISTS + [t for t, _ in TABLES]:
        assert f"`{name}`" in readme, name


def test_bad_table_line_names_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "bad.tsv").write_text("# header\n好\t行\n只有一列\n", "utf-8")
    monkeypatch.setattr(lexicon, "DATA_DIR", tmp_path)
    lexicon.load_table.cache_clear()
    try:
        with pytest.raises(LexiconError) as exc:
            lexicon.load_table("bad.tsv", 2)
        assert "bad.tsv:3" in str(exc.value)
    finally:
        lexicon.load_table.cache_clear()


def test_missing_lexicon_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "DATA_DIR", tmp_path)
    lexicon.load_list.cache_clear()
    try:
        with pytest.raises(LexiconError, match="nope.txt"):
            lexicon.load_list("nope.txt")
    finally:
        lexicon.load_list.cache_clear()


def test_program_aliases_map_abbreviations_to_one_canonical_name():
    lx = lexicons()
    assert lx.program_alias["改薄"] == lx.program_alias["薄改"] == lx.program_alias["全面改薄"]
    assert lx.program_alias["改薄"] in lx.program_canonicals


@pytest.mark.parametrize("title,kind", [
    ("关于深化教育体制机制改革的实施意见", "PolicyDocument"),
    ("某市学前教育第三期三年行动计划", "Program"),
    ("中国教育报", None),
    ("教师之歌", None),
    ("中小学生守则(2015年修订)", "PolicyDocument"),
])
def test_titles_classified_by_their_ending(title, kind):
    assert classify_title(title) == kind
