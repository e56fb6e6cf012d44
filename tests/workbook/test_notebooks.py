"""The committed notebooks: in step with their twins, executed, and quoting the reviews exactly."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reviewbook.workbook.notebooks import check_notebook, twin_path
from reviewbook.workbook.paths import notebooks_dir
from reviewbook.workbook.reviews import load_reviews

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
TWINS = sorted(notebooks_dir().glob("*.md"))


def test_the_workbook_has_its_notebooks() -> None:
    names = [path.stem for path in NOTEBOOKS]
    assert names[:4] == [
        "00_index",
        "01_janssen2017_friend_or_foe",
        "02_erez2011_leukocytes",
        "03_compare_reviews",
    ]


def test_every_twin_has_its_notebook() -> None:
    assert [path for path in TWINS if not twin_path(path).exists()] == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_committed_notebook_is_executed_and_in_step_with_its_twin(notebook: Path) -> None:
    assert [str(problem) for problem in check_notebook(notebook)] == []


def _review_texts() -> list[str]:
    texts = []
    for article in load_reviews():
        texts += [article.title, article.abstract or ""]
        texts += [part for figure in article.figures for part in (figure.title, figure.caption)]
        texts += [text for _, text in article.sections]
    return texts


@pytest.mark.parametrize("twin", TWINS, ids=[path.name for path in TWINS])
def test_every_quotation_is_the_reviews_own_words(twin: Path) -> None:
    quotes = re.findall(r"^> (.+)$", twin.read_text(encoding="utf-8"), flags=re.MULTILINE)
    texts = _review_texts()
    assert [quote for quote in quotes if not any(quote in text for text in texts)] == []


def _copy_pair(notebook: Path, folder: Path) -> Path:
    copy = folder / notebook.name
    shutil.copy2(notebook, copy)
    shutil.copy2(twin_path(notebook), twin_path(copy))
    return copy


def test_a_twin_edited_alone_is_reported(tmp_path: Path) -> None:
    copy = _copy_pair(notebooks_dir() / "00_index.ipynb", tmp_path)
    twin = twin_path(copy)
    twin.write_text(twin.read_text(encoding="utf-8").replace("two reviews", "three reviews"))
    assert [problem.message for problem in check_notebook(copy)] == [
        "differs from its twin 00_index.md; run `make notebooks` to re-execute and re-sync both"
    ]


def test_a_notebook_not_run_top_to_bottom_is_reported(tmp_path: Path) -> None:
    copy = _copy_pair(notebooks_dir() / "00_index.ipynb", tmp_path)
    notebook = nbformat.read(copy, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    code[1].execution_count = 7
    nbformat.write(notebook, copy)
    problems = [problem.message for problem in check_notebook(copy)]
    assert problems[-1] == (
        "code cell 2 ('from reviewbook import notebook_index') has execution count 7, "
        "expected 2: the notebook was not run top to bottom"
    )


def test_editing_a_cell_without_rerunning_fails_nbval_naming_the_cell(tmp_path: Path) -> None:
    """A stale output is caught: nbval re-runs the notebook and compares strictly."""
    for notebook in NOTEBOOKS:  # the index lists the notebooks beside it
        _copy_pair(notebook, tmp_path)
    copy = tmp_path / "00_index.ipynb"
    notebook = nbformat.read(copy, as_version=4)
    last = [cell for cell in notebook.cells if cell.cell_type == "code"][-1]
    last.source = last.source.replace('"n_figures"]]', '"n_figures", "title"]]')
    nbformat.write(notebook, copy)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--nbval",
            "--nbval-current-env",
            str(copy),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "00_index.ipynb::Cell 2" in result.stdout
    assert "1 failed, 2 passed" in result.stdout


def test_reviews_load_from_any_working_directory(tmp_path: Path) -> None:
    script = (
        "from reviewbook.workbook.reviews import load_reviews; "
        "print([a.pmid for a in load_reviews()])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['29037250', '21387299']"
