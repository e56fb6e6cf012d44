"""Completing references from the cited works' own PubMed records, and honest counts.

The records are written here in efetch's shape (`tests.sources.test_ncbi.cited_record`); the
review is the real record of PMID 29963580 (49 references printed as their source alone, each
with its PMID), from the shared fixtures.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reviewbook.errors import Problem
from reviewbook.model import FieldSource
from reviewbook.sources.citation import parse_citation
from reviewbook.sources.completion import (
    complete_references,
    fetch_cited,
    records_by_pmid,
    reference_counts,
)
from reviewbook.sources.formats import read_article
from reviewbook.sources.ncbi import records_set
from tests.conftest import ROOT, expected_article
from tests.sources.test_ncbi import (  # noqa: F401  (fixtures)
    IDCONV_PATH,
    FakeEutils,
    FakeTime,
    cited_record,
    client_for,
    eutils,
    fake_time,
)

PUBMED7 = ROOT.parent / "shared" / "fixtures" / "pubmed_xml" / "pubmed7.xml"
needs_fixtures = pytest.mark.skipif(not PUBMED7.is_file(), reason=f"no fixture {PUBMED7}")
HINT = "run `reviewbook refresh 29963580` to fetch it"


def records(*pmids: str) -> dict:
    return records_by_pmid(records_set(cited_record(pmid).encode() for pmid in pmids))


@pytest.fixture(scope="module")
def guo() -> object:
    return read_article(PUBMED7)


@needs_fixtures
def test_a_reference_printed_as_its_source_is_filled_from_its_record(guo: object) -> None:
    first = guo.references[0]
    assert (first.raw, first.pmid, first.title) == (
        "Radiology. 2015 Jan;274(1):250-9",
        "25144646",
        None,
    )
    done = complete_references(guo, records("25144646"), refresh_hint=HINT).references[0]
    assert (done.raw, done.index, done.source) == (first.raw, 1, "xml+pubmed")
    assert (done.authors, done.title) == (("Lindqvist A", "Osei KB"), "Cited work 25144646")
    assert (done.journal, done.year, done.volume, done.first_page) == (
        "Radiology",
        2015,
        "274",
        "250",
    )
    assert (done.doi, done.links) == ("10.1000/nine.646", frozenset({"DOI", "PubMed"}))
    assert done.provenance == tuple(
        FieldSource(name, "PubMed 25144646") for name in ("authors", "title", "doi")
    )
    assert str(done.provenance[0]) == "authors from PubMed 25144646"
    assert done.warnings == ()


@needs_fixtures
def test_a_reference_whose_record_is_not_stored_says_how_to_fetch_it(guo: object) -> None:
    second = complete_references(guo, records("25144646"), refresh_hint=HINT).references[1]
    assert second.provenance == ()
    assert second.warnings == (
        Problem(
            None,
            "incomplete",
            "reference 2: not completed: the record of PMID 8028666 is not among the saved "
            f"records; {HINT}",
        ),
    )


def test_a_doi_only_reference_is_completed_through_the_id_converter() -> None:
    printed = parse_citation("Anonymous report. doi: 10.1000/NINE.865. - DOI", index=1)
    review = replace(expected_article("29037250"), references=(printed,))
    conversions = [
        {"requested-id": "10.1000/nine.865", "pmcid": "PMC9000865", "pmid": 9000865},
        {"requested-id": "10.9/x", "status": "error", "errmsg": "Identifier not found in PMC"},
    ]
    [done] = complete_references(review, records("9000865"), conversions).references
    assert (done.pmid, done.pmcid, done.doi) == ("9000865", "PMC9000865", "10.1000/nine.865")
    assert [problem.kind for problem in done.warnings] == ["citation"]  # no DOI disagreement
    assert done.provenance[:2] == (
        FieldSource("pmid", "PMC ID converter"),
        FieldSource("pmcid", "PMC ID converter"),
    )
    assert FieldSource("authors", "PubMed 9000865") in done.provenance
    assert done.links == frozenset({"DOI", "PMC", "PubMed"})


def test_printed_values_stay_and_a_disagreeing_identifier_is_noted() -> None:
    printed = replace(
        parse_citation("Lindqvist A. Printed title. J Tests. 2015;12(3):250-9.", index=1),
        pmid="9000001",
        doi="10.1000/other",
    )
    review = replace(expected_article("29037250"), references=(printed,))
    [done] = complete_references(review, records("9000001")).references
    assert (done.title, done.authors, done.doi) == (
        "Printed title",
        ("Lindqvist A",),
        "10.1000/nine.001",
    )
    assert done.provenance == ()
    assert [problem.kind for problem in done.warnings] == ["identifier"]


@needs_fixtures
def test_reference_counts_say_how_complete_a_list_is(guo: object) -> None:
    before = reference_counts(guo)
    assert str(before) == (
        "49 of 49 references, from the PubMed record's full reference list; "
        "0 complete, 49 with a PMID, DOI or PMCID"
    )
    pmids = [reference.pmid for reference in guo.references]
    after = reference_counts(complete_references(guo, records(*pmids)))
    assert (after.shown, after.total, after.complete, after.is_partial) == (49, 49, 49, False)


def test_a_saved_page_of_five_references_has_at_least_five() -> None:
    counts = reference_counts(expected_article("29037250"))
    assert (counts.shown, counts.total, counts.at_least, counts.is_partial) == (5, None, 5, True)
    assert str(counts).startswith(
        "5 of at least 5 references, from the saved page, which shows only the first 5; "
    )
    assert str(reference_counts(replace(expected_article("29037250"), references=()))) == (
        "0 of at least 0 references, from the source has no reference list (a MEDLINE record "
        "carries none); 0 complete, 0 with a PMID, DOI or PMCID"
    )


@needs_fixtures
def test_fetch_cited_converts_ids_then_fetches_every_cited_pmid(
    guo: object,
    eutils: FakeEutils,  # noqa: F811
    fake_time: FakeTime,  # noqa: F811
    tmp_path: Path,
) -> None:
    doi_only = parse_citation("Anonymous report. doi: 10.1038/nrc865. - DOI", index=50)
    review = replace(guo, references=(*guo.references[:3], doi_only))
    cited = fetch_cited(review, client_for(eutils, fake_time, tmp_path))
    assert [path for path, _ in eutils.requests] == [IDCONV_PATH, "/entrez/eutils/efetch.fcgi"]
    assert eutils.requests[1][1]["id"] == "25144646,8028666,19585597,9000865"
    assert list(cited.records) == ["25144646", "8028666", "19585597", "9000865"]
    assert cited.failed == {}
    stored = fetch_cited(review, client_for(eutils, fake_time, tmp_path), stored=cited)
    assert (len(eutils.requests), stored.records) == (2, {})
