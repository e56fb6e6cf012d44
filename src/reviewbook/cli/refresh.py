"""``reviewbook refresh [PMID...]``: complete the references of reviews already added;
``reviewbook refresh --full-text [--force] PMID...``: store their PMC full texts."""

from __future__ import annotations

import argparse
import os

from reviewbook.cli.add import not_completed_note, run_change, say
from reviewbook.cli.command import EXIT_FAILED_INPUT, EXIT_OK, Subparsers


def _run_refresh(args: argparse.Namespace) -> int:
    """``reviewbook refresh``: one line per review; NCBI's exit status if anything failed."""
    from reviewbook.workbook.refreshing import refresh_reviews

    if args.full_text:
        return _run_full_text(args)
    if args.force:
        say("refresh: --force replaces a stored full text: it goes with --full-text")
        return EXIT_FAILED_INPUT
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


def _run_full_text(args: argparse.Namespace) -> int:
    """``reviewbook refresh --full-text``: one line per full text stored, or one saying why
    none was (nothing changed then)."""
    from reviewbook.workbook.refreshing import store_full_texts

    if not args.pmids:
        say("refresh --full-text: name the reviews whose full text to fetch (their PMIDs)")
        return EXIT_FAILED_INPUT
    subject = " ".join(args.pmids)
    say(f"fetching the full text of {subject} from PMC (re-runs the notebooks that read it)")
    stored = run_change(
        subject,
        lambda: store_full_texts(args.pmids, force=args.force, report=say),
        "nothing was changed",
    )
    if isinstance(stored, int):
        return stored
    for full_text in stored:
        done = "replaced" if full_text.replaced else "stored"
        print(
            f"PMID {full_text.pmid}: full text {full_text.pmcid} {done}: "
            f"{os.path.relpath(full_text.path)}"
        )
    return EXIT_OK


def add_refresh_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook refresh [PMID...]``."""
    parser = subparsers.add_parser(
        "refresh",
        help=(
            "complete reviews' references from NCBI (all reviews by default), or with "
            "--full-text store their PMC full texts"
        ),
        description=(
            "For each review named (all by default), look up the works it cites whose records "
            "are not stored yet: the PMC ID converter for references known by DOI or PMCID, "
            "then PubMed records by PMID in batches of 200, politely (NCBI_API_KEY and "
            "NCBI_EMAIL are used when set, replies are cached). Adds them to data/pubmed/"
            "<pmid>.cited.xml and <pmid>.idconv.json and re-runs the review's notebook and the "
            "index, as one transaction. When NCBI cannot be reached nothing changes and the "
            "exit status is NCBI's (69 unavailable, 65 a bad reply); when only some lookups "
            "fail, what came is stored, a note names what did not, and the status is NCBI's. "
            "With --full-text, fetch instead the PMC full text (JATS XML) of each review named, "
            "by the PMCID its source (the file its manifest row names) gives, else the PMC ID "
            "converter's, store it as data/pubmed/<pmid>.nxml beside its other sources and "
            "re-run the notebooks that read the review and the index, as one transaction. A "
            "review whose full text is stored already is "
            "refused unless --force is given. If any review cannot have its full text, nothing "
            "changes and one line says why: not in the workbook or already stored (status 2), "
            "no PMCID or no full text PMC may give (65), NCBI unreachable (69)."
        ),
    )
    parser.add_argument("pmids", metavar="PMID", nargs="*", help="reviews to refresh")
    parser.add_argument(
        "--full-text",
        action="store_true",
        help="fetch and store the reviews' PMC full texts (PMIDs must be named)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --full-text, replace a full text already stored",
    )
    parser.set_defaults(run=_run_refresh, needs_workbook=True, extra="notebook")
