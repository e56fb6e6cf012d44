"""``reviewbook check``: the workbook's own check follows whatever the workbook holds.

The seed workbook passes it as shipped (its notebooks executed afresh by nbval, strict); each
kind of fault a researcher's day can bring is named on its own line, with the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from reviewbook.workbook import checking
from reviewbook.workbook.paths import WORKBOOK_ENV, Workbook
from tests.conftest import SEED_WORKBOOK

CHECK_SECONDS = 900
"""Only to stop a hung check; it takes well under a minute here."""


def code_cells(folder: Path) -> int:
    """How many code cells the notebooks of ``folder`` hold (nbval compares each)."""
    return sum(
        cell["cell_type"] == "code"
        for path in folder.glob("*.ipynb")
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
    )


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    """``reviewbook --workbook ROOT check`` in a child, from another folder."""
    return subprocess.run(
        [sys.executable, "-m", "reviewbook", "--workbook", str(root), "check"],
        cwd=root.parent,
        capture_output=True,
        text=True,
        timeout=CHECK_SECONDS,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def test_the_seed_workbook_passes_its_own_check_notebooks_executed_afresh(
    workbook: Path,
) -> None:
    result = run_check(workbook)
    cells = code_cells(SEED_WORKBOOK / "notebooks")
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"checked 2 reviews, 2 annotation files and 5 notebooks ({cells} cells compared by "
        "nbval): 0 problems"
    )
    assert result.returncode == 0


def test_a_changed_output_fails_nbval_naming_the_notebook_and_cell(workbook: Path) -> None:
    notebook = workbook / "notebooks" / "00_index.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    first_code = next(cell for cell in content["cells"] if cell["cell_type"] == "code")
    first_code["outputs"][0]["data"]["text/plain"] = ["something else"]
    notebook.write_text(json.dumps(content), encoding="utf-8")
    compared, failures = checking.nbval_failures(Workbook.at(workbook), [notebook])
    assert compared == 4
    assert [failure.splitlines()[0] for failure in failures] == [
        "notebooks/00_index.ipynb: Cell 0: differs from a fresh run"
    ]
    assert "something else" in failures[0]


# --- the manifest ---------------------------------------------------------------------------


def test_the_seed_manifest_has_no_problem(workbook: Path) -> None:
    assert checking.manifest_problems(Workbook.at(workbook)) == []


def test_a_source_changed_since_it_was_added_is_named(workbook: Path) -> None:
    page = workbook / "data" / "pubmed" / "21387299.txt"
    page.write_bytes(page.read_bytes() + b"\n")
    assert checking.manifest_problems(Workbook.at(workbook)) == [
        "data/pubmed/21387299.txt: its SHA-256 is not the one manifest.csv lists: the file "
        "changed since it was added (`reviewbook add --force` stores it anew)"
    ]


def test_a_missing_file_and_an_unlisted_source_are_named(workbook: Path) -> None:
    pubmed = workbook / "data" / "pubmed"
    (pubmed / "21387299.txt").rename(pubmed / "12345678.txt")
    assert checking.manifest_problems(Workbook.at(workbook)) == [
        "data/pubmed/manifest.csv:3: 21387299.txt does not exist",
        "data/pubmed/12345678.txt: not listed in manifest.csv "
        "(`reviewbook add data/pubmed/12345678.txt` adds it)",
    ]


def test_rows_twice_with_a_wrong_address_or_no_citation_are_named(workbook: Path) -> None:
    manifest = workbook / "data" / "pubmed" / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    wrong = lines[1].replace("/29037250/", "/29037251/").replace('"Janssen', '"').split(",")
    wrong[-1] = "\n"
    manifest.write_text("".join([*lines, ",".join(wrong)]), encoding="utf-8")
    assert checking.manifest_problems(Workbook.at(workbook)) == [
        "data/pubmed/manifest.csv:4: PMID 29037250 is listed twice",
        "data/pubmed/manifest.csv:4: 'https://pubmed.ncbi.nlm.nih.gov/29037251/' is not PMID "
        "29037250's address",
        "data/pubmed/manifest.csv:4: PMID 29037250 has no citation",
    ]


def test_a_workbook_without_a_manifest_is_told_where_it_goes(tmp_path: Path) -> None:
    (tmp_path / "data" / "pubmed").mkdir(parents=True)
    assert checking.manifest_problems(Workbook.at(tmp_path)) == [
        "data/pubmed/manifest.csv: missing: a workbook lists its reviews there"
    ]


# --- annotations and notebooks ----------------------------------------------------------------


def test_notes_kept_for_a_removed_review_pass_and_a_broken_quote_is_named(workbook: Path) -> None:
    pubmed = workbook / "data" / "pubmed"
    manifest = pubmed / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:2]), encoding="utf-8")
    (pubmed / "21387299.txt").unlink()  # removed; our notes on it stay
    notes = workbook / "data" / "annotations" / "29037250.yaml"
    text = notes.read_text(encoding="utf-8")
    quote = 'exact: "The immune system in cancer metastasis: friend or foe?"'
    notes.write_text(text.replace(quote, quote.replace(" or ", " and ")), encoding="utf-8")
    assert checking.annotations_problems(Workbook.at(workbook)) == [
        "data/annotations/29037250.yaml:18: claims[0].quote.exact: quote not found in the "
        "review's text"
    ]


def test_a_notebook_whose_inputs_changed_is_named_stale(workbook: Path) -> None:
    notes = workbook / "data" / "annotations" / "21387299.yaml"
    notes.write_text(notes.read_text(encoding="utf-8") + "# a new line of ours\n", "utf-8")
    problems = checking.notebook_problems(Workbook.at(workbook))
    stale = "is stale: data/annotations/21387299.yaml changed since it was run"
    assert [line.split(": is stale")[0] for line in problems] == [
        "notebooks/02_erez2011_leukocytes.ipynb",
        "notebooks/03_compare_reviews.ipynb",
    ]
    assert all(stale in line for line in problems)


# --- machine paths ----------------------------------------------------------------------------


def test_the_seed_workbook_names_no_path_of_this_machine(workbook: Path) -> None:
    assert checking.machine_path_problems(Workbook.at(workbook)) == []


def test_an_output_naming_the_workbooks_own_folder_is_found_with_its_line(workbook: Path) -> None:
    notebook = workbook / "notebooks" / "00_index.ipynb"
    lines = notebook.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, f'  "saved under {workbook}/notebooks/exports",\n')
    notebook.write_text("".join(lines), encoding="utf-8")
    assert checking.machine_path_problems(Workbook.at(workbook)) == [
        f"notebooks/00_index.ipynb:4: names a path of this machine ({workbook}/n): a reader "
        "elsewhere has another; name it relative to the workbook"
    ]


def test_home_folders_of_any_machine_are_found(workbook: Path) -> None:
    notes = workbook / "data" / "annotations" / "21387299.yaml"
    notes.write_text("# copied from C:\\Users\\ada\\Desktop\n" + notes.read_text("utf-8"), "utf-8")
    readme = workbook / "notebooks" / "README.md"
    readme.write_text("See https://example.org/home/page and /Users/ada/notes.\n", "utf-8")
    assert [
        line.split(": a reader")[0]
        for line in checking.machine_path_problems(Workbook.at(workbook))
    ] == [
        "data/annotations/21387299.yaml:1: names a path of this machine (C:\\Users\\ada)",
        "notebooks/README.md:1: names a path of this machine (/Users/ada)",
    ]


def test_only_files_git_would_commit_are_read(workbook: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=workbook, check=True)
    (workbook / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (workbook / "scratch").mkdir()
    (workbook / "scratch" / "log.txt").write_text(f"{workbook}/x\n", encoding="utf-8")
    (workbook / "notes.txt").write_text(f"{workbook}/y\n", encoding="utf-8")
    problems = checking.machine_path_problems(Workbook.at(workbook))
    assert [line.split(":")[0] for line in problems] == ["notes.txt"]


def test_a_stage_left_by_a_change_is_not_read(workbook: Path) -> None:
    stage = workbook / "data" / ".reviewbook" / "stage"
    stage.mkdir(parents=True)
    (stage / "journal.json").write_text(f'{{"target": "{workbook}/data"}}', encoding="utf-8")
    assert checking.machine_path_problems(Workbook.at(workbook)) == []


def test_the_check_runs_its_notebooks_with_the_named_workbook(workbook: Path) -> None:
    compared, failures = checking.nbval_failures(
        Workbook.at(workbook), [workbook / "notebooks" / "00_index.ipynb"]
    )
    assert (compared, failures) == (4, [])
    assert os.environ[WORKBOOK_ENV] != str(workbook)
