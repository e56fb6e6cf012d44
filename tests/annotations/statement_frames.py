"""Statements frames built by hand, with exactly the columns `statements_frame` gives, and the
real full text (PMID 41032705, PROTACs in immunotherapy) whose sentences they suggest.

Until ``reviewbook.tables.statements`` exists, the tests of everything that reads a statements
frame use these; `test_the_hand_built_frame_has_the_real_frames_columns` compares the two once
it does.
"""

from __future__ import annotations

import functools

import pandas as pd

from reviewbook import read_article
from reviewbook.model import Article
from reviewbook.tables.statements import STATEMENT_COLUMNS
from tests.sources.test_jats import FULLTEXT

PROTAC_PMID = "41032705"
PGE2 = (
    "PGE2 was found to promote immunosuppressive cells like regulatory T cells or M2-type "
    "macrophages [53] and is further involved in CD8+ T cell exhaustion [14]."
)
"""A sentence of section ``COX-1/2 PROTACs`` naming three cell types."""
CD8 = (
    "Once activated, CD8+ T cells will induce tumor cell killing and secretion of cytokines "
    "such as interferon γ (IFNγ) and tumor necrosis factor α [28,29]."
)
"""A sentence of section ``Increased and guided immune responses``."""
RECRUITERS = (
    "(C) Covalent immune recruiters (CIR) directly recruit and activate T cells by forming "
    "covalent ternary complexes on their cell surfaces [23–25]."
)
"""A sentence of the caption of Figure 1."""
COX = "COX-1/2 PROTACs"
IMMUNE = "Increased and guided immune responses"


@functools.cache
def protac_review() -> Article:
    """The real full text PMC12599256 (PMID 41032705), read once."""
    return read_article(FULLTEXT / "PMC12599256.nxml")


def statement(
    sentence: str,
    section: str,
    cell: str,
    steps: tuple[str, ...] = (),
    role: str | None = None,
    references: tuple[int, ...] = (),
    evidence: str = "",
    review_pmid: str = PROTAC_PMID,
) -> dict[str, object]:
    """One row of a statements frame."""
    return {
        "review_pmid": review_pmid,
        "sentence": sentence,
        "section": section,
        "cell": cell,
        "steps": tuple(steps),
        "role": role,
        "references": tuple(references),
        "evidence": evidence,
    }


def statements_of(*rows: dict[str, object]) -> pd.DataFrame:
    """A statements frame of ``rows``, with the contract's columns and dtypes."""
    columns: dict[str, object] = {}
    for column, dtype in STATEMENT_COLUMNS.items():
        values = [row[column] for row in rows]
        if dtype == "object":
            series = pd.Series(values, dtype="object")
            columns[column] = series
        else:
            columns[column] = pd.array(values, dtype=dtype)
    return pd.DataFrame(columns)


def protac_statements() -> pd.DataFrame:
    """Five suggestions on three real sentences of PMID 41032705."""
    return statements_of(
        statement(
            PGE2,
            COX,
            "regulatory T cell",
            ("primary tumour growth and invasion",),
            "promotes",
            (53, 14),
            "regulatory T cells; promote",
        ),
        statement(PGE2, COX, "macrophage", (), "promotes", (53, 14), "M2-type macrophages"),
        statement(PGE2, COX, "CD8+ T cell", (), None, (53, 14), "CD8+ T cell"),
        statement(CD8, IMMUNE, "CD8+ T cell", (), None, (28, 29), "CD8+ T cells"),
        statement(
            RECRUITERS, "Figure 1", "leukocyte", ("intravasation",), "inhibits", (23, 24, 25)
        ),
    )
