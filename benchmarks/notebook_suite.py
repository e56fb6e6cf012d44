"""How long the whole notebook suite takes, against starting as many kernels that only import.

Two loops run sequentially in the same process, interleaved repeat by repeat so that they share
the machine's noise:

- **suite**: every ``notebooks/*.ipynb`` executed top to bottom in a fresh ``python3`` kernel
  with nbclient, on in-memory copies (the notebooks on disk are never written);
- **floor**: the same number of fresh kernels, started the same way, each executing the single
  cell ``import pandas, reviewbook``: the least a notebook of this workbook can cost (every
  notebook shows pandas tables; ``import reviewbook`` alone no longer loads pandas).

Their ratio is how much the notebooks' own work (loading reviews, tables, widgets, charts)
adds on top of kernels and the package import (byte-compiled first, as a reader's first import
leaves it). When it misses its target, a profiling pass
(not timed) runs every notebook once more with each cell split into its top-level statements,
and the report names the slowest statements and the third-party packages they loaded.
"""

from __future__ import annotations

import ast
import copy
import datetime
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from benchmarks.report import SEED_WORKBOOK, Metric, Section, byte_compile_package
from reviewbook.workbook.notebooks import CELL_TIMEOUT_SECONDS, KERNEL_NAME

NAME = "notebook_suite"


@dataclass(frozen=True, slots=True)
class Settings:
    """How many notebooks to run (None: all) and how often each loop is timed."""

    notebooks: int | None
    repeats: int


FULL = Settings(notebooks=None, repeats=3)
QUICK = Settings(notebooks=1, repeats=1)

TARGET_TIMES_FLOOR = 1.5
"""The suite may take at most this many times the import-only kernels' time."""

FLOOR_SOURCE = "import pandas, reviewbook"

SLOWEST_SHOWN = 8
"""How many of the slowest cells (and profiled statements) the report lists."""

PROFILE_HOOK = """\
import sys as _bench_sys

_bench_seen = set(_bench_sys.modules)
_bench_new = {}


def _bench_after(result):
    global _bench_seen
    now = set(_bench_sys.modules)
    tops = {name.partition(".")[0] for name in now - _bench_seen}
    _bench_new[result.execution_count] = sorted(
        top for top in tops if not top.startswith("_") and top not in _bench_sys.stdlib_module_names
    )
    _bench_seen = now


get_ipython().events.register("post_run_cell", _bench_after)
"""
"""Kernel-side set-up of the profiling pass: after every cell, note the third-party top-level
packages that loaded new modules while it ran (by execution count)."""

PROFILE_REPORT = "import json as _bench_json\nprint(_bench_json.dumps(_bench_new))"


@dataclass(frozen=True, slots=True)
class Run:
    """One timed execution of a notebook: its wall time and the time inside each code cell."""

    notebook: str
    seconds: float
    cells: tuple[tuple[str, float], ...]
    """(first line of the cell's source, seconds from execute_input to execute_reply)."""


# --- executing notebooks ----------------------------------------------------------------------


def load_notebooks(folder: Path, limit: int | None = None) -> list[tuple[str, NotebookNode]]:
    """The workbook's notebooks, in name order, read into memory (the first ``limit`` only)."""
    paths = sorted(folder.glob("*.ipynb"))[:limit]
    return [(path.name, nbformat.read(path, as_version=4)) for path in paths]


