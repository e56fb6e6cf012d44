"""How much of each review's reference list a count was made over, as a table and in words."""

from __future__ import annotations

from dataclasses import replace

from reviewbook.sources.completion import ReferenceCounts, reference_counts
from reviewbook.tables.completeness import (
    COMPLETENESS_COLUMNS,
    completeness_frame,
    extent_phrase,
    extent_sentence,
)
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")
RECORD = replace(
    JANSSEN,
    pmid="31000001",
    references=tuple(replace(reference, source="xml") for reference in JANSSEN.references),
)
"""Janssen's five references as if read from a PubMed XML record: the whole list."""
MEDLINE = replace(EREZ, pmid="12230038", references=())
"""A MEDLINE record: no reference list at all."""


def whole(pmid: str, shown: int) -> ReferenceCounts:
    return ReferenceCounts(pmid, shown, shown, shown, shown, shown, "record")


def partial(pmid: str, shown: int) -> ReferenceCounts:
    return ReferenceCounts(pmid, shown, None, shown, shown, shown, "page")


def test_completeness_frame_labels_every_number_and_says_where_the_list_comes_from() -> None:
    frame = completeness_frame([JANSSEN, RECORD, MEDLINE])
    assert tuple(frame.columns) == COMPLETENESS_COLUMNS
    assert frame.to_dict("records") == [
        {
            "review_pmid": "29037250",
            "references shown": 5,
            "the review has": "at least 5",
            "complete": 5,
            "with a PMID, DOI or PMCID": 4,
            "list read from": "the saved page, which shows only the first 5",
        },
        {
            "review_pmid": "31000001",
            "references shown": 5,
            "the review has": "5",
            "complete": 5,
            "with a PMID, DOI or PMCID": 4,
            "list read from": "the PubMed record's full reference list",
        },
        {
            "review_pmid": "12230038",
            "references shown": 0,
            "the review has": "at least 0",
            "complete": 0,
            "with a PMID, DOI or PMCID": 0,
            "list read from": "the source has no reference list (a MEDLINE record carries none)",
        },
    ]
    assert [str(dtype) for dtype in frame.dtypes] == [
        "string",
        "Int64",
        "string",
        "Int64",
        "Int64",
        "string",
    ]


def test_one_review_and_its_counts_give_the_same_table() -> None:
    assert completeness_frame(JANSSEN).equals(completeness_frame([reference_counts(JANSSEN)]))


def test_extent_phrase_says_all_or_how_many_of_at_least_how_many() -> None:
    assert extent_phrase(reference_counts(RECORD)) == "all 5"
    assert extent_phrase(reference_counts(JANSSEN)) == "5 of at least 5"


def test_a_whole_list_is_counted_over_all_its_references() -> None:
    assert extent_sentence(RECORD) == (
        "over all 5 references of PMID 31000001 (the PubMed record's full reference list)"
    )


def test_a_partial_list_says_what_the_source_shows_and_that_counts_can_only_grow() -> None:
    assert extent_sentence(JANSSEN) == (
        "over 5 of at least 5 references of PMID 29037250: the saved page, which shows only "
        "the first 5; counts over the whole list can only be larger"
    )
    assert extent_sentence(MEDLINE) == (
        "over 0 of at least 0 references of PMID 12230038: the source has no reference list "
        "(a MEDLINE record carries none); counts over the whole list can only be larger"
    )


def test_several_reviews_sum_their_references_and_name_the_partial_lists() -> None:
    assert extent_sentence([JANSSEN, EREZ]) == (
        "over 10 references of 2 reviews; both lists are partial (PMID 29037250: 5 of at "
        "least 5; PMID 21387299: 5 of at least 5); counts over the whole lists can only be "
        "larger"
    )
    assert extent_sentence([RECORD, JANSSEN, RECORD]) == (
        "over 15 references of 3 reviews; 1 of the 3 lists is partial (PMID 29037250: 5 of at "
        "least 5); counts over the whole lists can only be larger"
    )
    assert extent_sentence([whole("1", 150), whole("2", 49)]) == (
        "over 199 references of 2 reviews, every list whole"
    )


def test_many_partial_lists_are_named_up_to_five_then_counted() -> None:
    counts = [partial(str(number), 5) for number in range(1, 8)] + [whole("8", 100)]
    assert extent_sentence(counts) == (
        "over 135 references of 8 reviews; 7 of the 8 lists are partial (PMID 1: 5 of at "
        "least 5; PMID 2: 5 of at least 5; PMID 3: 5 of at least 5; PMID 4: 5 of at least 5; "
        "PMID 5: 5 of at least 5; and 2 more); counts over the whole lists can only be larger"
    )
