"""Knowing a notebook needs no run without rendering it, so `make notebooks` with nothing
changed is quick and re-runs only what is stale; and saving in JupyterLab keeps no Python
version, so the same notebook saved on another Python is the same file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbook.workbook import provenance
from reviewbook.workbook.notebooks import before_save, check_notebook, execute_notebook
from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, notebooks_dir
from tests.workbook.conftest import make_workbook

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_committed_notebooks_are_current_and_keep_no_python_version(notebook: Path) -> None:
    assert provenance.is_current(notebook)
    assert "version" not in json.loads(notebook.read_text(encoding="utf-8"))["metadata"].get(
        "language_info", {}
    )


@pytest.fixture(scope="module")
def index_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the workbook whose index notebook was just executed there."""
    root = make_workbook(tmp_path_factory.mktemp("workbook"))
    notebook = root / "notebooks" / "00_index.ipynb"
    execute_notebook(notebook, environment={DATA_ENV: str(root / "data")})
    return root


def _fresh_copy(root: Path, folder: Path) -> Path:
    """The executed index pair of ``root``, copied (with the data it read) into ``folder``."""
    copy = make_workbook(folder)
    for suffix in (".ipynb", ".md"):
        source = root / "notebooks" / f"00_index{suffix}"
        (copy / "notebooks" / source.name).write_bytes(source.read_bytes())
    return copy / "notebooks" / "00_index.ipynb"


def test_a_notebook_just_run_is_current(index_run: Path) -> None:
    notebook = index_run / "notebooks" / "00_index.ipynb"
    assert provenance.is_current(notebook, index_run / "data")
    assert check_notebook(notebook, data=index_run / "data") == []


def _edit_json(notebook: Path, edit: object) -> None:
    content = json.loads(notebook.read_text(encoding="utf-8"))
    edit(content)  # type: ignore[operator]
    notebook.write_text(json.dumps(content, indent=1), encoding="utf-8")


def _edit_first_markdown(content: dict) -> None:
    cell = next(cell for cell in content["cells"] if cell["cell_type"] == "markdown")
    cell["source"] = "# A new heading\n"


def _clear_outputs(content: dict) -> None:
    for cell in content["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ("twin prose", "differs from its twin 00_index.md"),
        ("notebook prose", "differs from its twin 00_index.md"),
        ("outputs cleared", "code cell 1 ("),
        ("manifest", "is stale: data/pubmed/manifest.csv changed since it was run"),
    ],
)
def test_any_change_makes_a_notebook_doubtful_and_the_full_check_names_it(
    index_run: Path, tmp_path: Path, change: str, found: str
) -> None:
    notebook = _fresh_copy(index_run, tmp_path)
    data = tmp_path / "data"
    assert provenance.is_current(notebook, data)
    if change == "twin prose":
        twin = notebook.with_suffix(".md")
        twin.write_text(twin.read_text(encoding="utf-8") + "\nA line of my own.\n")
    elif change == "notebook prose":
        _edit_json(notebook, _edit_first_markdown)
    elif change == "outputs cleared":
        _edit_json(notebook, _clear_outputs)
    else:
        manifest = data / "pubmed" / "manifest.csv"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not provenance.is_current(notebook, data)
    messages = [problem.message for problem in check_notebook(notebook, data=data)]
    assert any(message.startswith(found) for message in messages), messages


def test_output_problems_name_each_cell_and_what_is_wrong() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "# Title"},
            {"cell_type": "code", "source": ["x = 1\n", "x"], "execution_count": 1, "outputs": []},
            {
                "cell_type": "code",
                "source": "",
                "execution_count": 3,
                "outputs": [{"output_type": "stream", "name": "stderr", "text": "oops"}],
            },
            {
                "cell_type": "code",
                "source": "1 / 0",
                "execution_count": 3,
                "outputs": [{"output_type": "error", "ename": "ZeroDivisionError"}],
            },
        ]
    }
    assert provenance.output_problems(notebook) == [
        "code cell 2 ('') has execution count 3, expected 2: "
        "the notebook was not run top to bottom",
        "code cell 2 ('') wrote to stderr",
        "code cell 3 ('1 / 0') raised ZeroDivisionError",
    ]


