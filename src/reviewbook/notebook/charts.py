"""Charts of a reference list and its annotations: when the cited papers appeared, where, and
what the reviews claim.

Bar charts are inline SVG drawn by one routine (`_bar`, `_svg`): they render in JupyterLab, on
GitHub and in exported HTML, cost no plotting library, and print a one-line summary as their
plain text. The evidence heatmap is an HTML table.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import numpy as np
import pandas as pd

from reviewbook.annotations.model import Annotations
from reviewbook.notebook.html import Html
from reviewbook.tables.claims import matrix_axes, named_evidence
from reviewbook.tables.counts import journal_counts, year_counts

REVIEW_COLOURS = ("#1f6feb", "#f0883e", "#2da44e", "#a371f7", "#cf222e", "#6e7781")
"""Bar colours, one per citing review in the order the frame lists them."""
BAR = 22
"""Thickness of a bar, and the spacing unit of the charts, in pixels."""
HISTOGRAM_SIZE = (640, 90)
"""Width and height of the explorer's year histogram in pixels."""
HISTOGRAM_COLOURS = ("#d0d7de", "#1f6feb")
"""The histogram's bars: every reference of a year, then the matching ones drawn over them."""
HEAT_COLOURS = ("#ffffff", "#fde6c8", "#fbc98e", "#f7a35c", "#e8743b", "#c4481c")
"""Heatmap fill by number of claims: none, 1, 2, 3, 4, 5 or more."""


# --- drawing --------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A coordinate as SVG text: whole numbers as they are, fractions to one decimal."""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _bar(x: float, y: float, width: float, height: float, colour: str, tip: str) -> str:
    """One SVG bar with an escaped tooltip."""
    box = " ".join(
        f'{name}="{_number(value)}"'
        for name, value in (("x", x), ("y", y), ("width", width), ("height", height))
    )
    return f'<rect {box} fill="{colour}"><title>{escape(tip)}</title></rect>'


def _svg(width: float, height: float, label: str, shapes: Iterable[str]) -> str:
    """An inline SVG image of ``shapes``, named ``label`` for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">{"".join(shapes)}</svg>'
    )


# --- references per year and journal ----------------------------------------------------------


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
            tip = f"{name}: {count} cited by {review}"
            if vertical:
                x, y = 40 + position * BAR, 10 + length - offset - size
                shapes.append(_bar(x, y, BAR - 2, size, colour, tip))
            else:
                x, y = label_room + offset, 10 + position * BAR
                shapes.append(_bar(x, y, size, BAR - 4, colour, tip))
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
        f"(longest bar: {peak})</figcaption>{_svg(width, height, title, shapes)}"
        f'<div style="font-size:small">{legend}</div></figure>'
    )
    bars = len(counts)
    return Html(markup, f"{title}: {bars} bars, {int(counts.values.sum())} references")


def year_histogram(totals: np.ndarray, matching: np.ndarray, bounds: tuple[int, int] | None) -> str:
    """The explorer's SVG of references per year from ``bounds[0]``: all of them (``totals``)
    in grey, the ones passing its filters (``matching``) in blue."""
    if bounds is None or totals.size == 0:
        return "<p><i>No reference has a known year.</i></p>"
    width, height = HISTOGRAM_SIZE
    plot_height = height - 16
    peak = max(int(totals.max()), 1)
    bar = width / totals.size
    shapes = []
    for offset, (total, match) in enumerate(zip(totals.tolist(), matching.tolist(), strict=True)):
        if not total:
            continue
        x = offset * bar
        tip = f"{bounds[0] + offset}: {match} of {total}"
        for count, colour in zip((total, match), HISTOGRAM_COLOURS, strict=True):
            if count:
                bar_height = plot_height * count / peak
                shapes.append(
                    _bar(x, plot_height - bar_height, max(bar - 1, 1.0), bar_height, colour, tip)
                )
    shapes.append(
        f'<text x="0" y="{height - 2}" font-size="11">{bounds[0]}</text>'
        f'<text x="{width}" y="{height - 2}" font-size="11" text-anchor="end">{bounds[1]}</text>'
    )
    return _svg(width, height, "references per year", shapes)


# --- what the reviews claim -------------------------------------------------------------------


def evidence_heatmap(annotations: Iterable[Annotations]) -> Html:
    """Cell type x metastatic step as a coloured table: claims per entry, with their roles."""
    evidence = named_evidence(list(annotations))
    cells, steps = matrix_axes(evidence)
    header = "".join(
        f'<th style="writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal">'
        f"{escape(step)}</th>"
        for step in steps
    )
    rows = []
    for cell in cells:
        entries = []
        for step in steps:
            group = evidence[(evidence["cell"] == cell) & (evidence["step"] == step)]
            count = len(group)
            colour = HEAT_COLOURS[min(count, len(HEAT_COLOURS) - 1)]
            roles = ", ".join(sorted({str(role) for role in group["role"].dropna()}))
            title = escape(f"{cell} / {step}: {count} claims" + (f" ({roles})" if roles else ""))
            label = str(count) if count else ""
            entries.append(
                f'<td title="{title}" style="background:{colour};text-align:center;'
                f'min-width:2em">{label}</td>'
            )
        rows.append(f'<tr><th style="text-align:left">{escape(cell)}</th>{"".join(entries)}</tr>')
    markup = (
        '<table class="reviewbook-heatmap" style="border-collapse:collapse">'
        f"<tr><th></th>{header}</tr>{''.join(rows)}</table>"
    )
    return Html(markup, f"evidence heatmap: {len(cells)} cell types x {len(steps)} steps")
