"""References counted per publication year and per journal, side by side for each citing review.

The tables behind the charts of `reviewbook.notebook.charts`, and the one rule that names a
journal printed in several ways (`journal_names`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd


def journal_names(keys: Iterable[str], printed: Iterable[object]) -> dict[str, str]:
    """For each journal key, the journal name printed most often (on a tie, the first in sorted
    order); a key never printed with a name is named by itself. Missing names are skipped."""
    named: dict[str, str] = {}
    best: dict[str, tuple[int, str]] = {}
    for (key, name), count in Counter(zip(keys, printed, strict=True)).items():
        named.setdefault(key, key)
        if isinstance(name, str) and name and (key not in best or (-count, name) < best[key]):
            best[key] = (-count, name)
            named[key] = name
    return named


def year_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per publication year (rows) and citing review (columns); no unknown years."""
    known = frame.dropna(subset=["year"])
    return _per_review(known["year"].astype(int), known).rename_axis(index="year")


def journal_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per journal and citing review, journals matched by ``journal_key``.

    Each journal is named by `journal_names`; rows are sorted by total count, then name.
    """
    known = frame.dropna(subset=["journal_key"])
    names = journal_names(known["journal_key"].tolist(), known["journal"].tolist())
    table = _per_review(known["journal_key"], known)
    table.index = table.index.map(names).rename("journal")
    order = (
        table.sum(axis=1)
        .rename("total")
        .reset_index()
        .sort_values(["total", "journal"], ascending=[False, True])
    )
    return table.loc[order["journal"]]


def _per_review(labels: pd.Series, frame: pd.DataFrame) -> pd.DataFrame:
    """How many rows of ``frame`` carry each label (rows, sorted) per citing review (columns,
    in the order the frame first lists them): a crosstab, counted in one array operation."""
    label_codes, label_values = pd.factorize(labels, sort=True)
    review_codes, reviews = pd.factorize(frame["review_pmid"].astype(str))
    counts = np.zeros((len(label_values), len(reviews)), dtype=np.int64)
    np.add.at(counts, (label_codes, review_codes), 1)
    return pd.DataFrame(
        counts,
        index=pd.Index(label_values, name=labels.name),
        columns=pd.Index(reviews, name="review_pmid"),
    )
