"""``reviewbook add`` on the command line: what it wrote, or in one line why not.

Each test works on a copy of the workbook in a temporary folder (`tests.workbook.conftest`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reviewbook import read_articles
from reviewbook.cli import main
from reviewbook.cli.add import several_records_lines
from reviewbook.model import Article
from reviewbook.sources.ncbi import NcbiError
from reviewbook.sources.records import LISTED_RECORDS
from reviewbook.workbook import adding, paths
from reviewbook.workbook.adding import AddedReview
from reviewbook.workbook.paths import DATA_ENV
from tests.conftest import EXPECTED, ROOT, TEST_DATA
from tests.sources.test_jats import FULLTEXT
from tests.workbook.conftest import make_workbook, manifest_row, offline_client, snapshot


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of the workbook to change."""
    return make_workbook(tmp_path / "workbook")


@pytest.fixture
def cli_workbook(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``reviewbook add`` pointed at the temporary workbook."""
    monkeypatch.setenv(DATA_ENV, str(workbook / "data"))
    monkeypatch.setattr(paths, "notebooks_dir", lambda: workbook / "notebooks")
    return workbook


def test_cli_refuses_a_review_already_there_in_one_line(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = ROOT / "data" / "pubmed" / "29037250.txt"
    before = snapshot(cli_workbook)
    assert main(["add", str(page)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == (
        f"reviewbook: {page}: PMID 29037250 is already in the workbook "
        "(data/pubmed/manifest.csv, data/pubmed/29037250.txt); --force replaces it"
    )
    assert snapshot(cli_workbook) == before


def test_cli_names_the_file_and_reason_for_an_unreadable_source(
    cli_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.nbib"
    empty.write_bytes(b"")
    assert main(["add", str(empty)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith(f"reviewbook: {empty}:1: empty: no text to read")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("0", "'0' is not a PMID (1 to 9 ASCII digits, no leading zero) nor a file"),
        ("1٢٣", "'1٢٣' is not a PMID (1 to 9 ASCII digits, no leading zero) nor a file"),
        ("", "no source given: name a PMID or a file (a saved page, .nbib or .xml)"),
        ("  ", "no source given: name a PMID or a file (a saved page, .nbib or .xml)"),
    ],
)
def test_cli_refuses_a_source_that_is_neither_a_pmid_nor_a_file_in_one_line(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str], source: str, reason: str
) -> None:
    before = snapshot(cli_workbook)
    assert main(["add", source]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == f"reviewbook: {source}: {reason}"
    assert snapshot(cli_workbook) == before


def test_cli_passes_on_ncbi_exit_status(
    cli_workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreachable(source: str, **_: object) -> AddedReview:
        raise NcbiError("cannot reach NCBI E-utilities: no network", exit_status=69)

    monkeypatch.setattr(adding, "add_review", unreachable)
    assert main(["add", "12345678"]) == 69
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == (
        "reviewbook: 12345678: cannot reach NCBI E-utilities: no network"
    )


def test_cli_lists_what_it_wrote(
    cli_workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(cli_workbook)
    files = (Path("data/pubmed/1.xml").resolve(), Path("notebooks/04_x.ipynb").resolve())
    added = AddedReview("1", files[0], files[1], files[1], files[0], files)
    monkeypatch.setattr(adding, "add_review", lambda source, **_: added)
    assert main(["add", "1"]) == 0
    out, _ = capsys.readouterr()
    assert out == "added PMID 1:\n  data/pubmed/1.xml\n  notebooks/04_x.ipynb\n"


# --- one record of several, and records that are not reviews ---------------------------------

THREE_NBIB = TEST_DATA / "medline_three_records.nbib"
"""MEDLINE of 29037250 (a review), 10000004 (a journal article) and 10000005 (a letter)."""


def test_cli_adds_the_record_pmid_chooses_and_notes_it_is_not_a_review(
    cli_workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(adding, "EutilsClient", offline_client)
    monkeypatch.chdir(cli_workbook)
    assert main(["add", str(THREE_NBIB), "--pmid", "10000004"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == (
        f"reviewbook: adding PMID 10000004 of {THREE_NBIB} "
        "(looks up its cited works, runs its notebook and the index)"
    )
    assert err.splitlines()[-1] == (
        "reviewbook: note: PMID 10000004 is not a review (publication types: Journal Article); "
        "added anyway"
    )
    assert out.splitlines()[:3] == [
        "added PMID 10000004:",
        "  data/pubmed/10000004.nbib",
        "  data/pubmed/manifest.csv",
    ]
    stored = cli_workbook / "data" / "pubmed" / "10000004.nbib"
    record = (EXPECTED / "medline_three_records_10000004.nbib").read_bytes()
    assert stored.read_bytes() == record
    [row] = manifest_row(cli_workbook, "10000004")
    assert (row.file, row.sha256) == ("10000004.nbib", hashlib.sha256(record).hexdigest())
    [article] = read_articles(stored)
    assert (article.pmid, article.title, article.year, article.journal) == (
        "10000004",
        "A record without authors, with a structured abstract.",
        2019,
        "Example J",
    )
    assert article.abstract_sections == (
        ("BACKGROUND", "Tumour cells spread."),
        ("METHODS", "We counted them."),
        ("CONCLUSIONS", "Fewer spread with T cells."),
    )
    assert (article.article_types, article.warnings) == (("Journal Article",), ())
    [twin] = (cli_workbook / "notebooks").glob("*_anonymous2019_*.md")
    assert (
        "\n> **Not a review.** None of this record's publication types in PubMed (Journal "
        "Article) is a review; it was added to the workbook anyway.\n\nThis notebook reads"
    ) in twin.read_text(encoding="utf-8")


def test_cli_lists_the_records_of_a_file_of_several_and_asks_for_pmid(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(cli_workbook)
    assert main(["add", str(THREE_NBIB)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[1:] == [
        f"reviewbook: {THREE_NBIB}: holds 3 records, not one; choose one with --pmid:",
        "  PMID 29037250 | Janssen LME | 2017 | Journal Article; Review | "
        "The immune system in cancer metastasis: friend or foe?",
        "  PMID 10000004 | no author | 2019 | Journal Article | "
        "A record without authors, with a structured abstract.",
        "  PMID 10000005 | no author | 2020 | Letter | no title",
    ]
    assert snapshot(cli_workbook) == before


def test_cli_names_the_pmids_a_file_holds_when_pmid_is_not_among_them(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(cli_workbook)
    assert main(["add", str(THREE_NBIB), "--pmid", "12345678"]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == (
        f"reviewbook: {THREE_NBIB}: holds no record with PMID 12345678; "
        "its 3 records have PMIDs 29037250, 10000004, 10000005"
    )
    assert snapshot(cli_workbook) == before


def test_cli_adds_a_saved_pmc_full_text_as_it_is(
    cli_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review's PMC full text (JATS XML, here a real CC BY review) is stored byte for byte as
    ``<pmid>.nxml``, listed in the manifest, and named as such by its notebook."""
    source = FULLTEXT / "PMC12599256.nxml"
    assert main(["add", str(source)]) == 0
    _, err = capsys.readouterr()
    assert "is not a review" not in err
    stored = cli_workbook / "data" / "pubmed" / "41032705.nxml"
    assert stored.read_bytes() == source.read_bytes()
    [row] = manifest_row(cli_workbook, "41032705")
    assert (row.file, row.sha256) == (
        "41032705.nxml",
        hashlib.sha256(stored.read_bytes()).hexdigest(),
    )
    [twin] = (cli_workbook / "notebooks").glob("04_*2025_protacs_*.md")
    assert "PMC full text (JATS XML)" in twin.read_text(encoding="utf-8")


def test_a_long_list_of_records_ends_with_how_many_more_and_how_to_see_them() -> None:
    records = [Article(pmid=str(10000100 + number), title="A title.") for number in range(23)]
    lines = several_records_lines("pubmed 24n0001.xml.gz", records)
    assert len(lines) == 1 + LISTED_RECORDS + 1
    assert lines[-2] == "  PMID 10000119 | no author | n.d. | types unknown | A title."
    assert lines[-1] == (
        "  ... and 3 more (`reviewbook parse 'pubmed 24n0001.xml.gz' --format table` "
        "lists them all)"
    )
