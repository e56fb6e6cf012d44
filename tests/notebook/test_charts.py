"""Charts as SVG images and HTML: stacked bars per year and journal, the explorer's histogram,
the evidence heatmap; each drawn from the same bar routine, escaped, on a light panel, and
legible (text contrast computed from the colours)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from reviewbook import references_frame
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim
from reviewbook.model import Article
from reviewbook.notebook.charts import (
    DIAGONAL_COLOUR,
    HEAT_COLOURS,
    HEAT_INK,
    INK_COLOUR,
    PANEL_COLOUR,
    REVIEW_COLOURS,
    evidence_heatmap,
    image_svg,
    overlap_heatmap,
    plot_citations_by_section,
    plot_journals,
    plot_reference_years,
    section_citation_counts,
    year_histogram,
)
from reviewbook.sources.jats import parse_jats
from reviewbook.tables.overlap import overlap_matrix
from tests.conftest import ROOT, expected_article

FULLTEXT = (ROOT / ".." / "shared" / "fulltext").resolve()
"""The real full texts, beside the repository."""


def real(name: str) -> Article:
    return parse_jats((FULLTEXT / f"{name}.nxml").read_bytes())


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([expected_article("29037250"), expected_article("21387299")])


def test_years_are_stacked_vertical_bars_one_per_year_of_the_range(both: pd.DataFrame) -> None:
    chart = plot_reference_years(both)
    assert repr(chart) == "references per publication year: 10 bars, 10 references"
    svg = image_svg(chart._repr_html_())
    assert svg.count("<rect x=") == 7 + 2  # the bars, then one legend swatch per review
    assert ('<rect x="40" y="170.0" width="20" height="80.0" fill="url(#review0)"/>') in svg
    assert "<title>" not in svg  # an image shows no tooltip: the table beside it has the counts
    assert (
        'aria-label="references per publication year, by PMID 29037250, PMID 21387299 '
        '(longest bar: 3)"'
    ) in svg
    assert "(longest bar: 3)" in chart._repr_html_()


def test_journals_are_horizontal_bars_named_by_their_most_printed_form(
    both: pd.DataFrame,
) -> None:
    chart = plot_journals(both, top=2)
    assert repr(chart) == "references per journal: 2 bars, 8 references"
    svg = image_svg(chart._repr_html_())
    assert ('<rect x="112.0" y="10" width="160.0" height="18" fill="url(#review0)"/>') in svg
    assert ">Nature</text>" in svg


def test_citations_per_section_are_horizontal_bars_of_the_top_level_sections() -> None:
    chart = plot_citations_by_section(real("PMC12599256"))
    assert repr(chart) == (
        "in-text citations per section: 5 bars, 63 citations; 6 more in figures, tables and boxes"
    )
    markup = chart._repr_html_()
    assert markup.count('<img class="reviewbook-chart-image"') == 1
    assert "(longest bar: 20; 6 more in figures, tables and boxes)</figcaption>" in markup
    svg = image_svg(markup)
    assert svg.count("<rect x=") == 5
    assert (
        'aria-label="in-text citations per section: Introduction 20, Increased and guided '
        "immune responses 14, Overcoming tumor immune suppression 17, COX-1/2 PROTACs 5, "
        'Conclusion 7"'
    ) in svg
    # the subsections' 16 citations count with their section's 1; the count ends each bar
    assert (
        f'<rect x="273" y="54" width="272.0" height="18" fill="{REVIEW_COLOURS[0]}"/>'
        '<text x="267" y="63.0" font-size="11" text-anchor="end" dominant-baseline="middle">'
        'Overcoming tumor immune suppression</text><text x="549.0" y="63.0" font-size="11" '
        'dominant-baseline="middle">17</text>'
    ) in svg


def test_citations_per_section_start_with_text_before_the_first_heading() -> None:
    counts = section_citation_counts(real("PMC2599765"))
    assert counts.to_dict() == {
        "Text before the first section": 36,
        "Materials and Methods": 7,
        "Results": 1,
        "Discussion": 38,
    }


def test_long_section_headings_are_shortened_beside_their_bar_not_in_the_alt_text() -> None:
    svg = image_svg(plot_citations_by_section(real("PMC12578317")).markup)
    assert ">Gut mycobiome as a modulator and predic…</text>" in svg
    assert "Gut mycobiome as a modulator and predictor of cancer immunotherapy response 16" in svg


def test_citations_per_section_of_a_review_without_full_text_say_so() -> None:
    chart = plot_citations_by_section(expected_article("29037250"))
    assert repr(chart) == "no full text: no in-text citation to count"
    assert chart.markup == "<p><em>no full text: no in-text citation to count</em></p>"


def test_year_histogram_draws_all_then_matching_bars_with_the_year_range() -> None:
    image = year_histogram(np.array([2, 0, 1]), np.array([1, 0, 0]), (2002, 2004))
    label = "references per year, 2002 to 2004: all in grey, matching in blue"
    assert image.startswith('<img class="reviewbook-chart-image" src="data:image/svg+xml;base64,')
    assert image.endswith(f'" width="640" height="90" alt="{label}">')
    assert image_svg(image) == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="90" role="img" '
        f'aria-label="{label}" font-family="sans-serif" fill="#1f2328">'
        '<rect width="100%" height="100%" fill="#ffffff"/>'
        '<rect x="0.0" y="0.0" width="212.3" height="74.0" fill="#d0d7de"/>'
        '<rect x="0.0" y="37.0" width="212.3" height="37.0" fill="#1f6feb"/>'
        '<rect x="426.7" y="37.0" width="212.3" height="37.0" fill="#d0d7de"/>'
        '<text x="2" y="87" font-size="11">2002</text>'
        '<text x="638" y="87" font-size="11" text-anchor="end">2004</text></svg>'
    )


def test_year_histogram_without_known_years_says_so() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert year_histogram(empty, empty, None) == "<p><i>No reference has a known year.</i></p>"


def test_heatmap_colours_entries_by_claim_count_and_escapes_names() -> None:
    claims = tuple(
        Claim(f"c{n}", "S.", Quote("q"), "abstract", ("platelet",), ("dormancy",), role)
        for n, role in enumerate(("promotes", "inhibits", None))
    )
    heatmap = evidence_heatmap([Annotations(pmid="1", claims=claims)])
    assert repr(heatmap) == "evidence heatmap: 1 cell types x 7 steps"
    assert (
        '<td title="platelet / dormancy: 3 claims (inhibits, promotes)" '
        'style="background:#f7a35c;color:#1f2328;text-align:center;min-width:2em">3</td>'
    ) in heatmap._repr_html_()
    assert heatmap._repr_html_().count("<tr>") == 2


def test_charts_of_a_review_without_references_say_so() -> None:
    empty = references_frame(Article(pmid="1", title="No references"))
    years, journals = plot_reference_years(empty), plot_journals(empty)
    assert repr(years) == "no reference with a known year"
    assert repr(journals) == "no reference with a known journal"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_text_and_heatmap_numbers_meet_wcag_aa_contrast() -> None:
    assert round(contrast(INK_COLOUR, PANEL_COLOUR), 1) == 15.8
    ratios = [
        round(contrast(ink, fill), 1) for ink, fill in zip(HEAT_INK, HEAT_COLOURS, strict=True)
    ]
    assert ratios == [15.8, 13.0, 10.4, 7.8, 5.3, 4.9]
    assert min(ratios) >= 4.5


def test_reviews_are_told_apart_by_pattern_and_a_labelled_legend(both: pd.DataFrame) -> None:
    svg = image_svg(plot_reference_years(both)._repr_html_())
    assert '<pattern id="review0" width="6" height="6" patternUnits="userSpaceOnUse">' in svg
    assert (
        '<pattern id="review1" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#f0883e"/>'
        '<path d="M0 6L6 0" stroke="#ffffff" stroke-width="1.5"/></pattern>'
    ) in svg
    assert 'fill="url(#review1)"/>' in svg
    assert '<text x="40" y="310" font-size="11">PMID 29037250</text>' in svg
    assert '<text x="40" y="328" font-size="11">PMID 21387299</text>' in svg


def test_charts_are_images_drawn_on_their_own_light_panel(both: pd.DataFrame) -> None:
    markup = plot_journals(both)._repr_html_()
    assert "<svg" not in markup  # an untrusted notebook strips inline SVG
    assert markup.count('<img class="reviewbook-chart-image"') == 1
    assert '<rect width="100%" height="100%" fill="#ffffff"/>' in image_svg(markup)


def test_overlap_heatmap_draws_one_entry_per_pair_with_its_count(both: pd.DataFrame) -> None:
    chart = overlap_heatmap(overlap_matrix(both))
    assert (
        repr(chart)
        == "papers cited by both reviews of each pair: 2 reviews, most shared by a pair 1"
    )
    svg = image_svg(chart._repr_html_())
    assert _entries(svg) == {
        (62, 62, 39): DIAGONAL_COLOUR,
        (102, 62, 39): HEAT_COLOURS[1],
        (62, 102, 39): HEAT_COLOURS[1],
        (102, 102, 39): DIAGONAL_COLOUR,
    }
    assert 'dominant-baseline="middle">5</text>' in svg
    assert "(most shared by a pair: 1; the diagonal: papers each review cites)" in chart.markup


def test_overlap_heatmap_shades_up_to_the_most_any_pair_shares() -> None:
    matrix = pd.DataFrame(
        [[9, 0, 1, 8], [0, 9, 4, 0], [1, 4, 9, 2], [8, 0, 2, 9]],
        index=list("abcd"),
        columns=list("abcd"),
    )
    entries = _entries(image_svg(overlap_heatmap(matrix).markup))
    sides = sorted({x for x, _, _ in entries})
    fill = {(sides.index(y), sides.index(x)): colour for (x, y, _), colour in entries.items()}
    assert len(fill) == 16
    assert [fill[0, 1], fill[0, 2], fill[1, 2], fill[0, 3], fill[3, 0]] == [
        HEAT_COLOURS[0],
        HEAT_COLOURS[1],
        HEAT_COLOURS[2],
        HEAT_COLOURS[5],
        HEAT_COLOURS[5],
    ]
    assert fill[2, 2] == DIAGONAL_COLOUR


def test_overlap_heatmap_of_many_reviews_keeps_to_its_span_without_numbers() -> None:
    names = [str(40_000_000 + number) for number in range(100)]
    matrix = pd.DataFrame(1, index=names, columns=names)
    chart = overlap_heatmap(matrix)
    svg = image_svg(chart.markup)
    entries = _entries(svg)
    assert len(entries) == 100 * 100
    assert {side for _, _, side in entries} == {5}  # entries of 6 pixels, drawn 1 apart
    assert 'dominant-baseline="middle">1</text>' not in svg


def _entries(svg: str) -> dict[tuple[int, int, int], str]:
    """The heatmap's squares, ``(x, y, side)``, with their fill (each fill is one path)."""
    return {
        (int(x), int(y), int(side)): colour
        for colour, path in re.findall(r'<path fill="(#\w+)" d="([^"]+)"/>', svg)
        for x, y, side in re.findall(r"M(\d+) (\d+)h(\d+)v\d+h-\d+z", path)
    }
    assert overlap_heatmap(pd.DataFrame()).markup == "<p><em>no review to compare</em></p>"
