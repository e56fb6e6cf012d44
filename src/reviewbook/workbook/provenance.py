"""What a notebook's outputs were computed from, so stale outputs can be named.

When `notebooks.execute_notebook` runs a notebook, its kernel records every file it opens
(`record_files_opened`, an audit hook) and the package's modules it imports. The notebook's
metadata then keeps a digest of each input under ``reviewbook.run_from``: its code cells, the
package version, each data file it read (``data/pubmed/...``, ``data/annotations/...``) and each
module of the package it used. `stale_inputs` compares that record with the files as they are
now and names what changed; `rerun_notebooks_reading` re-runs the notebooks whose record names a
file (the annotation editor offers it after a save).

This module is light (standard library only): the kernel imports it, and so may a notebook.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reviewbook.workbook.paths import INDEX_NOTEBOOK, data_dir, notebooks_dir

METADATA_KEY = "reviewbook"
"""The notebook metadata entry this module owns."""
RUN_FROM = "run_from"
"""Under `METADATA_KEY`: the digests of what the outputs were computed from."""
TWIN = "twin"
"""Under `METADATA_KEY`: the digest of the twin as written with the notebook (`twin_digest`)."""
CODE = "code cells"
PACKAGE = "reviewbook version"
DATA_LABEL = "data"
"""How a data file is named in the record: ``data/annotations/21387299.yaml``, whichever folder
the data comes from (``$REVIEWBOOK_DATA`` or the checkout's)."""
PACKAGE_NAME = "reviewbook"

_OPENED: set[str] = set()


# --- in the kernel --------------------------------------------------------------------------


def _record_open(event: str, arguments: tuple[Any, ...]) -> None:
    if event == "open" and arguments and isinstance(arguments[0], (str, os.PathLike)):
        _OPENED.add(os.path.abspath(os.fspath(arguments[0])))


def record_files_opened() -> None:
    """From now on, remember every file this process opens (an audit hook; set once)."""
    if not getattr(sys, "_reviewbook_recording", False):
        sys.addaudithook(_record_open)
        sys._reviewbook_recording = True  # type: ignore[attr-defined]


def files_read() -> dict[str, list[str]]:
    """What this process read since `record_files_opened`: ``opened`` files and the package's
    ``modules`` (their source files), as absolute paths."""
    modules = sorted(
        {
            os.path.abspath(module.__file__)
            for name, module in list(sys.modules.items())
            if name.partition(".")[0] == PACKAGE_NAME and getattr(module, "__file__", None)
        }
    )
    return {"opened": sorted(_OPENED), "modules": modules}


KERNEL_START = (
    "import reviewbook.workbook.provenance as _provenance\n"
    "_provenance.record_files_opened()\n"
    "del _provenance"
)
"""Code a kernel runs (silently) before a notebook's first cell."""
KERNEL_REPORT = (
    "__import__('json').dumps("
    "__import__('reviewbook.workbook.provenance').workbook.provenance.files_read())"
)
"""An expression a kernel evaluates after the last cell: `files_read` as JSON text (the kernel
sends a value's printed form, which IPython cuts short for lists of over 1,000 items)."""


# --- digests ----------------------------------------------------------------------------------


def digest(content: bytes) -> str:
    """SHA-256 of a file's content, line endings made ``\\n`` (a Windows checkout agrees)."""
    return hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest()


def code_digest(sources: Iterable[str]) -> str:
    """SHA-256 of a notebook's code cells, in order."""
    return digest("\n\0\n".join(sources).encode("utf-8"))


def package_version() -> str:
    try:
        return importlib.metadata.version(PACKAGE_NAME)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _package_folder() -> Path:
    """The folder holding the ``reviewbook`` package (``src/`` in a checkout)."""
    return Path(__file__).resolve().parents[2]


def input_names(read: Mapping[str, Sequence[str]], data: Path) -> list[str]:
    """The names under which the record keeps what a kernel read: data files as
    ``data/<folder>/<file>``, modules as ``reviewbook/<module>.py``; other files left out."""
    given, data = data, data.resolve()
    package = _package_folder()
    # Most of what a kernel opens is library code: only paths under the data folder, as given
    # or resolved, are resolved here (a thousand resolutions cost a tenth of a second).
    prefixes = tuple({os.path.join(os.path.abspath(folder), "") for folder in (given, data)})
    names = set()
    for opened in read.get("opened", ()):
        if not opened.startswith(prefixes):
            continue
        path = Path(opened).resolve()
        if path.is_relative_to(data) and path.is_file():
            names.add(f"{DATA_LABEL}/{path.relative_to(data).as_posix()}")
    for module in read.get("modules", ()):
        path = Path(module).resolve()
        if path == Path(__file__).resolve():
            continue  # the recording itself, which every kernel imports
        if path.is_relative_to(package) and path.suffix == ".py":
            names.add(path.relative_to(package).as_posix())
    return sorted(names)


def input_path(name: str, data: Path) -> Path:
    """Where an input named by `input_names` is now."""
    if name.startswith(f"{DATA_LABEL}/"):
        return data / name.removeprefix(f"{DATA_LABEL}/")
    return _package_folder() / name


def run_record(code_sources: Iterable[str], names: Iterable[str], data: Path) -> dict[str, str]:
    """The record of one run: the code cells' digest, the package version and each input's."""
    record = {CODE: code_digest(code_sources), PACKAGE: package_version()}
    for name in names:
        record[name] = digest(input_path(name, data).read_bytes())
    return record


def file_digest(path: Path) -> str | None:
    """`digest` of a file's content (None if it is not a file), computed once per process for
    each version of the file: checking many notebooks reads each shared input once."""
    try:
        status = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return _file_digest(str(path.resolve()), status.st_mtime_ns, status.st_size)


@functools.lru_cache(maxsize=4096)
def _file_digest(path: str, _mtime_ns: int, _size: int) -> str:
    return digest(Path(path).read_bytes())


def stale_inputs(
    recorded: Mapping[str, str] | None, sources: Iterable[str], data: Path
) -> list[str]:
    """What changed since the run ``recorded`` describes, given the code cells' ``sources`` now:
    ``code cells``, ``reviewbook version``, or an input's name (also when it is gone)."""
    if not recorded:
        return ["everything (the notebook records no inputs)"]
    changed = []
    for name, expected in recorded.items():
        if name == CODE:
            now = code_digest(sources)
        elif name == PACKAGE:
            now = package_version()
        else:
            now = file_digest(input_path(name, data))
        if now != expected:
            changed.append(name)
    return changed


# --- whether a notebook is current -----------------------------------------------------------


def twin_digest(notebook: Mapping[str, Any], twin_text: str) -> str:
    """SHA-256 of a twin's text together with what it is rendered from (every cell's type,
    source and metadata, and the pairing and kernel metadata): when neither changed since the
    run, the twin is still what the notebook renders to, which is known without rendering."""
    cells = [
        [cell.get("cell_type"), _source(cell), cell.get("metadata", {})]
        for cell in notebook.get("cells", [])
    ]
    metadata = notebook.get("metadata", {})
    rendered_from = [cells, metadata.get("jupytext"), metadata.get("kernelspec")]
    text = json.dumps(rendered_from, sort_keys=True, ensure_ascii=False) + "\0" + twin_text
    return digest(text.encode("utf-8"))


def output_problems(notebook: Mapping[str, Any]) -> list[str]:
    """What is wrong with a notebook's saved outputs: a code cell not run in order from 1, an
    error, or anything written to stderr. Each message names the cell by number and first line."""
    problems = []
    code_cells = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    for number, cell in enumerate(code_cells, start=1):
        first_line = next(iter(_source(cell).strip().splitlines()), "")
        where = f"code cell {number} ({first_line!r})"
        if cell.get("execution_count") != number:
            problems.append(
                f"{where} has execution count {cell.get('execution_count')}, expected {number}: "
                "the notebook was not run top to bottom"
            )
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"{where} raised {output.get('ename')}")
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"{where} wrote to stderr")
    return problems


