"""Annotations as pandas tables: claims, reference notes, the vocabulary, the evidence matrix.

Collections are joined with ``"; "`` as in `reviewbook.tables.frames`; text columns use the
``string`` dtype and whole numbers ``Int64``. Notes are plain text: ``DataFrame.to_html``
escapes them, so HTML in a note shows as text and never runs.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reviewbook.annotations.records import Annotations, Claim
from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, VOCABULARIES, term_names

SEPARATOR = "; "
NO_ROLE = "role not stated"
"""How the evidence matrix shows a claim whose ``role`` is empty."""

CLAIM_COLUMNS: tuple[str, ...] = (
    "review_pmid",
    "id",
    "statement",
    "location",
    "exact",
    "cells",
    "steps",
    "role",
    "refs",
)
REFERENCE_NOTE_COLUMNS: tuple[str, ...] = ("review_pmid", "index", "note", "tags")
EVIDENCE_COLUMNS: tuple[str, ...] = ("review_pmid", "claim_id", "cell", "step", "role")


def _as_list(annotations: Annotations | Iterable[Annotations]) -> list[Annotations]:
    """Accept one review's annotations or many."""
    return [annotations] if isinstance(annotations, Annotations) else list(annotations)


def _joined(items: Iterable[object]) -> str | None:
    """Items joined with ``"; "``, or None when there are none."""
    return SEPARATOR.join(str(item) for item in items) or None


def _string_frame(rows: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame of ``columns`` with ``string`` dtype, except ``index`` as ``Int64``."""
    return pd.DataFrame(
        {
            column: pd.array(
                [row[column] for row in rows],
                dtype="Int64" if column == "index" else "string",
            )
            for column in columns
        }
    )


def claims_frame(annotations: Annotations | Iterable[Annotations]) -> pd.DataFrame:
    """One row per claim, columns ``CLAIM_COLUMNS``; ``exact`` is the quoted text."""
    rows = [_claim_row(item.pmid, claim) for item in _as_list(annotations) for claim in item.claims]
    return _string_frame(rows, CLAIM_COLUMNS)


def _claim_row(pmid: str, claim: Claim) -> dict[str, object]:
    return {
        "review_pmid": pmid,
        "id": claim.id,
        "statement": claim.statement,
        "location": claim.location,
        "exact": claim.quote.exact,
        "cells": _joined(claim.cells),
        "steps": _joined(claim.steps),
        "role": claim.role,
        "refs": _joined(claim.refs),
    }


def reference_tags_frame(annotations: Annotations | Iterable[Annotations]) -> pd.DataFrame:
    """One row per annotated reference: ``review_pmid``, ``index``, ``note``, ``tags``.

    Merge with ``references_frame`` on ``review_pmid`` and ``index`` to see titles beside the
    notes; filter on ``tags`` with ``frame["tags"].str.contains("inflammation")``.
    """
    rows: list[dict[str, object]] = [
        {
            "review_pmid": item.pmid,
            "index": entry.index,
            "note": entry.note,
            "tags": _joined(entry.tags),
        }
        for item in _as_list(annotations)
        for entry in item.references
    ]
    return _string_frame(rows, REFERENCE_NOTE_COLUMNS)


def vocabulary_frame() -> pd.DataFrame:
    """Every controlled term: ``field``, ``name``, ``definition``, ``synonyms``."""
    rows: list[dict[str, object]] = [
        {
            "field": field,
            "name": term.name,
            "definition": term.definition,
            "synonyms": _joined(term.synonyms),
        }
        for field, terms in VOCABULARIES.items()
        for term in terms
    ]
    return _string_frame(rows, ("field", "name", "definition", "synonyms"))


def evidence_frame(annotations: Annotations | Iterable[Annotations]) -> pd.DataFrame:
    """One row per claim x cell type x step; a claim without cells or steps keeps ``<NA>`` there."""
    rows: list[dict[str, object]] = [
        {
            "review_pmid": item.pmid,
            "claim_id": claim.id,
            "cell": cell,
            "step": step,
            "role": claim.role,
        }
        for item in _as_list(annotations)
        for claim in item.claims
        for cell in claim.cells or (None,)
        for step in claim.steps or (None,)
    ]
    return _string_frame(rows, EVIDENCE_COLUMNS)


def evidence_matrix(annotations: Annotations | Iterable[Annotations]) -> pd.DataFrame:
    """Cell types (rows) x metastatic steps (columns): what the reviews claim, and where.

    Each entry lists ``role (pmid: claim id)`` for every claim naming that cell type and step,
    joined with ``"; "``, or ``""`` when none does. Rows are the cell types some claim names,
    columns every step, both in vocabulary order.
    """
    evidence = evidence_frame(annotations).dropna(subset=["cell", "step"])
    rows = [name for name in term_names(CELL_TYPES) if name in set(evidence["cell"])]
    columns = list(term_names(METASTATIC_STEPS))
    matrix = pd.DataFrame("", index=pd.Index(rows, name="cell"), columns=columns, dtype="string")
    matrix.columns.name = "step"
    for (cell, step), group in evidence.groupby(["cell", "step"], sort=False):
        entries = [
            f"{NO_ROLE if pd.isna(role) else role} ({pmid}: {claim_id})"
            for pmid, claim_id, role in zip(
                group["review_pmid"], group["claim_id"], group["role"], strict=True
            )
        ]
        matrix.loc[cell, step] = SEPARATOR.join(entries)
    return matrix
