"""A workbook of one's own: ``reviewbook init``, and every workbook command finding its
workbook as git finds a repository, or refusing outside one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import jupytext
import pytest

from reviewbook.cli import main
from reviewbook.cli.extras import missing_extra, missing_extra_line
from reviewbook.workbook import paths
from reviewbook.workbook.creating import create_workbook, installed_version
from reviewbook.workbook.reviews import load_review
from tests.conftest import PUBMED, SEED_WORKBOOK, expected_article
from tests.workbook.conftest import snapshot

NOT_INSIDE = (
    "reviewbook: not inside a reviewbook workbook (no data/pubmed/manifest.csv here or above); "
    "run `reviewbook init DIR` or pass --workbook DIR\n"
)
NEW_WORKBOOK_FILES = [
    ".github/workflows/check.yml",
    ".gitignore",
    "Makefile",
    "README.md",
    "data/annotations/README.md",
    "data/pubmed/manifest.csv",
    "jupytext.toml",
    "notebooks/00_index.ipynb",
    "notebooks/00_index.md",
    "notebooks/01_compare_reviews.ipynb",
    "notebooks/01_compare_reviews.md",
    "requirements.txt",
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workbook made by ``reviewbook init`` for this module's tests (copy it to change it)."""
    root = tmp_path_factory.mktemp("init") / "mine"
    assert main(["init", str(root)]) == 0
    return root


