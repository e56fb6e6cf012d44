"""Run notebooks in a child process that can be stopped at any moment without a trace.

nbclient runs its kernel from an asyncio loop; a signal raised inside that loop ends in a
traceback, or in nbclient's own cleanup failing (``'NoneType' object has no attribute
'cleanup_resources'``). So `run_notebooks` executes notebooks in a child process, in its own
session (Ctrl-C in the terminal reaches only the parent), and the parent stays in a plain
``wait``, where a signal is an ordinary exception: the child is then killed, and its kernel,
which watches its parent, exits within a second. The child also exits as soon as its parent
dies (its stdin, a pipe from the parent, closes), so a killed ``reviewbook add`` leaves no
writer behind.

``python -m reviewbook.workbook.runner [--folder DIR] NOTEBOOK...`` is the child: it executes
each notebook (`notebooks.execute_notebook`, its kernel in ``DIR`` when given); a cell that
raises ends it with `CELL_ERROR_STATUS` and the one-line reason on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

CELL_ERROR_STATUS = 3
"""The child's exit status when a cell raised (its stderr then holds the one-line reason)."""
PARENT_GONE_STATUS = 4


class NotebookRunError(RuntimeError):
    """A notebook could not be executed; the message says which and why, in one line."""


def run_notebooks(
    notebooks: Sequence[Path], *, environment: Mapping[str, str], folder: Path | None = None
) -> None:
    """Execute ``notebooks`` in order in a child process, their kernels in ``folder`` (default:
    each notebook's own); raise `NotebookRunError` if one fails.

    An exception here (a signal's, say) kills the child before it propagates.
    """
    where = ["--folder", str(folder)] if folder is not None else []
    command = [sys.executable, "-m", "reviewbook.workbook.runner", *where, *map(str, notebooks)]
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **environment},
        start_new_session=True,
    )
    try:
        errors = child.stderr.read()  # type: ignore[union-attr]  # stdin stays open meanwhile
        child.wait()
    except BaseException:
        child.kill()
        child.wait()
        raise
    finally:
        child.stdin.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    if child.returncode != 0:
        lines = errors.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit status {child.returncode}"
        if child.returncode != CELL_ERROR_STATUS:
            reason = f"running {', '.join(path.name for path in notebooks)} failed: {reason}"
        raise NotebookRunError(reason)


def _exit_when_parent_is_gone() -> None:
    """Wait for stdin to close (the parent died or gave up), then exit at once."""
    while os.read(0, 1):  # unbuffered: a buffered read would block interpreter shutdown
        pass
    os._exit(PARENT_GONE_STATUS)


def main(arguments: Sequence[str]) -> int:
    """The child: execute each notebook named; status 0, or `CELL_ERROR_STATUS` with a reason."""
    from nbclient.exceptions import CellExecutionError

    from reviewbook.workbook.notebooks import execute_notebook

    threading.Thread(target=_exit_when_parent_is_gone, daemon=True).start()
    folder, arguments = None, list(arguments)
    if arguments[:1] == ["--folder"]:
        folder, arguments = Path(arguments[1]), arguments[2:]
    for name in arguments:
        path = Path(name)
        try:
            execute_notebook(path, folder=folder)
        except CellExecutionError as error:
            print(f"{path.name}: a cell raised {error.ename}: {error.evalue}", file=sys.stderr)
            return CELL_ERROR_STATUS
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
