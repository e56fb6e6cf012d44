"""The ``reviewbook`` command: a thin layer of subcommands over the library.

Each subcommand family is one module (`parse`, `notebooks`, `add`, `remove`, `refresh`,
`annotations`, `corpus`, `check`) with an
``add_*_command`` function that registers its parser and a ``run`` function taking the parsed
arguments and returning the exit status; ``COMMANDS`` lists them, so a new subcommand is one
more module and one more entry there. What they share is in `command`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from reviewbook.cli.add import add_add_command
from reviewbook.cli.annotations import add_annotations_command
from reviewbook.cli.check import add_check_command
from reviewbook.cli.command import EXIT_BROKEN_PIPE, PROG, Subparsers
from reviewbook.cli.corpus import add_corpus_command
from reviewbook.cli.notebooks import add_notebooks_command
from reviewbook.cli.parse import add_parse_command
from reviewbook.cli.refresh import add_refresh_command
from reviewbook.cli.remove import add_remove_command

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_annotations_command,
    add_parse_command,
    add_notebooks_command,
    add_add_command,
    add_remove_command,
    add_refresh_command,
    add_corpus_command,
    add_check_command,
)
"""Subcommand registrations, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The ``reviewbook`` argument parser with every subcommand of ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Read PubMed review pages into records and tables."
    )
    parser.add_argument(
        "--workbook",
        metavar="DIR",
        help=(
            "the workbook to work on (default: $REVIEWBOOK_WORKBOOK, else the nearest folder "
            "at or above this one holding data/pubmed/manifest.csv, else the checkout's)"
        ),
    )
    subparsers = parser.add_subparsers(title="commands", dest="command", required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser


def recover_workbook() -> None:
    """Finish or roll back what a killed ``reviewbook add`` left, saying so in one line."""
    from reviewbook.workbook.paths import Workbook
    from reviewbook.workbook.transaction import recover

    message = recover(Workbook.at(None))
    if message:
        print(f"{PROG}: {message}", file=sys.stderr)


def use_workbook(folder: str) -> None:
    """Make ``folder`` the workbook of this process and of every process it starts (kernels)."""
    from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, WORKBOOK_ENV

    os.environ[WORKBOOK_ENV] = os.path.abspath(folder)
    for name in (DATA_ENV, NOTEBOOKS_ENV):
        os.environ.pop(name, None)


def main(argv: list[str] | None = None) -> int:
    """Run the ``reviewbook`` command line; return the exit status.

    Commands that read or write the workbook (``set_defaults(touches_workbook=True)``) first
    recover it from an interrupted change (`recover_workbook`).
    """
    args = build_parser().parse_args(argv)
    if args.workbook is not None:
        use_workbook(args.workbook)
    if getattr(args, "touches_workbook", False):
        recover_workbook()
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
