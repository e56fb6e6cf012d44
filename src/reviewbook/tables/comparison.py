"""What several reviews say about the same cell type at the same step, side by side.

From their statements (`reviewbook.tables.statements.statements_frame`) and their references
(`reviewbook.tables.frames.references_frame`, for knowing when two reviews cite the same paper,
as `reviewbook.tables.overlap` matches printings): one row per cell type and step, what each
review's statements say the cell does, whether two reviews give it opposite roles, and the
papers more than one review cites for it.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, term_names
from reviewbook.tables.overlap import paper_groups
from reviewbook.text import JOINED_SEPARATOR

NO_STEP = "(no step named)"
"""The step of a statement that names none: most sentences of a review speak of no step."""
NO_PMID = "no PMID"
"""The column of a review read without a PMID (a full text that prints none)."""
OPPOSITE_ROLES: frozenset[str] = frozenset({"promotes", "inhibits"})
"""Two roles that contradict each other when two reviews give them to one cell at one step."""
ROLE_ORDER: tuple[str, ...] = ("promotes", "inhibits", "both", "context-dependent", "no role")
"""How a review's roles are listed in its cell: ``promotes 2; inhibits 1``."""


def statement_comparison(statements: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """One row per cell type and step some review's statements name (cells in vocabulary
    order, steps in cascade order, `NO_STEP` last): ``cell``, ``step``, one column per review
    of either frame (its PMID: how many statements, by role, ``""`` for none, as for a review
    read without its full text), ``opposite roles`` (whether
    one review's statements mostly say the cell promotes and another's mostly that it
    inhibits), ``shared papers`` (how many papers more than one review's statements cite for
    it) and ``shared titles``."""
    reviews = list(
        dict.fromkeys(
            _review(pmid) for pmid in (*references["review_pmid"], *statements["review_pmid"])
        )
    )
    groups = paper_groups(references)
    paper_of = {
        (_review(pmid), int(index)): int(paper)
        for pmid, index, paper in zip(
            references["review_pmid"], references["index"], groups.paper, strict=True
        )
        if not pd.isna(index)
    }
    first_title = (
        references.assign(paper=groups.paper).drop_duplicates("paper").set_index("paper")["title"]
    )
    roles: dict[tuple[str, str], dict[str, Counter[str]]] = {}
    papers: dict[tuple[str, str], dict[str, set[int]]] = {}
    for row in statements.itertuples(index=False):
        review = _review(row.review_pmid)
        for step in row.steps or (NO_STEP,):
            key = (row.cell, step)
            role = "no role" if pd.isna(row.role) else row.role
            roles.setdefault(key, {}).setdefault(review, Counter())[role] += 1
            cited = papers.setdefault(key, {}).setdefault(review, set())
            cited.update(
                paper_of[(review, position)]
                for position in row.references
                if (review, position) in paper_of
            )
    cells, steps = term_names(CELL_TYPES), (*term_names(METASTATIC_STEPS), NO_STEP)
    keys = sorted(roles, key=lambda key: (cells.index(key[0]), steps.index(key[1])))
    rows = []
    for key in keys:
        by_review = roles[key]
        shared = sorted(_cited_by_several(papers[key]))
        row: dict[str, object] = {"cell": key[0], "step": key[1]}
        row.update({pmid: _role_counts(by_review.get(pmid, Counter())) for pmid in reviews})
        row["opposite roles"] = _opposite(by_review)
        row["shared papers"] = len(shared)
        row["shared titles"] = JOINED_SEPARATOR.join(
            str(first_title[paper]) for paper in shared if not pd.isna(first_title[paper])
        )
        rows.append(row)
    columns = ["cell", "step", *reviews, "opposite roles", "shared papers", "shared titles"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            **{name: "string" for name in columns},
            "opposite roles": "bool",
            "shared papers": "Int64",
        }
    )


def _review(pmid: object) -> str:
    """A review's column name: its PMID, or `NO_PMID` for a full text read without one."""
    return NO_PMID if pd.isna(pmid) else str(pmid)


def _role_counts(counts: Counter[str]) -> str:
    return JOINED_SEPARATOR.join(
        f"{role} {counts[role]}" for role in ROLE_ORDER if counts.get(role)
    )


def _opposite(by_review: dict[str, Counter[str]]) -> bool:
    """Whether one review's statements mostly say the cell promotes and another's mostly that
    it inhibits (a review whose statements are even, or give neither, takes no side)."""
    sides = {_side(counts) for counts in by_review.values()} - {None}
    return sides == OPPOSITE_ROLES


def _side(counts: Counter[str]) -> str | None:
    promotes, inhibits = counts.get("promotes", 0), counts.get("inhibits", 0)
    if promotes == inhibits:
        return None
    return "promotes" if promotes > inhibits else "inhibits"


def _cited_by_several(cited: dict[str, set[int]]) -> set[int]:
    counts = Counter(paper for papers in cited.values() for paper in papers)
    return {paper for paper, count in counts.items() if count > 1}
