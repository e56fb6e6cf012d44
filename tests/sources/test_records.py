"""One record out of a file of several: each record's own bytes, and the choice by PMID."""

from __future__ import annotations

import codecs
from dataclasses import replace

import pytest

from reviewbook import read_articles
from reviewbook.errors import ReadError
from reviewbook.model import Article
from reviewbook.sources.medline import parse_medline
from reviewbook.sources.pubmed_xml import parse_pubmed_xml
from reviewbook.sources.records import (
    SeveralRecords,
    chosen_record,
    record_line,
    split_records,
)
from tests.conftest import EXPECTED, PUBMED, TEST_DATA

NBIB = TEST_DATA / "medline_three_records.nbib"
"""Three MEDLINE records: 29037250 (a review), 10000004 and 10000005."""
XML = TEST_DATA / "pubmed_three_records.xml"
"""Three PubMed XML records, 10000021 (a review), 10000022 and 10000023, and a deletion."""
NBIB_SECOND = (EXPECTED / "medline_three_records_10000004.nbib").read_bytes()
"""Record 10000004 of `NBIB`, its lines as they are there."""
XML_SECOND = (EXPECTED / "pubmed_three_records_10000022.xml").read_bytes()
"""Record 10000022 of `XML` in a set of its own, written as it is there."""
XML_LETTER = (
    b'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">10000023'
    b'</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate>'
    b"<Year>2023</Year></PubDate></JournalIssue><ISOAbbreviation>Example Lett</ISOAbbreviation>"
    b"</Journal><ArticleTitle>A letter on neutrophils.</ArticleTitle><PublicationTypeList>"
    b'<PublicationType UI="D016422">Letter</PublicationType></PublicationTypeList></Article>'
    b"</MedlineCitation></PubmedArticle>"
)


def unplaced(article: Article) -> Article:
    """The record without what says where it was read: its file, its digest, and the lines of
    its warnings (a record cut out of a file opens its own file at line 1)."""
    warnings = tuple(replace(warning, line=None) for warning in article.warnings)
    return replace(article, source_path=None, sha256=None, warnings=warnings)


# --- MEDLINE ----------------------------------------------------------------------------------


def test_each_medline_record_is_cut_out_as_its_own_lines() -> None:
    data = NBIB.read_bytes()
    records = split_records(data)
    assert records[1] == NBIB_SECOND
    assert records[2] == b"PMID- 10000005\nOWN - NLM\nDP  - 2020 Jan\nPT  - Letter\n"
    assert b"\n".join(records) == data  # one blank line between records, nothing else
    assert [unplaced(parse_medline(record.decode())[0]) for record in records] == [
        unplaced(article) for article in read_articles(NBIB)
    ]


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["windows", "old-mac"])
def test_medline_records_keep_their_line_endings(ending: bytes) -> None:
    records = split_records(NBIB.read_bytes().replace(b"\n", ending))
    assert records[1] == NBIB_SECOND.replace(b"\n", ending)


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_a_utf16_medline_record_keeps_its_encoding_and_byte_order_mark(
    bom: bytes, codec: str
) -> None:
    records = split_records(bom + NBIB.read_text(encoding="utf-8").encode(codec))
    assert records[1] == bom + NBIB_SECOND.decode().encode(codec)


def test_a_line_that_is_not_utf8_is_kept_byte_for_byte() -> None:
    data = NBIB.read_bytes().replace(b"Example J\n", b"Exampl\xe9 J\n")
    assert split_records(data)[1] == NBIB_SECOND.replace(b"Example J", b"Exampl\xe9 J")


# --- PubMed XML -------------------------------------------------------------------------------


def test_each_xml_record_is_cut_out_as_written_into_a_set_of_its_own() -> None:
    data = XML.read_bytes()
    review, article, letter = split_records(data)
    opening = data[: data.index(b"<PubmedArticleSet>") + len(b"<PubmedArticleSet>")]
    assert article == XML_SECOND
    assert letter == opening + b"\n" + XML_LETTER + b"\n</PubmedArticleSet>\n"
    assert b"mice&#x2014;a time course &amp; its dose response." in article  # as written
    assert not any(b"<DeleteCitation>" in record for record in (review, article, letter))


def test_each_xml_record_reads_back_as_the_record_it_was() -> None:
    records = [parse_pubmed_xml(record) for record in split_records(XML.read_bytes())]
    assert [unplaced(article) for [article] in records] == [
        unplaced(article) for article in read_articles(XML)
    ]
    [article] = records[1]
    assert (article.pmid, article.title, article.authors, article.article_types) == (
        "10000022",
        "CD8 T cells restrain lung colonisation in mice—a time course & its dose response.",
        ("Müller J",),
        ("Journal Article", "Research Support, Non-U.S. Gov't"),
    )


