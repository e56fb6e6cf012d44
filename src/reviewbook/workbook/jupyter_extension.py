"""A Jupyter server extension, enabled in this environment when the package is installed
(``jupyter-config/reviewbook.json``): it makes JupyterLab open and save workbook notebooks as
`execute_notebook` writes them. Opened untouched, a notebook shows no unsaved change
(`notebooks.as_loaded`); saved unchanged, it leaves git with nothing to commit
(`notebooks.before_save`); and it is never saved over a newer run of it on disk
(`notebooks.newer_run_on_disk`), which the annotation editor's re-run writes while it is open.
The contents manager's ``get`` and ``save`` are wrapped on the instance, as jupytext's own
extension replaces the manager: the server has no hook for loading, and a pre-save hook's
refusal reaches the reader as jupytext's "unexpected error"."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tornado.web import HTTPError

from reviewbook.workbook.notebooks import as_loaded, before_save, newer_run_on_disk

EXTENSION_MODULE = "reviewbook.workbook.jupyter_extension"
CONFLICT = 409
"""The HTTP status of a refused save: the file changed since the browser loaded it."""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Where the Jupyter server finds this extension."""
    return [{"module": EXTENSION_MODULE}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Install the hooks on the server's contents manager (jupytext's, when it has replaced
    the default one: extensions load in name order, and ``reviewbook`` comes after it)."""
    manager = server_app.contents_manager
    manager.register_pre_save_hook(before_save)
    manager.get = loading_as_loaded(manager.get)
    manager.save = saving_never_over_a_newer_run(manager.save, Path(manager.root_dir))


def refuse_saving_over_a_newer_run(model: dict[str, Any], path: str, root: Path) -> None:
    """Refuse to save ``model`` at ``path`` (under the server's ``root``) over a newer run of
    that notebook (`newer_run_on_disk`), with the reason as the error JupyterLab shows."""
    reason = newer_run_on_disk(model, root / path.strip("/"))
    if reason is not None:
        raise HTTPError(CONFLICT, reason)


def loading_as_loaded(get: Callable[..., Any]) -> Callable[..., Any]:
    """The contents manager's ``get`` (async or not), with each model it returns passed
    through `as_loaded`."""
    if inspect.iscoroutinefunction(get):

        async def get_async(*args: Any, **kwargs: Any) -> Any:
            model = await get(*args, **kwargs)
            as_loaded(model)
            return model

        return get_async

    def get_sync(*args: Any, **kwargs: Any) -> Any:
        model = get(*args, **kwargs)
        as_loaded(model)
        return model

    return get_sync


def saving_never_over_a_newer_run(save: Callable[..., Any], root: Path) -> Callable[..., Any]:
    """The contents manager's ``save`` (async or not), refusing first what
    `refuse_saving_over_a_newer_run` refuses: before jupytext's ``save``, which would report
    the refusal as an unexpected error, and before anything is written."""
    if inspect.iscoroutinefunction(save):

        async def save_async(model: dict[str, Any], path: str = "", **kwargs: Any) -> Any:
            refuse_saving_over_a_newer_run(model, path, root)
            return await save(model, path, **kwargs)

        return save_async

    def save_sync(model: dict[str, Any], path: str = "", **kwargs: Any) -> Any:
        refuse_saving_over_a_newer_run(model, path, root)
        return save(model, path, **kwargs)

    return save_sync
