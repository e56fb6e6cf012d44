"""The ``reviewbook`` command: a thin layer over the readers and tables.

Each subcommand is a function that adds its parser and a ``run`` function taking the parsed
arguments and returning the exit status; ``COMMANDS`` lists them, so a new subcommand is one
more entry there.

``reviewbook parse FILE...`` reads saved PubMed pages and prints one row per article, or
one row per reference with ``--references``. A file that cannot be read costs one line on
stderr, never the other files' output; the exit status is then 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd
from tqdm import tqdm

from reviewbook.errors import PubMedPageError
from reviewbook.model import Article
from reviewbook.sources.page import read_pubmed_page
from reviewbook.tables.frames import articles_frame, references_frame

Subparsers = argparse._SubParsersAction  # the type ``add_subparsers`` returns

PROG = "reviewbook"
EXIT_OK = 0
EXIT_FAILED_INPUT = 2
"""Some input could not be read (argparse also uses 2 for a bad command line)."""
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a command stopped by SIGPIPE, e.g. output piped into ``head``."""

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
    frame = references_frame(articles) if references else articles_frame(articles)
    if output_format == "csv":
        frame.to_csv(out, index=False)
    else:
        columns = REFERENCE_TABLE_COLUMNS if references else ARTICLE_TABLE_COLUMNS
        _write_table(frame, columns, out)


# --- reading many files ---------------------------------------------------------------------


def _failure(path: str, error: PubMedPageError | OSError) -> str:
    """``<path>[:<line>]: <reason>`` for a file that could not be read."""
    if isinstance(error, PubMedPageError):
        where = error.path or path
        if error.line is not None:
            where = f"{where}:{error.line}"
        return f"{where}: {error.reason}"
    return f"{path}: {error.strerror or error}"


def _warning_lines(path: str, article: Article, *, list_all: bool) -> list[str]:
    """Stderr lines for an article's warnings: each one, or a count pointing to ``--warnings``."""
    if list_all:
        return [f"{path}: warning: {warning}" for warning in article.warnings]
    count = len(article.warnings)
    if not count:
        return []
    noun = "warning" if count == 1 else "warnings"
    return [f"{path}: {count} {noun} (use --warnings to list them)"]


def read_pages(
    paths: Sequence[str], *, list_warnings: bool, err: TextIO
) -> tuple[list[Article], int]:
    """Read every page that can be read, reporting on ``err``; return articles and failures."""
    articles: list[Article] = []
    failures = 0
    show_progress = len(paths) > PROGRESS_MIN_FILES and err.isatty()
    for path in tqdm(paths, file=err, unit="page", disable=not show_progress):
        try:
            article = read_pubmed_page(path)
        except (PubMedPageError, OSError) as error:
            failures += 1
            tqdm.write(f"{PROG}: {_failure(path, error)}", file=err)
            continue
        articles.append(article)
        for line in _warning_lines(path, article, list_all=list_warnings):
            tqdm.write(f"{PROG}: {line}", file=err)
    return articles, failures


# --- subcommands ----------------------------------------------------------------------------


def _run_parse(args: argparse.Namespace) -> int:
    """``reviewbook parse``: read the pages, print what was read, say what was not."""
    articles, failures = read_pages(args.files, list_warnings=args.warnings, err=sys.stderr)
    write_articles(articles, output_format=args.format, references=args.references, out=sys.stdout)
    return EXIT_FAILED_INPUT if failures else EXIT_OK


