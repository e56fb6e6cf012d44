"""Shared paths for the tests: the project's data folder and the seed pages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBMED = ROOT / "data" / "pubmed"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def janssen_text() -> str:
    return (PUBMED / "29037250.txt").read_text(encoding="utf-8")


@pytest.fixture
def erez_text() -> str:
    return (PUBMED / "21387299.txt").read_text(encoding="utf-8")
