"""``reviewbook add`` on the command line: what it wrote, or in one line why not.

Each test works on a copy of the workbook in a temporary folder (`tests.workbook.conftest`);
those that reach NCBI reach the fake E-utilities of `tests.sources.test_ncbi` (``ncbi``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reviewbook import read_articles
from reviewbook.cli import main
from reviewbook.cli.add import several_records_lines
from reviewbook.model import Article
from reviewbook.sources.ncbi import EXIT_BAD_REPLY, NcbiError
from reviewbook.sources.records import LISTED_RECORDS
from reviewbook.workbook import adding, paths
from reviewbook.workbook.adding import AddedReview
from reviewbook.workbook.checking import manifest_problems
from reviewbook.workbook.paths import DATA_ENV, Workbook
from tests.conftest import EXPECTED, ROOT, TEST_DATA
from tests.sources.test_jats import FULLTEXT
from tests.sources.test_ncbi import FakeEutils, record_xml
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


# --- full texts from PMC -------------------------------------------------------------------


def test_cli_adds_a_pmcid_storing_the_full_text_as_pmc_sent_it(
    cli_workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``add pmc12599256`` (a real CC BY review, PMID 41032705) stores the bytes efetch sent,
    a ``<pmc-articleset>`` of one article, as a saved full text would be stored."""
    monkeypatch.chdir(cli_workbook)
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    assert main(["add", "pmc12599256"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "reviewbook: adding pmc12599256 (looks up its cited works, runs its notebook and the index)"
    ]
    assert out.splitlines()[:3] == [
        "added PMID 41032705:",
        "  data/pubmed/41032705.nxml",
        "  data/pubmed/manifest.csv",
    ]
    assert ncbi.requests[0] == (
        "/entrez/eutils/efetch.fcgi",
        {"db": "pmc", "id": "12599256", "retmode": "xml", "tool": "reviewbook"},
    )
    stored = cli_workbook / "data" / "pubmed" / "41032705.nxml"
    assert stored.read_bytes() == ncbi.pmc_reply("PMC12599256")
    [row] = manifest_row(cli_workbook, "41032705")
    assert (row.file, row.sha256) == (
        "41032705.nxml",
        hashlib.sha256(ncbi.pmc_reply("PMC12599256")).hexdigest(),
    )
    assert manifest_problems(Workbook.at(cli_workbook)) == []
    [twin] = (cli_workbook / "notebooks").glob("04_*2025_protacs_*.md")
    assert "PMC full text (JATS XML)" in twin.read_text(encoding="utf-8")


def test_cli_adds_a_pmid_with_its_full_text_beside_its_record(
    cli_workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The record is the fake's (``record_xml``: no references, no PMCID); the ID converter
    gives PMC12599256, whose full text is stored too, and its references are looked up."""
    monkeypatch.chdir(cli_workbook)
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    assert main(["add", "41032705"]) == 0
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1  # the announcement: no note
    assert out.splitlines()[:4] == [
        "added PMID 41032705:",
        "  data/pubmed/41032705.xml",
        "  data/pubmed/41032705.nxml",
        "  data/pubmed/manifest.csv",
    ]
    pubmed = cli_workbook / "data" / "pubmed"
    assert (pubmed / "41032705.xml").read_bytes() == record_xml("41032705")
    assert (pubmed / "41032705.nxml").read_bytes() == ncbi.pmc_reply("PMC12599256")
    [row] = manifest_row(cli_workbook, "41032705")
    assert (row.file, row.sha256) == (
        "41032705.xml",
        hashlib.sha256(record_xml("41032705")).hexdigest(),
    )
    asked = [(params.get("db"), params.get("idtype")) for _, params in ncbi.requests]
    assert asked[:3] == [("pubmed", None), (None, "pmid"), ("pmc", None)]
    assert ("pubmed", None) in asked[3:]  # the full text's cited works, by PMID
    assert (pubmed / "41032705.cited.xml").is_file()
    assert manifest_problems(Workbook.at(cli_workbook)) == []


@pytest.mark.parametrize(
    ("pmid", "why"),
    [
        (
            "10000061",
            "PMC has no full text of PMC9000061 to download (the publisher does not allow it)",
        ),
        (
            "12345678",
            "PMC has no full text of PMID 12345678 (the PMC ID converter knows no PMCID for it)",
        ),
    ],
)
def test_cli_adds_a_pmid_without_a_full_text_pmc_has_not_and_says_why_in_a_note(
    cli_workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pmid: str,
    why: str,
) -> None:
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    assert main(["add", pmid]) == 0
    _, err = capsys.readouterr()
    assert (
        err.splitlines()[-1]
        == f"reviewbook: note: PMID {pmid} was added without its full text: {why}"
    )
    pubmed = cli_workbook / "data" / "pubmed"
    assert sorted(path.name for path in pubmed.glob(f"{pmid}.*")) == [f"{pmid}.xml"]


def test_cli_notes_a_full_text_ncbi_could_not_give_and_how_to_fetch_it_later(
    cli_workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The record came; the ID converter then failed for good: the review is added all the
    same, and the note says how to fetch its full text later."""
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    monkeypatch.setenv("REVIEWBOOK_IDCONV_URL", ncbi.base_url.replace("/entrez/eutils/", "/gone/"))
    assert main(["add", "41032705"]) == 0
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == (
        "reviewbook: note: PMID 41032705 was added without its full text: the NCBI PMC ID "
        f"converter at {ncbi.base_url.replace('/entrez/eutils/', '/gone/')} refused the request: "
        "HTTP 404 Not Found; run `reviewbook refresh --full-text 41032705` to fetch it later"
    )


def test_cli_refuses_a_pmcid_pmc_sends_without_its_body_in_one_line(
    cli_workbook: Path, ncbi: FakeEutils, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(cli_workbook)
    assert main(["add", "PMC9000061"]) == EXIT_BAD_REPLY
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == (
        "reviewbook: PMC9000061: PMC has no full text of PMC9000061 to download "
        "(the publisher does not allow it)"
    )
    assert snapshot(cli_workbook) == before
