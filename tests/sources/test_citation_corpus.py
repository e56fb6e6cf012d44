"""A corpus of real-world citation forms, each line with every field it must read as.

``tests/data/citations/<family>.json`` holds one family of forms (reference lists, MEDLINE
``SO`` lines, XML ``Citation`` texts, PubMed's own lists, notices, status notes, hard author
lists, pages and dates, books, other styles): ``{"form": ..., "references": [{"line": ...,
"expected": {...}}]}``. ``expected`` names every field that differs from its default, so a
field that is not named must keep its default: the test compares whole records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewbook import Reference, parse_citation
from reviewbook.errors import Problem
from reviewbook.model import Notice
from reviewbook.sources.citation import _read_plain_nlm, read_citation_in_full

CITATIONS = Path(__file__).resolve().parents[1] / "data" / "citations"
FAMILIES = sorted(path.stem for path in CITATIONS.glob("*.json"))


def _load(family: str) -> list[dict[str, Any]]:
    return json.loads((CITATIONS / f"{family}.json").read_text(encoding="utf-8"))["references"]


def _expected_reference(line: str, expected: dict[str, Any]) -> Reference:
    """The record a corpus entry states, JSON lists turned back into tuples and sets."""
    fields = dict(expected)
    for name in ("authors", "collective", "editors", "pub_status", "publication_types"):
        if name in fields:
            fields[name] = tuple(fields[name])
    fields["links"] = frozenset(fields.get("links", ()))
    fields["notices"] = tuple(Notice(**notice) for notice in fields.get("notices", ()))
    fields["warnings"] = tuple(Problem(**problem) for problem in fields.get("warnings", ()))
    return Reference(index=1, raw=line, **fields)


ENTRIES = [
    pytest.param(entry["line"], entry["expected"], id=f"{family}-{number}")
    for family in FAMILIES
    for number, entry in enumerate(_load(family), start=1)
]


def test_the_corpus_holds_at_least_150_lines_in_every_family() -> None:
    counts = {family: len(_load(family)) for family in FAMILIES}
    assert sum(counts.values()) >= 150
    assert set(counts) >= {
        "authors",
        "books",
        "medline_so",
        "nlm_references",
        "notices",
        "other_styles",
        "pages_and_dates",
        "pubmed_lists",
        "status_notes",
        "xml_citation",
    }
    assert min(counts.values()) >= 10


@pytest.mark.parametrize(("line", "expected"), ENTRIES)
def test_corpus_line_reads_field_by_field(line: str, expected: dict[str, Any]) -> None:
    assert parse_citation(line) == _expected_reference(line, expected)


@pytest.mark.parametrize(("line", "expected"), ENTRIES)
def test_the_shortcut_agrees_with_the_full_reader_on_the_corpus(line: str, expected: dict) -> None:
    shortcut = _read_plain_nlm(line, 1)
    assert shortcut is None or shortcut == read_citation_in_full(line, 1)
