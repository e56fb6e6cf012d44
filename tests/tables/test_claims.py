"""Claims as tables: per sentence, behind a matrix entry, coverage per term, tags on references."""

from __future__ import annotations

import pandas as pd

from reviewbook import references_frame
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim, ReferenceNote
from reviewbook.tables.claims import (
    anchored_claims,
    claims_behind,
    claims_by_sentence,
    coverage,
    matrix_axes,
    named_evidence,
    with_tags,
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
