"""The record helpers every layer shares: PMIDs, addresses, the NLM source string."""

from __future__ import annotations

import pytest

from reviewbook.model import Article, cited_source, doi_url, is_pmid, pmc_url, pubmed_url
from tests.conftest import expected_article


@pytest.mark.parametrize(
    ("text", "is_one"),
    [
        ("29037250", True),
        ("1", True),
        ("123456789", True),
        ("1234567890", False),
        ("029037250", False),
        ("", False),
        ("1٢٣", False),
        ("2903725O", False),
    ],
)
def test_a_pmid_is_one_to_nine_ascii_digits_without_a_leading_zero(text: str, is_one: bool) -> None:
    assert is_pmid(text) is is_one


def test_the_source_string_follows_nlm_style() -> None:
    assert cited_source(expected_article("29037250")) == "J Immunother Cancer. 2017 Oct 17;5(1):79."
    assert cited_source(expected_article("21387299")) == "Int J Cancer. 2011 Jun 1;128(11):2536-44."


def test_an_undated_source_without_journal_ends_in_one_full_stop() -> None:
    assert cited_source(Article(pmid="1", title="x")) == "Unknown journal. n.d."
    assert cited_source(Article(pmid="1", title="x", journal="J", year=2001, volume="3")) == (
        "J. 2001;3."
    )


def test_addresses_come_only_from_identifiers() -> None:
    assert pubmed_url("1") == "https://pubmed.ncbi.nlm.nih.gov/1/"
    assert doi_url("10.1/x") == "https://doi.org/10.1/x"
    assert pmc_url("PMC5644253") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC5644253/"
    assert (pubmed_url(None), doi_url(None), pmc_url(None)) == (None, None, None)
