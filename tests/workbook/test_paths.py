"""Where the workbook lives: found as git finds a repository, or named."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbook.cli import main
from reviewbook.workbook import paths
from tests.conftest import SESSION_WORKBOOK, copy_seed_workbook


def test_the_test_session_works_on_a_copy_of_the_seed_workbook() -> None:
    assert paths.workbook_root() == SESSION_WORKBOOK
    assert paths.data_dir() == SESSION_WORKBOOK / "data"
    assert paths.notebooks_dir() == SESSION_WORKBOOK / "notebooks"


def test_data_folder_can_be_moved_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    assert paths.annotations_path("1") == tmp_path / "annotations" / "1.yaml"
    assert paths.pubmed_page_path("1") == tmp_path / "pubmed" / "1.txt"


def test_the_workbook_is_the_nearest_folder_above_holding_a_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_seed_workbook(tmp_path / "mine")
    monkeypatch.delenv(paths.WORKBOOK_ENV)
    monkeypatch.chdir(root / "notebooks")  # where a notebook's kernel runs
    assert paths.workbook_root() == root
    assert paths.pubmed_dir() == root / "data" / "pubmed"


def test_an_environment_given_to_a_kernel_names_its_folders(tmp_path: Path) -> None:
    kernel = {paths.WORKBOOK_ENV: str(tmp_path), paths.NOTEBOOKS_ENV: str(tmp_path / "staged")}
    assert paths.data_dir(kernel) == tmp_path / "data"
    assert paths.notebooks_dir(kernel) == tmp_path / "staged"


def test_the_workbook_option_names_it_for_the_command_and_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_seed_workbook(tmp_path / "mine")
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "elsewhere"))
    monkeypatch.setenv(paths.WORKBOOK_ENV, str(SESSION_WORKBOOK))
    (root / "data" / "annotations" / "21387299.yaml").unlink()
    assert main(["--workbook", str(root), "annotations", "check"]) == 0
    assert capsys.readouterr().err == "checked 1 annotation file: 0 errors\n"
    assert paths.data_dir() == root / "data"
    assert paths.notebooks_dir() == root / "notebooks"


def test_a_path_is_shown_as_the_workbook_names_it(tmp_path: Path) -> None:
    workbook = paths.Workbook.at(tmp_path)
    assert workbook.shown(tmp_path / "data" / "pubmed" / "manifest.csv") == (
        "data/pubmed/manifest.csv"
    )
    assert workbook.shown(tmp_path / "notebooks" / "00_index.ipynb") == "notebooks/00_index.ipynb"
    assert workbook.shown(Path("/elsewhere/x.txt")) == "/elsewhere/x.txt"
