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
    """The notebooks named (any suffix given becomes ``.ipynb``), else every one in the checkout.

    A bare name with neither file here (``03_compare_reviews``) is the workbook's notebook of
    that name, so a notebook can be named from anywhere in the checkout.
    """
    from reviewbook.workbook.paths import notebooks_dir

    if not names:
        return sorted(notebooks_dir().glob("*.ipynb"))
    paths = [Path(name).with_suffix(".ipynb") for name in names]
    return [
        notebooks_dir() / path
        if path.parent == Path() and not (path.exists() or path.with_suffix(".md").exists())
        else path
        for path in paths
    ]


def _problems(path: Path) -> list[str]:
    """What `check_notebook` finds wrong with a notebook, as lines to print."""
    from reviewbook.workbook.notebooks import check_notebook

    return [str(problem) for problem in check_notebook(path)]


def _run_notebooks(args: argparse.Namespace) -> int:
    """``reviewbook notebooks run|check``: re-execute and re-sync, or report problems.

    Each notebook runs in a child process (`run_notebooks`): a cell that raises is reported in
    one line and the others still run; Ctrl-C stops at once, leaving each file whole.
    Without names, ``run`` re-executes only the notebooks that need it (`check_notebook` finds
    a problem), and both look closer only at notebooks `is_current` cannot vouch for, so with
    nothing changed neither loads jupytext or a kernel. ``run`` holds the workbook lock, so it
    never runs beside a ``reviewbook add``.
    """
    from reviewbook.workbook.paths import Workbook
    from reviewbook.workbook.provenance import is_current
    from reviewbook.workbook.transaction import workbook_lock

    def say(message: str) -> None:
        show(f"{PROG}: {message}")

    running = args.action == "run"
    forced = running and bool(args.notebooks)  # named notebooks run whatever their state
    paths = _notebook_paths(args.notebooks)
    with workbook_lock(Workbook.at(None), report=say) if running else contextlib.nullcontext():
        doubtful = paths if forced else [path for path in paths if not is_current(path)]
        if not doubtful:
            if running:
                say(f"all {len(paths)} notebooks are up to date: nothing to run")
            return EXIT_OK
        from reviewbook.workbook.runner import NotebookRunError, run_notebooks

        problems = {path: [] if forced else _problems(path) for path in doubtful}
        if running:
            stale = [path for path in doubtful if forced or problems[path]]
            if len(stale) < len(paths):
                say(f"{len(paths) - len(stale)} of {len(paths)} notebooks are up to date")
            for path in progress(stale, what="notebooks", unit="notebook"):
                say(f"running {path}")
                try:
                    run_notebooks([path], environment={})
                except NotebookRunError as error:
                    problems[path] = [str(error)]
                else:
                    problems[path] = _problems(path)
        status = EXIT_OK
        for found in problems.values():
            for problem in found:
                say(problem)
                status = EXIT_INVALID
    return status


def add_notebooks_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook notebooks run|check [NOTEBOOK...]``."""
    parser = subparsers.add_parser(
        "notebooks",
        help="re-execute the workbook's notebooks, or check them",
        description=(
            "'run' executes each notebook top to bottom in a fresh kernel and rewrites it and "
            "its Markdown twin (inputs come from whichever of the pair was edited last); "
            "without names, only the notebooks that are stale or out of step with their twin. "
            "'check' reports twins out of step and cells not run in order; exit status 1 if any."
        ),
    )
    parser.add_argument("action", choices=("run", "check"))
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="default: every notebook in notebooks/ (run: every one that needs it)",
    )
    parser.set_defaults(
        run=_run_notebooks, needs_workbook=True, touches_workbook=True, extra="notebook"
    )
