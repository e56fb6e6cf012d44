"""The papers several reviews both cite, however each printed them."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewbook import Article, Reference, parse_citation, read_article, references_frame
from reviewbook.identity import paper_keys, same_paper
from reviewbook.tables.overlap import (
    cited_where,
    cocited_printings,
    most_cocited,
    overlap_matrix,
    paper_groups,
    shared_references,
)
from tests.conftest import expected_article
from tests.sources.test_jats import FULLTEXT

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


def test_a_frame_changed_in_place_is_numbered_again(three: pd.DataFrame) -> None:
    """Papers are numbered once per frame content: a question asked twice of the same rows
    reuses the numbering, and a change to the rows is seen."""
    frame = three.copy()
    first = paper_groups(frame)
    assert paper_groups(frame.copy()) is first
    frame.loc[frame["review_pmid"] == "3", "review_pmid"] = "2"
    assert paper_groups(frame) is not first
    assert list(overlap_matrix(frame).index) == ["1", "2"]
    assert overlap_matrix(three).loc["3", "3"] == 1


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


def test_cocited_printings_are_each_reviews_printing_of_the_top_papers(three: pd.DataFrame) -> None:
    printings = cocited_printings(three, top=2)
    assert printings[["rank", "review_pmid", "index"]].to_dict("records") == [
        {"rank": 1, "review_pmid": "1", "index": 2},
        {"rank": 1, "review_pmid": "2", "index": 1},
        {"rank": 1, "review_pmid": "3", "index": 1},
        {"rank": 1, "review_pmid": "3", "index": 2},
        {"rank": 2, "review_pmid": "1", "index": 1},
        {"rank": 2, "review_pmid": "2", "index": 2},
    ]
    assert printings["raw"].iloc[-1] == CHAMBERS


def test_the_seeds_printings_of_chambers_2002(both: pd.DataFrame) -> None:
    printings = cocited_printings(both)
    assert printings[["rank", "review_pmid", "index"]].to_dict("records") == [
        {"rank": 1, "review_pmid": "29037250", "index": 5},
        {"rank": 1, "review_pmid": "21387299", "index": 3},
    ]


# --- the grouping agrees with the one identity rule ---------------------------------------------

IDENTITY_ROW = st.fixed_dictionaries(
    {
        "review_pmid": st.sampled_from(["1", "2", "3", "4"]),
        "doi": st.sampled_from([None, "10.1/a", "10.1/A", "10.1/b"]),
        "pmid": st.sampled_from([None, "11", "12"]),
        "journal_key": st.sampled_from([None, "cell"]),
        "year": st.sampled_from([None, 2001, 2002]),
        "volume": st.sampled_from([None, "5"]),
        "first_page": st.sampled_from([None, "10", "12"]),
        "title": st.sampled_from([None, "Cell growth", "cell  growth!", "Other"]),
    }
)


def _closure_groups(rows: list[dict[str, object]]) -> set[frozenset[int]]:
    """The rows' papers by brute force: every pair `same_paper` asks about, closed over chains."""
    groups = [{number} for number in range(len(rows))]
    for first, second in combinations(range(len(rows)), 2):
        if same_paper(rows[first], rows[second]):
            one = next(group for group in groups if first in group)
            other = next(group for group in groups if second in group)
            if one is not other:
                one |= other
                groups.remove(other)
    return {frozenset(group) for group in groups}


@settings(max_examples=150, deadline=None)
@given(st.lists(IDENTITY_ROW, min_size=1, max_size=12))
def test_papers_are_the_rows_same_paper_links_directly_or_through_others(
    rows: list[dict[str, object]],
) -> None:
    frame = pd.DataFrame(rows).astype({"year": "Int64"})
    frame["index"] = range(1, len(rows) + 1)
    frame["authors"] = "A B"
    groups = paper_groups(frame)
    found: dict[int, set[int]] = {}
    for position, paper in enumerate(groups.paper):
        found.setdefault(int(paper), set()).add(position)
    assert {frozenset(group) for group in found.values()} == _closure_groups(rows)
    keys = [paper_keys(row) for row in rows]
    for paper, members in found.items():
        printed = [key for position in members for key in keys[position]]
        shared = {kind for kind, key in printed if printed.count((kind, key)) >= 2}
        assert groups.linked_by[paper] == shared
    matrix = overlap_matrix(frame)
    for first in matrix.index:
        for second in matrix.columns:
            papers = {
                int(paper)
                for paper, pmid in zip(groups.paper, frame["review_pmid"], strict=True)
                if pmid == first
            } & {
                int(paper)
                for paper, pmid in zip(groups.paper, frame["review_pmid"], strict=True)
                if pmid == second
            }
            assert matrix.at[first, second] == len(papers)


def test_cited_where_gives_each_reviews_places_for_a_shared_paper() -> None:
    """With a full text, where the review cites a paper it shares; without one, nothing."""
    full_text = read_article(FULLTEXT / "PMC12599256.nxml")
    cheng = full_text.references[38]
    other = Article(pmid="2", title="Another review", references=(cheng,))
    where = cited_where(references_frame([full_text, other]))
    assert list(where.columns) == [
        "title",
        "first_author",
        "year",
        "cited in 41032705",
        "cited in 2",
    ]
    [row] = where.to_dict("records")
    assert row["first_author"] == "Cheng B" and row["year"] == 2020
    assert row["cited in 41032705"] == "Overcoming tumor immune suppression › PD-L1-PROTACs"
    assert pd.isna(row["cited in 2"])
    # Read without their full texts, the reviews place no paper.
    page_only = replace(
        full_text,
        body=None,
        references=tuple(replace(reference, source="xml") for reference in full_text.references),
    )
    assert cited_where(references_frame([page_only, other])).empty
