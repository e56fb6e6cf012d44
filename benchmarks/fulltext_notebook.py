"""How long a full-text review's notebook takes, against a kernel that only imports.

The review is PMC12311175 (Tufail et al. 2025, 640 references, 33 sections, 9 figures, 7
tables), added with ``reviewbook add`` from ``../shared/fulltext`` to a temporary copy of the
seed workbook (no network: its cited works are not looked up). Its notebook, made from the
review template, is executed top to bottom in a fresh kernel, against a floor kernel running
``import pandas, reviewbook``, interleaved repeat by repeat as in `benchmarks.notebook_suite`.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import tempfile
from pathlib import Path

import nbformat

from benchmarks.notebook_suite import FLOOR_SOURCE, execute, floor_notebook
from benchmarks.report import REPO, SEED_WORKBOOK, Metric, Section, byte_compile_package

NAME = "fulltext_notebook"
FULL_TEXT = REPO.parent / "shared" / "fulltext" / "PMC12311175.nxml"
"""The review read; it sits beside the repository, as in CI."""
TARGET_TIMES_FLOOR = 2.0
"""The notebook may take at most this many times the import-only kernel's time."""
REPEATS = {False: 3, True: 1}
"""Timed runs of each loop, full and quick."""


def offline_client() -> object:
    """An E-utilities client of a closed port on 127.0.0.1: every lookup fails at once."""
    from reviewbook.sources.ncbi import EutilsClient

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    return EutilsClient(
        base_url=f"{closed}/entrez/eutils/",
        idconv_url=f"{closed}/tools/idconv/api/v1/articles/",
        cache=False,
        retries=0,
        environ={},
    )


def workbook_with_full_text(folder: Path) -> Path:
    """A copy of the seed workbook in ``folder`` with the review added; its notebook's path."""
    from reviewbook.workbook.adding import add_review

    root = folder / "workbook"
    shutil.copytree(SEED_WORKBOOK, root, ignore=shutil.ignore_patterns(".reviewbook"))
    added = add_review(str(FULL_TEXT), root=root, client=offline_client())
    return added.notebook


def run(*, quick: bool = False) -> Section:
    """Time the review's notebook and the import-only kernel, interleaved; report their ratio."""
    if not FULL_TEXT.is_file():
        return Section(
            name=NAME,
            title="executing a full-text review's notebook",
            description="Needs `../shared/fulltext/PMC12311175.nxml` beside the repository.",
            metrics=(),
            notes=(f"Not run: {FULL_TEXT} is missing.",),
        )
    byte_compile_package()
    repeats = REPEATS[quick]
    with tempfile.TemporaryDirectory() as temporary:
        path = workbook_with_full_text(Path(temporary))
        previous = os.environ.get("REVIEWBOOK_WORKBOOK")
        os.environ["REVIEWBOOK_WORKBOOK"] = str(path.parents[1])  # the kernels' workbook
        try:
            notebook = nbformat.read(path, as_version=4)
            notebook_seconds: list[float] = []
            floor_seconds: list[float] = []
            cells: tuple[tuple[str, float], ...] = ()
            for repeat in range(repeats):
                for loop in ("floor", "notebook") if repeat % 2 == 0 else ("notebook", "floor"):
                    if loop == "floor":
                        floor_run, _ = execute("floor", floor_notebook(), path.parent)
                        floor_seconds.append(floor_run.seconds)
                    else:
                        notebook_run, _ = execute(path.name, notebook, path.parent)
                        notebook_seconds.append(notebook_run.seconds)
                        if notebook_run.seconds == min(notebook_seconds):
                            cells = notebook_run.cells
        finally:
            if previous is None:
                os.environ.pop("REVIEWBOOK_WORKBOOK", None)
            else:
                os.environ["REVIEWBOOK_WORKBOOK"] = previous
    best, floor = min(notebook_seconds), min(floor_seconds)
    ratio = best / floor
    runs = f"{repeats} run" + ("s" if repeats > 1 else "")
    slowest = sorted(cells, key=lambda cell: -cell[1])[:5]
    return Section(
        name=NAME,
        title="executing a full-text review's notebook",
        description=(
            "The notebook `reviewbook add` makes for PMC12311175 (640 references, 750 "
            "citations), executed top to bottom in a fresh `python3` kernel (nbclient, an "
            f"in-memory copy), against a fresh kernel running `{FLOOR_SOURCE}`, interleaved in "
            "the same run. Wall time."
        ),
        metrics=(
            Metric(f"notebook, best of {runs}", f"{best:.2f} s"),
            Metric(f"notebook, median of {runs}", f"{statistics.median(notebook_seconds):.2f} s"),
            Metric(f"floor, best of {runs}", f"{floor:.2f} s"),
            Metric(
                "notebook time / floor time (best)",
                f"{ratio:.2f}x",
                f"<= {TARGET_TIMES_FLOOR}x",
                ratio <= TARGET_TIMES_FLOOR,
            ),
        ),
        notes=(
            "Slowest cells of the best run: "
            + "; ".join(f"`{line}` {seconds:.2f} s" for line, seconds in slowest)
            + ".",
        ),
    )
