"""``reviewbook corpus build`` on a generated baseline, against pubmed_parser in a plain loop.

The input is a field of records generated in PubMed's XML shape (`reviewbook.corpus.generated`:
reviews with 20 to 40 references, papers with 5 to 15, abstracts, authors, MeSH headings),
written in baseline layout (``baseline/pubmed26n0001.xml.gz`` ...) until the XML content, before
compression, reaches 200 MB (``--quick``: 3 MB). Both the XML size and the ``.xml.gz`` size are
reported.

Measured in the same run, each in a fresh subprocess, alternating:

- **pubmed_parser**: ``parse_medline_xml(path, author_list=True, reference_list=True)`` over
  every file in a plain loop, one process (the baseline);
- **build, 1 worker**: ``build_corpus(..., scheduler="processes", workers=1)``: Dask's local
  multiprocessing scheduler with one worker process, reading, writing Parquet, publishing;
- **build, 2 workers**: the same with two worker processes;
- **reader alone**: the build's reader (`sources.formats.iter_entries`, as a task calls it) over
  every file in a plain loop, one process, nothing written: the parsing part of a build, to
  compare with pubmed_parser's, which only parses.

Then a co-citation query (`co_cited_pairs` over every review, the 20 pairs cited together
most) on the corpus built, best of 3, and each worker's peak memory (``VmHWM``, which every
task reports for its process).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import PEAK_MIB_CODE, Metric, Section, run_child

NAME = "corpus_build"
REPO = Path(__file__).resolve().parents[1]
FULL_BASELINE_RECORDS = 36_000_000
FULL_BASELINE_FILES = 1_300
PROJECTED_WORKERS = (1, 2, 8, 32, 128)


@dataclass(frozen=True, slots=True)
class Settings:
    """How much XML to generate, in how many files, and how often to measure."""

    megabytes: float
    files: int
    repeats: int


FULL = Settings(megabytes=200, files=8, repeats=2)
QUICK = Settings(megabytes=3, files=4, repeats=1)

TARGET_RATE_TIMES_BASELINE = 1.0
TARGET_SPEEDUP = 1.7
TARGET_WORKER_MIB = 300
TARGET_QUERY_SECONDS = 2.0

CHILD = (
    PEAK_MIB_CODE
    + """
import json, sys, time
from pathlib import Path
mode, folder = sys.argv[1], Path(sys.argv[2])
files = sorted((folder / "baseline").glob("*.xml.gz"))
start = time.perf_counter()
if mode == "pubmed_parser":
    from pubmed_parser import parse_medline_xml
    records = 0
    for path in files:
        records += sum(1 for _ in parse_medline_xml(str(path), author_list=True,
                                                     reference_list=True))
    peaks = [_peak_mib()]
elif mode == "reader":
    from reviewbook.sources.formats import iter_entries
    records = 0
    for path in files:
        records += sum(1 for _ in iter_entries(path, citations=False))
    peaks = [_peak_mib()]
else:
    from reviewbook.corpus.build import build_corpus
    report = build_corpus([folder / "baseline"], folder / f"corpus-{mode}",
                          scheduler="processes", workers=int(mode))
    records = report.records_read
    peaks = [outcome.peak_mib or 0.0 for outcome in report.processed]
