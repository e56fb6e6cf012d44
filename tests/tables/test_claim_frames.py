"""Annotations as pandas frames: claims, evidence by cell and step, reference tags."""

from __future__ import annotations

import pandas as pd

from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim, ReferenceNote
from reviewbook.annotations.vocabulary import VOCABULARIES, term_names
from reviewbook.tables.claims import (
    claims_frame,
    evidence_frame,
    evidence_matrix,
    reference_tags_frame,
)

TWO_REVIEWS = [
    Annotations(
        pmid="1",
        claims=(
            Claim(
                "a",
                "A.",
                Quote("a"),
                "abstract",
                ("platelet", "neutrophil"),
                ("survival in circulation",),
                "promotes",
            ),
            Claim("b", "B.", Quote("b"), "abstract", ("neutrophil",), ("survival in circulation",)),
            Claim("c", "C.", Quote("c"), "abstract", (), ("dormancy",), "inhibits"),
        ),
    ),
    Annotations(
        pmid="2",
        claims=(
            Claim(
                "d",
                "D.",
                Quote("d"),
                "abstract",
                ("neutrophil",),
                ("survival in circulation",),
                "both",
            ),
        ),
        references=(ReferenceNote(3, "<b>bold</b>", ("inflammation", "review")),),
    ),
]


def test_evidence_matrix_lists_roles_reviews_and_claims_per_cell_and_step() -> None:
    matrix = evidence_matrix(TWO_REVIEWS)
    assert list(matrix.index) == ["neutrophil", "platelet"]
    assert list(matrix.columns) == list(term_names(VOCABULARIES["steps"]))
    assert matrix.loc["neutrophil", "survival in circulation"] == (
        "promotes (1: a); role not stated (1: b); both (2: d)"
    )
    assert matrix.loc["platelet", "survival in circulation"] == "promotes (1: a)"
    assert matrix.loc["platelet", "dormancy"] == ""


def test_evidence_frame_keeps_claims_without_cells() -> None:
    frame = evidence_frame(TWO_REVIEWS)
    row = frame[frame["claim_id"] == "c"].iloc[0]
    assert row["step"] == "dormancy"
    assert row["cell"] is pd.NA


def test_reference_tags_frame_joins_tags_for_filtering() -> None:
    frame = reference_tags_frame(TWO_REVIEWS)
    assert frame.to_dict("records") == [
        {"review_pmid": "2", "index": 3, "note": "<b>bold</b>", "tags": "inflammation; review"}
    ]
    assert frame[frame["tags"].str.contains("inflammation")].shape[0] == 1


def test_claims_frame_has_one_row_per_claim() -> None:
    frame = claims_frame(TWO_REVIEWS)
    assert list(frame["id"]) == ["a", "b", "c", "d"]
    assert frame.loc[0, "cells"] == "platelet; neutrophil"
