"""How long ``reviewbook annotations check`` takes on a very large annotation file, and its
peak memory.

The file is built here: Janssen 2017's annotation file (``data/annotations/29037250.yaml``)
with its reference notes repeated, each with a distinct index, until the file holds about
20 MB (about 106,000 entries; ``--quick``: 2 MB). Its check runs in a child process, so that its
time, CPU time and peak resident memory (the child's ``VmHWM``) are its own:

- **check**: ``reviewbook annotations check FILE``, the whole command;
- **baseline**: reading the same file's bytes and decoding them (``Path.read_text``) in a
  child process started the same way, the least any check must do.

Each is run three times (``--quick``: once), alternately, so that both meet the same load.
The file is read by libyaml's parser (`yaml_io.read_document`), checked against the schema a
column at a time (`schema.column_check`) and validated against Janssen's page; every reference
past the page's five is an error, so the run also measures naming some 106,000 errors by
line. Targets (issue 11): a 20 MB file checked in at most 3 s and at most 300 MiB.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import PEAK_MIB_CODE, Metric, Section

NAME = "annotation_check"
REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "data" / "seed_workbook" / "data" / "annotations" / "29037250.yaml"
FULL_BYTES = 20_000_000
QUICK_BYTES = 2_000_000
TARGET_SECONDS = 3.0
TARGET_MIB = 300.0
REPEATS = 3


def large_annotation_file(path: Path, size: int) -> int:
    """Write an annotation file of about ``size`` bytes; return its number of reference notes."""
    entry = (
        "  - index: {index}\n"
        "    note: >-\n"
        "      Cited for the hallmarks framework; the review leans on it for the\n"
        "      enabling characteristics, entry {index}.\n"
        "    tags: [hallmarks, review, framework]\n"
    )
    head = 'pmid: "29037250"\nclaims: []\nreferences:\n'
    parts = [head]
    written = len(head)
    index = 0
    while written < size:
        index += 1
        text = entry.format(index=index)
        parts.append(text)
        written += len(text)
    path.write_text("".join(parts), encoding="utf-8")
    return index


@dataclass(frozen=True, slots=True)
class ChildRun:
    """One run of a child process: wall and CPU seconds, peak MiB and exit status."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    status: int


def _child(code: str, path: Path) -> ChildRun:
    """Run ``python -c code path`` in a fresh process and measure it."""
    reporting = f"{PEAK_MIB_CODE}\nimport atexit, sys\n" + (
        "atexit.register(lambda: print(f'peak_mib={_peak_mib()}', file=sys.stderr))\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", reporting + code, str(path)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = next(
        float(line.removeprefix("peak_mib="))
        for line in reversed(done.stderr.splitlines())
        if line.startswith("peak_mib=")
    )
    return ChildRun(seconds, cpu, peak, done.returncode)


CHECK = (
    "import sys; from reviewbook.cli import main; "
    "sys.exit(main(['annotations', 'check', sys.argv[1]]))"
)
BASELINE = "import sys, pathlib; pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')"


def run(*, quick: bool) -> Section:
    """Build the file, check it in child processes, and report time and memory."""
    size = QUICK_BYTES if quick else FULL_BYTES
    repeats = 1 if quick else REPEATS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "29037250.yaml"
        entries = large_annotation_file(path, size)
        megabytes = path.stat().st_size / 1e6
        baselines, checks = [], []
        for _ in range(repeats):
            baselines.append(_child(BASELINE, path))
            checks.append(_child(CHECK, path))
    scale = FULL_BYTES / size
    runs = f"{repeats} run" if repeats == 1 else f"{repeats} runs"
    best = min(check.seconds for check in checks)
    base_best = min(baseline.seconds for baseline in baselines)
    peak = max(check.peak_mib for check in checks)
    target_seconds = TARGET_SECONDS / scale
    return Section(
        name=NAME,
        title="Checking a very large annotation file",
        description=__doc__ or "",
        metrics=(
            Metric("file", f"{megabytes:.1f} MB, {entries} reference notes"),
            Metric(
                f"check time, best of {runs}",
                f"{best:.2f} s",
                f"\u2264 {target_seconds:.1f} s",
                best <= target_seconds,
            ),
            Metric(
                f"check time, median of {runs}",
                f"{statistics.median(check.seconds for check in checks):.2f} s",
            ),
            Metric(
                f"check CPU time (user + system), best of {runs}",
                f"{min(check.cpu_seconds for check in checks):.2f} s",
            ),
            Metric(f"baseline time, best of {runs}", f"{base_best:.2f} s"),
            Metric("check time / baseline time (best)", f"{best / base_best:.0f}x"),
            Metric(
                f"check peak memory, largest of {runs}",
                f"{peak:.0f} MiB (baseline {max(run.peak_mib for run in baselines):.0f} MiB)",
                f"\u2264 {TARGET_MIB:.0f} MiB",
                peak <= TARGET_MIB,
            ),
            Metric(
                "check exit status",
                f"{checks[0].status} (indices past the page's 5 are errors)",
            ),
        ),
    )
