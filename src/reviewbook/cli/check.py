"""``reviewbook check``: the workbook's own check, of whatever it holds now.

It follows the manifest, so it passes for two reviews or two hundred: the manifest and its
checksums, every annotation file, every notebook fresh and in step with its twin, no path of
this machine in a file the workbook would commit, and every notebook executed afresh with
nbval (strict) against the outputs it carries. Problems go to stdout, one line each; progress
and the summary to stderr. Exit status 0, or 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from reviewbook.cli.command import EXIT_INVALID, EXIT_OK, PROG, Subparsers
from reviewbook.progress import say


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def run_check_workbook(args: argparse.Namespace) -> int:
    """Run every check of `reviewbook.workbook.checking` on the workbook; print its problems."""
    from reviewbook.annotations.loading import annotation_files
    from reviewbook.workbook import checking
    from reviewbook.workbook.manifest import read_manifest
    from reviewbook.workbook.paths import Workbook

    workbook = Workbook.at(None)
    notebooks = checking.workbook_notebooks(workbook)
    steps: list[tuple[str, Callable[[], list[str]]]] = [
        ("the manifest", lambda: checking.manifest_problems(workbook)),
        ("annotation files", lambda: checking.annotations_problems(workbook)),
        ("notebooks' freshness and twins", lambda: checking.notebook_problems(workbook)),
        ("paths of this machine", lambda: checking.machine_path_problems(workbook)),
    ]
    problems = 0
    for what, step in steps:
        say(f"{PROG}: checking {what}")
        found = step()
        for line in found:
            print(line, flush=True)
        problems += len(found)
    say(f"{PROG}: running {_count(len(notebooks), 'notebook')} with nbval (strict)")
    compared, failures = checking.nbval_failures(workbook, notebooks)
    for line in failures:
        print(line, flush=True)
    problems += len(failures)
    reviews = len(read_manifest(workbook.pubmed)) if workbook.manifest.is_file() else 0
    notes = len(annotation_files(workbook.annotations)) if workbook.annotations.is_dir() else 0
    print(
        f"checked {_count(reviews, 'review')}, {_count(notes, 'annotation file')} and "
        f"{_count(len(notebooks), 'notebook')} ({_count(compared, 'cell')} compared by nbval): "
        f"{_count(problems, 'problem')}",
        file=sys.stderr,
    )
    return EXIT_INVALID if problems else EXIT_OK


def add_check_command(subparsers: Subparsers) -> None:
    """Register ``reviewbook check``."""
    parser = subparsers.add_parser(
        "check",
        help="check the workbook as it is now: manifest, annotations, notebooks (nbval)",
        description=(
            "Check the workbook, whatever it holds: every manifest row's file and checksum and "
            "every saved source listed; every annotation file valid with its quotes found in "
            "its review; every notebook fresh (nothing it read changed since it ran), run top "
            "to bottom and in step with its Markdown twin; no path of this machine in any file "
            "git would commit; and every notebook executed afresh with nbval, strict, against "
            "the outputs it carries. Problems are printed one per line; exit status 1 if any."
        ),
    )
    parser.set_defaults(
        run=run_check_workbook, needs_workbook=True, touches_workbook=True, extra="notebook"
    )
