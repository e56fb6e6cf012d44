"""Keep the workbook's notebooks and their Markdown twins executed, in step and byte-stable.

Each ``notebooks/NAME.ipynb`` is paired with ``notebooks/NAME.md`` (MyST). The notebook holds
the outputs a reader sees without running anything; the twin is the same text and code,
easy to read and review. CI checks that each twin is exactly what the notebook renders to,
and that no output is stale: each notebook records what its outputs were computed from
(`reviewbook.workbook.provenance`), and `check_notebook` names what changed since.

A run on unchanged inputs rewrites nothing: the kernelspec is the one JupyterLab writes (so
saving an unchanged notebook there changes nothing either), no timing is kept, and no widget is
saved (`without_widget_views`): each widget's output keeps the static snapshot it carries,
which every page can show, and running the cell brings the live widget back.

Opened and saved in JupyterLab (the server hooks of `reviewbook.workbook.jupyter_extension`),
a workbook notebook shows no unsaved change until the reader makes one (`as_loaded`), is saved
as `execute_notebook` writes it (`before_save`), and is never saved over a newer run of it
(`newer_run_on_disk`).
"""

from __future__ import annotations

import ast
import copy
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from jupytext.config import load_jupytext_config
from nbclient import NotebookClient
from traitlets.config import Config

from reviewbook.files import write_atomically
from reviewbook.workbook import provenance
from reviewbook.workbook.paths import data_dir, workbook_root

TWIN_FORMAT = "md:myst"
KERNEL_NAME = "python3"
KERNELSPEC: dict[str, str] = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": KERNEL_NAME,
}
"""The kernelspec JupyterLab writes when it saves a notebook: written the same here."""
CELL_TIMEOUT_SECONDS = 600
KERNEL_TRANSPORT = "ipc" if os.name == "posix" else "tcp"
"""How the kernel talks to us: local sockets where there are any (no network port, and no
"running over TCP without encryption" warning on every run)."""
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)
"""The kernel's own log is quiet: stopping it can race its shutdown with an interrupt and log
"KeyboardInterrupt caught in kernel"; a failing cell is reported by the client, not the log."""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNEL_PYTHON_VERSION = sys.version.split()[0]
"""The Python version a kernel of this Python reports in its ``language_info`` (ipykernel's
own expression): the kernel JupyterLab starts from this environment's server runs it."""


def twin_path(notebook: Path) -> Path:
    """The Markdown twin of a notebook (and the notebook of a twin)."""
    return notebook.with_suffix(".md" if notebook.suffix == ".ipynb" else ".ipynb")


def render_twin(notebook: nbformat.NotebookNode) -> str:
    """The Markdown twin's text for a notebook, as jupytext writes it with the workbook's
    ``jupytext.toml`` (on a copy: jupytext adds its settings to the metadata it writes)."""
    config = load_jupytext_config(str(workbook_root()))
    return jupytext.writes(copy.deepcopy(notebook), fmt=TWIN_FORMAT, config=config)


