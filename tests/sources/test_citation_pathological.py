"""Hostile 100,000-character lines read to exactly what they hold, and nothing hangs.

``tests/data/pathological_citations.json`` describes each line as ``prefix + unit * repeat +
suffix`` (long runs of spaces, dots, initials, ``et al.`` look-alikes, unbalanced parentheses,
notice labels...) with the record it must read as. Time is not asserted here: the benchmark
``benchmarks/pathological.py`` measures each line against a one-regex floor. A line that made
a pattern backtrack would still show here as a test that never ends.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewbook import Reference, parse_citation
from reviewbook.errors import Problem

CORPUS = Path(__file__).resolve().parents[1] / "data" / "pathological_citations.json"


def pathological_lines() -> list[dict[str, Any]]:
    """The corpus entries, each with its ``line`` built."""
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        {**entry, "line": entry["prefix"] + entry["unit"] * entry["repeat"] + entry["suffix"]}
        for entry in corpus["lines"]
    ]


LINES = pathological_lines()


def test_every_pathological_line_is_about_100k_characters() -> None:
    assert len(LINES) >= 40
    assert all(99_990 <= len(entry["line"]) <= 100_000 for entry in LINES)


@pytest.mark.parametrize("entry", LINES, ids=[entry["name"] for entry in LINES])
def test_pathological_line_reads_to_its_expected_record(entry: dict[str, Any]) -> None:
    expected = dict(entry["expected"])
    expected["authors"] = tuple(expected.get("authors", ()))
    expected["warnings"] = tuple(Problem(**problem) for problem in expected.get("warnings", ()))
    line = entry["line"]
    assert parse_citation(line) == Reference(index=1, raw=line.strip(), **expected)
