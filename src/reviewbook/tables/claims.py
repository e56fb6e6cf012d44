"""Annotations as pandas tables: claims, reference notes and tags, the evidence matrix, coverage,
and suggested statements beside our claims.

Collections are joined with `reviewbook.text.JOINED_SEPARATOR` as in `reviewbook.tables.frames`;
text columns use the ``string`` dtype and whole numbers ``Int64``. Notes are plain text:
``DataFrame.to_html`` escapes them, so HTML in a note shows as text and never runs.

A statements frame (`reviewbook.tables.statements.statements_frame`: one row per citing
sentence and cell type it names) holds the tagger's suggestions, not ours: wherever the two
meet (`evidence_matrix` given ``statements``) they stay in separate, labelled parts, and the
statements we have accepted or rejected (`open_statements`) are left out of the suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reviewbook.annotations.anchoring import locate_quote
from reviewbook.annotations.model import Annotations, Claim
from reviewbook.annotations.vocabulary import CELL_TYPES, METASTATIC_STEPS, ROLES, term_names
from reviewbook.model import Article
from reviewbook.text import JOINED_SEPARATOR

NO_ROLE = "role not stated"
"""How the evidence matrix shows a claim whose ``role`` is empty."""
OURS = "ours"
"""The label of our claims' part of an evidence matrix entry, beside suggested statements."""
SUGGESTED = "suggested"
"""The label of the suggested statements' part of an evidence matrix entry."""
PART_SEPARATOR = " | "
"""Between the labelled parts of an evidence matrix entry (``ours: ... | suggested: ...``)."""
ALL_STATEMENTS = "statements"
"""The column of `statements_by_cell` counting every statement of a cell type."""

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
SENTENCE_CLAIM_COLUMNS: tuple[str, ...] = ("quote", "steps", "cells", "role", "claim")
SUGGESTION_COLUMNS: tuple[str, ...] = ("review_pmid", "sentence", "cell", "step", "role")


def _as_list(annotations: Annotations | Iterable[Annotations]) -> list[Annotations]:
    """Accept one review's annotations or many."""
    return [annotations] if isinstance(annotations, Annotations) else list(annotations)


def _joined(items: Iterable[object]) -> str | None:
    """Items joined with `JOINED_SEPARATOR`, or None when there are none."""
    return JOINED_SEPARATOR.join(str(item) for item in items) or None


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


def evidence_entries(
    annotations: Annotations | Iterable[Annotations], statements: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str], list[str]]:
    """What the evidence matrix and heatmap show: our claims' evidence (`named_evidence`), the
    open suggested statements' (`named_suggestions`, None without ``statements``), and the
    cell types and steps of the axes (`matrix_axes` over both)."""
    items = _as_list(annotations)
    evidence = named_evidence(items)
    suggested = (
        None if statements is None else named_suggestions(open_statements(statements, items))
    )
    named = evidence if suggested is None else pd.concat([evidence[["cell"]], suggested[["cell"]]])
    cells, steps = matrix_axes(named)
    return evidence, suggested, cells, steps


