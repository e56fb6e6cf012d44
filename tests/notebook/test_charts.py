"""Charts as inline SVG and HTML: stacked bars per year and journal, the explorer's histogram,
the evidence heatmap; each drawn from the same bar routine and escaped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reviewbook import references_frame
from reviewbook.annotations.anchoring import Quote
from reviewbook.annotations.model import Annotations, Claim
from reviewbook.model import Article
from reviewbook.notebook.charts import (
    evidence_heatmap,
    plot_journals,
    plot_reference_years,
    year_histogram,
)
from tests.conftest import expected_article


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([expected_article("29037250"), expected_article("21387299")])


def test_years_are_stacked_vertical_bars_one_per_year_of_the_range(both: pd.DataFrame) -> None:
    chart = plot_reference_years(both)
    assert repr(chart) == "references per publication year: 10 bars, 10 references"
    markup = chart._repr_html_()
    assert markup.count("<rect ") == 7
    assert (
        '<rect x="40" y="170.0" width="20" height="80.0" fill="#1f6feb">'
        "<title>2002: 1 cited by 29037250</title></rect>"
    ) in markup
    assert 'aria-label="references per publication year"' in markup
    assert "(longest bar: 3)" in markup


def test_journals_are_horizontal_bars_named_by_their_most_printed_form(
    both: pd.DataFrame,
) -> None:
    chart = plot_journals(both, top=2)
    assert repr(chart) == "references per journal: 2 bars, 8 references"
    markup = chart._repr_html_()
    assert (
        '<rect x="120.0" y="10" width="160.0" height="18" fill="#1f6feb">'
        "<title>Nat Rev Cancer: 3 cited by 29037250</title></rect>"
    ) in markup
    assert ">Nature</text>" in markup


def test_year_histogram_draws_all_then_matching_bars_with_the_year_range() -> None:
    svg = year_histogram(np.array([2, 0, 1]), np.array([1, 0, 0]), (2002, 2004))
    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="90" role="img" '
        'aria-label="references per year">'
        '<rect x="0.0" y="0.0" width="212.3" height="74.0" fill="#d0d7de">'
        "<title>2002: 1 of 2</title></rect>"
        '<rect x="0.0" y="37.0" width="212.3" height="37.0" fill="#1f6feb">'
        "<title>2002: 1 of 2</title></rect>"
        '<rect x="426.7" y="37.0" width="212.3" height="37.0" fill="#d0d7de">'
        "<title>2004: 0 of 1</title></rect>"
        '<text x="0" y="88" font-size="11">2002</text>'
        '<text x="640" y="88" font-size="11" text-anchor="end">2004</text></svg>'
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
        'style="background:#f7a35c;text-align:center;min-width:2em">3</td>'
    ) in heatmap._repr_html_()
    assert heatmap._repr_html_().count("<tr>") == 2


def test_charts_of_a_review_without_references_say_so() -> None:
    empty = references_frame(Article(pmid="1", title="No references"))
    years, journals = plot_reference_years(empty), plot_journals(empty)
    assert repr(years) == "no reference with a known year"
    assert repr(journals) == "no reference with a known journal"
