"""`references_frame` and `articles_frame`: column order, nullable dtypes, flattened values."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pandas as pd
import pytest

from reviewbook.errors import Problem
from reviewbook.model import Article, Figure, Reference
from reviewbook.tables.frames import (
    ARTICLE_COLUMNS,
    REFERENCE_COLUMNS,
    articles_frame,
    references_frame,
)
from reviewbook.text import JOINED_SEPARATOR
from tests.conftest import expected_article

HANAHAN = replace(expected_article("29037250").references[1], index=1)
BARE = Reference(
    index=2,
    raw="Something unreadable - PMC",
    links=frozenset({"PMC"}),
    kind="unknown",
    warnings=(
        Problem(None, "citation", "no source found; kept raw"),
        Problem(None, "citation", "no authors"),
    ),
)
REVIEW = Article(
    pmid="29037250",
    title="The immune system in cancer metastasis: friend or foe?",
    article_types=("Review", "Research Support, Non-U.S. Gov't"),
    journal="J Immunother Cancer",
    pub_date="2017 Oct 17",
    year=2017,
    volume="5",
    issue="1",
    pages="79",
    first_page="79",
    doi="10.1186/s40425-017-0283-9",
    authors_display="Louise M E Janssen et al.",
    first_author="Louise M E Janssen",
    abstract="Metastatic disease is the leading cause of death.",
    keywords=("metastasis", "immune system"),
    figures=(Figure(label="Fig. 1", title="Cascade", caption="Steps."),),
    references=(HANAHAN, BARE),
    warnings=(Problem(40, "header", "odd line"),),
    source_path="data/pubmed/29037250.txt",
    sha256="0864564514744819f3e3a6483180a8a12ed1ca82ad180a10de3b017424e11ec2",
)
OTHER = Article(
    pmid="21387299",
    title="Leukocytes as paracrine regulators of metastasis",
    references=(
        Reference(index=1, raw="Folkman J. Cancer. Nature. 2004;427:787.", authors=("Folkman J",)),
    ),
)


def _split(cell: object) -> tuple[str, ...]:
    """The inverse of the frames' joining: missing means empty."""
    return () if pd.isna(cell) else tuple(str(cell).split(JOINED_SEPARATOR))


# --- references_frame -----------------------------------------------------------------------


def test_reference_columns_are_review_pmid_every_reference_field_then_citing_columns() -> None:
    expected = (
        "review_pmid",
        *(field.name for field in dataclasses.fields(Reference)),
        "times_cited",
        "cited_in",
    )
    assert expected == REFERENCE_COLUMNS
    assert tuple(references_frame(REVIEW).columns) == expected
    assert REFERENCE_COLUMNS[:4] == ("review_pmid", "index", "raw", "authors")


def test_reference_dtypes_are_nullable_int64_for_numbers_and_string_for_text() -> None:
    dtypes = references_frame(REVIEW).dtypes
    integer_columns = {"index", "year", "times_cited"}
    for column in REFERENCE_COLUMNS:
        expected = "Int64" if column in integer_columns else "string"
        assert str(dtypes[column]) == expected, column
        if column not in integer_columns:
            assert dtypes[column] == pd.StringDtype()


def test_reference_row_holds_the_fields_with_collections_joined() -> None:
    row = references_frame(REVIEW).iloc[0]
    assert row["review_pmid"] == "29037250"
    assert row["index"] == 1
    assert row["authors"] == "Hanahan D; Weinberg RA"
    assert row["title"] == "Hallmarks of cancer: the next generation"
    assert row["journal"] == "Cell"
    assert row["year"] == 2011
    assert (row["volume"], row["issue"], row["first_page"], row["last_page"]) == (
        "144",
        "5",
        "646",
        "674",
    )
    assert row["doi"] == "10.1016/j.cell.2011.02.013"
    assert row["links"] == "DOI; PubMed"
    assert row["kind"] == "article-journal"
    assert pd.isna(row["pmid"])
    assert pd.isna(row["warnings"])
    assert pd.isna(row["times_cited"])  # no full text: not known, rather than 0
    assert pd.isna(row["cited_in"])


def test_reference_authors_split_back_into_the_tuple() -> None:
    frame = references_frame([REVIEW, OTHER])
    rebuilt = [_split(cell) for cell in frame["authors"]]
    assert rebuilt == [HANAHAN.authors, BARE.authors, ("Folkman J",)]


