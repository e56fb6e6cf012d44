"""``reviewbook refresh [PMID...]``: complete the references of reviews already added."""

from __future__ import annotations

import argparse

from reviewbook.cli.add import not_completed_note, run_change, say
from reviewbook.cli.command import EXIT_OK, Subparsers


def _run_refresh(args: argparse.Namespace) -> int:
    """``reviewbook refresh``: one line per review; NCBI's exit status if anything failed."""
    from reviewbook.workbook.refreshing import refresh_reviews

    subject = " ".join(args.pmids) or "every review"
    say(f"refreshing {subject} (looks up cited works at NCBI)")
    refreshed = run_change(
        subject, lambda: refresh_reviews(args.pmids, report=say), "nothing was changed"
    )
    if isinstance(refreshed, int):
        return refreshed
    status = EXIT_OK
    for review in refreshed:
        print(
            f"PMID {review.pmid}: {review.fetched} cited record{'s' if review.fetched != 1 else ''}"
            f" fetched, {review.stored} stored"
        )
        if review.not_completed:
            say(not_completed_note(review.pmid, review.not_completed, review.errors))
            status = status or review.errors[0].exit_status
    return status


def add_refresh_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook refresh [PMID...]``."""
    parser = subparsers.add_parser(
        "refresh",
        help="complete reviews' references from NCBI (all reviews by default)",
        description=(
            "For each review named (all by default), look up the works it cites whose records "
            "are not stored yet: the PMC ID converter for references known by DOI or PMCID, "
            "then PubMed records by PMID in batches of 200, politely (NCBI_API_KEY and "
            "NCBI_EMAIL are used when set, replies are cached). Adds them to data/pubmed/"
            "<pmid>.cited.xml and <pmid>.idconv.json and re-runs the review's notebook and the "
            "index, as one transaction. When NCBI cannot be reached nothing changes and the "
            "exit status is NCBI's (69 unavailable, 65 a bad reply); when only some lookups "
            "fail, what came is stored, a note names what did not, and the status is NCBI's."
        ),
    )
    parser.add_argument("pmids", metavar="PMID", nargs="*", help="reviews to refresh")
    parser.set_defaults(run=_run_refresh)
