"""A workbook that grows and shrinks: reviews added, refreshed and removed through the CLI.

Each test works on a copy of the workbook; NCBI is the fake of `tests.sources.test_ncbi` or,
unreachable, a closed port. The long test adds three records, runs the workbook's own checks
(notebooks, annotations, strict nbval on every notebook), removes one and runs them again.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewbook.annotations.store import update_reference_note
from reviewbook.cli import main
from reviewbook.cli.annotations import run_check
from reviewbook.sources.ncbi import EXIT_UNAVAILABLE, EutilsClient
from reviewbook.workbook import adding, paths, refreshing
from reviewbook.workbook.manifest import read_manifest
from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV
from reviewbook.workbook.removing import RemoveError, remove_review
from reviewbook.workbook.reviews import load_review
from tests.sources.test_ncbi import DOCTYPE, IDCONV_PATH, FakeEutils, serving_fake_eutils
from tests.workbook.conftest import offline_client, run_nbval, snapshot

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
PUBMED7 = FIXTURES / "pubmed_xml" / "pubmed7.xml"
MEDLINE = FIXTURES / "medline" / "pubmed_result1.txt"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no fixtures at {FIXTURES}")
REVIEW_PMID = "31000001"


def review_record(folder: Path) -> Path:
    """A review in PubMed XML citing three works: one Guo et al. 2018 cite too (25144646), one
    by PMID alone, one by DOI alone."""
    references = "".join(
        f"<Reference><Citation>{citation}</Citation><ArticleIdList>{ids}</ArticleIdList>"
        "</Reference>"
        for citation, ids in [
            ("Radiology. 2015 Jan;274(1):250-9", '<ArticleId IdType="pubmed">25144646</ArticleId>'),
            ("J Tests. 2015 Jan;12(3):250-9", '<ArticleId IdType="pubmed">9000002</ArticleId>'),
            (
                "Nat Rev Cancer. 2002;2(8):563-72",
                '<ArticleId IdType="doi">10.1038/nrc865</ArticleId>',
            ),
        ]
    )
    record = (
        f'<?xml version="1.0" ?>\n{DOCTYPE}<PubmedArticleSet><PubmedArticle>'
        f'<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{REVIEW_PMID}</PMID>'
        '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>7</Volume>'
        "<PubDate><Year>2019</Year></PubDate></JournalIssue><ISOAbbreviation>Rev Tests"
        "</ISOAbbreviation></Journal><ArticleTitle>Immune cells along the metastatic cascade."
        '</ArticleTitle><AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Haugen'
        "</LastName><Initials>M</Initials></Author></AuthorList><PublicationTypeList>"
        "<PublicationType>Review</PublicationType></PublicationTypeList></Article>"
        "<MedlineJournalInfo><MedlineTA>Rev Tests</MedlineTA></MedlineJournalInfo>"
        f'</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">{REVIEW_PMID}'
        f"</ArticleId></ArticleIdList><ReferenceList>{references}</ReferenceList></PubmedData>"
        "</PubmedArticle></PubmedArticleSet>\n"
    )
    path = folder / f"{REVIEW_PMID}.xml"
    path.write_text(record, encoding="utf-8")
    return path


def fake_client(fake: FakeEutils) -> EutilsClient:
    return EutilsClient(
        base_url=fake.base_url,
        idconv_url=fake.base_url.replace("/entrez/eutils/", IDCONV_PATH),
        cache=False,
        environ={},
    )


@pytest.fixture
def cli_workbook(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI pointed at the temporary workbook."""
    monkeypatch.setenv(DATA_ENV, str(workbook / "data"))
    monkeypatch.setenv(NOTEBOOKS_ENV, str(workbook / "notebooks"))
    monkeypatch.setattr(paths, "notebooks_dir", lambda: workbook / "notebooks")
    return workbook


def workbook_checks(root: Path) -> list[str]:
    """What the workbook's own checks say is wrong: notebooks, annotations, strict nbval."""
    failures = []
    if main(["notebooks", "check"]) != 0:
        failures.append("reviewbook notebooks check")
    err = io.StringIO()
    if run_check(out=io.StringIO(), err=err) != 0:
        failures.append(f"reviewbook annotations check: {err.getvalue()}")
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    result = run_nbval(root, *notebooks)
    if result.returncode != 0:
        failures.append(f"nbval: {result.stdout[-3000:]}")
    return failures


