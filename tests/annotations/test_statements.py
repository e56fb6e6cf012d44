"""From a suggested statement to a claim (``reviewbook.annotations.statements``): the quote is
the sentence where it stands, made unique only when it must be; the statement is the reader's.
"""

from __future__ import annotations

import dataclasses

import pytest

from reviewbook.annotations.anchoring import Quote, find_quote
from reviewbook.annotations.model import StatementDecision
from reviewbook.annotations.statements import (
    StatementNotQuotable,
    claim_from_statement,
    new_claim_id,
    own_words_problem,
    statement_decision,
    statement_quote,
)
from reviewbook.model import Body, Paragraph, Section
from tests.annotations.statement_frames import (
    CD8,
    COX,
    IMMUNE,
    PGE2,
    RECRUITERS,
    protac_review,
    protac_statements,
    statement,
)

ARTICLE = protac_review()


def test_a_statement_becomes_a_claim_quoting_its_sentence_with_its_terms_and_no_statement() -> None:
    row = protac_statements().iloc[0]
    claim = claim_from_statement(row, ARTICLE, existing_ids=["concomitant"])
    assert claim.id == "regulatory-t-cell-pge2-was-found-to"
    assert claim.statement == ""  # the reader writes it
    assert claim.quote == Quote(PGE2)
    assert claim.location == f"section:{COX}"
    assert claim.cells == ("regulatory T cell",)
    assert claim.steps == ("primary tumour growth and invasion",)
    assert claim.role == "promotes"
    assert claim.refs == (53, 14)


def test_a_missing_role_becomes_none_and_a_figure_caption_is_the_location() -> None:
    frame = protac_statements()
    cd8 = claim_from_statement(frame.iloc[3], ARTICLE, ())
    assert (cd8.quote, cd8.location, cd8.role, cd8.steps) == (
        Quote(CD8),
        f"section:{IMMUNE}",
        None,
        (),
    )
    recruiters = claim_from_statement(frame.iloc[4], ARTICLE, ())
    assert (recruiters.location, recruiters.refs) == ("figure:Figure 1", (23, 24, 25))
    assert recruiters.quote == Quote(RECRUITERS)


def test_a_sentence_found_more_than_once_gets_the_shortest_prefix_in_its_own_section() -> None:
    # "Jensen et al. [20]" stands twice in the section and once in Figure 1's caption.
    assert len(find_quote(ARTICLE, Quote("Jensen et al. [20]"))) == 3
    quote, location = statement_quote(ARTICLE, "Jensen et al. [20]", IMMUNE)
    assert (quote, location) == (Quote("Jensen et al. [20]", "question, "), f"section:{IMMUNE}")
    assert len(find_quote(ARTICLE, quote)) == 1
    in_figure, where = statement_quote(ARTICLE, "Jensen et al. [20]", "Figure 1")
    assert (in_figure, where) == (Quote("Jensen et al. [20]", "(A) "), "figure:Figure 1")


def test_a_suffix_is_added_when_no_prefix_tells_the_places_apart() -> None:
    twice = "Cells die. Cells die. Cells live."
    body = Body(sections=(Section("Results", paragraphs=(Paragraph(twice),), path=("Results",)),))
    article = dataclasses.replace(ARTICLE, body=body, figures=(), abstract="")
    quote, location = statement_quote(article, "Cells die.", "Results")
    # " Cells" follows both; " Cells die." only the first
    assert (quote, location) == (Quote("Cells die.", "", " Cells die."), "section:Results")


def test_a_sentence_in_no_quotable_part_cannot_become_a_claim() -> None:
    row = statement("miR-21 | Oncogenic | [12]", "Table 1", "macrophage")
    with pytest.raises(StatementNotQuotable, match="'Table 1', is not one of them"):
        claim_from_statement(row, ARTICLE, ())


def test_a_new_claim_id_is_numbered_when_taken() -> None:
    taken = {"cd8-t-cell-once-activated-cd8-t", "cd8-t-cell-once-activated-cd8-t-2"}
    assert new_claim_id("CD8+ T cell", CD8, taken) == "cd8-t-cell-once-activated-cd8-t-3"
    assert new_claim_id("NK cell", "Über γδ-T-Zellen", ()) == "nk-cell-uber-gd-t-zellen"
    assert new_claim_id("", "", ()) == "statement"


def test_the_statement_must_be_written_and_not_be_the_sentence() -> None:
    assert own_words_problem("", PGE2) == "write the claim's statement in your own words first"
    assert own_words_problem("  \n", PGE2) == (
        "write the claim's statement in your own words first"
    )
    copied = "  " + PGE2.upper().replace(" AND ", "\n and ")  # case and spacing aside
    assert own_words_problem(copied, PGE2) == (
        "the statement copies the sentence: write the claim's statement in your own words"
    )
    assert own_words_problem("PGE2 favours suppressive cells.", PGE2) is None


def test_a_decision_names_the_sentence_and_cell_and_the_claim_if_accepted() -> None:
    row = protac_statements().iloc[1]
    assert statement_decision(row) == StatementDecision(PGE2, "macrophage", "rejected")
    assert statement_decision(row, "m2") == StatementDecision(PGE2, "macrophage", "accepted", "m2")
    assert statement_decision(row).key == (PGE2, "macrophage")
