"""Reading PMC full texts (JATS XML), against pubmed_parser over the same files in the same run.

The input is the seven real full texts of ``../shared/fulltext`` (five reviews of 2025 and two
older research articles, 2.0 MB of XML in all; the project's own test full text when they are
absent). Each reader goes over every file, in one process, the two alternating, best of
`FULL.repeats` runs (after one run each to warm up):

- **reviewbook**: `read_article` (opening the file, telling its format, reading front matter,
  body, floats, references and every in-text citation), then `citations_frame` of the article:
  one row per citation and reference it names, with its section and sentence;
- **pubmed_parser**: the five functions that together read what reviewbook reads,
  ``parse_pubmed_xml`` (front matter and abstract), ``parse_pubmed_references``,
  ``parse_pubmed_paragraph`` (``all_paragraph=True``: every paragraph of the body, as
  reviewbook reads them all), ``parse_pubmed_caption`` and ``parse_pubmed_table``, each as its
  documentation shows it called, on the file's path (each parses the file again: that is
  its API). A call that raises (``parse_pubmed_xml`` on a file whose dates are tagged
  ``date-type``, JATS 1.1's way, finds no year) is counted and passed over; its time is kept.

Time is wall time (`time.perf_counter`) of the whole loop over the files, and CPU time of the
process (`time.process_time`) for the same loop.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.report import Metric, Section

NAME = "fulltext"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "fulltext"
FALLBACK = (REPO / "tests" / "data" / "pmc_jats_article.xml",)


@dataclass(frozen=True, slots=True)
class Settings:
    """How often each reader goes over the files."""

    repeats: int


FULL = Settings(repeats=15)
QUICK = Settings(repeats=1)

TARGET_TIME_TIMES_BASELINE = 1.0

BASELINE_CALLS: tuple[str, ...] = (
    "parse_pubmed_xml",
    "parse_pubmed_references",
    "parse_pubmed_paragraph",
    "parse_pubmed_caption",
    "parse_pubmed_table",
)
"""The pubmed_parser functions the baseline calls on each file, in order."""


@dataclass
class Runs:
    """The times of one reader's runs, and what its last run found."""

    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=dict)
    by_call: dict[str, list[float]] = field(default_factory=dict)
    """pubmed_parser only: each function's time, summed over the files, per run."""


def full_texts() -> tuple[list[Path], str]:
    """The files read, and where they came from."""
    if SHARED.is_dir() and (paths := sorted(SHARED.glob("*.nxml"))):
        return paths, f"the {len(paths)} full texts of shared/fulltext"
    return list(FALLBACK), "tests/data/pmc_jats_article.xml (shared/fulltext not found)"


def baseline_available() -> bool:
    """Whether pubmed_parser is installed (the dev extra lists it)."""
    return importlib.util.find_spec("pubmed_parser") is not None


def read_with_reviewbook(paths: list[Path], runs: Runs) -> None:
    """One run of reviewbook over the files: read each, tabulate its citations."""
    from reviewbook.sources.formats import read_article
    from reviewbook.tables.fulltext import citations_frame

    found = dict.fromkeys(("references", "citation rows", "figures", "tables"), 0)
    start, start_cpu = time.perf_counter(), time.process_time()
    for path in paths:
        article = read_article(path)
        rows = citations_frame(article)
        found["references"] += len(article.references)
        found["citation rows"] += len(rows)
        if article.body is not None:
            found["figures"] += len(article.body.figures)
            found["tables"] += len(article.body.tables)
            found["tables"] += sum(len(box.tables) for box in article.body.boxes)
    runs.seconds.append(time.perf_counter() - start)
    runs.cpu.append(time.process_time() - start_cpu)
    runs.found = found


def read_with_pubmed_parser(paths: list[Path], runs: Runs) -> None:
    """One run of pubmed_parser's five functions over the files."""
    import pubmed_parser

    calls: dict[str, Callable[[str], object]] = {
        "parse_pubmed_xml": pubmed_parser.parse_pubmed_xml,
        "parse_pubmed_references": pubmed_parser.parse_pubmed_references,
        "parse_pubmed_paragraph": lambda path: pubmed_parser.parse_pubmed_paragraph(
            path, all_paragraph=True
        ),
        "parse_pubmed_caption": pubmed_parser.parse_pubmed_caption,
        "parse_pubmed_table": pubmed_parser.parse_pubmed_table,
    }
    by_call = dict.fromkeys(BASELINE_CALLS, 0.0)
    found = dict.fromkeys((*BASELINE_CALLS, "raised"), 0)
    start, start_cpu = time.perf_counter(), time.process_time()
    for path in paths:
        for name, call in calls.items():
            call_start = time.perf_counter()
            try:
                result = call(str(path))
            except (KeyError, TypeError, ValueError, AttributeError):
                found["raised"] += 1
                result = None
            by_call[name] += time.perf_counter() - call_start
            found[name] += len(result) if isinstance(result, list) else int(result is not None)
    runs.seconds.append(time.perf_counter() - start)
    runs.cpu.append(time.process_time() - start_cpu)
    runs.found = found
    for name, seconds in by_call.items():
        runs.by_call.setdefault(name, []).append(seconds)