def test_reference_missing_values_are_na_and_warnings_join_with_newlines() -> None:
    row = references_frame(REVIEW).iloc[1]
    assert pd.isna(row["authors"])
    assert pd.isna(row["year"])
    assert pd.isna(row["title"])
    assert row["links"] == "PMC"
    assert row["kind"] == "unknown"
    assert row["warnings"] == "no source found; kept raw\nno authors"
    assert tuple(row["warnings"].split("\n")) == tuple(map(str, BARE.warnings))


def test_references_of_several_articles_carry_their_review_pmid() -> None:
    frame = references_frame([REVIEW, OTHER])
    assert frame["review_pmid"].tolist() == ["29037250", "29037250", "21387299"]
    assert frame["index"].tolist() == [1, 2, 1]
    assert list(frame.index) == [0, 1, 2]


def test_references_frame_accepts_one_article_or_any_iterable() -> None:
    one = references_frame(REVIEW)
    pd.testing.assert_frame_equal(one, references_frame([REVIEW]))
    pd.testing.assert_frame_equal(one, references_frame(iter([REVIEW])))


@pytest.mark.parametrize("articles", [[], [Article(pmid="1", title="No references")]])
def test_references_frame_without_references_is_empty_with_columns_and_dtypes(
    articles: list[Article],
) -> None:
    frame = references_frame(articles)
    assert frame.empty
    assert tuple(frame.columns) == REFERENCE_COLUMNS
    pd.testing.assert_series_equal(frame.dtypes, references_frame(REVIEW).dtypes)


# --- articles_frame -------------------------------------------------------------------------


def test_article_columns_are_in_the_documented_order() -> None:
    assert tuple(articles_frame(REVIEW).columns) == ARTICLE_COLUMNS
    assert ARTICLE_COLUMNS == (
        "pmid",
        "title",
        "first_author",
        "authors_display",
        "journal",
        "pub_date",
        "year",
        "volume",
        "issue",
        "pages",
        "first_page",
        "last_page",
        "doi",
        "epub_date",
        "pmcid",
        "article_types",
        "keywords",
        "n_references",
        "n_figures",
        "n_warnings",
        "pubmed_url",
        "doi_url",
        "source_path",
        "sha256",
        "abstract",
    )


def test_article_dtypes_are_int64_for_year_and_counts_and_string_otherwise() -> None:
    dtypes = articles_frame(REVIEW).dtypes
    integer_columns = {"year", "n_references", "n_figures", "n_warnings"}
    assert {column for column in ARTICLE_COLUMNS if str(dtypes[column]) == "Int64"} == (
        integer_columns
    )
    assert {str(dtypes[column]) for column in ARTICLE_COLUMNS} - {"Int64"} == {"string"}


def test_article_row_holds_fields_counts_and_addresses() -> None:
    row = articles_frame(REVIEW).iloc[0]
    assert row["pmid"] == "29037250"
    assert row["first_author"] == "Louise M E Janssen"
    assert row["authors_display"] == "Louise M E Janssen et al."
    assert row["journal"] == "J Immunother Cancer"
    assert row["pub_date"] == "2017 Oct 17"
    assert row["year"] == 2017
    assert row["pages"] == "79"
    assert pd.isna(row["last_page"])
    assert pd.isna(row["epub_date"])
    assert row["article_types"] == "Review; Research Support, Non-U.S. Gov't"
    assert row["keywords"] == "metastasis; immune system"
    assert (row["n_references"], row["n_figures"], row["n_warnings"]) == (2, 1, 1)
    assert row["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/29037250/"
    assert row["doi_url"] == "https://doi.org/10.1186/s40425-017-0283-9"
    assert row["source_path"] == "data/pubmed/29037250.txt"
    assert row["sha256"] == REVIEW.sha256
    assert row["abstract"] == "Metastatic disease is the leading cause of death."


def test_article_without_optional_fields_has_na_and_zero_counts() -> None:
    row = articles_frame(Article(pmid=None, title="Untitled")).iloc[0]
    assert row["title"] == "Untitled"
    for column in ("pmid", "year", "doi", "article_types", "keywords", "pubmed_url", "doi_url"):
        assert pd.isna(row[column]), column
    assert (row["n_references"], row["n_figures"], row["n_warnings"]) == (0, 0, 0)


def test_articles_frame_has_one_row_per_article_in_order() -> None:
    frame = articles_frame([REVIEW, OTHER])
    assert frame["pmid"].tolist() == ["29037250", "21387299"]
    assert frame["n_references"].tolist() == [2, 1]


def test_articles_frame_of_nothing_is_empty_with_columns_and_dtypes() -> None:
    frame = articles_frame([])
    assert frame.empty
    assert tuple(frame.columns) == ARTICLE_COLUMNS
    pd.testing.assert_series_equal(frame.dtypes, articles_frame(REVIEW).dtypes)