def evidence_matrix(
    annotations: Annotations | Iterable[Annotations], statements: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Cell types (rows) x metastatic steps (columns): what the reviews claim, and where.

    Each entry lists ``role (pmid: claim id)`` for every claim naming that cell type and step,
    joined with `JOINED_SEPARATOR`, or ``""`` when none does. Rows are the cell types some
    claim names, columns every step, both in vocabulary order (see `matrix_axes`).

    Given ``statements`` (a statements frame), an entry holds our claims and the suggested
    statements in two labelled parts, ``ours: <as above>`` and ``suggested: <role> x<count>
    (<pmid>); ...``, joined by `PART_SEPARATOR` (a part with nothing in it is left out); rows
    are then the cell types either names. Statements already accepted or rejected
    (`open_statements`) are not suggested again: an accepted one is among our claims.
    """
    evidence, suggested, rows, columns = evidence_entries(annotations, statements)
    matrix = pd.DataFrame("", index=pd.Index(rows, name="cell"), columns=columns, dtype="string")
    matrix.columns.name = "step"
    ours: dict[tuple[str, str], str] = {}
    for (cell, step), group in evidence.groupby(["cell", "step"], sort=False):
        entries = [
            f"{NO_ROLE if pd.isna(role) else role} ({pmid}: {claim_id})"
            for pmid, claim_id, role in zip(
                group["review_pmid"], group["claim_id"], group["role"], strict=True
            )
        ]
        ours[(cell, step)] = JOINED_SEPARATOR.join(entries)
    if suggested is None:
        for (cell, step), entry in ours.items():
            matrix.loc[cell, step] = entry
        return matrix
    theirs = {
        key: JOINED_SEPARATOR.join(
            f"{role} x{count} ({pmid})" for (pmid, role), count in counts.items()
        )
        for key, counts in _suggestion_counts(suggested).items()
    }
    for key in dict.fromkeys([*ours, *theirs]):
        parts = [
            f"{label}: {found[key]}"
            for label, found in ((OURS, ours), (SUGGESTED, theirs))
            if key in found
        ]
        matrix.loc[key[0], key[1]] = PART_SEPARATOR.join(parts)
    return matrix


def _suggestion_counts(
    suggested: pd.DataFrame,
) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """Per ``(cell, step)``, the suggestions per ``(review pmid, role)``, in frame order."""
    counts: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for pmid, cell, step, role in zip(
        suggested["review_pmid"],
        suggested["cell"],
        suggested["step"],
        suggested["role"],
        strict=True,
    ):
        entry = counts.setdefault((cell, step), {})
        key = (str(pmid), NO_ROLE if pd.isna(role) else str(role))
        entry[key] = entry.get(key, 0) + 1
    return counts


def open_statements(
    frame: pd.DataFrame, annotations: Annotations | Iterable[Annotations]
) -> pd.DataFrame:
    """The rows of a statements frame not yet accepted or rejected: those whose review's
    annotations hold no decision on their sentence and cell type. Columns as given, index
    renumbered from 0."""
    decided = {
        (item.pmid, decision.sentence, decision.cell)
        for item in _as_list(annotations)
        for decision in item.statements
    }
    keep = [
        (str(pmid), str(sentence), str(cell)) not in decided
        for pmid, sentence, cell in zip(
            frame["review_pmid"], frame["sentence"], frame["cell"], strict=True
        )
    ]
    return frame.loc[keep].reset_index(drop=True)


def named_suggestions(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per statement x step it names, columns ``SUGGESTION_COLUMNS``: the suggestions
    an evidence matrix entry counts. A statement naming no step has no row."""
    rows: list[dict[str, object]] = [
        {"review_pmid": pmid, "sentence": sentence, "cell": cell, "step": step, "role": role}
        for pmid, sentence, cell, steps, role in zip(
            statements["review_pmid"],
            statements["sentence"],
            statements["cell"],
            statements["steps"],
            statements["role"],
            strict=True,
        )
        for step in (steps if isinstance(steps, (tuple, list)) else ())
    ]
    return pd.DataFrame(
        {
            column: pd.array([row[column] for row in rows], dtype="string")
            for column in SUGGESTION_COLUMNS
        }
    )


def statements_by_cell(statements: pd.DataFrame) -> pd.DataFrame:
    """Suggested statements per cell type (rows, vocabulary order): `ALL_STATEMENTS` (all of
    a cell type's), then one column per step (statements naming it), then one per role and
    `NO_ROLE` (statements saying it); ``Int64`` counts, every step and role a column."""
    steps, roles = term_names(METASTATIC_STEPS), (*term_names(ROLES), NO_ROLE)
    named = set(statements["cell"].dropna())
    cells = [name for name in term_names(CELL_TYPES) if name in named]
    counts = {cell: dict.fromkeys((ALL_STATEMENTS, *steps, *roles), 0) for cell in cells}
    for cell, found, role in zip(
        statements["cell"], statements["steps"], statements["role"], strict=True
    ):
        row = counts.get(cell)
        if row is None:
            continue
        row[ALL_STATEMENTS] += 1
        for step in dict.fromkeys(found if isinstance(found, (tuple, list)) else ()):
            if step in steps:
                row[step] += 1
        row[NO_ROLE if pd.isna(role) else role] += 1
    table = pd.DataFrame.from_dict(counts, orient="index", columns=[ALL_STATEMENTS, *steps, *roles])
    table.index.name = "cell"
    return table.astype("Int64")


def named_evidence(annotations: Annotations | Iterable[Annotations]) -> pd.DataFrame:
    """The rows of `evidence_frame` that name both a cell type and a step."""
    return evidence_frame(annotations).dropna(subset=["cell", "step"])


def matrix_axes(evidence: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The evidence matrix's rows (the cell types ``evidence`` names) and columns (every step),
    both in vocabulary order."""
    named = set(evidence["cell"])
    cells = [name for name in term_names(CELL_TYPES) if name in named]
    return cells, list(term_names(METASTATIC_STEPS))


def claims_behind(annotations: Iterable[Annotations], cell: str, step: str) -> pd.DataFrame:
    """The claims behind one entry of the evidence matrix."""
    items = list(annotations)
    evidence = evidence_frame(items)
    chosen = evidence[(evidence["cell"] == cell) & (evidence["step"] == step)]
    claims = claims_frame(items)
    keys = set(zip(chosen["review_pmid"], chosen["claim_id"], strict=True))
    mask = [
        (pmid, claim_id) in keys
        for pmid, claim_id in zip(claims["review_pmid"], claims["id"], strict=True)
    ]
    return claims.loc[mask, ["review_pmid", "id", "statement", "exact", "role"]].reset_index(
        drop=True
    )


def coverage(annotations: Iterable[Annotations], field: str) -> pd.DataFrame:
    """Claims per review naming each term of ``field`` (``cell`` or ``step``), vocabulary order."""
    items = list(annotations)
    evidence = evidence_frame(items).dropna(subset=[field])
    evidence = evidence.drop_duplicates(["review_pmid", "claim_id", field])
    table = pd.crosstab(evidence[field], evidence["review_pmid"])
    table = table[[item.pmid for item in items if item.pmid in table.columns]]
    order = term_names(CELL_TYPES if field == "cell" else METASTATIC_STEPS)
    table = table.reindex([name for name in order if name in table.index]).fillna(0).astype(int)
    table.columns.name, table.index.name = "review_pmid", field
    return table


def with_tags(references: pd.DataFrame, annotations: Iterable[Annotations]) -> pd.DataFrame:
    """``references`` (a `references_frame`) with our ``note`` and ``tags`` columns added."""
    notes = reference_tags_frame(list(annotations))
    keys = ["review_pmid", "index"]
    merged = references.merge(notes.astype({"index": "Int64"}), on=keys, how="left")
    merged.index = references.index
    return merged


# --- claims in the text ---------------------------------------------------------------------


def anchored_claims(
    article: Article, annotations: Annotations, location: str
) -> list[tuple[Claim, int, int]]:
    """Claims anchored in one part of the review (``abstract``, ``figure:<label>``, ...),
    with the character span of their quote, in text order."""
    spans = []
    for claim in annotations.claims:
        anchor = locate_quote(article, claim.quote)
        if anchor.location == location:
            spans.append((claim, anchor.start, anchor.end))
    return sorted(spans, key=lambda item: (item[1], item[2]))


def claims_by_sentence(article: Article, annotations: Annotations, location: str) -> pd.DataFrame:
    """One row per claim anchored in ``location``: the quoted words, cells, steps, role."""
    rows = [
        {
            "quote": claim.quote.exact,
            "steps": JOINED_SEPARATOR.join(claim.steps),
            "cells": JOINED_SEPARATOR.join(claim.cells),
            "role": claim.role or "",
            "claim": claim.statement,
        }
        for claim, _, _ in anchored_claims(article, annotations, location)
    ]
    return pd.DataFrame(rows, columns=list(SENTENCE_CLAIM_COLUMNS), dtype="string")
