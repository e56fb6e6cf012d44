"""``reviewbook notebooks run|check [NOTEBOOK...]``: re-execute and re-sync the workbook's
notebooks, or report twins out of step and cells not run in order."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from pathlib import Path

from reviewbook.cli.command import EXIT_INVALID, EXIT_OK, PROG, Subparsers
from reviewbook.progress import progress
from reviewbook.progress import say as show


def _notebook_paths(names: Sequence[str]) -> list[Path]:
    """The notebooks named (any suffix given becomes ``.ipynb``), else every one in the checkout."""
    from reviewbook.workbook.paths import notebooks_dir

    if names:
        return [Path(name).with_suffix(".ipynb") for name in names]
    return sorted(notebooks_dir().glob("*.ipynb"))


def _run_notebooks(args: argparse.Namespace) -> int:
    """``reviewbook notebooks run|check``: re-execute and re-sync, or report problems.

    ``run`` holds the workbook lock, so it never runs beside a ``reviewbook add``.
    """
    from reviewbook.workbook.notebooks import check_notebook, execute_notebook
    from reviewbook.workbook.paths import Workbook
    from reviewbook.workbook.transaction import workbook_lock

    def say(message: str) -> None:
        show(f"{PROG}: {message}")

    status = EXIT_OK
    running = args.action == "run"
    paths = _notebook_paths(args.notebooks)
    shown = progress(paths, what="notebooks", unit="notebook") if running else paths
    with workbook_lock(Workbook.at(None), report=say) if running else contextlib.nullcontext():
        for path in shown:
            if running:
                say(f"running {path}")
                execute_notebook(path)
            for problem in check_notebook(path):
                say(str(problem))
                status = EXIT_INVALID
    return status


def add_notebooks_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook notebooks run|check [NOTEBOOK...]``."""
    parser = subparsers.add_parser(
        "notebooks",
        help="re-execute the workbook's notebooks, or check them",
        description=(
            "'run' executes each notebook top to bottom in a fresh kernel and rewrites it and "
            "its Markdown twin (inputs come from whichever of the pair was edited last). "
            "'check' reports twins out of step and cells not run in order; exit status 1 if any."
        ),
    )
    parser.add_argument("action", choices=("run", "check"))
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="default: every notebook in notebooks/"
    )
    parser.set_defaults(run=_run_notebooks, touches_workbook=True)
