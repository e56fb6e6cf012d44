"""``reviewbook add SOURCE [--force]``: add a review to the workbook, with its own notebook."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from reviewbook.cli.command import (
    EXIT_FAILED_INPUT,
    EXIT_OK,
    EXIT_SIGNALLED,
    PROG,
    Subparsers,
    failure_line,
)
from reviewbook.errors import ReadError


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _run_add(args: argparse.Namespace) -> int:
    """``reviewbook add``: add the review, list what was written, or say in one line why not.

    SIGTERM and SIGHUP stop it as Ctrl-C does: everything is rolled back, one line says so,
    and the exit status is 128 plus the signal's number, as a shell reports it.
    """
    from reviewbook.sources.ncbi import NcbiError
    from reviewbook.workbook.adding import add_review
    from reviewbook.workbook.transaction import Interrupted, stop_signals_interrupt

    _say(f"adding {args.source} (runs its notebook and the index)")
    try:
        with stop_signals_interrupt():
            added = add_review(args.source, force=args.force, report=_say)
    except (KeyboardInterrupt, Interrupted) as stop:
        name = stop.signal_name if isinstance(stop, Interrupted) else "SIGINT"
        _say(f"{args.source}: interrupted by {name}; nothing was added (the workbook is as it was)")
        return EXIT_SIGNALLED + getattr(signal, name)
    except NcbiError as error:
        print(f"{PROG}: {args.source}: {error}", file=sys.stderr)
        return error.exit_status
    except (ReadError, OSError) as error:
        print(f"{PROG}: {failure_line(args.source, error)}", file=sys.stderr)
        return EXIT_FAILED_INPUT
    except Exception as error:  # one line, whatever failed; add_review has undone its changes
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"{PROG}: {args.source}: {reason}", file=sys.stderr)
        return EXIT_FAILED_INPUT
    print(f"added PMID {added.pmid}:")
    for path in added.files:
        print(f"  {os.path.relpath(path)}")
    return EXIT_OK


def add_add_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook add SOURCE [--force]``."""
    parser = subparsers.add_parser(
        "add",
        help="add a review to the workbook, with its own notebook",
        description=(
            "Add a review from a PMID (its PubMed XML is fetched from NCBI E-utilities) or "
            "from a file: a saved PubMed page, a MEDLINE (.nbib) file or PubMed XML holding "
            "one record. Stores the source under data/pubmed/ and lists it in manifest.csv, "
            "creates an empty data/annotations/<pmid>.yaml and a notebook "
            "notebooks/NN_<author><year>_<words>.md/.ipynb, runs that notebook and re-runs the "
            "index. A review already in the workbook is refused unless --force is given. If "
            "any step fails, every change is undone and the exit status is 2 (NCBI failures "
            "have their own statuses). One add runs at a time; a second waits for the first. "
            "SIGINT, SIGTERM and SIGHUP roll everything back; after a kill, the next "
            "reviewbook command finishes or rolls back what was left."
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="a PMID, or a file to read")
    parser.add_argument(
        "--force", action="store_true", help="replace the review if it is already there"
    )
    parser.set_defaults(run=_run_add)
