"""A review read from its page and from its XML: the page's text, the XML's identifiers."""

from __future__ import annotations

import dataclasses

import pytest

from reviewbook import Article, Reference, read_article, read_pubmed_page
from reviewbook.errors import Problem
from reviewbook.sources.merge import merge_page_and_record, merge_reference, merge_references
from tests.conftest import PUBMED, TEST_DATA

XML = TEST_DATA / "pubmed_29037250_reference_list.xml"


@pytest.fixture(scope="module")
def page() -> Article:
    return read_pubmed_page(PUBMED / "29037250.txt")


@pytest.fixture(scope="module")
def record() -> Article:
    return read_article(XML)


@pytest.fixture(scope="module")
def merged(page: Article, record: Article) -> Article:
    return merge_page_and_record(page, record)


def test_merged_article_keeps_the_pages_text(page: Article, merged: Article) -> None:
    assert merged.title == page.title
    assert merged.abstract == page.abstract
    assert merged.abstract_sections == page.abstract_sections
    assert merged.sections == page.sections
    assert merged.figures == page.figures
    assert (merged.source_path, merged.sha256) == (page.source_path, page.sha256)


def test_merged_article_gains_the_records_identifiers_and_authors(merged: Article) -> None:
    assert merged.pmid == "29037250"
    assert merged.doi == "10.1186/s40425-017-0283-9"
    assert merged.pmcid == "PMC5644253"
    assert merged.authors_display == "Janssen LME, Ramsay EE, Logsdon CD, Overwijk WW"
    assert merged.first_author == "Janssen LME"
    assert merged.article_types == ("Review", "Journal Article")
    assert merged.keywords == ("Cancer", "Immune system", "Metastasis")
    assert (merged.journal, merged.pub_date, merged.pages) == (
        "J Immunother Cancer",
        "2017 Oct 17",
        "79",
    )
    assert merged.warnings == ()


def test_merged_reference_list_is_the_records_full_list_with_provenance(
    merged: Article,
) -> None:
    assert [(ref.index, ref.source) for ref in merged.references] == [
        (1, "page+xml"),
        (2, "page+xml"),
        (3, "page+xml"),
        (4, "page+xml"),
        (5, "page+xml"),
        (6, "xml"),
        (7, "xml"),
        (8, "xml"),
        (9, "xml"),
    ]
    assert [ref.pmid for ref in merged.references] == [
        "16056258",
        "21376230",
        "21605699",
        "15170447",
        "12154349",
        "12778135",
        "17110329",
        "19279573",
        None,
    ]


def test_reference_both_list_keeps_the_page_text_and_gains_identifiers(
    page: Article, merged: Article
) -> None:
    assert merged.references[0] == dataclasses.replace(
        page.references[0],
        doi="10.1038/nrc1670",
        pmid="16056258",
        links=frozenset({"DOI", "PubMed"}),
        source="page+xml",
    )
    assert merged.references[0].raw.startswith("Weigelt B, Peterse JL. Van ‘t veer LJ.")


def test_reference_only_the_xml_lists_is_kept_as_read(record: Article, merged: Article) -> None:
    assert merged.references[5:] == record.references[5:]


def test_page_references_the_record_lacks_follow_at_the_end(page: Article) -> None:
    extra = Reference(index=6, raw="Only on the page.", title="Only on the page", year=1999)
    record_refs = (dataclasses.replace(page.references[1], index=1, source="xml"),)
    merged = merge_references((page.references[1], extra), record_refs)
    assert [(ref.index, ref.raw, ref.source) for ref in merged] == [
        (1, page.references[1].raw, "page+xml"),
        (2, "Only on the page.", "page"),
    ]


def test_record_without_references_leaves_the_page_list_alone(page: Article) -> None:
    assert merge_references(page.references, ()) == page.references


def test_references_match_on_doi_before_position() -> None:
    page_ref = Reference(index=1, raw="A. 2001;1:1.", doi="10.1/A", year=2001)
    record_refs = (
        Reference(index=1, raw="B", doi="10.1/b", source="xml"),
        Reference(index=2, raw="A", doi="10.1/a", pmid="11", source="xml"),
    )
    merged = merge_references((page_ref,), record_refs)
    assert [(ref.raw, ref.pmid, ref.source) for ref in merged] == [
        ("B", None, "xml"),
        ("A. 2001;1:1.", "11", "page+xml"),
    ]


def test_disagreeing_identifier_keeps_the_records_and_says_so() -> None:
    page_ref = Reference(index=1, raw="x", pmid="1", doi="10.1/x")
    record_ref = Reference(index=1, raw="y", pmid="2", doi="10.1/X", source="xml")
    merged = merge_reference(page_ref, record_ref)
    assert (merged.pmid, merged.doi) == ("2", "10.1/X")
    assert merged.warnings == (Problem(None, "identifier", "the page gives pmid 1, the xml 2"),)


def test_different_pmids_do_not_merge(page: Article, record: Article) -> None:
    with pytest.raises(ValueError, match=r"cannot merge PMID 29037250 .* with PMID 1 "):
        merge_page_and_record(page, dataclasses.replace(record, pmid="1"))


def test_record_warnings_are_kept_naming_the_record_file(page: Article, record: Article) -> None:
    noisy = dataclasses.replace(record, warnings=(Problem(3, "record", "odd"),))
    (kept,) = merge_page_and_record(page, noisy).warnings
    assert kept == Problem(3, "record", "odd", source="pubmed_29037250_reference_list.xml")
    assert str(kept) == "pubmed_29037250_reference_list.xml: line 3: odd"


def test_article_identifier_disagreement_is_a_warning(page: Article, record: Article) -> None:
    other = dataclasses.replace(record, doi="10.9999/other")
    merged = merge_page_and_record(page, other)
    assert merged.doi == "10.9999/other"
    assert merged.warnings == (
        Problem(
            None,
            "identifier",
            "the page gives doi 10.1186/s40425-017-0283-9, "
            "pubmed_29037250_reference_list.xml 10.9999/other",
        ),
    )
