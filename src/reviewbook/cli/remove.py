"""``reviewbook remove PMID [--delete-annotations]``: take a review out of the workbook."""

from __future__ import annotations

import argparse
import os

from reviewbook.cli.add import run_change, say
from reviewbook.cli.command import EXIT_OK, Subparsers


def _run_remove(args: argparse.Namespace) -> int:
    """``reviewbook remove``: remove the review, list what went, or say in one line why not."""
    from reviewbook.workbook.removing import remove_review

    say(f"removing PMID {args.pmid} (re-runs the index)")
    removed = run_change(
        args.pmid,
        lambda: remove_review(args.pmid, delete_annotations=args.delete_annotations, report=say),
        "nothing was removed",
    )
    if isinstance(removed, int):
        return removed
    print(f"removed PMID {removed.pmid}:")
    for path in removed.removed:
        print(f"  {os.path.relpath(path)}")
    if removed.kept_annotations is not None:
        say(
            f"kept our annotations {os.path.relpath(removed.kept_annotations)} "
            "(--delete-annotations removes them too)"
        )
    return EXIT_OK


def add_remove_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook remove PMID [--delete-annotations]``."""
    parser = subparsers.add_parser(
        "remove",
        help="remove a review from the workbook, keeping our annotations",
        description=(
            "Remove a review: its saved sources and cited records under data/pubmed/, its "
            "manifest row and its notebook pair; then re-run the index. Our annotation file "
            "data/annotations/<pmid>.yaml is kept (adding the review again picks it up) "
            "unless --delete-annotations is given. Runs as one transaction like add: all or "
            "nothing, rolled back by SIGINT, SIGTERM or SIGHUP. Exit status 2 when the PMID "
            "is not in the workbook or a step fails."
        ),
    )
    parser.add_argument("pmid", metavar="PMID", help="the review's PMID")
    parser.add_argument(
        "--delete-annotations",
        action="store_true",
        help="remove our annotation file of the review as well",
    )
    parser.set_defaults(run=_run_remove, needs_workbook=True, extra="notebook")
