"""A full text's citations and sections as tables: where each reference is cited, and how much
each section cites.

Both tables follow `reviewbook.tables.frames`: one row per record, ``Int64`` for counts and
positions, ``string`` for text, ``<NA>`` for anything missing, and ``review_pmid`` first so the
tables of several reviews can be stacked. An article without a full text (no `Article.body`)
gives an empty table with the same columns and dtypes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reviewbook.model import BODY_PLACE, Article, Paragraph
from reviewbook.tables.frames import _as_articles

CITATION_COLUMNS: dict[str, str] = {
    "review_pmid": "string",
    "number": "Int64",
    "citation": "string",
    "reference": "Int64",
    "section": "string",
    "sentence": "string",
    "line": "Int64",
    "pmid": "string",
    "doi": "string",
    "title": "string",
}
"""``citations_frame`` columns and their dtypes."""
SECTION_COLUMNS: dict[str, str] = {
    "review_pmid": "string",
    "level": "Int64",
    "label": "string",
    "title": "string",
    "path": "string",
    "paragraphs": "Int64",
    "citations": "Int64",
    "references": "Int64",
    "line": "Int64",
}
"""``sections_frame`` columns and their dtypes."""


def citations_frame(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """One row per in-text citation and reference it names, columns ``CITATION_COLUMNS``.

    ``number`` numbers the citations of a review from 1 in `Body.citations` order (running
    text, then figures, tables, boxes), so the rows of a citation naming a range share it;
    ``citation`` is the citation as printed, ``reference`` the position in the reference list,
    ``section`` its place (section path or float), ``sentence`` the sentence that carries it;
    ``pmid``, ``doi`` and ``title`` are the cited reference's. A citation that names no
    reference of the list keeps one row, its ``reference`` missing.
    """
    rows: dict[str, list[object]] = {column: [] for column in CITATION_COLUMNS}
    for article in _as_articles(articles):
        if article.body is None:
            continue
        for number, citation in enumerate(article.body.citations, start=1):
            for position in citation.references or (None,):
                reference = article.references[position - 1] if position else None
                values = {
                    "review_pmid": article.pmid,
                    "number": number,
                    "citation": citation.text,
                    "reference": position,
                    "section": citation.place,
                    "sentence": citation.sentence,
                    "line": citation.line,
                    "pmid": reference.pmid if reference else None,
                    "doi": reference.doi if reference else None,
                    "title": reference.title if reference else None,
                }
                for column, value in values.items():
                    rows[column].append(value)
    return _frame(rows, CITATION_COLUMNS)


def sections_frame(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """One row per section of a full text's body, nested ones included, in document order,
    columns ``SECTION_COLUMNS``.

    ``level`` is 1 for a top-level section; ``path`` its headings joined with `` › ``. Counts are
    of the section's own paragraphs, not its subsections': ``paragraphs``, ``citations`` and
    ``references`` (distinct positions cited), so each column sums to the body's total. Text
    before the first section, when there is some, is a first row of level 0, path ``Body``.
    Floats (figures, tables, boxes) have no row: `citations_frame` names them as places.
    """
    rows: dict[str, list[object]] = {column: [] for column in SECTION_COLUMNS}
    for article in _as_articles(articles):
        body = article.body
        if body is None:
            continue
        found = [_section_row(section.paragraphs, section.level) for section in body.walk()]
        for section, row in zip(body.walk(), found, strict=True):
            row.update(
                label=section.label,
                title=section.title or None,
                path=section.place,
                line=section.line,
            )
        if body.paragraphs:
            opening = _section_row(body.paragraphs, 0)
            opening.update(path=BODY_PLACE, line=body.paragraphs[0].line)
            found.insert(0, opening)
        for row in found:
            row["review_pmid"] = article.pmid
            for column in SECTION_COLUMNS:
                rows[column].append(row.get(column))
    return _frame(rows, SECTION_COLUMNS)


def _section_row(paragraphs: tuple[Paragraph, ...], level: int) -> dict[str, object]:
    """The counts of one section's own paragraphs."""
    citations = [citation for paragraph in paragraphs for citation in paragraph.citations]
    cited = {position for citation in citations for position in citation.references}
    return {
        "level": level,
        "paragraphs": len(paragraphs),
        "citations": len(citations),
        "references": len(cited),
    }


def _frame(rows: dict[str, list[object]], dtypes: dict[str, str]) -> pd.DataFrame:
    """The rows' columns, in order, each with its nullable dtype (None as ``<NA>``)."""
    return pd.DataFrame(
        {column: pd.array(rows[column], dtype=dtype) for column, dtype in dtypes.items()}
    )
