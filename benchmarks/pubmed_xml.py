"""How ``iter_articles`` streams a large PubMed XML file, against pubmed_parser on the same file.

The corpus is built from real records (``../shared/fixtures/pubmed_xml``, or the project's own
test files when the fixtures are absent): every ``<PubmedArticle>`` of them, repeated with new
PMIDs until the file is about 50 MB, written as ``.xml`` and as ``.xml.gz`` (how PubMed ships its
baseline files) in a temporary folder.

Each reading runs in a fresh Python subprocess, which reports its own peak resident memory
(``VmHWM``) and the wall time of its reading loop:

- **reviewbook**: ``iter_articles`` on the ``.xml.gz``, then on the ``.xml``, counting records;
- **pubmed_parser**: ``pubmed_parser.parse_medline_xml`` on the ``.xml.gz`` (it opens every path
  as gzip), with ``author_list`` and ``reference_list`` on, so that it too reads the authors and
  the reference lists reviewbook reads.

Runs alternate between the two readers, so noise on a shared machine falls on both alike.
"""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import PEAK_MIB_CODE, Metric, Section, run_child

NAME = "pubmed_xml"
REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures" / "pubmed_xml"
FALLBACK_SOURCES = (REPO / "tests" / "data" / "pubmed_29037250_reference_list.xml",)


@dataclass(frozen=True, slots=True)
class Settings:
    """How large a file to build and how often each reader runs over it."""

    megabytes: float
    repeats: int


FULL = Settings(megabytes=50, repeats=5)
QUICK = Settings(megabytes=2, repeats=1)

TARGET_PEAK_TIMES_BASELINE = 1.5
TARGET_PEAK_MIB = 150
TARGET_WALL_TIMES_BASELINE = 1.0

_RECORD = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.DOTALL)
_CITATION_PMID = re.compile(rb'(<MedlineCitation[^>]*>\s*<PMID Version="\d+">)(\d+)(</PMID>)')
_OPENING = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)
_CLOSING = b"</PubmedArticleSet>\n"

CHILD = (
    PEAK_MIB_CODE
    + """
import json, sys, time
reader, path = sys.argv[1], sys.argv[2]
if reader == "reviewbook":
    from reviewbook.sources.formats import iter_articles
    def records():
        return iter_articles(path)
else:
    from pubmed_parser import parse_medline_xml
    def records():
        return parse_medline_xml(path, author_list=True, reference_list=True)
start, start_cpu = time.perf_counter(), time.process_time()
count = sum(1 for _ in records())
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({"records": count, "seconds": seconds, "cpu": cpu, "peak_mib": _peak_mib()}))
"""
)
"""The reading loop each subprocess runs: reader name and file path on its command line."""


def source_records() -> tuple[list[bytes], str]:
    """Every ``<PubmedArticle>`` of the source files, and where they came from."""
    sources = sorted(FIXTURES.glob("*.xml")) if FIXTURES.is_dir() else list(FALLBACK_SOURCES)
    records = [match.group(0) for path in sources for match in _RECORD.finditer(path.read_bytes())]
    origin = (
        f"{len(records)} records of shared/fixtures/pubmed_xml"
        if FIXTURES.is_dir()
        else f"{len(records)} record(s) of tests/data (shared fixtures not found)"
    )
    return records, origin


def build_corpus(folder: Path, megabytes: float) -> tuple[Path, Path, int]:
    """Write the ``.xml`` and ``.xml.gz`` files; return their paths and the record count."""
    records, _ = source_records()
    target = int(megabytes * 1e6)
    plain = folder / "corpus.xml"
    count = 0
    size = len(_OPENING) + len(_CLOSING)
    with plain.open("wb") as out:
        out.write(_OPENING)
        while size < target:
            pmid = str(40_000_000 + count).encode()
            renumbered = _CITATION_PMID.sub(
                rb"\g<1>" + pmid + rb"\g<3>", records[count % len(records)], count=1
            )
            out.write(renumbered + b"\n")
            size += len(renumbered) + 1
            count += 1
        out.write(_CLOSING)
    compressed = folder / "corpus.xml.gz"
    with plain.open("rb") as source, gzip.open(compressed, "wb", compresslevel=6) as out:
        while chunk := source.read(2**20):
            out.write(chunk)
    return plain, compressed, count


def measure(reader: str, path: Path) -> dict[str, float]:
    """One reading in a fresh subprocess: records, seconds of its loop, its peak memory."""
    return run_child(CHILD, reader, str(path))


def baseline_available() -> bool:
    """Whether pubmed_parser is installed (``pip install -e ".[bench]"``)."""
    import importlib.util

    return importlib.util.find_spec("pubmed_parser") is not None