@needs_fixtures
def test_three_reviews_added_then_one_removed_pass_the_workbook_checks(
    cli_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = [entry.pmid for entry in read_manifest(cli_workbook / "data" / "pubmed")]
    record = review_record(tmp_path)
    with serving_fake_eutils() as fake:
        for source in (PUBMED7, record, MEDLINE):
            adding.add_review(str(source), root=cli_workbook, client=fake_client(fake))
    pmids = [entry.pmid for entry in read_manifest(cli_workbook / "data" / "pubmed")]
    assert pmids == [*seeds, "29963580", REVIEW_PMID, "12230038"]
    review = load_review(REVIEW_PMID, cli_workbook / "data" / "pubmed")
    assert [reference.pmid for reference in review.references] == [
        "25144646",
        "9000002",
        "9000865",
    ]
    assert workbook_checks(cli_workbook) == []
    notes = cli_workbook / "data" / "annotations" / f"{REVIEW_PMID}.yaml"
    update_reference_note(notes, 1, note="The cohort the review leans on.", tags=["cohort"])
    capsys.readouterr()
    assert main(["remove", REVIEW_PMID]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"removed PMID {REVIEW_PMID}:"
    assert {Path(line.strip()).name for line in out.splitlines()[1:]} >= {
        f"{REVIEW_PMID}.xml",
        f"{REVIEW_PMID}.cited.xml",
        f"{REVIEW_PMID}.idconv.json",
    }
    assert "kept our annotations" in err
    pubmed = cli_workbook / "data" / "pubmed"
    assert [entry.pmid for entry in read_manifest(pubmed)] == [*seeds, "29963580", "12230038"]
    assert sorted(path.name for path in pubmed.glob(f"{REVIEW_PMID}.*")) == []
    assert list((cli_workbook / "notebooks").glob("*haugen*")) == []
    assert (cli_workbook / "data" / "annotations" / f"{REVIEW_PMID}.yaml").exists()
    assert workbook_checks(cli_workbook) == []


@needs_fixtures
def test_offline_add_keeps_the_review_and_says_how_to_complete_it_then_refresh_does(
    cli_workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    assert main(["add", str(PUBMED7)]) == 0
    _, err = capsys.readouterr()
    note, not_a_review = err.splitlines()[-2:]
    assert not_a_review == (
        "reviewbook: note: PMID 29963580 is not a review (publication types: Journal Article); "
        "added anyway"
    )
    assert note.startswith(
        "reviewbook: note: 49 references of PMID 29963580 could not be completed ("
    )
    assert note.endswith("they show as printed: run `reviewbook refresh 29963580` to complete them")
    pubmed = cli_workbook / "data" / "pubmed"
    review = load_review("29963580", pubmed)
    assert (
        review.references[0]
        .warnings[-1]
        .message.endswith("run `reviewbook refresh 29963580` to fetch it")
    )
    assert main(["refresh", "29963580"]) == EXIT_UNAVAILABLE
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith("reviewbook: 29963580: cannot reach NCBI E-utilities")
    with serving_fake_eutils() as fake:
        monkeypatch.setattr(refreshing, "EutilsClient", lambda: fake_client(fake))
        assert main(["refresh", "29963580"]) == 0
        asked = [params["id"].count(",") + 1 for path, params in fake.requests]
    assert asked == [49]
    out, _ = capsys.readouterr()
    assert out == "PMID 29963580: 49 cited records fetched, 49 stored\n"
    completed = load_review("29963580", pubmed).references[0]
    assert (completed.title, completed.warnings) == ("Cited work 25144646", ())


def test_removing_the_only_added_review_leaves_the_workbook_as_it_was(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its annotation file, still exactly as ``add`` made it, holds nothing of ours: it goes."""
    monkeypatch.setenv(paths.WORKBOOK_ENV, str(workbook))
    before = snapshot(workbook)
    added = adding.add_review(str(review_record(tmp_path)), root=workbook, client=offline_client())
    assert added.annotations.is_file()
    removed = remove_review(REVIEW_PMID, root=workbook)
    assert removed.kept_annotations is None
    assert added.annotations in removed.removed
    assert snapshot(workbook) == before


def test_removing_a_review_not_there_is_refused_and_changes_nothing(workbook: Path) -> None:
    before = snapshot(workbook)
    with pytest.raises(RemoveError, match="PMID 12345678 is not in the workbook"):
        remove_review("12345678", root=workbook)
    with pytest.raises(RemoveError, match="'12a' is not a PMID"):
        remove_review("12a", root=workbook)
    assert snapshot(workbook) == before


def test_removing_a_seed_removes_its_page_row_and_hand_written_notebook(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    pmid = read_manifest(workbook / "data" / "pubmed")[-1].pmid
    removed = remove_review(pmid, root=workbook)
    names = sorted(path.name for path in removed.removed)
    assert f"{pmid}.txt" in names
    assert any(name.endswith(".ipynb") for name in names)
    assert pmid not in [entry.pmid for entry in read_manifest(workbook / "data" / "pubmed")]
    assert removed.kept_annotations == workbook / "data" / "annotations" / f"{pmid}.yaml"