def add_parse_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook parse FILE... [--format table|csv|json] [--references]``."""
    parser = subparsers.add_parser(
        "parse",
        help="read saved PubMed pages and print their records",
        description=(
            "Read PubMed abstract pages saved as text and print one row per article, or one "
            "row per reference with --references. 'table' shows a few columns for reading; "
            "'csv' and 'json' carry every field (json nests references in their article, or "
            "lists references with their review_pmid when --references is given). Files that "
            "cannot be read are reported on stderr and the exit status is 2."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="saved PubMed page (.txt)")
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


def _notebook_paths(names: Sequence[str]) -> list[Path]:
    from reviewbook.workbook.notebooks import notebooks_dir

    if names:
        return [Path(name).with_suffix(".ipynb") for name in names]
    return sorted(notebooks_dir().glob("*.ipynb"))


def _run_notebooks(args: argparse.Namespace) -> int:
    """``reviewbook notebooks run|check``: re-execute and re-sync, or report problems."""
    from reviewbook.workbook.notebooks import check_notebook, execute_notebook

    status = EXIT_OK
    for path in _notebook_paths(args.notebooks):
        if args.action == "run":
            print(f"{PROG}: running {path}", file=sys.stderr)
            execute_notebook(path)
        for problem in check_notebook(path):
            print(f"{PROG}: {problem}", file=sys.stderr)
            status = 1
    return status


def add_notebooks_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook notebooks run|check [NOTEBOOK...]``."""
    parser = subparsers.add_parser(
        "notebooks",
        help="re-execute the workbook's notebooks, or check them",
        description=(
            "'run' executes each notebook top to bottom in a fresh kernel and rewrites it and "
            "its Markdown twin (inputs come from whichever of the pair was edited last). "
            "'check' reports twins out of step and cells not run in order; exit status 1 if any."
        ),
    )
    parser.add_argument("action", choices=("run", "check"))
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="default: every notebook in notebooks/"
    )
    parser.set_defaults(run=_run_notebooks)


def _run_add(args: argparse.Namespace) -> int:
    """``reviewbook add``: add the review, list what was written, or say in one line why not."""
    from reviewbook.sources.ncbi import NcbiError
    from reviewbook.workbook.adding import add_review

    print(f"{PROG}: adding {args.source} (runs its notebook and the index)", file=sys.stderr)
    try:
        added = add_review(args.source, force=args.force)
    except NcbiError as error:
        print(f"{PROG}: {args.source}: {error}", file=sys.stderr)
        return error.exit_status
    except (PubMedPageError, OSError) as error:
        print(f"{PROG}: {_failure(args.source, error)}", file=sys.stderr)
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
            "have their own statuses)."
        ),
    )
    parser.add_argument("source", metavar="SOURCE", help="a PMID, or a file to read")
    parser.add_argument(
        "--force", action="store_true", help="replace the review if it is already there"
    )
    parser.set_defaults(run=_run_add)


def _run_annotations(args: argparse.Namespace) -> int:
    """``reviewbook annotations check|export``: validate the files, or export W3C JSON-LD."""
    from reviewbook.cli.annotations import run_check, run_export

    if args.action == "check":
        return run_check(args.targets)
    if len(args.targets) != 1:
        print(f"{PROG}: annotations export takes one PMID", file=sys.stderr)
        return EXIT_FAILED_INPUT
    return run_export(args.targets[0], args.output)


def add_annotations_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook annotations check [FILE...]`` and ``annotations export PMID``."""
    parser = subparsers.add_parser(
        "annotations",
        help="check our annotation files, or export them as W3C Web Annotations",
        description=(
            "'check [FILE...]' validates annotation files (default: every data/annotations/"
            "*.yaml) against the schema, the vocabulary and the review's page: each quote must "
            "be found exactly once. Errors print as file:line: field: message; exit status 1 "
            "if any, 2 if a file cannot be read. 'export PMID' writes the review's claims as "
            "W3C Web Annotation JSON-LD (to stdout, or to --output)."
        ),
    )
    parser.add_argument("action", choices=("check", "export"))
    parser.add_argument("targets", nargs="*", metavar="FILE|PMID")
    parser.add_argument("-o", "--output", help="with export: the file to write (default stdout)")
    parser.set_defaults(run=_run_annotations)


COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_annotations_command,
    add_parse_command,
    add_notebooks_command,
    add_add_command,
)
"""Subcommand registrations, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The ``reviewbook`` argument parser with every subcommand of ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Read PubMed review pages into records and tables."
    )
    subparsers = parser.add_subparsers(title="commands", dest="command", required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``reviewbook`` command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
