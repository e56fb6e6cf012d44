"""One entry point for every PubMed file: the format comes from the content, not the name."""

from __future__ import annotations

import codecs
import re
import shutil
from pathlib import Path

import pytest

from reviewbook import read_article, read_articles, read_pubmed_page
from reviewbook.errors import ReadError
from reviewbook.sources.formats import file_format
from tests.conftest import PUBMED, TEST_DATA

XML = TEST_DATA / "pubmed_29037250_reference_list.xml"
NBIB = TEST_DATA / "medline_three_records.nbib"
HINT = re.escape(
    "reviewbook reads PubMed pages saved as text, MEDLINE (.nbib) files and PubMed XML"
)


def copy_as(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def test_saved_page_reads_as_the_page_reader_reads_it() -> None:
    page = PUBMED / "29037250.txt"
    assert read_articles(page) == [read_pubmed_page(page)]
    assert read_article(page) == read_pubmed_page(page)


@pytest.mark.parametrize(
    ("source", "misleading_name", "expected_format", "pmids"),
    [
        (XML, "record.txt", "pubmed-xml", ["29037250"]),
        (NBIB, "record.xml", "medline", ["29037250", "10000004", "10000005"]),
        (PUBMED / "21387299.txt", "21387299.nbib", "pubmed-page", ["21387299"]),
    ],
)
def test_format_is_told_by_content_not_extension(
    tmp_path: Path, source: Path, misleading_name: str, expected_format: str, pmids: list[str]
) -> None:
    path = copy_as(source, tmp_path / misleading_name)
    assert file_format(path.read_bytes()).name == expected_format
    assert [article.pmid for article in read_articles(path)] == pmids


def test_records_name_their_file_and_its_digest(tmp_path: Path) -> None:
    path = copy_as(NBIB, tmp_path / "export.nbib")
    articles = read_articles(path)
    assert {article.source_path for article in articles} == {str(path)}
    assert {article.sha256 for article in articles} == {
        "4d9e30b71ccf6e0566cdc6364ef3bdf3b9ce45b2c6b27e551a77c64175bcf071"
    }


@pytest.mark.parametrize("source", [XML, NBIB])
def test_byte_order_mark_does_not_hide_the_format(tmp_path: Path, source: Path) -> None:
    path = tmp_path / "with_bom"
    path.write_bytes(codecs.BOM_UTF8 + source.read_bytes())
    assert read_articles(path)[0].pmid == "29037250"


def test_utf16_xml_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xml"
    text = XML.read_text(encoding="utf-8").replace('<?xml version="1.0" ?>', "")
    path.write_bytes(codecs.BOM_UTF16_LE + text.lstrip().encode("utf-16-le"))
    assert file_format(path.read_bytes()).name == "pubmed-xml"


def test_read_article_takes_exactly_one_record() -> None:
    assert read_article(XML).pmid == "29037250"
    with pytest.raises(ReadError, match="holds 3 records, not one") as raised:
        read_article(NBIB)
    assert raised.value.path == str(NBIB)


def test_read_article_of_an_empty_record_set(tmp_path: Path) -> None:
    path = tmp_path / "none.xml"
    path.write_text("<?xml version='1.0'?><PubmedArticleSet></PubmedArticleSet>")
    assert read_articles(path) == []
    with pytest.raises(ReadError, match="holds 0 records"):
        read_article(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty: no text to read; " + HINT),
        (b"  \n\n", "empty: no text to read; " + HINT),
        (b"# Notes\n\nNothing about PubMed here.\n", "not a PubMed abstract page.*; " + HINT),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>\n", "HTML source.*; " + HINT),
        (b"\x00\x01\x02binary", "binary data"),
        (b"<?xml version='1.0'?><feed/>", "not PubMed XML: the root element is <feed>"),
    ],
)
def test_anything_else_raises_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message) as raised:
        read_articles(path)
    assert str(raised.value).startswith(str(path))


def test_missing_file_and_directory_raise(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot be read"):
        read_articles(tmp_path / "absent.xml")
    with pytest.raises(ReadError, match="is a directory"):
        read_articles(tmp_path)
