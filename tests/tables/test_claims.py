"""Claims as tables: per sentence, behind a matrix entry, coverage per term, tags on references."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbook import references_frame
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim, ReferenceNote, StatementDecision
from reviewbook.tables.claims import (
    anchored_claims,
    claims_behind,
    claims_by_sentence,
    coverage,
    evidence_matrix,
    matrix_axes,
    named_evidence,
    named_suggestions,
    open_statements,
    statements_by_cell,
    with_tags,
)
from tests.annotations.statement_frames import (
    CD8,
    PGE2,
    PROTAC_PMID,
    RECRUITERS,
    STATEMENT_COLUMNS,
    protac_review,
    protac_statements,
    statement,
    statements_of,
)
from tests.conftest import expected_article

EREZ = expected_article("21387299")
HOST = Claim(
    "host",
    "Host cells shape every step.",
    Quote("tumor cell-host interactions"),
    "abstract",
    ("leukocyte",),
    ("primary tumour growth and invasion", "dormancy"),
    "context-dependent",
)
LEUKOCYTES = Claim(
    "leukocytes",
    "Leukocytes regulate metastasis.",
    Quote("a critical role for leukocytes"),
    "abstract",
    ("leukocyte", "macrophage"),
    ("dormancy",),
)
NO_TERMS = Claim("title", "The title.", Quote("Leukocytes as paracrine"), "title")
NOTES = Annotations(
    pmid="21387299",
    claims=(LEUKOCYTES, HOST, NO_TERMS),
    references=(ReferenceNote(2, "Why cited.", ("niche", "review")),),
)
OTHER = Annotations(
    pmid="29037250",
    claims=(Claim("m", "M.", Quote("x"), "abstract", ("macrophage",), ("dormancy",), "promotes"),),
)


def test_anchored_claims_are_in_text_order_with_their_spans() -> None:
    spans = anchored_claims(EREZ, NOTES, "abstract")
    assert [claim.id for claim, _, _ in spans] == ["host", "leukocytes"]
    for claim, start, end in spans:
        assert EREZ.abstract[start:end] == claim.quote.exact
    assert [claim.id for claim, _, _ in anchored_claims(EREZ, NOTES, "title")] == ["title"]


def test_claims_by_sentence_lists_quotes_and_terms_joined() -> None:
    frame = claims_by_sentence(EREZ, NOTES, "abstract")
    assert frame.to_dict("records") == [
        {
            "quote": "tumor cell-host interactions",
            "steps": "primary tumour growth and invasion; dormancy",
            "cells": "leukocyte",
            "role": "context-dependent",
            "claim": "Host cells shape every step.",
        },
        {
            "quote": "a critical role for leukocytes",
            "steps": "dormancy",
            "cells": "leukocyte; macrophage",
            "role": "",
            "claim": "Leukocytes regulate metastasis.",
        },
    ]
    assert set(frame.dtypes) == {pd.StringDtype()}
    empty = claims_by_sentence(EREZ, NOTES, "figure:Fig. 9")
    assert empty.empty
    assert list(empty.columns) == ["quote", "steps", "cells", "role", "claim"]


def test_claims_behind_one_entry_of_the_matrix() -> None:
    behind = claims_behind([NOTES, OTHER], "macrophage", "dormancy")
    assert behind.to_dict("records") == [
        {
            "review_pmid": "21387299",
            "id": "leukocytes",
            "statement": "Leukocytes regulate metastasis.",
            "exact": "a critical role for leukocytes",
            "role": None,
        },
        {
            "review_pmid": "29037250",
            "id": "m",
            "statement": "M.",
            "exact": "x",
            "role": "promotes",
        },
    ]
    assert claims_behind([NOTES], "platelet", "dormancy").empty


def test_coverage_counts_claims_per_term_and_review_in_vocabulary_order() -> None:
    cells = coverage([NOTES, OTHER], "cell")
    assert cells.to_dict("index") == {
        "leukocyte": {"21387299": 2, "29037250": 0},
        "macrophage": {"21387299": 1, "29037250": 1},
    }
    assert (cells.index.name, cells.columns.name) == ("cell", "review_pmid")
    steps = coverage([NOTES], "step")
    assert steps.to_dict("index") == {
        "primary tumour growth and invasion": {"21387299": 1},
        "dormancy": {"21387299": 2},
    }


def test_matrix_axes_are_named_cells_and_every_step() -> None:
    cells, steps = matrix_axes(named_evidence([NOTES, OTHER]))
    assert cells == ["leukocyte", "macrophage"]
    assert steps[0] == "primary tumour growth and invasion"
    assert len(steps) == 7


def test_with_tags_adds_notes_and_tags_keeping_rows_and_index() -> None:
    references = references_frame(EREZ).iloc[1:4]
    tagged = with_tags(references, [NOTES])
    assert list(tagged.index) == [1, 2, 3]
    assert list(tagged.columns) == [*references.columns, "note", "tags"]
    assert tagged.loc[1, "tags"] == "niche; review"
    assert tagged.loc[1, "note"] == "Why cited."
    assert tagged[["note", "tags"]].iloc[1:].isna().all().all()


# --- suggested statements beside our claims ----------------------------------------------------

PROTAC_NOTES = Annotations(
    pmid=PROTAC_PMID,
    claims=(
        Claim(
            "cd8-killing",
            "Activated CD8+ T cells kill tumour cells.",
            Quote(CD8),
            "section:Increased and guided immune responses",
            ("CD8+ T cell",),
            ("primary tumour growth and invasion",),
            "inhibits",
        ),
    ),
    statements=(
        StatementDecision(CD8, "CD8+ T cell", "accepted", "cd8-killing"),
        StatementDecision(PGE2, "macrophage", "rejected"),
    ),
)
"""Our notes on PMID 41032705: one statement accepted as a claim, one rejected."""


def test_open_statements_leaves_out_those_accepted_or_rejected_in_their_review() -> None:
    frame = protac_statements()
    open_rows = open_statements(frame, PROTAC_NOTES)
    assert list(zip(open_rows["sentence"], open_rows["cell"], strict=True)) == [
        (PGE2, "regulatory T cell"),
        (PGE2, "CD8+ T cell"),
        (RECRUITERS, "leukocyte"),
    ]
    assert list(open_rows.index) == [0, 1, 2]
    assert open_rows.dtypes.to_dict() == frame.dtypes.to_dict()
    # a decision binds its own review only
    other = statements_of(statement(PGE2, "COX-1/2 PROTACs", "macrophage", review_pmid="1"))
    assert len(open_statements(other, PROTAC_NOTES)) == 1
    assert open_statements(frame.iloc[0:0], PROTAC_NOTES).empty


def test_named_suggestions_has_a_row_per_statement_and_step_it_names() -> None:
    frame = statements_of(
        statement(PGE2, "s", "macrophage", ("intravasation", "dormancy"), "promotes"),
        statement(CD8, "s", "CD8+ T cell"),  # no step: no row
    )
    assert named_suggestions(frame).to_dict("records") == [
        {
            "review_pmid": PROTAC_PMID,
            "sentence": PGE2,
            "cell": "macrophage",
            "step": "intravasation",
            "role": "promotes",
        },
        {
            "review_pmid": PROTAC_PMID,
            "sentence": PGE2,
            "cell": "macrophage",
            "step": "dormancy",
            "role": "promotes",
        },
    ]


def test_statements_by_cell_counts_steps_and_roles_per_cell_type() -> None:
    frame = statements_of(
        statement(PGE2, "s", "macrophage", ("intravasation", "dormancy"), "promotes"),
        statement(CD8, "s", "macrophage", ("dormancy",), None),
        statement(CD8, "s", "CD8+ T cell", (), "inhibits"),
    )
    table = statements_by_cell(frame)
    assert list(table.index) == ["CD8+ T cell", "macrophage"]  # vocabulary order
    assert table.index.name == "cell"
    assert table.loc["macrophage"].to_dict() == {
        "statements": 2,
        "primary tumour growth and invasion": 0,
        "intravasation": 1,
        "survival in circulation": 0,
        "arrest and extravasation": 0,
        "pre-metastatic niche": 0,
        "colonisation and outgrowth": 0,
        "dormancy": 2,
        "promotes": 1,
        "inhibits": 0,
        "both": 0,
        "context-dependent": 0,
        "role not stated": 1,
    }
    assert table.loc["CD8+ T cell", "statements"] == 1
    assert set(table.dtypes) == {pd.Int64Dtype()}


def test_evidence_matrix_keeps_our_claims_and_suggestions_in_labelled_parts() -> None:
    frame = statements_of(
        *(protac_statements().to_dict("records")),
        statement(PGE2, "s", "CD8+ T cell", ("primary tumour growth and invasion",), "promotes"),
        statement(PGE2, "s", "NK cell", ("primary tumour growth and invasion",), None),
        statement(PGE2, "s", "NK cell", ("primary tumour growth and invasion",), None),
    )
    matrix = evidence_matrix([PROTAC_NOTES], frame)
    assert list(matrix.index) == [
        "leukocyte",
        "CD8+ T cell",
        "regulatory T cell",
        "NK cell",
    ]
    growth = "primary tumour growth and invasion"
    assert matrix.loc["CD8+ T cell", growth] == (
        "ours: inhibits (41032705: cd8-killing) | suggested: promotes x1 (41032705)"
    )
    assert matrix.loc["regulatory T cell", growth] == "suggested: promotes x1 (41032705)"
    assert matrix.loc["NK cell", growth] == "suggested: role not stated x2 (41032705)"
    assert matrix.loc["leukocyte", "intravasation"] == "suggested: inhibits x1 (41032705)"
    assert matrix.loc["leukocyte", "dormancy"] == ""


def test_evidence_matrix_with_only_decided_suggestions_shows_our_claims_labelled() -> None:
    decided = protac_statements().iloc[[1, 3]]  # rejected, and accepted as cd8-killing
    matrix = evidence_matrix(PROTAC_NOTES, decided)
    assert list(matrix.index) == ["CD8+ T cell"]
    assert matrix.loc["CD8+ T cell", "primary tumour growth and invasion"] == (
        "ours: inhibits (41032705: cd8-killing)"
    )


def test_evidence_matrix_without_statements_is_as_before() -> None:
    assert evidence_matrix([PROTAC_NOTES]).loc[
        "CD8+ T cell", "primary tumour growth and invasion"
    ] == ("inhibits (41032705: cd8-killing)")


def test_the_hand_built_frame_has_the_real_frames_columns() -> None:
    statements = pytest.importorskip("reviewbook.tables.statements", exc_type=ImportError)
    real = statements.statements_frame(protac_review())
    assert {column: str(dtype) for column, dtype in real.dtypes.items()} == STATEMENT_COLUMNS