def test_a_utf16_xml_record_keeps_its_encoding() -> None:
    text = XML.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    records = split_records(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    expected = XML_SECOND.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert records[1] == codecs.BOM_UTF16_LE + expected.encode("utf-16-le")


def test_a_utf16_xml_record_without_byte_order_mark_keeps_its_encoding() -> None:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    text = XML.read_text(encoding="utf-8").removeprefix(declaration)
    records = split_records(text.encode("utf-16-be"))
    assert records[1] == XML_SECOND.decode().removeprefix(declaration).encode("utf-16-be")


def test_a_comment_between_records_is_passed_over() -> None:
    data = XML.read_bytes().replace(
        b"</PubmedArticle>\n<PubmedArticle>",
        b"</PubmedArticle>\n<!-- <PubmedArticle>an old version</PubmedArticle> -->\n"
        b"<PubmedArticle>",
    )
    assert split_records(data)[1] == XML_SECOND


def test_a_record_that_cannot_be_cut_as_written_raises_rather_than_cut_wrong() -> None:
    """An end tag inside a CDATA section ends no element: the cut there is checked, and fails."""
    data = XML.read_bytes().replace(
        b"<ArticleTitle>Neutrophils and the metastatic niche",
        b"<ArticleTitle><![CDATA[</PubmedArticle>]]>Neutrophils and the metastatic niche",
    )
    with pytest.raises(ReadError) as raised:
        split_records(data, path="set.xml")
    assert str(raised.value) == "set.xml:7: record 1 cannot be cut out as written"


def test_a_saved_page_is_one_record_whole() -> None:
    page = (PUBMED / "29037250.txt").read_bytes()
    assert split_records(page) == (page,)


# --- choosing a record ------------------------------------------------------------------------


def test_the_record_with_the_pmid_is_chosen() -> None:
    articles = read_articles(NBIB)
    assert chosen_record(articles, "10000005", path=str(NBIB)) == 2
    assert chosen_record(articles[:1], None, path=str(NBIB)) == 0


def test_of_two_versions_of_a_record_the_later_is_chosen() -> None:
    versions = [Article(pmid="10000021", title="First."), Article(pmid="10000021", title="Later.")]
    assert chosen_record(versions, "10000021", path="update.xml") == 1


def test_a_pmid_the_file_does_not_hold_is_refused_naming_those_it_holds() -> None:
    with pytest.raises(ReadError) as raised:
        chosen_record(read_articles(NBIB), "123", path="export.nbib")
    assert str(raised.value) == (
        "export.nbib: holds no record with PMID 123; "
        "its 3 records have PMIDs 29037250, 10000004, 10000005"
    )
    with pytest.raises(ReadError) as raised:
        chosen_record(read_articles(NBIB)[:1], "123", path="export.nbib")
    assert raised.value.reason == "holds no record with PMID 123; its record has PMID 29037250"


def test_a_long_list_of_pmids_is_cut_short() -> None:
    articles = [Article(pmid=str(10000100 + number), title="") for number in range(25)]
    with pytest.raises(ReadError) as raised:
        chosen_record(articles, "123", path="baseline.xml")
    assert raised.value.reason.endswith("10000118, 10000119 and 5 more")


def test_several_records_and_no_pmid_raise_with_the_records() -> None:
    articles = read_articles(NBIB)
    with pytest.raises(SeveralRecords) as raised:
        chosen_record(articles, None, path="export.nbib")
    assert str(raised.value) == "export.nbib: holds 3 records, not one; choose one by its PMID"
    assert raised.value.records == tuple(articles)


def test_a_file_of_no_record_is_refused() -> None:
    with pytest.raises(ReadError, match=r"^empty\.xml: holds no PubMed record$"):
        chosen_record([], "123", path="empty.xml")


def test_a_record_line_tells_records_apart() -> None:
    assert [record_line(article) for article in read_articles(XML)] == [
        "PMID 10000021 | Okafor A | 2021 | Journal Article; Review | "
        "Neutrophils and the metastatic niche: what the evidence …",
        "PMID 10000022 | Müller J | 2022 | Journal Article; Research Support, Non-U.S. Gov't | "
        "CD8 T cells restrain lung colonisation in mice—a time …",
        "PMID 10000023 | no author | 2023 | Letter | A letter on neutrophils.",
    ]
    assert record_line(Article(pmid=None, title="")) == (
        "PMID (none) | no author | n.d. | types unknown | no title"
    )
