"""What the notebooks show: cards, sentence tables, shared references, counts per journal/year."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from reviewbook import Reference, parse_citation, references_frame
from reviewbook.notebook.cards import (
    bibliographic_card,
    reviews_table,
    sections_html,
    sentences_frame,
)
from reviewbook.notebook.charts import journal_counts, year_counts
from reviewbook.tables.overlap import shared_references
from reviewbook.workbook.reviews import load_review, load_reviews, read_manifest

from .test_page_seeds import EREZ, JANSSEN


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([JANSSEN, EREZ])


def test_manifest_and_reviews_load_in_manifest_order() -> None:
    assert [entry.pmid for entry in read_manifest()] == ["29037250", "21387299"]
    assert [review.title for review in load_reviews()] == [JANSSEN.title, EREZ.title]
    assert load_review("21387299").references == EREZ.references


def test_bibliographic_card_escapes_page_text_and_links_identifiers() -> None:
    hostile = replace(JANSSEN, title="<script>alert(1)</script>", authors_display="A & B")
    card = bibliographic_card(hostile)
    assert "<script>" not in card._repr_html_()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card._repr_html_()
    assert "A &amp; B" in card._repr_html_()
    assert '<a href="https://doi.org/10.1186/s40425-017-0283-9"' in card._repr_html_()
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/29037250/"' in card._repr_html_()
    assert repr(card) == "Louise M E Janssen (2017) <script>alert(1)</script>"


def test_reviews_table_lists_each_review_with_links() -> None:
    table = reviews_table([JANSSEN, EREZ])
    assert repr(table) == "2 reviews"
    assert table._repr_html_().count("<tr>") == 3
    assert "PubMed 21387299" in table._repr_html_()


def test_sentences_frame_numbers_sentences_from_one() -> None:
    frame = sentences_frame(EREZ.abstract)
    assert list(frame.index) == [1, 2, 3]
    assert frame.loc[3, "sentence"].startswith("This review focuses")


def test_sections_html_shows_paragraphs_or_says_absent() -> None:
    declarations = sections_html(JANSSEN, "Conflict of interest statement")
    assert repr(declarations) == "Conflict of interest statement: 10 paragraphs"
    assert "<p>Authors’ information</p>" in declarations._repr_html_()
    assert "<em>absent</em>" in sections_html(EREZ, "Conflict of interest statement")._repr_html_()


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


def test_year_and_journal_counts_side_by_side(both: pd.DataFrame) -> None:
    years = year_counts(both)
    assert list(years.columns) == ["29037250", "21387299"]
    assert years.to_dict("index") == {
        2002: {"29037250": 1, "21387299": 2},
        2004: {"29037250": 1, "21387299": 1},
        2005: {"29037250": 1, "21387299": 0},
        2009: {"29037250": 0, "21387299": 2},
        2011: {"29037250": 2, "21387299": 0},
    }
    journals = journal_counts(both)
    assert list(journals.index) == ["Nat Rev Cancer", "Nature", "Cell", "Mutat Res"]
    assert journals.loc["Nat Rev Cancer"].tolist() == [3, 3]
