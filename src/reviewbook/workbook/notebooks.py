"""Keep the workbook's notebooks and their Markdown twins executed, in step and byte-stable.

Each ``notebooks/NAME.ipynb`` is paired with ``notebooks/NAME.md`` (MyST). The notebook holds
the outputs a reader sees without running anything; the twin is the same text and code,
easy to read and review. CI checks that each twin is exactly what the notebook renders to,
and that no output is stale: each notebook records what its outputs were computed from
(`reviewbook.workbook.provenance`), and `check_notebook` names what changed since.

A run on unchanged inputs rewrites nothing: the kernelspec is the one JupyterLab writes (so
saving an unchanged notebook there changes nothing either), widget model ids are numbered in
a fixed order instead of at random, and no timing is kept.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import re
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
from reviewbook.workbook.paths import DATA_ENV, data_dir, project_root

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
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_MODEL_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def twin_path(notebook: Path) -> Path:
    """The Markdown twin of a notebook (and the notebook of a twin)."""
    return notebook.with_suffix(".md" if notebook.suffix == ".ipynb" else ".ipynb")


def render_twin(notebook: nbformat.NotebookNode) -> str:
    """The Markdown twin's text for a notebook, as jupytext writes it with our jupytext.toml
    (on a copy: jupytext adds its settings to the metadata of what it writes)."""
    config = load_jupytext_config(str(project_root()))
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


def execute_notebook(notebook_path: Path, *, environment: Mapping[str, str] | None = None) -> None:
    """Run a notebook top to bottom in a fresh kernel, then rewrite it and its twin.

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
    read = _execute(notebook, notebook_path.parent, kernel_environment)
    data = Path(kernel_environment.get(DATA_ENV) or data_dir())
    notebook.metadata.setdefault(provenance.METADATA_KEY, {})[provenance.RUN_FROM] = (
        provenance.run_record(
            provenance.code_sources(notebook), provenance.input_names(read, data), data
        )
    )
    number_widget_models(notebook, notebook_path.name)
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
        client.set_widgets_metadata()
    result = reply["content"]["user_expressions"]["read"]
    if result.get("status") != "ok":
        raise RuntimeError(f"the kernel could not say what it read: {result.get('evalue')}")
    return json.loads(ast.literal_eval(result["data"]["text/plain"]))


def number_widget_models(notebook: dict[str, Any], salt: str) -> None:
    """Replace a notebook's widget model ids, in place, by ids numbered in a fixed order: from
    each output's widget through the models it refers to, depth first, in cell order (then any
    model nothing refers to, by content). Each id is the first 32 hex digits of SHA-256 of
    ``salt`` (the notebook's name) and the number, so a re-run writes the same ids."""
    widget_state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    state = widget_state.get("state", {})
    if not state:
        return
    order: dict[str, None] = {}

    def visit(model_id: str) -> None:
        if model_id in order or model_id not in state:
            return
        order[model_id] = None
        for referred in _MODEL_REFERENCE.findall(json.dumps(state[model_id], sort_keys=True)):
            visit(referred)

    views = [
        output["data"][WIDGET_VIEW]
        for cell in notebook.get("cells", [])
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    for view in views:
        visit(view["model_id"])
    for model_id in sorted(state, key=lambda key: json.dumps(state[key], sort_keys=True)):
        visit(model_id)
    renamed = {
        model_id: hashlib.sha256(f"{salt}:{number}".encode()).hexdigest()[:32]
        for number, model_id in enumerate(order)
    }
    # Ids live in the widget state (its keys and IPY_MODEL_ references) and in each output's
    # view only: renaming there, not across the text, leaves megabytes of images unscanned.
    pattern = re.compile("|".join(re.escape(model_id) for model_id in renamed))
    state_text = pattern.sub(lambda match: renamed[match.group(0)], json.dumps(state))
    widget_state["state"] = json.loads(state_text)
    for view in views:
        view["model_id"] = renamed.get(view["model_id"], view["model_id"])


def without_version(language_info: Mapping[str, Any]) -> dict[str, Any]:
    """A kernel's ``language_info`` without the Python version (``3.11.7``): the version
    differs from one reader's machine to the next and says nothing about the outputs."""
    return {key: value for key, value in language_info.items() if key != "version"}


def before_save(model: dict[str, Any], **_: Any) -> None:
    """A Jupyter server ``pre_save_hook``: a workbook notebook saved in JupyterLab keeps no
    Python version (`without_version`), so saving it unchanged on another Python changes
    nothing. Other notebooks are left as they are. Installed with the package
    (``jupyter-config/reviewbook.json``)."""
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        return
    metadata = content.get("metadata", {})
    if provenance.METADATA_KEY in metadata and "language_info" in metadata:
        metadata["language_info"] = without_version(metadata["language_info"])
