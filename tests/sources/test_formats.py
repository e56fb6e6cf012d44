"""One entry point for every PubMed file: the format comes from the content, not the name."""

from __future__ import annotations

import codecs
import functools
import gzip
import hashlib
import io
import os
import re
import shutil
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from reviewbook import read_article, read_articles, read_pubmed_page
from reviewbook.errors import Problem, ReadError
from reviewbook.sources import opening
from reviewbook.sources.formats import (
    file_format,
    iter_articles,
    iter_entries,
    iter_stream_articles,
)
from tests.conftest import PUBMED, TEST_DATA

XML = TEST_DATA / "pubmed_29037250_reference_list.xml"
NBIB = TEST_DATA / "medline_three_records.nbib"
HINT = re.escape(
    "reviewbook reads PubMed pages saved as text, MEDLINE (.nbib) files, PubMed XML and "
    "PMC full text (JATS XML), each also gzip-compressed"
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


JATS = TEST_DATA / "pmc_jats_article.xml"
"""A PMC full-text article (JATS XML), shortened: opened with PMC's DOCTYPE."""
JATS_TEXT = b"<front><article-meta><title-group><article-title>A review</article-title>"
JATS_TAIL = b"</title-group></article-meta></front><body><p>Text.</p></body></article>"


@pytest.mark.parametrize(
    "content",
    [
        JATS.read_bytes(),
        b'<?xml version="1.0"?>\n<article xmlns:mml="http://www.w3.org/1998/Math/MathML">'
        + JATS_TEXT
        + JATS_TAIL,
        b'<?xml version="1.0"?>\n<!-- from PMC -->\n<pmc-articleset><article>'
        + JATS_TEXT
        + JATS_TAIL
        + b"</pmc-articleset>",
        b'<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN" "articleset.dtd">\n'
        b"<pmc-articleset><article>" + JATS_TEXT + JATS_TAIL + b"</pmc-articleset>",
        b'<article article-type="review-article" dtd-version="1.3">\n' + JATS_TEXT + JATS_TAIL,
        gzip.compress(JATS.read_bytes()),
    ],
    ids=["jats-doctype", "xml-article", "xml-articleset", "articleset-doctype", "bare", "gzip"],
)
def test_pmc_full_text_reads_as_one_article_per_article(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "PMC5644253.xml"
    path.write_bytes(content)
    assert file_format(content).name == "pmc-jats"
    [article] = read_articles(path)
    assert article.title in ("A review", "A made-up review, as PMC gives its full text")
    assert article.body is not None
    assert article.source_path == str(path)
    assert article.sha256 == hashlib.sha256(content).hexdigest()


def test_pmc_article_set_gives_one_article_per_article() -> None:
    path = TEST_DATA / "jats" / "article_set_of_two.xml"
    assert file_format(path.read_bytes()).name == "pmc-jats"
    assert [(article.pmid, article.pmcid) for article in read_articles(path)] == [
        ("10000041", "PMC9000041"),
        ("10000042", None),
    ]
    with pytest.raises(ReadError, match="holds 2 records, not one"):
        read_article(path)


def test_pmc_full_text_cut_short_raises_naming_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "PMC5644253.xml"
    path.write_bytes(JATS.read_bytes()[:-40])
    with pytest.raises(ReadError, match="not well-formed XML") as raised:
        read_articles(path)
    assert (raised.value.path, raised.value.line) == (str(path), 14)  # where the text stops


def test_pmc_full_text_larger_than_a_record_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opening, "MAX_RECORD_BYTES", 2000)
    path = tmp_path / "PMC5644253.xml"
    padding = b"<p>" + b"Tumour cells meet the immune system. " * 100 + b"</p>"
    path.write_bytes(JATS.read_bytes().replace(b"</body>", padding + b"</body>"))
    with pytest.raises(ReadError, match="a record larger than") as raised:
        read_articles(path)
    assert raised.value.path == str(path)


def test_an_html_article_element_is_still_html_not_jats(tmp_path: Path) -> None:
    path = tmp_path / "saved.html"
    path.write_bytes(b"<article>\n<p>Metastasis and the immune system.</p>\n</article>\n")
    assert file_format(path.read_bytes()).name == "pubmed-page"
    with pytest.raises(ReadError, match=r"^.*saved\.html:1: HTML source, not the page's text"):
        read_articles(path)


def test_missing_file_and_directory_raise(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot be read"):
        read_articles(tmp_path / "absent.xml")
    with pytest.raises(ReadError, match="is a directory"):
        read_articles(tmp_path)


# --- gzip, streaming, and files that are not what they seem ----------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (XML, "record.xml.gz"),
        (NBIB, "export.nbib.gz"),
        (PUBMED / "29037250.txt", "29037250.txt.gz"),
    ],
)
def test_gzip_file_reads_as_its_content_does(tmp_path: Path, source: Path, name: str) -> None:
    compressed = tmp_path / name
    compressed.write_bytes(gzip.compress(source.read_bytes()))
    plain = copy_as(source, tmp_path / source.name)
    digest = hashlib.sha256(compressed.read_bytes()).hexdigest()
    assert read_articles(compressed) == [
        replace(article, source_path=str(compressed), sha256=digest)
        for article in read_articles(plain)
    ]
    assert file_format(compressed.read_bytes()).name == file_format(source.read_bytes()).name


