"""Turn articles and their references into pandas tables, one row per record.

Tables are for looking, filtering and exporting, so every cell is a scalar with a pandas
nullable dtype: ``Int64`` for whole numbers and ``string`` for text, with ``<NA>`` for
anything missing. Collections are flattened to text by one rule, kept in ``SEPARATORS``:
items joined with `reviewbook.text.JOINED_SEPARATOR`, ``"; "`` (``authors``, ``article_types``,
``keywords``, ``links``) or, for free-text warnings that may themselves contain ``"; "``, with a
newline. An empty collection becomes ``<NA>``, so
``() if pd.isna(cell) else tuple(cell.split(JOINED_SEPARATOR))`` gives the tuple back. Sets
(``links``) are sorted, which for ``DOI``, ``PMC``, ``PubMed`` is also the order the page prints
them in.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from reviewbook.model import Article, Reference, doi_url
from reviewbook.text import JOINED_SEPARATOR

# --- knowledge: columns, separators, dtypes --------------------------------------------------

SEPARATORS: dict[str, str] = {"warnings": "\n"}
"""How a collection column is joined into text, when not with `JOINED_SEPARATOR`."""

CITING_COLUMNS: tuple[str, ...] = ("times_cited", "cited_in")
"""``references_frame`` columns on how the review's full text cites each reference."""
REFERENCE_COLUMNS: tuple[str, ...] = (
    "review_pmid",
    *(field.name for field in dataclasses.fields(Reference)),
    *CITING_COLUMNS,
)
"""``references_frame`` columns: the citing review's PMID, every `Reference` field, then how
often and where the full text cites it (`CITING_COLUMNS`)."""

ARTICLE_COLUMNS: tuple[str, ...] = (
    "pmid",
    "title",
    "first_author",
    "authors_display",
    "journal",
    "pub_date",
    "year",
    "volume",
    "issue",
    "pages",
    "first_page",
    "last_page",
    "doi",
    "epub_date",
    "pmcid",
    "article_types",
    "keywords",
    "n_references",
    "n_figures",
    "n_warnings",
    "pubmed_url",
    "doi_url",
    "source_path",
    "sha256",
    "abstract",
)
"""``articles_frame`` columns: bibliographic fields, counts, addresses, provenance, text."""

ARTICLE_DERIVED: dict[str, Callable[[Article], object]] = {
    "n_references": lambda article: len(article.references),
    "n_figures": lambda article: len(article.figures),
    "n_warnings": lambda article: len(article.warnings),
    "pubmed_url": lambda article: article.pubmed_url,
    "doi_url": lambda article: doi_url(article.doi),
}
"""Article columns computed from a record rather than read from one of its fields."""

_FIELD_TYPES: dict[str, object] = {
    name: hint
    for record_type in (Reference, Article)
    for name, hint in typing.get_type_hints(record_type).items()
}

INTEGER_COLUMNS: frozenset[str] = frozenset(
    name for name, hint in _FIELD_TYPES.items() if hint in (int, int | None)
) | {"n_references", "n_figures", "n_warnings", "times_cited"}
"""Columns stored as ``Int64``; every other column is ``string``."""

COLLECTION_COLUMNS: frozenset[str] = frozenset(
    name for name, hint in _FIELD_TYPES.items() if typing.get_origin(hint) in (tuple, frozenset)
) | {"cited_in"}
"""Columns whose fields hold several items, joined into one text cell."""


def column_dtype(column: str) -> pd.api.extensions.ExtensionDtype:
    """The nullable dtype of a table column: ``Int64`` for counts and years, else ``string``."""
    return pd.Int64Dtype() if column in INTEGER_COLUMNS else pd.StringDtype()


# --- building a frame column by column ------------------------------------------------------


def _cells(column: str, values: list[object]) -> list[object]:
    """Field values as cells: collections joined to text (sets sorted), empty ones None."""
    if column not in COLLECTION_COLUMNS:
        return values
    separator = SEPARATORS.get(column, JOINED_SEPARATOR)
    return [
        (separator.join(sorted(value) if isinstance(value, frozenset) else map(str, value)) or None)
        if value
        else None
        for value in values
    ]


def _frame(columns: dict[str, list[object]]) -> pd.DataFrame:
    """A frame of the given columns, in order, each with its nullable dtype (None as <NA>)."""
    return pd.DataFrame(
        {column: _array(column, _cells(column, values)) for column, values in columns.items()}
    )


def _array(column: str, cells: list[object]) -> pd.api.extensions.ExtensionArray:
    """One column's cells as a nullable array. A column with no value at all (most book fields
    of a list of articles) is repeated from one missing cell: far faster than reading each."""
    if cells.count(None) == len(cells):
        missing = pd.array([None], dtype=column_dtype(column))
        return missing.take(np.zeros(len(cells), dtype=np.intp))
    return pd.array(cells, dtype=column_dtype(column))


def _as_articles(articles: Article | Iterable[Article]) -> list[Article]:
    """Accept one article or many, so a single record needs no wrapping list."""
    return [articles] if isinstance(articles, Article) else list(articles)


# --- the tables -----------------------------------------------------------------------------


def references_frame(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """One row per reference of every article, columns ``REFERENCE_COLUMNS``.

    ``review_pmid`` names the article whose list the reference comes from, so references of
    several reviews can share one table. Collections follow the module's flattening rule:
    ``authors`` and ``links`` joined with ``"; "``, ``warnings`` with newlines, empty ones
    missing. ``times_cited`` counts the full text's citations that name the reference (0 when
    none does, missing when the article has no full text); ``cited_in`` lists the places of
    those citations (``Introduction; Table 2``), in the order first cited.
    """
    records = _as_articles(articles)
    references = [reference for article in records for reference in article.references]
    columns: dict[str, list[object]] = {
        "review_pmid": [article.pmid for article in records for _ in article.references]
    }
    for name in REFERENCE_COLUMNS[1 : -len(CITING_COLUMNS)]:
        columns[name] = list(map(operator.attrgetter(name), references))
    columns["times_cited"], columns["cited_in"] = [], []
    for article in records:
        counts, places = _citing(article)
        for position in range(1, len(article.references) + 1):
            columns["times_cited"].append(None if counts is None else counts.get(position, 0))
            columns["cited_in"].append(tuple(places.get(position, ())))
    return _frame(columns)


def _citing(article: Article) -> tuple[dict[int, int] | None, dict[int, dict[str, None]]]:
    """How many citations of the article's body name each reference position, and their
    places in the order first cited; ``None`` counts for an article without a body."""
    if article.body is None:
        return None, {}
    counts: dict[int, int] = {}
    places: dict[int, dict[str, None]] = {}
    for citation in article.body.citations:
        for position in citation.references:
            counts[position] = counts.get(position, 0) + 1
            places.setdefault(position, {})[citation.place] = None
    return counts, places


def articles_frame(articles: Article | Iterable[Article]) -> pd.DataFrame:
    """One row per article, columns ``ARTICLE_COLUMNS``.

    Counts (``n_references``, ``n_figures``, ``n_warnings``) and addresses (``pubmed_url``,
    ``doi_url``) stand in for the nested records, which ``references_frame`` tabulates.
    ``article_types`` and ``keywords`` are joined with ``"; "``.
    """
    records = _as_articles(articles)
    return _frame(
        {
            column: [
                ARTICLE_DERIVED[column](article)
                if column in ARTICLE_DERIVED
                else getattr(article, column)
                for article in records
            ]
            for column in ARTICLE_COLUMNS
        }
    )