def run(*, quick: bool = False) -> Section:
    """Build the corpus, run both readers in turn, and report time, memory and their ratios."""
    settings = QUICK if quick else FULL
    runs: dict[str, list[dict[str, float]]] = {"gz": [], "xml": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="reviewbook-bench-") as folder:
        plain, compressed, count = build_corpus(Path(folder), settings.megabytes)
        content_mb = plain.stat().st_size / 1e6
        compressed_mb = compressed.stat().st_size / 1e6
        with_baseline = baseline_available()
        for _ in range(settings.repeats):
            runs["gz"].append(measure("reviewbook", compressed))
            if with_baseline:
                runs["baseline"].append(measure("pubmed_parser", compressed))
            runs["xml"].append(measure("reviewbook", plain))
    _, origin = source_records()
    metrics = _metrics(runs, content_mb=content_mb, repeats=settings.repeats)
    mode = "quick smoke-test corpus" if quick else "full corpus"
    notes = (
        f"Corpus ({mode}): {count:,} records ({origin}, repeated with new PMIDs), "
        f"{content_mb:.1f} MB as XML, {compressed_mb:.1f} MB gzip-compressed.",
        "Peak memory is the subprocess's own `VmHWM` (interpreter and imports included); "
        "time is the wall (and CPU) time of its reading loop only. Best of "
        f"{settings.repeats} run(s) for time, highest of them for memory.",
        "pubmed_parser: `parse_medline_xml(path, author_list=True, reference_list=True)`"
        + ("" if with_baseline else " - not installed, so not measured"),
    )
    return Section(
        name=NAME,
        title="streaming a large PubMed XML file",
        description=(
            "`iter_articles` over a PubMed XML file of about 50 MB built from real records, "
            "against `pubmed_parser.parse_medline_xml` over the same `.xml.gz` in the same run; "
            "each reading in its own subprocess, which reports its peak memory."
        ),
        metrics=metrics,
        notes=notes,
    )


def _metrics(
    runs: dict[str, list[dict[str, float]]], *, content_mb: float, repeats: int
) -> tuple[Metric, ...]:
    gz_seconds = min(run["seconds"] for run in runs["gz"])
    gz_peak = max(run["peak_mib"] for run in runs["gz"])
    xml_seconds = min(run["seconds"] for run in runs["xml"])
    xml_peak = max(run["peak_mib"] for run in runs["xml"])
    metrics = [
        Metric("reviewbook, .xml.gz: records", f"{int(runs['gz'][0]['records']):,}"),
        Metric("reviewbook, .xml.gz: wall time (best)", f"{gz_seconds:.2f} s"),
        Metric("reviewbook, .xml.gz: throughput", f"{content_mb / gz_seconds:.1f} MB/s of XML"),
        Metric(
            "reviewbook, .xml.gz: peak memory",
            f"{gz_peak:.0f} MiB",
            f"<= {TARGET_PEAK_MIB} MiB",
            gz_peak <= TARGET_PEAK_MIB,
        ),
        Metric("reviewbook, .xml: wall time (best)", f"{xml_seconds:.2f} s"),
        Metric("reviewbook, .xml: throughput", f"{content_mb / xml_seconds:.1f} MB/s"),
        Metric(
            "reviewbook, .xml: peak memory",
            f"{xml_peak:.0f} MiB",
            f"<= {TARGET_PEAK_MIB} MiB",
            xml_peak <= TARGET_PEAK_MIB,
        ),
    ]
    if runs["baseline"]:
        base_seconds = min(run["seconds"] for run in runs["baseline"])
        base_peak = max(run["peak_mib"] for run in runs["baseline"])
        wall_ratio = gz_seconds / base_seconds
        peak_ratio = gz_peak / base_peak
        cpu_ratio = min(run["cpu"] for run in runs["gz"]) / min(
            run["cpu"] for run in runs["baseline"]
        )
        metrics += [
            Metric("pubmed_parser, .xml.gz: records", f"{int(runs['baseline'][0]['records']):,}"),
            Metric("pubmed_parser, .xml.gz: wall time (best)", f"{base_seconds:.2f} s"),
            Metric("pubmed_parser, .xml.gz: peak memory", f"{base_peak:.0f} MiB"),
            Metric(
                "wall time / pubmed_parser's (.xml.gz)",
                f"{wall_ratio:.2f}x",
                f"<= {TARGET_WALL_TIMES_BASELINE:.1f}x",
                wall_ratio <= TARGET_WALL_TIMES_BASELINE,
            ),
            Metric("CPU time / pubmed_parser's (.xml.gz, best)", f"{cpu_ratio:.2f}x"),
            Metric(
                "peak memory / pubmed_parser's (.xml.gz)",
                f"{peak_ratio:.2f}x",
                f"<= {TARGET_PEAK_TIMES_BASELINE:.1f}x",
                peak_ratio <= TARGET_PEAK_TIMES_BASELINE,
            ),
        ]
    if repeats > 1:
        spread = statistics.pstdev(run["seconds"] for run in runs["gz"])
        metrics.append(Metric("reviewbook, .xml.gz: wall time spread (std dev)", f"{spread:.2f} s"))
    return tuple(metrics)
