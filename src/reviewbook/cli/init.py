"""``reviewbook init DIR``: make an empty workbook of one's own, ready for ``reviewbook add``."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from reviewbook.cli.command import EXIT_FAILED_INPUT, EXIT_OK, PROG, Subparsers


def _run_init(args: argparse.Namespace) -> int:
    """Make the workbook, list what was written and what to do next, or say why not."""
    from pathlib import Path

    from reviewbook.workbook.creating import InitError, create_workbook
    from reviewbook.workbook.runner import NotebookRunError

    print(f"{PROG}: making a workbook in {args.folder} (runs its two notebooks)", file=sys.stderr)
    try:
        created = create_workbook(Path(args.folder))
    except (InitError, NotebookRunError, OSError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_FAILED_INPUT
    shown = os.path.relpath(created.root)
    print(f"made a workbook in {shown}:")
    for name in created.files:
        print(f"  {name}")
    enter = "" if shown == "." else f"cd {shlex.quote(shown)} && "
    print(
        f"next: {enter}{PROG} add PMID (or a saved page), then `{PROG} check`; README.md says more",
        file=sys.stderr,
    )
    return EXIT_OK


def add_init_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook init [DIR]``."""
    parser = subparsers.add_parser(
        "init",
        help="make an empty workbook of your own in DIR",
        description=(
            "Make an empty workbook in DIR (default: this folder; created if missing): "
            "data/pubmed/manifest.csv with no review yet, data/annotations/, notebooks/ with "
            "an index and a comparison of the reviews (run, with their outputs, and paired "
            "with Markdown twins), a Makefile (make lab, make check), a README, a .gitignore, "
            "requirements.txt naming this version of reviewbook, and a GitHub Actions "
            "workflow that installs it and runs `reviewbook check`. Add reviews with "
            "`reviewbook add` from inside it. A folder that is a workbook already, or holds "
            "any of these names, is refused and left as it is."
        ),
    )
    parser.add_argument("folder", metavar="DIR", nargs="?", default=".")
    parser.set_defaults(run=_run_init, extra="notebook")
