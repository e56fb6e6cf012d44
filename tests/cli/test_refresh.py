"""``reviewbook refresh --full-text PMID`` on the command line: a review's PMC full text stored
beside its other sources, or, in one line, why not, the workbook unchanged.

Each test works on a copy of the seed workbook (``--workbook``) against the fake E-utilities of
`tests.sources.test_ncbi`, named by the environment. The seed review Janssen et al. 2017 (PMID
29037250) is saved as its PubMed page, which gives no PMCID: the fake ID converter gives its
real one, PMC5644253, and the fake efetch sends a hand-made stand-in for its full text
(`JANSSEN_STAND_IN`: the review's front matter and first five references, two paragraphs of
ours for a body), not PMC's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.sources.ncbi import EXIT_BAD_REPLY
from reviewbook.workbook import adding, refreshing
from reviewbook.workbook.checking import manifest_problems
from reviewbook.workbook.notebooks import check_notebook
from reviewbook.workbook.paths import Workbook
from reviewbook.workbook.reviews import load_review
from tests.sources.test_ncbi import FakeEutils
from tests.workbook.conftest import snapshot

JANSSEN = "29037250"
EREZ = "21387299"
ANNOUNCED = (
    "reviewbook: fetching the full text of {pmids} from PMC (re-runs the notebooks that read it)"
)


def refused(
    workbook: Path, command: list[str], capsys: pytest.CaptureFixture[str], status: int
) -> list[str]:
    """Run ``command`` on ``workbook``: it must exit with ``status``, print nothing on stdout
    and change nothing; its stderr lines."""
    before = snapshot(workbook)
    assert main(["--workbook", str(workbook), *command]) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert snapshot(workbook) == before
    return err.splitlines()


def test_the_full_text_is_stored_beside_the_page_and_the_notebooks_reading_it_run_again(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workbook)
    pubmed = workbook / "data" / "pubmed"
    manifest = (pubmed / "manifest.csv").read_bytes()
    assert main(["--workbook", str(workbook), "refresh", "--full-text", JANSSEN]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [ANNOUNCED.format(pmids=JANSSEN)]
    assert out == f"PMID {JANSSEN}: full text PMC5644253 stored: data/pubmed/{JANSSEN}.nxml\n"
    assert [(path, params.get("idtype") or params["db"]) for path, params in ncbi.requests] == [
        ("/tools/idconv/api/v1/articles/", "pmid"),
        ("/entrez/eutils/efetch.fcgi", "pmc"),
    ]
    assert (pubmed / f"{JANSSEN}.nxml").read_bytes() == ncbi.pmc_reply("PMC5644253")
    assert (pubmed / "manifest.csv").read_bytes() == manifest  # its row still names the page
    review = load_review(JANSSEN, pubmed)
    assert review.body is not None
    assert [section.title for section in review.body.walk()] == [
        "Background",
        "The metastatic cascade",
    ]
    assert review.license == "http://creativecommons.org/licenses/by/4.0/"
    assert manifest_problems(Workbook.at(workbook)) == []
    notebooks = sorted((workbook / "notebooks").glob("*.ipynb"))
    assert [
        str(problem)
        for notebook in notebooks
        if notebook.name != "02_erez2011_leukocytes.ipynb"  # reads the other review only
        for problem in check_notebook(notebook, data=workbook / "data")
    ] == []


def test_a_review_that_has_its_full_text_is_refused_unless_forced(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workbook)
    stored = workbook / "data" / "pubmed" / f"{JANSSEN}.nxml"
    stored.write_bytes(b"an older full text")
    assert refused(workbook, ["refresh", "--full-text", JANSSEN], capsys, 2)[-1] == (
        f"reviewbook: {JANSSEN}: PMID {JANSSEN} already has its full text "
        f"(data/pubmed/{JANSSEN}.nxml); --force replaces it"
    )
    assert ncbi.requests == []
    ran: list[str] = []
    monkeypatch.setattr(
        refreshing,
        "execute_in_stage",
        lambda notebooks, _: ran.extend(path.name for path in notebooks),
    )
    assert main(["--workbook", str(workbook), "refresh", "--full-text", "--force", JANSSEN]) == 0
    out, _ = capsys.readouterr()
    assert out == f"PMID {JANSSEN}: full text PMC5644253 replaced: data/pubmed/{JANSSEN}.nxml\n"
    assert stored.read_bytes() == ncbi.pmc_reply("PMC5644253")
    assert ran == [
        "01_janssen2017_friend_or_foe.ipynb",
        "00_index.ipynb",
        "03_compare_reviews.ipynb",
        "field_corpus.ipynb",
    ]


def test_a_review_pmc_knows_no_pmcid_of_is_refused_in_one_line(
    workbook: Path, ncbi: FakeEutils, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refused(workbook, ["refresh", "--full-text", EREZ], capsys, EXIT_BAD_REPLY) == [
        ANNOUNCED.format(pmids=EREZ),
        f"reviewbook: {EREZ}: PMC has no full text of PMID {EREZ} (the PMC ID converter knows "
        "no PMCID for it)",
    ]


def test_a_review_whose_full_text_pmc_may_not_give_is_refused_in_one_line(
    workbook: Path, ncbi: FakeEutils, capsys: pytest.CaptureFixture[str]
) -> None:
    ncbi.pmcids[EREZ] = "PMC9000061"  # PMC sends it without its body
    assert refused(workbook, ["refresh", "--full-text", EREZ], capsys, EXIT_BAD_REPLY)[-1] == (
        f"reviewbook: {EREZ}: PMC has no full text of PMC9000061 to download (the publisher "
        "does not allow it)"
    )


def test_every_review_named_has_its_full_text_or_none_is_stored(
    workbook: Path, ncbi: FakeEutils, capsys: pytest.CaptureFixture[str]
) -> None:
    """Janssen's full text comes, Erez's does not: nothing is stored."""
    lines = refused(workbook, ["refresh", "--full-text", JANSSEN, EREZ], capsys, EXIT_BAD_REPLY)
    assert lines[-1].startswith(f"reviewbook: {JANSSEN} {EREZ}: PMC has no full text of PMID")


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (
            ["refresh", "--full-text", "12345678"],
            "reviewbook: 12345678: not in the workbook (data/pubmed/manifest.csv): 12345678",
        ),
        (
            ["refresh", "--full-text"],
            "reviewbook: refresh --full-text: name the reviews whose full text to fetch "
            "(their PMIDs)",
        ),
        (
            ["refresh", "--force", JANSSEN],
            "reviewbook: refresh: --force replaces a stored full text: it goes with --full-text",
        ),
    ],
)
def test_what_cannot_be_asked_is_refused_in_one_line_before_any_request(
    workbook: Path,
    ncbi: FakeEutils,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    said: str,
) -> None:
    assert refused(workbook, command, capsys, 2)[-1] == said
    assert ncbi.requests == []


def test_a_review_added_from_its_full_text_is_refused_in_one_line(
    workbook: Path,
    ncbi: FakeEutils,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Its full text is its source, the file its manifest row names: ``add --force`` replaces
    it, not ``refresh``."""
    monkeypatch.setattr(adding, "execute_in_stage", lambda notebooks, transaction: None)
    assert main(["--workbook", str(workbook), "add", "PMC12599256"]) == 0
    capsys.readouterr()
    assert refused(workbook, ["refresh", "--full-text", "--force", "41032705"], capsys, 2)[-1] == (
        "reviewbook: 41032705: PMID 41032705 was added from its full text "
        "(data/pubmed/41032705.nxml): `reviewbook add --force PMC...` replaces it"
    )
