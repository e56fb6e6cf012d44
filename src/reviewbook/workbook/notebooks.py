"""Keep the workbook's notebooks and their Markdown twins executed and in step.

Each ``notebooks/NAME.ipynb`` is paired with ``notebooks/NAME.md`` (MyST). The notebook holds
the outputs a reader sees without running anything; the twin is the same text and code,
easy to read and review. CI checks that each twin is exactly what the notebook renders to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from jupytext.config import load_jupytext_config
from nbclient import NotebookClient

from reviewbook.files import write_atomically
from reviewbook.workbook.paths import project_root

TWIN_FORMAT = "md:myst"
KERNEL_NAME = "python3"
CELL_TIMEOUT_SECONDS = 600


def twin_path(notebook: Path) -> Path:
    """The Markdown twin of a notebook (and the notebook of a twin)."""
    return notebook.with_suffix(".md" if notebook.suffix == ".ipynb" else ".ipynb")


def render_twin(notebook: nbformat.NotebookNode) -> str:
    """The Markdown twin's text for a notebook, as jupytext writes it with our jupytext.toml."""
    config = load_jupytext_config(str(project_root()))
    return jupytext.writes(notebook, fmt=TWIN_FORMAT, config=config)


@dataclass(frozen=True, slots=True)
class NotebookProblem:
    """Something wrong with a committed notebook, named so a person can find it."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def check_notebook(notebook_path: Path) -> list[NotebookProblem]:
    """Problems with one committed notebook: twin out of step, missing or disordered outputs.

    The twin must be exactly what the notebook renders to. Every code cell must have run, in
    order from 1, without errors or anything written to stderr.
    """
    problems: list[NotebookProblem] = []
    twin = twin_path(notebook_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    if not twin.exists():
        problems.append(NotebookProblem(notebook_path, f"its twin {twin.name} is missing"))
    elif twin.read_text(encoding="utf-8") != render_twin(notebook):
        problems.append(
            NotebookProblem(
                notebook_path,
                f"differs from its twin {twin.name}; run `make notebooks` to re-execute and "
                "re-sync both",
            )
        )
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        where = f"code cell {number} ({_first_line(cell.source)!r})"
        if cell.execution_count != number:
            problems.append(
                NotebookProblem(
                    notebook_path,
                    f"{where} has execution count {cell.execution_count}, expected {number}: "
                    "the notebook was not run top to bottom",
                )
            )
        for output in cell.outputs:
            if output.output_type == "error":
                problems.append(NotebookProblem(notebook_path, f"{where} raised {output.ename}"))
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(NotebookProblem(notebook_path, f"{where} wrote to stderr"))
    return problems


def execute_notebook(notebook_path: Path, *, environment: Mapping[str, str] | None = None) -> None:
    """Run a notebook top to bottom in a fresh kernel, then rewrite it and its twin.

    The inputs come from whichever of the pair was edited last (as ``jupytext --sync``
    decides), so an edit made in either file survives; cell ids and metadata are kept.
    ``environment`` adds variables to the kernel's environment (e.g. ``REVIEWBOOK_DATA``).
    Both files are replaced atomically (`write_atomically`): a kill never leaves half of one.
    """
    twin = twin_path(notebook_path)
    existing = nbformat.read(notebook_path, as_version=4) if notebook_path.exists() else None
    if twin.exists() and (existing is None or twin.stat().st_mtime > notebook_path.stat().st_mtime):
        inputs = jupytext.read(twin, fmt=TWIN_FORMAT)
        notebook = combine_inputs_with_outputs(inputs, existing) if existing else inputs
    elif existing is not None:
        notebook = existing
    else:
        raise FileNotFoundError(f"{notebook_path}: neither the notebook nor its twin exists")
    notebook.metadata.setdefault("jupytext", {})["formats"] = f"ipynb,{TWIN_FORMAT}"
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of an earlier run
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_SECONDS,
        record_timing=False,  # timestamps in cell metadata would change every run
        resources={"metadata": {"path": str(notebook_path.parent)}},
    )
    client.execute(env={**os.environ, **(environment or {})})
    text = nbformat.writes(notebook)
    write_atomically(notebook_path, text if text.endswith("\n") else text + "\n")
    write_atomically(twin, render_twin(notebook))


def _first_line(source: str) -> str:
    return source.strip().splitlines()[0] if source.strip() else ""
