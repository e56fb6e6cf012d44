"""Charts of a reference list and its annotations: when the cited papers appeared, where, and
what the reviews claim.

Bar charts are SVG drawn by one routine (`_bar`, `_svg`) and shown as an ``<img>`` whose source
is the SVG itself (a ``data:`` address): JupyterLab draws that even in a notebook it does not
trust (it strips inline ``<svg>`` there), and so do GitHub and exported HTML. An image does not
inherit the page's colours, so every chart is drawn on its own light panel and stays legible in
a dark theme. Reviews are told apart by fill pattern and a labelled legend, not by colour alone.
Each chart prints a one-line summary as its plain text. The evidence heatmap is an HTML table.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

import numpy as np
import pandas as pd

from reviewbook.annotations.model import Annotations
from reviewbook.model import Article
from reviewbook.notebook.fulltext import OPENING_TEXT
from reviewbook.notebook.html import Html
from reviewbook.tables.claims import evidence_entries
from reviewbook.tables.counts import journal_counts, year_counts
from reviewbook.tables.fulltext import sections_frame

REVIEW_COLOURS = ("#1f6feb", "#f0883e", "#2da44e", "#a371f7", "#cf222e", "#6e7781")
"""Bar colours, one per citing review in the order the frame lists them."""
REVIEW_PATTERNS = ("solid", "stripes", "dots", "crosses")
"""Bar fills, one per citing review with its colour: a second signal beside the colour."""
PANEL_COLOUR = "#ffffff"
"""The background every chart is drawn on (an image cannot take the page's colours)."""
INK_COLOUR = "#1f2328"
"""Text and axis colour on the panel: contrast 15.8 to 1 against white."""
BAR = 22
"""Thickness of a bar, and the spacing unit of the charts, in pixels."""
LEGEND_ROW = 18
"""Height of one legend line under a chart, in pixels."""
HISTOGRAM_SIZE = (640, 90)
"""Width and height of the explorer's year histogram in pixels."""
HISTOGRAM_COLOURS = ("#d0d7de", "#1f6feb")
"""The histogram's bars: every reference of a year, then the matching ones drawn over them."""
HEAT_COLOURS = ("#ffffff", "#fde6c8", "#fbc98e", "#f7a35c", "#e8743b", "#c4481c")
"""Heatmap fill by number of claims: none, 1, 2, 3, 4, 5 or more."""
HEAT_INK = ("#1f2328", "#1f2328", "#1f2328", "#1f2328", "#1f2328", "#ffffff")
"""Heatmap text colour for each fill of `HEAT_COLOURS` (contrast at least 4.5 to 1)."""
SUGGESTED_MARK = (
    "display:inline-block;margin-left:3px;padding:0 3px;border:1px dashed currentColor;"
    "border-radius:3px;font-style:italic;font-size:0.85em"
)
"""How a heatmap entry shows the count of suggested statements, apart from our claims'."""
SECTION_LABEL_LENGTH = 40
"""The most characters of a section's heading written beside its bar (the alternative text
names it whole)."""


# --- drawing --------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A coordinate as SVG text: whole numbers as they are, fractions to one decimal."""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _bar(x: float, y: float, width: float, height: float, fill: str) -> str:
    """One SVG bar; ``fill`` is a colour or a ``url(#pattern)``.

    No tooltip: a chart is an image (`svg_image`), and a browser shows no ``<title>`` from
    inside an image, so the numbers a bar stands for are in the table beside each chart.
    """
    box = " ".join(
        f'{name}="{_number(value)}"'
        for name, value in (("x", x), ("y", y), ("width", width), ("height", height))
    )
    return f'<rect {box} fill="{fill}"/>'


def _pattern(number: int) -> str:
    """The SVG ``<pattern>`` of review ``number`` (its colour, crossed by white marks)."""
    colour = REVIEW_COLOURS[number % len(REVIEW_COLOURS)]
    kind = REVIEW_PATTERNS[number % len(REVIEW_PATTERNS)]
    marks = {
        "solid": "",
        "stripes": '<path d="M0 6L6 0" stroke="#ffffff" stroke-width="1.5"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
        "crosses": '<path d="M0 0L6 6M0 6L6 0" stroke="#ffffff" stroke-width="1"/>',
    }[kind]
    return (
        f'<pattern id="review{number}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )


def _review_fill(number: int) -> str:
    return f"url(#review{number})"


def _svg(width: float, height: float, label: str, shapes: Iterable[str], defs: str = "") -> str:
    """An SVG image of ``shapes`` on a light panel, named ``label`` for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(width)}" '
        f'height="{_number(height)}" role="img" aria-label="{escape(label)}" '
        f'font-family="sans-serif" fill="{INK_COLOUR}">'
        + (f"<defs>{defs}</defs>" if defs else "")
        + f'<rect width="100%" height="100%" fill="{PANEL_COLOUR}"/>{"".join(shapes)}</svg>'
    )


def svg_image(svg: str, width: float, height: float, label: str) -> str:
    """``svg`` as an ``<img>`` with the SVG inside its ``data:`` address: drawn in trusted and
    untrusted notebooks alike; ``label`` is its alternative text."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="reviewbook-chart-image" src="data:image/svg+xml;base64,{encoded}" '
        f'width="{_number(width)}" height="{_number(height)}" alt="{escape(label)}">'
    )


def image_svg(markup: str) -> str:
    """The SVG inside the first image `svg_image` made in ``markup`` (for tests and readers)."""
    start = markup.index("data:image/svg+xml;base64,") + len("data:image/svg+xml;base64,")
    end = markup.index('"', start)
    return base64.b64decode(markup[start:end]).decode("utf-8")


def _legend(names: Sequence[str], top: float) -> list[str]:
    """One legend line per review: its pattern swatch and its name."""
    shapes = []
    for number, name in enumerate(names):
        y = top + number * LEGEND_ROW
        swatch = _review_fill(number)
        shapes.append(f'<rect x="10" y="{y}" width="24" height="12" fill="{swatch}"/>')
        shapes.append(f'<text x="40" y="{y + 10}" font-size="11">{escape(name)}</text>')
    return shapes


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
    """An SVG bar chart of ``counts`` (rows are bars, columns the stacked reviews), one pattern
    and legend line per review."""
    peak = max(int(counts.sum(axis=1).max()), 1)
    label_room = 0 if vertical else 7 * max(len(str(name)) for name in counts.index) + 14
    length = 240 if vertical else 320
    shapes: list[str] = []
    for position, (name, row) in enumerate(counts.iterrows()):
        offset = 0.0
        for column, count in enumerate(row.tolist()):
            if not count:
                continue
            size = length * int(count) / peak
            if vertical:
                x, y = 40 + position * BAR, 10 + length - offset - size
                shapes.append(_bar(x, y, BAR - 2, size, _review_fill(column)))
            else:
                x, y = label_room + offset, 10 + position * BAR
                shapes.append(_bar(x, y, size, BAR - 4, _review_fill(column)))
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
    reviews = [f"PMID {review}" for review in counts.columns]
    width = max(60 + len(counts) * BAR if vertical else label_room + length + 20, 200)
    top = length + 60 if vertical else 20 + len(counts) * BAR
    shapes += _legend(reviews, top)
    height = top + LEGEND_ROW * len(reviews) + 4
    defs = "".join(_pattern(number) for number in range(len(reviews)))
    label = f"{title}, by {', '.join(reviews)} (longest bar: {peak})"
    markup = (
        f'<figure class="reviewbook-chart" style="margin:0"><figcaption>{escape(title)} '
        f"(longest bar: {peak})</figcaption>"
        f"{svg_image(_svg(width, height, label, shapes, defs), width, height, label)}</figure>"
    )
    bars = len(counts)
    return Html(markup, f"{title}: {bars} bars, {int(counts.values.sum())} references")


def year_histogram(totals: np.ndarray, matching: np.ndarray, bounds: tuple[int, int] | None) -> str:
    """The explorer's chart of references per year from ``bounds[0]``: all of them (``totals``)
    as grey bars, the ones passing its filters (``matching``) as blue bars over them."""
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
        for count, colour in zip((total, match), HISTOGRAM_COLOURS, strict=True):
            if count:
                bar_height = plot_height * count / peak
                shapes.append(
                    _bar(x, plot_height - bar_height, max(bar - 1, 1.0), bar_height, colour)
                )
    baseline = height - 3
    shapes.append(
        f'<text x="2" y="{baseline}" font-size="11">{bounds[0]}</text>'
        f'<text x="{width - 2}" y="{baseline}" font-size="11" text-anchor="end">{bounds[1]}</text>'
    )
    label = f"references per year, {bounds[0]} to {bounds[1]}: all in grey, matching in blue"
    return svg_image(_svg(width, height, label, shapes), width, height, label)


# --- a full text's citations per section -----------------------------------------------------


def plot_citations_by_section(article: Article) -> Html:
    """Horizontal bars of the in-text citations of each top-level section of a full text, its
    subsections' included, the count written at each bar's end; the caption says how many more
    sit in figures, tables and boxes."""
    counts = section_citation_counts(article)
    if counts.empty:
        return Html(
            "<p><em>no full text: no in-text citation to count</em></p>",
            "no full text: no in-text citation to count",
        )
    total = len(article.body.citations) if article.body else 0
    in_floats = total - int(counts.sum())
    peak = max(int(counts.max()), 1)
    names = [_shortened(str(name), SECTION_LABEL_LENGTH) for name in counts.index]
    label_room = 7 * max(len(name) for name in names) + 14
    length = 320
    shapes: list[str] = []
    for position, (name, count) in enumerate(zip(names, counts.tolist(), strict=True)):
        y = 10 + position * BAR
        size = length * int(count) / peak
        middle = f"{y + (BAR - 4) / 2:.1f}"
        if count:
            shapes.append(_bar(label_room, y, size, BAR - 4, REVIEW_COLOURS[0]))
        shapes.append(
            f'<text x="{label_room - 6}" y="{middle}" font-size="11" text-anchor="end" '
            f'dominant-baseline="middle">{escape(name)}</text>'
            f'<text x="{label_room + size + 4:.1f}" y="{middle}" font-size="11" '
            f'dominant-baseline="middle">{int(count)}</text>'
        )
    width = label_room + length + 40
    height = 20 + len(counts) * BAR
    title = "in-text citations per section"
    bars = ", ".join(f"{name} {int(count)}" for name, count in counts.items())
    label = f"{title}: {bars}"
    floats = f"; {in_floats} more in figures, tables and boxes" if in_floats else ""
    markup = (
        f'<figure class="reviewbook-chart" style="margin:0"><figcaption>{escape(title)} '
        f"(longest bar: {peak}{floats})</figcaption>"
        f"{svg_image(_svg(width, height, label, shapes), width, height, label)}</figure>"
    )
    summary = f"{title}: {len(counts)} bars, {int(counts.sum())} citations{floats}"
    return Html(markup, summary)


def section_citation_counts(article: Article) -> pd.Series:
    """The in-text citations of each top-level section (label and title), its subsections'
    included, in document order; text before the first section, if any, comes first (as
    `OPENING_TEXT`). Citations in figures, tables and boxes are not counted."""
    sections = sections_frame(article)
    counts: dict[str, int] = {}
    name = ""
    for row in sections.itertuples(index=False):
        if int(row.level) <= 1:
            parts = (row.label, row.title) if int(row.level) else (OPENING_TEXT,)
            name = " ".join(str(part) for part in parts if not pd.isna(part)) or str(row.path)
            name = _unique(name, counts)
            counts[name] = 0
        counts[name] += int(row.citations)
    return pd.Series(counts, dtype="int64", name="citations")


def _unique(name: str, taken: dict[str, int]) -> str:
    """``name``, numbered (``Conclusion (2)``) when an earlier bar has it."""
    number, unique = 1, name
    while unique in taken:
        number += 1
        unique = f"{name} ({number})"
    return unique


def _shortened(text: str, most: int) -> str:
    """``text``, cut to ``most`` characters with an ellipsis when longer."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# --- what the reviews claim -------------------------------------------------------------------


def evidence_heatmap(
    annotations: Iterable[Annotations], statements: pd.DataFrame | None = None
) -> Html:
    """Cell type x metastatic step as a coloured table: claims per entry, with their roles.

    Given ``statements`` (a statements frame), each entry also shows, apart and marked as
    suggested (`SUGGESTED_MARK`, explained in a legend under the table), how many suggested
    statements name that cell type and step; the colour counts our claims only. Statements
    already accepted or rejected are not suggested (`open_statements`).
    """
    evidence, suggested, cells, steps = evidence_entries(list(annotations), statements)
    roles_of = _roles_by_entry(evidence)
    suggested_of = {} if suggested is None else _roles_by_entry(suggested)
    header = "".join(
        f'<th style="writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal">'
        f"{escape(step)}</th>"
        for step in steps
    )
    rows = []
    for cell in cells:
        entries = []
        for step in steps:
            found = roles_of.get((cell, step), [])
            count = len(found)
            colour = HEAT_COLOURS[min(count, len(HEAT_COLOURS) - 1)]
            title = f"{cell} / {step}: {count} claims{_roles_note(found)}"
            label = str(count) if count else ""
            if suggested is not None:
                more = suggested_of.get((cell, step), [])
                title += f"; {len(more)} suggested statements{_roles_note(more)}"
                if more:
                    label += (
                        f'<span class="reviewbook-suggested" style="{SUGGESTED_MARK}">'
                        f"{len(more)}</span>"
                    )
            ink = HEAT_INK[min(count, len(HEAT_INK) - 1)]
            entries.append(
                f'<td title="{escape(title)}" style="background:{colour};color:{ink};'
                f'text-align:center;min-width:2em">{label}</td>'
            )
        rows.append(f'<tr><th style="text-align:left">{escape(cell)}</th>{"".join(entries)}</tr>')
    markup = (
        '<table class="reviewbook-heatmap" style="border-collapse:collapse">'
        f"<tr><th></th>{header}</tr>{''.join(rows)}</table>"
    )
    summary = f"evidence heatmap: {len(cells)} cell types x {len(steps)} steps"
    if suggested is not None:
        markup += _suggested_legend()
        summary += f", {len(suggested)} suggestions apart"
    return Html(markup, summary)


def _roles_by_entry(evidence: pd.DataFrame) -> dict[tuple[str, str], list[object]]:
    """The roles of the rows naming each ``(cell, step)``, in frame order."""
    roles_of: dict[tuple[str, str], list[object]] = {}
    for cell, step, role in zip(evidence["cell"], evidence["step"], evidence["role"], strict=True):
        roles_of.setdefault((cell, step), []).append(role)
    return roles_of


def _roles_note(roles: list[object]) -> str:
    """`` (inhibits, promotes)``: the roles stated, sorted, or nothing when none is."""
    stated = ", ".join(sorted({str(role) for role in roles if not pd.isna(role)}))
    return f" ({stated})" if stated else ""


def _suggested_legend() -> str:
    """What the numbers of a heatmap with suggested statements mean."""
    sample = f'<span class="reviewbook-suggested" style="{SUGGESTED_MARK}">n</span>'
    return (
        '<p class="reviewbook-heatmap-legend" style="font-size:12px;margin:4px 0">'
        "Number and colour: our claims. "
        f"{sample} in a dashed box: suggested statements, found by the tagger in the reviews' "
        "full texts and not yet accepted or rejected (not counted in the colour).</p>"
    )


# --- which reviews cite the same papers -------------------------------------------------------

OVERLAP_SPAN = 560
"""Width and height of the overlap heatmap's grid in pixels, however many reviews it shows."""
OVERLAP_CELL = (6, 40)
"""The smallest and largest side of one entry of the overlap heatmap, in pixels."""
DIAGONAL_COLOUR = "#d0d7de"
"""The diagonal (the papers a review cites), set apart from the shared counts."""


def overlap_heatmap(matrix: pd.DataFrame) -> Html:
    """An `overlap_matrix` as a coloured grid (an SVG image): one row and column per review,
    each entry shaded by the papers the two share (darkest: the most any pair shares), its
    count written in it when there is room (the matrix itself has every count)."""
    reviews = [str(pmid) for pmid in matrix.index]
    if not reviews:
        return Html("<p><em>no review to compare</em></p>", "no review to compare")
    counts = matrix.to_numpy(dtype=np.int64, na_value=0)
    shared = counts[~np.eye(len(reviews), dtype=bool)]
    peak = int(shared.max()) if shared.size else 0
    cell = max(OVERLAP_CELL[0], min(OVERLAP_CELL[1], OVERLAP_SPAN // len(reviews)))
    font = max(5, min(11, cell - 2))
    label_room = int(font * 0.62 * max(len(pmid) for pmid in reviews)) + 8
    shapes = []
    squares: dict[str, list[str]] = {}  # one path per fill: a third of the size of rectangles
    for row, first in enumerate(reviews):
        y = label_room + row * cell
        shapes.append(
            f'<text x="{label_room - 4}" y="{y + cell / 2:.1f}" font-size="{font}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(first)}</text>'
        )
        for column, count in enumerate(counts[row].tolist()):
            x = label_room + column * cell
            if row == column:
                colour, ink = DIAGONAL_COLOUR, INK_COLOUR
            else:
                colour, ink = _overlap_colours(count, peak)
            squares.setdefault(colour, []).append(f"M{x} {y}h{cell - 1}v{cell - 1}h-{cell - 1}z")
            if cell >= 24:
                shapes.append(
                    f'<text x="{x + (cell - 1) / 2:.1f}" y="{y + (cell - 1) / 2:.1f}" '
                    f'font-size="{font}" fill="{ink}" text-anchor="middle" '
                    f'dominant-baseline="middle">{count}</text>'
                )
    for column, second in enumerate(reviews):
        x = label_room + column * cell + cell / 2
        shapes.append(
            f'<text x="{x:.1f}" y="{label_room - 4}" font-size="{font}" '
            f'transform="rotate(-90 {x:.1f} {label_room - 4})">{escape(second)}</text>'
        )
    shapes[:0] = [
        f'<path fill="{colour}" d="{"".join(path)}"/>' for colour, path in squares.items()
    ]
    side = label_room + len(reviews) * cell + 4
    title = "papers cited by both reviews of each pair"
    label = f"{title}, {len(reviews)} reviews (most shared by a pair: {peak})"
    markup = (
        f'<figure class="reviewbook-chart" style="margin:0"><figcaption>{escape(title)} '
        f"(most shared by a pair: {peak}; the diagonal: papers each review cites)</figcaption>"
        f"{svg_image(_svg(side, side, label, shapes), side, side, label)}</figure>"
    )
    return Html(markup, f"{title}: {len(reviews)} reviews, most shared by a pair {peak}")


def _overlap_colours(count: int, peak: int) -> tuple[str, str]:
    """Fill and ink of an overlap entry: white for none, then `HEAT_COLOURS` up to ``peak``."""
    if not count:
        return HEAT_COLOURS[0], HEAT_INK[0]
    level = 1 + (len(HEAT_COLOURS) - 2) * (count - 1) // max(peak - 1, 1)
    return HEAT_COLOURS[level], HEAT_INK[level]
