"""Anchoring quotes in a review's text parts, as a W3C TextQuoteSelector would."""

from __future__ import annotations

import pytest

from reviewbook.annotations.anchoring import (
    AmbiguousQuoteError,
    Anchor,
    Quote,
    QuoteNotFoundError,
    locate_quote,
    text_parts,
)
from reviewbook.model import Article, Figure
from tests.annotations.conftest import EREZ, JANSSEN


def test_text_parts_name_title_abstract_figures_and_sections() -> None:
    assert list(text_parts(EREZ)) == ["title", "abstract", "figure:Figure"]
    assert text_parts(EREZ)["figure:Figure"].startswith(
        "Immune signaling in tumor microenvironments facilitates all stages of tumorigenesis\n"
        "Soluble mediators"
    )


def test_repeated_section_headings_get_numbered() -> None:
    article = Article(pmid="1", title="T", sections=(("Notes", "a"), ("Notes", "b"), ("Empty", "")))
    assert text_parts(article) == {"title": "T", "section:Notes": "a", "section:Notes (2)": "b"}


def test_figure_title_without_caption_is_its_own_part() -> None:
    article = Article(pmid="1", title="T", figures=(Figure("Fig. 1", "Cascade", ""),))
    assert text_parts(article)["figure:Fig. 1"] == "Cascade"


def test_prefix_and_suffix_pick_one_of_several_occurrences() -> None:
    with pytest.raises(AmbiguousQuoteError) as raised:
        locate_quote(JANSSEN, Quote("the primary tumor"))
    assert len(raised.value.anchors) == 2
    first = locate_quote(JANSSEN, Quote("the primary tumor", suffix=" induces"))
    second = locate_quote(JANSSEN, Quote("the primary tumor", prefix="destroy "))
    assert first.location == second.location == "abstract"
    assert JANSSEN.abstract[first.start : first.end] == "the primary tumor"
    assert first.start < second.start


def test_quote_in_a_figure_caption_anchors_to_the_figure() -> None:
    anchor = locate_quote(EREZ, Quote("activation of osteoclasts in bone"))
    assert anchor == Anchor("figure:Figure", 775, 808)
    assert text_parts(EREZ)["figure:Figure"][775:808] == "activation of osteoclasts in bone"
    with pytest.raises(QuoteNotFoundError):
        locate_quote(EREZ, Quote("activation of osteoclasts in lung"))


@pytest.mark.parametrize(
    "name",
    ["PMC12311175", "PMC12497837", "PMC12561478", "PMC12578317", "PMC12599256", "PMC3166277"],
)
def test_every_citing_sentence_of_a_full_text_is_in_a_part_a_claim_may_quote(name: str) -> None:
    """Running text before the first heading (``section:Body``), table rows (cells joined by
    `` | ``, as a citation's sentence joins them), footnotes and box tables are parts too."""
    from reviewbook import citations_frame, read_article
    from tests.sources.test_jats import FULLTEXT

    article = read_article(FULLTEXT / f"{name}.nxml")
    parts = text_parts(article)
    sentences = set(citations_frame(article)["sentence"])
    assert sentences
    assert [s for s in sentences if not any(s in text for text in parts.values())] == []
