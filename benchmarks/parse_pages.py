"""How fast ``parse_pubmed_page`` reads reference lists, against a one-regex-per-line floor.

The corpus is synthetic (``benchmarks.corpus``): 1,000 review pages of 200 NLM references.
Two loops run over exactly the same text in the same process:

- **parse**: ``parse_pubmed_page`` on every page, the work the package really does;
- **floor**: split every page into lines and ``match`` one realistic compiled citation regex
  on each line, about the least any regex-based reader could do.

Their ratio says how much the parser's care (styles, link labels, warnings, records) costs
over that floor, and stays meaningful on a noisy machine where absolute rates wander.
"""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.corpus import GeneratedPage, generate_corpus
from benchmarks.report import Metric, Section
from reviewbook.model import Article
from reviewbook.sources.page import parse_pubmed_page
from reviewbook.tables.frames import references_frame

NAME = "parse_pages"


@dataclass(frozen=True, slots=True)
class Settings:
    """Corpus size and how often each loop is timed."""

    pages: int
    references: int
    repeats: int
    seed: int = 0


FULL = Settings(pages=1_000, references=200, repeats=3)
QUICK = Settings(pages=10, references=20, repeats=1)

TARGET_REFERENCES_PER_SECOND = 20_000
TARGET_TIMES_FLOOR = 10.0
"""The parser may take at most this many times the floor loop's time."""

FLOOR_PATTERN = re.compile(
    r"^\s*1\. (.+?)\. (.+?)\. (.+?)\. (\d{4})[^;]*;([^(:]+)(?:\(([^)]*)\))?:([^.\s]+)"
)
"""One citation regex of the kind a quick script would use: authors, title, journal, source."""

CHECKED_FIELDS: tuple[str, ...] = (
    "authors",
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "first_page",
    "last_page",
    "doi",
    "links",
)
"""Reference fields compared with what the corpus generated, so speed is not bought with errors."""


# --- the two loops --------------------------------------------------------------------------


def parse_all(pages: list[GeneratedPage]) -> None:
    """Parse every page, keeping nothing: the loop timed for throughput."""
    for page in pages:
        parse_pubmed_page(page.text, pmid=page.pmid)


def match_all_lines(pages: list[GeneratedPage]) -> None:
    """Split every page into lines and match the floor regex on each: the baseline loop."""
    match = FLOOR_PATTERN.match
    for page in pages:
        for line in page.text.splitlines():
            match(line)


def best_and_median(
    loop: Callable[[list[GeneratedPage]], None], pages: list[GeneratedPage], repeats: int
) -> tuple[float, float]:
    """CPU seconds for ``loop(pages)``: the best and the median of ``repeats`` runs.

    CPU time of this one process, not wall time: the loops are single-threaded, so this is
    their cost on one core, and other work on a shared machine does not inflate it.
    """
    seconds = []
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        loop(pages)
        seconds.append(time.process_time() - start)
    return min(seconds), statistics.median(seconds)


def agreement(pages: list[GeneratedPage], articles: list[Article]) -> float:
    """Share of references whose ``CHECKED_FIELDS`` all equal what was generated."""
    pairs = [
        (parsed, expected)
        for page, article in zip(pages, articles, strict=True)
        for parsed, expected in zip(article.references, page.expected.references, strict=False)
    ]
    total = sum(len(page.expected.references) for page in pages)
    correct = sum(
        all(getattr(parsed, name) == getattr(expected, name) for name in CHECKED_FIELDS)
        for parsed, expected in pairs
    )
    return correct / total if total else 1.0


# --- the report -----------------------------------------------------------------------------


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} refs/s"


def run(*, quick: bool = False) -> Section:
    """Generate the corpus, time both loops, and report rates, ratio and agreement."""
    settings = QUICK if quick else FULL
    pages = generate_corpus(settings.pages, settings.references, seed=settings.seed)
    n_references = settings.pages * settings.references
    n_lines = sum(page.text.count("\n") + 1 for page in pages)
    megabytes = sum(len(page.text.encode("utf-8")) for page in pages) / 1e6

    parse_best, parse_median = best_and_median(parse_all, pages, settings.repeats)
    floor_best, floor_median = best_and_median(match_all_lines, pages, settings.repeats)
    times_floor = parse_best / floor_best

    articles = [parse_pubmed_page(page.text, pmid=page.pmid) for page in pages]
    gc.collect()
    start = time.perf_counter()
    references_frame(articles)
    frame_seconds = time.perf_counter() - start

    parse_rate = n_references / parse_best
    repeats = f"{settings.repeats} run" + ("s" if settings.repeats > 1 else "")
    metrics = (
        Metric(
            f"parse throughput, best of {repeats}",
            _rate(n_references, parse_best),
            f">= {TARGET_REFERENCES_PER_SECOND:,} refs/s",
            parse_rate >= TARGET_REFERENCES_PER_SECOND,
        ),
        Metric(f"parse throughput, median of {repeats}", _rate(n_references, parse_median)),
        Metric(
            f"floor (one regex match per line), best of {repeats}", _rate(n_references, floor_best)
        ),
        Metric(f"floor, median of {repeats}", _rate(n_references, floor_median)),
        Metric(
            "parse time / floor time (best)",
            f"{times_floor:.1f}x",
            f"<= {TARGET_TIMES_FLOOR:.0f}x",
            times_floor <= TARGET_TIMES_FLOOR,
        ),
        Metric("references_frame of the parsed corpus", _rate(n_references, frame_seconds)),
        Metric("references read as generated", f"{agreement(pages, articles):.2%}"),
    )
    mode = "quick smoke-test corpus" if quick else "full corpus"
    notes = (
        f"Corpus ({mode}): {settings.pages:,} pages x {settings.references:,} references = "
        f"{n_references:,} references, {n_lines:,} lines, {megabytes:.1f} MB, "
        f"seed {settings.seed}.",
        f"Floor regex: `{FLOOR_PATTERN.pattern}`.",
        "'Read as generated' compares " + ", ".join(CHECKED_FIELDS) + " with the generator.",
    )
    return Section(
        name=NAME,
        title="parsing saved PubMed pages",
        description=(
            "`parse_pubmed_page` on every page of a synthetic corpus of NLM-style reference "
            "lists (`benchmarks/corpus.py`), against a floor loop that splits the same text into "
            "lines and matches one compiled citation regex per line. One process, one thread."
        ),
        metrics=metrics,
        notes=notes,
    )
