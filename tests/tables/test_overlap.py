"""The papers several reviews both cite, however each printed them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from reviewbook import Reference, parse_citation, references_frame
from reviewbook.tables.overlap import shared_references
from tests.conftest import expected_article

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")


@pytest.fixture(scope="module")
def both() -> pd.DataFrame:
    return references_frame([JANSSEN, EREZ])


def test_chambers_2002_is_the_paper_both_seeds_cite(both: pd.DataFrame) -> None:
    shared = shared_references(both)
    assert shared.to_dict("records") == [
        {
            "title": "Dissemination and growth of cancer cells in metastatic sites",
            "first_author": "Chambers AF",
            "year": 2002,
            "journal": "Nat Rev Cancer",
            "matched_by": "source; title",
            "index in 29037250": 5,
            "index in 21387299": 3,
        }
    ]


def test_references_match_through_a_chain_of_keys() -> None:
    """A printing with only a DOI matches one with DOI and source, which matches one with source."""
    by_doi = parse_citation("Cell growth. doi: 10.1000/xyz. - DOI", index=1)
    with_both = parse_citation("A B. Cell growth. Cell. 2001;5:10-2. doi: 10.1000/XYZ.", index=1)
    by_source = parse_citation("A B. Growth of cells. Cell. 2001;5:10-12.", index=1)
    frame = pd.concat(
        [
            references_frame(replace(JANSSEN, pmid=pmid, references=(reference,)))
            for pmid, reference in (("1", by_doi), ("2", with_both), ("3", by_source))
        ],
        ignore_index=True,
    )
    shared = shared_references(frame)
    assert shared[["matched_by", "index in 1", "index in 2", "index in 3"]].to_dict("records") == [
        {"matched_by": "doi; source", "index in 1": 1, "index in 2": 1, "index in 3": 1}
    ]


def test_no_shared_references_gives_an_empty_table_with_columns() -> None:
    frame = references_frame([JANSSEN, replace(EREZ, references=(Reference(index=1, raw="x"),))])
    shared = shared_references(frame)
    assert shared.empty
    assert list(shared.columns)[-2:] == ["index in 29037250", "index in 21387299"]