def test_gzip_is_told_by_its_magic_bytes_not_its_name(tmp_path: Path) -> None:
    path = tmp_path / "record.xml"
    path.write_bytes(gzip.compress(XML.read_bytes()))
    assert [article.pmid for article in read_articles(path)] == ["29037250"]


def test_gzip_cut_short_raises_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(XML.read_bytes())[:-40])
    with pytest.raises(ReadError, match="cut short: the compressed data ends") as raised:
        read_articles(path)
    assert raised.value.path == str(path)


def test_iter_articles_yields_records_as_they_are_read() -> None:
    records = iter_articles(NBIB)
    assert next(records).pmid == "29037250"
    assert [article.pmid for article in records] == ["10000004", "10000005"]


def test_a_stream_reads_like_a_file() -> None:
    from_stream = list(iter_stream_articles(io.BytesIO(NBIB.read_bytes()), name="<stdin>"))
    assert from_stream == [
        replace(article, source_path="<stdin>") for article in read_articles(NBIB)
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"is a named pipe \(FIFO\), not a regular file"):
        read_articles(fifo)


def test_empty_file_name_is_refused() -> None:
    with pytest.raises(ReadError, match="an empty file name"):
        read_articles("")


def test_page_larger_than_any_real_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * (opening.MAX_WHOLE_FILE_BYTES + 1))
    with pytest.raises(ReadError, match="larger than 8 MiB, more than any saved PubMed page"):
        read_articles(path)


def test_record_larger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opening, "MAX_RECORD_BYTES", 2000)
    path = tmp_path / "big.nbib"
    path.write_text("PMID- 1\nTI  - Big.\nAB  - " + "word " * 1000 + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match="a record larger than 0 MiB"):
        read_articles(path)
    assert len(read_articles(NBIB)) == 3, "each record is measured on its own"


@pytest.mark.parametrize(("codec", "order"), [("utf-16-le", "little"), ("utf-16-be", "big")])
@pytest.mark.parametrize("source", [NBIB, PUBMED / "29037250.txt"])
def test_utf16_without_byte_order_mark_is_read_with_a_problem(
    tmp_path: Path, source: Path, codec: str, order: str
) -> None:
    path = tmp_path / source.name
    path.write_bytes(source.read_text(encoding="utf-8").encode(codec))
    articles = read_articles(path)
    problem = Problem(
        None, "encoding", f"UTF-16 ({order}-endian) text without a byte-order mark; read as UTF-16"
    )
    assert articles[0].warnings[0] == problem
    assert [article.title for article in articles] == [
        article.title for article in read_articles(source)
    ]


def test_utf16_xml_without_byte_order_mark_is_read_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xml"
    text = XML.read_text(encoding="utf-8").replace('<?xml version="1.0" ?>', "").lstrip()
    path.write_bytes(text.encode("utf-16-le"))
    [article] = read_articles(path)
    assert article.title == "The immune system in cancer metastasis: friend or foe?"
    assert article.warnings[0].kind == "encoding"


def test_lone_medline_record_without_pmid_is_read_as_medline(tmp_path: Path) -> None:
    path = tmp_path / "export.nbib"
    path.write_text("TI  - A record without its PMID.\nTA  - Example J\n", encoding="utf-8")
    assert file_format(path.read_bytes()).name == "medline"
    [article] = read_articles(path)
    assert (article.pmid, article.title) == (None, "A record without its PMID.")
    assert article.warnings == (Problem(1, "record", "record 1 has no PMID (PMID-)"),)


def test_medline_with_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.nbib"
    path.write_bytes(NBIB.read_bytes().replace(b"\n", b"\r"))
    articles = read_articles(path)
    assert [(article.pmid, article.journal) for article in articles] == [
        ("29037250", "J Immunother Cancer"),
        ("10000004", "Example J"),
        ("10000005", None),
    ]
    assert articles[0].title == "The immune system in cancer metastasis: friend or foe?"


