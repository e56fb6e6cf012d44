"""How long ``parse_citation`` takes on hostile 100,000-character lines, against a floor.

The lines are the corpus of ``tests/data/pathological_citations.json`` (long runs of spaces,
dots, initials, ``et al.`` look-alikes, unbalanced parentheses, notice labels...). For each
line two things are timed in the same process:

- **parse**: ``parse_citation(line)``;
- **floor**: one compiled regex that tries every position of the line once, finding every
  year printed in it (``findall``): every citation reader looks for the date at least, so
  this is about the least a regex-based reader does.

A pattern that backtracks turns a 100k line into seconds or minutes; a linear reader stays
within a small multiple of the floor. The report gives the slowest line, and the worst ratio.
"""

from __future__ import annotations

import gc
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import Metric, Section
from reviewbook.sources.citation import parse_citation

NAME = "pathological"
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "pathological_citations.json"

TARGET_MILLISECONDS = 50.0
"""The slowest line may take at most this long to parse."""
TARGET_TIMES_FLOOR = 10.0
"""Every line may take at most this many times the floor's time on the same line."""

FLOOR_PATTERN = re.compile(r"(?<![0-9])(?:1[5-9]|20)[0-9]{2}(?![0-9])")
"""The floor: one linear pass that finds every year in a line (fixed length, no backtracking)."""


@dataclass(frozen=True, slots=True)
class Timing:
    """One line's best CPU seconds for the parser and for the floor."""

    name: str
    length: int
    parse_seconds: float
    floor_seconds: float

    @property
    def times_floor(self) -> float:
        return self.parse_seconds / max(self.floor_seconds, 1e-6)


def pathological_lines() -> list[tuple[str, str]]:
    """``(name, line)`` for every corpus entry, each line built from its recipe."""
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        (entry["name"], entry["prefix"] + entry["unit"] * entry["repeat"] + entry["suffix"])
        for entry in corpus["lines"]
    ]


def best_seconds(work: Callable[[str], object], line: str, repeats: int) -> float:
    """The best CPU time of ``repeats`` runs of ``work(line)`` (this process only)."""
    seconds = []
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        work(line)
        seconds.append(time.process_time() - start)
    return min(seconds)


def time_lines(repeats: int) -> list[Timing]:
    """Parse and floor timings of every pathological line."""
    return [
        Timing(
            name,
            len(line),
            best_seconds(parse_citation, line, repeats),
            best_seconds(FLOOR_PATTERN.findall, line, repeats),
        )
        for name, line in pathological_lines()
    ]


def run(*, quick: bool = False) -> Section:
    """Time every line; report the slowest and the worst ratio against the floor."""
    repeats = 1 if quick else 5
    timings = time_lines(repeats)
    slowest = max(timings, key=lambda timing: timing.parse_seconds)
    worst = max(timings, key=lambda timing: timing.times_floor)
    metrics = (
        Metric(
            f"slowest line, best of {repeats} ({slowest.name})",
            f"{slowest.parse_seconds * 1000:.1f} ms",
            f"<= {TARGET_MILLISECONDS:.0f} ms",
            slowest.parse_seconds * 1000 <= TARGET_MILLISECONDS,
        ),
        Metric(
            f"worst parse time / floor time ({worst.name})",
            f"{worst.times_floor:.1f}x",
            f"<= {TARGET_TIMES_FLOOR:.0f}x",
            worst.times_floor <= TARGET_TIMES_FLOOR,
        ),
        Metric(
            "floor on the slowest line",
            f"{slowest.floor_seconds * 1000:.1f} ms",
        ),
        Metric("all lines parsed", f"{sum(t.parse_seconds for t in timings) * 1000:.0f} ms"),
    )
    notes = (
        f"{len(timings)} lines of {min(t.length for t in timings):,} to "
        f"{max(t.length for t in timings):,} characters from "
        "`tests/data/pathological_citations.json`.",
        f"Floor: `{FLOOR_PATTERN.pattern}` with `findall` on the same line; the ratio's "
        "denominator is at least 1 microsecond.",
    )
    return Section(
        name=NAME,
        title="hostile 100k-character citation lines",
        description=(
            "`parse_citation` on each pathological line, against one linear regex pass over the "
            "same line, both timed in CPU seconds in one process."
        ),
        metrics=metrics,
        notes=notes,
    )
