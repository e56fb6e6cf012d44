"""Our annotations of the seed reviews: they validate, and they cover what the issue asks.

Every sentence of both abstracts, and the Erez figure's title and every caption sentence,
must lie inside the quotes of our claims; every reference the page shows must carry a note
saying why the review cites it. A change to the pages that breaks a quote fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.annotations.coverage import sentence_units, uncovered_sentences
from reviewbook.annotations.loading import load_annotations
from reviewbook.cli.annotations import check_file
from reviewbook.sources.page import read_pubmed_page
from tests.annotations.conftest import ANNOTATIONS
from tests.conftest import PUBMED

SEEDS = ("29037250", "21387299")


@pytest.fixture(params=SEEDS)
def pmid(request: pytest.FixtureRequest) -> str:
    return request.param


def test_every_annotation_file_validates_against_its_page() -> None:
    files = sorted(ANNOTATIONS.glob("*.yaml"))
    assert set(SEEDS) <= {path.stem for path in files}
    for path in files:
        assert [str(error) for error in check_file(path, PUBMED)] == []


def test_every_abstract_and_figure_sentence_is_anchored(pmid: str) -> None:
    article = read_pubmed_page(PUBMED / f"{pmid}.txt")
    annotations = load_annotations(ANNOTATIONS / f"{pmid}.yaml")
    assert uncovered_sentences(annotations, article) == []


def test_the_sentences_checked_are_the_ones_the_issue_names() -> None:
    janssen = read_pubmed_page(PUBMED / "29037250.txt")
    erez = read_pubmed_page(PUBMED / "21387299.txt")
    assert [location for location, _, _ in sentence_units(janssen)] == ["abstract"] * 6
    assert [location for location, _, _ in sentence_units(erez)] == ["abstract"] * 3 + [
        "figure:Figure"
    ] * 5  # the figure title and four caption sentences


def test_every_visible_reference_has_a_note_and_tags(pmid: str) -> None:
    article = read_pubmed_page(PUBMED / f"{pmid}.txt")
    annotations = load_annotations(ANNOTATIONS / f"{pmid}.yaml")
    indices = [reference.index for reference in article.references]
    assert [entry.index for entry in annotations.references] == indices
    for entry in annotations.references:
        assert entry.note and "cited" in entry.note, entry.index
        assert entry.tags, entry.index


def test_statements_are_our_words_not_the_quote(pmid: str) -> None:
    annotations = load_annotations(ANNOTATIONS / f"{pmid}.yaml")
    for claim in annotations.claims:
        assert claim.statement.casefold() != claim.quote.exact.casefold(), claim.id


def test_files_say_what_they_are_in_a_leading_comment(pmid: str) -> None:
    text = Path(ANNOTATIONS / f"{pmid}.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"# reviewbook annotations of PMID {pmid}:\n")
