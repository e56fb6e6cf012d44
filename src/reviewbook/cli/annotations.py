"""``reviewbook annotations check [FILE...]`` and ``reviewbook annotations export PMID``.

``export`` writes a review's claims and reference notes as W3C Web Annotation JSON-LD
(``--format w3c``, the default) or as the file Hypothesis imports (``--format hypothesis``);
`EXPORT_FORMATS` names the writers.

`run_check` and `run_export` take paths and streams and return an exit status, so the
command line only parses arguments: 0 when all is well, 1 when annotations have errors (one
line each, ``file:line: field: message``, on ``out``), 2 when an input cannot be read at all.
Quotes are checked against each review as the workbook loads it (`reviews.load_review`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from reviewbook.annotations.hypothesis import to_hypothesis
from reviewbook.annotations.loading import annotation_files, load_annotations
from reviewbook.annotations.model import AnnotationError, Annotations, AnnotationsInvalid
from reviewbook.annotations.web_annotation import to_web_annotations
from reviewbook.cli.command import EXIT_FAILED_INPUT, EXIT_INVALID, EXIT_OK, PROG, Subparsers
from reviewbook.errors import ReadError
from reviewbook.model import Article
from reviewbook.workbook.checking import annotation_errors, in_workbook
from reviewbook.workbook.paths import annotations_dir, annotations_path, pubmed_dir
from reviewbook.workbook.reviews import load_review

EXPORT_FORMATS: Mapping[str, Callable[[Annotations, Article], dict[str, Any]]] = {
    "w3c": to_web_annotations,
    "hypothesis": to_hypothesis,
}
"""``--format`` of ``annotations export``: W3C Web Annotation JSON-LD (an
``AnnotationCollection``), or the Hypothesis client's import file of create-annotation requests."""


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given, folders as their ``*.yaml`` files; no paths means the annotations folder."""
    expanded: list[Path] = []
    for path in [Path(path) for path in paths] or [annotations_dir()]:
        expanded += annotation_files(path) if path.is_dir() else [path]
    return expanded


def _count(number: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def check_file(path: Path, pages: Path) -> list[AnnotationError]:
    """Every error of one annotation file (`checking.annotation_errors`)."""
    return annotation_errors(path, pages)


def run_check(
    paths: Sequence[str | Path] = (),
    *,
    pages: str | Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check annotation files (default: every file in the annotations folder).

    Prints one line per error on ``out`` and a summary on ``err``; returns 0, 1 or 2.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    pages_folder = Path(pages) if pages is not None else pubmed_dir()
    files = expand_paths(paths)
    error_count = 0
    unreadable = 0
    for path in files:
        try:
            errors = check_file(path, pages_folder)
        except (OSError, ReadError) as problem:
            unreadable += 1
            reason = problem.strerror if isinstance(problem, OSError) else problem
            err.write(f"{path}: cannot be read: {reason or problem}\n")
            continue
        error_count += len(errors)
        for error in errors:
            out.write(f"{error}\n")
        if not errors and path.stem.isdigit() and not in_workbook(path.stem, pages_folder):
            note = "kept for a review not in the workbook: its quotes are not checked"
            err.write(f"{path}: {note}\n")
    err.write(f"checked {_count(len(files), 'annotation file')}: {_count(error_count, 'error')}\n")
    if unreadable or not files:
        return EXIT_FAILED_INPUT
    return EXIT_INVALID if error_count else EXIT_OK


def run_export(
    pmid: str,
    out_path: str | Path | None = None,
    *,
    annotations: str | Path | None = None,
    pages: str | Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    export_format: str = "w3c",
) -> int:
    """Write the review's claims and reference notes to ``out_path`` (or ``out``), as W3C Web
    Annotation JSON-LD or in another of `EXPORT_FORMATS`.

    ``out_path`` of None or ``"-"`` means ``out`` (default stdout). Invalid annotations are
    listed on ``err`` and nothing is written; returns 0, 1 or 2.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    source = Path(annotations) if annotations is not None else annotations_path(pmid)
    pages_folder = Path(pages) if pages is not None else pubmed_dir()
    write = EXPORT_FORMATS.get(export_format)
    if write is None:
        err.write(f"unknown format {export_format!r}: {', '.join(EXPORT_FORMATS)}\n")
        return EXIT_FAILED_INPUT
    try:
        document = write(load_annotations(source), load_review(pmid, pages_folder))
    except AnnotationsInvalid as invalid:
        for error in invalid.errors:
            err.write(f"{error}\n")
        return EXIT_INVALID
    except (OSError, ReadError) as problem:
        err.write(f"cannot export {pmid}: {problem}\n")
        return EXIT_FAILED_INPUT
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out_path is None or str(out_path) == "-":
        out.write(text)
    else:
        Path(out_path).write_text(text, encoding="utf-8")
    return EXIT_OK


# --- the subcommand -------------------------------------------------------------------------------


def _run_annotations(args: argparse.Namespace) -> int:
    """``reviewbook annotations check|export``: validate the files, or export W3C JSON-LD."""
    if args.action == "check":
        return run_check(args.targets)
    if len(args.targets) != 1:
        print(f"{PROG}: annotations export takes one PMID", file=sys.stderr)
        return EXIT_FAILED_INPUT
    return run_export(args.targets[0], args.output, export_format=args.format)


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
            "W3C Web Annotation JSON-LD (to stdout, or to --output), or with --format hypothesis "
            "as the file Hypothesis imports."
        ),
    )
    parser.add_argument("action", choices=("check", "export"))
    parser.add_argument("targets", nargs="*", metavar="FILE|PMID")
    parser.add_argument("-o", "--output", help="with export: the file to write (default stdout)")
    parser.add_argument(
        "--format",
        choices=tuple(EXPORT_FORMATS),
        default="w3c",
        help="with export: W3C Web Annotation JSON-LD (default) or Hypothesis' import file",
    )
    parser.set_defaults(run=_run_annotations, needs_workbook=True, touches_workbook=True)
