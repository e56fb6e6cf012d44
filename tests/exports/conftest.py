"""Shared fixtures of the export tests: the references real clients are fed, and the clients.

The references are those issue 25 fed to real programs: both seed reviews (as the workbook
loads them), a review of 49 references (PubMed XML, ``../shared/fixtures``) and 15 hard records
written for these tests (``hard_references.json``: names with particles and accents, titles with
acronyms, Greek letters, quotes and LaTeX's special characters, ranges, no author, a chapter).

A client that is missing skips its test, or fails it in CI (``CI=true``), where `.ci/run`
installs every one: TeX Live (pdflatex, bibtex), biber, pandoc and node, whose citation-js
packages `citation_js` installs from ``tests/clients/package-lock.json`` with ``npm ci``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from reviewbook import Article, Reference, read_article, references_frame
from reviewbook.workbook.reviews import load_review
from tests.conftest import ROOT, SEED_PMIDS, TEST_DATA

EXPORT_DATA = TEST_DATA / "exports"
HARD_REFERENCES = EXPORT_DATA / "hard_references.json"
ADDED_REVIEW = ROOT.parent / "shared" / "fixtures" / "pubmed_xml" / "pubmed7.xml"
"""PMID 29963580, whose reference list holds 49 references (PMIDs, no authors or titles): a real
PubMed XML record of ``../shared/fixtures``, which CI has beside the checkout."""
CLIENTS = ROOT / "tests" / "clients"


def hard_article() -> Article:
    """The 15 hard records as the references of one article."""
    fields = json.loads(HARD_REFERENCES.read_text(encoding="utf-8"))
    references = tuple(
        Reference(**{**entry, "authors": tuple(entry.get("authors", ()))}) for entry in fields
    )
    return Article(pmid="1", title="Hard records", references=references)


@pytest.fixture(scope="session")
def hard() -> Article:
    return hard_article()


@pytest.fixture(scope="session")
def every_reference(hard: Article) -> pd.DataFrame:
    """Both seed reviews' references, the added review's 49 and the 15 hard records: 74 rows."""
    seeds = [load_review(pmid) for pmid in SEED_PMIDS]
    return references_frame([*seeds, read_article(ADDED_REVIEW), hard])


def program(name: str) -> str:
    """The path of a program the test needs: missing, it skips the test (fails it in CI)."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: .ci/run installs it", pytrace=False)
        pytest.skip(f"needs {name} (see .ci/run)")
    return found


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a client in ``cwd``; its output is kept for the assertion messages."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def citation_js() -> Callable[[str, Path], list[dict[str, object]]]:
    """Read a file with citation-js (``tests/clients/read.js``): its CSL-JSON items.

    The node packages are installed once with ``npm ci`` when ``node_modules`` is missing.
    """
    node = program("node")
    if not (CLIENTS / "node_modules" / "@citation-js").is_dir():
        installed = run([program("npm"), "ci", "--no-audit", "--no-fund"], CLIENTS)
        assert installed.returncode == 0, installed.stdout + installed.stderr

    def read(input_format: str, path: Path) -> list[dict[str, object]]:
        done = run([node, str(CLIENTS / "read.js"), input_format, str(path)], path.parent)
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", done.stderr
        return json.loads(done.stdout)

    return read
