"""Loading the workbook's reviews: a page and a record saved together are merged."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from reviewbook import read_article
from reviewbook.workbook.manifest import read_manifest
from reviewbook.workbook.reviews import load_notes, load_review, load_reviews
from tests.conftest import ROOT, TEST_DATA, expected_article
from tests.sources.test_jats import FULLTEXT
from tests.sources.test_ncbi import record_xml

JANSSEN = expected_article("29037250")
EREZ = expected_article("21387299")


def test_a_page_and_a_record_saved_together_load_merged(tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "pubmed" / "29037250.txt", tmp_path / "29037250.txt")
    shutil.copy(TEST_DATA / "pubmed_29037250_reference_list.xml", tmp_path / "29037250.xml")
    review = load_review("29037250", tmp_path)
    assert (review.title, review.abstract) == (JANSSEN.title, JANSSEN.abstract)
    assert len(review.references) == 9
    assert {reference.source for reference in review.references} == {"page+xml", "xml"}


def test_a_record_saved_alone_loads_by_pmid(tmp_path: Path) -> None:
    shutil.copy(TEST_DATA / "pubmed_29037250_reference_list.xml", tmp_path / "29037250.xml")
    review = load_review("29037250", tmp_path)
    assert (review.first_author, len(review.references)) == ("Janssen LME", 9)


def test_manifest_and_reviews_load_in_manifest_order() -> None:
    pmids = [entry.pmid for entry in read_manifest()]
    assert pmids[:2] == ["29037250", "21387299"]
    assert [review.pmid for review in load_reviews()] == pmids
    assert [review.title for review in load_reviews()[:2]] == [JANSSEN.title, EREZ.title]
    assert load_review("21387299").references == EREZ.references


def test_notes_of_every_review_a_review_without_a_file_has_none(tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "annotations" / "21387299.yaml", tmp_path / "21387299.yaml")
    (tmp_path / "29037250.yaml").write_text('pmid: "29037250"\nclaims: []\n', encoding="utf-8")
    unannotated = replace(JANSSEN, pmid="12345678")
    notes = load_notes([EREZ, JANSSEN, unannotated], tmp_path)
    assert [(item.pmid, len(item.claims), item.path) for item in notes[1:]] == [
        ("29037250", 0, str(tmp_path / "29037250.yaml")),
        ("12345678", 0, None),
    ]
    assert (notes[0].pmid, notes[0].path) == ("21387299", str(tmp_path / "21387299.yaml"))
    assert len(notes[0].claims) > 0


def test_a_full_text_saved_beside_a_record_brings_the_body_and_its_reference_list(
    tmp_path: Path,
) -> None:
    """The record keeps its title and identifiers; the full text brings the body, the
    licence, the figures and the reference list its citations count in."""
    (tmp_path / "41032705.xml").write_bytes(record_xml("41032705"))
    shutil.copyfile(FULLTEXT / "PMC12599256.nxml", tmp_path / "41032705.nxml")
    review = load_review("41032705", tmp_path)
    full_text = read_article(FULLTEXT / "PMC12599256.nxml")
    assert review.title == "Record 41032705."
    assert review.body == full_text.body
    assert len(review.references) == len(full_text.references) == 60
    assert (review.pmcid, review.license) == (
        "PMC12599256",
        "https://creativecommons.org/licenses/by/4.0/",
    )
    assert [figure.label for figure in review.figures] == ["Figure 1", "Figure 2", "Figure 3"]


def test_a_full_text_saved_alone_loads_by_pmid(tmp_path: Path) -> None:
    shutil.copyfile(FULLTEXT / "PMC12599256.nxml", tmp_path / "41032705.nxml")
    review = load_review("41032705", tmp_path)
    assert review.title == "PROTACs in cancer immunotherapy: a minireview"
    assert review.body is not None and len(list(review.body.walk())) == 8