@dataclass(frozen=True, slots=True)
class NotebookProblem:
    """Something wrong with a committed notebook, named so a person can find it."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def check_notebook(notebook_path: Path, *, data: Path | None = None) -> list[NotebookProblem]:
    """Problems with one committed notebook: stale outputs, twin out of step, missing or
    disordered outputs.

    Nothing its outputs were computed from may have changed since (``data`` is the data folder
    it reads, `data_dir` by default). The twin must be exactly what the notebook renders to.
    Every code cell must have run, in order from 1, without errors or anything written to
    stderr.
    """
    problems: list[NotebookProblem] = []
    twin = twin_path(notebook_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    changed = provenance.stale_inputs(
        provenance.recorded_inputs(notebook),
        provenance.code_sources(notebook),
        data if data is not None else data_dir(),
    )
    if changed:
        problems.append(
            NotebookProblem(
                notebook_path,
                f"is stale: {', '.join(changed)} changed since it was run; run `make notebooks`",
            )
        )
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
    problems.extend(
        NotebookProblem(notebook_path, message) for message in provenance.output_problems(notebook)
    )
    return problems


def execute_notebook(
    notebook_path: Path,
    *,
    environment: Mapping[str, str] | None = None,
    folder: Path | None = None,
) -> None:
    """Run a notebook top to bottom in a fresh kernel, then rewrite it and its twin.

    The kernel runs in ``folder`` (default: the notebook's own), where the notebook's relative
    paths resolve: a staged notebook runs in the live notebooks folder, so staging changes
    nothing a notebook can see but the workbook's staged files.
    The inputs come from whichever of the pair was edited last (as ``jupytext --sync``
    decides), so an edit made in either file survives; cell ids and metadata are kept.
    ``environment`` adds variables to the kernel's environment (e.g. ``REVIEWBOOK_DATA``).
    The notebook records what its outputs were computed from (`provenance`). Both files are
    replaced atomically (`write_atomically`): a kill never leaves half of one.
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
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps of an earlier run
    kernel_environment = {**os.environ, **(environment or {})}
    read = _execute(notebook, folder or notebook_path.parent, kernel_environment)
    data = data_dir(kernel_environment)
    notebook.metadata.setdefault(provenance.METADATA_KEY, {})[provenance.RUN_FROM] = (
        provenance.run_record(
            provenance.code_sources(notebook), provenance.input_names(read, data), data
        )
    )
    without_widget_views(notebook)
    twin_text = render_twin(notebook)
    notebook.metadata[provenance.METADATA_KEY][provenance.TWIN] = provenance.twin_digest(
        notebook, twin_text
    )
    text = nbformat.writes(notebook)
    write_atomically(notebook_path, text if text.endswith("\n") else text + "\n")
    write_atomically(twin, twin_text)


def _execute(
    notebook: nbformat.NotebookNode, folder: Path, environment: Mapping[str, str]
) -> dict[str, list[str]]:
    """Execute every cell of ``notebook`` in place, as ``NotebookClient.execute`` does, with
    the kernel recording what it reads; return that (`provenance.files_read`)."""
    with _kernel_config() as config:
        client = NotebookClient(
            notebook,
            kernel_name=KERNEL_NAME,
            timeout=CELL_TIMEOUT_SECONDS,
            record_timing=False,  # timestamps in cell metadata would change every run
            resources={"metadata": {"path": str(folder)}},
            extra_arguments=list(KERNEL_ARGUMENTS),
            config=config,
        )
        client.reset_execution_trackers()
        return _execute_cells(client, notebook, environment)


@contextmanager
def _kernel_config() -> Iterator[Config]:
    """The kernel manager's settings: local sockets in a private folder, where there are any."""
    if KERNEL_TRANSPORT != "ipc":
        yield Config()
        return
    with tempfile.TemporaryDirectory(prefix="reviewbook-kernel-") as folder:
        yield Config({"KernelManager": {"transport": "ipc", "ip": f"{folder}/socket"}})


def _execute_cells(
    client: NotebookClient, notebook: nbformat.NotebookNode, environment: Mapping[str, str]
) -> dict[str, list[str]]:
    """Start the client's kernel, run its cells with the recording around them, stop it."""
    with client.setup_kernel(env=dict(environment)):
        kernel = client.kc
        assert kernel is not None
        info = client.wait_for_reply(kernel.kernel_info())
        notebook.metadata["language_info"] = without_version(info["content"]["language_info"])
        client.wait_for_reply(
            kernel.execute(provenance.KERNEL_START, silent=True, store_history=False)
        )
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        reply = client.wait_for_reply(
            kernel.execute(
                "",
                silent=True,
                store_history=False,
                user_expressions={"read": provenance.KERNEL_REPORT},
            )
        )
    result = reply["content"]["user_expressions"]["read"]
    if result.get("status") != "ok":
        raise RuntimeError(f"the kernel could not say what it read: {result.get('evalue')}")
    return json.loads(ast.literal_eval(result["data"]["text/plain"]))


def without_widget_views(notebook: dict[str, Any]) -> None:
    """Take every widget out of a notebook, in place: the saved widget state and each output's
    widget view (an output left with nothing to show goes too).

    A saved view has no live model until the kernel runs its cell: JupyterLab then draws it
    disconnected, or "model not found", and a static page draws controls that do nothing.
    Without it, each page shows the rest of the output's bundle (the widget's snapshot, see
    `reviewbook.notebook.html.snapshot_bundle`), and running the cell shows the live widget.
    """
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook.get("cells", []):
        if "outputs" not in cell:
            continue
        for output in cell["outputs"]:
            output.get("data", {}).pop(WIDGET_VIEW, None)
        cell["outputs"] = [
            output
            for output in cell["outputs"]
            if output.get("output_type") not in ("display_data", "execute_result")
            or output.get("data")
        ]


def without_version(language_info: Mapping[str, Any]) -> dict[str, Any]:
    """A kernel's ``language_info`` without the Python version (``3.11.7``): the version
    differs from one reader's machine to the next and says nothing about the outputs."""
    return {key: value for key, value in language_info.items() if key != "version"}


def _workbook_content(model: Mapping[str, Any]) -> dict[str, Any] | None:
    """The notebook of a contents-API ``model`` when it is a workbook notebook (its metadata
    has a `provenance.METADATA_KEY` entry); None for any other notebook or file."""
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        return None
    return content if provenance.METADATA_KEY in content.get("metadata", {}) else None


def as_loaded(model: dict[str, Any]) -> None:
    """A workbook notebook as the Jupyter server hands it to JupyterLab, in place: with the
    Python version of its kernel (`KERNEL_PYTHON_VERSION`) in ``language_info``.

    The file keeps no version (`without_version`), but JupyterLab writes the kernel's whole
    ``language_info`` into the notebook when the kernel connects: a notebook opened without
    the version shows unsaved changes seconds later, untouched. `before_save` takes it out
    again. Other notebooks and files are left as they are."""
    content = _workbook_content(model)
    language_info = content.get("metadata", {}).get("language_info") if content else None
    if isinstance(language_info, dict):
        language_info.setdefault("version", KERNEL_PYTHON_VERSION)


def before_save(model: dict[str, Any], **_: Any) -> None:
    """A Jupyter server ``pre_save_hook``: a workbook notebook saved in JupyterLab is saved as
    `execute_notebook` writes it, without the Python version (`without_version`) or widgets
    (`without_widget_views`), so saving it unchanged on another Python changes nothing and a
    widget run in JupyterLab is saved as its snapshot. Other notebooks are left as they are.
    Installed with the package (``jupyter-config/reviewbook.json``)."""
    content = _workbook_content(model)
    if content is None:
        return
    metadata = content.get("metadata", {})
    if "language_info" in metadata:
        metadata["language_info"] = without_version(metadata["language_info"])
    without_widget_views(content)


def newer_run_on_disk(model: Mapping[str, Any], on_disk: Path) -> str | None:
    """Why a workbook notebook must not be saved over the file ``on_disk``, or None.

    The notebook was loaded from a run (`provenance.RUN_FROM`); if the file now holds another
    run (the annotation editor's re-run, ``reviewbook notebooks run``, ``reviewbook add``),
    saving would replace its outputs with the older ones shown in the browser. The reason
    says how to see the new run instead."""
    content = _workbook_content(model)
    loaded = provenance.recorded_inputs(content) if content is not None else None
    try:
        saved = provenance.recorded_inputs(json.loads(on_disk.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None  # no file there (a new notebook), or none a run wrote
    if loaded is None or saved is None or loaded == saved:
        return None
    return (
        f"{on_disk.name} was re-run on disk after you opened it: saving would replace its new "
        "outputs with the older ones shown here. Use File > Reload Notebook from Disk to see "
        "them (copy any edit of yours first; File > Save Notebook As... keeps this version "
        "under another name)."
    )
