"""References counted per year and per journal for each citing review; journals named once."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewbook import references_frame
from reviewbook.tables.counts import journal_counts, journal_names, year_counts
from tests.conftest import expected_article


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([expected_article("29037250"), expected_article("21387299")])


def test_year_and_journal_counts_side_by_side(both: pd.DataFrame) -> None:
    years = year_counts(both)
    assert list(years.columns) == ["29037250", "21387299"]
    assert years.to_dict("index") == {
        2002: {"29037250": 1, "21387299": 2},
        2004: {"29037250": 1, "21387299": 1},
        2005: {"29037250": 1, "21387299": 0},
        2009: {"29037250": 0, "21387299": 2},
        2011: {"29037250": 2, "21387299": 0},
    }
    journals = journal_counts(both)
    assert list(journals.index) == ["Nat Rev Cancer", "Nature", "Cell", "Mutat Res"]
    assert journals.loc["Nat Rev Cancer"].tolist() == [3, 3]


def test_a_journal_is_named_by_its_most_printed_form() -> None:
    keys = ["nat rev cancer"] * 3 + ["cell"]
    printed = ["Nat. Rev. Cancer", "Nat Rev Cancer", "Nat Rev Cancer", "Cell"]
    assert journal_names(keys, printed) == {"nat rev cancer": "Nat Rev Cancer", "cell": "Cell"}


def test_a_tie_is_named_by_the_first_form_in_sorted_order_and_missing_names_skipped() -> None:
    keys = ["nat", "nat", "nat", "x", "y"]
    printed = ["Nature.", "Nature", pd.NA, "", None]
    assert journal_names(keys, printed) == {"nat": "Nature", "x": "x", "y": "y"}
