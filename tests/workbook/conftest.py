"""Shared helpers for the workbook tests: a copy of the seed workbook, and snapshots of it.

Each test that changes a workbook works on a copy of the seed workbook in a temporary folder;
a snapshot before and after shows that a refused or failed addition changed nothing.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from pathlib import Path

import pytest

from reviewbook.sources.ncbi import EutilsClient
from reviewbook.workbook import adding, refreshing
from reviewbook.workbook.checking import nbval_command
from reviewbook.workbook.manifest import ManifestEntry, read_manifest
from reviewbook.workbook.paths import WORKBOOK_ENV
from tests.conftest import SEED_WORKBOOK, copy_seed_workbook


def make_workbook(folder: Path) -> Path:
    """A copy of the seed workbook in ``folder``."""
    return copy_seed_workbook(folder)


WORKBOOK_LOCK = Path("data") / ".reviewbook" / "workbook.lock"
"""The workbook lock's file, which stays (empty) once made; all else under it must go."""


def snapshot(root: Path) -> dict[str, tuple[str, int] | None]:
    """Every file (hash and mode) and folder under ``root``, the workbook lock's aside."""
    lock = root / WORKBOOK_LOCK
    return {
        str(path.relative_to(root)): (
            (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
            if path.is_file()
            else None
        )
        for path in sorted(root.rglob("*"))
        if path not in (lock, lock.parent)
    }


def next_notebook(key: str) -> str:
    """The name the seed workbook's next added notebook gets for ``key``: ``NN_<key>``, NN one
    more than the highest number in use."""
    from reviewbook.workbook.adding import notebook_number

    return f"{notebook_number(SEED_WORKBOOK / 'notebooks', key):02d}_{key}"


def manifest_pmids() -> list[str]:
    """The PMIDs the seed workbook's manifest lists, in order."""
    return [entry.pmid for entry in read_manifest(SEED_WORKBOOK / "data" / "pubmed")]


def manifest_row(root: Path, pmid: str) -> list[ManifestEntry]:
    return [entry for entry in read_manifest(root / "data" / "pubmed") if entry.pmid == pmid]


def offline_client() -> EutilsClient:
    """A client of an NCBI that cannot be reached (a closed port on 127.0.0.1), not retrying."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    return EutilsClient(
        base_url=f"{closed}/entrez/eutils/",
        idconv_url=f"{closed}/tools/idconv/api/v1/articles/",
        cache=False,
        retries=0,
        environ={},
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adds and refreshes that are given no client reach no real NCBI: they are offline."""
    monkeypatch.setattr(adding, "EutilsClient", offline_client)
    monkeypatch.setattr(refreshing, "EutilsClient", offline_client)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A copy of the workbook to change."""
    return make_workbook(tmp_path / "workbook")


def run_nbval(root: Path, *notebooks: Path) -> subprocess.CompletedProcess[str]:
    """Strict nbval, as the workbook's check runs it, on ``notebooks`` of the workbook at
    ``root``."""
    environment = {WORKBOOK_ENV: str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        nbval_command(notebooks),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **environment},
    )