def _run_cli(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``reviewbook ARGUMENTS`` on the workbook at ``root``, also saying whether jupytext loaded."""
    code = (
        "import sys\n"
        "from reviewbook.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('jupytext loaded:', 'jupytext' in sys.modules)\n"
        "sys.exit(status)\n"
    )
    environment = {
        **os.environ,
        DATA_ENV: str(root / "data"),
        NOTEBOOKS_ENV: str(root / "notebooks"),
    }
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd=root,
        check=False,
        timeout=600,
    )


def test_notebooks_run_with_nothing_changed_runs_nothing_and_loads_no_jupytext(
    index_run: Path, tmp_path: Path
) -> None:
    notebook = _fresh_copy(index_run, tmp_path)
    for other in notebook.parent.glob("*.ipynb"):
        if other != notebook:
            other.unlink()
            other.with_suffix(".md").unlink()
    before = notebook.read_bytes()
    result = _run_cli(tmp_path, "notebooks", "run")
    assert (result.returncode, result.stdout) == (0, "jupytext loaded: False\n")
    assert "reviewbook: all 1 notebooks are up to date: nothing to run" in result.stderr
    assert notebook.read_bytes() == before
    check = _run_cli(tmp_path, "notebooks", "check")
    assert (check.returncode, check.stdout) == (0, "jupytext loaded: False\n")


def test_a_notebook_named_without_its_folder_is_the_workbooks(
    index_run: Path, tmp_path: Path
) -> None:
    _fresh_copy(index_run, tmp_path)
    assert not (tmp_path / "00_index.ipynb").exists()
    check = _run_cli(tmp_path, "notebooks", "check", "00_index")
    assert (check.returncode, check.stdout, check.stderr) == (0, "jupytext loaded: False\n", "")
    missing = _run_cli(tmp_path, "notebooks", "check", "99_none")
    assert missing.returncode != 0
    assert str(tmp_path / "notebooks" / "99_none.ipynb") in missing.stderr


def test_notebooks_run_reruns_only_the_stale_one(index_run: Path, tmp_path: Path) -> None:
    notebook = _fresh_copy(index_run, tmp_path)
    current = tmp_path / "notebooks" / "01_janssen2017_friend_or_foe.ipynb"
    for other in notebook.parent.glob("*.ipynb"):
        if other not in (notebook, current):
            other.unlink()
            other.with_suffix(".md").unlink()
    current_before = current.read_bytes()
    # The committed 01 was run on the checkout's data; a copy of that data is the same data.
    twin = notebook.with_suffix(".md")
    twin.write_text(twin.read_text(encoding="utf-8") + "\nA line of my own.\n", encoding="utf-8")
    result = _run_cli(tmp_path, "notebooks", "run")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("reviewbook:")]
    assert lines == [
        "reviewbook: 1 of 2 notebooks are up to date",
        f"reviewbook: running {notebook}",
    ]
    assert current.read_bytes() == current_before
    assert notebook.with_suffix(".md").read_text(encoding="utf-8").endswith("A line of my own.\n")
    assert provenance.is_current(notebook, tmp_path / "data")


def _saved_model(metadata: dict) -> dict:
    return {"type": "notebook", "content": {"metadata": metadata, "cells": []}}


def test_saving_a_workbook_notebook_drops_the_python_version() -> None:
    language = {"name": "python", "version": "3.10.12", "file_extension": ".py"}
    model = _saved_model({"language_info": dict(language), provenance.METADATA_KEY: {}})
    before_save(model=model, path="notebooks/00_index.ipynb", contents_manager=None)
    assert model["content"]["metadata"]["language_info"] == {
        "name": "python",
        "file_extension": ".py",
    }


def test_saving_another_notebook_or_file_changes_nothing() -> None:
    language = {"name": "python", "version": "3.10.12"}
    other = _saved_model({"language_info": dict(language)})
    before_save(model=other, path="scratch.ipynb", contents_manager=None)
    assert other["content"]["metadata"]["language_info"] == language
    text = {"type": "file", "content": "version: 3.10", "format": "text"}
    before_save(model=text, path="notes.txt", contents_manager=None)
    assert text == {"type": "file", "content": "version: 3.10", "format": "text"}


def test_the_environment_enables_the_save_hook_in_jupyter_server() -> None:
    code = (
        "from jupyter_server.serverapp import ServerApp\n"
        "from reviewbook.workbook.notebooks import before_save\n"
        "app = ServerApp()\n"
        "app.initialize(['--port=0', '--no-browser', '--ServerApp.log_level=CRITICAL'])\n"
        "print(before_save in app.contents_manager._pre_save_hooks)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1:] == ["True"], result.stderr


def test_a_notebook_that_reads_over_a_thousand_files_records_every_one(tmp_path: Path) -> None:
    """The kernel's list of what it read is not cut short (IPython prints long lists so)."""
    import nbformat

    data = tmp_path / "data" / "many"
    data.mkdir(parents=True)
    for number in range(1_100):
        (data / f"{number:04d}.txt").write_text(str(number))
    code = f"for path in sorted(__import__('pathlib').Path({str(data)!r}).iterdir()):\n"
    code += "    path.read_text()"
    notebook = tmp_path / "reads.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), notebook)
    execute_notebook(notebook, environment={DATA_ENV: str(tmp_path / "data")})
    recorded = provenance.recorded_inputs(json.loads(notebook.read_text(encoding="utf-8")))
    assert recorded is not None
    assert sorted(name for name in recorded if name.startswith("data/")) == [
        f"data/many/{number:04d}.txt" for number in range(1_100)
    ]
