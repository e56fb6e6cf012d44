"""Benchmark results as data, and the Markdown report that shows them."""

from __future__ import annotations

import compileall
import datetime
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SEED_WORKBOOK = REPO / "tests" / "data" / "seed_workbook"
"""The workbook the benchmarks measure: the seed workbook, whatever the live one holds."""


@dataclass(frozen=True, slots=True)
class Metric:
    """One measured figure, with its target when it has one (``met`` is None without)."""

    name: str
    value: str
    target: str = "\u2014"
    met: bool | None = None

    @property
    def verdict(self) -> str:
        """``PASS``/``MISS`` against the target, or a dash for figures given for context."""
        return "\u2014" if self.met is None else ("PASS" if self.met else "MISS")


@dataclass(frozen=True, slots=True)
class Section:
    """What one benchmark module reports: a title, what it measures, its metrics, notes."""

    name: str
    title: str
    description: str
    metrics: tuple[Metric, ...]
    notes: tuple[str, ...] = field(default=())


HEADER = """\
# Benchmarks

Run from the repository root with `python -m benchmarks` (or `make bench`); this file is
rewritten by every full run. `python -m benchmarks NAME` reruns one benchmark and replaces only
its section here. `python -m benchmarks NAME --quick` runs one benchmark on a small corpus as a
smoke test and prints its report without touching this file.

The machine is small and shared (2 cores, noisy neighbours), so absolute figures move from run
to run. Each benchmark therefore also measures a baseline *in the same run on this machine*,
single-threaded, over exactly the same input, and its targets are stated as ratios against that
baseline as well as in absolute terms. Targets are goals: a MISS is reported, never fatal.
"""


def environment() -> str:
    """Where and when the figures were measured, for the record under each table."""
    today = datetime.date.today().isoformat()
    return (
        f"Measured {today} with Python {platform.python_version()}, pandas {pd.__version__}, "
        f"on {platform.system()} {platform.machine()} ({os.cpu_count()} CPUs visible)."
    )


def render_section(section: Section) -> str:
    """A section: heading, description, metric table and notes."""
    rows = [
        "| metric | value | target | met? |",
        "| --- | ---: | --- | --- |",
        *(
            f"| {metric.name} | {metric.value} | {metric.target} | {metric.verdict} |"
            for metric in section.metrics
        ),
    ]
    notes = "".join(f"- {note}\n" for note in (*section.notes, environment()))
    return (
        f"## {section.name}: {section.title}\n\n{section.description}\n\n"
        + "\n".join(rows)
        + "\n\n"
        + notes
    )


def render_report(sections: list[Section]) -> str:
    """The whole Markdown report: how to run, how to read it, then one section each."""
    body = "\n".join(render_section(section) for section in sections)
    return f"{HEADER}\n{body}"


SECTION_START = re.compile(r"^(?=## )", flags=re.MULTILINE)
SECTION_NAME = re.compile(r"## ([^:\n]+):")


def existing_sections(text: str) -> dict[str, str]:
    """The sections of a written report, by benchmark name, as Markdown (header dropped)."""
    chunks = SECTION_START.split(text)[1:]
    return {
        match.group(1): chunk.rstrip("\n") + "\n"
        for chunk in chunks
        if (match := SECTION_NAME.match(chunk))
    }


def merge_report(text: str, sections: list[Section], order: Sequence[str]) -> str:
    """The report ``text`` with ``sections`` replaced or added, the other sections kept as written.

    Sections are put in ``order``; a written section whose name is not in ``order`` (a
    benchmark since removed) is dropped.
    """
    rendered = existing_sections(text) | {
        section.name: render_section(section) for section in sections
    }
    body = "\n".join(rendered[name] for name in order if name in rendered)
    return f"{HEADER}\n{body}"


def write_report(
    sections: list[Section], path: Path, *, order: Sequence[str] | None = None
) -> None:
    """Write the report to ``path``, creating its folder when needed.

    Without ``order`` the file holds exactly ``sections``. With it, the sections already in
    the file that were not rerun are kept (see `merge_report`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if order is None or not path.exists():
        text = render_report(sections)
    else:
        text = merge_report(path.read_text(encoding="utf-8"), sections, order)
    path.write_text(text, encoding="utf-8")


def byte_compile_package() -> None:
    """Write the package's bytecode before kernels are timed, as the first import on a reader's
    machine leaves it. Kernels here would otherwise compile every module they import on each
    start: this machine sets ``PYTHONDONTWRITEBYTECODE``, so no import ever writes it."""
    compileall.compile_dir(REPO / "src" / "reviewbook", quiet=1)


def run_child(code: str, *arguments: str) -> dict[str, Any]:
    """Run ``python -c code ARGUMENTS`` in a fresh process (``src`` on its path, where the
    package is not installed) and return the JSON object its last line of output prints."""
    paths = [str(REPO / "src"), os.environ.get("PYTHONPATH", "")]
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(part for part in paths if part)},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


PEAK_MIB_CODE = """
def _peak_mib():
    # VmHWM: this process's own high-water mark. ru_maxrss would also count the parent's
    # memory at the fork that started this process, which Linux carries across exec.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
"""Code a benchmark's child process runs to report its own peak resident memory, in MiB."""
