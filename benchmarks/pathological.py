"""How long each reader takes on hostile 100,000-character lines, against a floor.

The lines are the corpus of ``tests/data/pathological_citations.json`` (long runs of spaces,
dots, initials, ``et al.`` look-alikes, unbalanced parentheses, notice labels...). Each line is
given to every reader the way that reader meets text (``READERS``): as a printed reference, as
a line of a saved page's header and abstract, as the title and abstract of a MEDLINE record, and
as the title and a reference of a PubMed XML record. For each reader and line, two things are
timed in the same process on the same document:

- **parse**: the reader on the document;
- **floor**: the document split into lines and one compiled regex run over each line, finding
  every year printed in it (`floor`): every reader looks at each line and for a date at least,
  so this is about the least a line-based, regex-based reader does.

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
from html import escape
from pathlib import Path

from benchmarks.report import Metric, Section
from reviewbook.sources.citation import parse_citation
from reviewbook.sources.medline import parse_medline
from reviewbook.sources.page import parse_pubmed_page
from reviewbook.sources.pubmed_xml import parse_pubmed_xml

NAME = "pathological"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "pathological_citations.json"
PAGE = ROOT / "tests" / "data" / "seed_workbook" / "data" / "pubmed" / "21387299.txt"
"""The saved page a pathological line is put into (after its title, and as its abstract)."""

TARGET_MILLISECONDS = 50.0
"""The slowest line may take at most this long to parse."""
TARGET_TIMES_FLOOR = 10.0
"""Every line may take at most this many times the floor's time on the same line."""

FLOOR_PATTERN = re.compile(r"(?<![0-9])(?:1[5-9]|20)[0-9]{2}(?![0-9])")
"""The floor: one linear pass that finds every year in a line (fixed length, no backtracking)."""


def _page_with(line: str) -> str:
    """The Erez page with ``line`` after its title and in place of its abstract."""
    page = PAGE.read_text(encoding="utf-8")
    title = "Leukocytes as paracrine regulators of metastasis and determinants of organ-specific"
    start = page.index(title)
    end = page.index("\n", start)
    page = page[:end] + "\n" + line + page[end:]
    abstract = page.index("\nAbstract\n") + len("\nAbstract\n")
    return page[:abstract] + line + "\n" + page[page.index("\n", abstract) + 1 :]


def _medline_with(line: str) -> str:
    return f"PMID- 1\nTI  - {line}\nAB  - {line}\nTA  - J Test\nDP  - 2020\n"


def _xml_with(line: str) -> str:
    text = escape(line, quote=False)
    return (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        f"<ArticleTitle>{text}</ArticleTitle></Article></MedlineCitation><PubmedData>"
        f"<ReferenceList><Reference><Citation>{text}</Citation></Reference></ReferenceList>"
        "</PubmedData></PubmedArticle></PubmedArticleSet>"
    )


def _page_or_refusal(text: str) -> object:
    """A page reader's result; a line that makes the page unreadable is a timed refusal too."""
    try:
        return parse_pubmed_page(text)
    except ValueError as refusal:
        return refusal


READERS: dict[str, tuple[Callable[[str], str], Callable[[str], object]]] = {
    "citation": (str, parse_citation),
    "page": (_page_with, _page_or_refusal),
    "medline": (_medline_with, parse_medline),
    "pubmed-xml": (_xml_with, parse_pubmed_xml),
}
"""Each reader: how a line becomes a document it reads, and the reader."""


def floor(document: str) -> int:
    """The floor's work: every line of the document searched once for years."""
    return sum(len(FLOOR_PATTERN.findall(line)) for line in document.splitlines())


@dataclass(frozen=True, slots=True)
class Timing:
    """One reader's and line's best CPU seconds for the parser and for the floor."""

    reader: str
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
    """Parse and floor timings of every pathological line, for every reader."""
    timings = []
    for reader, (document_of, read) in READERS.items():
        for name, line in pathological_lines():
            document = document_of(line)
            timings.append(
                Timing(
                    reader,
                    name,
                    len(line),
                    best_seconds(read, document, repeats),
                    best_seconds(floor, document, repeats),
                )
            )
    return timings


def run(*, quick: bool = False) -> Section:
    """Time every line with every reader; report each reader's slowest line and worst ratio."""
    repeats = 1 if quick else 3
    timings = time_lines(repeats)
    metrics: list[Metric] = []
    for reader in READERS:
        mine = [timing for timing in timings if timing.reader == reader]
        slowest = max(mine, key=lambda timing: timing.parse_seconds)
        worst = max(mine, key=lambda timing: timing.times_floor)
        metrics += [
            Metric(
                f"{reader}: slowest line, best of {repeats} ({slowest.name})",
                f"{slowest.parse_seconds * 1000:.1f} ms",
                f"<= {TARGET_MILLISECONDS:.0f} ms",
                slowest.parse_seconds * 1000 <= TARGET_MILLISECONDS,
            ),
            Metric(
                f"{reader}: worst parse time / floor time ({worst.name})",
                f"{worst.times_floor:.1f}x",
                f"<= {TARGET_TIMES_FLOOR:.0f}x",
                worst.times_floor <= TARGET_TIMES_FLOOR,
            ),
        ]
    lengths = [timing.length for timing in timings]
    notes = (
        f"{len(timings) // len(READERS)} lines of {min(lengths):,} to {max(lengths):,} "
        "characters from `tests/data/pathological_citations.json`, each given to every reader: "
        "as a printed reference; after a saved page's title and as its abstract; as a MEDLINE "
        "record's title and abstract; as a PubMed XML record's title and reference citation.",
        f"Floor: the same document split into lines, `{FLOOR_PATTERN.pattern}` with `findall` "
        "on each; the ratio's denominator is at least 1 microsecond.",
        f"All lines, all readers: {sum(t.parse_seconds for t in timings) * 1000:,.0f} ms.",
    )
    return Section(
        name=NAME,
        title="hostile 100k-character lines, every reader",
        description=(
            "Each reader on documents holding one pathological line, against one regex pass over "
            "each line of the same document, both timed in CPU seconds in one process."
        ),
        metrics=tuple(metrics),
        notes=notes,
    )
