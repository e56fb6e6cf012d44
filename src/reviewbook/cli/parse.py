"""``reviewbook parse FILE...``: read PubMed files (saved pages, MEDLINE, PubMed XML, gzip of
each, or ``-`` for standard input) and print one row per article, or one row per reference with
``--references``. A file that cannot be read costs one line on stderr, never the other files'
output; the exit status is then 2."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO, TextIO

from tqdm import tqdm

from reviewbook.cli.command import (
    EXIT_FAILED_INPUT,
    EXIT_OK,
    PROG,
    Subparsers,
    failure_line,
)
from reviewbook.errors import ReadError
from reviewbook.model import Article
from reviewbook.sources.formats import iter_articles, iter_stream_articles

if TYPE_CHECKING:
    import pandas as pd

STDIN_ARGUMENT = "-"
"""The file argument that stands for standard input."""
PROGRESS_MIN_FILES = 20
"""Show a progress bar (on a terminal) only when parsing more files than this."""

ARTICLE_TABLE_COLUMNS: tuple[str, ...] = (
    "pmid",
    "year",
    "journal",
    "first_author",
    "n_references",
    "n_warnings",
    "title",
)
"""Columns ``--format table`` shows for articles; csv and json carry every column."""
REFERENCE_TABLE_COLUMNS: tuple[str, ...] = (
    "review_pmid",
    "index",
    "authors",
    "year",
    "journal",
    "volume",
    "first_page",
    "title",
)
"""Columns ``--format table --references`` shows; csv and json carry every column."""
TABLE_MAX_COLWIDTH = 60


# --- output formats -------------------------------------------------------------------------


def json_record(record: object) -> dict[str, object]:
    """A dataclass record as a JSON-ready dict, field by field (see ``jsonable``)."""
    return {
        field.name: jsonable(getattr(record, field.name))
        for field in dataclasses.fields(record)  # type: ignore[arg-type]
    }


def jsonable(value: object) -> object:
    """Any record value as JSON-ready data: dataclasses as dicts, tuples as lists, sets sorted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_record(value)
    if isinstance(value, (frozenset, set)):
        return sorted(jsonable(item) for item in value)
    if isinstance(value, (tuple, list)):
        return [jsonable(item) for item in value]
    return value


def _reference_records(articles: Sequence[Article]) -> list[object]:
    """Every reference as a JSON record, led by the PMID of the review citing it."""
    return [
        {"review_pmid": article.pmid, **json_record(reference)}
        for article in articles
        for reference in article.references
    ]


def _write_table(frame: pd.DataFrame, columns: Sequence[str], out: TextIO) -> None:
    """A plain-text table of the chosen columns, long text cut to ``TABLE_MAX_COLWIDTH``."""
    if frame.empty:
        return
    text = frame.loc[:, list(columns)].to_string(
        index=False, max_colwidth=TABLE_MAX_COLWIDTH, na_rep=""
    )
    out.write(text + "\n")


def write_articles(
    articles: Sequence[Article], *, output_format: str, references: bool, out: TextIO
) -> None:
    """Print articles (or, with ``references``, their references) in ``output_format``."""
    if output_format == "json":
        records = _reference_records(articles) if references else jsonable(articles)
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    from reviewbook.exports import csv_text  # pandas: only here
    from reviewbook.tables.frames import articles_frame, references_frame

    frame = references_frame(articles) if references else articles_frame(articles)
    if output_format == "csv":
        out.write(csv_text(frame))
    else:
        columns = REFERENCE_TABLE_COLUMNS if references else ARTICLE_TABLE_COLUMNS
        _write_table(frame, columns, out)


# --- reading many files ---------------------------------------------------------------------


def _warning_lines(path: str, articles: Sequence[Article], *, list_all: bool) -> list[str]:
    """Stderr lines for a file's warnings: each one, or a count pointing to ``--warnings``."""
    warnings = [warning for article in articles for warning in article.warnings]
    if list_all:
        return [f"{path}: warning: {warning}" for warning in warnings]
    if not warnings:
        return []
    noun = "warning" if len(warnings) == 1 else "warnings"
    return [f"{path}: {len(warnings)} {noun} (use --warnings to list them)"]


def _records(path: str, stdin: BinaryIO) -> Iterator[Article]:
    """The records of one file argument: a file's, or standard input's for ``-``."""
    return iter_stream_articles(stdin) if path == STDIN_ARGUMENT else iter_articles(path)


def read_files(
    paths: Sequence[str], *, list_warnings: bool, err: TextIO, stdin: BinaryIO | None = None
) -> tuple[list[Article], int]:
    """Read every file that can be read, reporting on ``err``; return articles and failures.

    A file is read whole or not at all: one that fails part-way gives none of its records.
    """
    articles: list[Article] = []
    failures = 0
    show_progress = len(paths) > PROGRESS_MIN_FILES and err.isatty()
    for path in tqdm(paths, file=err, unit="file", disable=not show_progress):
        try:
            read = list(_records(path, stdin or sys.stdin.buffer))
        except (ReadError, OSError) as error:
            failures += 1
            tqdm.write(f"{PROG}: {failure_line(path, error)}", file=err)
            continue
        articles.extend(read)
        for line in _warning_lines(path, read, list_all=list_warnings):
            tqdm.write(f"{PROG}: {line}", file=err)
    return articles, failures


def _run_parse(args: argparse.Namespace) -> int:
    """``reviewbook parse``: read the files, print what was read, say what was not."""
    articles, failures = read_files(args.files, list_warnings=args.warnings, err=sys.stderr)
    write_articles(articles, output_format=args.format, references=args.references, out=sys.stdout)
    return EXIT_FAILED_INPUT if failures else EXIT_OK


def add_parse_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook parse FILE... [--format table|csv|json] [--references]``."""
    parser = subparsers.add_parser(
        "parse",
        help="read PubMed pages, MEDLINE or PubMed XML files and print their records",
        description=(
            "Read PubMed files and print one row per article, or one row per reference with "
            "--references. A file may be an abstract page saved as text, MEDLINE (.nbib) or "
            "PubMed XML, each also gzip-compressed (.gz); the format is told from the content, "
            "and '-' reads standard input. 'table' shows a few columns for reading; 'csv' and "
            "'json' carry every field (json nests references in their article, or lists "
            "references with their review_pmid when --references is given). Files that cannot "
            "be read are reported on stderr and the exit status is 2."
        ),
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="saved PubMed page (.txt), MEDLINE (.nbib) or PubMed XML file, or '-' for stdin",
    )
    parser.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    parser.add_argument(
        "--references", action="store_true", help="print references instead of articles"
    )
    parser.add_argument(
        "--warnings", action="store_true", help="list every warning instead of a count per file"
    )
    parser.set_defaults(run=_run_parse)
