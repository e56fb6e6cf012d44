"""Which extra of the package a command needs, said in one line when it is not installed.

``pip install reviewbook`` reads files and writes tables and exports; the notebooks and the
workbook commands need the ``notebook`` extra, the PubMed corpus the ``corpus`` extra. A
command that meets a missing module of an extra stops with one line naming the extra to
install, never a traceback: before it starts when the command is known to need the extra
(its parser's ``extra`` default), else where the missing module is first imported.
"""

from __future__ import annotations

from importlib.util import find_spec
from types import MappingProxyType

EXTRA_OF_MODULE: MappingProxyType[str, str] = MappingProxyType(
    {
        # notebook: running, pairing and checking notebooks, and what they show
        "ipykernel": "notebook",
        "ipywidgets": "notebook",
        "jupyterlab": "notebook",
        "jupyter_client": "notebook",
        "jupyter_core": "notebook",
        "jupyter_server": "notebook",
        "jupytext": "notebook",
        "nbclient": "notebook",
        "nbformat": "notebook",
        "nbval": "notebook",
        "pytest": "notebook",
        "tornado": "notebook",
        "traitlets": "notebook",
        # corpus: PubMed's bulk files as Parquet, built with Dask, queried with DuckDB
        "dask": "corpus",
        "distributed": "corpus",
        "duckdb": "corpus",
        "pyarrow": "corpus",
        # site: the static website
        "myst_nb": "site",
        "sphinx": "site",
    }
)
"""Top-level module name → the extra of pyproject.toml that installs it."""


MODULES_OF_EXTRA: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        extra: tuple(module for module, owner in EXTRA_OF_MODULE.items() if owner == extra)
        for extra in dict.fromkeys(EXTRA_OF_MODULE.values())
    }
)
"""The modules each extra installs (those `EXTRA_OF_MODULE` names)."""


def missing_module(extra: str) -> str | None:
    """The first module of ``extra`` that is not installed, or None (found, not imported)."""
    return next((name for name in MODULES_OF_EXTRA[extra] if find_spec(name) is None), None)


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The extra that installs the module ``error`` did not find, or None when no extra does
    (a genuine bug, which keeps its traceback)."""
    name = (error.name or "").split(".")[0]
    return EXTRA_OF_MODULE.get(name)


def missing_extra_line(command: str, extra: str, module: str) -> str:
    """The one line a command says when its extra is not installed."""
    return (
        f"`reviewbook {command}` needs the {extra!r} extra ({module} is not installed): "
        f"pip install 'reviewbook[{extra}]'"
    )
