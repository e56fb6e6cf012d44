"""Shared paths and fixtures: the seed workbook, its pages, their golden records.

The package's tests never read or write the live workbook (``data/`` and ``notebooks/`` of the
checkout, which a researcher's own reviews change): they read the seed workbook kept under
``tests/data/seed_workbook`` and change only copies of it. For the whole session the package's
workbook is a fresh copy of it (``$REVIEWBOOK_WORKBOOK``), so anything that looks for "the
workbook" finds that copy, and kernels and children the tests start inherit it.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from reviewbook.errors import Problem
from reviewbook.model import Article, Figure, Reference
from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, WORKBOOK_ENV
from reviewbook.workbook.review_cache import CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
SEED_WORKBOOK = TEST_DATA / "seed_workbook"
"""The workbook as first shipped: the two seed reviews, our notes on them, their notebooks."""
PUBMED = SEED_WORKBOOK / "data" / "pubmed"


def copy_seed_workbook(folder: Path) -> Path:
    """A copy of the seed workbook in ``folder`` (made if missing); its root."""
    shutil.copytree(SEED_WORKBOOK, folder, dirs_exist_ok=True)
    return folder


# Property tests are the same on every run and never timed: an example that takes long on a
# loaded machine is slow, not wrong.
settings.register_profile(
    "reviewbook",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("reviewbook")

# Loaded reviews are cached per test session, not in the user's cache folder; the session's
# workbook is a copy of the seed workbook (kernels and children inherit both).
os.environ.setdefault(CACHE_ENV, tempfile.mkdtemp(prefix="reviewbook-test-cache-"))
os.environ[WORKBOOK_ENV] = str(
    copy_seed_workbook(Path(tempfile.mkdtemp(prefix="reviewbook-test-workbook-")) / "workbook")
)
for _name in (DATA_ENV, NOTEBOOKS_ENV):
    os.environ.pop(_name, None)
SESSION_WORKBOOK = Path(os.environ[WORKBOOK_ENV])
"""The session's copy of the seed workbook, which `reviewbook.workbook.paths` finds."""
atexit.register(shutil.rmtree, SESSION_WORKBOOK.parent, ignore_errors=True)
EXPECTED = TEST_DATA / "expected"
"""Golden files: every field of each seed page as it must read, one JSON file per PMID."""
EXAMPLES = TEST_DATA / "annotations"
"""Example annotation files, named for what they show."""
SEED_PMIDS: tuple[str, ...] = ("29037250", "21387299")
"""The two seed reviews, Janssen et al. 2017 and Erez & Coussens 2011, in manifest order."""


@functools.cache
def expected_article(pmid: str) -> Article:
    """The record a seed page must read as, from ``tests/data/expected/<pmid>.json``."""
    fields = json.loads((EXPECTED / f"{pmid}.json").read_text(encoding="utf-8"))
    return _article(fields)


def _article(fields: dict[str, Any]) -> Article:
    pairs = ("abstract_sections", "sections")
    return Article(
        **{
            **fields,
            **{name: tuple(map(tuple, fields[name])) for name in pairs},
            "article_types": tuple(fields["article_types"]),
            "keywords": tuple(fields["keywords"]),
            "figures": tuple(Figure(**figure) for figure in fields["figures"]),
            "references": tuple(_reference(entry) for entry in fields["references"]),
            "warnings": tuple(Problem(**problem) for problem in fields["warnings"]),
            "source_path": str(SEED_WORKBOOK / fields["source_path"]),
        }
    )


def _reference(fields: dict[str, Any]) -> Reference:
    return Reference(
        **{
            **fields,
            "authors": tuple(fields["authors"]),
            "links": frozenset(fields["links"]),
            "warnings": tuple(Problem(**problem) for problem in fields["warnings"]),
        }
    )


@pytest.fixture
def janssen_text() -> str:
    return (PUBMED / "29037250.txt").read_text(encoding="utf-8")


@pytest.fixture
def erez_text() -> str:
    return (PUBMED / "21387299.txt").read_text(encoding="utf-8")


@pytest.fixture
def janssen() -> Article:
    """Janssen et al. 2017 as its saved page must read."""
    return expected_article("29037250")


@pytest.fixture
def erez() -> Article:
    """Erez & Coussens 2011 as its saved page must read."""
    return expected_article("21387299")


@pytest.fixture(scope="module")
def seed_references() -> pd.DataFrame:
    """References of both seed pages as read: rows 0-4 Janssen 2017's, rows 5-9 Erez 2011's."""
    from reviewbook import read_pubmed_page, references_frame

    return references_frame([read_pubmed_page(PUBMED / f"{pmid}.txt") for pmid in SEED_PMIDS])


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[..., Path]:
    """Copy an example file into a fresh folder, named as the real files are: ``<pmid>.yaml``."""

    def copy(name: str, pmid: str = "29037250") -> Path:
        target = tmp_path / f"{pmid}.yaml"
        shutil.copyfile(EXAMPLES / name, target)
        return target

    return copy