def floor_notebook() -> NotebookNode:
    """A notebook of one cell that only imports the package."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])


def _timestamp(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def cell_seconds(cell: NotebookNode) -> float:
    """Seconds a code cell ran in the kernel, from the timing nbclient records in its metadata."""
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if start is None or end is None:
        return 0.0
    return (_timestamp(end) - _timestamp(start)).total_seconds()


def first_line(source: str) -> str:
    """The first non-blank line of a cell, to name it in the report."""
    lines = [line for line in source.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def execute(name: str, notebook: NotebookNode, folder: Path) -> tuple[Run, NotebookNode]:
    """Execute a copy of ``notebook`` in a fresh kernel: its timings, and the executed copy."""
    executed = copy.deepcopy(notebook)
    client = NotebookClient(
        executed,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(folder)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    cells = tuple(
        (first_line(cell.source), cell_seconds(cell))
        for cell in executed.cells
        if cell.cell_type == "code"
    )
    return Run(name, seconds, cells), executed


def run_all(notebooks: list[tuple[str, NotebookNode]], folder: Path) -> tuple[float, list[Run]]:
    """Execute the notebooks one after another: the loop's wall time, and each notebook's run."""
    start = time.perf_counter()
    runs = [execute(name, notebook, folder)[0] for name, notebook in notebooks]
    return time.perf_counter() - start, runs


# --- the profiling pass -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """One top-level statement of a notebook, as timed by the profiling pass."""

    notebook: str
    source: str
    seconds: float
    packages: tuple[str, ...]
    """Third-party top-level packages that loaded new modules while it ran."""


def split_statements(source: str) -> list[str]:
    """A cell's top-level statements as separate sources (the whole cell if it is not Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [source]
    parts = [ast.get_source_segment(source, node) for node in tree.body]
    return [part for part in parts if part] or [source]


def profile(name: str, notebook: NotebookNode, folder: Path) -> list[Statement]:
    """Run a notebook once more, statement by statement, in a fresh kernel (not timed)."""
    statements = [
        part
        for cell in notebook.cells
        if cell.cell_type == "code"
        for part in split_statements(cell.source)
    ]
    sources = (PROFILE_HOOK, *statements, PROFILE_REPORT)
    split = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    _run, executed = execute(name, split, folder)
    _hook, *timed, report = executed.cells
    printed = "".join(output.get("text", "") for output in report.outputs)
    packages: dict[str, list[str]] = json.loads(printed)
    return [
        Statement(
            name,
            cell.source,
            cell_seconds(cell),
            tuple(packages.get(str(cell.execution_count), ())),
        )
        for cell in timed
    ]


# --- the report -------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def _quote(source: str, width: int = 70) -> str:
    """One line of code for a Markdown table cell or note: shortened, pipes escaped."""
    line = " ".join(source.split())
    if len(line) > width:
        line = line[: width - 1] + "\u2026"
    return "`" + line.replace("|", "\\|").replace("`", "'") + "`"


def slowest_cells(runs_by_repeat: list[list[Run]]) -> list[tuple[str, float]]:
    """Every code cell of the suite with its best time over the repeats, slowest first."""
    best: dict[str, float] = {}
    for runs in runs_by_repeat:
        for run in runs:
            for number, (line, seconds) in enumerate(run.cells, start=1):
                label = f"{run.notebook} cell {number} {_quote(line, 50)}"
                best[label] = min(seconds, best.get(label, seconds))
    return sorted(best.items(), key=lambda item: -item[1])