@pytest.fixture
def workbook(made: Path, tmp_path: Path) -> Path:
    """A copy of the made workbook of this test's own."""
    return Path(shutil.copytree(made, tmp_path / "mine"))


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder outside any workbook, as the current folder, with no workbook named."""
    folder = tmp_path / "nowhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    for name in (paths.WORKBOOK_ENV, paths.DATA_ENV, paths.NOTEBOOKS_ENV):
        monkeypatch.delenv(name, raising=False)
    return folder


def _files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


# --- init -------------------------------------------------------------------------------------


def test_init_makes_a_workbook_with_its_notebooks_run_and_twinned(made: Path) -> None:
    assert _files(made) == NEW_WORKBOOK_FILES
    assert (made / "data/pubmed/manifest.csv").read_text() == "pmid,pubmed_url,sha256,file,review\n"
    assert paths.is_workbook(made)
    assert sorted(path.name for path in made.parent.iterdir()) == ["mine"]  # no stage left
    (made.parent / "made-by-mkdir").mkdir()
    assert made.stat().st_mode == (made.parent / "made-by-mkdir").stat().st_mode
    (made.parent / "made-by-mkdir").rmdir()


def test_init_names_this_reviewbook_for_make_and_ci(made: Path) -> None:
    requirement = f"reviewbook[notebook]=={installed_version()}"
    assert (made / "requirements.txt").read_text().splitlines()[-1] == requirement
    workflow = (made / ".github/workflows/check.yml").read_text()
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f'python-version: "{python}"' in workflow
    assert "run: python -m pip install -r requirements.txt" in workflow
    assert "run: reviewbook check" in workflow
    assert "\t$(BIN)/reviewbook check\n" in (made / "Makefile").read_text()
    assert "@" not in (made / "README.md").read_text().replace("reviewbook[notebook] @", "")


def test_a_new_workbook_passes_its_own_check(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(paths.WORKBOOK_ENV)
    monkeypatch.chdir(workbook)
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith(
        "checked 0 reviews, 0 annotation files and 2 notebooks (23 cells compared by nbval): "
        "0 problems\n"
    )


def test_init_refuses_a_workbook_and_changes_nothing(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(workbook)
    assert main(["init", str(workbook)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"reviewbook: {workbook}: already a reviewbook workbook (data/pubmed/manifest.csv is "
        "there); `reviewbook add` adds reviews to it"
    )
    assert snapshot(workbook) == before


def test_init_refuses_a_folder_holding_what_a_workbook_is_made_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "project"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "README.md").write_text("mine\n")
    assert main(["init", str(folder)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"reviewbook: {folder}: already holds README.md, notebooks; a workbook is made in an "
        "empty folder or a new one"
    )
    assert _files(folder) == ["README.md"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]


def test_init_fills_an_existing_folder_keeping_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text("mine\n")
    created = create_workbook(tmp_path)
    assert created.root == tmp_path
    assert _files(tmp_path) == sorted(["LICENSE", *NEW_WORKBOOK_FILES])
    assert list(created.files) == NEW_WORKBOOK_FILES
    assert (tmp_path / "LICENSE").read_text() == "mine\n"


# --- finding the workbook -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["add", "29037250"],
        ["add", str(PUBMED / "29037250.txt")],
        ["remove", "29037250"],
        ["refresh", "29037250"],
        ["notebooks", "run"],
        ["notebooks", "check"],
        ["check"],
        ["annotations", "check"],
        ["annotations", "export", "29037250"],
    ],
    ids=lambda command: "-".join(command[:2]).replace("/", "_")[:30],
)
def test_a_workbook_command_outside_a_workbook_says_so_and_writes_nothing(
    nowhere: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", NOT_INSIDE)
    assert list(nowhere.iterdir()) == []


def test_the_workbook_option_must_name_a_workbook(
    nowhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--workbook", str(nowhere), "add", "29037250"]) == 2
    assert capsys.readouterr().err == (
        f"reviewbook: {nowhere}: not a reviewbook workbook (no data/pubmed/manifest.csv); "
        "run `reviewbook init DIR` to make one\n"
    )
    assert list(nowhere.iterdir()) == []


def test_the_workbook_option_works_from_anywhere(
    nowhere: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workbook / "data/annotations/1.yaml").write_text("pmid: '1'\nclaims: []\n")
    assert main(["--workbook", str(workbook), "annotations", "check"]) == 0
    assert capsys.readouterr().err == (
        "data/annotations/1.yaml: kept for a review not in the workbook: its quotes are not "
        "checked\nchecked 1 annotation file: 0 errors\n"
    ).replace("data/", f"{workbook}/data/")


def test_a_command_finds_its_workbook_from_a_folder_inside_it(
    nowhere: Path,
    workbook: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inside = workbook / "notebooks" / "drafts"
    inside.mkdir()
    monkeypatch.chdir(inside)
    assert paths.workbook_root() == workbook
    assert paths.pubmed_dir() == workbook / "data" / "pubmed"
    assert main(["notebooks", "check"]) == 0
    assert capsys.readouterr().out == ""


def test_outside_a_workbook_the_library_says_how_to_get_one(nowhere: Path) -> None:
    with pytest.raises(paths.NotInWorkbook, match=r"^not inside a reviewbook workbook \(no "):
        paths.workbook_root()
    with pytest.raises(paths.NotInWorkbook):
        load_review("29037250")


def test_parse_works_outside_a_workbook(nowhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(PUBMED / "29037250.txt"), "--format", "json"]) == 0
    assert '"pmid": "29037250"' in capsys.readouterr().out
    assert list(nowhere.iterdir()) == []


# --- load_review ------------------------------------------------------------------------------


def test_load_review_reads_a_file_by_its_path_anywhere(nowhere: Path) -> None:
    """A saved page outside any workbook, as it is: no record merged, nothing completed."""
    copy = Path(shutil.copy(PUBMED / "29037250.txt", nowhere / "29037250.txt"))
    expected = expected_article("29037250")
    for given in (copy, str(copy), "29037250.txt", "./29037250.txt"):
        review = load_review(given)
        assert (review.pmid, review.title) == (expected.pmid, expected.title)
        assert review.references == expected.references


def test_load_review_reads_a_pmid_of_the_workbook(
    nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_ENV, str(PUBMED.parent))
    review = load_review("29037250")
    assert review.title == expected_article("29037250").title


# --- extras -------------------------------------------------------------------------------------


def test_a_missing_extra_is_named_with_how_to_install_it() -> None:
    error = ModuleNotFoundError("No module named 'jupytext'", name="jupytext")
    assert missing_extra(error) == "notebook"
    assert missing_extra(ModuleNotFoundError("x", name="duckdb.typing")) == "corpus"
    assert missing_extra(ModuleNotFoundError("x", name="no_such_module")) is None
    assert missing_extra_line("check", "notebook", "jupytext") == (
        "`reviewbook check` needs the 'notebook' extra (jupytext is not installed): "
        "pip install 'reviewbook[notebook]'"
    )


def test_a_command_without_its_extra_says_which_before_doing_anything(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reviewbook.cli import extras

    assert extras.missing_module("notebook") is None  # this environment has every extra
    monkeypatch.setenv(paths.WORKBOOK_ENV, str(workbook))  # restored after `--workbook` sets it
    monkeypatch.setattr(extras, "find_spec", lambda name: None if name == "jupytext" else True)
    before = snapshot(workbook)
    assert main(["--workbook", str(workbook), "add", str(PUBMED / "29037250.txt")]) == 2
    assert capsys.readouterr() == (
        "",
        "reviewbook: `reviewbook add` needs the 'notebook' extra (jupytext is not installed): "
        "pip install 'reviewbook[notebook]'\n",
    )
    assert snapshot(workbook) == before


@pytest.mark.parametrize(
    ("template", "seed_notebook"),
    [("00_index.md", "00_index.md"), ("01_compare_reviews.md", "03_compare_reviews.md")],
)
def test_a_new_workbooks_notebooks_run_the_seed_workbooks_code(
    template: str, seed_notebook: str
) -> None:
    """A new workbook's index and comparison are the seed workbook's, less its reviews' prose:
    a fix to the code of one is a fix to the other."""
    templates = Path(paths.__file__).parent / "templates" / "workbook"
    new, seed = (
        jupytext.read(templates / template),
        jupytext.read(SEED_WORKBOOK / "notebooks" / seed_notebook),
    )
    assert new.metadata == seed.metadata
    assert [cell.source for cell in new.cells if cell.cell_type == "code"] == [
        cell.source for cell in seed.cells if cell.cell_type == "code"
    ]
