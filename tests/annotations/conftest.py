"""Shared values for the annotation tests: the example files and the seed pages they quote.

Example files under ``tests/data/annotations/`` are named for what they show; their quotes
are checked against the seed pages in ``data/pubmed/``.
"""

from __future__ import annotations

from typing import Any

import pytest

from reviewbook.annotations import store, yaml_io
from reviewbook.annotations.loading import load_annotations
from reviewbook.annotations.model import AnnotationsInvalid
from reviewbook.annotations.validation import validate_annotations
from reviewbook.sources.page import read_pubmed_page
from tests.conftest import EXAMPLES, PUBMED

ANNOTATIONS = PUBMED.parent / "annotations"
"""The project's own annotation files, one per seed review."""
JANSSEN = read_pubmed_page(PUBMED / "29037250.txt")
EREZ = read_pubmed_page(PUBMED / "21387299.txt")
PAGES = {"29037250": JANSSEN, "21387299": EREZ}

MINIMAL = 'pmid: "29037250"\n# notes are added below by the tests\nreferences: []\n'
STAMP = "2026-12-07T12:00:00Z"
"""The time `frozen_clock` stops the store's clock at."""


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> str:
    """The store stamps every change it saves with `STAMP`, not the time of the test."""
    monkeypatch.setattr(store, "current_stamp", lambda: STAMP)
    return STAMP


def file_errors(name: str) -> list[tuple[int | None, str, str]]:
    """``(line, field, message)`` of every error in an example file, checked against its page."""
    path = EXAMPLES / name
    try:
        annotations = load_annotations(path)
    except AnnotationsInvalid as invalid:
        found = list(invalid.errors)
    else:
        found = validate_annotations(annotations, PAGES[annotations.pmid])
    return [(error.line, error.field, error.message) for error in found]


@pytest.fixture
def round_trip_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time ruamel.yaml is set up to read or write (`yaml_io.round_trip_yaml`)."""
    calls: list[str] = []
    make = yaml_io.round_trip_yaml

    def counted() -> Any:
        calls.append("round_trip_yaml")
        return make()

    monkeypatch.setattr(yaml_io, "round_trip_yaml", counted)
    return calls
