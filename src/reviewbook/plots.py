"""Charts of a reference list: when the cited papers appeared and where."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes


def year_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per publication year (rows) and citing review (columns); no unknown years."""
    known = frame.dropna(subset=["year"])
    table = pd.crosstab(known["year"].astype(int), known["review_pmid"].astype(str))
    table.index.name, table.columns.name = "year", "review_pmid"
    return table[_reviews_in_order(known)]


def journal_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """References per journal and citing review, journals matched by ``journal_key``.

    Each journal is named by its most common printed form; rows are sorted by total count,
    then name.
    """
    known = frame.dropna(subset=["journal_key"])
    names = (
        known.groupby("journal_key")["journal"]
        .agg(lambda printed: printed.value_counts().sort_index().idxmax())
        .rename("journal")
    )
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


def plot_reference_years(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bars of references per year, stacked by citing review."""
    counts = year_counts(frame)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    if counts.empty:
        return _nothing_to_plot(ax, "no reference with a known year")
    full_range = range(int(counts.index.min()), int(counts.index.max()) + 1)
    counts = counts.reindex(full_range, fill_value=0)
    counts.plot.bar(ax=ax, stacked=True, width=0.8, rot=0)
    ax.set_xlabel("publication year of the cited paper")
    ax.set_ylabel("references")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="citing review (PMID)", fontsize="small")
    ax.figure.tight_layout()
    return ax


def plot_journals(frame: pd.DataFrame, ax: Axes | None = None, top: int = 10) -> Axes:
    """Horizontal bars of references per journal (the ``top`` most cited), stacked by review."""
    counts = journal_counts(frame).head(top).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.4 * len(counts) + 1.2))
    if counts.empty:
        return _nothing_to_plot(ax, "no reference with a known journal")
    counts.plot.barh(ax=ax, stacked=True)
    ax.set_xlabel("references")
    ax.set_ylabel("")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="citing review (PMID)", fontsize="small")
    ax.figure.tight_layout()
    return ax


def _nothing_to_plot(ax: Axes, message: str) -> Axes:
    """An empty chart that says why it is empty (a review without references, say)."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def _reviews_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["review_pmid"].astype(str)))