seconds = time.perf_counter() - start
print(json.dumps({"records": records, "seconds": seconds, "peaks": peaks}))
"""
)
"""What each measuring subprocess runs: ``pubmed_parser`` or a number of build workers."""


def generate(folder: Path, settings: Settings) -> tuple[int, float, float]:
    """Write the generated baseline; return its records, XML megabytes, gzip megabytes."""
    from reviewbook.corpus.generated import generate_field, pubmed_file_xml, write_baseline

    probe = generate_field(reviews=20, papers=80, seed=7)
    per_record = len(pubmed_file_xml(probe.records)) / len(probe.records)
    count = int(settings.megabytes * 1e6 / per_record) + 1
    field = generate_field(reviews=count // 5, papers=count - count // 5, seed=2026)
    # Each file gets every files-th PMID, so reviews (long reference lists) and papers are
    # spread evenly over the files, as in PubMed's baseline, and no worker waits on one file.
    spread = sorted(field.records, key=lambda record: int(record.pmid) % settings.files)
    paths = write_baseline(folder / "baseline", spread, files=settings.files)
    compressed = sum(path.stat().st_size for path in paths) / 1e6
    return len(field.records), _content_megabytes(paths), compressed


def _content_megabytes(paths: list[Path]) -> float:
    import gzip

    total = 0
    for path in paths:
        with gzip.open(path, "rb") as content:
            while chunk := content.read(2**20):
                total += len(chunk)
    return total / 1e6


def measure(mode: str, folder: Path) -> dict[str, object]:
    """One measured run in a fresh subprocess."""
    return run_child(CHILD, mode, str(folder))


def query_seconds(corpus: Path) -> tuple[float, int]:
    """Best of 3: the 20 pairs of works cited together by the most reviews; and the reviews."""
    from reviewbook.corpus.queries import co_cited_pairs, field_reviews, open_corpus

    opened = open_corpus(corpus)
    reviews = len(field_reviews(opened))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        co_cited_pairs(opened, top=20)
        times.append(time.perf_counter() - start)
    opened.close()
    return min(times), reviews


def baseline_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pubmed_parser") is not None


def run(*, quick: bool = False) -> Section:
    """Generate the baseline, run the three readings in turn, query, report."""
    settings = QUICK if quick else FULL
    runs: dict[str, list[dict[str, object]]] = {
        "pubmed_parser": [],
        "reader": [],
        "1": [],
        "2": [],
    }
    with tempfile.TemporaryDirectory(prefix="reviewbook-corpus-bench-") as name:
        folder = Path(name)
        records, content_mb, compressed_mb = generate(folder, settings)
        modes = [*(("pubmed_parser",) if baseline_available() else ()), "reader", "1", "2"]
        for repeat in range(settings.repeats):
            for mode in modes if repeat % 2 == 0 else reversed(modes):
                runs[mode].append(measure(mode, folder))
                if mode in ("1", "2"):
                    _remove(folder / f"corpus-{mode}")
        measure("2", folder)  # once more, to query what it built
        best_query, reviews = query_seconds(folder / "corpus-2")
    return Section(
        name=NAME,
        title="building a corpus from a generated baseline with Dask",
        description=(
            "`reviewbook corpus build` (`build_corpus`, Dask's local multiprocessing scheduler) "
            "over generated PubMed XML in baseline layout, with 1 and 2 worker processes, "
            "against `pubmed_parser.parse_medline_xml` over the same files in a plain loop, in "
            "the same run; each in its own subprocess. Then a co-citation query over the result."
        ),
        metrics=_metrics(runs, records=records, reviews=reviews, query=best_query),
        notes=_notes(runs, settings, records, content_mb, compressed_mb, quick),
    )


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _best(runs: list[dict[str, object]]) -> float:
    return min(float(run["seconds"]) for run in runs)  # type: ignore[arg-type]


def _metrics(
    runs: dict[str, list[dict[str, object]]], *, records: int, reviews: int, query: float
) -> tuple[Metric, ...]:
    one, two = _best(runs["1"]), _best(runs["2"])
    speedup = one / two
    peak = max(max(run["peaks"]) for mode in ("1", "2") for run in runs[mode])  # type: ignore[call-overload]
    metrics = [
        Metric("records", f"{records:,} ({reviews:,} reviews)"),
        Metric("build, 1 worker: wall time (best)", f"{one:.2f} s"),
        Metric("build, 1 worker: throughput", f"{records / one:,.0f} records/s"),
        Metric("build, 2 workers: wall time (best)", f"{two:.2f} s"),
        Metric("build, 2 workers: throughput", f"{records / two:,.0f} records/s"),
    ]
    if runs["pubmed_parser"]:
        base = _best(runs["pubmed_parser"])
        ratio = base / one
        metrics += [
            Metric("pubmed_parser, plain loop: wall time (best)", f"{base:.2f} s"),
            Metric("pubmed_parser, plain loop: throughput", f"{records / base:,.0f} records/s"),
            Metric(
                "build (1 worker) records/s / pubmed_parser's",
                f"{ratio:.2f}x",
                f">= {TARGET_RATE_TIMES_BASELINE:.1f}x",
                ratio >= TARGET_RATE_TIMES_BASELINE,
            ),
            Metric(
                "reader alone (parsing, nothing written) records/s / pubmed_parser's",
                f"{base / _best(runs['reader']):.2f}x",
            ),
            Metric(
                "pubmed_parser, plain loop: peak memory",
                f"{max(max(run['peaks']) for run in runs['pubmed_parser']):.0f} MiB",  # type: ignore[call-overload]
            ),
        ]
    metrics += [
        Metric(
            "speed-up, 1 to 2 worker processes",
            f"{speedup:.2f}x",
            f">= {TARGET_SPEEDUP:.1f}x",
            speedup >= TARGET_SPEEDUP,
        ),
        Metric(
            "peak memory per worker (highest)",
            f"{peak:.0f} MiB",
            f"<= {TARGET_WORKER_MIB} MiB",
            peak <= TARGET_WORKER_MIB,
        ),
        Metric(
            "co-citation query: 20 top pairs over every review (best of 3)",
            f"{query:.2f} s",
            f"<= {TARGET_QUERY_SECONDS:.0f} s",
            query <= TARGET_QUERY_SECONDS,
        ),
    ]
    return tuple(metrics)


def _notes(
    runs: dict[str, list[dict[str, object]]],
    settings: Settings,
    records: int,
    content_mb: float,
    compressed_mb: float,
    quick: bool,
) -> tuple[str, ...]:
    one, two = _best(runs["1"]), _best(runs["2"])
    efficiency = one / two / 2
    rate = records / one
    projections = "; ".join(
        f"{workers} worker{'s' if workers > 1 else ''}: "
        f"{_hours(FULL_BASELINE_RECORDS / (rate * workers * (efficiency if workers > 1 else 1)))}"
        for workers in PROJECTED_WORKERS
    )
    mode = "quick smoke-test input" if quick else "full input"
    return (
        f"Input ({mode}): {records:,} generated records in {settings.files} baseline files, "
        f"{content_mb:.1f} MB of XML ({content_mb / settings.files:.1f} MB a file), "
        f"{compressed_mb:.1f} MB as .xml.gz. The 200 MB target is read as XML content before "
        "compression (generated text repeats a small vocabulary, so it compresses far more "
        "than PubMed's files do).",
        f"Best of {settings.repeats} run(s) each, the four kinds alternating. Build times "
        "include starting the worker processes, writing the Parquet tables and publishing; "
        "pubmed_parser only parses (to a list of dicts per file).",
        f"Projection for a full baseline (~{FULL_BASELINE_RECORDS / 1e6:.0f} M records in "
        f"~{FULL_BASELINE_FILES:,} files) from the 1-worker rate ({rate:,.0f} records/s) and "
        f"the measured 2-worker efficiency ({efficiency:.0%} per worker), assuming workers "
        f"with a core each and storage that keeps up: {projections}. Real records carry "
        "fewer references on average than these generated ones, so the real rate is likely "
        "higher; past ~1,300 workers there are no more files to share out.",
    )


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"