def run(*, quick: bool = False) -> Section:
    """Time the suite and the import-only kernels, interleaved; report times, ratio, profile."""
    settings = QUICK if quick else FULL
    byte_compile_package()
    folder = SEED_WORKBOOK / "notebooks"
    notebooks = load_notebooks(folder, settings.notebooks)
    floors = [(f"floor {n}", floor_notebook()) for n in range(1, len(notebooks) + 1)]

    suite_seconds: list[float] = []
    floor_seconds: list[float] = []
    suite_runs: list[list[Run]] = []
    floor_runs: list[list[Run]] = []
    for repeat in range(settings.repeats):
        # Alternate which loop goes first, so neither always runs on a warmer machine.
        for loop in ("floor", "suite") if repeat % 2 == 0 else ("suite", "floor"):
            if loop == "floor":
                seconds, runs = run_all(floors, folder)
                floor_seconds.append(seconds)
                floor_runs.append(runs)
            else:
                seconds, runs = run_all(notebooks, folder)
                suite_seconds.append(seconds)
                suite_runs.append(runs)

    suite_best, floor_best = min(suite_seconds), min(floor_seconds)
    ratio = suite_best / floor_best
    met = ratio <= TARGET_TIMES_FLOOR
    best_suite_runs = suite_runs[suite_seconds.index(suite_best)]
    best_floor_runs = floor_runs[floor_seconds.index(floor_best)]
    suite_in_cells = sum(seconds for run in best_suite_runs for _, seconds in run.cells)
    import_cells = sum(seconds for run in best_floor_runs for _, seconds in run.cells)
    kernels = len(notebooks)
    plural = "s" if kernels > 1 else ""

    repeats = f"{settings.repeats} run" + ("s" if settings.repeats > 1 else "")
    metrics = [
        Metric(f"suite ({kernels} notebook{plural}), best of {repeats}", _seconds(suite_best)),
        Metric(f"suite, median of {repeats}", _seconds(statistics.median(suite_seconds))),
        Metric(
            f"floor ({kernels} kernel{plural} running `{FLOOR_SOURCE}`), best of {repeats}",
            _seconds(floor_best),
        ),
        Metric(f"floor, median of {repeats}", _seconds(statistics.median(floor_seconds))),
        Metric(
            "suite time / floor time (best)",
            f"{ratio:.2f}x",
            f"<= {TARGET_TIMES_FLOOR}x",
            met,
        ),
        Metric("time inside the suite's code cells (best run)", _seconds(suite_in_cells)),
        Metric(
            f"time inside the floor's `{FLOOR_SOURCE}` cells (best run)", _seconds(import_cells)
        ),
        Metric(
            "kernel start, shutdown and messaging per kernel (floor minus its cells)",
            _seconds((floor_best - import_cells) / kernels),
        ),
        *(
            Metric(
                f"{name}, best of {repeats}",
                _seconds(min(runs[index].seconds for runs in suite_runs)),
            )
            for index, (name, _) in enumerate(notebooks)
        ),
    ]

    mode = "quick: the first notebook only" if quick else "full: every notebook"
    slowest = slowest_cells(suite_runs)[:SLOWEST_SHOWN]
    notes = [
        f"Notebooks ({mode}): " + ", ".join(name for name, _ in notebooks) + f"; {repeats} each "
        "of floor and suite, interleaved (the loop that goes first alternates). Wall time "
        "(`time.perf_counter`) of each loop, kernels started one after another by nbclient.",
        "Time inside a cell is what nbclient records from `execute_input` to `execute_reply`; "
        "the rest of a notebook's wall time is starting, connecting to and shutting down its "
        "kernel.",
        "Slowest cells of the suite (best of the repeats): "
        + "; ".join(f"{label} {_seconds(seconds)}" for label, seconds in slowest)
        + ".",
    ]
    if not met:
        statements = [
            statement
            for name, notebook in notebooks
            for statement in profile(name, notebook, folder)
        ]
        statements.sort(key=lambda statement: -statement.seconds)
        notes.append(
            "Profiling pass (the ratio missed; one more untimed run, each cell split into its "
            "top-level statements; in brackets, the third-party packages that loaded new modules), "
            "slowest statements: "
            + "; ".join(
                f"{statement.notebook} {_quote(statement.source, 60)} "
                f"{_seconds(statement.seconds)}"
                + (f" [{', '.join(statement.packages)}]" if statement.packages else "")
                for statement in statements[:SLOWEST_SHOWN]
            )
            + "."
        )
    return Section(
        name=NAME,
        title="executing the notebook suite",
        description=(
            "Every notebook in `notebooks/` executed top to bottom in a fresh `python3` kernel "
            "(nbclient, in-memory copies), one after another, against a floor of as many fresh "
            f"kernels that only run `{FLOOR_SOURCE}`, in the same run. Wall time, sequential."
        ),
        metrics=tuple(metrics),
        notes=tuple(notes),
    )