def is_current(notebook_path: Path, data: Path | None = None) -> bool:
    """Whether a notebook needs no run, decided without jupytext or nbformat (both slow to
    import): nothing it was computed from changed, its twin is the one written with it, and
    its outputs have no `output_problems`. False means "look closer" (`check_notebook`), not
    necessarily stale: a twin saved by JupyterLab's jupytext is right but not recognised here.
    """
    twin = notebook_path.with_suffix(".md")
    if not (notebook_path.is_file() and twin.is_file()):
        return False
    notebook = _read_json(notebook_path)
    recorded = notebook.get("metadata", {}).get(METADATA_KEY, {}).get(TWIN)
    return (
        recorded == twin_digest(notebook, twin.read_text(encoding="utf-8"))
        and not stale_inputs(recorded_inputs(notebook), code_sources(notebook), data or data_dir())
        and not output_problems(notebook)
    )


# --- reading notebooks as plain JSON (nbformat is slow to import) -----------------------------


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def recorded_inputs(notebook: Mapping[str, Any]) -> dict[str, str] | None:
    """The run record in a notebook's metadata, if any."""
    return notebook.get("metadata", {}).get(METADATA_KEY, {}).get(RUN_FROM)


def code_sources(notebook: Mapping[str, Any]) -> list[str]:
    """The sources of a notebook's code cells (as nbformat or plain JSON holds them)."""
    return [_source(cell) for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]


