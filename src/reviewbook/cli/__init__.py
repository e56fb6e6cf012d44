"""The ``reviewbook`` command: a thin layer of subcommands over the library.

Each subcommand family is one module (`parse`, `notebooks`, `add`, `remove`, `refresh`,
`annotations`, `corpus`, `check`, `init`) with an
``add_*_command`` function that registers its parser and a ``run`` function taking the parsed
arguments and returning the exit status; ``COMMANDS`` lists them, so a new subcommand is one
more module and one more entry there. What they share is in `command`.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable

from reviewbook.cli.add import add_add_command
from reviewbook.cli.annotations import add_annotations_command
from reviewbook.cli.check import add_check_command
from reviewbook.cli.command import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED_INPUT,
    EXIT_SIGNALLED,
    PROG,
    Subparsers,
)
from reviewbook.cli.corpus import add_corpus_command
from reviewbook.cli.export import add_export_command
from reviewbook.cli.extras import (
    missing_extra,
    missing_extra_line,
    missing_module,
)
from reviewbook.cli.init import add_init_command
from reviewbook.cli.notebooks import add_notebooks_command
from reviewbook.cli.parse import add_parse_command
from reviewbook.cli.refresh import add_refresh_command
from reviewbook.cli.remove import add_remove_command

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_annotations_command,
    add_parse_command,
    add_export_command,
    add_notebooks_command,
    add_add_command,
    add_remove_command,
    add_refresh_command,
    add_corpus_command,
    add_check_command,
    add_init_command,
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
            "at or above this one holding data/pubmed/manifest.csv)"
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

    Each command says what it needs with its parser's defaults: ``needs_workbook`` (refused
    outside a workbook, before anything is done; others, like ``export`` of a PMID, refuse
    when they come to need one), ``touches_workbook`` (first recovered from an interrupted
    change, `recover_workbook`) and ``extra`` (the extra of the package it needs, checked
    before it starts, so nothing is half done). A command that needs the workbook, or an
    extra that is not installed, says so in one line (status 2).
    """
    from reviewbook.workbook.paths import NotInWorkbook, required_workbook

    args = build_parser().parse_args(argv)
    if args.workbook is not None:
        use_workbook(args.workbook)
    try:
        needed = getattr(args, "extra", None)
        missing = missing_module(needed) if needed else None
        if needed and missing:
            print(f"{PROG}: {missing_extra_line(args.command, needed, missing)}", file=sys.stderr)
            return EXIT_FAILED_INPUT
        if getattr(args, "needs_workbook", False):
            required_workbook()
        if getattr(args, "touches_workbook", False):
            recover_workbook()
        return int(args.run(args))
    except NotInWorkbook as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return EXIT_FAILED_INPUT
    except ModuleNotFoundError as error:
        extra = missing_extra(error)
        if extra is None:
            raise
        print(
            f"{PROG}: {missing_extra_line(args.command, extra, str(error.name))}", file=sys.stderr
        )
        return EXIT_FAILED_INPUT
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        # Ctrl-C before or after a change (a change itself rolls back and says so, see
        # cli.add.run_change): one line and the shell's status, never a traceback.
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_SIGNALLED + signal.SIGINT
