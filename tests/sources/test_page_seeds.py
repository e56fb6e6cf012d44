"""The two seed pages read field for field as their golden files say (tests/data/expected)."""

from __future__ import annotations

from reviewbook import read_pubmed_page
from tests.conftest import PUBMED, expected_article


def test_janssen_page_gives_every_field_exactly() -> None:
    assert read_pubmed_page(PUBMED / "29037250.txt") == expected_article("29037250")


def test_erez_page_gives_every_field_exactly() -> None:
    assert read_pubmed_page(PUBMED / "21387299.txt") == expected_article("21387299")


def test_each_janssen_reference_exactly() -> None:
    # Compared one by one so a failure names the reference that changed.
    article = read_pubmed_page(PUBMED / "29037250.txt")
    expected_references = expected_article("29037250").references
    for parsed, expected in zip(article.references, expected_references, strict=True):
        assert parsed == expected


def test_each_erez_reference_exactly() -> None:
    article = read_pubmed_page(PUBMED / "21387299.txt")
    expected_references = expected_article("21387299").references
    for parsed, expected in zip(article.references, expected_references, strict=True):
        assert parsed == expected


def test_pubmed_url_comes_from_the_pmid() -> None:
    assert expected_article("29037250").pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/29037250/"


def test_the_same_cited_paper_printed_two_ways_shares_its_fields() -> None:
    """Chambers 2002 is printed with full pages and issue by Janssen, abbreviated by Erez."""
    janssen = expected_article("29037250").references[4]
    erez = expected_article("21387299").references[2]
    shared = ("authors", "title", "journal_key", "year", "volume", "first_page", "last_page")
    assert {name: getattr(janssen, name) for name in shared} == {
        name: getattr(erez, name) for name in shared
    }
