"""A full text's citations and sections as tables, and how often each reference is cited."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import pytest

from reviewbook import citations_frame, references_frame, sections_frame
from reviewbook.model import Article, Body, Citation, Paragraph, Reference, Section
from reviewbook.sources.jats import parse_jats
from reviewbook.tables.fulltext import CITATION_COLUMNS, SECTION_COLUMNS
from tests.conftest import ROOT

FULLTEXT = (ROOT / ".." / "shared" / "fulltext").resolve()


@functools.cache
def real(name: str) -> Article:
    return parse_jats((FULLTEXT / f"{name}.nxml").read_bytes())


def cite(text: str, references: tuple[int, ...], place: str, start: int = 0) -> Citation:
    return Citation(
        text=text,
        references=references,
        sentence=f"Cells die [{text}].",
        place=place,
        start=start,
        end=start + len(text),
        line=4,
    )


REVIEW = Article(
    pmid="10000031",
    title="A made-up review with a body",
    references=(
        Reference(index=1, raw="One.", pmid="111", title="One"),
        Reference(index=2, raw="Two.", doi="10.1/two"),
        Reference(index=3, raw="Three."),
    ),
    body=Body(
        paragraphs=(Paragraph("Cells die [1].", (cite("1", (1,), "Body", 11),), line=2),),
        sections=(
            Section(
                title="Immune evasion",
                label="2",
                paragraphs=(
                    Paragraph("Cells die [1-2].", (cite("1-2", (1, 2), "Immune evasion", 11),)),
                    Paragraph("No citation here."),
                ),
                sections=(
                    Section(
                        title="Neutrophils",
                        label="2.1",
                        path=("Immune evasion", "Neutrophils"),
                        line=9,
                        paragraphs=(
                            Paragraph(
                                "Cells die [9].",
                                (cite("9", (), "Immune evasion › Neutrophils", 11),),
                            ),
                        ),
                    ),
                ),
                path=("Immune evasion",),
                line=5,
            ),
        ),
    ),
)
"""A body with text before its sections, a range, a citation naming nothing, a subsection."""


def test_citations_frame_has_one_row_per_citation_and_reference() -> None:
    frame = citations_frame(REVIEW)
    assert tuple(frame.columns) == tuple(CITATION_COLUMNS)
    assert frame[["number", "citation", "reference", "section"]].values.tolist() == [
        [1, "1", 1, "Body"],
        [2, "1-2", 1, "Immune evasion"],
        [2, "1-2", 2, "Immune evasion"],
        [3, "9", pd.NA, "Immune evasion › Neutrophils"],
    ]
    assert frame["pmid"].tolist() == ["111", "111", pd.NA, pd.NA]
    assert frame["doi"].tolist() == [pd.NA, pd.NA, "10.1/two", pd.NA]
    assert frame["sentence"].tolist()[1] == "Cells die [1-2]."
    assert set(frame["review_pmid"]) == {"10000031"}


def test_sections_frame_has_one_row_per_section_with_its_own_counts() -> None:
    frame = sections_frame(REVIEW)
    assert tuple(frame.columns) == tuple(SECTION_COLUMNS)
    counts = frame.drop(columns=["review_pmid"]).astype(object)
    assert counts.where(counts.notna(), None).values.tolist() == [
        [0, None, None, "Body", 1, 1, 1, 2],
        [1, "2", "Immune evasion", "Immune evasion", 2, 1, 2, 5],
        [2, "2.1", "Neutrophils", "Immune evasion › Neutrophils", 1, 1, 0, 9],
    ]


@pytest.mark.parametrize("frame_of", [citations_frame, sections_frame])
def test_an_article_without_a_body_gives_an_empty_frame_with_the_columns(
    frame_of: Callable[[Article], pd.DataFrame],
) -> None:
    empty = frame_of(Article(pmid="1", title="A page, no full text"))
    assert empty.empty
    assert empty.dtypes.equals(frame_of(REVIEW).dtypes)
    assert {str(dtype) for dtype in empty.dtypes} == {"string", "Int64"}


def test_references_frame_counts_citations_and_lists_where_in_order_first_cited() -> None:
    frame = references_frame(REVIEW)
    assert frame["times_cited"].tolist() == [2, 1, 0]
    assert frame["cited_in"].tolist() == ["Body; Immune evasion", "Immune evasion", pd.NA]
    without_body = references_frame(Article(pmid="1", title="x", references=REVIEW.references))
    assert without_body["times_cited"].isna().all()
    assert without_body["cited_in"].isna().all()


def test_a_real_review_tabulates_every_citation() -> None:
    article = real("PMC12578317")
    frame = citations_frame(article)
    # 292 citations; the 32 ranges inside one xref (11-15, 106–109...) span 91 numbers more
    assert frame["number"].max() == 292
    assert len(frame) == 292 + 91
    assert frame["reference"].notna().all()
    first_range = frame[frame["citation"] == "106–109"]
    assert first_range["reference"].tolist()[:4] == [106, 107, 108, 109]
    assert set(first_range["section"]) == {"Table 1"}
    sections = sections_frame(article)
    assert len(sections) == 22
    assert sections["citations"].sum() == 292 - 66  # those of tables are not in a section
    references = references_frame(article)
    assert references["times_cited"].sum() == len(frame)
    assert references.loc[105, "cited_in"] == (  # reference 106: running text comes first
        "Host immune modulation by fungi › Dectin-1 – a key fungal-sensing receptor in cancer "
        "immunity › Dectin-1 as an immunostimulatory agent; Table 1"
    )


def test_frames_of_several_reviews_stack() -> None:
    both = citations_frame([real("PMC3166277"), real("PMC2599765")])
    assert both["review_pmid"].unique().tolist() == ["21810267", "19079722"]
    assert sections_frame([real("PMC3166277"), real("PMC2599765")])["level"].min() == 0


@pytest.mark.parametrize("name", sorted(path.stem for path in FULLTEXT.glob("*.nxml")))
def test_every_citation_row_of_a_real_review_names_its_section_and_sentence(name: str) -> None:
    frame = citations_frame(real(name))
    assert len(frame) > 0
    for column in ("section", "sentence", "citation"):
        assert frame[column].notna().all(), column
        assert (frame[column].str.strip() != "").all(), column
    assert frame["reference"].notna().all()
    # the sentence carries the citation as printed
    assert all(row.citation in row.sentence for row in frame.itertuples())
