"""Paper identity: merging a page with its record and comparing reviews agree on every pair."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from reviewbook import read_articles
from reviewbook.identity import paper_keys, same_paper
from reviewbook.model import Article, Reference
from reviewbook.sources.merge import merge_references
from reviewbook.tables.frames import references_frame
from reviewbook.tables.overlap import shared_references
from tests.conftest import ROOT, SEED_PMIDS, TEST_DATA, expected_article

FIXTURE_XML = ROOT.parent / "shared" / "fixtures" / "pubmed_xml" / "pubmed7.xml"


def _references() -> list[Reference]:
    """Every reference of both seeds, of our reference-list record and, when present, of the
    real PubMed record with 49 references."""
    articles = [expected_article(pmid) for pmid in SEED_PMIDS]
    articles += read_articles(TEST_DATA / "pubmed_29037250_reference_list.xml")
    if FIXTURE_XML.exists():
        articles += read_articles(FIXTURE_XML)
    return [reference for article in articles for reference in article.references]


REFERENCES = _references()


def test_keys_are_strongest_first_and_folded() -> None:
    reference = Reference(
        index=1,
        raw="",
        title="Tumour–host “cross-talk”: Ménage à trois?",
        journal_key="nat rev cancer",
        year=2002,
        volume="2",
        first_page="563",
        doi="10.1038/NRC865",
        pmid="12154349",
    )
    assert paper_keys(reference) == [
        ("doi", "10.1038/nrc865"),
        ("pmid", "12154349"),
        ("source", "nat rev cancer|2002|2|563"),
        ("title", "tumour host cross talk menage a trois|2002"),
    ]


def test_a_reference_without_identifiers_or_year_has_no_key() -> None:
    assert paper_keys(Reference(index=1, raw="Personal communication")) == []


def test_the_same_paper_printed_two_ways_by_the_seeds() -> None:
    """Chambers 2002: full pages in Janssen, abbreviated in Erez, same source key."""
    janssen = expected_article("29037250").references[4]
    erez = expected_article("21387299").references[2]
    assert same_paper(janssen, erez)
    assert not same_paper(janssen, expected_article("21387299").references[0])


def test_a_frame_row_has_the_keys_of_its_reference() -> None:
    frame = references_frame(
        [expected_article(pmid) for pmid in SEED_PMIDS]
        + read_articles(TEST_DATA / "pubmed_29037250_reference_list.xml")
    )
    records = [
        reference for pmid in SEED_PMIDS for reference in expected_article(pmid).references
    ] + list(read_articles(TEST_DATA / "pubmed_29037250_reference_list.xml")[0].references)
    assert len(records) == len(frame)
    for reference, (_, row) in zip(records, frame.iterrows(), strict=True):
        assert paper_keys(row) == paper_keys(reference)


def _merge_says_same(first: Reference, second: Reference) -> bool:
    """Whether merging a page list of one with a record list of the other joins them."""
    return len(merge_references([first], [second])) == 1


def _overlap_says_same(first: Reference, second: Reference) -> bool:
    """Whether two reviews citing one each are found to share a paper."""
    rows = [
        references_frame([_citing("1", first)]),
        references_frame([_citing("2", second)]),
    ]
    frame = pd.concat(rows, ignore_index=True)
    return len(shared_references(frame)) == 1


def _citing(pmid: str, reference: Reference) -> Article:
    return Article(pmid=pmid, title="citing review", references=(reference,))


@pytest.mark.parametrize("first", range(len(REFERENCES)))
def test_merge_and_overlap_agree_on_every_pair(first: int) -> None:
    for second in range(first + 1, len(REFERENCES)):
        a, b = REFERENCES[first], REFERENCES[second]
        merged, overlapping = _merge_says_same(a, b), _overlap_says_same(a, b)
        assert merged == overlapping == same_paper(a, b), (a.raw, b.raw)


def test_the_pairs_include_matches() -> None:
    """The pairwise test is not vacuous: the corpus holds printings of the same paper."""
    matches = [pair for pair in itertools.combinations(REFERENCES, 2) if same_paper(*pair)]
    assert len(matches) >= 8
