"""``reviewbook export PMID|FILE... [--format F] [-o FILE]``: the references of reviews as one
file for a reference manager or LaTeX: BibTeX, biblatex, RIS, CSL-JSON or CSV.

An argument is a review of the workbook, by PMID, or any file ``reviewbook parse`` reads; the
references of every argument go into one file. Nothing is written unless every argument was
read: each one that was not costs one line on stderr and the exit status is 2. What a format
could not carry as it stands is said on stderr, one line per value (`ExportNote`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from reviewbook.cli.command import EXIT_FAILED_INPUT, EXIT_OK, PROG, Subparsers, failure_line
from reviewbook.errors import ReadError
from reviewbook.model import is_pmid

if TYPE_CHECKING:
    from reviewbook.model import Article

STDOUT_ARGUMENT = "-"
"""The ``-o`` value that stands for standard output (also the default)."""


class ExportRefused(Exception):
    """An argument or option that stops the export: its message is the one line shown."""


def read_sources(arguments: list[str]) -> tuple[list[Article], list[str]]:
    """The articles of every argument, and one failure line for each that could not be read.

    The workbook is opened only for a PMID, so files export anywhere (a lean install too).
    """
    from reviewbook.sources.formats import read_articles

    articles: list[Article] = []
    failures: list[str] = []
    for argument in arguments:
        try:
            if is_pmid(argument):
                articles.append(workbook_review(argument))
            else:
                articles.extend(read_articles(argument))
        except ExportRefused as refused:
            failures.append(str(refused))
        except (ReadError, OSError) as error:
            failures.append(failure_line(argument, error))
    return articles, failures


def workbook_review(pmid: str) -> Article:
    """The workbook's review of ``pmid``; `ExportRefused` when there is none."""
    from reviewbook.workbook.manifest import read_manifest
    from reviewbook.workbook.paths import NotInWorkbook
    from reviewbook.workbook.reviews import load_review

    try:
        known = {entry.pmid for entry in read_manifest()}
    except NotInWorkbook as error:
        raise ExportRefused(f"PMID {pmid}: {error}") from None
    if pmid not in known:
        raise ExportRefused(
            f"PMID {pmid} is not a review of this workbook (`{PROG} add {pmid}` adds it)"
        )
    return load_review(pmid)


def chosen_format(export_format: str | None, output: str | None) -> str:
    """The format asked for: ``--format``, else the suffix of ``-o FILE``."""
    from reviewbook.exports import EXPORT_FORMATS, export_format_for

    known = ", ".join(EXPORT_FORMATS)
    if export_format is not None:
        if export_format not in EXPORT_FORMATS:
            raise ExportRefused(f"unknown export format {export_format!r}: choose one of {known}")
        return export_format
    if output is None or output == STDOUT_ARGUMENT:
        raise ExportRefused(f"name the export format with --format ({known})")
    try:
        found = export_format_for(output)
    except ValueError as error:
        raise ExportRefused(str(error)) from None
    if found not in EXPORT_FORMATS:
        raise ExportRefused(f"cannot export {found} to {output}: choose --format ({known})")
    return found


def _run_export(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    """``reviewbook export``: read every argument, then write one file, or say why not."""
    from reviewbook.exports import export_with_notes
    from reviewbook.files import write_atomically

    err = sys.stderr
    try:
        export_format = chosen_format(args.format, args.output)
    except ExportRefused as refused:
        print(f"{PROG}: {refused}", file=err)
        return EXIT_FAILED_INPUT
    articles, failures = read_sources(args.sources)
    for failure in failures:
        print(f"{PROG}: {failure}", file=err)
    if failures:
        print(f"{PROG}: nothing was written", file=err)
        return EXIT_FAILED_INPUT
    export = export_with_notes(articles, export_format)
    for note in export.notes:
        print(f"{PROG}: {note}", file=err)
    if args.output is None or args.output == STDOUT_ARGUMENT:
        (out or sys.stdout).write(export.text)
    else:
        write_atomically(args.output, export.text)
    return EXIT_OK


def add_export_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook export PMID|FILE... [--format F] [-o FILE]``."""
    parser = subparsers.add_parser(
        "export",
        help="write the references of reviews as BibTeX, biblatex, RIS, CSL-JSON or CSV",
        description=(
            "Write the references of one or more reviews to one file: 'bibtex' for BibTeX "
            "styles, 'biblatex' for biblatex with biber (PMIDs as PubMed eprints), 'ris' for "
            "Zotero, EndNote and Mendeley, 'csl-json' for pandoc and citeproc, 'csv' for "
            "spreadsheets. An argument is the PMID of a review of the workbook or any file "
            f"'{PROG} parse' reads. With -o FILE the file is written atomically and its suffix "
            "names the format when --format is absent (.bib is bibtex); without -o, or with "
            "'-o -', the export goes to stdout. What a format cannot carry as it stands is "
            "said on stderr, one line each. When an argument cannot be read, or the format is "
            "unknown, nothing is written and the exit status is 2. docs/exports.md says what "
            "each format holds."
        ),
    )
    parser.add_argument(
        "sources", nargs="+", metavar="PMID|FILE", help="a review's PMID, or a PubMed file"
    )
    parser.add_argument(
        "--format",
        metavar="FORMAT",
        help="bibtex, biblatex, ris, csl-json or csv (default: from the suffix of -o FILE)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="the file to write ('-' or none: stdout)",
    )
    parser.set_defaults(run=_run_export)
