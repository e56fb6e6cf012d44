"""Reviews' statements side by side per cell type and step: roles, contradictions, shared papers."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from reviewbook import Article, Reference, references_frame, statement_comparison
from reviewbook.tables.comparison import NO_STEP

SHARED = Reference(1, "x", title="NK cells keep disseminated cells dormant", pmid="11111111")
ONLY_A = Reference(2, "y", title="Another paper", pmid="22222222")


def statements(
    rows: list[tuple[str, str, tuple[str, ...], object, tuple[int, ...]]],
) -> pd.DataFrame:
    """A statements frame (the columns `statements_frame` gives) from (pmid, cell, steps,
    role, references) rows."""
    frame = pd.DataFrame(
        {
            "review_pmid": pd.array([row[0] for row in rows], dtype="string"),
            "sentence": pd.array([f"Sentence {n}." for n in range(len(rows))], dtype="string"),
            "section": pd.array(["Results"] * len(rows), dtype="string"),
            "cell": pd.array([row[1] for row in rows], dtype="string"),
            "role": pd.array([row[3] for row in rows], dtype="string"),
            "evidence": pd.array([""] * len(rows), dtype="string"),
        }
    )
    frame["steps"] = pd.Series([row[2] for row in rows], dtype=object)
    frame["references"] = pd.Series([row[4] for row in rows], dtype=object)
    return frame


def test_reviews_side_by_side_with_opposite_roles_and_the_papers_they_share() -> None:
    first = Article(pmid="1000", title="A", references=(SHARED, ONLY_A))
    second = Article(
        pmid="2000", title="B", references=(Reference(1, "z", pmid="9"), replace(SHARED, index=2))
    )
    frame = statements(
        [
            ("1000", "NK cell", ("dormancy",), "inhibits", (1,)),
            ("1000", "NK cell", ("dormancy",), "inhibits", (2,)),
            ("2000", "NK cell", ("dormancy",), "promotes", (2,)),
            ("2000", "macrophage", (), None, (1,)),
        ]
    )
    page_only = Article(pmid="3000", title="C", references=(replace(SHARED, index=1),))
    compared = statement_comparison(frame, references_frame([first, second, page_only]))
    assert compared.to_dict("records") == [
        {
            "cell": "NK cell",
            "step": "dormancy",
            "1000": "inhibits 2",
            "2000": "promotes 1",
            "3000": "",
            "opposite roles": True,
            "shared papers": 1,
            "shared titles": "NK cells keep disseminated cells dormant",
        },
        {
            "cell": "macrophage",
            "step": NO_STEP,
            "1000": "",
            "2000": "no role 1",
            "3000": "",
            "opposite roles": False,
            "shared papers": 0,
            "shared titles": "",
        },
    ]


def test_a_review_whose_statements_are_even_takes_no_side() -> None:
    first = Article(pmid="1000", title="A", references=(SHARED,))
    second = Article(pmid="2000", title="B", references=(SHARED,))
    frame = statements(
        [
            ("1000", "macrophage", (), "promotes", (1,)),
            ("1000", "macrophage", (), "inhibits", (1,)),
            ("2000", "macrophage", (), "inhibits", (1,)),
        ]
    )
    [row] = statement_comparison(frame, references_frame([first, second])).to_dict("records")
    assert (row["1000"], row["2000"], row["opposite roles"]) == (
        "promotes 1; inhibits 1",
        "inhibits 1",
        False,
    )
    assert row["shared papers"] == 1