def run(*, quick: bool = False) -> Section:
    """Read the files with both readers in turn, and report their times and ratio."""
    settings = QUICK if quick else FULL
    paths, origin = full_texts()
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    with_baseline = baseline_available()
    ours, theirs = Runs(), Runs()
    read_with_reviewbook(paths, Runs())  # warm up: imports, first calls
    if with_baseline:
        read_with_pubmed_parser(paths, Runs())
    for repeat in range(settings.repeats):
        order = [("ours", ours), ("theirs", theirs)]
        for reader, runs in order if repeat % 2 == 0 else order[::-1]:
            if reader == "ours":
                read_with_reviewbook(paths, runs)
            elif with_baseline:
                read_with_pubmed_parser(paths, runs)
    metrics = _metrics(ours, theirs, megabytes=megabytes, repeats=settings.repeats)
    notes = [
        f"Input: {origin}, {megabytes:.2f} MB of XML; "
        f"{'quick: ' if quick else ''}{settings.repeats} run(s) of each reader, alternating "
        "(the one that goes first alternates), after one warm-up run each.",
        "reviewbook found, per run: "
        + ", ".join(f"{count:,} {what}" for what, count in ours.found.items())
        + ".",
    ]
    if with_baseline:
        calls = ", ".join(
            f"`{name}` {min(seconds) * 1000:.0f} ms" for name, seconds in theirs.by_call.items()
        )
        notes += [
            f"pubmed_parser, each function over every file (best run): {calls}.",
            "pubmed_parser found, per run: "
            + ", ".join(
                f"{theirs.found[name]:,} from `{name}`"
                for name in BASELINE_CALLS
                if name != "parse_pubmed_xml"
            )
            + f"; {theirs.found['raised']} call(s) raised"
            + (
                " (`parse_pubmed_xml` on a file whose publication dates carry JATS 1.1's "
                "`date-type`, not `pub-type`: PMC12578317), their time counted."
                if theirs.found["raised"]
                else "."
            ),
        ]
    else:
        notes.append("pubmed_parser is not installed, so the baseline was not measured.")
    return Section(
        name=NAME,
        title="reading PMC full texts (JATS XML)",
        description=(
            "`read_article` and `citations_frame` over the seven shared PMC full texts, against "
            "pubmed_parser's `parse_pubmed_xml`, `parse_pubmed_references`, "
            "`parse_pubmed_paragraph`, `parse_pubmed_caption` and `parse_pubmed_table` over "
            "the same files in the same run. One process, one thread, the readers alternating."
        ),
        metrics=metrics,
        notes=tuple(notes),
    )


def _metrics(ours: Runs, theirs: Runs, *, megabytes: float, repeats: int) -> tuple[Metric, ...]:
    best = min(ours.seconds)
    metrics = [
        Metric(f"reviewbook: read + citations_frame, best of {repeats}", f"{best * 1000:.0f} ms"),
        Metric("reviewbook: median", f"{statistics.median(ours.seconds) * 1000:.0f} ms"),
        Metric("reviewbook: throughput (best)", f"{megabytes / best:.1f} MB/s of XML"),
    ]
    if theirs.seconds:
        base = min(theirs.seconds)
        ratio = best / base
        cpu_ratio = min(ours.cpu) / min(theirs.cpu)
        metrics += [
            Metric(f"pubmed_parser: five functions, best of {repeats}", f"{base * 1000:.0f} ms"),
            Metric("pubmed_parser: median", f"{statistics.median(theirs.seconds) * 1000:.0f} ms"),
            Metric(
                "time / pubmed_parser's (best)",
                f"{ratio:.2f}x",
                f"<= {TARGET_TIME_TIMES_BASELINE:.1f}x",
                ratio <= TARGET_TIME_TIMES_BASELINE,
            ),
            Metric("CPU time / pubmed_parser's (best)", f"{cpu_ratio:.2f}x"),
        ]
    return tuple(metrics)
