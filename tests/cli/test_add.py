"""``reviewbook add`` on the command line: what it wrote, or in one line why not.

Each test works on a copy of the workbook in a temporary folder (`tests.workbook.conftest`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.sources.ncbi import NcbiError
from reviewbook.workbook import adding, paths
from reviewbook.workbook.adding import AddedReview
from reviewbook.workbook.paths import DATA_ENV
from tests.conftest import ROOT
from tests.workbook.conftest import make_workbook, snapshot


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