def test_a_line_not_in_utf8_is_named_on_its_own_record(tmp_path: Path) -> None:
    path = tmp_path / "mixed.nbib"
    path.write_bytes(b"PMID- 1\nTI  - First.\n\nPMID- 2\nTI  - Caf\xe9 society.\n")
    first, second = read_articles(path)
    assert (first.warnings, second.title) == ((), "Caf\u00e9 society.")
    assert second.warnings == (Problem(5, "encoding", "not valid UTF-8; read as Windows-1252"),)


def test_an_odd_record_is_read_with_its_problems_and_the_file_goes_on(tmp_path: Path) -> None:
    """A record with a blank line inside a field and a superscript digit in its pages and date
    is read, its oddities problems on it: the records after it, and a corpus build reading the
    file (`iter_entries`, as `reviewbook.corpus` does), are not stopped by it."""
    path = tmp_path / "export.nbib.gz"
    path.write_bytes(gzip.compress((TEST_DATA / "medline_odd_record_among_good.nbib").read_bytes()))
    first, odd, third = iter_entries(path, citations=False)
    assert [first.pmid, odd.pmid, third.pmid] == ["10000031", "10000032", "10000033"]
    assert odd.abstract == (
        "The first paragraph. The second paragraph, after a line an editor emptied."
    )
    assert (odd.pages, odd.first_page, odd.last_page) == ("2\u00b96-302", "2\u00b96", "302")
    assert (odd.pub_date, odd.year) == ("2\u00b917", None)
    assert odd.warnings == (
        Problem(9, "input", "a blank line inside the field above it; read as part of it"),
    )
    assert (first.warnings, third.warnings) == ((), ())


# --- work and memory in proportion to the input --------------------------------------------

TINY_RECORDS: dict[str, Callable[[int], bytes]] = {
    "medline": lambda count: "".join(
        f"PMID- {pmid}\nTI  - Title {pmid}.\n\n" for pmid in range(1, count + 1)
    ).encode(),
    "pubmed-xml": lambda count: (
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n'
        + "".join(
            f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>"
            f"Title {pmid}.</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
            for pmid in range(1, count + 1)
        )
        + "</PubmedArticleSet>\n"
    ).encode(),
}
"""Files of many records as small as a record can be, by format: where the cost of a record
itself, beyond the cost of its bytes, shows most."""
CALLS_PER_TINY_RECORD = 80
"""Python calls the readers may make to read one tiny record: measured at 36 (MEDLINE) and 53
(PubMed XML), where a walk from the record for each field's path once took 107."""


def tiny_records_file(folder: Path, format_name: str, count: int) -> Path:
    """A gzip file of ``count`` tiny records in the format named."""
    path = folder / f"{format_name}-{count}.gz"
    path.write_bytes(gzip.compress(TINY_RECORDS[format_name](count)))
    assert file_format(path.read_bytes()).name == format_name
    return path


def python_calls(action: Callable[[], object]) -> int:
    """How many Python functions ``action`` calls: a measure of work no machine's speed moves."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def read_through(path: Path) -> int:
    return sum(1 for _ in iter_entries(path))


@pytest.mark.parametrize("format_name", TINY_RECORDS)
def test_work_grows_in_proportion_to_the_records_and_each_costs_little(
    tmp_path: Path, format_name: str
) -> None:
    """1,000 records, then 2,000 more, cost calls in proportion (nothing grows faster than the
    input), and a record costs at most `CALLS_PER_TINY_RECORD` calls however small it is."""
    paths = [tiny_records_file(tmp_path, format_name, count) for count in (1000, 2000, 4000)]
    calls = [python_calls(functools.partial(read_through, path)) for path in paths]
    first, then = calls[1] - calls[0], calls[2] - calls[1]
    assert then <= 2 * first * 1.01
    assert first / 1000 <= CALLS_PER_TINY_RECORD


@pytest.mark.parametrize("format_name", TINY_RECORDS)
def test_memory_stays_flat_while_records_stream(tmp_path: Path, format_name: str) -> None:
    """The most memory taken while the records after the first are read (the file opened and
    digested by then) is the same for 4,000 records as for 16,000, and within the read-ahead."""
    peaks = []
    for count in (4000, 16000):
        records = iter_entries(tiny_records_file(tmp_path, format_name, count))
        next(records)
        tracemalloc.start()
        try:
            assert sum(1 for _ in records) == count - 1
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] <= peaks[0] + 64 * 2**10
    assert peaks[1] <= 4 * opening.BUFFER_BYTES