def _source(cell: Mapping[str, Any]) -> str:
    """A cell's source as one string (a notebook file may hold it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebooks_reading(path: str | os.PathLike[str], folder: Path | None = None) -> list[Path]:
    """The notebooks of ``folder`` (default: the workbook's) whose last run read ``path``."""
    data = data_dir()
    target = Path(path).resolve()
    if not target.is_relative_to(data.resolve()):
        return []
    name = f"{DATA_LABEL}/{target.relative_to(data.resolve()).as_posix()}"
    return [
        notebook
        for notebook in sorted((folder or notebooks_dir()).glob("*.ipynb"))
        if name in (recorded_inputs(_read_json(notebook)) or {})
    ]


def rerun_notebooks_reading(path: str | os.PathLike[str]) -> str:
    """Re-execute (in a child process, holding the workbook lock) the notebooks whose last run
    read ``path``; say which, and how to see their new outputs."""
    from reviewbook.workbook.paths import Workbook
    from reviewbook.workbook.runner import run_notebooks
    from reviewbook.workbook.transaction import workbook_lock

    notebooks = notebooks_reading(path)
    if not notebooks:
        return f"No notebook records reading {Path(path).name}: nothing to re-run."
    workbook = Workbook.at(None)
    with (
        workbook_lock(workbook),
        trust_kept(notebooks, index=workbook.notebooks / INDEX_NOTEBOOK),
    ):
        run_notebooks(notebooks, environment={})
    names = ", ".join(notebook.name for notebook in notebooks)
    return (
        f"Re-ran {names}. To see the new outputs here, reload the notebook from disk "
        "(File > Reload Notebook from Disk)."
    )


def trust_notebooks(notebooks: Iterable[Path]) -> None:
    """Sign ``notebooks`` as trusted for this user's Jupyter (as JupyterLab does when it saves
    one), so reloaded from disk they show their HTML outputs whole, not sanitised."""
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    for path in notebooks:
        notary.sign(nbformat.read(path, as_version=4))


def trusted(notebooks: Iterable[Path]) -> set[Path]:
    """Those of ``notebooks`` this user's Jupyter trusts as they are now: their signature is in
    its database (`trust_notebooks`, ``jupyter trust``, a save in JupyterLab). A notebook
    rewritten since it was signed, missing, or not a notebook at all, is not."""
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    return {path for path in notebooks if _signed(path, notary)}


def _signed(path: Path, notary: Any) -> bool:
    """Whether ``notary`` holds the signature of the notebook at ``path`` (False when it cannot
    be read as one)."""
    import nbformat

    try:
        return bool(notary.check_signature(nbformat.read(path, as_version=4)))
    except (OSError, ValueError):  # missing, unreadable, or not a notebook's JSON
        return False


@contextmanager
def trust_kept(notebooks: Iterable[Path], index: Path) -> Iterator[None]:
    """Around a block that rewrites ``notebooks``: leave each as trusted as it was found.

    When the block ends, each notebook that was trusted before it is signed again, and so is
    each that did not exist before it, if the workbook's ``index`` notebook was trusted then
    (a reader who trusts the workbook trusts its new notebooks). If the block raises, nothing
    is signed: what it did is undone, and each file keeps the trust it had."""
    paths = list(notebooks)
    found = trusted([*paths, index])
    new = {path for path in paths if not path.exists()}
    yield
    trust_notebooks(
        path
        for path in paths
        if path.is_file() and (path in found or (path in new and index in found))
    )
