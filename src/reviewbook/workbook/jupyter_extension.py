"""A Jupyter server extension, enabled in this environment when the package is installed
(``jupyter-config/reviewbook.json``): it registers `notebooks.before_save` as a pre-save hook, so
JupyterLab saves a workbook notebook without the reader's Python version and saving it
unchanged leaves git with nothing to commit."""

from __future__ import annotations

from typing import Any

from reviewbook.workbook.notebooks import before_save

EXTENSION_MODULE = "reviewbook.workbook.jupyter_extension"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where the Jupyter server finds this extension."""
    return [{"module": EXTENSION_MODULE}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the hook on the server's contents manager (jupytext's, when it has replaced
    the default one: extensions load in name order, and ``reviewbook`` comes after it)."""
    server_app.contents_manager.register_pre_save_hook(before_save)
