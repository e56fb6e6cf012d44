"""``reviewbook add SOURCE [--pmid PMID] [--force]``: add a review to the workbook (from a PMID,
a PMCID or a file), with its own notebook.

`run_change` is what ``add``, ``remove`` and ``refresh`` share: a workbook transaction that
SIGINT, SIGTERM and SIGHUP roll back, and every failure said in one line.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from reviewbook.cli.command import (
    EXIT_FAILED_INPUT,
    EXIT_OK,
    EXIT_SIGNALLED,
    PROG,
    Subparsers,
    failure_line,
)
from reviewbook.errors import ReadError
from reviewbook.model import Article
from reviewbook.sources.records import LISTED_RECORDS, SeveralRecords, record_line
from reviewbook.text import JOINED_SEPARATOR

Done = TypeVar("Done")


def say(message: str) -> None:
    """One line on stderr, led by the program's name."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def run_change(subject: str, change: Callable[[], Done], undone: str) -> Done | int:
    """Run a workbook change; its result, or the exit status of a failure said in one line.

    SIGTERM and SIGHUP stop it as Ctrl-C does: the change rolls back, one line says so
    (``undone``), and the exit status is 128 plus the signal's number, as a shell reports it.
    """
    from reviewbook.sources.ncbi import NcbiError
    from reviewbook.workbook.transaction import Interrupted, stop_signals_interrupt

    try:
        with stop_signals_interrupt():
            return change()
    except (KeyboardInterrupt, Interrupted) as stop:
        name = stop.signal_name if isinstance(stop, Interrupted) else "SIGINT"
        say(f"{subject}: interrupted by {name}; {undone} (the workbook is as it was)")
        return EXIT_SIGNALLED + getattr(signal, name)
    except NcbiError as error:
        say(f"{subject}: {error}")
        return error.exit_status
    except SeveralRecords as error:
        heading, *records = several_records_lines(error.path or subject, error.records)
        say(heading)
        print("\n".join(records), file=sys.stderr, flush=True)
        return EXIT_FAILED_INPUT
    except (ReadError, OSError) as error:
        say(failure_line(subject, error))
        return EXIT_FAILED_INPUT
    except Exception as error:  # one line, whatever failed; the change has undone itself
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        say(f"{subject}: {reason}")
        return EXIT_FAILED_INPUT


def not_completed_note(pmid: str, indices: tuple[int, ...], errors: tuple[Exception, ...]) -> str:
    """The note for references NCBI could not complete, and how to complete them later."""
    why = "; ".join(str(error) for error in errors)
    count = len(indices)
    return (
        f"note: {count} reference{'s' if count != 1 else ''} of PMID {pmid} could not be "
        f"completed ({why}); they show as printed: run `{PROG} refresh {pmid}` to complete them"
    )


def no_full_text_note(pmid: str, error: Exception) -> str:
    """The note for a review added by PMID without its full text: why, and, when NCBI could
    not be asked (rather than had none), how to fetch it later."""
    from reviewbook.sources.ncbi import NoFullText

    later = (
        ""
        if isinstance(error, NoFullText)
        else f"; run `{PROG} refresh --full-text {pmid}` to fetch it later"
    )
    return f"note: PMID {pmid} was added without its full text: {error}{later}"


def several_records_lines(path: str, records: Sequence[Article]) -> list[str]:
    """What ``add`` says of a file of several records given no ``--pmid``: so, then the
    records, one line each (the first `LISTED_RECORDS`, then how many more)."""
    lines = [f"{path}: holds {len(records)} records, not one; choose one with --pmid:"]
    lines += [f"  {record_line(article)}" for article in records[:LISTED_RECORDS]]
    if len(records) > LISTED_RECORDS:
        lines.append(
            f"  ... and {len(records) - LISTED_RECORDS} more "
            f"(`{PROG} parse {shlex.quote(path)} --format table` lists them all)"
        )
    return lines


def not_a_review_note(pmid: str, types: tuple[str, ...]) -> str:
    """The note for a record added although PubMed does not type it as a review."""
    listed = JOINED_SEPARATOR.join(types)
    return f"note: PMID {pmid} is not a review (publication types: {listed}); added anyway"


def _run_add(args: argparse.Namespace) -> int:
    """``reviewbook add``: add the review, list what was written, or say in one line why not."""
    from reviewbook.workbook.adding import add_review

    what = f"PMID {args.pmid} of {args.source}" if args.pmid else args.source
    say(f"adding {what} (looks up its cited works, runs its notebook and the index)")
    added = run_change(
        args.source,
        lambda: add_review(args.source, pmid=args.pmid, force=args.force, report=say),
        "nothing was added",
    )
    if isinstance(added, int):
        return added
    print(f"added PMID {added.pmid}:")
    for path in added.files:
        print(f"  {os.path.relpath(path)}")
    if added.not_completed:
        say(not_completed_note(added.pmid, added.not_completed, added.lookup_errors))
    if added.not_a_review:
        say(not_a_review_note(added.pmid, added.not_a_review))
    if added.full_text_error is not None:
        say(no_full_text_note(added.pmid, added.full_text_error))
    return EXIT_OK


def add_add_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook add SOURCE [--pmid PMID] [--force]``."""
    parser = subparsers.add_parser(
        "add",
        help="add a review to the workbook, with its own notebook",
        description=(
            "Add a review from a PMID, from a PMCID (PMC12311175, any case: its PMC full text, "
            "JATS XML, is fetched from NCBI E-utilities and stored as fetched, as <pmid>.nxml) "
            "or from a file: a saved PubMed page, a MEDLINE (.nbib) file, PubMed XML or a PMC "
            "full text (JATS XML, stored as <pmid>.nxml), each also gzip-compressed. Of a PMID, "
            "the PubMed XML record is fetched and stored as <pmid>.xml, and its PMC full text "
            "too, as <pmid>.nxml, when PMC has one to give (the PMCID is the record's, else the "
            "PMC ID converter's; PMC gives no full text of an article not open to download); "
            "without one the review is added all the same, with a note on stderr saying why. "
            "Of a file holding several records, --pmid chooses one, and "
            "only that record is stored, as the bytes it had in the file; without --pmid such "
            "a file is refused with a list of its records. A record whose publication types "
            "include no review type (Review, Systematic Review, Meta-Analysis...) is added "
            "all the same, with a note on stderr and at the top of its notebook. Stores the "
            "source under data/pubmed/ and lists it in manifest.csv, "
            "looks up the works it cites at NCBI (their PubMed records, in batches, and the "
            "PMC ID converter for DOIs and PMCIDs) and stores them as data/pubmed/<pmid>."
            "cited.xml and <pmid>.idconv.json, creates an empty data/annotations/<pmid>.yaml "
            "and a notebook notebooks/NN_<author><year>_<words>.md/.ipynb, runs that notebook "
            "and re-runs the index. Without NCBI the review is still added with its references "
            "as printed, and a note says how to complete them (reviewbook refresh PMID). A "
            "review already in the workbook is refused unless --force is given. If any step "
            "fails, every change is undone and the exit status is 2 (NCBI failures have their "
            "own statuses). One change runs at a time; a second waits for the first. SIGINT, "
            "SIGTERM and SIGHUP roll everything back; after a kill, the next reviewbook "
            "command finishes or rolls back what was left."
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="a PMID, a PMCID, or a file to read")
    parser.add_argument(
        "--pmid",
        metavar="PMID",
        help="of a file holding several records, add the one with this PMID",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace the review if it is already there"
    )
    parser.set_defaults(run=_run_add, needs_workbook=True, extra="notebook")
