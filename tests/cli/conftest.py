"""Shared fixtures of the command-line tests that change a workbook and reach NCBI: a copy of
the seed workbook named by ``--workbook``, and the fake E-utilities named by the environment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewbook.workbook.paths import DATA_ENV, NOTEBOOKS_ENV, WORKBOOK_ENV
from reviewbook.workbook.review_cache import CACHE_ENV
from tests.conftest import SESSION_WORKBOOK, copy_seed_workbook
from tests.sources.test_ncbi import IDCONV_PATH, FakeEutils, serving_fake_eutils


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed workbook; the environment ``--workbook`` changes is restored after."""
    monkeypatch.setenv(WORKBOOK_ENV, str(SESSION_WORKBOOK))
    for name in (DATA_ENV, NOTEBOOKS_ENV):
        monkeypatch.delenv(name, raising=False)
    return copy_seed_workbook(tmp_path / "wb")


@pytest.fixture
def ncbi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEutils]:
    """The fake E-utilities and ID converter, named by the environment (no deadline set)."""
    with serving_fake_eutils() as fake:
        monkeypatch.setenv("REVIEWBOOK_EUTILS_URL", fake.base_url)
        monkeypatch.setenv(
            "REVIEWBOOK_IDCONV_URL", fake.base_url.replace("/entrez/eutils/", IDCONV_PATH)
        )
        monkeypatch.delenv("REVIEWBOOK_NCBI_DEADLINE", raising=False)
        monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
        monkeypatch.delenv("NCBI_API_KEY", raising=False)
        yield fake
