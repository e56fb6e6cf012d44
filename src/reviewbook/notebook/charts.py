"""Charts of a reference list: when the cited papers appeared and where.

Drawn as inline SVG: they render in JupyterLab, on GitHub and in exported HTML, cost no plotting
library, and print a one-line summary as their plain text.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from reviewbook.notebook.cards import Html


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


REVIEW_COLOURS = ("#1f6feb", "#f0883e", "#2da44e", "#a371f7", "#cf222e", "#6e7781")
"""Bar colours, one per citing review in the order the frame lists them."""
BAR = 22
"""Thickness of a bar, and the spacing unit of the charts, in pixels."""


def plot_reference_years(frame: pd.DataFrame) -> Html:
    """Vertical bars of references per year (every year in the range), stacked by review."""
    counts = year_counts(frame)
    if counts.empty:
        return Html(
            "<p><em>no reference with a known year</em></p>", "no reference with a known year"
        )
    years = range(int(counts.index.min()), int(counts.index.max()) + 1)
    counts = counts.reindex(years, fill_value=0)
    return _stacked_bars(counts, vertical=True, title="references per publication year")


def plot_journals(frame: pd.DataFrame, top: int = 10) -> Html:
    """Horizontal bars of references per journal (the ``top`` most cited), stacked by review."""
    counts = journal_counts(frame).head(top)
    if counts.empty:
        return Html(
            "<p><em>no reference with a known journal</em></p>",
            "no reference with a known journal",
        )
    return _stacked_bars(counts, vertical=False, title="references per journal")


def _stacked_bars(counts: pd.DataFrame, *, vertical: bool, title: str) -> Html:
    """An inline SVG bar chart of ``counts`` (rows are bars, columns the stacked reviews)."""
    peak = max(int(counts.sum(axis=1).max()), 1)
    label_room = 0 if vertical else 8 * max(len(str(name)) for name in counts.index) + 8
    length = 240 if vertical else 320
    shapes: list[str] = []
    for position, (name, row) in enumerate(counts.iterrows()):
        offset = 0.0
        for column, (review, count) in enumerate(row.items()):
            if not count:
                continue
            size = length * int(count) / peak
            colour = REVIEW_COLOURS[column % len(REVIEW_COLOURS)]
            tip = escape(f"{name}: {count} cited by {review}")
            if vertical:
                x, y = 40 + position * BAR, 10 + length - offset - size
                box = f'x="{x}" y="{y:.1f}" width="{BAR - 2}" height="{size:.1f}"'
            else:
                x, y = label_room + offset, 10 + position * BAR
                box = f'x="{x:.1f}" y="{y}" width="{size:.1f}" height="{BAR - 4}"'
            shapes.append(f'<rect {box} fill="{colour}"><title>{tip}</title></rect>')
            offset += size
        if vertical:
            x = 40 + position * BAR + BAR / 2
            shapes.append(
                f'<text x="{x:.1f}" y="{length + 22}" font-size="10" text-anchor="end" '
                f'transform="rotate(-60 {x:.1f} {length + 22})">{escape(str(name))}</text>'
            )
        else:
            y = 10 + position * BAR + BAR / 2
            shapes.append(
                f'<text x="{label_room - 6}" y="{y:.1f}" font-size="11" text-anchor="end" '
                f'dominant-baseline="middle">{escape(str(name))}</text>'
            )
    shapes.append(
        f'<text x="2" y="10" font-size="10">{peak}</text>'
        if vertical
        else f'<text x="{label_room + length}" y="8" font-size="10" text-anchor="end">{peak}</text>'
    )
    width = 60 + len(counts) * BAR if vertical else label_room + length + 20
    height = length + 60 if vertical else 20 + len(counts) * BAR
    legend = "".join(
        f'<span style="margin-right:1em"><span style="display:inline-block;width:10px;'
        f'height:10px;background:{REVIEW_COLOURS[i % len(REVIEW_COLOURS)]}"></span> '
        f"PMID {escape(str(review))}</span>"
        for i, review in enumerate(counts.columns)
    )
    markup = (
        f'<figure class="reviewbook-chart" style="margin:0"><figcaption>{escape(title)} '
        f'(longest bar: {peak})</figcaption><svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f'{"".join(shapes)}</svg><div style="font-size:small">{legend}</div></figure>'
    )
    bars = len(counts)
    return Html(markup, f"{title}: {bars} bars, {int(counts.values.sum())} references")


def _reviews_in_order(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["review_pmid"].astype(str)))
