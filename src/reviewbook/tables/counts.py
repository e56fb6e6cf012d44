"""References counted per publication year and per journal, side by side for each citing review.

The tables behind the charts of `reviewbook.notebook.charts`, and the one rule that names a
journal printed in several ways (`journal_names`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd


def journal_names(keys: Iterable[str], printed: Iterable[object]) -> dict[str, str]:
    """For each journal key, the journal name printed most often (on a tie, the first in sorted
    order); a key never printed with a name is named by itself. Missing names are skipped."""
    counts: dict[str, Counter[str]] = {}
    for key, name in zip(keys, printed, strict=True):
        names = counts.setdefault(key, Counter())
        if isinstance(name, str) and name:
            names[name] += 1
    return {
        key: min(names, key=lambda name: (-names[name], name)) if names else key
        for key, names in counts.items()
    }


def year_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per publication year (rows) and citing review (columns); no unknown years."""
    known = frame.dropna(subset=["year"])
    table = pd.crosstab(known["year"].astype(int), known["review_pmid"].astype(str))
    table.index.name, table.columns.name = "year", "review_pmid"
    return table[_reviews_in_order(known)]


def journal_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per journal and citing review, journals matched by ``journal_key``.

    Each journal is named by `journal_names`; rows are sorted by total count, then name.
    """
    known = frame.dropna(subset=["journal_key"])
    names = journal_names(known["journal_key"], known["journal"])
    table = pd.crosstab(known["journal_key"], known["review_pmid"].astype(str))
    table.index = table.index.map(names)
    table.index.name, table.columns.name = "journal", "review_pmid"
    table = table[_reviews_in_order(known)]
    order = (
        table.sum(axis=1)
        .rename("total")
        .reset_index()
        .sort_values(["total", "journal"], ascending=[False, True])
    )
    return table.loc[order["journal"]]


def _reviews_in_order(frame: pd.DataFrame) -> list[str]:
    """The citing reviews' PMIDs in the order the frame first lists them."""
    return list(dict.fromkeys(frame["review_pmid"].astype(str)))
