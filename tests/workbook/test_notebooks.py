"""The committed notebooks: in step with their twins, executed, and quoting the reviews exactly."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from tornado.web import HTTPError

from reviewbook.workbook import provenance
from reviewbook.workbook.checking import nbval_command
from reviewbook.workbook.jupyter_extension import (
    _load_jupyter_server_extension,
    refuse_saving_over_a_newer_run,
)
from reviewbook.workbook.notebooks import (
    KERNEL_PYTHON_VERSION,
    WIDGET_VIEW,
    as_loaded,
    before_save,
    check_notebook,
    newer_run_on_disk,
    twin_path,
    without_widget_views,
)
from reviewbook.workbook.paths import DATA_ENV, data_dir, notebooks_dir
from reviewbook.workbook.reviews import load_reviews
from tests.conftest import ROOT
from tests.workbook.conftest import make_workbook

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
    assert (
        "differs from its twin 00_index.md; run `make notebooks` to re-execute and re-sync both"
    ) in [problem.message for problem in check_notebook(copy)]


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
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    (number, table), *_ = [
        (number, cell) for number, cell in enumerate(code) if '"n_figures"]]' in cell.source
    ]
    table.source = table.source.replace('"n_figures"]]', '"n_figures", "title"]]')
    nbformat.write(notebook, copy)
    result = subprocess.run(
        [*nbval_command([copy]), "-rf", "--rootdir", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert f"00_index.ipynb::Cell {number}" in result.stdout
    assert f"1 failed, {len(code) - 1} passed" in result.stdout


def test_reviews_load_from_any_working_directory(tmp_path: Path) -> None:
    script = (
        "from reviewbook.workbook.reviews import load_reviews; "
        "print([a.pmid for a in load_reviews()])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['29037250', '21387299']"


# --- what a notebook was run from, and stale outputs named ------------------------------------

STALE = "is stale: {} changed since it was run; run `make notebooks`"


def _inputs(notebook: Path) -> dict[str, str]:
    recorded = provenance.recorded_inputs(json.loads(notebook.read_text(encoding="utf-8")))
    assert recorded is not None
    return recorded


def test_each_notebook_records_the_data_files_it_read() -> None:
    data = {
        path.name: [name for name in _inputs(path) if name.startswith("data/")]
        for path in NOTEBOOKS[:4]
    }
    assert data == {
        "00_index.ipynb": [
            "data/pubmed/21387299.txt",
            "data/pubmed/29037250.txt",
            "data/pubmed/manifest.csv",
        ],
        "01_janssen2017_friend_or_foe.ipynb": [
            "data/annotations/29037250.yaml",
            "data/pubmed/29037250.txt",
        ],
        "02_erez2011_leukocytes.ipynb": [
            "data/annotations/21387299.yaml",
            "data/pubmed/21387299.txt",
        ],
        "03_compare_reviews.ipynb": [
            "data/annotations/21387299.yaml",
            "data/annotations/29037250.yaml",
            "data/pubmed/21387299.txt",
            "data/pubmed/29037250.txt",
            "data/pubmed/manifest.csv",
        ],
    }
    recorded = _inputs(NOTEBOOKS[1])
    assert recorded["reviewbook version"] == provenance.package_version()
    assert "reviewbook/notebook/explorer.py" in recorded
    assert "reviewbook/workbook/provenance.py" not in recorded  # the recording itself


def _as_if_just_run(notebook: Path, data: Path) -> None:
    """Record the inputs the notebook names as they are now (as a run would), so a test
    does not depend on whether the package changed since the committed run."""
    content = nbformat.read(notebook, as_version=4)
    names = [name for name in provenance.recorded_inputs(content) or {} if "/" in name]
    content.metadata["reviewbook"]["run_from"] = provenance.run_record(
        provenance.code_sources(content), names, data
    )
    nbformat.write(content, notebook)


def test_a_changed_annotation_file_makes_the_notebooks_reading_it_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = make_workbook(tmp_path)
    data = workbook / "data"
    notebooks = sorted((workbook / "notebooks").glob("*.ipynb"))[:4]
    for notebook in notebooks:
        _as_if_just_run(notebook, data)
    annotations = data / "annotations" / "21387299.yaml"
    annotations.write_text(annotations.read_text(encoding="utf-8") + "# read again\n")
    problems = {
        path.name: [
            problem.message
            for problem in check_notebook(path, data=data)
            if problem.message.startswith("is stale")
        ]
        for path in notebooks
    }
    assert problems == {
        "00_index.ipynb": [],
        "01_janssen2017_friend_or_foe.ipynb": [],
        "02_erez2011_leukocytes.ipynb": [STALE.format("data/annotations/21387299.yaml")],
        "03_compare_reviews.ipynb": [STALE.format("data/annotations/21387299.yaml")],
    }
    monkeypatch.setenv(DATA_ENV, str(data))
    assert [
        path.name for path in provenance.notebooks_reading(annotations, workbook / "notebooks")
    ] == ["02_erez2011_leukocytes.ipynb", "03_compare_reviews.ipynb"]


def test_an_edited_code_cell_and_a_notebook_never_recorded_are_stale(tmp_path: Path) -> None:
    copy = _copy_pair(notebooks_dir() / "00_index.ipynb", tmp_path)
    _as_if_just_run(copy, data_dir())
    notebook = nbformat.read(copy, as_version=4)
    notebook.cells[1].source += "\n"
    assert provenance.stale_inputs(
        provenance.recorded_inputs(notebook), provenance.code_sources(notebook), data_dir()
    ) == ["code cells"]
    assert provenance.stale_inputs(None, [], data_dir()) == [
        "everything (the notebook records no inputs)"
    ]


# --- byte-stable runs and saves ----------------------------------------------------------------


def test_committed_notebooks_carry_the_kernelspec_jupyterlab_writes() -> None:
    for path in [*NOTEBOOKS, *TWINS]:
        assert '"display_name": "Python 3 (ipykernel)"' in path.read_text(
            encoding="utf-8"
        ) or "display_name: Python 3 (ipykernel)" in path.read_text(encoding="utf-8"), path.name


def test_running_a_notebook_twice_rewrites_nothing_and_prints_nothing(tmp_path: Path) -> None:
    workbook = make_workbook(tmp_path)
    notebook = workbook / "notebooks" / "03_compare_reviews.ipynb"
    environment = {**os.environ, DATA_ENV: str(workbook / "data")}
    run = (
        "import sys, pathlib; from reviewbook.workbook.notebooks import execute_notebook; "
        "execute_notebook(pathlib.Path(sys.argv[1]))"
    )
    written = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", run, str(notebook)],
            capture_output=True,
            text=True,
            env=environment,
            timeout=300,
            check=True,
        )
        assert result.stderr == ""  # no "Kernel is running over TCP without encryption"
        written.append((notebook.read_bytes(), twin_path(notebook).read_bytes()))
    assert written[0] == written[1]
    assert not check_notebook(notebook, data=workbook / "data")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SNAPSHOT = {"text/html": "<p>5 of 5 references (a snapshot)</p>", "text/plain": "Explorer: 5"}


def _widget_output(**data: Any) -> dict[str, Any]:
    return {"output_type": "display_data", "metadata": {}, "data": data}


def test_a_notebook_is_saved_with_each_widgets_snapshot_and_no_widget() -> None:
    view = {"model_id": "a" * 32, "version_major": 2, "version_minor": 0}
    text = {"output_type": "stream", "name": "stdout", "text": "read 2 reviews\n"}
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "# Notes"},
            {
                "cell_type": "code",
                "outputs": [text, _widget_output(**{WIDGET_VIEW: view}, **SNAPSHOT)],
            },
            {"cell_type": "code", "outputs": [_widget_output(**{WIDGET_VIEW: view})]},
        ],
        "metadata": {"widgets": {WIDGET_STATE: {"state": {"a" * 32: {}}}}, "reviewbook": {}},
    }
    without_widget_views(notebook)
    assert notebook == {
        "cells": [
            {"cell_type": "markdown", "source": "# Notes"},
            {"cell_type": "code", "outputs": [text, _widget_output(**SNAPSHOT)]},
            {"cell_type": "code", "outputs": []},
        ],
        "metadata": {"reviewbook": {}},
    }


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_committed_notebooks_hold_no_widget_that_cannot_run(notebook: Path) -> None:
    """No widget state, no widget view: every page shows the snapshots instead."""
    text = notebook.read_text(encoding="utf-8")
    assert WIDGET_STATE not in text
    assert WIDGET_VIEW not in text


# --- opened and saved in JupyterLab ------------------------------------------------------------


def _workbook_model(language_info: dict[str, Any], run: str = "1") -> dict[str, Any]:
    metadata = {
        "language_info": language_info,
        provenance.METADATA_KEY: {provenance.RUN_FROM: {"code cells": run}},
    }
    return {"type": "notebook", "content": {"metadata": metadata, "cells": []}}


def test_opened_in_jupyterlab_a_workbook_notebook_names_its_kernels_python() -> None:
    """JupyterLab writes the kernel's version when it connects: already there, nothing
    changes, and the notebook shows no unsaved change."""
    model = _workbook_model({"name": "python"})
    as_loaded(model)
    assert model["content"]["metadata"]["language_info"] == {
        "name": "python",
        "version": KERNEL_PYTHON_VERSION,
    }
    other = {"type": "notebook", "content": {"metadata": {"language_info": {}}, "cells": []}}
    as_loaded(other)
    assert other["content"]["metadata"]["language_info"] == {}
    listing = {"type": "directory", "content": []}
    as_loaded(listing)
    assert listing == {"type": "directory", "content": []}


def test_the_version_is_the_one_the_notebooks_kernel_reports() -> None:
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.kernel_info(reply=True, timeout=60)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["language_info"]["version"] == KERNEL_PYTHON_VERSION


def test_saved_from_jupyterlab_a_run_widget_keeps_only_its_snapshot() -> None:
    model = _workbook_model({"name": "python", "version": "3.12.1"})
    view = {"model_id": "b" * 32, "version_major": 2, "version_minor": 0}
    model["content"]["cells"] = [
        {"cell_type": "code", "outputs": [_widget_output(**{WIDGET_VIEW: view}, **SNAPSHOT)]}
    ]
    model["content"]["metadata"]["widgets"] = {WIDGET_STATE: {"state": {}}}
    before_save(model=model, path="notebooks/01.ipynb", contents_manager=None)
    assert model["content"]["cells"][0]["outputs"] == [_widget_output(**SNAPSHOT)]
    assert model["content"]["metadata"]["language_info"] == {"name": "python"}
    assert "widgets" not in model["content"]["metadata"]


def test_a_notebook_is_not_saved_over_a_newer_run_of_it(tmp_path: Path) -> None:
    on_disk = tmp_path / "01.ipynb"
    on_disk.write_text(json.dumps(_workbook_model({}, run="2")["content"]), encoding="utf-8")
    assert newer_run_on_disk(_workbook_model({}, run="2"), on_disk) is None
    reason = newer_run_on_disk(_workbook_model({}, run="1"), on_disk)
    assert reason == (
        "01.ipynb was re-run on disk after you opened it: saving would replace its new outputs "
        "with the older ones shown here. Use File > Reload Notebook from Disk to see them (copy "
        "any edit of yours first; File > Save Notebook As... keeps this version under another "
        "name)."
    )
    with pytest.raises(HTTPError) as refused:
        refuse_saving_over_a_newer_run(_workbook_model({}), "/01.ipynb", tmp_path)
    assert (refused.value.status_code, refused.value.log_message) == (409, reason)


def test_a_new_notebook_or_one_no_run_wrote_saves_as_usual(tmp_path: Path) -> None:
    assert newer_run_on_disk(_workbook_model({}), tmp_path / "new.ipynb") is None
    scratch = tmp_path / "scratch.ipynb"
    scratch.write_text(json.dumps({"metadata": {}, "cells": []}), encoding="utf-8")
    assert newer_run_on_disk(_workbook_model({}), scratch) is None
    mine = {"type": "notebook", "content": {"metadata": {}, "cells": []}}
    on_disk = tmp_path / "01.ipynb"
    on_disk.write_text(json.dumps(_workbook_model({})["content"]), encoding="utf-8")
    assert newer_run_on_disk(mine, on_disk) is None


def _jupytext_manager(folder: Path) -> Any:
    """JupyterLab's contents manager (jupytext's, async) over ``folder``, with this package's
    server extension loaded on it as the server loads it."""
    from jupytext import AsyncTextFileContentsManager

    manager = AsyncTextFileContentsManager(root_dir=str(folder))
    _load_jupyter_server_extension(SimpleNamespace(contents_manager=manager))
    return manager


def test_through_jupyterlabs_contents_manager_an_untouched_save_changes_no_byte(
    tmp_path: Path,
) -> None:
    shutil.copy2(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    copy = _copy_pair(notebooks_dir() / "03_compare_reviews.ipynb", tmp_path)
    before = (copy.read_bytes(), twin_path(copy).read_bytes())
    manager = _jupytext_manager(tmp_path)
    model = asyncio.run(manager.get(copy.name))
    language_info = model["content"]["metadata"]["language_info"]
    assert language_info["version"] == KERNEL_PYTHON_VERSION
    asyncio.run(manager.save({"type": "notebook", "content": model["content"]}, copy.name))
    assert (copy.read_bytes(), twin_path(copy).read_bytes()) == before


def test_through_jupyterlabs_contents_manager_a_newer_run_is_never_overwritten(
    tmp_path: Path,
) -> None:
    """The annotation editor's re-run rewrote the notebook while it was open; Ctrl+S (and
    "Overwrite" in JupyterLab's "File Changed" dialog) must not undo it."""
    shutil.copy2(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    copy = _copy_pair(notebooks_dir() / "00_index.ipynb", tmp_path)
    manager = _jupytext_manager(tmp_path)
    opened = asyncio.run(manager.get(copy.name))["content"]
    rerun = json.loads(copy.read_text(encoding="utf-8"))
    rerun["metadata"][provenance.METADATA_KEY][provenance.RUN_FROM]["data/new.yaml"] = "0" * 64
    copy.write_text(json.dumps(rerun, indent=1) + "\n", encoding="utf-8")
    after_rerun = (copy.read_bytes(), twin_path(copy).read_bytes())
    with pytest.raises(HTTPError) as refused:
        asyncio.run(manager.save({"type": "notebook", "content": opened}, copy.name))
    assert refused.value.status_code == 409
    assert refused.value.log_message.startswith("00_index.ipynb was re-run on disk")
    assert (copy.read_bytes(), twin_path(copy).read_bytes()) == after_rerun
    reloaded = asyncio.run(manager.get(copy.name))["content"]
    asyncio.run(manager.save({"type": "notebook", "content": reloaded}, copy.name))


def test_a_notebook_newer_than_its_twin_still_opens_in_jupyterlab(tmp_path: Path) -> None:
    """A checkout can leave the .ipynb newer than its .md; jupytext must open it anyway, with
    the contents manager JupyterLab uses (async) and the other."""
    from jupytext import AsyncTextFileContentsManager, TextFileContentsManager

    shutil.copy2(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    copy = _copy_pair(notebooks_dir() / "00_index.ipynb", tmp_path)
    os.utime(twin_path(copy), (1_000_000_000, 1_000_000_000))  # the twin: 2001
    opened = [
        TextFileContentsManager(root_dir=str(tmp_path)).get(copy.name),
        asyncio.run(AsyncTextFileContentsManager(root_dir=str(tmp_path)).get(copy.name)),
    ]
    for model in opened:
        assert model["type"] == "notebook"
        assert model["content"]["cells"][0]["source"].startswith("# reviewbook")
