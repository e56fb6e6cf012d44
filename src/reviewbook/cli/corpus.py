"""``reviewbook corpus build SOURCE... --out DIR``: PubMed's files as a Parquet corpus.

A thin layer over `reviewbook.corpus.build.build_corpus`: it draws the progress bar (files,
with the records read so far), names each file that could not be read on stderr, and says
what the corpus holds. A build in which any file fails publishes nothing and exits with 2.
"""

from __future__ import annotations

import argparse

from reviewbook.cli.command import EXIT_FAILED_INPUT, EXIT_OK, PROG, Subparsers
from reviewbook.errors import ReadError
from reviewbook.progress import say, tally


def _run_build(args: argparse.Namespace) -> int:
    """Build the corpus, report on stderr (failures) and stdout (what was built)."""
    from reviewbook.corpus.build import CorpusError, FileOutcome, build_corpus
    from reviewbook.corpus.inputs import find_inputs

    try:
        total = len(find_inputs(args.sources))
    except ReadError as error:
        say(f"{PROG}: {error}")
        return EXIT_FAILED_INPUT
    records = 0
    with tally(total, what="files", unit="file") as bar:

        def done(outcome: FileOutcome) -> None:
            nonlocal records
            records += outcome.counts.records if outcome.counts else 0
            bar.update(1)
            bar.set_postfix(records=f"{records:,}")
            if not outcome.ok:
                say(f"{PROG}: {outcome.error}")

        try:
            report = build_corpus(
                args.sources,
                args.out,
                scheduler=args.scheduler,
                workers=args.workers,
                on_done=done,
            )
        except (CorpusError, ReadError, OSError) as error:
            say(f"{PROG}: {error}")
            return EXIT_FAILED_INPUT
    read = [outcome for outcome in report.processed if outcome.ok]
    summary = (
        f"{len(read)} of {len(report.processed)} files read ({report.records_read:,} records), "
        f"{len(report.reused)} unchanged and reused"
    )
    if report.failures:
        say(
            f"{PROG}: corpus not built: {len(report.failures)} of {len(report.inputs)} files "
            f"could not be read; {summary}; nothing published, {args.out} left as it was"
        )
        return EXIT_FAILED_INPUT
    problems = sum(outcome.counts.problems for outcome in read if outcome.counts)
    if problems:
        say(f"{PROG}: {problems:,} problems noted in the files read (see the problems table)")
    corpus = report.corpus
    assert corpus is not None
    print(
        f"{args.out}: {corpus.records:,} records from {len(report.inputs)} files "
        f"({corpus.replaced:,} earlier versions replaced, {corpus.deleted:,} deleted); {summary}"
    )
    return EXIT_OK


def _scheduler(value: str) -> str:
    """``--scheduler``'s value, checked before anything is read (`running.check_scheduler`)."""
    from reviewbook.corpus.running import check_scheduler

    try:
        return check_scheduler(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_corpus_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook corpus build SOURCE... --out DIR [--scheduler S] [--workers N]``."""
    parser = subparsers.add_parser(
        "corpus",
        help="build a Parquet corpus from PubMed's baseline and update files",
        description=(
            "'build' reads PubMed XML (.xml, .xml.gz: baseline and update files, efetch "
            "batches) and MEDLINE files, one Dask task per file, into Parquet tables under "
            "--out: articles, references, authors (and deletions, problems). Folders stand for "
            "every such file in them. Files apply in the natural order of their names, so "
            "update files replace or delete the baseline's records. Files already in the "
            "corpus unchanged are not read again. If any file cannot be read, nothing is "
            "published and the exit status is 2."
        ),
    )
    parser.set_defaults(extra="corpus")
    actions = parser.add_subparsers(title="actions", dest="action", required=True)
    build = actions.add_parser("build", help="build (or update) a corpus")
    build.add_argument("sources", nargs="+", metavar="SOURCE", help="file or folder of files")
    build.add_argument("--out", required=True, metavar="DIR", help="the corpus folder")
    build.add_argument(
        "--scheduler",
        default="processes",
        type=_scheduler,
        metavar="ADDRESS",
        help=(
            "'processes' (default: Dask's local scheduler, one process per core), 'threads', "
            "'synchronous', or a dask.distributed scheduler's address (tcp://host:8786) to "
            "connect to, whose workers must see SOURCE and DIR at the same paths and import "
            "this version of reviewbook"
        ),
    )
    build.add_argument(
        "--workers", type=int, metavar="N", help="local processes or threads (default: cores)"
    )
    build.set_defaults(run=_run_build)
