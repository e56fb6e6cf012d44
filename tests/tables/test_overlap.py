"""The papers several reviews both cite, however each printed them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from reviewbook import Reference, parse_citation, references_frame
from reviewbook.tables.overlap import most_cocited, overlap_matrix, shared_references
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([JANSSEN, EREZ])


def test_chambers_2002_is_the_paper_both_seeds_cite(both: pd.DataFrame) -> None:
    shared = shared_references(both)
    assert shared.to_dict("records") == [
        {
            "title": "Dissemination and growth of cancer cells in metastatic sites",
            "first_author": "Chambers AF",
            "year": 2002,
            "journal": "Nat Rev Cancer",
            "matched_by": "source; title",
            "index in 29037250": 5,
            "index in 21387299": 3,
        }
    ]


def test_references_match_through_a_chain_of_keys() -> None:
    """A printing with only a DOI matches one with DOI and source, which matches one with source."""
    by_doi = parse_citation("Cell growth. doi: 10.1000/xyz. - DOI", index=1)
    with_both = parse_citation("A B. Cell growth. Cell. 2001;5:10-2. doi: 10.1000/XYZ.", index=1)
    by_source = parse_citation("A B. Growth of cells. Cell. 2001;5:10-12.", index=1)
    frame = pd.concat(
        [
            references_frame(replace(JANSSEN, pmid=pmid, references=(reference,)))
            for pmid, reference in (("1", by_doi), ("2", with_both), ("3", by_source))
        ],
        ignore_index=True,
    )
    shared = shared_references(frame)
    assert shared[["matched_by", "index in 1", "index in 2", "index in 3"]].to_dict("records") == [
        {"matched_by": "doi; source", "index in 1": 1, "index in 2": 1, "index in 3": 1}
    ]


def test_no_shared_references_gives_an_empty_table_with_columns() -> None:
    frame = references_frame([JANSSEN, replace(EREZ, references=(Reference(index=1, raw="x"),))])
    shared = shared_references(frame)
    assert shared.empty
    assert list(shared.columns)[-2:] == ["index in 29037250", "index in 21387299"]


# --- over any number of reviews -----------------------------------------------------------------


def _review(pmid: str, *citations: str) -> object:
    references = tuple(
        parse_citation(citation, index=number) for number, citation in enumerate(citations, 1)
    )
    return replace(JANSSEN, pmid=pmid, references=references)


CHAMBERS = (
    "Chambers AF, Groom AC, MacDonald IC. Dissemination and growth of cancer cells in "
    "metastatic sites. Nat Rev Cancer. 2002;2(8):563-72."
)
HANAHAN = (
    "Hanahan D, Weinberg RA. Hallmarks of cancer: the next generation. Cell. 2011;144(5):646-74."
)
PANTEL = (
    "Pantel K, Brakenhoff RH. Dissecting the metastatic cascade. Nat Rev Cancer. 2004;4(6):448-56."
)


@pytest.fixture(scope="module")
def three() -> pd.DataFrame:
    return references_frame(
        [
            _review("1", CHAMBERS, HANAHAN, PANTEL),
            _review("2", HANAHAN, CHAMBERS),
            _review("3", HANAHAN, HANAHAN),  # one paper printed twice counts once
        ]
    )


def test_overlap_matrix_counts_the_papers_each_pair_of_reviews_share(three: pd.DataFrame) -> None:
    matrix = overlap_matrix(three)
    assert matrix.to_dict("index") == {
        "1": {"1": 3, "2": 2, "3": 1},
        "2": {"1": 2, "2": 2, "3": 1},
        "3": {"1": 1, "2": 1, "3": 1},
    }
    assert (list(matrix.index), str(matrix.dtypes.iloc[0])) == (["1", "2", "3"], "Int64")


def test_overlap_matrix_of_the_seeds(both: pd.DataFrame) -> None:
    assert overlap_matrix(both).to_dict("index") == {
        "29037250": {"29037250": 5, "21387299": 1},
        "21387299": {"29037250": 1, "21387299": 5},
    }


def test_most_cocited_ranks_papers_by_the_reviews_citing_them(three: pd.DataFrame) -> None:
    ranked = most_cocited(three)
    assert ranked[["title", "first_author", "year", "n_reviews", "reviews"]].to_dict("records") == [
        {
            "title": "Hallmarks of cancer: the next generation",
            "first_author": "Hanahan D",
            "year": 2011,
            "n_reviews": 3,
            "reviews": "1; 2; 3",
        },
        {
            "title": "Dissemination and growth of cancer cells in metastatic sites",
            "first_author": "Chambers AF",
            "year": 2002,
            "n_reviews": 2,
            "reviews": "1; 2",
        },
    ]
    assert list(most_cocited(three, top=1)["n_reviews"]) == [3]
