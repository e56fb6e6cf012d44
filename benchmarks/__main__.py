"""``python -m benchmarks [NAME...] [--quick] [--output PATH]``: run benchmarks, write the report.

Every module in ``BENCHMARKS`` has ``run(*, quick: bool) -> Section``; adding a benchmark is
one more entry. A run writes ``docs/benchmarks.md``, replacing the sections of the benchmarks it
ran and keeping the others; ``--quick`` runs small corpora and only writes the report when
``--output`` is given. The report of the benchmarks run is printed either way.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "docs" / "benchmarks.md"

BENCHMARKS: dict[str, str] = {
    "parse_pages": "benchmarks.parse_pages",
    "pathological": "benchmarks.pathological",
    "explorer_filter": "benchmarks.explorer_filter",
    "notebook_suite": "benchmarks.notebook_suite",
    "pubmed_xml": "benchmarks.pubmed_xml",
    "fulltext": "benchmarks.fulltext",
    "fulltext_notebook": "benchmarks.fulltext_notebook",
    "statements": "benchmarks.statements",
    "annotation_check": "benchmarks.annotation_check",
    "workbook_scale": "benchmarks.workbook_scale",
    "corpus_build": "benchmarks.corpus_build",
}
"""Benchmark name -> module, in report order."""


def _make_reviewbook_importable() -> None:
    """Use the repository's ``src`` when reviewbook is not installed (a fresh checkout)."""
    if importlib.util.find_spec("reviewbook") is None:
        sys.path.insert(0, str(REPO / "src"))


def run_benchmarks(names: list[str], *, quick: bool, output: Path | None) -> str:
    """Run the named benchmarks, update the report at ``output`` (if any), return their report.

    Sections of ``output`` for benchmarks not run this time are kept as they were written.
    """
    _make_reviewbook_importable()
    from benchmarks.report import render_report, write_report

    sections = []
    for name in names:
        print(f"benchmarks: running {name}{' (quick)' if quick else ''}...", file=sys.stderr)
        module = importlib.import_module(BENCHMARKS[name])
        sections.append(module.run(quick=quick))
    if output is not None:
        write_report(sections, output, order=list(BENCHMARKS))
    return render_report(sections)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the benchmarks and print the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("--quick", action="store_true", help="small corpora, for a smoke test")
    parser.add_argument("--output", type=Path, help=f"report path (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    print(run_benchmarks(args.names or list(BENCHMARKS), quick=args.quick, output=output))
    if output is not None:
        print(f"benchmarks: wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
